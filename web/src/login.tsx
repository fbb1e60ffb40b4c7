import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, login, type Me } from './api';
import { Logo } from './areas';
import { useI18n } from './i18n';
import { LangSwitch } from './lang-switch';
import { Link } from './router';
import { useTitle } from './title';

interface LoginFailure {
  status: number;
  /** The server's own words (problem detail). */
  detail: string;
  retryAfter: number | null;
}

const bare = (text: string): string => text.trim().replace(/[.。!！]+$/, '').toLowerCase();

/** The sign-in page; calls `onSignedIn` with the user once the server has set the session. */
export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  useTitle(t('login.title'));

  useEffect(() => usernameRef.current?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setFailure(null);
    try {
      onSignedIn(await login(username.trim(), password));
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(String(error), 0);
      setFailure({ status: e.status, detail: e.message, retryAfter: e.retryAfter });
      setSubmitting(false);
      passwordRef.current?.select();
    }
  }

  let message = '';
  if (failure) {
    if (failure.status === 401) message = t('login.failed');
    else if (failure.status === 429) message = failure.retryAfter ? t('login.throttledFor', { seconds: failure.retryAfter }) : t('login.throttled');
    else message = t('login.error', { message: failure.detail });
  }
  const showDetail = failure !== null && (failure.status === 401 || failure.status === 429) && bare(failure.detail) !== bare(message);

  return (
    <div className="login-page" data-testid="login-page">
      <div className="login-lang">
        <LangSwitch />
      </div>
      <div className="login-card">
        <section className="login-intro">
          <div className="login-brand">
            <Logo size={44} />
            <div>
              <div className="login-name">
                鹭岛 <span>Ludao</span>
              </div>
              <div className="login-tagline">{t('app.tagline')}</div>
            </div>
          </div>
          <p>{t('app.intro')}</p>
          <Link to="/open" className="login-open" data-testid="login-open-data">
            <span>
              <strong>{t('login.openData')}</strong>
              <span className="login-open-text">{t('login.openDataText')}</span>
            </span>
            <span aria-hidden="true">→</span>
          </Link>
        </section>
        <form className="login-form" onSubmit={submit} data-testid="login-form">
          <h1>{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
          {failure && (
            <div className="alert" role="alert" data-testid="login-error">
              <strong>{message}</strong>
              {showDetail && <span className="alert-detail">{failure.detail}</span>}
            </div>
          )}
          <label className="field">
            <span>{t('login.username')}</span>
            <input
              ref={usernameRef}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              maxLength={64}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="login-username"
            />
          </label>
          <label className="field">
            <span>{t('login.password')}</span>
            <input
              ref={passwordRef}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={256}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="login-password"
            />
          </label>
          <button className="button primary block" type="submit" disabled={submitting} aria-busy={submitting} data-testid="login-submit">
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
          <p className="login-footer">{t('login.footer')}</p>
        </form>
      </div>
    </div>
  );
}
