// Points-based school admission (积分入学) in the department workbench: the bureau's rounds, the
// rule editor (points per claim, fixed parameters, tie-breaks, zones and places), and the
// handler's work on a round — every application's per-claim results and points (never a value),
// the one-batch verification, the ranking per zone, publication. The server decides who may do
// what (edu.admin configures, edu.handler verifies, ranks and publishes).
import { useState, type FormEvent } from 'react';
import { api, type Me } from './api';
import { admPaths, fixedText, type Application, type BatchOutcome, type Ranking, type Round, type RulesBody } from './adm-api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { translateMaybe, useI18n } from './i18n';
import { Link, navigate } from './router';
import { labelIn, useSandboxNames } from './sb-api';
import { ResultPill } from './sb-parts';
import { ActionError, FigureCard, ListTable, LoadedSection, LoadState, Notice, Term } from './ui';
import { useAction, chinaDay } from './xc-api';
import { joinList } from './xc-parts';

/** What the admission pages are given: the user, their own path, and the segments after it. */
export interface AdmissionPageProps {
  me: Me;
  path: string;
  rest: readonly string[];
}

/**
 * Whether the admission pages are for the user: a case handler or the administrator (who
 * configures its rounds) of an education bureau (an `….edu` organisation); a maternity handler
 * of the healthcare bureau does not run rounds.
 */
export function runsAdmission(me: Me): boolean {
  return me.org !== null && /(^|\.)edu$/.test(me.org.code) && (me.roles.includes('case_handler') || me.roles.includes('dept_admin'));
}

/** Whether the user configures rounds (a department administrator) rather than handles them. */
function configures(me: Me): boolean {
  return me.roles.includes('dept_admin');
}

/** The admission pages: the rounds at the path, one round at `<path>/<round id>`. */
export function AdmissionPage({ me, path, rest }: AdmissionPageProps) {
  if (rest.length === 1) return <RoundPage key={rest[0]} id={rest[0]!} me={me} backPath={path} />;
  return <RoundList me={me} path={path} />;
}

/** A round's status as a pill. */
function RoundStatusPill({ status }: { status: string }) {
  const { lang } = useI18n();
  return (
    <span className={`pill adm-${status}`} data-testid="adm-round-status" data-status={status}>
      {translateMaybe(lang, `adm.status.${status}`) ?? status}
    </span>
  );
}

function RoundList({ me, path }: { me: Me; path: string }) {
  const { t } = useI18n();
  const rounds = useApiGet<Round[]>(admPaths.rounds);
  return (
    <>
      <LoadedSection headingId="adm-rounds-h" title={t('adm.rounds')} help={t('adm.roundsHelp')} loaded={rounds} refreshTestId="adm-refresh">
        {(items) => (
          <ListTable rows={items} columns={[t('adm.col.year'), t('adm.col.round'), t('adm.col.window'), t('adm.col.status'), { label: t('adm.col.applications'), num: true }]} empty={t('adm.noRounds')} testId="adm-rounds">
            {(r) => (
              <tr key={r.id} data-testid="adm-round-row">
                <td>{r.year}</td>
                <td>
                  <Link to={`${path}/${encodeURIComponent(r.id)}`} data-testid="adm-round-link">
                    {r.name}
                  </Link>
                </td>
                <td className="nowrap">
                  {r.applyFrom} – {r.applyUntil}
                </td>
                <td>
                  <RoundStatusPill status={r.status} />
                </td>
                <td className="num">{r.counts.submitted + r.counts.verified + r.counts.refused}</td>
              </tr>
            )}
          </ListTable>
        )}
      </LoadedSection>
      {configures(me) && <NewRoundForm path={path} />}
    </>
  );
}

