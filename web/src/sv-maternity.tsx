// The maternity-insurance quick claim (生育险快速申领): the parent's phone-sized page (declare
// spouse, child and social-security card account, consent to exactly four checks; see status,
// amount and which checks failed; correct the account), the healthcare security bureau's
// queue (claims in review naming the failed checks; approve after a paper proof, or reject), and
// its allowance rules (its administrator sets the next version).
import { useState, type FormEvent } from 'react';
import { api, may, type Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n, type Lang, type MessageKey } from './i18n';
import { labelIn } from './sb-api';
import { ResultPill } from './sb-parts';
import { ActionError, LoadedSection, LoadState, Notice } from './ui';
import { useAction, within } from './xc-api';
import type { Claim, ClaimChecks } from '../../src/modules/maternity';
import { joinList } from './xc-parts';

/** The maternity claim API. */
export const mtPaths = {
  checks: '/api/maternity/checks',
  claims: '/api/maternity/claims',
  account: (id: string) => `/api/maternity/claims/${encodeURIComponent(id)}/account`,
  decision: (id: string) => `/api/maternity/claims/${encodeURIComponent(id)}/decision`,
  queue: (status: QueueStatus) => `/api/maternity/queue?status=${status}`,
  rules: '/api/maternity/rules',
};

type QueueStatus = 'pending_review' | 'approved' | 'rejected' | 'all';
const QUEUE_STATUSES: readonly QueueStatus[] = ['pending_review', 'approved', 'rejected', 'all'];

const YUAN: Record<Lang, Intl.NumberFormat> = {
  'zh-CN': new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY' }),
};

/** An amount in fen as yuan, in the reader's language. */
function money(lang: Lang, fen: number): string {
  return YUAN[lang].format(fen / 100);
}

/** The parent's page (a tab of the citizen portal): a new claim, and the claims filed. */
export function MaternityClaimPage(_props: { me: Me; rest: readonly string[] }) {
  const { t } = useI18n();
  const claims = useApiGet<Claim[]>(mtPaths.claims);
  const checks = useApiGet<ClaimChecks>(mtPaths.checks);
  const [filing, setFiling] = useState(false);
  return (
    <div className="mt-phone" data-testid="mt-page">
      <LoadedSection headingId="mt-claims-h" title={t('mt.title')} help={t('mt.help')} loaded={claims} refreshTestId="mt-refresh">
        {(items) => (
          <>
            {items.length === 0 && !filing && <p className="muted">{t('mt.none')}</p>}
            <ul className="mt-claims" data-testid="mt-claims">
              {items.map((c) => (
                <li key={c.id}>
                  <ClaimCard claim={c} onChanged={claims.reload} />
                </li>
              ))}
            </ul>
            {!filing && (
              <button type="button" className="button primary mt-wide" onClick={() => setFiling(true)} data-testid="mt-new">
                {t('mt.new')}
              </button>
            )}
          </>
        )}
      </LoadedSection>
      {filing && checks.data && (
        <section className="section panel" aria-labelledby="mt-form-h">
          <h2 id="mt-form-h">{t('mt.new')}</h2>
          <ClaimForm
            checks={checks.data}
            onCancel={() => setFiling(false)}
            onFiled={() => {
              setFiling(false);
              claims.reload();
            }}
          />
        </section>
      )}
    </div>
  );
}

