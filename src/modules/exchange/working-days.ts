import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * China's working-day calendar, for deadlines counted in working days (a request for
 * conditional data is answered within 10 working days).
 *
 * Which days are worked is not a rule but an annual decision: each autumn the State Council
 * general office publishes the next year's holidays and the weekend days that are worked in
 * exchange (调休上班). So the calendar is data (`calendar/cn-workdays.json`) that operators
 * update, and this module only reads it. Every day here is a calendar day in China time
 * (Asia/Shanghai, UTC+8 all year, no daylight saving): an instant is first turned into the
 * date a clock in Shanghai shows.
 */

/** One year of the calendar file, as published in that year's notice. */
export interface CalendarYearData {
  /** The notice the year was copied from, so a reader can check it. */
  notice?: string;
  /** Anything an operator should know before "correcting" the lists. */
  note?: string;
  /** Days off (`YYYY-MM-DD`); weekend days inside a holiday block may be listed or not. */
  holidays: string[];
  /** Make-up working days (`YYYY-MM-DD`), each a Saturday or a Sunday. */
  workdays: string[];
}

/** The shape of `calendar/cn-workdays.json`. */
export interface WorkingDayCalendarData {
  /** Where the data comes from and how to extend it. */
  source?: string;
  /** Keyed by four-digit year; each date listed under a year must fall in that year. */
  years: Record<string, CalendarYearData>;
}

/** A calendar date: a `Date` instant (read in Shanghai time) or a `'YYYY-MM-DD'` string. */
export type CalendarDateInput = Date | string;

/**
 * The calendar shipped with the module. Resolved against this file rather than the working
 * directory, because the code runs from source through tsx wherever it is started.
 *
 * @example
 * const calendar = await loadWorkingDayCalendar(SHIPPED_CALENDAR_FILE);
 */
export const SHIPPED_CALENDAR_FILE = new URL('./calendar/cn-workdays.json', import.meta.url);

const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const YEAR_KEYS = new Set(['notice', 'note', 'holidays', 'workdays']);
const TOP_KEYS = new Set(['source', 'years']);

