// The citizen portal: who used my data (every exchange call that touched it), with a way to
// report a use as misuse; the portal's other services are still to come.
import { Fragment, useState } from 'react';
import { AREA_INFO } from './areas';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n, type MessageKey } from './i18n';
import { useTitle } from './title';
import { AreaHeader, FormRow, ListTable, LoadedSection, type ColumnHead } from './ui';
import { xcPaths, type DataUse } from './xc-api';
import { joinList, OutcomePill, ReasonForm } from './xc-parts';

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
  const columns: ColumnHead[] = [
    t('cz.col.when'),
    t('cz.col.department'),
    t('cz.col.system'),
    t('xc.col.resource'),
    t('xc.col.fields'),
    t('xc.req.purpose'),
    t('xc.col.case'),
    t('xc.col.outcome'),
    { label: t('xc.col.actions'), hidden: true },
  ];

  return (
    <LoadedSection headingId="cz-uses-h" title={t('cz.uses.title')} help={t('cz.uses.help')} loaded={uses} refreshTestId="cz-refresh">
      {(items) => (
        <ListTable rows={items} columns={columns} compact empty={t('cz.uses.none')} emptyTestId="cz-uses-empty" testId="cz-uses">
          {(u) => {
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
                  <FormRow columns={columns.length}>
                    <ReasonForm
                      path={xcPaths.reportUse(u.callId)}
                      label={t('cz.reportReason', { when: f.dateTime(u.at) })}
                      minLength={4}
                      maxLength={2000}
                      rows={2}
                      help={t('cz.reportHelp')}
                      submit={t('cz.reportSubmit')}
                      failed={t('cz.reportFailed')}
                      testId="cz-report"
                      danger
                      onCancel={() => setReporting(null)}
                      onDone={() => {
                        setReporting(null);
                        setReported((s) => new Set([...s, u.callId]));
                      }}
                    />
                  </FormRow>
                )}
              </Fragment>
            );
          }}
        </ListTable>
      )}
    </LoadedSection>
  );
}