/** The claim form: three declarations, the birth, and consent to exactly the listed checks. */
function ClaimForm({ checks, onFiled, onCancel }: { checks: ClaimChecks; onFiled: (claim: Claim) => void; onCancel: () => void }) {
  const { lang, t } = useI18n();
  const [spouse, setSpouse] = useState('');
  const [child, setChild] = useState('');
  const [account, setAccount] = useState('');
  const [difficultBirth, setDifficultBirth] = useState(false);
  const [babies, setBabies] = useState(1);
  const [consent, setConsent] = useState(false);
  const [tried, setTried] = useState(false);
  const action = useAction();
  const r = checks.rules;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setTried(true);
    if (action.busy || !consent || !isAccountNumber(account)) return;
    const filed = await action.run(() => api<Claim>('POST', mtPaths.claims, { spouse, child, account, difficultBirth, babies, consent: true }));
    if (filed) onFiled(filed);
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="mt-form" aria-busy={action.busy}>
      <label className="field">
        <span>{t('mt.spouse')}</span>
        <input value={spouse} onChange={(e) => setSpouse(e.target.value)} required minLength={18} maxLength={18} autoComplete="off" disabled={action.busy} data-testid="mt-spouse" />
      </label>
      <label className="field">
        <span>{t('mt.child')}</span>
        <input value={child} onChange={(e) => setChild(e.target.value)} required minLength={18} maxLength={18} autoComplete="off" disabled={action.busy} data-testid="mt-child" />
        <span className="hint">{t('mt.childHelp', { days: r.claimWithinDays })}</span>
      </label>
      <AccountField label={t('mt.account')} hint={t('mt.accountHelp')} value={account} onChange={setAccount} disabled={action.busy} testId="mt-account" showFormat={tried} />
      <label className="field">
        <span>{t('mt.babies')}</span>
        <select value={babies} onChange={(e) => setBabies(Number(e.target.value))} disabled={action.busy} data-testid="mt-babies">
          {[1, 2, 3, 4].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="mt-check">
        <input type="checkbox" checked={difficultBirth} onChange={(e) => setDifficultBirth(e.target.checked)} disabled={action.busy} data-testid="mt-difficult" />
        <span>{t('mt.difficult')}</span>
      </label>
      <p className="muted small" data-testid="mt-formula">
        {t('mt.formula', { year: r.wageYear, wage: money(lang, r.avgMonthlyWageFen), base: r.baseDays, difficult: r.difficultBirthDays, extra: r.extraBabyDays })}
      </p>
      <fieldset className="field-checks mt-consent">
        <legend>{t('mt.consentTitle')}</legend>
        <ul data-testid="mt-checks">
          {checks.checks.map((c) => (
            <li key={c.template}>{labelIn(lang, c.name, c.template)}</li>
          ))}
        </ul>
        <p className="small">{t('mt.consentText', { months: r.minMonths, window: r.windowMonths })}</p>
        <label className="mt-check">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} disabled={action.busy} data-testid="mt-consent" />
          <span>{t('mt.consent')}</span>
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy || !consent} data-testid="mt-submit">
          {action.busy ? t('mt.checking') : t('mt.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          {t('mt.cancel')}
        </button>
      </div>
      {action.error && <ActionError title={t('mt.failed')} error={action.error} testId="mt-error" />}
    </form>
  );
}

/** The check of the account, the one a parent may correct. */
const ACCOUNT_CHECK = 'si.bank_account_is';

/** Whether an account number has the form the server takes: 12–30 digits, spaces allowed. */
const isAccountNumber = (value: string) => /^\d{12,30}$/.test(value.replace(/\s+/g, ''));

/** A social-security card account number: digits, on a phone's number pad; its form is checked before it is sent. */
function AccountField({ label, hint, value, onChange, disabled, testId, showFormat }: { label: string; hint: string; value: string; onChange: (value: string) => void; disabled: boolean; testId: string; showFormat: boolean }) {
  const { t } = useI18n();
  const wrong = showFormat && !isAccountNumber(value);
  return (
    <label className="field">
      <span>{label}</span>
      <input value={value} onChange={(e) => onChange(e.target.value)} required inputMode="numeric" autoComplete="off" disabled={disabled} aria-invalid={wrong || undefined} data-testid={testId} />
      <span className="hint">{hint}</span>
      {wrong && (
        <span className="field-error" role="alert" data-testid={`${testId}-format`}>
          {t('mt.accountFormat')}
        </span>
      )}
    </label>
  );
}

const STATUS_LABEL: Record<Claim['status'], MessageKey> = {
  verifying: 'mt.status.verifying',
  approved: 'mt.status.approved',
  pending_review: 'mt.status.pending_review',
  rejected: 'mt.status.rejected',
};

