// Small pieces the console pages share: an area's heading, tabs, figure cards, a load error with
// retry, a refused action with the server's words, a loading line, a refresh button, a section
// that lists what a GET returned, a term of a description list, a step of a timeline, a confirmation of a for-good action, and tables:
// column heads, a list of rows, a row holding a form.
import type { FormEvent, ReactNode } from 'react';
import type { ApiError, Area } from './api';
import { AREA_INFO, Icon } from './areas';
import type { Loaded } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { Link } from './router';
import { useAction } from './xc-api';

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
    // The status is for whoever supports the user (data-status), not for the user.
    <div className="alert" role="alert" data-testid={testId} data-status={error.status || undefined}>
      <strong>{title}</strong>
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

/** Where a GET stands while it has nothing to show: its error, with a retry, or the loading line. */
export function LoadState({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.error) return <LoadError message={loaded.error.message} onRetry={loaded.reload} />;
  return loaded.data === undefined ? <Loading /> : null;
}

/**
 * The small "refresh" button of a section's head, saying so while it refreshes; `disabled`
 * defaults to `loading`.
 */
export function RefreshButton({ loading, onRefresh, disabled = loading, testId }: { loading: boolean; onRefresh: () => void; disabled?: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <button type="button" className="button small" onClick={onRefresh} disabled={disabled} data-testid={testId}>
      {loading ? t('dc.refreshing') : t('dc.refresh')}
    </button>
  );
}

/**
 * A section that lists what a GET returned: its heading with `tools` and a refresh button, a line
 * of help, the load state, then `children` with the data once there is some.
 *
 * @example
 * <LoadedSection headingId="xc-calls-h" title={t('xc.calls')} loaded={calls} refreshTestId="xc-refresh">
 *   {(items) => <CallTable calls={items} … />}
 * </LoadedSection>
 */
export function LoadedSection<T>({
  headingId,
  title,
  help,
  tools,
  loaded,
  refreshTestId,
  children,
}: {
  headingId: string;
  title: string;
  help?: string;
  tools?: ReactNode;
  loaded: Loaded<T>;
  refreshTestId?: string;
  children: (data: T) => ReactNode;
}) {
  const refresh = <RefreshButton loading={loaded.loading} onRefresh={loaded.reload} testId={refreshTestId} />;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>{title}</h2>
        {tools ? (
          <div className="toolbar">
            {tools}
            {refresh}
          </div>
        ) : (
          refresh
        )}
      </div>
      {help && <p className="muted small">{help}</p>}
      <LoadState loaded={loaded} />
      {loaded.data !== undefined && children(loaded.data)}
    </section>
  );
}

/** A table column's head: `num` aligns it as a number, `hidden` shows it to screen readers only. */
export type ColumnHead = string | { label: string; num?: boolean; hidden?: boolean };

/** A table's head: one row of column heads. */
export function TableHead({ columns }: { columns: readonly ColumnHead[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, i) => {
          const { label, num = false, hidden = false } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={i} scope="col" className={num ? 'num' : undefined}>
              {hidden ? <span className="visually-hidden">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/**
 * Rows under their column heads, in a frame that scrolls (`testId` on the frame); with `empty`, the
 * line that stands instead when there are no rows (`emptyTestId`, by default `testId`).
 *
 * @example
 * <ListTable rows={calls} columns={[t('xc.col.time'), …]} empty={t('xc.callsNone')} testId="xc-calls">
 *   {(c) => <tr key={c.id}>…</tr>}
 * </ListTable>
 */
export function ListTable<T>({
  rows,
  columns,
  compact = false,
  empty,
  emptyTestId,
  testId,
  children: row,
}: {
  rows: readonly T[];
  columns: readonly ColumnHead[];
  compact?: boolean;
  empty?: string;
  emptyTestId?: string;
  testId?: string;
  children: (row: T) => ReactNode;
}) {
  if (empty !== undefined && rows.length === 0) {
    return (
      <p className="empty" data-testid={emptyTestId ?? testId}>
        {empty}
      </p>
    );
  }
  return (
    <div className="table-wrap" data-testid={testId}>
      <table className={compact ? 'table compact' : 'table'}>
        <TableHead columns={columns} />
        <tbody>{rows.map((r) => row(r))}</tbody>
      </table>
    </div>
  );
}

/** A row across all `columns` of a table that holds a form, under the row the form acts on. */
export function FormRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr className="row-form">
      <td colSpan={columns}>{children}</td>
    </tr>
  );
}

/** One term of a `<dl className="meta">`: its label and what it says (`testId` on the value). */
export function Term({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/**
 * One step of an `<ol className="timeline">`: what was done (`action`, its CSS tone `step-<tone>`),
 * its label, who did it, when, and the note left with it.
 *
 * @example
 * <TimelineStep action={s.action} tone="approved" label={t('…')} who={s.actor} at={s.at} note={s.note} testId="xc-step" />
 */
export function TimelineStep({ action, tone = action, label, who, at, note, testId }: { action: string; tone?: string; label: string; who: ReactNode; at: string; note: string | null; testId: string }) {
  const f = useFormat();
  return (
    <li className={`step step-${tone}`} data-testid={testId} data-action={action}>
      <div className="step-head">
        <strong>{label}</strong>
        <span data-testid={`${testId}-who`}>{who}</span>
        <time className="muted small" dateTime={at}>
          {f.dateTime(at)}
        </time>
      </div>
      {note && <p className="step-note">{note}</p>}
    </li>
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

/**
 * A for-good action (revoke, cancel), confirmed first: what will happen, a danger button that
 * runs `run`, and a way back. The server's refusal is shown under it; `onDone` follows success.
 * Test ids: `${testId}-form`, `-confirm`, `-error`.
 */
export function ConfirmForm({
  text,
  confirmLabel,
  keepLabel,
  failedTitle,
  testId,
  run,
  onCancel,
  onDone,
}: {
  text: string;
  confirmLabel: string;
  keepLabel: string;
  failedTitle: string;
  testId: string;
  run: () => Promise<unknown>;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    if (await action.run(run)) onDone();
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid={`${testId}-form`} aria-busy={action.busy}>
      <p>{text}</p>
      <div className="form-actions">
        <button type="submit" className="button danger" disabled={action.busy} autoFocus data-testid={`${testId}-confirm`}>
          {action.busy ? t('xc.sending') : confirmLabel}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          {keepLabel}
        </button>
      </div>
      {action.error && <ActionError title={failedTitle} error={action.error} testId={`${testId}-error`} />}
    </form>
  );
}
