// Conditional opening (有条件开放) on the portal: a developer applies on a conditional dataset's
// page (purpose, scenario, the security undertaking) and follows the application under
// "Applications": its timeline, a resubmission when it is returned, the agreement that yields the
// dataset's key (shown once), the key's use. The portal's operators check completeness, the
// providing department approves or refuses, and either revokes. The server decides who may do
// what; these pages offer each side only the step that is theirs.
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat, type Formatters } from './format';
import { useI18n, type MessageKey } from './i18n';
import {
  datasetPath,
  odPaths,
  OPEN_PATH,
  type AgreedApplication,
  type Application,
  type ApplicationDecisionBody,
  type ApplicationStatus,
  type Dataset,
  type NewApplicationBody,
  type OpenDataAbilities,
  type PortalOrg,
} from './od-api';
import { KeySecret } from './od-keys';
import { Link } from './router';
import { ActionError, ListTable, LoadedSection, LoadState, Notice, Term, TimelineStep } from './ui';
import { useAction, within } from './xc-api';
import { OverdueBadge, ReasonForm } from './xc-parts';

/** Where the applications tab lives. */
export const APPLICATIONS_PATH = `${OPEN_PATH}/applications`;

type Translate = ReturnType<typeof useI18n>['t'];

/** Every status, in the order an application goes through them. */
const STATUSES: readonly ApplicationStatus[] = ['submitted', 'returned', 'checked', 'approved', 'refused', 'revoked', 'expired'];
/** Statuses in which the applicant cannot apply for the same dataset again. */
const IN_PROGRESS: readonly ApplicationStatus[] = ['submitted', 'returned', 'checked'];
/** Days an application asks for unless the applicant says otherwise (the server allows 1–366). */
const DEFAULT_DAYS = 90;

/** A portal organisation's name by its code, in the reader's language, or `fallback` (by default the code) when it publishes nothing. */
type OrgName = (code: string | null, fallback?: string) => string;

/** The names of the portal's publishing organisations (the list is public, unlike the directory of all organisations). */
function useOrgName(): OrgName {
  const { lang } = useI18n();
  const orgs = useApiGet<PortalOrg[]>(odPaths.organizations);
  return (code, fallback = code ?? '—') => {
    const org = code ? orgs.data?.find((o) => o.code === code) : undefined;
    return org ? (lang === 'en' ? org.nameEn : org.name) : fallback;
  };
}

/** An application's status as a coloured pill. */
function StatusPill({ status, testId }: { status: ApplicationStatus; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`pill od-app-${status}`} data-testid={testId}>
      {t(`od.app.status.${status}` as MessageKey)}
    </span>
  );
}

// ------------------------------------------------------------------ the dataset page

/**
 * On a conditional dataset's page: for a developer, the application in progress (or approved) for
 * it, else the form to apply; signed out, a way to sign in; for others nothing.
 */
export function ApplyPanel({ dataset: d, me, abilities }: { dataset: Dataset; me: Me | null; abilities: OpenDataAbilities }) {
  const { t } = useI18n();
  if (d.openType !== 'conditional' || d.status !== 'published') return null;
  if (!me) {
    return (
      <section className="section panel" aria-labelledby="od-apply-h" data-testid="od-apply">
        <h3 id="od-apply-h">{t('od.app.applyTitle')}</h3>
        <p className="muted small">{t('od.app.signInText')}</p>
        <div className="form-actions">
          <Link to="/login" className="button primary" data-testid="od-apply-sign-in">
            {t('od.app.signIn')}
          </Link>
        </div>
      </section>
    );
  }
  return abilities.develop ? <DeveloperApply dataset={d} /> : null;
}

function DeveloperApply({ dataset: d }: { dataset: Dataset }) {
  const { t } = useI18n();
  const mine = useApiGet<Application[]>(odPaths.myApplications);
  const [sent, setSent] = useState(false);
  // Newest first: the application that stands for this dataset, and the last one that ended.
  const forThis = (mine.data ?? []).filter((a) => a.dataset.id === d.id);
  const current = forThis.find((a) => IN_PROGRESS.includes(a.status) || a.status === 'approved');
  const ended = current ? undefined : forThis[0];
  return (
    <section className="section panel" aria-labelledby="od-apply-h" data-testid="od-apply">
      <h3 id="od-apply-h">{t('od.app.applyTitle')}</h3>
      {mine.data === undefined ? (
        <LoadState loaded={mine} />
      ) : current ? (
        <>
          {sent && <Notice testId="od-apply-done">{t('od.app.applied')}</Notice>}
          <CurrentApplication application={current} />
        </>
      ) : (
        <>
          <p className="muted small">{t('od.app.applyHelp')}</p>
          {ended && (
            <p className="note" data-testid="od-apply-previous">
              {t('od.app.previous', { status: t(`od.app.status.${ended.status}` as MessageKey) })}
              {ended.reason && (ended.status === 'refused' || ended.status === 'revoked') && ` ${t('od.app.reasonWas', { reason: ended.reason })}`}
            </p>
          )}
          <ApplyForm
            datasetId={d.id}
            onApplied={() => {
              setSent(true);
              mine.reload();
            }}
          />
        </>
      )}
    </section>
  );
}

