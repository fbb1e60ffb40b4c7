import { useState, type ReactNode } from 'react';
import type { Me } from './api';
import { AREA_INFO, HOME_ICON, Icon, Logo } from './areas';
import { useI18n } from './i18n';
import { LangSwitch } from './lang-switch';
import { Link, usePath } from './router';

/** The frame around every signed-in page: header, the user's areas, sign-out. */
export function Shell({ me, onSignOut, children }: { me: Me; onSignOut: () => Promise<void>; children: ReactNode }) {
  const { lang, t } = useI18n();
  const [signingOut, setSigningOut] = useState(false);
  const path = usePath();
  const orgName = me.org ? (lang === 'en' ? me.org.nameEn : me.org.name) : t('shell.personal');

  async function signOut(): Promise<void> {
    setSigningOut(true);
    try {
      await onSignOut();
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <div className="shell" data-testid="shell">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label={`鹭岛 Ludao — ${t('shell.home')}`}>
          <Logo size={30} />
          <span className="brand-name">
            鹭岛 <span>Ludao</span>
          </span>
        </Link>
        <span className="brand-tagline">{t('app.tagline')}</span>
        <div className="topbar-end">
          <LangSwitch />
          <div className="user" data-testid="user">
            <span className="avatar" aria-hidden="true">
              {Array.from(me.displayName)[0] ?? '?'}
            </span>
            <span className="user-text">
              <span className="user-name" data-testid="user-name">
                {me.displayName}
              </span>
              <span className="user-org" data-testid="user-org">
                {orgName}
              </span>
            </span>
          </div>
          <button type="button" className="button ghost" onClick={() => void signOut()} disabled={signingOut} data-testid="sign-out">
            {signingOut ? t('shell.signingOut') : t('shell.signOut')}
          </button>
        </div>
      </header>
      <div className="frame">
        <nav className="sidenav" aria-label={t('shell.nav')} data-testid="nav">
          <Link to="/" data-testid="nav-home">
            <Icon>{HOME_ICON}</Icon>
            <span>{t('shell.home')}</span>
          </Link>
          {me.areas.map((area) => (
            <Link
              key={area}
              to={AREA_INFO[area].path}
              aria-current={path === AREA_INFO[area].path || path.startsWith(`${AREA_INFO[area].path}/`) ? 'page' : undefined}
              data-testid={`nav-${area}`}
            >
              <Icon>{AREA_INFO[area].icon}</Icon>
              <span>{t(`area.${area}.name`)}</span>
            </Link>
          ))}
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