function NewRoundForm({ path }: { path: string }) {
  const { t } = useI18n();
  const names = useSandboxNames(useI18n().lang);
  const action = useAction();
  const year = Number(chinaDay().slice(0, 4));
  const [form, setForm] = useState({ caseType: '', year: String(year), name: '', applyFrom: chinaDay(), applyUntil: chinaDay(30) });
  const caseTypes = names.caseTypes.filter((c) => c.code.startsWith('school_admission'));

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const body = { ...form, caseType: form.caseType || caseTypes[0]?.code || '', year: Number(form.year) };
    const created = await action.run(() => api<Round>('POST', admPaths.rounds, body));
    if (created) navigate(`${path}/${encodeURIComponent(created.id)}`);
  }
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <label className="field">
      <span>{label}</span>
      <input type={type} required value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`adm-new-${key}`} />
    </label>
  );
  return (
    <section className="section" aria-labelledby="adm-new-h">
      <h2 id="adm-new-h">{t('adm.newRound')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="adm-new-form" aria-busy={action.busy}>
        <div className="toolbar">
          <label className="field">
            <span>{t('adm.caseType')}</span>
            <select value={form.caseType || caseTypes[0]?.code || ''} onChange={(e) => setForm({ ...form, caseType: e.target.value })} data-testid="adm-new-caseType">
              {caseTypes.map((c) => (
                <option key={c.code} value={c.code}>
                  {names.caseTypeName(c.code)}
                </option>
              ))}
            </select>
          </label>
          {field('year', t('adm.col.year'), 'number')}
          {field('name', t('adm.col.round'))}
          {field('applyFrom', t('adm.applyFrom'), 'date')}
          {field('applyUntil', t('adm.applyUntil'), 'date')}
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={action.busy} data-testid="adm-new-submit">
            {t('adm.create')}
          </button>
        </div>
        {action.error && <ActionError title={t('adm.createFailed')} error={action.error} testId="adm-new-error" />}
      </form>
    </section>
  );
}

function RoundPage({ id, me, backPath }: { id: string; me: Me; backPath: string }) {
  const { lang, t } = useI18n();
  const round = useApiGet<Round>(admPaths.round(id));
  const apps = useApiGet<Application[]>(admPaths.applications(id));
  const ranking = useApiGet<Ranking>(admPaths.ranking(id));
  const [editing, setEditing] = useState(false);
  const reload = () => {
    round.reload();
    apps.reload();
    ranking.reload();
  };
  const r = round.data;
  if (!r) return <LoadState loaded={round} />;
  const admin = configures(me);
  return (
    <div className="section" data-testid="adm-round">
      <p>
        <Link to={backPath}>← {t('adm.rounds')}</Link>
      </p>
      <div className="section-head">
        <h2 data-testid="adm-round-name">
          {r.name} <RoundStatusPill status={r.status} />
        </h2>
      </div>
      <dl className="meta">
        <Term label={t('adm.caseType')}>{r.caseType}</Term>
        <Term label={t('adm.col.window')}>
          {r.applyFrom} – {r.applyUntil}
        </Term>
        <Term label={t('adm.endsOn')}>{r.endsOn}</Term>
        <Term label={t('adm.rulesVersion')} testId="adm-rules-version">
          {r.rulesVersion > 0 ? `v${r.rulesVersion}` : '—'}
        </Term>
      </dl>
      <ul className="cards figures">
        <FigureCard testId="adm-fig-submitted" label={t('adm.fig.submitted')} value={String(r.counts.submitted)} />
        <FigureCard testId="adm-fig-verified" label={t('adm.fig.verified')} value={String(r.counts.verified)} />
        <FigureCard testId="adm-fig-refused" label={t('adm.fig.refused')} value={String(r.counts.refused)} />
        <FigureCard testId="adm-fig-withdrawn" label={t('adm.fig.withdrawn')} value={String(r.counts.withdrawn)} />
      </ul>
      {editing ? (
        <RuleEditor round={r} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); reload(); }} />
      ) : (
        <RulesView round={r} canEdit={admin && (r.status === 'draft' || r.status === 'open')} onEdit={() => setEditing(true)} />
      )}
      <RoundActions round={r} admin={admin} onDone={reload} />
      <LoadedSection headingId="adm-apps-h" title={t('adm.applications')} help={t('adm.applicationsHelp')} loaded={apps} refreshTestId="adm-apps-refresh">
        {(items) => (
          <ListTable
            rows={items}
            compact
            columns={[t('adm.col.application'), t('adm.col.zone'), t('adm.col.submitted'), t('adm.col.status'), ...r.claims.map((c) => labelIn(lang, c.name, c.template)), { label: t('adm.col.points'), num: true }, { label: t('adm.col.rank'), num: true }, t('adm.col.outcome')]}
            empty={t('adm.noApplications')}
            testId="adm-apps"
          >
            {(a) => <ApplicationRow key={a.id} app={a} round={r} />}
          </ListTable>
        )}
      </LoadedSection>
      {(r.status === 'ranked' || r.status === 'published') && ranking.data && <RankingView ranking={ranking.data} />}
    </div>
  );
}