/** The application standing for a dataset: where it is, and the way to the full timeline. */
function CurrentApplication({ application: a }: { application: Application }) {
  const { t } = useI18n();
  const f = useFormat();
  return (
    <div className="od-app-current" data-testid="od-apply-current" data-id={a.id} data-status={a.status}>
      <p>
        <StatusPill status={a.status} testId="od-apply-status" /> <span className="muted small">{t('od.app.submittedOn', { time: f.dateTime(a.submittedAt) })}</span>
      </p>
      <p className="small" data-testid="od-apply-next">
        {nextStepText(a, t, f.day)}
      </p>
      <Link to={APPLICATIONS_PATH} className="button small" data-testid="od-apply-open">
        {t('od.app.openTimeline')}
      </Link>
    </div>
  );
}

/** What happens next to an application, in a sentence. */
function nextStepText(a: Application, t: Translate, day: Formatters['day']): string {
  switch (a.status) {
    case 'submitted':
      return t(a.checkOverdue ? 'od.app.next.submittedLate' : 'od.app.next.submitted', { date: day(a.checkDue) });
    case 'returned':
      return t('od.app.next.returned');
    case 'checked':
      return t('od.app.next.checked');
    case 'approved':
      return a.keyIssued ? t('od.app.next.approvedKey', { date: day(a.validUntil) }) : t('od.app.next.approved');
    default:
      return t(`od.app.status.${a.status}` as MessageKey);
  }
}

function ApplyForm({ datasetId, onApplied }: { datasetId: string; onApplied: () => void }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState('');
  const [scenario, setScenario] = useState('');
  const [days, setDays] = useState(String(DEFAULT_DAYS));
  const [accepted, setAccepted] = useState(false);
  const action = useAction();
  const undertaking = t('od.app.undertakingText');

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    // The undertaking signed is the text the applicant read, in the language it was shown in.
    // Unticked, the box stops the form; were it sent anyway, the server refuses it (400) and says so here.
    const body: Omit<NewApplicationBody, 'acceptUndertaking'> & { acceptUndertaking: boolean } = { purpose: purpose.trim(), scenario: scenario.trim(), undertaking, acceptUndertaking: accepted, requestedDays: Number(days) };
    if (await action.run(() => api<Application>('POST', odPaths.apply(datasetId), body))) onApplied();
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="od-apply-form" aria-busy={action.busy}>
      <label className="field">
        <span>{t('od.app.purpose')}</span>
        <textarea value={purpose} required minLength={4} maxLength={1000} rows={2} placeholder={t('od.app.purposePlaceholder')} onChange={(e) => setPurpose(e.target.value)} disabled={action.busy} data-testid="od-apply-purpose" />
      </label>
      <label className="field">
        <span>{t('od.app.scenario')}</span>
        <textarea value={scenario} required minLength={4} maxLength={2000} rows={3} placeholder={t('od.app.scenarioPlaceholder')} onChange={(e) => setScenario(e.target.value)} disabled={action.busy} data-testid="od-apply-scenario" />
      </label>
      <label className="field od-days">
        <span>{t('od.app.days')}</span>
        <input type="number" value={days} required min={1} max={366} step={1} onChange={(e) => setDays(e.target.value)} disabled={action.busy} data-testid="od-apply-days" />
        <span className="hint">{t('od.app.daysHelp')}</span>
      </label>
      <fieldset className="field-checks od-undertaking">
        <legend>{t('od.app.undertaking')}</legend>
        <p className="od-undertaking-text" data-testid="od-apply-undertaking">
          {undertaking}
        </p>
        <label className="field-check">
          <input type="checkbox" checked={accepted} required onChange={(e) => setAccepted(e.target.checked)} disabled={action.busy} data-testid="od-apply-accept" />
          <span>{t('od.app.accept')}</span>
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="od-apply-submit">
          {action.busy ? t('xc.sending') : t('od.app.submit')}
        </button>
      </div>
      {action.error && <ActionError title={t('od.app.applyFailed')} error={action.error} testId="od-apply-error" />}
    </form>
  );
}

