// The citizen portal's sandbox tabs: consents (which case type may check which of my claims,
// until when; give one, withdraw one) and the verifications made about me, with their results.
import { Fragment, useState, type FormEvent } from 'react';
import { api } from './api';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n } from './i18n';
import { labelIn, sbPaths, useSandboxNames, type CaseType, type Consent, type MyVerification, type NewConsentBody } from './sb-api';
import { CaseTypeSelect, ResultPill } from './sb-parts';
import { ActionError, ConfirmForm, FormRow, ListTable, LoadedSection, Notice, type ColumnHead } from './ui';
import { chinaDay, nameIn, useAction } from './xc-api';
import { FieldChecks, joinList } from './xc-parts';

/** The citizen's consents, and the form that gives a new one. */
export function ConsentsPage() {
  const { lang, t } = useI18n();
  const consents = useApiGet<Consent[]>(sbPaths.consents);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <LoadedSection headingId="sb-consents-h" title={t('sb.consents.title')} help={t('sb.consents.help')} loaded={consents} refreshTestId="sb-consents-refresh">
        {(items) => (
          <>
            {done && <Notice testId="sb-consent-done">{done}</Notice>}
            <ConsentTable
              consents={items}
              onWithdrawn={(c) => {
                setDone(t('sb.consent.withdrawn', { caseType: labelIn(lang, c.caseTypeName, c.caseType) }));
                consents.reload();
              }}
            />
          </>
        )}
      </LoadedSection>
      <section className="section panel" aria-labelledby="sb-consent-new-h">
        <h2 id="sb-consent-new-h">{t('sb.consent.new')}</h2>
        <p className="muted small">{t('sb.consent.newHelp')}</p>
        <ConsentForm
          onGiven={(c) => {
            setDone(t('sb.consent.given', { caseType: labelIn(lang, c.caseTypeName, c.caseType), count: c.templates.length }));
            consents.reload();
          }}
        />
      </section>
    </>
  );
}

function ConsentTable({ consents, onWithdrawn }: { consents: readonly Consent[]; onWithdrawn: (consent: Consent) => void }) {
  const { lang, t } = useI18n();
  const f = useFormat();
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const columns: ColumnHead[] = [t('sb.col.caseType'), t('sb.col.department'), t('sb.col.claims'), t('sb.col.until'), t('sb.col.status'), { label: t('xc.col.actions'), hidden: true }];
  return (
    <ListTable rows={consents} columns={columns} empty={t('sb.consents.none')} emptyTestId="sb-consents-empty" testId="sb-consents">
      {(c) => (
        <Fragment key={c.id}>
          <tr data-testid="sb-consent-row" data-id={c.id} data-case-type={c.caseType} data-status={c.status}>
            <td>
              {labelIn(lang, c.caseTypeName, c.caseType)}
              <div className="code">{c.caseType}</div>
            </td>
            <td>{labelIn(lang, c.departmentName, c.department)}</td>
            <td className="fields-cell">{joinList(lang, c.templates.map((x) => labelIn(lang, x.name, x.code)))}</td>
            <td className="nowrap">{f.day(c.validUntil)}</td>
            <td>
              <span className={`pill xc-${c.status}`} data-testid="sb-consent-status">
                {t(`sb.consent.status.${c.status}`)}
              </span>
              {c.withdrawnAt && <div className="sub">{f.dateTime(c.withdrawnAt)}</div>}
            </td>
            <td>
              {c.status === 'live' && withdrawing !== c.id && (
                <button type="button" className="button small" onClick={() => setWithdrawing(c.id)} data-testid="sb-consent-withdraw">
                  {t('sb.consent.withdraw')}
                </button>
              )}
            </td>
          </tr>
          {withdrawing === c.id && (
            <FormRow columns={columns.length}>
              <ConfirmForm
                text={t('sb.consent.withdrawText', { caseType: labelIn(lang, c.caseTypeName, c.caseType), department: labelIn(lang, c.departmentName, c.department) })}
                confirmLabel={t('sb.consent.withdrawConfirm')}
                keepLabel={t('sb.consent.keep')}
                failedTitle={t('sb.consent.withdrawFailed')}
                testId="sb-withdraw"
                run={() => api<Consent>('POST', sbPaths.withdrawConsent(c.id))}
                onCancel={() => setWithdrawing(null)}
                onDone={() => {
                  setWithdrawing(null);
                  onWithdrawn(c);
                }}
              />
            </FormRow>
          )}
        </Fragment>
      )}
    </ListTable>
  );
}

