// The department workbench: data sharing between departments (requests both ways, asking for
// data, channels, change subscriptions, calls). API keys and data provision are still to come.
import type { ReactNode } from 'react';
import type { Me } from './api';
import { AREA_INFO } from './areas';
import { useI18n, type MessageKey } from './i18n';
import { Title } from './title';
import { AreaHeader, TabNav } from './ui';
import { AskPage } from './xc-ask';
import { CallsPage, ChannelsPage } from './xc-channels';
import { RequestList, RequestPage } from './xc-requests';
import { SubscriptionsPage } from './xc-subscriptions';

/** Where the department workbench lives. */
export const DEPARTMENT_PATH = AREA_INFO.department.path;

/** A page of the workbench. */
export type DepartmentRoute = { page: 'ours' } | { page: 'theirs' } | { page: 'ask' } | { page: 'channels' } | { page: 'subscriptions' } | { page: 'calls' } | { page: 'request'; id: string };

type Tab = Exclude<DepartmentRoute['page'], 'request'>;

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
export function departmentRoute(path: string): DepartmentRoute | null {
  if (path !== DEPARTMENT_PATH && !path.startsWith(`${DEPARTMENT_PATH}/`)) return null;
  let segments: string[];
  try {
    segments = path.slice(DEPARTMENT_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const [first, second, ...rest] = segments;
  if (first === undefined) return { page: 'ours' };
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
        <WorkbenchFrame tab="ours">
          <RequestList key="consumer" side="consumer" />
        </WorkbenchFrame>
      );
    case 'theirs':
      return (
        <WorkbenchFrame tab="theirs">
          <RequestList key="provider" side="provider" />
        </WorkbenchFrame>
      );
    case 'ask':
      return (
        <WorkbenchFrame tab="ask">
          <AskPage me={me} />
        </WorkbenchFrame>
      );
    case 'channels':
      return (
        <WorkbenchFrame tab="channels">
          <ChannelsPage me={me} />
        </WorkbenchFrame>
      );
    case 'subscriptions':
      return (
        <WorkbenchFrame tab="subscriptions">
          <SubscriptionsPage me={me} />
        </WorkbenchFrame>
      );
    case 'calls':
      return (
        <WorkbenchFrame tab="calls">
          <CallsPage />
        </WorkbenchFrame>
      );
    case 'request':
      return (
        <WorkbenchFrame tab={null}>
          <RequestPage key={route.id} id={route.id} me={me} />
        </WorkbenchFrame>
      );
  }
}

/** The workbench's heading and its data-sharing tabs; a request page (no tab) sets its own title. */
function WorkbenchFrame({ tab, children }: { tab: Tab | null; children: ReactNode }) {
  const { t } = useI18n();
  const area = t('area.department.name');
  const current = TABS.find((x) => x.tab === tab);
  return (
    <div className="page console" data-testid="area-page-department">
      {current && <Title text={`${t(current.label)} · ${area}`} />}
      <AreaHeader area="department" />
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
      {children}
    </div>
  );
}