/** One claim: status, amount, each check's result, the decision; the parent may correct a failed account, a handler decides. */
function ClaimCard({ claim, onChanged, handler = false }: { claim: Claim; onChanged: () => void; handler?: boolean }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const failed = claim.checks.filter((c) => c.result !== 'match');
  return (
    <article className="card mt-card" data-testid="mt-claim" data-id={claim.id} data-status={claim.status}>
      <header className="mt-card-head">
        <span className={`pill mt-${claim.status}`} data-testid="mt-status">
          {t(STATUS_LABEL[claim.status])}
        </span>
        <span className="code muted small">{claim.id}</span>
      </header>
      {claim.amountFen !== null ? (
        <p className="mt-amount" data-testid="mt-amount">
          {money(lang, claim.amountFen)}
        </p>
      ) : (
        claim.status === 'pending_review' && <p className="small">{t(handler ? 'mt.review.help' : 'mt.inReview')}</p>
      )}
      <p className="muted small" data-testid="mt-allowance">
        {t('mt.allowance', { year: claim.allowance.wageYear, wage: money(lang, claim.allowance.avgMonthlyWageFen), days: claim.allowance.leaveDays, amount: money(lang, claim.allowance.amountFen) })}
      </p>
      <dl className="mt-facts small">
        {handler && (
          <>
            <dt>{t('mt.applicant')}</dt>
            <dd>
              {claim.applicant} · <span className="code">{claim.applicantId}</span>
            </dd>
          </>
        )}
        <dt>{t('mt.spouse')}</dt>
        <dd className="code">{claim.spouse}</dd>
        <dt>{t('mt.child')}</dt>
        <dd className="code">{claim.child}</dd>
        <dt>{t('mt.account')}</dt>
        <dd className="code">{claim.account}</dd>
        <dt>{t('mt.submitted')}</dt>
        <dd>{f.dateTime(claim.submittedAt)}</dd>
      </dl>
      <ul className="mt-checks" data-testid="mt-claim-checks">
        {claim.checks.map((c) => (
          <li key={c.template} data-template={c.template} data-result={c.result}>
            <span>{labelIn(lang, c.name, c.template)}</span> <ResultPill result={c.result === 'refused' ? null : c.result} />
          </li>
        ))}
      </ul>
      {failed.length > 0 && (
        <p className="small" data-testid="mt-failed">
          {t('mt.failedChecks', { checks: joinList(lang, failed.map((c) => labelIn(lang, c.name, c.template))) })}
        </p>
      )}
      {claim.decidedAt && (
        <p className="small" data-testid="mt-decision">
          {t('mt.decided', { by: claim.decidedBy ?? '—', at: f.dateTime(claim.decidedAt), note: claim.note ?? '' })}
        </p>
      )}
      {!handler && claim.canCorrectAccount && <AccountForm claim={claim} onDone={onChanged} />}
      {handler && claim.status === 'pending_review' && <DecisionForm claim={claim} onDone={onChanged} />}
    </article>
  );
}

/** The parent gives the account again when its check failed (a third distinct number is refused). */
function AccountForm({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { t } = useI18n();
  const [account, setAccount] = useState('');
  const [tried, setTried] = useState(false);
  // The account just given did not match either: say so, since the claim looks as it did.
  const [stillNoMatch, setStillNoMatch] = useState(false);
  const action = useAction();
  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setTried(true);
    if (action.busy || !isAccountNumber(account)) return;
    setStillNoMatch(false);
    const checked = await action.run(() => api<Claim>('POST', mtPaths.account(claim.id), { account }));
    if (!checked) return;
    if (checked.failed.includes(ACCOUNT_CHECK)) {
      setStillNoMatch(true);
      setAccount('');
      setTried(false);
    }
    onDone();
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="mt-account-form" aria-busy={action.busy} noValidate>
      <AccountField label={t('mt.correctAccount')} hint={t('mt.correctHelp')} value={account} onChange={setAccount} disabled={action.busy} testId="mt-account-new" showFormat={tried} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={action.busy} data-testid="mt-account-submit">
          {action.busy ? t('mt.checking') : t('mt.recheck')}
        </button>
      </div>
      {stillNoMatch && (
        <p className="alert" role="status" data-testid="mt-account-still">
          {t('mt.stillNoMatch')}
        </p>
      )}
      {action.error && <ActionError title={t('mt.recheckFailed')} error={action.error} testId="mt-account-error" />}
    </form>
  );
}

