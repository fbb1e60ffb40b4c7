// The case handler's verification page (核验): the case types of the department (whitelist,
// throttles, legal basis), the form that verifies one case's claims, its results with a link to
// the signed receipt, and the department's recent verifications; and the receipt page (claims,
// results, signature, key id, downloads for `ludao verify-receipt`).
import { useMemo, useState, type FormEvent } from 'react';
import { api, type Me } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { Link } from './router';
import { sbPaths, useSandboxNames, type CaseType, type Receipt, type SandboxNames, type Verification, type VerificationAttempt, type VerifyBody } from './sb-api';
import { AggregateForm } from './sb-oversight';
import { AttemptTable, CaseTypeSelect, ParamInputs, paramValues, RefusalError, ResultPill } from './sb-parts';
import { ListTable, LoadedSection, Loading, LoadState, Term } from './ui';
import { nameIn, useAction, useOrgNames, within } from './xc-api';
import { joinList } from './xc-parts';

/** What a case handler's page is given: the user, its own path and the segments below it. */
export interface CasePageProps {
  me: Me;
  path: string;
  rest: readonly string[];
}

/** The verification page at its path, or a receipt's page at `<path>/receipts/<id>`. */
export function VerifyPage({ me, path, rest }: CasePageProps) {
  const { lang } = useI18n();
  const names = useSandboxNames(lang);
  const receiptPath = (id: string) => `${path}/receipts/${encodeURIComponent(id)}`;
  if (rest[0] === 'receipts' && rest[1] !== undefined && rest.length === 2) return <ReceiptView key={rest[1]} id={rest[1]} names={names} backPath={path} />;
  return <VerifyHome me={me} names={names} receiptPath={receiptPath} />;
}

function VerifyHome({ me, names, receiptPath }: { me: Me; names: SandboxNames; receiptPath: (id: string) => string }) {
  const { t } = useI18n();
  const recent = useApiGet<VerificationAttempt[]>(sbPaths.verifications({ limit: 50 }));
  const ours = useMemo(() => names.caseTypes.filter((c) => within(me.org?.code, c.ownerOrg)), [names.caseTypes, me.org]);
  return (
    <>
      <section className="section" aria-labelledby="sb-case-types-h">
        <h2 id="sb-case-types-h">{t('sb.h.caseTypes')}</h2>
        <p className="muted small">{t('sb.h.caseTypesHelp')}</p>
        {names.ready ? <CaseTypeTable caseTypes={ours} names={names} /> : <Loading />}
      </section>
      <section className="section panel" aria-labelledby="sb-verify-h">
        <h2 id="sb-verify-h">{t('sb.h.verify')}</h2>
        <p className="muted small">{t('sb.h.verifyHelp')}</p>
        {ours.length > 0 && <VerifyForm caseTypes={ours} names={names} receiptPath={receiptPath} onAttempted={recent.reload} />}
      </section>
      <LoadedSection headingId="sb-recent-h" title={t('sb.h.recent')} help={t('sb.h.recentHelp')} loaded={recent} refreshTestId="sb-recent-refresh">
        {(items) => <AttemptTable attempts={items} names={names} receiptPath={receiptPath} testId="sb-recent" />}
      </LoadedSection>
      <section className="section panel" aria-labelledby="sb-agg-h">
        <h2 id="sb-agg-h">{t('sb.agg.title')}</h2>
        <p className="muted small">{t('sb.agg.help')}</p>
        {ours.length > 0 && <AggregateForm names={names} caseTypes={ours} />}
      </section>
    </>
  );
}

function CaseTypeTable({ caseTypes, names }: { caseTypes: readonly CaseType[]; names: SandboxNames }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  return (
    <ListTable rows={caseTypes} columns={[t('sb.col.caseType'), t('sb.col.whitelist'), t('sb.col.throttles'), t('sb.col.legalBasis')]} empty={t('sb.h.caseTypesNone')} testId="sb-case-types">
      {(c) => (
        <tr key={c.code} data-testid="sb-case-type-row" data-code={c.code}>
          <td>
            {nameIn(lang, c)}
            <div className="code">{c.code}</div>
            <div className="sub">{c.purpose}</div>
          </td>
          <td className="fields-cell">{joinList(lang, c.templates.map(names.templateName))}</td>
          <td className="small">{t('sb.h.throttleLine', { case: f.number(c.perCasePerDay), applicant: f.number(c.perApplicantPerDay), handler: f.number(c.perHandlerPerDay) })}</td>
          <td className="small">{c.legalBasis}</td>
        </tr>
      )}
    </ListTable>
  );
}