// ------------------------------------------------------------------ the applications tab

/** The applications tab: a developer's own applications, and for departments and operators those they handle. */
export function ApplicationsPage({ me, abilities }: { me: Me; abilities: OpenDataAbilities }) {
  return (
    <>
      {abilities.develop && <MyApplications />}
      {abilities.publish && <ManagedApplications me={me} abilities={abilities} />}
    </>
  );
}

function MyApplications() {
  const { t } = useI18n();
  const f = useFormat();
  const list = useApiGet<Application[]>(odPaths.myApplications);
  const orgName = useOrgName();
  // The key of an agreement just accepted: in this page's state only, shown this once.
  const [issued, setIssued] = useState<AgreedApplication | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <LoadedSection headingId="od-apps-mine-h" title={t('od.app.mine')} help={t('od.app.mineHelp')} loaded={list} refreshTestId="od-apps-refresh">
      {(items) => (
        <ApplicationList items={items} side="applicant" orgName={orgName} done={done} empty={t('od.app.mineNone')} testId="od-apps">
          {(a) => (
            <>
              {a.status === 'returned' && (
                <ResubmitForm
                  application={a}
                  onDone={() => {
                    setDone(t('od.app.resubmitted', { title: a.dataset.title }));
                    list.reload();
                  }}
                />
              )}
              {issued?.id === a.id ? (
                <KeySecret
                  secret={issued.key}
                  keyId={issued.key.split('_')[1] ?? ''}
                  lead={t('od.app.secretLead', { title: a.dataset.title, date: f.day(issued.validUntil) })}
                  example={`curl -H 'X-API-Key: ${issued.key}' \\\n  '${window.location.origin}${odPaths.records(a.dataset.id, { limit: 20 })}'`}
                  onDone={() => setIssued(null)}
                />
              ) : (
                a.status === 'approved' &&
                !a.keyIssued && (
                  <AgreementForm
                    application={a}
                    onAccepted={(out) => {
                      setDone(null);
                      setIssued(out);
                      list.reload();
                    }}
                  />
                )
              )}
            </>
          )}
        </ApplicationList>
      )}
    </LoadedSection>
  );
}

