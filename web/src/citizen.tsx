// The citizen portal: who used my data (every exchange call that touched it), with a way to
// report a use as misuse; the portal's other services are still to come.
import { Fragment, useState, type FormEvent } from 'react';
import { api } from './api';
import { AREA_INFO } from './areas';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n, type MessageKey } from './i18n';
import { useTitle } from './title';
import { ActionError, AreaHeader, LoadError, Loading } from './ui';
import { useAction, xcPaths, type DataUse } from './xc-api';
import { joinList, OutcomePill } from './xc-parts';

/** Where the citizen portal lives. */
export const CITIZEN_PATH = AREA_INFO.citizen.path;

// "My data" (f2) is built; the others are still planned.
const PLANNED = ['area.citizen.f1', 'area.citizen.f3', 'area.citizen.f4'] as const;

/** The portal's page. */
export function CitizenPortal() {
  const { t } = useI18n();
  useTitle(t('area.citizen.name'));
  return (
    <div className="page console" data-testid="area-page-citizen">
      <AreaHeader area="citizen" />
      <DataUses />
      <section aria-labelledby="planned">
        <h2 id="planned">{t('area.whatWillBeHere')}</h2>
        <ul className="cards features">
          {PLANNED.map((key) => (
            <li key={key} className="card feature">
              <span className="card-title">
                {t(key)} <span className="badge">{t('area.planned')}</span>
              </span>
              <span className="card-text">{t(`${key}d` as MessageKey)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Every use of the citizen's data, newest first, each with "report misuse". */
function DataUses() {
  const { lang, t } = useI18n();
  const f = useFormat();
  const uses = useApiGet<DataUse[]>(xcPaths.dataUses);
  const [reporting, setReporting] = useState<string | null>(null);
  // Reported here and now, before the list is loaded again.
  const [reported, setReported] = useState<ReadonlySet<string>>(new Set());
  const items = uses.data;
  const columns = 9;

  return (
    <section className="section" aria-labelledby="cz-uses-h">
      <div className="section-head">
        <h2 id="cz-uses-h">{t('cz.uses.title')}</h2>
        <button type="button" className="button small" onClick={uses.reload} disabled={uses.loading} data-testid="cz-refresh">
          {uses.loading ? t('dc.refreshing') : t('dc.refresh')}
        </button>
      </div>
      <p className="muted small">{t('cz.uses.help')}</p>
      {uses.error && <LoadError message={uses.error.message} onRetry={uses.reload} />}
      {!items && !uses.error && <Loading />}
      {items &&
        (items.length === 0 ? (
          <p className="empty" data-testid="cz-uses-empty">
            {t('cz.uses.none')}
          </p>
        ) : (
          <div className="table-wrap" data-testid="cz-uses">
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col">{t('cz.col.when')}</th>
                  <th scope="col">{t('cz.col.department')}</th>
                  <th scope="col">{t('cz.col.system')}</th>
                  <th scope="col">{t('xc.col.resource')}</th>
                  <th scope="col">{t('xc.col.fields')}</th>
                  <th scope="col">{t('xc.req.purpose')}</th>
                  <th scope="col">{t('xc.col.case')}</th>
                  <th scope="col">{t('xc.col.outcome')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('xc.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => {
                  const isReported = u.reported || reported.has(u.callId);
                  return (
                    <Fragment key={u.callId}>
                      <tr data-testid="cz-use-row" data-call={u.callId}>
                        <td className="nowrap">{f.dateTime(u.at)}</td>
                        <td>{u.departmentName ? u.departmentName[lang === 'en' ? 'en' : 'zh'] : (u.department ?? '—')}</td>
                        <td>{u.system ?? '—'}</td>
                        <td>{u.resourceName ? u.resourceName[lang === 'en' ? 'en' : 'zh'] : (u.resource ?? '—')}</td>
                        <td className="fields-cell">{joinList(lang, u.fieldLabels.map((l) => (lang === 'en' ? l.en : l.zh)))}</td>
                        <td className="purpose">{u.purpose ?? '—'}</td>
                        <td className="code">{u.caseId ?? '—'}</td>
                        <td>
                          <OutcomePill outcome={u.outcome} />
                        </td>
                        <td className="nowrap">
                          {isReported ? (
                            <span className="pill xc-reported" data-testid="cz-reported">
                              {t('cz.reported')}
                            </span>
                          ) : (
                            reporting !== u.callId && (
                              <button type="button" className="button small" onClick={() => setReporting(u.callId)} data-testid="cz-report">
                                {t('cz.report')}
                              </button>
                            )
                          )}
                        </td>
                      </tr>
                      {reporting === u.callId && !isReported && (
                        <tr className="row-form">
                          <td colSpan={columns}>
                            <ReportForm
                              use={u}
                              onCancel={() => setReporting(null)}
                              onReported={() => {
                                setReporting(null);
                                setReported((s) => new Set([...s, u.callId]));
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function ReportForm({ use, onCancel, onReported }: { use: DataUse; onCancel: () => void; onReported: () => void }) {
  const { t } = useI18n();
  const f = useFormat();
  const [reason, setReason] = useState('');
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (action.busy) return;
    if (await action.run(() => api<{ id: string }>('POST', xcPaths.reportUse(use.callId), { reason: reason.trim() }))) onReported();
  }

  return (
    <form className="form inline-form" onSubmit={(e) => void submit(e)} data-testid="cz-report-form" aria-busy={action.busy}>
      <label className="field grow">
        <span>{t('cz.reportReason', { when: f.dateTime(use.at) })}</span>
        <textarea value={reason} required minLength={4} maxLength={2000} rows={2} onChange={(e) => setReason(e.target.value)} disabled={action.busy} autoFocus data-testid="cz-report-reason" />
        <span className="hint">{t('cz.reportHelp')}</span>
      </label>
      <div className="form-actions">
        <button type="submit" className="button danger" disabled={action.busy} data-testid="cz-report-submit">
          {action.busy ? t('xc.sending') : t('cz.reportSubmit')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          {t('xc.cancel')}
        </button>
      </div>
      {action.error && <ActionError title={t('cz.reportFailed')} error={action.error} testId="cz-report-error" />}
    </form>
  );
}
