// Small pieces the console pages share: a load error with retry, a loading line.
import { useI18n } from './i18n';

/** An error from the API, readably, with a retry button. */
export function LoadError({ message, onRetry, testId }: { message: string; onRetry?: () => void; testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <strong>{t('dc.loadFailed')}</strong>
      <span className="alert-detail">{message}</span>
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

/** A quiet "loading" line. */
export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading-line" aria-busy="true">
      <span className="spinner small" aria-hidden="true" /> {t('app.loading')}
    </p>
  );
}
