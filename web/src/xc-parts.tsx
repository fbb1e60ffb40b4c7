// Pieces the exchange pages share: status pills, the data-item checkboxes, the table of requests,
// the form that posts a reason (refuse, withdraw, revoke, report misuse).
import { useState, type FormEvent } from 'react';
import { api } from './api';
import { useFormat } from './format';
import { translateMaybe, useI18n, type Lang } from './i18n';
import { Link } from './router';
import { ActionError, ListTable } from './ui';
import { useAction, type Channel, type SharingRequest, type Side } from './xc-api';

/** The label of an exchange value (`xc.<group>.<value>`), or the value itself when there is none. */
export function xcLabel(lang: Lang, group: string, value: string): string {
  return translateMaybe(lang, `xc.${group}.${value}`) ?? value;
}

/** Items as one readable list: "a、b" in Chinese, "a, b" in English. */
export function joinList(lang: Lang, items: readonly string[]): string {
  return items.length === 0 ? '—' : items.join(lang === 'en' ? ', ' : '、');
}

/** The workbench path of a request. */
export function requestPath(id: string): string {
  return `/department/requests/${encodeURIComponent(id)}`;
}

/** A request's status as a coloured pill. */
export function RequestStatusPill({ status, testId }: { status: string; testId?: string }) {
  const { lang } = useI18n();
  return (
    <span className={`pill xc-${status}`} data-testid={testId}>
      {xcLabel(lang, 'status', status)}
    </span>
  );
}

/** The "overdue" badge of a request past its deadline. */
export function OverdueBadge() {
  const { t } = useI18n();
  return (
    <span className="badge overdue" data-testid="xc-overdue">
      {t('xc.overdue')}
    </span>
  );
}

/** What a channel is now: live, revoked, or expired (active but past its validity). */
export function channelState(channel: Channel): 'live' | 'revoked' | 'expired' {
  if (channel.live) return 'live';
  return channel.status === 'revoked' ? 'revoked' : 'expired';
}

/** A channel's state as a coloured pill. */
export function ChannelStatePill({ channel }: { channel: Channel }) {
  const { lang } = useI18n();
  const state = channelState(channel);
  return (
    <span className={`pill xc-${state}`} data-testid="xc-channel-state">
      {xcLabel(lang, 'channel', state)}
    </span>
  );
}

/** A call's outcome as a coloured pill. */
export function OutcomePill({ outcome }: { outcome: string }) {
  const { lang } = useI18n();
  return <span className={`pill xc-outcome-${outcome}`}>{xcLabel(lang, 'outcome', outcome)}</span>;
}

/** A data item that may be chosen. */
export interface FieldChoice {
  name: string;
  label: string;
  sensitivity?: number;
}