/** One case: its type, id and applicant, the claims to check with their parameters. */
function VerifyForm({ caseTypes, names, receiptPath, onAttempted }: { caseTypes: readonly CaseType[]; names: SandboxNames; receiptPath: (id: string) => string; onAttempted: () => void }) {
  const { t } = useI18n();
  const [caseTypeCode, setCaseTypeCode] = useState(caseTypes[0]!.code);
  const [caseId, setCaseId] = useState('');
  const [subject, setSubject] = useState('');
  // Ticked claims by template code, each with its parameters as typed.
  const [claims, setClaims] = useState<Record<string, Record<string, string>>>({});
  const [sent, setSent] = useState<string[]>([]);
  const [answer, setAnswer] = useState<Verification | null>(null);
  const action = useAction();
  const caseType = caseTypes.find((c) => c.code === caseTypeCode) ?? caseTypes[0]!;
  const ticked = caseType.templates.filter((code) => claims[code] !== undefined);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy || ticked.length === 0) return;
    const body: VerifyBody = {
      caseType: caseType.code,
      caseId: caseId.trim(),
      subject: subject.trim().toUpperCase(),
      claims: ticked.map((code) => ({ template: code, params: paramValues(names.template(code)?.params ?? [], claims[code]!) })),
    };
    setSent(ticked);
    setAnswer(null);
    const out = await action.run(() => api<Verification>('POST', sbPaths.verify, body));
    if (out) setAnswer(out);
    onAttempted();
  }

  const toggle = (code: string, on: boolean) =>
    setClaims((c) => {
      const next = { ...c };
      if (on) next[code] = {};
      else delete next[code];
      return next;
    });

  return (
    <>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="sb-verify-form" aria-busy={action.busy}>
        <div className="form-grid">
          <CaseTypeSelect
            caseTypes={caseTypes}
            value={caseType.code}
            onChange={(code) => {
              setCaseTypeCode(code);
              setClaims({});
            }}
            disabled={action.busy}
            testId="sb-verify-case-type"
          />
          <label className="field">
            <span>{t('sb.h.caseId')}</span>
            <input value={caseId} required maxLength={100} pattern="[A-Za-z0-9][A-Za-z0-9_.:/\-]*" onChange={(e) => setCaseId(e.target.value)} disabled={action.busy} data-testid="sb-verify-case-id" />
          </label>
          <label className="field">
            <span>{t('sb.h.subject')}</span>
            <input value={subject} required minLength={18} maxLength={18} pattern="[0-9]{17}[0-9Xx]" onChange={(e) => setSubject(e.target.value)} disabled={action.busy} data-testid="sb-verify-subject" />
          </label>
        </div>
        <fieldset className="field-checks" disabled={action.busy} data-testid="sb-verify-claims">
          <legend>{t('sb.h.claims')}</legend>
          {caseType.templates.map((code) => {
            const template = names.template(code);
            const on = claims[code] !== undefined;
            return (
              <div key={code} className="sb-claim" data-testid="sb-claim" data-template={code}>
                <label>
                  <input type="checkbox" checked={on} onChange={(e) => toggle(code, e.target.checked)} data-testid={`sb-claim-${code}`} />
                  <span>
                    {names.templateName(code)} <span className="code">{code}</span>
                  </span>
                </label>
                {on && template && <ParamInputs params={template.params} values={claims[code]!} onChange={(values) => setClaims((c) => ({ ...c, [code]: values }))} disabled={action.busy} testId={`sb-param-${code}`} />}
              </div>
            );
          })}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={action.busy || ticked.length === 0} data-testid="sb-verify-submit">
            {action.busy ? t('xc.sending') : t('sb.h.submit')}
          </button>
          {ticked.length === 0 && <span className="hint">{t('sb.h.pickClaims')}</span>}
        </div>
        {action.error && <RefusalError title={t('sb.h.failed')} error={action.error} claimName={(i) => names.templateName(sent[i] ?? '')} testId="sb-verify-error" />}
      </form>
      {answer && <VerificationResult answer={answer} names={names} receiptPath={receiptPath} />}
    </>
  );
}

