// The department workbench: data sharing between departments (requests both ways, asking for
// data, channels, change subscriptions, calls) for those who share data, and the case handler's
// pages (verification, and the services built on it) for case handlers. API keys and data
// provision are still to come.
import type { ReactNode } from 'react';
import type { Me } from './api';
import { AREA_INFO } from './areas';
import { useI18n, type MessageKey } from './i18n';
import { Title } from './title';
import { pathSegments } from './router';
import { AdmissionPage, runsAdmission } from './adm-handler';
import { VerifyPage, type CasePageProps } from './sb-handler';
import { configuresMaternity, handlesMaternity, MaternityQueuePage, MaternityRulesPage } from './sv-maternity';
import { AreaHeader, TabNav } from './ui';
import { AskPage } from './xc-ask';
import { CallsPage, ChannelsPage } from './xc-channels';
import { RequestList, RequestPage } from './xc-requests';
import { sharesData } from './xc-api';
import { SubscriptionsPage } from './xc-subscriptions';

/** Where the department workbench lives. */
export const DEPARTMENT_PATH = AREA_INFO.department.path;

/** A page of the workbench: a data-sharing page, or a case handler's page (`case`, a tab of CASE_TABS). */
export type DepartmentRoute =
  | { page: 'ours' }
  | { page: 'theirs' }
  | { page: 'ask' }
  | { page: 'channels' }
  | { page: 'subscriptions' }
  | { page: 'calls' }
  | { page: 'request'; id: string }
  | { page: 'case'; tab: string; rest: readonly string[] };

type Tab = Exclude<DepartmentRoute['page'], 'request' | 'case'>;

/** A case handler's tab: its key, path, label and page; `subpaths` lets the page take paths below its own. */
interface CaseTab {
  key: string;
  path: string;
  label: MessageKey;
  Page: (props: CasePageProps) => ReactNode;
  subpaths?: boolean;
  /** Who the tab is for (by default case handlers). */
  opens?: (me: Me) => boolean;
}

// The case handler's tabs, in order. A service for case handlers is one line here (and its label in i18n.ts).
const CASE_TABS: readonly CaseTab[] = [
  { key: 'verify', path: `${DEPARTMENT_PATH}/verify`, label: 'sb.tab.verify', Page: VerifyPage, subpaths: true },
  { key: 'maternity', path: `${DEPARTMENT_PATH}/maternity`, label: 'mt.review.tab', Page: MaternityQueuePage, opens: handlesMaternity },
  { key: 'maternity-rules', path: `${DEPARTMENT_PATH}/maternity-rules`, label: 'mt.rules.tab', Page: MaternityRulesPage, opens: configuresMaternity },
  { key: 'admission', path: `${DEPARTMENT_PATH}/admission`, label: 'adm.tab', Page: AdmissionPage, subpaths: true, opens: runsAdmission },
];

/** The case tabs this user may open. */
function caseTabsFor(me: Me): CaseTab[] {
  return CASE_TABS.filter((x) => (x.opens ?? handlesCases)(me));
}

/** Whether the user handles cases for a department (verification and the services built on it). */
export function handlesCases(me: Me): boolean {
  return me.org !== null && me.roles.includes('case_handler');
}

/** Whether the user may open this page of the workbench: sharing pages for those who share data, case pages for case handlers. */
export function opensWorkbench(route: DepartmentRoute, me: Me): boolean {
  return route.page === 'case' ? caseTabsFor(me).some((x) => x.key === route.tab) : sharesData(me);
}

const TABS: readonly { tab: Tab; path: string; label: MessageKey }[] = [
  { tab: 'ours', path: DEPARTMENT_PATH, label: 'xc.ours' },
  { tab: 'theirs', path: `${DEPARTMENT_PATH}/incoming`, label: 'xc.theirs' },
  { tab: 'ask', path: `${DEPARTMENT_PATH}/ask`, label: 'xc.ask' },
  { tab: 'channels', path: `${DEPARTMENT_PATH}/channels`, label: 'xc.channels' },
  { tab: 'subscriptions', path: `${DEPARTMENT_PATH}/subscriptions`, label: 'xc.subscriptions' },
  { tab: 'calls', path: `${DEPARTMENT_PATH}/calls`, label: 'xc.calls' },
];

/**
 * The workbench page for a path under /department, or null when there is none
 * (`/department/requests/XR-20260512-1a2b3c4d` is one request).
 */
