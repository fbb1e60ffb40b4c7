// Pieces the sandbox pages share: a claim's result as a pill, a refusal reason in words, the
// refused verification's reasons per claim under the server's message, the inputs of a
// template's parameters generated from their specs, a choice of case type, and the table of
// verification attempts.
import { type ApiError } from './api';
import { useFormat } from './format';
import { translateMaybe, useI18n, type Lang } from './i18n';
import { Link } from './router';
import { refusalReasons, type CaseType, type SandboxNames, type Template, type VerificationAttempt } from './sb-api';
import { ActionError, ListTable } from './ui';
import { nameIn, useOrgNames } from './xc-api';

/** A refusal reason (`sb.refusal.<reason>`) in words, or the code when there are none for it. */
export function refusalLabel(lang: Lang, reason: string): string {
  return translateMaybe(lang, `sb.refusal.${reason}`) ?? reason;
}

/**
 * What a claim came to, as a coloured pill: match, no_match or unverifiable, or "refused" (with
 * its reason) when the attempt was refused.
 */
export function ResultPill({ result, refusal, testId }: { result: string | null; refusal?: string | null; testId?: string }) {
  const { lang } = useI18n();
  const shown = result ?? 'refused';
  return (
    <span className={`pill sb-${shown}`} data-testid={testId} data-result={shown}>
      {translateMaybe(lang, `sb.result.${shown}`) ?? shown}
      {refusal ? ` · ${refusalLabel(lang, refusal)}` : ''}
    </span>
  );
}

/**
 * A verification the server refused: its status and message, then each claim's reason
 * (`claimName(i)` names the claim at index i of the request).
 */
export function RefusalError({ title, error, claimName, testId }: { title: string; error: ApiError; claimName: (index: number) => string; testId: string }) {
  const { lang, t } = useI18n();
  const reasons = refusalReasons(error);
  return (
    <div data-testid={testId}>
      <ActionError title={title} error={error} testId={`${testId}-problem`} />
      {reasons.length > 0 && (
        <ul className="sb-reasons" aria-label={t('sb.refusal.reasons')} data-testid={`${testId}-reasons`}>
          {reasons.map((r) => (
            <li key={r.claim} data-reason={r.reason}>
              {claimName(r.claim)}: {refusalLabel(lang, r.reason)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A template parameter as the API describes it. */
export type ParamSpec = Template['params'][number];

// How each parameter type is typed in: the input's type and what it accepts.
const INPUTS: Readonly<Record<string, { type: string; pattern?: string; maxLength?: number; min?: number; max?: number; placeholder?: string }>> = {
  integer: { type: 'number', min: 1, max: 1200 },
  month: { type: 'month', placeholder: 'YYYY-MM' },
  date: { type: 'date' },
  resident_id: { type: 'text', pattern: '[0-9]{17}[0-9Xx]', maxLength: 18, placeholder: '350203…' },
  credit_code: { type: 'text', pattern: '[0-9A-HJ-NPQRTUWXY]{18}', maxLength: 18 },
  district: { type: 'text', pattern: '[0-9]{6}', maxLength: 6, placeholder: '350203' },
};

/**
 * The inputs of a template's parameters, one per spec, generated from its type; `values` by
 * parameter name. Test ids: `<testId>-<param name>`.
 */
export function ParamInputs({ params, values, onChange, disabled, testId }: { params: readonly ParamSpec[]; values: Readonly<Record<string, string>>; onChange: (values: Record<string, string>) => void; disabled: boolean; testId: string }) {
  const { lang } = useI18n();
  return (
    <div className="sb-params">
      {params.map((p) => {
        const input = INPUTS[p.type] ?? { type: 'text' };
        return (
          <label key={p.name} className="field">
            <span>{lang === 'en' ? p.labelEn : p.labelZh}</span>
            <input {...input} required value={values[p.name] ?? ''} onChange={(e) => onChange({ ...values, [p.name]: e.target.value })} disabled={disabled} data-testid={`${testId}-${p.name}`} />
          </label>
        );
      })}
    </div>
  );
}

/** Parameters as the API takes them: whole numbers for `integer`, trimmed text (upper case for IDs) for the rest. */
export function paramValues(params: readonly ParamSpec[], values: Readonly<Record<string, string>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const p of params) {
    const text = (values[p.name] ?? '').trim();
    out[p.name] = p.type === 'integer' && /^\d+$/.test(text) ? Number(text) : p.type === 'resident_id' || p.type === 'credit_code' ? text.toUpperCase() : text;
  }
  return out;
}

/** A choice of case type, named in the reader's language; `placeholder` adds an empty first option. */
export function CaseTypeSelect({ caseTypes, value, onChange, disabled, placeholder, testId }: { caseTypes: readonly CaseType[]; value: string; onChange: (code: string) => void; disabled: boolean; placeholder?: string; testId: string }) {
  const { lang, t } = useI18n();
  return (
    <label className="field">
      <span>{t('sb.col.caseType')}</span>
      <select value={value} required onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {caseTypes.map((c) => (
          <option key={c.code} value={c.code}>
            {nameIn(lang, c)}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Verification attempts, one row per claim: when, department, case type and case, claim, handler,
 * result (or refusal), receipt; `showDepartment` for overseers, who see every department's.
 */
export function AttemptTable({ attempts, names, receiptPath, showDepartment = false, testId }: { attempts: readonly VerificationAttempt[]; names: SandboxNames; receiptPath?: (id: string) => string; showDepartment?: boolean; testId: string }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const orgName = useOrgNames(lang, showDepartment);
  const columns = [t('sb.col.when'), ...(showDepartment ? [t('sb.col.department')] : []), t('sb.col.caseType'), t('sb.col.case'), t('sb.col.claim'), t('sb.col.handler'), t('sb.col.result'), ...(receiptPath ? [t('sb.col.receipt')] : [])];
  return (
    <ListTable rows={attempts} columns={columns} compact empty={t('sb.h.recentNone')} emptyTestId={`${testId}-empty`} testId={testId}>
      {(a) => (
        <tr key={a.id} data-testid={`${testId}-row`} data-case={a.caseId} data-outcome={a.outcome} data-refusal={a.refusal ?? undefined}>
          <td className="nowrap">{f.dateTime(a.at)}</td>
          {showDepartment && <td>{orgName(a.department)}</td>}
          <td>{names.caseTypeName(a.caseType)}</td>
          <td className="code">{a.caseId}</td>
          <td>{names.templateName(a.template)}</td>
          <td className="code" title={a.handler}>
            {/* A user's id is a UUID, shown by its start; a system's name in full. */}
            {/^[0-9a-f]{8}-[0-9a-f-]{27}$/.test(a.handler) ? a.handler.slice(0, 8) : a.handler}
          </td>
          <td>
            <ResultPill result={a.result} refusal={a.refusal} testId={`${testId}-result`} />
            {a.refusal === 'sweep' && (
              <span className="badge overdue" data-testid={`${testId}-sweep`}>
                {t('sb.ops.sweep')}
              </span>
            )}
          </td>
          {receiptPath && <td>{a.receiptId ? <Link to={receiptPath(a.receiptId)}>{t('sb.col.receipt')}</Link> : '—'}</td>}
        </tr>
      )}
    </ListTable>
  );
}