/** A handler's decision: the note (the paper proof checked, or the reason), then approve or reject. */
function DecisionForm({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const action = useAction();
  async function decide(decision: 'approve' | 'reject'): Promise<void> {
    if (action.busy || note.trim().length < 2) return;
    if (await action.run(() => api<Claim>('POST', mtPaths.decision(claim.id), { decision, note }))) onDone();
  }
  return (
    <form className="form" onSubmit={(e) => e.preventDefault()} data-testid="mt-decision-form" aria-busy={action.busy}>
      <label className="field">
        <span>{t('mt.review.note')}</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} required minLength={2} maxLength={1000} disabled={action.busy} data-testid="mt-note" />
        <span className="hint">{t('mt.review.noteHelp')}</span>
      </label>
      <div className="form-actions">
        <button type="button" className="button primary" disabled={action.busy || note.trim().length < 2} onClick={() => void decide('approve')} data-testid="mt-approve">
          {t('mt.review.approve')}
        </button>
        <button type="button" className="button danger" disabled={action.busy || note.trim().length < 2} onClick={() => void decide('reject')} data-testid="mt-reject">
          {t('mt.review.reject')}
        </button>
      </div>
      {action.error && <ActionError title={t('mt.review.failed')} error={action.error} testId="mt-decision-error" />}
    </form>
  );
}

/** The healthcare security bureau that handles maternity claims (the server's MATERNITY_BUREAU). */
const BUREAU = 'xm.medsec';

/** Whether the user handles the bureau's maternity claims: its case handlers. */
export function handlesMaternity(me: Me): boolean {
  return me.roles.includes('case_handler') && within(me.org?.code, BUREAU);
}

/** The bureau's queue (a case handler's tab of the workbench): claims by status, oldest first. */
export function MaternityQueuePage(_props: { me: Me; path: string; rest: readonly string[] }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<QueueStatus>('pending_review');
  const queue = useApiGet<Claim[]>(mtPaths.queue(status));
  const [done, setDone] = useState<string | null>(null);
  const tools = (
    <select value={status} onChange={(e) => setStatus(e.target.value as QueueStatus)} aria-label={t('mt.review.status')} data-testid="mt-queue-status">
      {QUEUE_STATUSES.map((s) => (
        <option key={s} value={s}>
          {t(s === 'all' ? 'mt.status.all' : STATUS_LABEL[s])}
        </option>
      ))}
    </select>
  );
  return (
    <LoadedSection headingId="mt-queue-h" title={t('mt.review.title')} help={t('mt.review.intro')} tools={tools} loaded={queue} refreshTestId="mt-queue-refresh">
      {(items) => (
        <>
          {done && <Notice testId="mt-queue-done">{done}</Notice>}
          {items.length === 0 && <p className="muted" data-testid="mt-queue-empty">{t('mt.review.none')}</p>}
          <ul className="mt-claims mt-queue" data-testid="mt-queue">
            {items.map((c) => (
              <li key={c.id}>
                <ClaimCard
                  claim={c}
                  handler
                  onChanged={() => {
                    setDone(t('mt.review.done', { id: c.id }));
                    queue.reload();
                  }}
                />
              </li>
            ))}
          </ul>
        </>
      )}
    </LoadedSection>
  );
}

/** Whether the user sets the bureau's allowance rules: its department administrator. */
export function configuresMaternity(me: Me): boolean {
  return may(me, 'maternity:configure') && within(me.org?.code, BUREAU);
}

// The rules' numbers as the form holds them: text, so that a field can be empty while typed.
type RulesDraft = Record<'wageYear' | 'avgMonthlyWage' | 'baseDays' | 'difficultBirthDays' | 'extraBabyDays' | 'minMonths' | 'windowMonths' | 'claimWithinDays', string>;

const RULE_FIELDS: readonly { key: keyof RulesDraft; label: MessageKey; min: number; max: number; step?: string }[] = [
  { key: 'wageYear', label: 'mt.rules.wageYear', min: 2000, max: 2100 },
  { key: 'avgMonthlyWage', label: 'mt.rules.avgMonthlyWage', min: 0.01, max: 1_000_000, step: '0.01' },
  { key: 'baseDays', label: 'mt.rules.baseDays', min: 1, max: 1000 },
  { key: 'difficultBirthDays', label: 'mt.rules.difficultBirthDays', min: 0, max: 1000 },
  { key: 'extraBabyDays', label: 'mt.rules.extraBabyDays', min: 0, max: 1000 },
  { key: 'minMonths', label: 'mt.rules.minMonths', min: 1, max: 120 },
  { key: 'windowMonths', label: 'mt.rules.windowMonths', min: 1, max: 120 },
  { key: 'claimWithinDays', label: 'mt.rules.claimWithinDays', min: 1, max: 3650 },
];

