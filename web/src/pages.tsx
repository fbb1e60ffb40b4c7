// The signed-in pages: home, one page per area, no access, not found.
import { AREAS, type Area, type Me } from './api';
import { AREA_INFO, Icon } from './areas';
import { CITIZEN_PATH, CitizenPortal, citizenRoute } from './citizen';
import { DEPARTMENT_PATH, departmentRoute, DepartmentWorkbench, opensWorkbench } from './department';
import { translateMaybe, useI18n } from './i18n';
import { OpenDataPortal, openDataRoute } from './open-data';
import { OperatorConsole, operatorRoute } from './operator';
import { Link } from './router';
import { useTitle } from './title';

/** The page for a path, for this user. */
export function pageFor(path: string, me: Me) {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean === '/') return <HomePage me={me} />;
  const consoleRoute = operatorRoute(clean);
  if (consoleRoute) return me.areas.includes('operator') ? <OperatorConsole route={consoleRoute} me={me} /> : <NoAccessPage area="operator" />;
  // The workbench is for those who share data for a department and for case handlers (each sees their own tabs); others in the area see what is planned.
  const workbenchRoute = departmentRoute(clean, me);
  if (workbenchRoute && me.areas.includes('department') && opensWorkbench(workbenchRoute, me)) return <DepartmentWorkbench route={workbenchRoute} me={me} />;
  if (workbenchRoute && clean !== DEPARTMENT_PATH) return me.areas.includes('department') ? <NotFoundPage path={path} /> : <NoAccessPage area="department" />;
  // The portal's catalogue and datasets are public; its own tabs say what the user's roles open.
  const portalRoute = openDataRoute(clean);
  if (portalRoute) return <OpenDataPortal route={portalRoute} me={me} />;
  // Every tab of the portal is routed by citizenRoute (citizen.tsx's TABS).
  const portalTab = citizenRoute(clean);
  if (portalTab) return me.areas.includes('citizen') ? <CitizenPortal route={portalTab} me={me} /> : <NoAccessPage area="citizen" />;
  if (clean.startsWith(`${CITIZEN_PATH}/`)) return me.areas.includes('citizen') ? <NotFoundPage path={path} /> : <NoAccessPage area="citizen" />;
  const area = AREAS.find((a) => AREA_INFO[a].path === clean);
  if (area) return me.areas.includes(area) ? <AreaPage key={area} area={area} /> : <NoAccessPage area={area} />;
  return <NotFoundPage path={path} />;
}

/** The dashboard: a greeting and the user's areas. */
export function HomePage({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  useTitle(t('shell.home'));
  return (
    <div className="page" data-testid="home-page">
      <header className="page-header">
        <h1 data-testid="home-greeting">{t('home.greeting', { name: me.displayName })}</h1>
        <p className="lead">{me.areas.length > 0 ? t('home.lead') : t('home.noAreas')}</p>
        {me.roles.length > 0 && (
          <div className="roles" aria-label={t('home.roles')}>
            {me.roles.map((role) => (
              <span className="chip" key={role}>
                {translateMaybe(lang, `role.${role}`) ?? role}
              </span>
            ))}
          </div>
        )}
      </header>
      <ul className="cards" data-testid="area-cards">
        {me.areas.map((area) => (
          <li key={area}>
            <Link to={AREA_INFO[area].path} className="card area-card" data-testid={`area-card-${area}`}>
              <span className={`card-icon tone-${area}`}>
                <Icon size={22}>{AREA_INFO[area].icon}</Icon>
              </span>
              <span className="card-title">{t(`area.${area}.name`)}</span>
              <span className="card-text">{t(`area.${area}.summary`)}</span>
              <span className="card-more">
                {t('home.enter')} <span aria-hidden="true">→</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** An area's page: what it will hold. */
export function AreaPage({ area }: { area: Area }) {
  const { t } = useI18n();
  const name = t(`area.${area}.name`);
  useTitle(name);
  return (
    <div className="page" data-testid={`area-page-${area}`}>
      <header className="page-header with-icon">
        <span className={`card-icon large tone-${area}`}>
          <Icon size={28}>{AREA_INFO[area].icon}</Icon>
        </span>
        <div>
          <h1>
            {name} <span className="badge">{t('area.planned')}</span>
          </h1>
          <p className="lead">{t(`area.${area}.summary`)}</p>
        </div>
      </header>
      <section aria-labelledby="planned">
        <h2 id="planned">{t('area.whatWillBeHere')}</h2>
        <ul className="cards features">
          {AREA_INFO[area].features.map((key) => (
            <li key={key} className="card feature">
              <span className="card-title">{t(key)}</span>
              <span className="card-text">{t(`${key}d` as typeof key)}</span>
            </li>
          ))}
        </ul>
      </section>
      <p className="note">
        {t('area.note')} <a href="/api/docs">{t('area.apiDocs')}</a>
      </p>
    </div>
  );
}

/** An area the user's roles do not open (the API refuses them too). */
export function NoAccessPage({ area }: { area: Area }) {
  const { t } = useI18n();
  useTitle(t('noAccess.title'));
  return (
    <div className="page message-page" data-testid="no-access" role="alert">
      <h1>{t('noAccess.title')}</h1>
      <p>{t('noAccess.body', { area: t(`area.${area}.name`) })}</p>
      <Link to="/" className="button primary">
        {t('common.backHome')}
      </Link>
    </div>
  );
}

/** A path the app does not know. */
export function NotFoundPage({ path }: { path: string }) {
  const { t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <div className="page message-page" data-testid="not-found">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body', { path })}</p>
      <Link to="/" className="button primary">
        {t('common.backHome')}
      </Link>
    </div>
  );
}
