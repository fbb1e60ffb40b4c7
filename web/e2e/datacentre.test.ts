// The operator console in a real browser: Debian's Chromium, driven by playwright-core, against
// `ludao start` with a small demo city (300 people) that loads in the background after start.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasChromium, setUpBrowserSuite, startServer } from './browser';

/** A masked resident ID number as the server shows it to those who do not provide it. */
const MASKED_ID = /^\d{6}\*{8}[\dX]{4}$/;

describe.skipIf(!hasChromium)('operator console in Chromium', () => {
  const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: 300, tmpPrefix: 'ludao-dc-e2e-' }), context: { acceptDownloads: true } });
  const { byTestId, text, figure, pathname } = web;
  const signInAsOperator = () => web.signIn('operator', '林运维');

  /** Opens a resource from the catalogue by searching for it, as an operator would. */
  async function openResource(search: string, code: string): Promise<void> {
    await byTestId('nav-operator').click();
    await byTestId('dc-tab-catalogue').click();
    await byTestId('dc-search').fill(search);
    const row = byTestId('dc-resource-row').filter({ hasText: code });
    await row.waitFor();
    await row.getByRole('link').first().click();
    await byTestId('dc-resource-code').filter({ hasText: code }).waitFor();
  }

  it('shows the city’s figures on the dashboard once the demo city has loaded', async () => {
    await signInAsOperator();
    await byTestId('nav-operator').click();
    await byTestId('dc-figures').waitFor();
    expect(pathname()).toBe('/operator');
    expect(await web.page.getByRole('heading', { level: 1 }).textContent()).toContain('运维控制台');

    // The demo city loads after the server starts: refresh until its records are counted.
    const deadline = Date.now() + 90_000;
    while ((await figure('dc-figure-records-value')) === 0) {
      if (Date.now() > deadline) throw new Error('the dashboard still shows no records after 90 s');
      await web.page.waitForTimeout(1_000);
      await byTestId('dc-refresh').click();
      await web.page.locator('[data-testid="dc-refresh"]:enabled').waitFor();
    }
    expect(await figure('dc-figure-records-value')).toBeGreaterThan(300);
    expect(await text('dc-figure-records')).toContain('当前数据记录');
    expect(await figure('dc-figure-domains-value')).toBeGreaterThan(0);
    expect(await figure('dc-figure-resources-value')).toBeGreaterThan(0);
    expect(await text('dc-figure-resources')).toMatch(/其中基础信息资源库 \d+ 个/);
    expect(await figure('dc-figure-fields-value')).toBeGreaterThan(0);
    expect(await figure('dc-figure-updates-value')).toBeGreaterThan(0);
    expect(await text('dc-figure-last-update-value')).toMatch(/\d{4}/);

    // The charts: one bar per domain (人口 among them), one column per month.
    const domains = byTestId('dc-chart-domains');
    expect(await domains.textContent()).toContain('人口');
    expect(await domains.locator('rect.chart-bar').count()).toBeGreaterThan(0);
    expect(await byTestId('dc-chart-monthly').locator('rect.chart-bar').count()).toBeGreaterThan(0);

    // The same figures in English.
    await byTestId('lang-en').click();
    await byTestId('dc-figure-records').filter({ hasText: 'Current records' }).waitFor();
    expect(await domains.textContent()).toContain('Population');
  });

  it('finds 人口 in the catalogue and shows population.person with masked ID numbers', async () => {
    await signInAsOperator();
    await byTestId('nav-operator').click();
    await byTestId('dc-tab-catalogue').click();
    await byTestId('dc-resource-row').first().waitFor();
    const all = await byTestId('dc-resource-row').count();

    await byTestId('dc-search').fill('人口');
    await byTestId('dc-catalogue-count').filter({ hasNotText: '正在搜索' }).waitFor();
    const person = byTestId('dc-resource-row').filter({ hasText: 'population.person' });
    await person.waitFor();
    await expect.poll(() => byTestId('dc-resource-row').count()).toBeLessThan(all);
    expect(await byTestId('dc-resource-row').filter({ hasText: 'spatial.district' }).count()).toBe(0);
    const row = (await person.textContent()) ?? '';
    for (const seen of ['人口基础信息', '厦门市公安局', '无条件共享', '基础库']) expect(row).toContain(seen);

    await person.getByRole('link').first().click();
    await byTestId('dc-resource-name').filter({ hasText: '人口基础信息' }).waitFor();
    expect(pathname()).toBe('/operator/catalogue/population/person');
    expect(await web.page.title()).toContain('人口基础信息');
    const meta = await text('dc-resource-meta');
    for (const seen of ['厦门市公安局', '每日', '无条件共享', '不予开放', '公民身份号码 (id)']) expect(meta).toContain(seen);
    // The abstract in the page's language only.
    expect(await text('dc-resource-abstract')).toBe('本市常住人口的身份、户籍、婚姻状况与居住地信息，以公民身份号码为主键。');
    expect(meta).toContain('数据表');
    const schema = await text('dc-schema');
    for (const seen of ['公民身份号码', '高度敏感', '婚姻状况']) expect(schema).toContain(seen);
    expect(await figure('dc-stat-records-value')).toBe(300);

    // Ten sample rows; the ID numbers (highly sensitive) masked like 350203********1234.
    await expect.poll(() => byTestId('dc-sample-row').count()).toBe(10);
    const ids = await byTestId('dc-sample-row').locator('td:first-child').allTextContents();
    expect(ids).toHaveLength(10);
    for (const id of ids) expect(id.trim()).toMatch(MASKED_ID);
    expect(await text('dc-sample-rows')).toContain('**');

    // The demo batch that loaded it.
    const batch = byTestId('dc-batch-row').filter({ hasText: 'people.ndjson' });
    await batch.waitFor();
    expect(await batch.textContent()).toContain('已入库');

    // A reload keeps the page (the address is the resource's).
    await web.page.reload();
    await byTestId('dc-resource-name').filter({ hasText: '人口基础信息' }).waitFor();
  });

  it('uploads a CSV of districts: applied, the bad row skipped and downloadable', async () => {
    await signInAsOperator();
    await openResource('行政区', 'spatial.district');
    await byTestId('dc-stat-records-value').waitFor();
    const before = await figure('dc-stat-records-value');
    expect(before).toBeGreaterThan(0);

    const csv = ['code,name,lat,lon', '350203,思明区,24.465,118.105', '350299,鹭岛新区,24.6,118.2', ',无代码区,24.5,118.1', ''].join('\n');
    await byTestId('dc-upload-file').setInputFiles({ name: 'districts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    expect(await byTestId('dc-upload-key').inputValue()).toMatch(/^districts\.csv@\d{8}T\d{6}Z$/);
    expect(await byTestId('dc-upload-skip').isChecked()).toBe(true);

    // Hold the upload to see the form busy while it is under way.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await web.page.route('**/api/dc/resources/spatial.district/uploads?**', async (route) => {
      await held;
      await route.continue();
    });
    await byTestId('dc-upload-submit').click();
    await web.page.locator('[data-testid="dc-upload-submit"]:disabled').waitFor();
    expect(await text('dc-upload-status')).toMatch(/正在(上传|校验并入库)/);
    release();

    await byTestId('dc-batch-result').waitFor();
    const result = await text('dc-batch-result');
    expect(result).toContain('已入库');
    expect(result).toContain('无效行已跳过');
    expect(result).toContain('已跳过 1 条无效记录'); // the server's message, in the page's language
    expect(await text('dc-result-status')).toBe('已入库');
    expect(await text('dc-result-rows-read')).toBe('3');
    expect(await text('dc-result-rows-valid')).toBe('2');
    expect(await text('dc-result-rows-invalid')).toBe('1');
    expect(await text('dc-result-inserted')).toBe('1');
    expect(await text('dc-result-unchanged')).toBe('1');
    expect(await byTestId('dc-upload-submit').isEnabled()).toBe(true);

    // Stats, sample rows and batches refresh.
    await expect.poll(() => figure('dc-stat-records-value')).toBe(before + 1);
    await byTestId('dc-sample-rows').filter({ hasText: '鹭岛新区' }).waitFor();
    const batch = byTestId('dc-batch-row').filter({ hasText: 'districts.csv' });
    await batch.waitFor();
    expect(await batch.textContent()).toContain('已入库');
    expect(await batch.textContent()).toContain('已跳过 1 条无效记录');

    // The rejected row, downloaded as CSV from the batch history.
    const [download] = await Promise.all([web.page.waitForEvent('download'), batch.getByTestId('dc-batch-errors-link').click()]);
    const file = await download.path();
    const rejected = fs.readFileSync(file, 'utf8');
    expect(rejected).toContain('行号,字段,原因\r\n4,code,必填');
    // In English when the page is: the same stored reasons, in the reader's words.
    await byTestId('lang-en').click();
    const [english] = await Promise.all([web.page.waitForEvent('download'), batch.getByTestId('dc-batch-errors-link').click()]);
    expect(fs.readFileSync(await english.path(), 'utf8')).toContain('row,field,reason\r\n4,code,is required');
    // The batch history, loaded in Chinese, is fetched again in English: the server's message follows.
    await expect.poll(async () => (await batch.textContent()) ?? '').toContain('1 invalid rows were skipped');
    await byTestId('lang-zh-CN').click();
  });

  it('says when a key was used before, and shows the server’s problem when an upload is refused', async () => {
    await signInAsOperator();
    await openResource('行政区', 'spatial.district');
    await byTestId('dc-upload-form').waitFor();

    const key = `districts-${Date.now()}`;
    const send = async (csv: string) => {
      await byTestId('dc-upload-file').setInputFiles({ name: 'districts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await byTestId('dc-upload-key').fill(key);
      await byTestId('dc-upload-reject').check();
      await byTestId('dc-upload-submit').click();
      await byTestId('dc-upload-submit').filter({ hasText: '上传并入库' }).waitFor();
    };
    await send('code,name,lat,lon\n350203,思明区,24.465,118.105\n');
    await byTestId('dc-batch-result').waitFor();
    expect(await text('dc-result-status')).toBe('已入库');
    expect(await byTestId('dc-result-replayed').count()).toBe(0);

    // The same key again: the earlier batch comes back, nothing is applied twice.
    await send('code,name,lat,lon\n350206,湖里区,24.512,118.135\n');
    await byTestId('dc-result-replayed').waitFor();
    expect(await text('dc-result-replayed')).toContain('此幂等键此前已提交过');

    // The session ends elsewhere (another tab signs out): the server's 401 problem, in its words
    // and in the page's language.
    expect((await web.page.request.post('/api/auth/logout')).ok()).toBe(true);
    await send('code,name,lat,lon\n350206,湖里区,24.512,118.135\n');
    const error = await web.actionError('dc-upload-error', '上传失败', 401);
    expect(error).toContain('请先登录，或使用有效的 API 密钥调用');
    expect(await byTestId('dc-batch-result').count()).toBe(0);
  });
});