export function departmentRoute(path: string, me: Me): DepartmentRoute | null {
  const segments = pathSegments(path, DEPARTMENT_PATH);
  if (!segments) return null;
  const [first, second, ...rest] = segments;
  // A case handler who shares no data starts at the first case page.
  if (first === undefined) return !sharesData(me) && handlesCases(me) ? { page: 'case', tab: CASE_TABS[0]!.key, rest: [] } : { page: 'ours' };
  const caseTab = CASE_TABS.find((x) => x.path === `${DEPARTMENT_PATH}/${first}`);
  if (caseTab) return second === undefined || caseTab.subpaths ? { page: 'case', tab: caseTab.key, rest: second === undefined ? [] : [second, ...rest] } : null;
  if (first === 'requests' && second !== undefined && rest.length === 0) return { page: 'request', id: second };
  if (second !== undefined) return null;
  const tab = TABS.find((x) => x.path === `${DEPARTMENT_PATH}/${first}`);
  return tab ? { page: tab.tab } : null;
}

/** The workbench at one of its pages. */
export function DepartmentWorkbench({ route, me }: { route: DepartmentRoute; me: Me }) {
  switch (route.page) {
    case 'ours':
      return (
        <WorkbenchFrame tab="ours" me={me}>
          <RequestList key="consumer" side="consumer" />
        </WorkbenchFrame>
      );
    case 'theirs':
      return (
        <WorkbenchFrame tab="theirs" me={me}>
          <RequestList key="provider" side="provider" />
        </WorkbenchFrame>
      );
    case 'ask':
      return (
        <WorkbenchFrame tab="ask" me={me}>
          <AskPage me={me} />
        </WorkbenchFrame>
      );
    case 'channels':
      return (
        <WorkbenchFrame tab="channels" me={me}>
          <ChannelsPage me={me} />
        </WorkbenchFrame>
      );
    case 'subscriptions':
      return (
        <WorkbenchFrame tab="subscriptions" me={me}>
          <SubscriptionsPage me={me} />
        </WorkbenchFrame>
      );
    case 'calls':
      return (
        <WorkbenchFrame tab="calls" me={me}>
          <CallsPage />
        </WorkbenchFrame>
      );
    case 'request':
      return (
        <WorkbenchFrame tab={null} me={me}>
          <RequestPage key={route.id} id={route.id} me={me} />
        </WorkbenchFrame>
      );
    case 'case': {
      const tab = CASE_TABS.find((x) => x.key === route.tab) ?? CASE_TABS[0]!;
      return (
        <WorkbenchFrame tab={null} caseTab={tab.key} me={me}>
          <tab.Page key={tab.key} me={me} path={tab.path} rest={route.rest} />
        </WorkbenchFrame>
      );
    }
  }
}

/**
 * The workbench's heading, its data-sharing tabs (for those who share data) and its case tabs (for
 * case handlers); a request page (no tab) sets its own title.
 */
function WorkbenchFrame({ tab, caseTab = null, me, children }: { tab: Tab | null; caseTab?: string | null; me: Me; children: ReactNode }) {
  const { t } = useI18n();
  const area = t('area.department.name');
  const current = TABS.find((x) => x.tab === tab) ?? CASE_TABS.find((x) => x.key === caseTab);
  return (
    <div className="page console" data-testid="area-page-department">
      {current && <Title text={`${t(current.label)} · ${area}`} />}
      <AreaHeader area="department" />
      {sharesData(me) && (
        <TabNav
          label={t('xc.sharing')}
          caption
          testId="xc-tabs"
          current={tab ?? ''}
          tabs={TABS.map((x) => ({ key: x.tab, path: x.path, label: t(x.label), testId: `xc-tab-${x.tab}` }))}
          planned={[
            { label: t('area.department.f3'), title: t('area.department.f3d') },
            { label: t('area.department.f4'), title: t('area.department.f4d') },
          ]}
        />
      )}
      {caseTabsFor(me).length > 0 && (
        <TabNav
          label={t('sb.cases')}
          caption
          testId="sb-case-tabs"
          current={caseTab ?? ''}
          tabs={caseTabsFor(me).map((x) => ({ key: x.key, path: x.path, label: t(x.label), testId: `sb-tab-${x.key}` }))}
        />
      )}
      {children}
    </div>
  );
}
