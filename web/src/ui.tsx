// Small pieces the console pages share: an area's heading, tabs, figure cards, a load error with
// retry, a refused action with the server's words, a loading line.
import type { ReactNode } from 'react';
import type { ApiError, Area } from './api';
import { AREA_INFO, Icon } from './areas';
import { useI18n } from './i18n';
import { Link } from './router';

/** An area's heading: its icon, its name and what it is for. */
export function AreaHeader({ area }: { area: Area }) {
  const { t } = useI18n();
  return (
    <header className="page-header with-icon">
      <span className={`card-icon large tone-${area}`}>
        <Icon size={28}>{AREA_INFO[area].icon}</Icon>
      </span>
      <div>
        <h1>{t(`area.${area}.name`)}</h1>
        <p className="lead">{t(`area.${area}.summary`)}</p>
      </div>
    </header>
  );
}

/** One tab: where it goes and what it says. */
export interface TabLink {
  key: string;
  path: string;
  label: string;
  testId: string;
}

/**
 * A row of tabs (links), the current one marked; `planned` tabs are shown greyed, with a badge;
 * `caption` shows the label before the tabs too.
 */
export function TabNav({
  label,
  tabs,
  current,
  planned = [],
  caption = false,
  testId,
}: {
  label: string;
  tabs: readonly TabLink[];
  current: string;
  planned?: readonly { label: string; title: string }[];
  caption?: boolean;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <nav className="tabs" aria-label={label} data-testid={testId}>
      {caption && (
        <span className="tabs-caption" aria-hidden="true">
          {label}
        </span>
      )}
      {tabs.map((x) => (
        <Link key={x.key} to={x.path} aria-current={x.key === current ? 'page' : undefined} data-testid={x.testId}>
          {x.label}
        </Link>
      ))}
      {planned.map((p) => (
        <span key={p.label} className="tab-planned" aria-disabled="true" title={p.title}>
          {p.label} <span className="badge">{t('area.planned')}</span>
        </span>
      ))}
    </nav>
  );
}

/** A figure on a dashboard: label, value (`<testId>-value`) and an optional line under it. */
export function FigureCard({ testId, label, value, sub, small = false }: { testId: string; label: string; value: string; sub?: string; small?: boolean }) {
  return (
    <li className="card figure" data-testid={testId}>
      <span className="figure-label">{label}</span>
      <span className={`figure-value${small ? ' small' : ''}`} data-testid={`${testId}-value`}>
        {value}
      </span>
      {sub && <span className="figure-sub">{sub}</span>}
    </li>
  );
}

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

/** An action the server refused: what failed, the HTTP status, and the problem's detail. */
export function ActionError({ title, error, testId }: { title: string; error: ApiError; testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <strong>{error.status ? t('common.failedStatus', { title, status: error.status }) : title}</strong>
      <span className="alert-detail">{error.status ? error.message : t('dc.up.unreachable')}</span>
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

/** A short confirmation after an action went through. */
export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="notice" role="status" data-testid={testId}>
      {children}
    </div>
  );
}