function draftOf(rules: ClaimChecks['rules'] | undefined): RulesDraft {
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    wageYear: text(rules?.wageYear),
    avgMonthlyWage: rules ? (rules.avgMonthlyWageFen / 100).toFixed(2) : '',
    baseDays: text(rules?.baseDays),
    difficultBirthDays: text(rules?.difficultBirthDays),
    extraBabyDays: text(rules?.extraBabyDays),
    minMonths: text(rules?.minMonths),
    windowMonths: text(rules?.windowMonths),
    claimWithinDays: text(rules?.claimWithinDays),
  };
}

/**
 * The bureau's allowance rules (a tab of its administrator's workbench): those in force, and a
 * form for the next version. Claims filed from then on are computed by it; filed ones keep theirs.
 */
export function MaternityRulesPage(_props: { me: Me; path: string; rest: readonly string[] }) {
  const { lang, t } = useI18n();
  const checks = useApiGet<ClaimChecks>(mtPaths.checks);
  const [saved, setSaved] = useState<number | null>(null);
  // None configured yet: the form starts empty.
  const none = checks.error?.problem?.code === 'mat.noRules';
  const rules = checks.data?.rules;
  return (
    <section className="section" aria-labelledby="mt-rules-h" data-testid="mt-rules">
      <div className="section-head">
        <h2 id="mt-rules-h">{t('mt.rules.title')}</h2>
      </div>
      <p className="muted small">{t('mt.rules.help')}</p>
      {!none && <LoadState loaded={checks} />}
      {rules && (
        <div className="panel" data-testid="mt-rules-current" data-version={rules.version}>
          <h3>{t('mt.rules.current', { version: rules.version })}</h3>
          <p>{t('mt.formula', { year: rules.wageYear, wage: money(lang, rules.avgMonthlyWageFen), base: rules.baseDays, difficult: rules.difficultBirthDays, extra: rules.extraBabyDays })}</p>
          <p className="small">{t('mt.rules.eligibility', { months: rules.minMonths, window: rules.windowMonths, days: rules.claimWithinDays })}</p>
        </div>
      )}
      {saved !== null && <Notice testId="mt-rules-saved">{t('mt.rules.saved', { version: saved })}</Notice>}
      {(rules || none) && (
        <RulesForm
          key={rules?.version ?? 0}
          initial={draftOf(rules)}
          onSaved={(version) => {
            setSaved(version);
            checks.reload();
          }}
        />
      )}
    </section>
  );
}

function RulesForm({ initial, onSaved }: { initial: RulesDraft; onSaved: (version: number) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(initial);
  const action = useAction();
  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    const whole = (key: keyof RulesDraft) => Number(draft[key]);
    const body = {
      wageYear: whole('wageYear'),
      // Yuan as typed, to fen without binary fractions creeping in.
      avgMonthlyWageFen: Math.round(Number(draft.avgMonthlyWage) * 100),
      baseDays: whole('baseDays'),
      difficultBirthDays: whole('difficultBirthDays'),
      extraBabyDays: whole('extraBabyDays'),
      minMonths: whole('minMonths'),
      windowMonths: whole('windowMonths'),
      claimWithinDays: whole('claimWithinDays'),
    };
    const set = await action.run(() => api<{ version: number }>('PUT', mtPaths.rules, body));
    if (set) onSaved(set.version);
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="mt-rules-form" aria-busy={action.busy}>
      <h3>{t('mt.rules.next')}</h3>
      <div className="form-grid">
        {RULE_FIELDS.map((f) => (
          <label key={f.key} className="field">
            <span>{t(f.label)}</span>
            <input
              type="number"
              inputMode="decimal"
              required
              min={f.min}
              max={f.max}
              step={f.step ?? '1'}
              value={draft[f.key]}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
              disabled={action.busy}
              data-testid={`mt-rules-${f.key}`}
            />
          </label>
        ))}
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy} data-testid="mt-rules-submit">
          {t('mt.rules.submit')}
        </button>
      </div>
      {action.error && <ActionError title={t('mt.rules.failed')} error={action.error} testId="mt-rules-error" />}
    </form>
  );
}