/** Days since 1970-01-01 of a real `YYYY-MM-DD` date, or null when it is not one. */
function parseDayNumber(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** The Shanghai calendar day of an instant or a date string, as days since 1970-01-01. */
function toDayNumber(date: CalendarDateInput): number {
  if (typeof date === 'string') {
    const day = parseDayNumber(date);
    if (day === null) throw new RangeError(`Not a calendar date (expected YYYY-MM-DD): ${JSON.stringify(date)}`);
    return day;
  }
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** The last millisecond of a Shanghai day (23:59:59.999 at UTC+8), as an instant. */
function endOfDay(day: number): Date {
  return new Date((day + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

/**
 * Which days are worked in mainland China, from the State Council's yearly notices.
 *
 * A day is a working day when it is Monday to Friday and not a listed holiday, or when it is
 * a listed make-up working day (a Saturday or Sunday worked in exchange for a day off).
 * Years the data does not cover fall back to plain Monday to Friday: the answer is then
 * probably wrong around festivals, so callers check {@link WorkingDayCalendar.covers} and warn
 * rather than refuse (a late-year request's deadline may run into a year whose notice is not
 * out yet).
 *
 * @example
 * const calendar = WorkingDayCalendar.fromJson({
 *   years: { '2026': { holidays: ['2026-02-16'], workdays: ['2026-02-14'] } },
 * });
 * calendar.isWorkingDay('2026-02-14'); // true: a make-up Saturday
 * calendar.isWorkingDay('2026-02-16'); // false: Spring Festival
 */
export class WorkingDayCalendar {
  private constructor(
    private readonly holidays: ReadonlySet<number>,
    private readonly workdays: ReadonlySet<number>,
    private readonly years: readonly number[],
    /** The data's `source` line, for display next to a deadline. */
    readonly source: string | undefined,
  ) {}

  /**
   * Builds a calendar from parsed JSON, refusing anything that would give wrong deadlines
   * quietly: a malformed or impossible date, a date filed under the wrong year, a date listed
   * twice or in both lists, a make-up working day that is not a weekend, an unknown key
   * (usually a misspelt `holidays`/`workdays`).
   *
   * @param data the parsed file
   * @param origin what to name in error messages, usually the file path
   * @throws Error naming `origin` and the offending entry
   * @example
   * WorkingDayCalendar.fromJson({ years: { '2025': { holidays: ['2025-01-01'], workdays: [] } } });
   * WorkingDayCalendar.fromJson({ years: { '2025': { holidays: [], workdays: ['2025-01-02'] } } }, 'cal.json');
   * // throws: cal.json: years.2025.workdays[0] "2025-01-02" is a Thursday; a make-up working day (调休上班) must be a Saturday or Sunday
   */
  static fromJson(data: unknown, origin = 'working-day calendar'): WorkingDayCalendar {
    // Annotated so TypeScript treats a bare `fail(...)` statement as ending the path.
    const fail: (message: string) => never = (message) => {
      throw new Error(`${origin}: ${message}`);
    };
    if (!isPlainObject(data) || !isPlainObject(data.years)) return fail('expected an object with a "years" object');
    for (const key of Object.keys(data)) if (!TOP_KEYS.has(key)) fail(`unknown key ${JSON.stringify(key)} (expected "source" and "years")`);
    if (data.source !== undefined && typeof data.source !== 'string') fail('"source" must be a string');

    const holidays = new Set<number>();
    const workdays = new Set<number>();
    const years: number[] = [];
    for (const [yearKey, entry] of Object.entries(data.years)) {
      if (!/^\d{4}$/.test(yearKey)) fail(`years: ${JSON.stringify(yearKey)} is not a four-digit year`);
      const where = `years.${yearKey}`;
      if (!isPlainObject(entry)) return fail(`${where} must be an object with "holidays" and "workdays" lists`);
      for (const key of Object.keys(entry)) {
        if (!YEAR_KEYS.has(key)) fail(`${where}: unknown key ${JSON.stringify(key)} (expected "holidays", "workdays", "notice", "note")`);
      }
      for (const key of ['notice', 'note'] as const) {
        if (entry[key] !== undefined && typeof entry[key] !== 'string') fail(`${where}.${key} must be a string`);
      }
      const year = Number(yearKey);
      const readList = (list: 'holidays' | 'workdays', into: Set<number>): void => {
        const values = entry[list];
        if (!Array.isArray(values)) return fail(`${where}.${list} must be a list of YYYY-MM-DD dates (use [] for none)`);
        values.forEach((value: unknown, i) => {
          const at = `${where}.${list}[${i}] ${JSON.stringify(value)}`;
          const day = typeof value === 'string' ? parseDayNumber(value) : null;
          if (day === null) return fail(`${at} is not a real date in YYYY-MM-DD form`);
          if (yearOf(day) !== year) fail(`${at} is not in ${yearKey}; file it under its own year`);
          if (into.has(day)) fail(`${at} is listed twice`);
          if (list === 'workdays' && holidays.has(day)) fail(`${at} is also listed as a holiday; a day is either off or worked`);
          if (list === 'workdays' && !isWeekend(day)) {
            fail(`${at} is a ${WEEKDAY_NAMES[weekdayOf(day)]}; a make-up working day (调休上班) must be a Saturday or Sunday`);
          }
          into.add(day);
        });
      };
      readList('holidays', holidays);
      readList('workdays', workdays);
      years.push(year);
    }
    years.sort((a, b) => a - b);
    return new WorkingDayCalendar(holidays, workdays, years, data.source);
  }

  /**
   * The years the data covers, ascending. Outside them the calendar assumes plain Monday to
   * Friday.
   *
   * @example
   * (await loadWorkingDayCalendar()).coveredYears(); // [2024, 2025, 2026]
   */
  coveredYears(): number[] {
    return [...this.years];
  }

  /**
   * Whether the data covers the (Shanghai) year of a date. When it does not, the answers for
   * that date are the Monday-to-Friday fallback and the caller should say so.
   *
   * @example
   * calendar.covers('2026-10-01');                       // true
   * calendar.covers(new Date('2026-12-31T16:00:00Z'));   // false: already 2027-01-01 in Shanghai
   */
  covers(date: CalendarDateInput): boolean {
    return this.years.includes(yearOf(toDayNumber(date)));
  }

  /**
   * Whether a day is worked: Monday to Friday unless a holiday, Saturday or Sunday only when a
   * make-up working day. A `Date` is read as the day it is in Shanghai.
   *
   * @example
   * calendar.isWorkingDay('2026-02-16');                      // false: Spring Festival
   * calendar.isWorkingDay('2026-02-28');                      // true: make-up Saturday
   * calendar.isWorkingDay(new Date('2026-02-13T17:00:00Z')); // true: 01:00 on Sat 14 Feb in Shanghai, a make-up day
   */
  isWorkingDay(date: CalendarDateInput): boolean {
    return this.isWorkingDayNumber(toDayNumber(date));
  }

  /**
   * The deadline that falls `n` working days after `start`: the last instant (23:59:59.999
   * Shanghai time) of the n-th working day after the day of `start`. The day of `start` itself
   * never counts, whatever the hour (期限开始之日不计算在内). Check `covers()` on the result
   * when the span may run past the data.
   *
   * @param start when the request was submitted
   * @param n how many working days are allowed; a positive whole number
   * @throws RangeError for an invalid date or an `n` that is not a positive whole number
   * @example
   * // Submitted Thu 12 Feb 2026, just before Spring Festival:
   * calendar.addWorkingDays(new Date('2026-02-12T02:00:00Z'), 10).toISOString(); // '2026-03-04T15:59:59.999Z'
   */
  addWorkingDays(start: CalendarDateInput, n: number): Date {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be a positive whole number, got ${n}`);
    let day = toDayNumber(start);
    for (let counted = 0; counted < n; ) {
      day += 1;
      if (this.isWorkingDayNumber(day)) counted += 1;
    }
    return endOfDay(day);
  }

  /**
   * How many working days lie strictly after the day of `from`, up to and including the day of
   * `to`; 0 when `to` is on or before the day of `from`. With `from` = submission time and `to`
   * = now, a result above the allowed n means overdue; with `from` = now and `to` = the
   * deadline, it is the working days left besides today.
   *
   * @example
   * calendar.workingDaysBetween(new Date('2026-02-12T02:00:00Z'), new Date('2026-03-04T08:00:00Z')); // 10
   * calendar.workingDaysBetween('2026-02-13', '2026-02-23'); // 1: only the make-up Saturday 14 Feb
   */
  workingDaysBetween(from: CalendarDateInput, to: CalendarDateInput): number {
    const last = toDayNumber(to);
    let count = 0;
    for (let day = toDayNumber(from) + 1; day <= last; day += 1) {
      if (this.isWorkingDayNumber(day)) count += 1;
    }
    return count;
  }

  private isWorkingDayNumber(day: number): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    return !isWeekend(day);
  }
}

/**
 * Reads and validates a calendar file, by default the one shipped with the module.
 *
 * @param file a path (relative to the working directory) or a `file:` URL
 * @throws Error naming the file when it cannot be read, is not JSON, or has a bad entry
 * @example
 * const calendar = await loadWorkingDayCalendar();
 * const deadline = calendar.addWorkingDays(request.submittedAt, 10);
 * if (!calendar.covers(deadline)) log.warn('deadline computed without that year’s holiday notice');
 */
export async function loadWorkingDayCalendar(file: string | URL = SHIPPED_CALENDAR_FILE): Promise<WorkingDayCalendar> {
  const name = file instanceof URL ? fileURLToPath(file) : file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read working-day calendar ${name}: ${(error as Error).message}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return WorkingDayCalendar.fromJson(data, name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
