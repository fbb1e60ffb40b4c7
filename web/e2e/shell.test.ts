// The web app in a real browser: Debian's Chromium, driven by playwright-core, against a
// whole Ludao (fresh test database, demo accounts) listening on a free port.
import { describe, expect, it } from 'vitest';
import { startTestLudao } from '../../test/support/test-ludao';
import { DEMO_PASSWORD, hasChromium, setUpBrowserSuite, type StartedServer } from './browser';

/** A whole Ludao on the test database, listening on a free port, that serves the web app. */
async function startWholeLudao(): Promise<StartedServer> {
  const ludao = await startTestLudao();
  try {
    expect(ludao.servesWeb).toBe(true);
    return { base: await ludao.listen(), stop: () => ludao.close() };
  } catch (error) {
    await ludao.close();
    throw error;
  }
}

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  const web = setUpBrowserSuite({ start: startWholeLudao });
  const { byTestId, text, pathname, waitForText, signIn } = web;

  it('shows the server’s error on a wrong password and stays on the login page', async () => {
    await web.page.goto('/');
    await byTestId('login-form').waitFor();
    expect(pathname()).toBe('/login');
    expect(await web.page.locator('html').getAttribute('lang')).toBe('zh-CN');

    // Hold the login request to see the button disabled while it is under way.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await web.page.route('**/api/auth/login', async (route) => {
      await held;
      await route.continue();
    });
    await byTestId('login-username').fill('citizen');
    await byTestId('login-password').fill('not-the-password');
    await byTestId('login-submit').click();
    await web.page.locator('[data-testid="login-submit"]:disabled').waitFor();
    release();

    await byTestId('login-error').waitFor();
    const error = await text('login-error');
    // The page's words; the server's, in the page's language, say the same and are not repeated.
    expect(error).toContain('用户名或密码不正确');
    expect(error.match(/用户名或密码不正确/g)).toHaveLength(1);
    expect(error).not.toContain('The username or password is incorrect');
    expect(await byTestId('login-submit').isEnabled()).toBe(true);
    expect(pathname()).toBe('/login');
    expect(await byTestId('shell').count()).toBe(0);
  });

  it('signs a citizen in to a dashboard with only the citizen’s areas', async () => {
    await signIn('citizen');
    await byTestId('home-greeting').waitFor();
    expect(pathname()).toBe('/');
    expect(await text('home-greeting')).toBe('您好，陈小鹭');
    expect(await text('user-name')).toBe('陈小鹭');

    expect(await text('nav-citizen')).toContain('市民');
    expect(await text('nav-open-data')).toContain('开放数据');
    expect(await byTestId('nav-operator').count()).toBe(0);
    expect(await text('nav')).not.toContain('运维控制台');
    expect(await byTestId('area-card-citizen').count()).toBe(1);
    expect(await byTestId('area-card-operator').count()).toBe(0);

    await byTestId('nav-citizen').click();
    await byTestId('area-page-citizen').waitFor();
    expect(pathname()).toBe('/citizen');
    expect(await web.page.getByRole('heading', { level: 1 }).textContent()).toContain('市民门户');
  });

  it('goes on to the page asked for once signed in, not home', async () => {
    await web.page.goto('/operator/batches');
    await byTestId('login-form').waitFor();
    expect(pathname()).toBe('/login');
    expect(new URL(web.page.url()).searchParams.get('next')).toBe('/operator/batches');
    await byTestId('login-username').fill('operator');
    await byTestId('login-password').fill(DEMO_PASSWORD);
    await byTestId('login-submit').click();
    await byTestId('shell').waitFor();
    await web.page.waitForURL((url) => url.pathname === '/operator/batches');
    // A next page elsewhere is not followed.
    await web.page.goto('/login?next=//example.com/x');
    await web.page.waitForURL((url) => url.pathname === '/');
  });

  // Each role sees only the tabs and forms its roles allow, not pages that would refuse it.
  it('shows an enterprise account who used its data, not a person’s services', async () => {
    await signIn('enterprise', '白鹭数据');
    await web.page.goto('/citizen');
    await byTestId('cz-tabs').waitFor();
    expect(await byTestId('cz-tab-uses').count()).toBe(1);
    for (const tab of ['consents', 'maternity', 'admission']) expect(await byTestId(`cz-tab-${tab}`).count(), tab).toBe(0);
  });

  it('shows the maternity bureau’s handler the claims to review, and no school admission', async () => {
    await signIn('medsec.handler', '蔡医保');
    await web.page.goto('/department/verify');
    await byTestId('sb-case-tabs').waitFor();
    expect(await byTestId('sb-tab-maternity').count()).toBe(1);
    expect(await byTestId('sb-tab-admission').count()).toBe(0);
  });

  it('shows the auditor a resource without a sample of records or an upload form', async () => {
    await signIn('auditor', '郑审计');
    await web.page.goto('/operator/catalogue/population/person');
    await byTestId('dc-resource-name').waitFor();
    await byTestId('dc-resource-page').locator('#dc-res-batches').waitFor();
    expect(await web.page.locator('#dc-res-sample, #dc-res-upload').count()).toBe(0);
    expect(await byTestId('dc-resource-page').locator('[role="alert"]').count()).toBe(0);
  });

  it('switches to English, and keeps English after a reload', async () => {
    await signIn('citizen');
    await byTestId('home-greeting').waitFor();
    await byTestId('lang-en').click();

    await waitForText('home-greeting', 'Hello, 陈小鹭');
    expect(await text('nav-citizen')).toBe('Citizen portal');
    expect(await text('nav-open-data')).toBe('Open data');
    expect(await text('sign-out')).toBe('Sign out');
    expect(await web.page.locator('html').getAttribute('lang')).toBe('en');

    await web.page.reload();
    await waitForText('home-greeting', 'Hello, 陈小鹭');
    expect(await text('nav-citizen')).toBe('Citizen portal');
    expect(await web.page.locator('html').getAttribute('lang')).toBe('en');

    await byTestId('lang-zh-CN').click();
    await waitForText('home-greeting', '您好，陈小鹭');
    expect(await web.page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('opens the operator console for an operator, and refuses the arena', async () => {
    await signIn('operator');
    await waitForText('home-greeting', '林运维');
    expect(await text('user-org')).toBe('厦门市信息中心');
    expect(await byTestId('nav-department').count()).toBe(1);

    await byTestId('nav-operator').click();
    await byTestId('area-page-operator').waitFor();
    expect(pathname()).toBe('/operator');
    expect(await web.page.getByRole('heading', { level: 1 }).textContent()).toContain('运维控制台');
    const page_ = await text('area-page-operator');
    for (const planned of ['资源目录', '归集批次', '城市数据看板', '审计核验']) expect(page_).toContain(planned);
    expect(await web.page.title()).toContain('运维控制台');

    await web.page.goto('/arena');
    await byTestId('no-access').waitFor();
    expect(await text('no-access')).toContain('无权访问');
    expect(await byTestId('nav-arena').count()).toBe(0);

    await web.page.goto('/no-such-page');
    await byTestId('not-found').waitFor();
    expect(await text('not-found')).toContain('/no-such-page');
  });

  it('signs out back to the login page, and the session is gone', async () => {
    await signIn('citizen');
    await byTestId('shell').waitFor();
    await byTestId('sign-out').click();

    await byTestId('login-form').waitFor();
    expect(pathname()).toBe('/login');
    expect(await byTestId('shell').count()).toBe(0);

    await web.page.goto('/citizen');
    await byTestId('login-form').waitFor();
    expect(pathname()).toBe('/login');
    const me = await web.page.request.get('/api/me');
    expect(me.status()).toBe(401);
  });
});
