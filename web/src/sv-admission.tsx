// Points-based school admission (积分入学) in the citizen portal: the parent's applications —
// once the round is published their points, rank within the zone's places, outcome and the
// checks that failed — withdrawal before verification, and the application form: the child,
// the school zone, the facts declared, and consent whose text lists exactly the checks made.
import { useState, type FormEvent } from 'react';
import { api, type Me } from './api';
import { admPaths, type MyApplication, type Round } from './adm-api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { translateMaybe, useI18n } from './i18n';
import { labelIn, useSandboxNames } from './sb-api';
import { ParamInputs, paramValues, ResultPill } from './sb-parts';
import { ActionError, ConfirmForm, LoadedSection, Notice, Term } from './ui';
import { useAction } from './xc-api';
import { joinList } from './xc-parts';

/** The parent's page (a tab of the citizen portal): my applications, and a new one. */
export function AdmissionApplyPage(_props: { me: Me; rest: readonly string[] }) {
  const { t } = useI18n();
  const mine = useApiGet<MyApplication[]>(admPaths.mine);
  const rounds = useApiGet<Round[]>(admPaths.openRounds);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState(false);
  return (
    <div data-testid="adm-cz">
      <LoadedSection headingId="adm-mine-h" title={t('adm.cz.mine')} help={t('adm.cz.help')} loaded={mine} refreshTestId="adm-cz-refresh">
        {(items) => (
          <>
            {items.length === 0 && <p className="muted" data-testid="adm-cz-none">{t('adm.cz.none')}</p>}
            <ul className="cards" data-testid="adm-cz-apps">
              {items.map((a) => (
                <li key={a.id}>
                  <MyApplicationCard app={a} onChanged={mine.reload} />
                </li>
              ))}
            </ul>
          </>
        )}
      </LoadedSection>
      {applied && <Notice testId="adm-cz-applied">{t('adm.cz.applied')}</Notice>}
      {rounds.data && rounds.data.length > 0 && !applying && (
        <button type="button" className="button primary" onClick={() => { setApplying(true); setApplied(false); }} data-testid="adm-cz-new">
          {t('adm.cz.new')}
        </button>
      )}
      {rounds.data && rounds.data.length === 0 && <p className="muted">{t('adm.cz.noOpenRound')}</p>}
      {applying && rounds.data && rounds.data.length > 0 && (
        <ApplyForm
          rounds={rounds.data}
          onCancel={() => setApplying(false)}
          onDone={() => {
            setApplying(false);
            setApplied(true);
            mine.reload();
          }}
        />
      )}
    </div>
  );
}

function MyApplicationCard({ app, onChanged }: { app: MyApplication; onChanged: () => void }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const names = useSandboxNames(lang);
  const [withdrawing, setWithdrawing] = useState(false);
  return (
    <div className="card" data-testid="adm-cz-app" data-app={app.id}>
      <span className="card-title">{app.roundName}</span>
      <dl className="meta">
        <Term label={t('adm.cz.child')}>{app.child}</Term>
        <Term label={t('adm.col.zone')}>{app.zoneName}</Term>
        <Term label={t('adm.col.submitted')}>{f.dateTime(app.submittedAt)}</Term>
        <Term label={t('adm.col.status')} testId="adm-cz-status">
          {translateMaybe(lang, `adm.app.${app.status}`) ?? app.status}
        </Term>
        {app.published && (
          <>
            <Term label={t('adm.col.points')} testId="adm-cz-points">
              {app.points ?? '—'}
            </Term>
            <Term label={t('adm.col.rank')} testId="adm-cz-rank">
              {app.rank !== null ? t('adm.cz.rankOf', { rank: app.rank, places: app.places ?? '—' }) : '—'}
            </Term>
            <Term label={t('adm.col.outcome')} testId="adm-cz-outcome">
              {app.eligible === false ? t('adm.ineligible') : app.admitted ? t('adm.admitted') : t('adm.notAdmitted')}
            </Term>
          </>
        )}
      </dl>
      {!app.published && app.status !== 'withdrawn' && <p className="muted small">{t('adm.cz.pending')}</p>}
      {app.published && app.results && (
        <ul className="plain" data-testid="adm-cz-results">
          {app.results.map((r) => (
            <li key={r.template} data-template={r.template}>
              {names.templateName(r.template)} <ResultPill result={r.result} /> {r.result === 'match' ? t('adm.cz.plusPoints', { points: r.points }) : ''}
            </li>
          ))}
        </ul>
      )}
      {app.published && app.failed && app.failed.length > 0 && (
        <p className="small" data-testid="adm-cz-failed">
          {t('adm.cz.failed', { claims: joinList(lang, app.failed.map((x) => labelIn(lang, x.name, x.template))) })}
        </p>
      )}
      {app.status === 'submitted' && app.roundStatus === 'open' && !withdrawing && (
        <button type="button" className="button small" onClick={() => setWithdrawing(true)} data-testid="adm-cz-withdraw">
          {t('adm.cz.withdraw')}
        </button>
      )}
      {withdrawing && (
        <ConfirmForm
          text={t('adm.cz.withdrawText')}
          confirmLabel={t('adm.cz.withdrawConfirm')}
          keepLabel={t('adm.cz.keep')}
          failedTitle={t('adm.cz.withdrawFailed')}
          testId="adm-cz-withdraw"
          run={() => api('POST', admPaths.withdraw(app.id))}
          onCancel={() => setWithdrawing(false)}
          onDone={() => {
            setWithdrawing(false);
            onChanged();
          }}
        />
      )}
    </div>
  );
}