/** What one case came to: each claim's result, and the signed receipt. */
function VerificationResult({ answer, names, receiptPath }: { answer: Verification; names: SandboxNames; receiptPath: (id: string) => string }) {
  const { t } = useI18n();
  return (
    <div className="notice sb-answer" role="status" data-testid="sb-verify-result" data-case={answer.caseId}>
      <strong>{t('sb.h.results', { caseId: answer.caseId })}</strong>
      <ListTable rows={answer.results} columns={[t('sb.col.claim'), t('sb.col.result')]} compact>
        {(r) => (
          <tr key={r.template} data-testid="sb-result-row" data-template={r.template}>
            <td>{names.templateName(r.template)}</td>
            <td>
              <ResultPill result={r.result} testId="sb-result" />
            </td>
          </tr>
        )}
      </ListTable>
      <Link to={receiptPath(answer.receipt.id)} className="button small" data-testid="sb-receipt-link">
        {t('sb.h.receipt')}
      </Link>
    </div>
  );
}

/** A signed receipt: what it states, its signature and key, and the files `ludao verify-receipt` checks. */
function ReceiptView({ id, names, backPath }: { id: string; names: SandboxNames; backPath: string }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const orgName = useOrgNames(lang);
  const receipt = useApiGet<Receipt>(sbPaths.receipt(id));
  const r = receipt.data;
  // The receipt exactly as the server signed it; the signature covers its canonical JSON, so layout does not matter.
  const download = useMemo(() => (r ? `data:application/json;charset=utf-8,${encodeURIComponent(`${JSON.stringify(r, null, 2)}\n`)}` : null), [r]);
  return (
    <section className="section" aria-labelledby="sb-receipt-h" data-testid="sb-receipt">
      <p>
        <Link to={backPath} data-testid="sb-receipt-back">
          ← {t('sb.receipt.back')}
        </Link>
      </p>
      <h2 id="sb-receipt-h">{t('sb.receipt.title', { id })}</h2>
      <p className="muted small">{t('sb.receipt.help')}</p>
      <LoadState loaded={receipt} />
      {r && (
        <>
          <dl className="meta">
            <Term label={t('sb.col.caseType')}>{names.caseTypeName(r.caseType)}</Term>
            <Term label={t('sb.col.case')} testId="sb-receipt-case">
              {r.caseId}
            </Term>
            <Term label={t('sb.col.department')}>
              {orgName(r.consumerOrg)} <span className="code">{r.consumerOrg}</span>
            </Term>
            <Term label={t('sb.receipt.issuedAt')}>{f.dateTime(r.issuedAt)}</Term>
            <Term label={t('sb.receipt.keyId')} testId="sb-receipt-key-id">
              {r.keyId}
            </Term>
            <Term label={t('sb.receipt.signature')} testId="sb-receipt-signature">
              <span className="code">{r.signature}</span>
            </Term>
          </dl>
          <ListTable rows={r.claims} columns={[t('sb.col.claim'), t('sb.col.result'), t('sb.receipt.digest')]} compact testId="sb-receipt-claims">
            {(c) => (
              <tr key={c.template} data-testid="sb-receipt-claim" data-template={c.template}>
                <td>{names.templateName(c.template)}</td>
                <td>
                  <ResultPill result={c.result} />
                </td>
                <td className="code">{c.digest}</td>
              </tr>
            )}
          </ListTable>
          <div className="form-actions">
            {download && (
              <a className="button primary" href={download} download={`receipt-${r.id}.json`} data-testid="sb-receipt-download">
                {t('sb.receipt.download')}
              </a>
            )}
            <a className="button" href={sbPaths.receiptKeys} download="receipt-keys.json" data-testid="sb-receipt-keys">
              {t('sb.receipt.keys')}
            </a>
          </div>
          <pre className="snippet">{`ludao verify-receipt receipt-${r.id}.json --key receipt-keys.json`}</pre>
        </>
      )}
    </section>
  );
}
