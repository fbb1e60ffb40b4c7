// Points-based school admission (积分入学) in a real browser: Debian's Chromium, driven by
// playwright-core, against `ludao start` with a small demo city whose demo flow opens a round
// with parents' applications. The handler verifies them in one batch, ranks and publishes; a
// parent then sees their own points, rank and failed claims — the same the handler saw.
import type { APIRequestContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Application, MyApplication, Round } from '../../src/modules/admission';
import { hasChromium, setUpBrowserSuite, startServer } from './browser';

const PEOPLE = 300;

describe.skipIf(!hasChromium)('school admission in Chromium', () => {
  const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: PEOPLE, tmpPrefix: 'ludao-adm-e2e-' }) });
  const { byTestId, text, pathname, signIn, apiAs } = web;
  let round: Round;

  beforeAll(async () => {
    // The demo city loads after the server listens; the admission round comes at its end.
    const deadline = Date.now() + 170_000;
    let api: APIRequestContext | null = null;
    let last: Round | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error('no demo admission round with applications after 170 s');
      api ??= await apiAs('edu.handler').catch(() => null);
      const rounds = api ? ((await (await api.get('/api/admission/rounds')).json()) as Round[]) : [];
      // The flow applies one parent after another: done when the count stops growing.
      if (rounds[0] && rounds[0].counts.submitted >= 5 && rounds[0].counts.submitted === last?.counts.submitted) {
        round = rounds[0];
        break;
      }
      last = rounds[0];
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    await api?.dispose();
  }, 180_000);

  it('lets a parent apply with a consent that lists exactly the claims ticked', async () => {
    await signIn('citizen', '陈小鹭');
    await byTestId('nav-citizen').click();
    await byTestId('cz-tab-admission').click();
    expect(pathname()).toBe('/citizen/admission');
    await byTestId('adm-cz-none').waitFor();
    await byTestId('adm-cz-new').click();
    await byTestId('adm-cz-child').fill('350203190101010014');
    await byTestId('adm-cz-zone').selectOption(round.zones[1]!.code);
    const claim = (template: string) => web.page.locator(`[data-testid="adm-cz-claim"][data-template="${template}"]`).getByTestId('adm-cz-claim-on');
    // Required: ticked and fixed. Optional claims left out are not in the consent.
    expect(await claim('birth.parent_of_child').isDisabled()).toBe(true);
    await claim('employment.employed_by_since').uncheck();
    await claim('residence_permit.held_since').uncheck();
    const consent = await text('adm-cz-consent-text');
    for (const name of ['持有子女出生医学证明', '在本市缴纳社会保险满N个月', '在某区拥有住宅']) expect(consent).toContain(name);
    for (const name of ['自某日起受雇于某单位', '自某日起持有有效居住证']) expect(consent).not.toContain(name);
    expect(consent).toContain(round.endsOn);
    expect(await byTestId('adm-cz-submit').isDisabled()).toBe(true);
    await byTestId('adm-cz-consent').check();
    // A wrong check digit: the server refuses it, in the page's language.
    await byTestId('adm-cz-child').fill('350203190101010015');
    await byTestId('adm-cz-submit').click();
    await byTestId('adm-cz-error').waitFor();
    expect(await text('adm-cz-error')).toContain('不是有效的公民身份号码');
    await byTestId('adm-cz-child').fill('350203190101010014');
    await byTestId('adm-cz-submit').click();
    await byTestId('adm-cz-applied').waitFor();
    await byTestId('adm-cz-app').first().waitFor();
    expect(await byTestId('adm-cz-app').count()).toBe(1);
    expect(await text('adm-cz-status')).toBe('已提交');
    // The sandbox consent is the citizen's, for exactly those claims.
    await byTestId('cz-tab-consents').click();
    await web.page.getByText('思明区积分入学').first().waitFor();
    round = { ...round, counts: { ...round.counts, submitted: round.counts.submitted + 1 } };
  });

  it('lets the bureau change the places of a zone, kept as a new version of the rules', async () => {
    await signIn('edu.admin', '何局长');
    await byTestId('nav-department').click();
    await byTestId('sb-tab-admission').click();
    await byTestId('adm-round-link').filter({ hasText: round.name }).click();
    await byTestId('adm-rules').waitFor();
    expect(await text('adm-rules-version')).toBe('v1');
    // The bureau configures; it does not verify.
    expect(await byTestId('adm-verify').count()).toBe(0);
    await byTestId('adm-edit-rules').click();
    await byTestId('adm-editor-zone-places').first().fill('9');
    await byTestId('adm-editor-save').click();
    await web.waitForText('adm-rules-version', 'v2');
    expect(await web.page.locator('[data-testid="adm-zones"] tbody tr').first().textContent()).toContain('9');
  });

  it('lets the handler verify every application in one batch, rank each zone and publish, seeing no data', async () => {
    await signIn('edu.handler', '许老师');
    await byTestId('nav-department').click();
    await byTestId('sb-tab-admission').click();
    expect(pathname()).toBe('/department/admission');
    await byTestId('adm-round-link').filter({ hasText: round.name }).click();
    await byTestId('adm-round').waitFor();
    expect(await byTestId('adm-round-status').first().getAttribute('data-status')).toBe('open');
    await byTestId('adm-app-row').first().waitFor();
    expect(await byTestId('adm-app-row').count()).toBe(round.counts.submitted);
    expect(await byTestId('adm-app-result').count()).toBe(0);
    // The rules as the bureau set them, in words.
    expect(await byTestId('adm-rule-row').count()).toBe(round.claims.length);
    expect(await text('adm-tiebreaks')).toContain('申请时间较早者优先');

    await byTestId('adm-verify').click();
    await web.page.locator('[data-testid="adm-verified"], [data-testid="adm-step-error"]').first().waitFor({ timeout: 60_000 });
    expect(await byTestId('adm-step-error').count(), (await byTestId('adm-step-error').textContent().catch(() => null)) ?? undefined).toBe(0);
    expect(await text('adm-verified')).toContain(`已核验 ${round.counts.submitted} 份申请`);
    await byTestId('adm-app-result').first().waitFor();
    await web.page.locator('[data-testid="adm-round-name"] [data-status="verifying"]').waitFor();
    // Each application shows a result per claim it made and its points; no resident ID anywhere.
    const page = (await web.page.locator('main').textContent()) ?? '';
    expect(page).not.toMatch(/\d{17}[\dX]/);

    await byTestId('adm-rank').click();
    await byTestId('adm-ranking').waitFor();
    expect(await byTestId('adm-ranking-zone').count()).toBe(round.zones.length);
    await byTestId('adm-publish').click();
    await byTestId('adm-done-publish').waitFor();
    await web.page.locator('[data-testid="adm-round-name"] [data-status="published"]').waitFor();
  });

  it('shows a parent their own points, rank, outcome and failed claims — what the handler saw', async () => {
    const handler = await apiAs('edu.handler');
    const apps = (await (await handler.get(`/api/admission/rounds/${round.id}/applications`)).json()) as Application[];
    const parent = await apiAs('parent.001');
    const mine = ((await (await parent.get('/api/admission/my-applications')).json()) as MyApplication[])[0]!;
    const seen = apps.find((a) => a.id === mine.id)!;
    await handler.dispose();
    await parent.dispose();

    await signIn('parent.001', '家长1');
    await byTestId('nav-citizen').click();
    await byTestId('cz-tab-admission').click();
    expect(pathname()).toBe('/citizen/admission');
    const card = web.page.locator(`[data-testid="adm-cz-app"][data-app="${seen.id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('adm-cz-points').textContent()).toBe(String(seen.points));
    if (seen.rank !== null) expect(await card.getByTestId('adm-cz-rank').textContent()).toContain(`第 ${seen.rank} 名`);
    expect(await card.getByTestId('adm-cz-outcome').textContent()).toBe(seen.eligible === false ? '不具备资格' : seen.admitted ? '录取' : '未录取');
    const failed = seen.results!.filter((r) => r.result !== 'match');
    expect(await card.getByTestId('adm-cz-failed').count()).toBe(failed.length > 0 ? 1 : 0);
    expect(await card.locator('[data-testid="adm-cz-results"] li').count()).toBe(seen.results!.length);
    // Only their own application; the child's number masked.
    expect(await byTestId('adm-cz-app').count()).toBe(1);
    expect(await card.textContent()).toMatch(/\d{6}\*{10}[\dX]{2}/);
  });
});
