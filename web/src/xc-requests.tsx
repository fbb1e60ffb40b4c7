// Sharing requests in the department workbench: the two lists (made by us, made to us) and one
// request with its steps, where the provider approves or refuses and the consumer withdraws.
import { useState, type FormEvent } from 'react';
import { api, type Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { Link } from './router';
import { useTitle } from './title';
import { ActionError, LoadedSection, LoadError, Loading, Notice, Term, TimelineStep } from './ui';
import {
  chinaDay,
  REQUEST_STATUSES,
  reviewsRequests,
  useAction,
  useCatalogueNames,
  useOrgNames,
  within,
  xcPaths,
  type ApproveBody,
  type SharingRequest,
  type Side,
} from './xc-api';
import { FieldChecks, joinList, OverdueBadge, ReasonForm, RequestStatusPill, RequestTable, xcLabel, type FieldChoice } from './xc-parts';

/** The requests our department made (consumer) or received (provider), filtered by status. */
export function RequestList({ side }: { side: Side }) {
  const { lang, t } = useI18n();
  const [status, setStatus] = useState('');
  const requests = useApiGet<SharingRequest[]>(xcPaths.requests({ side, status }));
  const orgName = useOrgNames(lang);
  const names = useCatalogueNames(lang);
  return (
    <LoadedSection
      headingId="xc-requests-h"
      title={side === 'consumer' ? t('xc.ours') : t('xc.theirs')}
      help={side === 'consumer' ? t('xc.oursHelp') : t('xc.theirsHelp')}
      tools={
        <label className="field inline">
          <span>{t('xc.col.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="xc-status-filter">
            <option value="">{t('xc.allStatuses')}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {xcLabel(lang, 'status', s)}
              </option>
            ))}
          </select>
        </label>
      }
      loaded={requests}
      refreshTestId="xc-refresh"
    >
      {(items) =>
        items.length === 0 ? (
          <p className="empty" data-testid="xc-requests-empty">
            {side === 'consumer' ? t('xc.oursNone') : t('xc.theirsNone')}
          </p>
        ) : (
          <RequestTable requests={items} side={side} orgName={orgName} resourceName={names.resource} testId="xc-requests" />
        )
      }
    </LoadedSection>
  );
}