/** Checkboxes over data items, with "all" and "none"; `selected` keeps the items' order. */
export function FieldChecks({
  legend,
  fields,
  selected,
  onChange,
  disabled = false,
  testId,
}: {
  legend: string;
  fields: readonly FieldChoice[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  disabled?: boolean;
  testId?: string;
}) {
  const { lang, t } = useI18n();
  const toggle = (name: string, on: boolean) => onChange(fields.map((f) => f.name).filter((n) => (n === name ? on : selected.includes(n))));
  return (
    <fieldset className="field-checks" disabled={disabled} data-testid={testId}>
      <legend>
        {legend}
        <span className="field-checks-count">{t('xc.fieldsChosen', { chosen: selected.length, total: fields.length })}</span>
        <button type="button" className="link-button" onClick={() => onChange(fields.map((f) => f.name))}>
          {t('xc.all')}
        </button>
        <button type="button" className="link-button" onClick={() => onChange([])}>
          {t('xc.none')}
        </button>
      </legend>
      <div className="field-checks-grid">
        {fields.map((f) => (
          <label key={f.name} className="field-check">
            <input type="checkbox" checked={selected.includes(f.name)} onChange={(e) => toggle(f.name, e.target.checked)} data-testid={`xc-field-${f.name}`} />
            <span>
              {f.label} <span className="code">{f.name}</span>
              {f.sensitivity !== undefined && f.sensitivity >= 3 && <span className={`pill sens-${f.sensitivity}`}>{translateMaybe(lang, `dc.sens.${f.sensitivity}`)}</span>}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Requests as a table: resource, the other department, status, deadline and working days left. */
export function RequestTable({
  requests,
  side,
  orgName,
  resourceName,
  testId,
}: {
  requests: readonly SharingRequest[];
  side: Side;
  orgName: (code: string | null | undefined) => string;
  resourceName: (code: string | null | undefined, fallback?: string) => string;
  testId?: string;
}) {
  const { t } = useI18n();
  const f = useFormat();
  return (
    <ListTable
      rows={requests}
      columns={[t('xc.col.resource'), side === 'consumer' ? t('xc.col.provider') : t('xc.col.consumer'), t('xc.col.status'), t('xc.col.submitted'), t('xc.col.due'), t('xc.col.daysLeft')]}
      testId={testId}
    >
      {(r) => (
        <tr key={r.id} data-testid="xc-request-row" data-id={r.id}>
          <td>
            <Link to={requestPath(r.id)} className="resource-link" data-testid="xc-request-link">
              {resourceName(r.resource, r.resourceName)}
            </Link>
            <div className="code">{r.id}</div>
          </td>
          <td>
            {orgName(side === 'consumer' ? r.providerOrg : r.consumerOrg)}
            {side === 'provider' && r.consumerSystem && <div className="sub">{r.consumerSystem}</div>}
          </td>
          <td>
            <RequestStatusPill status={r.status} testId="xc-request-status" />
          </td>
          <td className="nowrap">{f.day(r.submittedAt)}</td>
          <td className={`nowrap${r.status === 'pending' ? '' : ' muted'}`}>{f.day(r.dueAt)}</td>
          <td className="nowrap" data-testid="xc-days-left">
            {r.overdue ? <OverdueBadge /> : r.workingDaysLeft !== null ? t('xc.daysLeft', { count: r.workingDaysLeft }) : '—'}
          </td>
        </tr>
      )}
    </ListTable>
  );
}

/**
 * A reason, then a POST of `{ reason }` to `path`; the parts' test ids are `<testId>-form`,
 * `-reason`, `-submit` and `-error`. `rows` is the reason's height (1: a one-line input). With
 * `onCancel` the form stands inline (in a table row): it takes the focus and offers "cancel".
 *
 * @example
 * <ReasonForm path={xcPaths.withdraw(id)} label={t('xc.form.reason')} minLength={2} help={…} submit={…} failed={…} testId="xc-withdraw" onDone={reload} />
 */
export function ReasonForm({
  path,
  label,
  minLength,
  maxLength = 1000,
  rows = 3,
  help,
  submit: submitLabel,
  failed,
  testId,
  danger = false,
  onCancel,
  onDone,
}: {
  path: string;
  label: string;
  minLength: number;
  maxLength?: number;
  rows?: number;
  help: string;
  submit: string;
  failed: string;
  testId: string;
  danger?: boolean;
  onCancel?: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const action = useAction();
  const inline = onCancel !== undefined;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    if (await action.run(() => api<unknown>('POST', path, { reason: reason.trim() }))) onDone();
  }

  const input = {
    value: reason,
    required: true,
    minLength,
    maxLength,
    disabled: action.busy,
    autoFocus: inline,
    'data-testid': `${testId}-reason`,
  };
  return (
    <form className={`form${inline ? ' inline-form' : ''}`} onSubmit={(e) => void submit(e)} data-testid={`${testId}-form`} aria-busy={action.busy}>
      <label className={`field${inline ? ' grow' : ''}`}>
        <span>{label}</span>
        {rows === 1 ? <input {...input} onChange={(e) => setReason(e.target.value)} /> : <textarea {...input} rows={rows} onChange={(e) => setReason(e.target.value)} />}
        <span className="hint">{help}</span>
      </label>
      <div className="form-actions">
        <button type="submit" className={`button${danger ? ' danger' : ''}`} disabled={action.busy} data-testid={`${testId}-submit`}>
          {action.busy ? t('xc.sending') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
            {t('xc.cancel')}
          </button>
        )}
      </div>
      {action.error && <ActionError title={failed} error={action.error} testId={`${testId}-error`} />}
    </form>
  );
}