function ApplicationRow({ app, round }: { app: Application; round: Round }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  return (
    <tr data-testid="adm-app-row" data-app={app.id}>
      <td className="code">{app.id}</td>
      <td>{app.zone}</td>
      <td className="nowrap">{f.dateTime(app.submittedAt)}</td>
      <td>{translateMaybe(lang, `adm.app.${app.status}`) ?? app.status}</td>
      {round.claims.map((c) => {
        const result = app.results?.find((x) => x.template === c.template);
        const refusal = app.refusals?.find((x) => x.template === c.template);
        return (
          <td key={c.template} data-claim={c.template}>
            {result ? <ResultPill result={result.result} testId="adm-app-result" /> : refusal ? <ResultPill result={null} refusal={refusal.reason} /> : '—'}
          </td>
        );
      })}
      <td className="num" data-testid="adm-app-points">
        {app.points ?? '—'}
      </td>
      <td className="num">{app.rank ?? '—'}</td>
      <td>{app.admitted === null ? (app.eligible === false ? t('adm.ineligible') : '—') : app.admitted ? t('adm.admitted') : t('adm.notAdmitted')}</td>
    </tr>
  );
}

function RulesView({ round, canEdit, onEdit }: { round: Round; canEdit: boolean; onEdit: () => void }) {
  const { lang, t } = useI18n();
  const tieBreak = (tb: string) => (tb === 'earlier_application' ? t('adm.tie.earlier') : t('adm.tie.points', { claim: labelIn(lang, round.claims.find((c) => `points:${c.template}` === tb)?.name, tb.slice(7)) }));
  return (
    <section className="section" aria-labelledby="adm-rules-h" data-testid="adm-rules">
      <div className="section-head">
        <h2 id="adm-rules-h">{t('adm.rules')}</h2>
        {canEdit && (
          <button type="button" className="button small" onClick={onEdit} data-testid="adm-edit-rules">
            {t('adm.editRules')}
          </button>
        )}
      </div>
      <ListTable rows={round.claims} columns={[t('adm.col.claim'), { label: t('adm.col.points'), num: true }, t('adm.col.required'), t('adm.col.fixed'), t('adm.col.declared')]} empty={t('adm.noRules')} compact testId="adm-rule-claims">
        {(c) => (
          <tr key={c.template} data-testid="adm-rule-row" data-template={c.template}>
            <td>{labelIn(lang, c.name, c.template)}</td>
            <td className="num">{c.points}</td>
            <td>{c.required ? t('adm.yes') : '—'}</td>
            <td className="code">{fixedText(c) || '—'}</td>
            <td>{joinList(lang, c.declare.map((p) => (lang === 'en' ? p.labelEn : p.labelZh)))}</td>
          </tr>
        )}
      </ListTable>
      {round.tieBreaks.length > 0 && (
        <p className="muted small" data-testid="adm-tiebreaks">
          {t('adm.tieBreaks')}: {round.tieBreaks.map(tieBreak).join(' → ')}
        </p>
      )}
      <ListTable rows={round.zones} columns={[t('adm.col.zone'), t('adm.col.zoneName'), { label: t('adm.col.places'), num: true }]} compact testId="adm-zones">
        {(z) => (
          <tr key={z.code}>
            <td className="code">{z.code}</td>
            <td>{z.name}</td>
            <td className="num">{z.places}</td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}

/** The rule editor: each whitelisted template in or out, its points, required, fixed parameters; tie-breaks; zones. */
function RuleEditor({ round, onCancel, onSaved }: { round: Round; onCancel: () => void; onSaved: () => void }) {
  const { lang, t } = useI18n();
  const names = useSandboxNames(lang);
  const action = useAction();
  const whitelist = names.caseType(round.caseType)?.templates ?? [];
  type Row = { on: boolean; points: string; required: boolean; fixed: Record<string, string> };
  const [rows, setRows] = useState<Record<string, Row>>(() =>
    Object.fromEntries(round.claims.map((c) => [c.template, { on: true, points: String(c.points), required: c.required, fixed: Object.fromEntries(Object.entries(c.fixed).map(([k, v]) => [k, String(v)])) }])),
  );
  const [tieBreaks, setTieBreaks] = useState<string[]>([...round.tieBreaks, '', ''].slice(0, Math.max(2, round.tieBreaks.length)));
  const [zones, setZones] = useState(round.zones.length > 0 ? round.zones.map((z) => ({ ...z, places: String(z.places) })) : [{ code: '', name: '', places: '' }]);
  const row = (code: string): Row => rows[code] ?? { on: false, points: '0', required: false, fixed: {} };
  const setRow = (code: string, change: Partial<Row>) => setRows({ ...rows, [code]: { ...row(code), ...change } });
  const chosen = whitelist.filter((c) => row(c).on);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const body: RulesBody = {
      claims: chosen.map((code) => {
        const r = row(code);
        const params = Object.fromEntries(
          Object.entries(r.fixed)
            .filter(([, v]) => v.trim() !== '')
            .map(([k, v]) => [k, names.template(code)?.params.find((p) => p.name === k)?.type === 'integer' ? Number(v) : v.trim()]),
        );
        return { template: code, points: Number(r.points) || 0, ...(r.required ? { required: true } : {}), ...(Object.keys(params).length > 0 ? { params } : {}) };
      }),
      tieBreaks: [...new Set(tieBreaks.filter((x) => x))],
      zones: zones.filter((z) => z.code.trim()).map((z) => ({ code: z.code.trim(), name: z.name.trim() || z.code.trim(), places: Number(z.places) || 0 })),
    };
    if (await action.run(() => api<Round>('PUT', admPaths.rules(round.id), body))) onSaved();
  }

  return (
    <section className="section" aria-labelledby="adm-editor-h">
      <h2 id="adm-editor-h">{t('adm.editRules')}</h2>
      <p className="muted small">{t('adm.editorHelp')}</p>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="adm-editor" aria-busy={action.busy}>
        <ListTable rows={whitelist} columns={[t('adm.col.claim'), { label: t('adm.col.points'), num: true }, t('adm.col.required'), t('adm.col.fixed')]} compact>
          {(code) => {
            const r = row(code);
            const params = (names.template(code)?.params ?? []).filter((p) => !(code === 'birth.parent_of_child' && p.name === 'child'));
            return (
              <tr key={code} data-testid="adm-editor-row" data-template={code}>
                <td>
                  <label className="field inline">
                    <input type="checkbox" checked={r.on} onChange={(e) => setRow(code, { on: e.target.checked })} data-testid="adm-editor-on" />
                    {names.templateName(code)}
                  </label>
                </td>
                <td className="num">
                  <input type="number" min={0} max={1000} value={r.points} disabled={!r.on} onChange={(e) => setRow(code, { points: e.target.value })} aria-label={t('adm.col.points')} data-testid="adm-editor-points" />
                </td>
                <td>
                  <input type="checkbox" checked={r.required} disabled={!r.on} onChange={(e) => setRow(code, { required: e.target.checked })} aria-label={t('adm.col.required')} />
                </td>
                <td>
                  {params.map((p) => (
                    <label key={p.name} className="field inline">
                      <span className="small">{lang === 'en' ? p.labelEn : p.labelZh}</span>
                      <input value={r.fixed[p.name] ?? ''} disabled={!r.on} placeholder={t('adm.parentDeclares')} onChange={(e) => setRow(code, { fixed: { ...r.fixed, [p.name]: e.target.value } })} data-testid={`adm-editor-fixed-${p.name}`} />
                    </label>
                  ))}
                </td>
              </tr>
            );
          }}
        </ListTable>
        <div className="toolbar">
          {tieBreaks.map((tb, i) => (
            <label key={i} className="field">
              <span>{t('adm.tieBreakN', { n: i + 1 })}</span>
              <select value={tb} onChange={(e) => setTieBreaks(tieBreaks.map((x, j) => (j === i ? e.target.value : x)))} data-testid={`adm-editor-tie-${i}`}>
                <option value="">—</option>
                <option value="earlier_application">{t('adm.tie.earlier')}</option>
                {chosen.map((code) => (
                  <option key={code} value={`points:${code}`}>
                    {t('adm.tie.points', { claim: names.templateName(code) })}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        <h3>{t('adm.zones')}</h3>
        {zones.map((z, i) => (
          <div key={i} className="toolbar" data-testid="adm-editor-zone">
            {(['code', 'name', 'places'] as const).map((k) => (
              <label key={k} className="field">
                <span>{t(k === 'code' ? 'adm.col.zone' : k === 'name' ? 'adm.col.zoneName' : 'adm.col.places')}</span>
                <input type={k === 'places' ? 'number' : 'text'} min={0} value={z[k]} onChange={(e) => setZones(zones.map((x, j) => (j === i ? { ...x, [k]: e.target.value } : x)))} data-testid={`adm-editor-zone-${k}`} />
              </label>
            ))}
            <button type="button" className="button small" onClick={() => setZones(zones.filter((_, j) => j !== i))} disabled={zones.length === 1}>
              {t('adm.removeZone')}
            </button>
          </div>
        ))}
        <div className="form-actions">
          <button type="button" className="button small" onClick={() => setZones([...zones, { code: '', name: '', places: '' }])} data-testid="adm-editor-add-zone">
            {t('adm.addZone')}
          </button>
          <button type="submit" className="button primary" disabled={action.busy || chosen.length === 0} data-testid="adm-editor-save">
            {action.busy ? t('xc.sending') : t('adm.saveRules')}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
            {t('adm.cancel')}
          </button>
        </div>
        {action.error && <ActionError title={t('adm.saveFailed')} error={action.error} testId="adm-editor-error" />}
      </form>
    </section>
  );
}

/** The step a round is at, for those whose step it is: open (bureau), verify, rank, publish (handler). */
function RoundActions({ round, admin, onDone }: { round: Round; admin: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const action = useAction();
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const step = async (key: string, run: () => Promise<unknown>) => {
    setDone(null);
    if (await action.run(run)) {
      setDone(key);
      onDone();
    }
  };
  const buttons: { key: string; label: string; show: boolean; run: () => Promise<unknown> }[] = [
    { key: 'open', label: t('adm.openRound'), show: admin && round.status === 'draft' && round.rulesVersion > 0, run: () => api('POST', admPaths.open(round.id)) },
    {
      key: 'verify',
      label: t('adm.verifyAll', { n: round.counts.submitted }),
      show: !admin && (round.status === 'open' || round.status === 'verifying') && round.counts.submitted > 0,
      run: async () => {
        const batch = await api<BatchOutcome>('POST', admPaths.verifyBatch(round.id));
        setOutcome(batch);
        return batch;
      },
    },
    { key: 'rank', label: t('adm.rank'), show: !admin && (round.status === 'verifying' || round.status === 'ranked') && round.counts.submitted === 0, run: () => api('POST', admPaths.rank(round.id)) },
    { key: 'publish', label: t('adm.publish'), show: !admin && round.status === 'ranked', run: () => api('POST', admPaths.publish(round.id)) },
  ];
  const shown = buttons.filter((b) => b.show);
  if (shown.length === 0 && !done) return null;
  return (
    <section className="section" aria-label={t('adm.actions')}>
      <div className="form-actions">
        {shown.map((b) => (
          <button key={b.key} type="button" className={b.key === 'publish' || b.key === 'verify' ? 'button primary' : 'button'} disabled={action.busy} onClick={() => void step(b.key, b.run)} data-testid={`adm-${b.key}`}>
            {b.label}
          </button>
        ))}
        {action.busy && (
          <span className="loading-line" aria-busy="true" data-testid="adm-busy">
            <span className="spinner small" aria-hidden="true" /> {t('adm.working')}
          </span>
        )}
      </div>
      {done === 'verify' && outcome && (
        <Notice testId="adm-verified">{t('adm.verifiedNotice', { verified: outcome.verified, refused: outcome.refused, claims: outcome.claims })}</Notice>
      )}
      {done && done !== 'verify' && <Notice testId={`adm-done-${done}`}>{t(`adm.done.${done}` as 'adm.done.open')}</Notice>}
      {action.error && <ActionError title={t('adm.stepFailed')} error={action.error} testId="adm-step-error" />}
    </section>
  );
}

function RankingView({ ranking }: { ranking: Ranking }) {
  const { t } = useI18n();
  return (
    <section className="section" aria-labelledby="adm-ranking-h" data-testid="adm-ranking">
      <h2 id="adm-ranking-h">{t('adm.ranking')}</h2>
      {ranking.zones.map((z) => (
        <div key={z.code} className="section" data-testid="adm-ranking-zone" data-zone={z.code}>
          <h3>
            {z.name} <span className="muted small">{t('adm.zoneLine', { places: z.places, applicants: z.applicants, eligible: z.eligible, admitted: z.admitted, cutoff: z.cutoff ?? '—' })}</span>
          </h3>
          <ListTable rows={z.ranking} compact columns={[{ label: t('adm.col.rank'), num: true }, t('adm.col.application'), { label: t('adm.col.points'), num: true }, t('adm.col.outcome')]} empty={t('adm.noneRanked')}>
            {(r) => (
              <tr key={r.applicationId} data-testid="adm-ranking-row">
                <td className="num">{r.rank}</td>
                <td className="code">{r.applicationId}</td>
                <td className="num">{r.points}</td>
                <td>{r.admitted ? t('adm.admitted') : t('adm.notAdmitted')}</td>
              </tr>
            )}
          </ListTable>
        </div>
      ))}
    </section>
  );
}
