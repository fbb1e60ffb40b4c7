// The operator console's sandbox page (sandbox:oversee): every department's recent verifications
// and refusals, sweeps flagged; the planning aggregate (counts per street or district under
// disclosure control: ≤ 7 withheld, others rounded to 5), for those who may count; and the
// receipt keys, which operators may rotate.
import { useMemo, useState, type FormEvent } from 'react';
import { api } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { sbPaths, useSandboxNames, type Aggregate, type AggregateBody, type CaseType, type ReceiptKey, type ReceiptKeys, type SandboxNames, type VerificationAttempt } from './sb-api';
import { AttemptTable, CaseTypeSelect, ParamInputs, paramValues } from './sb-parts';
import { ActionError, ConfirmForm, ListTable, LoadedSection, Loading, Notice } from './ui';
import { useAction } from './xc-api';

/**
 * Oversight of the sandbox; `counts` shows the planning aggregate form (sandbox:aggregate),
 * `rotate` the receipt key's rotation (sandbox:keys).
 */
export function SandboxOversight({ counts, rotate }: { counts: boolean; rotate: boolean }) {
  const { lang, t } = useI18n();
  const names = useSandboxNames(lang);
  const attempts = useApiGet<VerificationAttempt[]>(sbPaths.verifications({ limit: 200 }));
  const [refusedOnly, setRefusedOnly] = useState(false);
  const shown = useMemo(() => (attempts.data ?? []).filter((a) => !refusedOnly || a.outcome !== 'answered'), [attempts.data, refusedOnly]);
  const sweeps = (attempts.data ?? []).filter((a) => a.refusal === 'sweep').length;
  return (
    <>
      <LoadedSection
        headingId="sb-ops-h"
        title={t('sb.ops.recent')}
        help={t('sb.ops.recentHelp')}
        loaded={attempts}
        refreshTestId="sb-ops-refresh"
        tools={
          <label className="field-check">
            <input type="checkbox" checked={refusedOnly} onChange={(e) => setRefusedOnly(e.target.checked)} data-testid="sb-ops-refused-only" /> {t('sb.ops.refusedOnly')}
          </label>
        }
      >
        {() => (
          <>
            {sweeps > 0 && (
              <p className="alert" role="status" data-testid="sb-ops-sweeps">
                {t('sb.ops.sweeps', { count: sweeps })}
              </p>
            )}
            <AttemptTable attempts={shown} names={names} showDepartment testId="sb-ops" />
          </>
        )}
      </LoadedSection>
      {counts && (
        <section className="section panel" aria-labelledby="sb-agg-h">
          <h2 id="sb-agg-h">{t('sb.agg.title')}</h2>
          <p className="muted small">{t('sb.agg.help')}</p>
          {names.ready ? <AggregateForm names={names} /> : <Loading />}
        </section>
      )}
      <ReceiptKeysSection rotate={rotate} />
    </>
  );
}

/** The keys receipts are signed with, newest first; with `rotate`, a new one can replace the active one. */
function ReceiptKeysSection({ rotate }: { rotate: boolean }) {
  const { t } = useI18n();
  const f = useFormat();
  const keys = useApiGet<ReceiptKeys>(sbPaths.receiptKeys);
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);
  const tools = rotate && !confirming && (
    <button type="button" className="button small" onClick={() => setConfirming(true)} data-testid="sb-keys-rotate">
      {t('sb.keys.rotate')}
    </button>
  );
  return (
    <LoadedSection headingId="sb-keys-h" title={t('sb.keys.title')} help={t('sb.keys.help')} loaded={keys} refreshTestId="sb-keys-refresh" tools={tools}>
      {(data) => (
        <>
          {confirming && (
            <ConfirmForm
              text={t('sb.keys.rotateText')}
              confirmLabel={t('sb.keys.rotateConfirm')}
              keepLabel={t('sb.keys.keep')}
              failedTitle={t('sb.keys.rotateFailed')}
              testId="sb-keys-rotate"
              run={async () => {
                const key = await api<ReceiptKey>('POST', sbPaths.receiptKeys);
                setRotated(key.keyId);
                return key;
              }}
              onCancel={() => setConfirming(false)}
              onDone={() => {
                setConfirming(false);
                keys.reload();
              }}
            />
          )}
          {rotated && !confirming && (
            <Notice testId="sb-keys-rotated">{t('sb.keys.rotated', { key: rotated })}</Notice>
          )}
          <ListTable rows={data.keys} columns={[t('sb.keys.id'), t('sb.keys.created'), t('sb.keys.state')]} compact empty={t('sb.keys.none')} testId="sb-keys">
            {(k) => (
              <tr key={k.keyId} data-testid="sb-keys-row" data-key={k.keyId} data-active={k.retiredAt === null ? 'yes' : 'no'}>
                <td className="code">{k.keyId}</td>
                <td>{f.dateTime(k.createdAt)}</td>
                <td>{k.retiredAt === null ? t('sb.keys.active') : t('sb.keys.retired', { at: f.dateTime(k.retiredAt) })}</td>
              </tr>
            )}
          </ListTable>
        </>
      )}
    </LoadedSection>
  );
}

