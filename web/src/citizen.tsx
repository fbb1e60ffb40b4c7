// The citizen portal, one tab per service: who used my data (every exchange call that touched
// it, with a way to report a use as misuse), consents to verification and the verifications
// made about me (sb-citizen.tsx). A service adds its tab with one line in TABS.
import { Fragment, useState, type ReactNode } from 'react';
import { may, type Me } from './api';
import { AREA_INFO } from './areas';
import { useApiGet } from './dc-api';
import { useFormat } from './format';
import { useI18n, type MessageKey } from './i18n';
import { pathSegments } from './router';
import { ConsentsPage, MyVerificationsPage } from './sb-citizen';
import { AdmissionApplyPage } from './sv-admission';
import { MaternityClaimPage } from './sv-maternity';
import { Title } from './title';
import { AreaHeader, FormRow, ListTable, LoadedSection, TabNav, type ColumnHead } from './ui';
import { xcPaths, type DataUse } from './xc-api';
import { joinList, OutcomePill, ReasonForm } from './xc-parts';

/** Where the citizen portal lives. */
export const CITIZEN_PATH = AREA_INFO.citizen.path;

/** What a tab's page is given: the user, and the path's segments after the tab's own (decoded). */
export interface CitizenPageProps {
  me: Me;
  rest: readonly string[];
}

/** A tab of the portal: its key, path, label and page; `subpaths` lets the page take paths below its own. */
interface CitizenTab {
  key: string;
  path: string;
  label: MessageKey;
  Page: (props: CitizenPageProps) => ReactNode;
  subpaths?: boolean;
  /** The permission the tab's service needs; without it the tab is not shown. */
  needs?: string;
}

// The portal's tabs, in order. A new service is one line here (and its label in i18n.ts).
const TABS: readonly CitizenTab[] = [
  { key: 'uses', path: CITIZEN_PATH, label: 'area.citizen.f2', Page: DataUses },
  { key: 'consents', path: `${CITIZEN_PATH}/consents`, label: 'area.citizen.f3', Page: ConsentsPage, needs: 'sandbox:consent' },
  { key: 'verifications', path: `${CITIZEN_PATH}/verifications`, label: 'sb.cz.verifications', Page: MyVerificationsPage },
  { key: 'maternity', path: `${CITIZEN_PATH}/maternity`, label: 'mt.tab', Page: MaternityClaimPage, needs: 'maternity:apply' },
  { key: 'admission', path: `${CITIZEN_PATH}/admission`, label: 'adm.tab', Page: AdmissionApplyPage, needs: 'admission:apply' },
];

// Still planned: shown greyed after the tabs.
const PLANNED = ['area.citizen.f4'] as const;

/** A page of the portal: a tab and the segments after its path. */
export interface CitizenRoute {
  tab: string;
  rest: readonly string[];
}

/**
 * The portal's page for a path under /citizen, or null when there is none
 * (`/citizen/consents` is the consents tab; a tab with `subpaths` takes `/citizen/<tab>/…`).
 */
export function citizenRoute(path: string): CitizenRoute | null {
  const segments = pathSegments(path, CITIZEN_PATH);
  if (!segments) return null;
  const [first, ...rest] = segments;
  if (first === undefined) return { tab: TABS[0]!.key, rest: [] };
  const tab = TABS.find((x) => x.path === `${CITIZEN_PATH}/${first}`);
  if (!tab || (rest.length > 0 && !tab.subpaths)) return null;
  return { tab: tab.key, rest };
}

/** The portal at one of its tabs. */
export function CitizenPortal({ route, me }: { route: CitizenRoute; me: Me }) {
  const { t } = useI18n();
  // An enterprise account sees who used its data, not a person's services.
  const tabs = TABS.filter((x) => !x.needs || may(me, x.needs));
  const current = tabs.find((x) => x.key === route.tab) ?? tabs[0]!;
  const { Page } = current;
  return (
    <div className="page console" data-testid="area-page-citizen">
      <Title text={`${t(current.label)} · ${t('area.citizen.name')}`} />
      <AreaHeader area="citizen" />
      <TabNav
        label={t('area.citizen.name')}
        testId="cz-tabs"
        current={current.key}
        tabs={tabs.map((x) => ({ key: x.key, path: x.path, label: t(x.label), testId: `cz-tab-${x.key}` }))}
        planned={PLANNED.map((key) => ({ label: t(key), title: t(`${key}d` as MessageKey) }))}
      />
      <Page key={current.key} me={me} rest={route.rest} />
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
