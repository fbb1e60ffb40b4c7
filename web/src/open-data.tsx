// The open-data portal (大数据开放平台): the catalogue and dataset pages, open to everyone, signed
// in or not; developer keys, publishing and review for those whose roles allow them.
import type { ReactNode } from 'react';
import type { Me } from './api';
import { Logo } from './areas';
import { useI18n, type MessageKey } from './i18n';
import { LangSwitch } from './lang-switch';
import { APPLICATIONS_PATH, ApplicationsPage } from './od-applications';
import { CataloguePage } from './od-catalogue';
import { DatasetPage } from './od-dataset';
import { KeysPage } from './od-keys';
import { PublishPage } from './od-publish';
import { ReviewsPage } from './od-reviews';
import { OPEN_PATH, openDataAbilities, type OpenDataAbilities } from './od-api';
import { Link } from './router';
import { Title } from './title';
import { AreaHeader, TabNav } from './ui';

/** A page of the portal. */
export type OpenDataRoute = { page: 'catalogue' } | { page: 'dataset'; id: string } | { page: 'keys' } | { page: 'applications' } | { page: 'publish' } | { page: 'reviews' };

type Tab = Exclude<OpenDataRoute['page'], 'dataset'>;

const TABS: readonly { tab: Tab; path: string; label: MessageKey; allowed: (a: OpenDataAbilities) => boolean }[] = [
  { tab: 'catalogue', path: OPEN_PATH, label: 'od.tab.catalogue', allowed: () => true },
  { tab: 'keys', path: `${OPEN_PATH}/keys`, label: 'od.tab.keys', allowed: (a) => a.develop },
  { tab: 'applications', path: APPLICATIONS_PATH, label: 'od.tab.applications', allowed: (a) => a.develop || a.publish },
  { tab: 'publish', path: `${OPEN_PATH}/publish`, label: 'od.tab.publish', allowed: (a) => a.publish },
  { tab: 'reviews', path: `${OPEN_PATH}/reviews`, label: 'od.tab.reviews', allowed: (a) => a.review },
];

/**
 * The portal page for a path under /open, or null when there is none
 * (`/open/datasets/bus-stops` is one dataset).
 */
export function openDataRoute(path: string): OpenDataRoute | null {
  if (path !== OPEN_PATH && !path.startsWith(`${OPEN_PATH}/`)) return null;
  let segments: string[];
  try {
    segments = path.slice(OPEN_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const [first, second, ...rest] = segments;
  if (first === undefined) return { page: 'catalogue' };
  if (first === 'datasets' && second !== undefined && rest.length === 0) return { page: 'dataset', id: second };
  if (second !== undefined) return null;
  const tab = TABS.find((x) => x.path === `${OPEN_PATH}/${first}`);
  return tab ? { page: tab.tab } : null;
}

/** Whether a path is one of the portal's public pages (the catalogue and datasets), shown signed out. */
export function isPublicPath(path: string): boolean {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const route = openDataRoute(clean);
  return route?.page === 'catalogue' || route?.page === 'dataset';
}

/** The portal for a signed-in user, inside the shell, with the tabs the user's roles open. */
export function OpenDataPortal({ route, me }: { route: OpenDataRoute; me: Me }) {
  const { t } = useI18n();
  const abilities = openDataAbilities(me);
  const tab = route.page === 'dataset' ? null : route.page;
  const current = TABS.find((x) => x.tab === tab);
  const allowed = !current || current.allowed(abilities);
  return (
    <div className="page console" data-testid="area-page-open-data">
      {current && <Title text={`${t(current.label)} · ${t('area.open-data.name')}`} />}
      <AreaHeader area="open-data" />
      <TabNav
        label={t('od.tabs')}
        testId="od-tabs"
        current={tab ?? ''}
        tabs={TABS.filter((x) => x.allowed(abilities)).map((x) => ({ key: x.tab, path: x.path, label: t(x.label), testId: `od-tab-${x.tab}` }))}
        planned={[{ label: t('area.open-data.f3'), title: t('area.open-data.f3d') }]}
      />
      {allowed ? (
        <PortalPage route={route} me={me} abilities={abilities} />
      ) : (
        <p className="note" role="alert" data-testid="od-not-allowed">
          {t(`od.notAllowed.${tab as 'keys' | 'applications' | 'publish' | 'reviews'}`)}
        </p>
      )}
    </div>
  );
}

function PortalPage({ route, me, abilities }: { route: OpenDataRoute; me: Me; abilities: OpenDataAbilities }) {
  switch (route.page) {
    case 'catalogue':
      return <CataloguePage />;
    case 'dataset':
      return <DatasetPage key={route.id} id={route.id} me={me} />;
    case 'keys':
      return <KeysPage />;
    case 'applications':
      return <ApplicationsPage me={me} abilities={abilities} />;
    case 'publish':
      return <PublishPage me={me} abilities={abilities} />;
    case 'reviews':
      return <ReviewsPage />;
  }
}

/**
 * The portal for visitors who are not signed in: the catalogue and dataset pages in a frame of
 * their own, with the language switch and a way to sign in (for keys and publishing).
 */
export function PublicPortal({ path }: { path: string }) {
  const { t } = useI18n();
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const route = openDataRoute(clean);
  let page: ReactNode = null;
  if (route?.page === 'catalogue') page = <CataloguePage />;
  else if (route?.page === 'dataset') page = <DatasetPage key={route.id} id={route.id} me={null} />;
  return (
    <div className="shell public" data-testid="public-portal">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Link to={OPEN_PATH} className="brand" aria-label={`鹭岛 Ludao — ${t('od.portalName')}`}>
          <Logo size={30} />
          <span className="brand-name">
            鹭岛 <span>Ludao</span>
          </span>
        </Link>
        <span className="brand-tagline">{t('od.portalName')}</span>
        <div className="topbar-end">
          <LangSwitch />
          <Link to="/login" className="button ghost" data-testid="od-sign-in">
            {t('od.signIn')}
          </Link>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <div className="page console" data-testid="area-page-open-data">
          {route?.page === 'catalogue' && <Title text={t('od.portalName')} />}
          <AreaHeader area="open-data" />
          <p className="muted small">{t('od.publicLead')}</p>
          {page}
        </div>
      </main>
    </div>
  );
}