// At most two years ahead, as the server allows.
const LONGEST_DAYS = 730;

/** A new consent: the case type, its whitelisted claims to allow, until when; the text says exactly what will be checked. */
function ConsentForm({ onGiven }: { onGiven: (consent: Consent) => void }) {
  const { lang, t } = useI18n();
  const names = useSandboxNames(lang);
  const [caseTypeCode, setCaseTypeCode] = useState('');
  const [claims, setClaims] = useState<string[]>([]);
  const [until, setUntil] = useState(() => chinaDay(365));
  const action = useAction();
  const caseType: CaseType | undefined = names.caseType(caseTypeCode);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy || !caseType || claims.length === 0) return;
    const body: NewConsentBody = { caseType: caseType.code, templates: claims, validUntil: until };
    const given = await action.run(() => api<Consent>('POST', sbPaths.consents, body));
    if (given) {
      setCaseTypeCode('');
      setClaims([]);
      onGiven(given);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="sb-consent-form" aria-busy={action.busy}>
      <CaseTypeSelect
        caseTypes={names.caseTypes}
        value={caseTypeCode}
        onChange={(code) => {
          setCaseTypeCode(code);
          setClaims([]);
          action.clear();
        }}
        disabled={action.busy}
        placeholder={t('sb.consent.choose')}
        testId="sb-consent-case-type"
      />
      {caseType && (
        <p className="hint" data-testid="sb-consent-purpose">
          {labelIn(lang, caseType.ownerName, caseType.ownerOrg)} · {t('sb.consent.purpose', { purpose: caseType.purpose, basis: caseType.legalBasis })}
        </p>
      )}
      {caseType && (
        <>
          <FieldChecks
            legend={t('sb.consent.claims')}
            fields={caseType.templates.map((code) => ({ name: code, label: names.templateName(code) }))}
            selected={claims}
            onChange={setClaims}
            disabled={action.busy}
            testId="sb-consent-claims"
          />
          <label className="field">
            <span>{t('sb.consent.until')}</span>
            <input type="date" required value={until} min={chinaDay(0)} max={chinaDay(LONGEST_DAYS)} onChange={(e) => setUntil(e.target.value)} disabled={action.busy} data-testid="sb-consent-until" />
            <span className="hint">{t('sb.consent.untilHelp')}</span>
          </label>
          <p className="consent-text" data-testid="sb-consent-text">
            {claims.length === 0
              ? t('sb.consent.pickClaims')
              : t('sb.consent.text', {
                  department: labelIn(lang, caseType.ownerName, caseType.ownerOrg),
                  caseType: nameIn(lang, caseType),
                  claims: joinList(
                    lang,
                    claims.map((code) => names.templateName(code)),
                  ),
                  until,
                })}
          </p>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={action.busy || claims.length === 0} data-testid="sb-consent-submit">
              {action.busy ? t('xc.sending') : t('sb.consent.submit')}
            </button>
          </div>
        </>
      )}
      {action.error && <ActionError title={t('sb.consent.failed')} error={action.error} testId="sb-consent-error" />}
    </form>
  );
}

/** Every claim checked about the citizen: when, which department, case type and case, which claim, its result. */
export function MyVerificationsPage() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const mine = useApiGet<MyVerification[]>(sbPaths.myVerifications);
  const columns: ColumnHead[] = [t('sb.col.when'), t('sb.col.department'), t('sb.col.caseType'), t('sb.col.case'), t('sb.col.claim'), t('sb.col.result')];
  return (
    <LoadedSection headingId="sb-my-h" title={t('sb.my.title')} help={t('sb.my.help')} loaded={mine} refreshTestId="sb-my-refresh">
      {(items) => (
        <ListTable rows={items} columns={columns} compact empty={t('sb.my.none')} emptyTestId="sb-my-empty" testId="sb-my">
          {(v) => (
            <tr key={v.id} data-testid="sb-my-row" data-id={v.id} data-case={v.caseId}>
              <td className="nowrap">{f.dateTime(v.at)}</td>
              <td>{labelIn(lang, v.departmentName, v.department)}</td>
              <td>{labelIn(lang, v.caseTypeName, v.caseType)}</td>
              <td className="code">{v.caseId}</td>
              <td>{labelIn(lang, v.templateName, v.template)}</td>
              <td>
                <ResultPill result={v.result} refusal={v.refusal} testId="sb-my-result" />
              </td>
            </tr>
          )}
        </ListTable>
      )}
    </LoadedSection>
  );
}