/**
 * A case type (of `caseTypes`, by default all), one of its claims (templates that name no
 * person), its parameters, street or district → counts.
 */
export function AggregateForm({ names, caseTypes = names.caseTypes }: { names: SandboxNames; caseTypes?: readonly CaseType[] }) {
  const { t } = useI18n();
  const f = useFormat();
  const [caseTypeCode, setCaseTypeCode] = useState(caseTypes[0]?.code ?? '');
  const caseType = names.caseType(caseTypeCode);
  // A count of applicants married to S is a question about S: the server refuses those, so they are not offered.
  const countable = (caseType?.templates ?? []).filter((code) => !(names.template(code)?.params ?? []).some((p) => p.type === 'resident_id'));
  const [templateCode, setTemplateCode] = useState('');
  const template = names.template(countable.includes(templateCode) ? templateCode : (countable[0] ?? ''));
  const [values, setValues] = useState<Record<string, string>>({});
  const [groupBy, setGroupBy] = useState<AggregateBody['groupBy']>('street');
  const [result, setResult] = useState<Aggregate | null>(null);
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy || !caseType || !template) return;
    const body: AggregateBody = { caseType: caseType.code, template: template.code, params: paramValues(template.params, values), groupBy };
    setResult(null);
    const out = await action.run(() => api<Aggregate>('POST', sbPaths.aggregates, body));
    if (out) setResult(out);
  }

  const count = (n: number | null) => (n === null ? t('sb.agg.withheld') : f.number(n));
  return (
    <>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="sb-agg-form" aria-busy={action.busy}>
        <div className="form-grid">
          <CaseTypeSelect
            caseTypes={caseTypes}
            value={caseTypeCode}
            onChange={(code) => {
              setCaseTypeCode(code);
              setTemplateCode('');
              setValues({});
            }}
            disabled={action.busy}
            testId="sb-agg-case-type"
          />
          <label className="field">
            <span>{t('sb.col.claim')}</span>
            <select
              value={template?.code ?? ''}
              onChange={(e) => {
                setTemplateCode(e.target.value);
                setValues({});
              }}
              disabled={action.busy}
              data-testid="sb-agg-template"
            >
              {countable.map((code) => (
                <option key={code} value={code}>
                  {names.templateName(code)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('sb.agg.groupBy')}</span>
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as AggregateBody['groupBy'])} disabled={action.busy} data-testid="sb-agg-group-by">
              <option value="street">{t('sb.agg.street')}</option>
              <option value="district">{t('sb.agg.district')}</option>
            </select>
          </label>
        </div>
        {template && <ParamInputs params={template.params} values={values} onChange={setValues} disabled={action.busy} testId="sb-agg-param" />}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={action.busy || !template} data-testid="sb-agg-submit">
            {action.busy ? t('xc.sending') : t('sb.agg.submit')}
          </button>
        </div>
        {action.error && <ActionError title={t('sb.agg.failed')} error={action.error} testId="sb-agg-error" />}
      </form>
      {result && (
        <>
          <ListTable rows={result.groups} columns={[groupBy === 'street' ? t('sb.agg.street') : t('sb.agg.district'), { label: t('sb.agg.applicants'), num: true }, { label: t('sb.agg.matched'), num: true }]} compact empty={t('sb.agg.none')} testId="sb-agg">
            {(g) => (
              <tr key={g.group ?? '-'} data-testid="sb-agg-row" data-group={g.group ?? ''}>
                <td className="code">{g.group ?? t('sb.agg.unknown')}</td>
                <td className="num" data-withheld={g.applicants === null ? 'yes' : undefined}>
                  {count(g.applicants)}
                </td>
                <td className="num" data-withheld={g.matched === null ? 'yes' : undefined}>
                  {count(g.matched)}
                </td>
              </tr>
            )}
          </ListTable>
        </>
      )}
    </>
  );
}
