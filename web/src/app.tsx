// The app: find out who is signed in, then show the login page or the shell.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, fetchMe, logout, type Me } from './api';
import { useI18n } from './i18n';
import { LoginPage } from './login';
import { isPublicPath, PublicPortal } from './open-data';
import { pageFor } from './pages';
import { navigate, usePath } from './router';
import { Shell } from './shell';

type Session = { state: 'loading' } | { state: 'unreachable'; message: string } | { state: 'anonymous' } | { state: 'signed-in'; me: Me };

const LOGIN_PATH = '/login';

/** The login page, remembering the page that sent the reader there (none for home). */
function loginPathFor(page: string): string {
  return page === '/' ? LOGIN_PATH : `${LOGIN_PATH}?${new URLSearchParams({ next: page })}`;
}

/** Where to go once signed in: the page in `?next=` when it is a page of this app, else home. */
function nextAfterLogin(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  // Only a path of this origin ("/…", not "//host" or "/\\host"), and not the login page itself.
  return next && /^\/(?![/\\])/.test(next) && !next.startsWith(LOGIN_PATH) ? next : '/';
}

/** The root component. */
export function App() {
  const { t } = useI18n();
  const path = usePath();
  const [session, setSession] = useState<Session>({ state: 'loading' });

  const load = useCallback(async () => {
    setSession({ state: 'loading' });
    try {
      const me = await fetchMe();
      setSession(me ? { state: 'signed-in', me } : { state: 'anonymous' });
    } catch (error) {
      setSession({ state: 'unreachable', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Signed out: the open-data portal's public pages show as they are; every other path shows the
  // login page at /login. Signed in: /login goes home.
  // The page asked for is kept in `?next=`, to go on to once signed in.
  useEffect(() => {
    if (session.state === 'anonymous' && path !== LOGIN_PATH && !isPublicPath(path)) navigate(loginPathFor(path + window.location.search), { replace: true });
    if (session.state === 'signed-in' && path === LOGIN_PATH) navigate(nextAfterLogin(), { replace: true });
  }, [session.state, path]);

  const signedIn = useCallback((me: Me) => {
    setSession({ state: 'signed-in', me });
    navigate(nextAfterLogin());
  }, []);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch (error) {
      // Already signed out (401) is fine; anything else still ends the session here.
      if (!(error instanceof ApiError)) throw error;
    }
    setSession({ state: 'anonymous' });
    navigate(LOGIN_PATH);
  }, []);

  switch (session.state) {
    case 'loading':
      return (
        <div className="splash" data-testid="loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          {t('app.loading')}
        </div>
      );
    case 'unreachable':
      return (
        <div className="splash" role="alert" data-testid="unreachable">
          <p>{t('app.loadFailed', { message: session.message })}</p>
          <button type="button" className="button primary" onClick={() => void load()}>
            {t('app.retry')}
          </button>
        </div>
      );
    case 'anonymous':
      return isPublicPath(path) ? <PublicPortal path={path} /> : <LoginPage onSignedIn={signedIn} />;
    case 'signed-in':
      return (
        <Shell me={session.me} onSignOut={signOut}>
          {pageFor(path === LOGIN_PATH ? '/' : path, session.me)}
        </Shell>
      );
  }
}
