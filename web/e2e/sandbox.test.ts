// The sandbox in a real browser: Debian's Chromium, driven by playwright-core, against `ludao start`
// with a small demo city (300 people). The test knows who the demo `citizen` is, and a child of
// theirs, by generating the same deterministic city in memory and choosing the person as the demo
// does (src/flows/demo-exchange.ts and demo-maternity.ts).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLudao } from '../../src/cli/run-ludao.test-support';
import { checkReceipt } from '../../src/modules/sandbox';
import { createMemorySink, generateCity } from '../../src/synth';
import { hasChromium, setUpBrowserSuite, startServer } from './browser';
import { demoFamily } from './demo-family';

const PEOPLE = 300;
const CASE_TYPE = 'school_admission.sm';
const FIRST_CASE = 'SA-E2E-0001';
const SECOND_CASE = 'SA-E2E-0002';
const THIRD_CASE = 'SA-E2E-0003';
const SWEEP_CASE = 'SA-E2E-0004';

/** A day in China time as YYYY-MM-DD, `offset` days from today. */
const chinaDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The person the demo links the `citizen` account to, and a child of theirs: the mother of the city's
 * last year's births who is married, has an active social-security card account and was insured 12
 * of the 12 months before the birth month (latest birth first), else the registry's first person.
 */
async function demoCitizen(): Promise<{ subject: string; child: string }> {
  const family = await demoFamily(PEOPLE);
  if (family) return { subject: family.mother, child: family.child };
  const sink = createMemorySink();
  await generateCity({ people: PEOPLE, seed: 'xiamen' }, sink);
  const births = sink.lines('births').map((l) => JSON.parse(l) as { child_id: string; mother_id: string; father_id: string | null });
  const first = sink
    .lines('people')
    .map((l) => (JSON.parse(l) as { id: string }).id)
    .sort()[0]!;
  const birth = births.find((b) => b.mother_id === first || b.father_id === first);
  if (!birth) throw new Error('the demo citizen of this city has no child: choose another size of city');
  return { subject: first, child: birth.child_id };
}

