import { LANGS, setLang, useI18n, type Lang } from './i18n';

const LABELS: Record<Lang, string> = { 'zh-CN': '中文', en: 'English' };

/** The 中文 / English switch; each choice is written in its own language. */
export function LangSwitch() {
  const { lang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.switch')} data-testid="lang-switch">
      {LANGS.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={lang === option}
          data-testid={`lang-${option}`}
          onClick={() => setLang(option)}
        >
          {LABELS[option]}
        </button>
      ))}
    </div>
  );
}
