// Numbers, dates and rates in the reader's language.
import { useMemo } from 'react';
import { useI18n, type Lang } from './i18n';

/** Formatters for the current language. */
export interface Formatters {
  /** 3383 → "3,383". */
  number: (n: number) => string;
  /** 3383 → "3,383"; 1234567 → "123万" / "1.2M". */
  compact: (n: number) => string;
  /** An ISO timestamp → local date and time; "—" for null. */
  dateTime: (iso: string | null | undefined) => string;
  /** "2027-12-31", or a timestamp (its day in China time) → "2027/12/31" / "31/12/2027"; "—" for null. */
  day: (dayOrIso: string | null | undefined) => string;
  /** Milliseconds → "12.3 ms"; "—" for null. */
  ms: (ms: number | null | undefined) => string;
  /** 0.0123 → "1.23%". */
  percent: (rate: number) => string;
  /** "2026-11" → "2026年11月" / "Nov 2026". */
  month: (month: string) => string;
  /** A byte count → "1.2 MB". */
  bytes: (n: number) => string;
}

const LOCALE: Record<Lang, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

/** The formatters for the current language. */
export function useFormat(): Formatters {
  const { lang } = useI18n();
  return useMemo(() => formatters(lang), [lang]);
}

/** The formatters for a language. */
export function formatters(lang: Lang): Formatters {
  const locale = LOCALE[lang];
  const num = new Intl.NumberFormat(locale);
  const short = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  const dt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const mon = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  // Validity and deadlines are days in China time, wherever the reader is.
  const dayOnly = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' });
  const ms = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    number: (n) => num.format(n),
    compact: (n) => (Math.abs(n) < 10_000 ? num.format(n) : short.format(n)),
    dateTime: (iso) => {
      if (!iso) return '—';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dt.format(d);
    },
    day: (value) => {
      if (!value) return '—';
      const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00+08:00` : value);
      return Number.isNaN(d.getTime()) ? value : dayOnly.format(d);
    },
    ms: (value) => (value === null || value === undefined ? '—' : `${ms.format(value)} ms`),
    percent: (rate) => pct.format(rate),
    month: (month) => {
      const m = /^(\d{4})-(\d{2})$/.exec(month);
      return m ? mon.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))) : month;
    },
    bytes: (n) => {
      const units = ['B', 'KB', 'MB', 'GB', 'TB'];
      let value = n;
      let unit = 0;
      while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
      }
      return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
    },
  };
}