function ManagedApplications({ me, abilities }: { me: Me; abilities: OpenDataAbilities }) {
  const { t } = useI18n();
  const list = useApiGet<Application[]>(odPaths.managedApplications);
  const orgName = useOrgName();
  const [status, setStatus] = useState<ApplicationStatus | ''>('');
  const [done, setDone] = useState<string | null>(null);
  const provides = (a: Application) => within(a.providerOrg, me.org?.code);
  const acted = (message: string) => {
    setDone(message);
    list.reload();
  };
  return (
    <LoadedSection
      headingId="od-apps-manage-h"
      title={abilities.review ? t('od.app.all') : t('od.app.ours')}
      help={t('od.app.manageHelp')}
      tools={
        <label className="field inline">
          <span>{t('xc.col.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as ApplicationStatus | '')} data-testid="od-apps-filter">
            <option value="">{t('xc.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`od.app.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      }
      loaded={list}
      refreshTestId="od-apps-manage-refresh"
    >
      {(items) => (
        <ApplicationList items={status ? items.filter((a) => a.status === status) : items} side="manage" orgName={orgName} done={done} empty={t('od.app.manageNone')} testId="od-apps-manage">
          {(a) => (
            <>
              {a.status === 'submitted' && (abilities.review ? <DecisionForm application={a} step="check" onDone={acted} /> : <p className="note">{t('od.app.operatorsCheck')}</p>)}
              {a.status === 'checked' && (provides(a) ? <DecisionForm application={a} step="decide" onDone={acted} /> : <p className="note">{t('od.app.providerDecides', { provider: orgName(a.providerOrg) })}</p>)}
              {a.status === 'approved' && (provides(a) || abilities.review) && <RevokePanel application={a} onDone={() => acted(t('od.app.revoked', { title: a.dataset.title }))} />}
            </>
          )}
        </ApplicationList>
      )}
    </LoadedSection>
  );
}

/** The notice of the last action (`<testId>-done`), then the applications as cards, each with its `children` (the actions), or `empty`. */
function ApplicationList({
  items,
  side,
  orgName,
  done,
  empty,
  testId,
  children: actions,
}: {
  items: readonly Application[];
  side: 'applicant' | 'manage';
  orgName: OrgName;
  done: string | null;
  empty: string;
  testId: string;
  children: (a: Application) => ReactNode;
}) {
  return (
    <>
      {done && <Notice testId={`${testId}-done`}>{done}</Notice>}
      {items.length === 0 ? (
        <p className="empty" data-testid={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        <ul className="od-apps" data-testid={testId}>
          {items.map((a) => (
            <ApplicationCard key={a.id} application={a} side={side} orgName={orgName}>
              {actions(a)}
            </ApplicationCard>
          ))}
        </ul>
      )}
    </>
  );
}

/** One application as both sides see it: what was asked, its steps, the key's use; `children` are the actions. */
function ApplicationCard({ application: a, side, orgName, children }: { application: Application; side: 'applicant' | 'manage'; orgName: OrgName; children?: ReactNode }) {
  const { t } = useI18n();
  const f = useFormat();
  const showsReason = a.reason && (a.status === 'returned' || a.status === 'refused' || a.status === 'revoked');
  return (
    <li className="panel od-app" data-testid="od-app" data-id={a.id} data-status={a.status}>
      <header className="od-app-head">
        <Link to={datasetPath(a.dataset.id)} className="resource-link" data-testid="od-app-dataset">
          {a.dataset.title}
        </Link>
        <StatusPill status={a.status} testId="od-app-status" />
        {a.checkOverdue && <OverdueBadge />}
        <span className="code muted small">{a.id}</span>
      </header>
      <dl className="meta" data-testid="od-app-meta">
        {side === 'manage' && <Term label={t('od.app.applicant')}>{a.applicant}</Term>}
        <Term label={t('od.app.provider')}>{orgName(a.providerOrg)}</Term>
        <Term label={t('od.app.submitted')}>{f.dateTime(a.submittedAt)}</Term>
        <Term label={t('od.app.days')}>{t('od.app.daysValue', { count: a.requestedDays })}</Term>
        {a.status === 'submitted' && (
          <Term label={t('od.app.checkDue')} testId="od-app-due">
            {f.day(a.checkDue)}
            {a.checkOverdue && <div className="sub">{t('xc.overdue')}</div>}
          </Term>
        )}
        {a.validUntil && (
          <Term label={t('od.app.validUntil')} testId="od-app-valid">
            {f.day(a.validUntil)}
          </Term>
        )}
        {showsReason && (
          <Term label={t(`od.app.reason.${a.status as 'returned' | 'refused' | 'revoked'}`)} testId="od-app-reason">
            {a.reason}
          </Term>
        )}
        <Term label={t('od.app.purpose')}>{a.purpose}</Term>
        <Term label={t('od.app.scenario')}>{a.scenario}</Term>
      </dl>
      <details className="od-app-undertaking">
        <summary>{t('od.app.undertakingSigned')}</summary>
        <p className="od-undertaking-text">{a.undertaking}</p>
      </details>
      <h4>{t('od.app.timeline')}</h4>
      <Timeline application={a} orgName={orgName} />
      {children}
      {a.keyIssued && <Usage application={a} />}
    </li>
  );
}

/** The step an application waits for, when it waits for one (whose it is, and by when). */
function waitingFor(a: Application, orgName: OrgName, t: Translate, day: Formatters['day']): string | null {
  switch (a.status) {
    case 'submitted':
      return t('od.app.wait.check', { date: day(a.checkDue) });
    case 'returned':
      return t('od.app.wait.resubmit');
    case 'checked':
      return t('od.app.wait.decide', { provider: orgName(a.providerOrg) });
    case 'approved':
      return a.keyIssued ? null : t('od.app.wait.agreement');
    default:
      return null;
  }
}

/** Every step, oldest first: what, who (and for whom), when, the note; then the step it waits for. */
function Timeline({ application: a, orgName }: { application: Application; orgName: OrgName }) {
  const { t } = useI18n();
  const f = useFormat();
  const waiting = waitingFor(a, orgName, t, f.day);
  return (
    <ol className="timeline" data-testid="od-app-steps">
      {a.steps.map((s, i) => (
        <TimelineStep
          key={`${s.at}-${i}`}
          action={s.action}
          tone={stepTone(s.action)}
          label={t(`od.app.step.${s.action}` as MessageKey)}
          // The applicant's organisation publishes nothing, so has no name here: the person says enough.
          who={s.actorOrg && orgName(s.actorOrg, '') ? `${s.actor} · ${orgName(s.actorOrg, '')}` : s.actor}
          at={s.at}
          note={s.note}
          testId="od-app-step"
        />
      ))}
      {waiting && (
        <li className={`step step-waiting${a.checkOverdue ? ' late' : ''}`} data-testid="od-app-waiting">
          <div className="step-head">
            <strong>{waiting}</strong>
          </div>
        </li>
      )}
    </ol>
  );
}

/** The timeline's colour of a step: approvals green, refusals and revocations red. */
function stepTone(action: string): string {
  if (action === 'approved' || action === 'checked_complete' || action === 'agreement_accepted') return 'approved';
  if (action === 'refused' || action === 'revoked' || action === 'returned') return 'refused';
  return action;
}

/** The key's use per day, newest first, as both sides see it. */
function Usage({ application: a }: { application: Application }) {
  const { t } = useI18n();
  const f = useFormat();
  const days = [...a.usage].sort((x, y) => y.day.localeCompare(x.day));
  const total = a.usage.reduce((sum, u) => sum + u.calls + u.downloads, 0);
  return (
    <div className="od-app-usage" data-testid="od-app-usage">
      <h4>
        {t('od.app.usage')} <span className="muted small" data-testid="od-app-usage-total">{t('od.app.usageTotal', { count: f.number(total) })}</span>
      </h4>
      <ListTable rows={days} columns={[t('od.keys.day'), { label: t('od.fig.apiCalls'), num: true }, { label: t('od.fig.downloads'), num: true }]} compact empty={t('od.keys.noUsage')}>
        {(u) => (
          <tr key={u.day} data-testid="od-app-usage-row">
            <td className="nowrap">{f.day(u.day)}</td>
            <td className="num">{f.number(u.calls)}</td>
            <td className="num">{f.number(u.downloads)}</td>
          </tr>
        )}
      </ListTable>
    </div>
  );
}

// ------------------------------------------------------------------ the applicant's steps

/** A returned application, corrected: purpose and scenario as they were, to change and send again. */
function ResubmitForm({ application: a, onDone }: { application: Application; onDone: () => void }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState(a.purpose);
  const [scenario, setScenario] = useState(a.scenario);
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    const body = { ...(purpose.trim() !== a.purpose ? { purpose: purpose.trim() } : {}), ...(scenario.trim() !== a.scenario ? { scenario: scenario.trim() } : {}) };
    if (await action.run(() => api<Application>('POST', odPaths.resubmit(a.id), body))) onDone();
  }

  return (
    <form className="form od-app-action" onSubmit={(e) => void submit(e)} data-testid="od-resubmit-form" aria-busy={action.busy}>
      <h4>{t('od.app.resubmitTitle')}</h4>
      <label className="field">
        <span>{t('od.app.purpose')}</span>
        <textarea value={purpose} required minLength={4} maxLength={1000} rows={2} onChange={(e) => setPurpose(e.target.value)} disabled={action.busy} data-testid="od-resubmit-purpose" />
      </label>
      <label className="field">
        <span>{t('od.app.scenario')}</span>
        <textarea value={scenario} required minLength={4} maxLength={2000} rows={3} onChange={(e) => setScenario(e.target.value)} disabled={action.busy} data-testid="od-resubmit-scenario" />
      </label>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="od-resubmit-submit">
          {action.busy ? t('xc.sending') : t('od.app.resubmit')}
        </button>
      </div>
      {action.error && <ActionError title={t('od.app.resubmitFailed')} error={action.error} testId="od-resubmit-error" />}
    </form>
  );
}

/** The agreement of an approved application: its terms, then accepting them issues the key. */
function AgreementForm({ application: a, onAccepted }: { application: Application; onAccepted: (out: AgreedApplication) => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    const out = await action.run(() => api<AgreedApplication>('POST', odPaths.agreement(a.id)));
    if (out) onAccepted(out);
  }

  return (
    <form className="form od-app-action" onSubmit={(e) => void submit(e)} data-testid="od-agreement-form" aria-busy={action.busy}>
      <h4>{t('od.app.agreementTitle')}</h4>
      <ul className="od-agreement-terms" data-testid="od-agreement-terms">
        <li>{t('od.app.term.scope', { title: a.dataset.title })}</li>
        <li>{t('od.app.term.until', { date: f.day(a.validUntil) })}</li>
        <li>{t('od.app.term.usage')}</li>
        <li>{t('od.app.term.revoke')}</li>
      </ul>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="od-agreement-accept">
          {action.busy ? t('xc.sending') : t('od.app.agreementAccept')}
        </button>
      </div>
      {action.error && <ActionError title={t('od.app.agreementFailed')} error={action.error} testId="od-agreement-error" />}
    </form>
  );
}

// ------------------------------------------------------------------ the portal's and the provider's steps

/** The two decisions on an application, each a yes or a no with a note: their paths, words and test ids. */
const DECISIONS = {
  check: {
    path: odPaths.checkApplication,
    title: 'od.app.checkTitle',
    placeholder: 'od.app.checkNotePlaceholder',
    yes: 'od.app.checkPass',
    no: 'od.app.checkReturn',
    failed: 'od.app.checkFailed',
    yesDone: 'od.app.checkPassed',
    noDone: 'od.app.checkReturned',
  },
  decide: {
    path: odPaths.decideApplication,
    title: 'od.app.decideTitle',
    placeholder: 'od.app.decideNotePlaceholder',
    yes: 'od.app.approve',
    no: 'od.app.refuse',
    failed: 'od.app.decideFailed',
    yesDone: 'od.app.approved',
    noDone: 'od.app.refused',
  },
} as const;

/**
 * The completeness check (`check`: on to the provider, or back to the applicant saying what is
 * missing) or the provider's decision (`decide`: approve for the days asked or fewer, or refuse
 * with a reason). The note a "no" needs is the server's rule: its refusal is shown here.
 */
function DecisionForm({ application: a, step, onDone }: { application: Application; step: keyof typeof DECISIONS; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const words = DECISIONS[step];
  const [days, setDays] = useState(String(a.requestedDays));
  const [note, setNote] = useState('');
  const action = useAction();

  async function send(approve: boolean): Promise<void> {
    if (action.busy) return;
    const body: ApplicationDecisionBody = { approve, ...(note.trim() ? { note: note.trim() } : {}), ...(step === 'decide' && approve && days.trim() ? { days: Number(days) } : {}) };
    if (await action.run(() => api<Application>('POST', words.path(a.id), body))) onDone(t(approve ? words.yesDone : words.noDone, { title: a.dataset.title }));
  }

  return (
    <form className="form od-app-action" onSubmit={(e) => e.preventDefault()} data-testid={`od-${step}-form`} aria-busy={action.busy}>
      <h4>{t(words.title)}</h4>
      <p className="muted small">
        {step === 'check' ? t(a.checkOverdue ? 'od.app.checkHelpLate' : 'od.app.checkHelp', { date: f.day(a.checkDue) }) : t('od.app.decideHelp', { count: a.requestedDays })}
      </p>
      {step === 'decide' && (
        <label className="field od-days">
          <span>{t('od.app.validDays')}</span>
          <input type="number" value={days} min={1} max={a.requestedDays} step={1} onChange={(e) => setDays(e.target.value)} disabled={action.busy} data-testid="od-decide-days" />
        </label>
      )}
      <label className="field">
        <span>{t('od.app.note')}</span>
        <textarea value={note} maxLength={1000} rows={2} placeholder={t(words.placeholder)} onChange={(e) => setNote(e.target.value)} disabled={action.busy} data-testid={`od-${step}-note`} />
      </label>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={() => void send(true)} disabled={action.busy} data-testid={`od-${step}-yes`}>
          {t(words.yes)}
        </button>
        <button type="button" className={`button${step === 'decide' ? ' danger' : ''}`} onClick={() => void send(false)} disabled={action.busy} data-testid={`od-${step}-no`}>
          {t(words.no)}
        </button>
      </div>
      {action.error && <ActionError title={t(words.failed)} error={action.error} testId={`od-${step}-error`} />}
    </form>
  );
}

/** Revoking an approval, behind a button: its key is refused from the next call on. */
function RevokePanel({ application: a, onDone }: { application: Application; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <div className="form-actions od-app-action">
        <button type="button" className="button small danger" onClick={() => setOpen(true)} data-testid="od-revoke-open">
          {t('od.app.revoke')}
        </button>
      </div>
    );
  }
  return (
    <div className="od-app-action">
      <ReasonForm
        path={odPaths.revokeApplication(a.id)}
        label={t('od.app.revokeReason')}
        minLength={2}
        help={t('od.app.revokeHelp')}
        submit={t('od.app.revokeConfirm')}
        failed={t('od.app.revokeFailed')}
        testId="od-revoke"
        danger
        onCancel={() => setOpen(false)}
        onDone={onDone}
      />
    </div>
  );
}