function ApplyForm({ rounds, onCancel, onDone }: { rounds: readonly Round[]; onCancel: () => void; onDone: () => void }) {
  const { lang, t } = useI18n();
  const names = useSandboxNames(lang);
  const action = useAction();
  const [roundId, setRoundId] = useState(rounds[0]!.id);
  const round = rounds.find((r) => r.id === roundId) ?? rounds[0]!;
  const [child, setChild] = useState('');
  const [zone, setZone] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(round.claims.map((c) => c.template)));
  const [values, setValues] = useState<Record<string, Record<string, string>>>({});
  const [consent, setConsent] = useState(false);
  const included = round.claims.filter((c) => c.required || chosen.has(c.template));

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const declared = Object.fromEntries(included.map((c) => [c.template, Object.fromEntries(Object.entries(paramValues(c.declare, values[c.template] ?? {})).map(([k, v]) => [k, String(v)]))]));
    const body = { roundId: round.id, child: child.trim().toUpperCase(), zone: zone || round.zones[0]!.code, declared, consent: true as const };
    if (await action.run(() => api<MyApplication>('POST', admPaths.apply, body))) onDone();
  }

  return (
    <section className="section" aria-labelledby="adm-apply-h">
      <h2 id="adm-apply-h">{t('adm.cz.new')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="adm-cz-form" aria-busy={action.busy}>
        {rounds.length > 1 && (
          <label className="field">
            <span>{t('adm.col.round')}</span>
            <select value={roundId} onChange={(e) => setRoundId(e.target.value)} data-testid="adm-cz-round">
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className="muted small">{t('adm.cz.window', { from: round.applyFrom, until: round.applyUntil })}</p>
        <label className="field">
          <span>{t('adm.cz.childId')}</span>
          <input required pattern="[0-9]{17}[0-9Xx]" maxLength={18} value={child} onChange={(e) => setChild(e.target.value)} data-testid="adm-cz-child" />
        </label>
        <label className="field">
          <span>{t('adm.col.zone')}</span>
          <select value={zone || round.zones[0]!.code} onChange={(e) => setZone(e.target.value)} data-testid="adm-cz-zone">
            {round.zones.map((z) => (
              <option key={z.code} value={z.code}>
                {z.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="form">
          <legend>{t('adm.cz.claims')}</legend>
          {round.claims.map((c) => (
            <div key={c.template} data-testid="adm-cz-claim" data-template={c.template}>
              <label className="field inline">
                <input
                  type="checkbox"
                  checked={c.required || chosen.has(c.template)}
                  disabled={c.required}
                  onChange={(e) => setChosen(e.target.checked ? new Set([...chosen, c.template]) : new Set([...chosen].filter((x) => x !== c.template)))}
                  data-testid="adm-cz-claim-on"
                />
                {labelIn(lang, c.name, c.template)} · {t('adm.cz.points', { points: c.points })}
                {c.required ? ` · ${t('adm.cz.required')}` : ''}
              </label>
              {(c.required || chosen.has(c.template)) && c.declare.length > 0 && (
                <ParamInputs params={c.declare} values={values[c.template] ?? {}} onChange={(v) => setValues({ ...values, [c.template]: v })} disabled={action.busy} testId={`adm-cz-${c.template}`} />
              )}
            </div>
          ))}
        </fieldset>
        <p className="consent-text" data-testid="adm-cz-consent-text">
          {t('adm.cz.consentText', { caseType: names.caseTypeName(round.caseType), round: round.name, claims: joinList(lang, included.map((c) => labelIn(lang, c.name, c.template))), until: round.endsOn })}
        </p>
        <label className="field inline">
          <input type="checkbox" required checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="adm-cz-consent" />
          {t('adm.cz.consent')}
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={action.busy || !consent} data-testid="adm-cz-submit">
            {action.busy ? t('xc.sending') : t('adm.cz.submit')}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
            {t('adm.cancel')}
          </button>
        </div>
        {action.error && <ActionError title={t('adm.cz.failedApply')} error={action.error} testId="adm-cz-error" />}
      </form>
    </section>
  );
}
