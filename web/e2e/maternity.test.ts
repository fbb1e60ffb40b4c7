// The maternity quick claim in a real browser at a phone's size (375 × 667): Debian's Chromium,
// driven by playwright-core, against `ludao start` with a demo city of 2,000 people. The demo
// `citizen` is a mother whose claim matches every check (the test knows her family by generating
// the same city in memory); the demo also leaves two claims in medsec.handler's queue.
import { request as apiRequest } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hasChromium, setUpBrowserSuite, startServer } from './browser';
import { demoFamily, type DemoFamily } from './demo-family';

const PEOPLE = 2000;
const PHONE = { width: 375, height: 667 };

describe.skipIf(!hasChromium)('the maternity quick claim in Chromium, phone-sized', () => {
  const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: PEOPLE, tmpPrefix: 'ludao-mt-e2e-' }), context: { viewport: PHONE, isMobile: true, hasTouch: true } });
  const { byTestId, text, signIn } = web;
  let family: DemoFamily;

  beforeAll(async () => {
    family = (await demoFamily(PEOPLE))!;
    expect(family, 'the demo city has a mother whose claim matches').not.toBeNull();
    // The demo city loads after the server listens; the demo claims are filed at its end.
    const api = await apiRequest.newContext({ baseURL: web.base });
    expect((await api.post('/api/auth/login', { data: { username: 'medsec.handler', password: DEMO_PASSWORD } })).status()).toBe(200);
    const deadline = Date.now() + 240_000;
    while (((await (await api.get('/api/maternity/queue')).json()) as unknown[]).length < 2) {
      if (Date.now() > deadline) throw new Error('the demo maternity claims are not there after 240 s');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await api.dispose();
  }, 300_000);

  // Nothing sticks out sideways on a phone.
  const fitsThePhone = async () => expect(await web.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  it('lets the parent apply on a phone and shows the claim approved with its amount', async () => {
    await signIn('citizen', '陈小鹭');
    await web.page.goto('/citizen/maternity');
    await byTestId('mt-page').waitFor();
    await fitsThePhone();
    await byTestId('mt-new').click();
    await byTestId('mt-form').waitFor();
    expect(await byTestId('mt-checks').locator('li').allTextContents()).toEqual(['结婚登记', '出生医学证明', '生育保险缴费月数', '社保卡金融账户']);
    await byTestId('mt-spouse').fill(family.spouse);
    await byTestId('mt-child').fill(family.child);
    await byTestId('mt-account').fill(family.account);
    // No consent, no claim.
    expect(await byTestId('mt-submit').isDisabled()).toBe(true);
    await byTestId('mt-consent').check();
    await fitsThePhone();
    await byTestId('mt-submit').click();

    const claim = web.page.locator('[data-testid="mt-claim"][data-status="approved"]');
    await claim.waitFor();
    // 8,900.00 yuan (the default rules' average monthly wage) ÷ 30 × 98 days.
    expect(await claim.getByTestId('mt-amount').textContent()).toContain('29,073.33');
    expect(await claim.getByTestId('mt-status').textContent()).toBe('已批准');
    expect(await claim.getByTestId('mt-claim-checks').locator('li[data-result]').evaluateAll((items) => items.map((i) => i.getAttribute('data-result')))).toEqual(['match', 'match', 'match', 'match']);
    // What the parent declared is shown masked, never in full.
    const shown = (await claim.textContent()) ?? '';
    for (const value of [family.spouse, family.child, family.account]) expect(shown).not.toContain(value);
    expect(shown).toContain(family.account.slice(-4));
    await fitsThePhone();

    // A second claim for the child is refused, and the parent reads why in the page's language.
    await byTestId('mt-new').click();
    await byTestId('mt-spouse').fill(family.spouse);
    await byTestId('mt-child').fill(family.child);
    await byTestId('mt-account').fill(family.account);
    await byTestId('mt-consent').check();
    await byTestId('mt-submit').click();
    const error = await web.actionError('mt-error', '申领未能提交', 409);
    expect(error).toContain('该子女已经申领过（每个子女只能申领一次）');
    expect(error).not.toContain('one claim per child');
    await fitsThePhone();
    await web.page.getByRole('button', { name: '取消' }).click();
    await byTestId('mt-form').waitFor({ state: 'detached' });
  });

  it('lets a mother whose account did not match give it again, and says in words what came of each try', async () => {
    await signIn('mother.002', '妈妈2');
    await web.page.goto('/citizen/maternity');
    const form = byTestId('mt-account-form');
    await form.waitFor();
    // Not an account number: said at the field, nothing sent.
    await byTestId('mt-account-new').fill('12');
    await byTestId('mt-account-submit').click();
    expect(await text('mt-account-new-format')).toBe('社保卡金融账号须为 12–30 位数字。');
    // A second number that does not match either: the claim looks as it did, so the page says so.
    await byTestId('mt-account-new').fill('6299 9900 0000 0000 029');
    await byTestId('mt-account-submit').click();
    await byTestId('mt-account-still').waitFor();
    expect(await text('mt-account-still')).toContain('新填写的账号仍未核验通过');
    // A third number is a sweep: the mother reads what to do, not where programs find the reasons.
    await byTestId('mt-account-new').fill('6299990000000000037');
    await byTestId('mt-account-submit').click();
    await byTestId('mt-account-error').waitFor();
    const error = await text('mt-account-error');
    expect(error).toContain('账号未能重新核验');
    expect(error).toContain('您已为本申领填写过两个不同的账号，不能再填写第三个');
    expect(error).not.toContain('errors');
    expect(await byTestId('mt-account-error').getAttribute('data-status')).toBe('403');
    await fitsThePhone();
  });

  it('shows the bureau’s handler the claims in review with the failed checks, and records an approval', async () => {
    await signIn('medsec.handler', '蔡医保');
    await web.page.goto('/department/maternity');
    await byTestId('mt-queue').waitFor();
    const claims = byTestId('mt-claim');
    await claims.nth(1).waitFor();
    expect(await claims.count()).toBe(2);
    expect(await claims.nth(0).getByTestId('mt-failed').textContent()).toContain('结婚登记');
    expect(await claims.nth(1).getByTestId('mt-failed').textContent()).toContain('社保卡金融账户');
    const id = await claims.nth(0).getAttribute('data-id');
    await claims.nth(0).getByTestId('mt-note').fill('已核对纸质结婚证');
    await claims.nth(0).getByTestId('mt-approve').click();
    await byTestId('mt-queue-done').waitFor();
    expect(await text('mt-queue-done')).toContain(id!);
    await web.page.locator(`[data-testid="mt-claim"][data-id="${id}"]`).waitFor({ state: 'detached' });
    expect(await claims.count()).toBe(1);
  });

  it('shows the mother the handler’s decision and her amount', async () => {
    await signIn('mother.001', '妈妈1');
    await web.page.goto('/citizen/maternity');
    const claim = web.page.locator('[data-testid="mt-claim"][data-status="approved"]');
    await claim.waitFor();
    expect(await claim.getByTestId('mt-decision').textContent()).toContain('已核对纸质结婚证');
    expect(await claim.getByTestId('mt-amount').textContent()).toContain('29,073.33');
    await fitsThePhone();
  });

  it('lets the bureau’s administrator set the next version of the rules, in force at once', async () => {
    await signIn('medsec.admin', '林医保');
    await web.page.goto('/department');
    await byTestId('sb-tab-maternity-rules').click();
    const current = byTestId('mt-rules-current');
    await current.waitFor();
    const before = Number(await current.getAttribute('data-version'));
    expect(before).toBeGreaterThan(0);
    expect(await current.textContent()).toContain('8,900.00');
    // The form starts from the rules in force.
    expect(await byTestId('mt-rules-baseDays').inputValue()).toBe('98');
    await byTestId('mt-rules-avgMonthlyWage').fill('9100.50');
    await byTestId('mt-rules-submit').click();
    await byTestId('mt-rules-saved').waitFor();
    expect(await text('mt-rules-saved')).toBe(`第 ${before + 1} 版规则已生效。`);
    await web.page.locator(`[data-testid="mt-rules-current"][data-version="${before + 1}"]`).waitFor();
    expect(await text('mt-rules-current')).toContain('9,100.50');
    // What parents now read when they file.
    const api = await web.apiAs('mother.001');
    const checks = (await (await api.get('/api/maternity/checks')).json()) as { rules: { version: number; avgMonthlyWageFen: number } };
    expect(checks.rules).toMatchObject({ version: before + 1, avgMonthlyWageFen: 910050 });
    await api.dispose();
  });
});