describe.skipIf(!hasChromium)('the sandbox in Chromium', () => {
  const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: PEOPLE, tmpPrefix: 'ludao-sb-e2e-' }), context: { acceptDownloads: true } });
  const { byTestId, text, pathname, signIn, apiAs } = web;
  // The person the demo citizen is, and a child of theirs (demoCitizen).
  let subject = '';
  let child = '';

  beforeAll(async () => {
    ({ subject, child } = await demoCitizen());

    // The demo city loads after the server listens; the citizen is linked to a person at its end.
    const api = await apiAs('citizen');
    const deadline = Date.now() + 150_000;
    while (((await (await api.get('/api/me/data-uses')).json()) as unknown[]).length === 0) {
      if (Date.now() > deadline) throw new Error('the demo citizen is still linked to nobody after 150 s');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await api.dispose();
  }, 180_000);

  /** The handler verifies one case of the school admission about the citizen. */
  async function verifyCase(caseId: string, claims: { template: string; params: Record<string, string> }[]): Promise<void> {
    await byTestId('sb-verify-case-type').selectOption(CASE_TYPE);
    await byTestId('sb-verify-case-id').fill(caseId);
    await byTestId('sb-verify-subject').fill(subject);
    for (const claim of claims) {
      await byTestId(`sb-claim-${claim.template}`).check();
      for (const [name, value] of Object.entries(claim.params)) await byTestId(`sb-param-${claim.template}-${name}`).fill(value);
    }
    await byTestId('sb-verify-submit').click();
  }

  it('lets the citizen give a consent that says exactly what will be checked', async () => {
    await signIn('citizen', '陈小鹭');
    await byTestId('nav-citizen').click();
    await byTestId('cz-tab-consents').click();
    expect(pathname()).toBe('/citizen/consents');
    await web.page.locator('[data-testid="sb-consents"], [data-testid="sb-consents-empty"]').first().waitFor();
    const row = web.page.locator(`[data-testid="sb-consent-row"][data-case-type="${CASE_TYPE}"]`);
    expect(await row.count()).toBe(0);

    await byTestId('sb-consent-case-type').selectOption(CASE_TYPE);
    await byTestId('sb-consent-claims').getByTestId('xc-field-birth.parent_of_child').check();
    await byTestId('sb-consent-claims').getByTestId('xc-field-si.months_insured').check();
    const consentText = await text('sb-consent-text');
    for (const seen of ['我同意 思明区教育局 在办理“思明区积分入学”时', '持有子女出生医学证明', '在本市缴纳社会保险满N个月', '不会向该部门提供任何数据本身']) expect(consentText).toContain(seen);
    expect(consentText).not.toContain('在某区拥有住宅');
    await byTestId('sb-consent-submit').click();

    await byTestId('sb-consent-done').waitFor();
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('live');
    const shown = (await row.textContent()) ?? '';
    for (const seen of ['思明区积分入学', '思明区教育局', '持有子女出生医学证明', '有效']) expect(shown).toContain(seen);
  });

  it('lets the case handler verify a case: results per claim, a signed receipt that checks out', async () => {
    await signIn('edu.handler', '许老师');
    await byTestId('nav-department').click();
    await byTestId('sb-case-tabs').waitFor();
    expect(pathname()).toBe('/department');
    expect(await byTestId('xc-tabs').count()).toBe(0);

    // The department's case type, its whitelist, limits and legal basis.
    const caseType = web.page.locator(`[data-testid="sb-case-type-row"][data-code="${CASE_TYPE}"]`);
    await caseType.waitFor();
    for (const seen of ['思明区积分入学', '持有子女出生医学证明', '每案每日 20 次', '积分入学办法']) expect(await caseType.textContent()).toContain(seen);
    expect(await byTestId('sb-case-type-row').count()).toBe(1);
    // Planning counts: only the department's own case types.
    expect(await byTestId('sb-agg-case-type').locator('option').allTextContents()).toEqual(['思明区积分入学']);

    // The parameters come from the template: a month input for the window, a number for the months.
    await byTestId('sb-claim-si.months_insured').check();
    expect(await byTestId('sb-param-si.months_insured-from').getAttribute('type')).toBe('month');
    expect(await byTestId('sb-param-si.months_insured-months').getAttribute('type')).toBe('number');
    await byTestId('sb-claim-si.months_insured').uncheck();

    await verifyCase(FIRST_CASE, [
      { template: 'birth.parent_of_child', params: { child } },
      { template: 'si.months_insured', params: { months: '1200', from: '1926-01', to: '2026-12' } },
    ]);
    const answer = byTestId('sb-verify-result');
    await answer.waitFor();
    expect(await answer.getAttribute('data-case')).toBe(FIRST_CASE);
    const result = (template: string) => answer.locator(`[data-testid="sb-result-row"][data-template="${template}"]`).getByTestId('sb-result');
    expect(await result('birth.parent_of_child').textContent()).toBe('符合');
    expect(await result('si.months_insured').textContent()).toBe('不符合');
    // Only results: neither the child's ID nor anything of the records is echoed back.
    expect(await answer.textContent()).not.toContain(child);

    // The department's recent verifications list both claims.
    await byTestId('sb-recent-refresh').click();
    await expect.poll(() => web.page.locator(`[data-testid="sb-recent-row"][data-case="${FIRST_CASE}"]`).count()).toBe(2);

    // The receipt: claims, results, key id and signature; downloaded, it checks against the published keys.
    await byTestId('sb-receipt-link').click();
    await byTestId('sb-receipt-signature').waitFor();
    expect(pathname()).toMatch(/^\/department\/verify\/receipts\/.+/);
    expect(await text('sb-receipt-case')).toBe(FIRST_CASE);
    expect(await byTestId('sb-receipt-claim').count()).toBe(2);
    const keyId = await text('sb-receipt-key-id');
    const [download] = await Promise.all([web.page.waitForEvent('download'), byTestId('sb-receipt-download').click()]);
    const receiptFile = (await download.path())!;
    const receiptText = fs.readFileSync(receiptFile, 'utf8');
    const keys = await (await web.page.request.get('/api/sandbox/receipt-keys')).text();
    // `ludao verify-receipt` checks the downloaded file offline against the published keys…
    const keysFile = path.join(path.dirname(receiptFile), 'receipt-keys.json');
    fs.writeFileSync(keysFile, keys);
    const cli = await runLudao(['verify-receipt', receiptFile, '--key', keysFile], {}, { ownDatabase: true, timeoutMs: 60_000 });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`case ${FIRST_CASE} (${CASE_TYPE}) of xm.sm.edu`);
    // …and so does the function behind it, which says what the receipt holds.
    const check = checkReceipt(receiptText, keys);
    expect(check.line).toContain('is valid');
    expect(check.ok && check.receipt.keyId).toBe(keyId);
    expect(check.ok && check.receipt.claims.map((c) => `${c.template}=${c.result}`).sort()).toEqual(['birth.parent_of_child=match', 'si.months_insured=no_match']);
    // A receipt changed after signing does not check out.
    expect(checkReceipt(receiptText.replace('"no_match"', '"match"'), keys).ok).toBe(false);
  });

  it('shows the citizen each claim checked about them, then lets them withdraw the consent', async () => {
    await signIn('citizen', '陈小鹭');
    await web.page.goto('/citizen/verifications');
    const mine = web.page.locator(`[data-testid="sb-my-row"][data-case="${FIRST_CASE}"]`);
    await expect.poll(() => mine.count()).toBe(2);
    const rows = await mine.allTextContents();
    expect(rows.every((r) => r.includes(FIRST_CASE) && r.includes('思明区教育局') && r.includes('思明区积分入学'))).toBe(true);
    expect(rows.some((r) => r.includes('持有子女出生医学证明') && r.includes('符合'))).toBe(true);
    expect(rows.some((r) => r.includes('在本市缴纳社会保险满N个月') && r.includes('不符合'))).toBe(true);

    await byTestId('cz-tab-consents').click();
    const row = web.page.locator(`[data-testid="sb-consent-row"][data-case-type="${CASE_TYPE}"]`);
    await row.getByTestId('sb-consent-withdraw').click();
    expect(await text('sb-withdraw-form')).toContain('之后的核验会被拒绝');
    await byTestId('sb-withdraw-confirm').click();
    await byTestId('sb-consent-done').waitFor();
    await expect.poll(() => row.getAttribute('data-status')).toBe('withdrawn');
    expect(await row.getByTestId('sb-consent-status').textContent()).toBe('已撤回');
    expect(await row.getByTestId('sb-consent-withdraw').count()).toBe(0);
  });

  it('refuses a new verification once the consent is withdrawn, with the server’s message and the reason', async () => {
    await signIn('edu.handler', '许老师');
    await web.page.goto('/department/verify');
    await verifyCase(SECOND_CASE, [{ template: 'birth.parent_of_child', params: { child } }]);
    const error = await web.actionError('sb-verify-error', '核验未进行', 403, 'sb-verify-error-problem');
    // The server's sentence in the page's language; the reasons are the page's words for its codes.
    expect(error).toContain('核验被拒绝，所有事项均未核验');
    expect(error).not.toContain('The verification was refused');
    expect(await text('sb-verify-error-reasons')).toBe('持有子女出生医学证明: 申请人没有有效授权');
    expect(await byTestId('sb-verify-result').count()).toBe(0);

    // The refusal is on the department's list, and on the citizen's.
    await byTestId('sb-recent-refresh').click();
    const refused = web.page.locator(`[data-testid="sb-recent-row"][data-case="${SECOND_CASE}"]`);
    await refused.waitFor();
    expect(await refused.getAttribute('data-refusal')).toBe('no_consent');
  });

  it('shows the operator every department’s verifications and refusals, sweeps flagged, and planning counts with small cells withheld', async () => {
    // Meanwhile, through the API: the citizen consents again, and the handler asks a second and then
    // a third threshold of months insured about them (the first was 1200): the third is a sweep.
    const citizen = await apiAs('citizen');
    expect((await citizen.post('/api/sandbox/consents', { data: { caseType: CASE_TYPE, templates: ['si.months_insured'], validUntil: chinaDay(30) } })).status()).toBe(201);
    const handler = await apiAs('edu.handler');
    const ask = (caseId: string, months: number) =>
      handler.post('/api/sandbox/verifications', { data: { caseType: CASE_TYPE, caseId, subject, claims: [{ template: 'si.months_insured', params: { months, from: '1926-01', to: '2026-12' } }] } });
    expect((await ask(THIRD_CASE, 1199)).status()).toBe(200);
    expect((await ask(SWEEP_CASE, 1198)).status()).toBe(403);
    await Promise.all([citizen.dispose(), handler.dispose()]);

    await signIn('operator', '林运维');
    await web.page.goto('/operator/sandbox');
    const ours = (caseId: string) => web.page.locator(`[data-testid="sb-ops-row"][data-case="${caseId}"]`);
    await expect.poll(() => ours(FIRST_CASE).count()).toBe(2);
    await expect.poll(() => ours(FIRST_CASE).first().textContent()).toContain('思明区教育局');
    await byTestId('sb-ops-refused-only').check();
    expect(await ours(FIRST_CASE).count()).toBe(0);
    expect(await ours(SECOND_CASE).count()).toBe(1);
    expect(await ours(SECOND_CASE).textContent()).toContain('申请人没有有效授权');
    expect(await web.page.locator('[data-testid="sb-ops-row"][data-outcome="answered"]').count()).toBe(0);
    expect(await ours(SWEEP_CASE).getAttribute('data-refusal')).toBe('sweep');
    expect(await ours(SWEEP_CASE).getByTestId('sb-ops-sweep').textContent()).toBe('疑似扫描');
    expect(await text('sb-ops-sweeps')).toContain('阈值扫描');

    // Counts under disclosure control: 7 or fewer withheld, the rest rounded to 5.
    await byTestId('sb-agg-case-type').selectOption(CASE_TYPE);
    await byTestId('sb-agg-template').selectOption('si.months_insured');
    expect(await byTestId('sb-agg-template').locator('option[value="birth.parent_of_child"]').count()).toBe(0);
    await byTestId('sb-agg-param-months').fill('12');
    await byTestId('sb-agg-param-from').fill('2020-01');
    await byTestId('sb-agg-param-to').fill('2025-12');
    await byTestId('sb-agg-group-by').selectOption('district');
    await byTestId('sb-agg-submit').click();
    await byTestId('sb-agg').waitFor();
    const cells = await byTestId('sb-agg').locator('td.num').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell === '≤7 不公布' || (Number(cell.replace(/,/g, '')) > 7 && Number(cell.replace(/,/g, '')) % 5 === 0), cell).toBe(true);
    // The citizen's district has one applicant of ours among few: its cells are withheld.
    expect(cells).toContain('≤7 不公布');

    // The receipt keys: one signs; the operator rotates it, and the old one stays listed, retired.
    const keyRows = web.page.locator('[data-testid="sb-keys-row"]');
    await expect.poll(() => keyRows.count()).toBe(1);
    const old = await keyRows.first().getAttribute('data-key');
    await byTestId('sb-keys-rotate').click();
    expect(await text('sb-keys-rotate-form')).toContain('旧密钥继续公布');
    await byTestId('sb-keys-rotate-confirm').click();
    await byTestId('sb-keys-rotated').waitFor();
    await expect.poll(() => keyRows.count()).toBe(2);
    const active = web.page.locator('[data-testid="sb-keys-row"][data-active="yes"]');
    expect(await active.count()).toBe(1);
    expect(await active.getAttribute('data-key')).not.toBe(old);
    expect(await text('sb-keys-rotated')).toContain((await active.getAttribute('data-key'))!);
    const retired = web.page.locator(`[data-testid="sb-keys-row"][data-key="${old}"]`);
    expect(await retired.getAttribute('data-active')).toBe('no');
    expect(await retired.textContent()).toContain('已停用');
    // The same page in English.
    await byTestId('lang-en').click();
    await web.page.getByRole('heading', { name: 'Receipt signing keys' }).waitFor();
    expect(await active.textContent()).toContain('Signing');
    expect(await retired.textContent()).toContain('Retired');
    expect(await web.page.getByRole('heading', { name: 'Recent verifications and refusals' }).count()).toBe(1);
    await byTestId('lang-zh-CN').click();
  });
});