/** One request: what was asked, its steps, and what this user may do with it. */
export function RequestPage({ id, me }: { id: string; me: Me }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const request = useApiGet<SharingRequest>(xcPaths.request(id));
  const r = request.data;
  const orgName = useOrgNames(lang);
  const names = useCatalogueNames(lang);
  const [done, setDone] = useState<string | null>(null);
  const name = r ? names.resource(r.resource, r.resourceName) : id;
  useTitle(`${name} · ${t('area.department.name')}`);

  const myOrg = me.org?.code;
  const side: Side | null = r ? (within(r.consumerOrg, myOrg) ? 'consumer' : within(r.providerOrg, myOrg) ? 'provider' : null) : null;
  const pending = r?.status === 'pending';
  // Field labels from the catalogue; the request itself names fields only by code.
  const choices: FieldChoice[] = r ? r.fields.map((field) => ({ name: field, label: names.field(r.resource, field), sensitivity: names.fieldSpec(r.resource, field)?.sensitivity })) : [];
  const label = (field: string) => (r ? names.field(r.resource, field) : field);

  function decided(message: string): void {
    setDone(message);
    request.reload();
  }

  return (
    <div className="resource-page" data-testid="xc-request-page">
      <nav className="breadcrumb" aria-label={t('dc.res.breadcrumb')}>
        <Link to={side === 'provider' ? '/department/incoming' : '/department'} data-testid="xc-back">
          ← {side === 'provider' ? t('xc.theirs') : t('xc.ours')}
        </Link>
      </nav>
      {request.error ? (
        <LoadError message={request.error.message} onRetry={request.error.status === 404 ? undefined : request.reload} testId="xc-request-error" />
      ) : !r ? (
        <Loading />
      ) : (
        <>
          <header className="resource-head">
            <h2 className="resource-title" data-testid="xc-request-title">
              {name}
              <RequestStatusPill status={r.status} testId="xc-request-status" />
              {r.overdue && <OverdueBadge />}
            </h2>
            <p className="code" data-testid="xc-request-id">
              {r.id} · {r.resource}
            </p>
          </header>

          {done && <Notice testId="xc-request-done">{done}</Notice>}

          <section className="section panel" aria-labelledby="xc-req-meta">
            <h3 id="xc-req-meta">{t('xc.req.details')}</h3>
            <dl className="meta" data-testid="xc-request-meta">
              <Term label={t('xc.col.consumer')}>
                {orgName(r.consumerOrg)}
                {r.consumerSystem && <div className="sub">{t('xc.req.system', { system: r.consumerSystem })}</div>}
              </Term>
              <Term label={t('xc.col.provider')}>{orgName(r.providerOrg)}</Term>
              <Term label={t('xc.req.purpose')}>{r.purpose}</Term>
              <Term label={t('xc.req.legalBasis')}>{r.legalBasis}</Term>
              <Term label={t('xc.req.fields')} testId="xc-request-fields">
                {joinList(lang, r.fields.map(label))}
              </Term>
              <Term label={t('xc.req.callsPerDay')}>{f.number(r.expectedCallsPerDay)}</Term>
              <Term label={t('xc.req.requestedUntil')}>{f.day(r.requestedUntil)}</Term>
              <Term label={t('xc.col.submitted')}>{f.dateTime(r.submittedAt)}</Term>
              <Term label={t('xc.col.due')}>
                {f.day(r.dueAt)}
                {pending && <div className="sub">{r.overdue ? t('xc.overdue') : r.workingDaysLeft !== null ? t('xc.daysLeft', { count: r.workingDaysLeft }) : ''}</div>}
              </Term>
              {r.status === 'approved' && (
                <>
                  <Term label={t('xc.req.approvedFields')} testId="xc-approved-fields">
                    {joinList(lang, (r.approvedFields ?? []).map(label))}
                  </Term>
                  <Term label={t('xc.req.approvedUntil')}>{f.day(r.approvedUntil)}</Term>
                  <Term label={t('xc.req.rate')}>{r.rateLimitPerMinute === null ? '—' : t('xc.perMinute', { count: r.rateLimitPerMinute })}</Term>
                  <Term label={t('xc.req.channel')}>
                    {r.channelId ? (
                      <Link to="/department/channels" className="code" data-testid="xc-request-channel">
                        {r.channelId}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </Term>
                </>
              )}
              {r.reason && <Term label={r.status === 'refused' ? t('xc.req.refusedReason') : t('xc.req.reason')}>{r.reason}</Term>}
            </dl>
          </section>

          <section className="section" aria-labelledby="xc-req-steps">
            <h3 id="xc-req-steps">{t('xc.req.steps')}</h3>
            <Steps request={r} orgName={orgName} />
          </section>

          {pending && side === 'provider' && reviewsRequests(me) && (
            <div className="decision-grid">
              <section className="section panel" aria-labelledby="xc-approve-h">
                <h3 id="xc-approve-h">{t('xc.approve.title')}</h3>
                <ApproveForm request={r} choices={choices} onApproved={() => decided(t('xc.approve.done'))} />
              </section>
              <ReasonPanel kind="refuse" id={r.id} onDone={decided} />
            </div>
          )}
          {pending && side === 'provider' && !reviewsRequests(me) && <p className="note">{t('xc.req.adminDecides')}</p>}
          {pending && side === 'consumer' && <ReasonPanel kind="withdraw" id={r.id} onDone={decided} />}
        </>
      )}
    </div>
  );
}

/** The request's steps, oldest first, and while it is pending, the answer it waits for. */
function Steps({ request: r, orgName }: { request: SharingRequest; orgName: (code: string | null | undefined) => string }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  return (
    <ol className="timeline" data-testid="xc-steps">
      {(r.steps ?? []).map((s, i) => (
        <TimelineStep key={`${s.at}-${i}`} action={s.action} label={xcLabel(lang, 'step', s.action)} who={orgName(s.actorOrg)} at={s.at} note={s.note} testId="xc-step" />
      ))}
      {r.status === 'pending' && (
        <li className={`step step-waiting${r.overdue ? ' late' : ''}`} data-testid="xc-step-waiting">
          <div className="step-head">
            <strong>{t('xc.step.waiting', { provider: orgName(r.providerOrg) })}</strong>
            <span className="muted small">{t('xc.step.dueBy', { date: f.day(r.dueAt) })}</span>
          </div>
        </li>
      )}
    </ol>
  );
}

/** The provider's approval: which of the requested items, until when, how fast, and a note. */
function ApproveForm({ request: r, choices, onApproved }: { request: SharingRequest; choices: FieldChoice[]; onApproved: () => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const [fields, setFields] = useState<string[]>(r.fields);
  const [until, setUntil] = useState('');
  const [rate, setRate] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    if (fields.length === 0) {
      setMissing(true);
      return;
    }
    const body: ApproveBody = { fields };
    if (until) body.validUntil = until;
    if (rate.trim()) body.rateLimitPerMinute = Number(rate);
    if (note.trim()) body.note = note.trim();
    if (await action.run(() => api<SharingRequest>('POST', xcPaths.approve(r.id), body))) onApproved();
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="xc-approve-form" aria-busy={action.busy}>
      <p className="muted small">{t('xc.approve.help')}</p>
      <FieldChecks
        legend={t('xc.approve.fields')}
        fields={choices}
        selected={fields}
        onChange={(next) => {
          setFields(next);
          setMissing(false);
        }}
        disabled={action.busy}
        testId="xc-approve-fields"
      />
      {missing && (
        <p className="field-error" role="alert">
          {t('xc.form.chooseFields')}
        </p>
      )}
      <div className="form-grid">
        <label className="field">
          <span>{t('xc.approve.until')}</span>
          <input type="date" value={until} min={chinaDay(1)} max={r.requestedUntil} onChange={(e) => setUntil(e.target.value)} disabled={action.busy} data-testid="xc-approve-until" />
          <span className="hint">{t('xc.approve.untilHelp', { date: f.day(r.requestedUntil) })}</span>
        </label>
        <label className="field">
          <span>{t('xc.approve.rate')}</span>
          <input type="number" inputMode="numeric" min={1} max={1_000_000} step={1} value={rate} placeholder="600" onChange={(e) => setRate(e.target.value)} disabled={action.busy} data-testid="xc-approve-rate" />
          <span className="hint">{t('xc.approve.rateHelp')}</span>
        </label>
      </div>
      <label className="field">
        <span>{t('xc.approve.note')}</span>
        <textarea value={note} maxLength={1000} rows={2} onChange={(e) => setNote(e.target.value)} disabled={action.busy} data-testid="xc-approve-note" />
      </label>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="xc-approve-submit">
          {action.busy ? t('xc.sending') : t('xc.approve.submit', { count: fields.length })}
        </button>
      </div>
      {action.error && <ActionError title={t('xc.approve.failed')} error={action.error} testId="xc-approve-error" />}
    </form>
  );
}

/** How the two answers with a reason differ; their messages are `xc.<kind>.*`, their test ids `xc-<kind>-*`. */
const REASONED = {
  refuse: { minLength: 4, danger: true },
  withdraw: { minLength: 2, danger: false },
} as const;

/** The provider's refusal or the consumer's withdrawal, in a panel of its own; `onDone` gets what to confirm. */
function ReasonPanel({ kind, id, onDone }: { kind: keyof typeof REASONED; id: string; onDone: (message: string) => void }) {
  const { t } = useI18n();
  return (
    <section className="section panel" aria-labelledby={`xc-${kind}-h`}>
      <h3 id={`xc-${kind}-h`}>{t(`xc.${kind}.title`)}</h3>
      <ReasonForm
        path={xcPaths[kind](id)}
        label={t('xc.form.reason')}
        {...REASONED[kind]}
        help={t(`xc.${kind}.help`)}
        submit={t(`xc.${kind}.submit`)}
        failed={t(`xc.${kind}.failed`)}
        testId={`xc-${kind}`}
        onDone={() => onDone(t(`xc.${kind}.done`))}
      />
    </section>
  );
}
