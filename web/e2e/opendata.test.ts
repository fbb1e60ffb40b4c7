// The open-data portal in a real browser: Debian's Chromium, driven by playwright-core, against
// `ludao start`. No demo city is loaded (that keeps the start quick, and the demo's datasets out
// of the way): the tests publish what they need themselves, through the API or through the pages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as apiRequest, type APIRequestContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../../src/platform/ids';
import { DEMO_PASSWORD, hasChromium, setUpBrowserSuite, startServer } from './browser';

const STREETS = ['中华街道', '鹭江街道', '厦港街道'];

/** 25 bus stops in 思明区: a name, a street, how many lines stop there, when it opened, where it is. */
function busStopsCsv(): string {
  const rows = Array.from({ length: 25 }, (_, i) => {
    const day = String((i % 5) + 1).padStart(2, '0');
    return [`思明公交站${i + 1}`, STREETS[i % 3], String(2 + (i % 7)), `2025-03-${day}`, (24.44 + i * 0.0015).toFixed(4), (118.08 + i * 0.0013).toFixed(4)].join(',');
  });
  return ['stop_name,street,lines,opened_on,lat,lon', ...rows, ''].join('\n');
}

describe.skipIf(!hasChromium)('the open-data portal in Chromium', () => {
  const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: 0, tmpPrefix: 'ludao-od-e2e-' }), context: { acceptDownloads: true } });
  const { byTestId, text, pathname, waitForText, signIn } = web;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-od-files-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** An API client signed in as a user, for what another person does meanwhile. */
  async function apiAs(username: string): Promise<APIRequestContext> {
    const api = await apiRequest.newContext({ baseURL: web.base });
    const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
    expect(res.status()).toBe(200);
    return api;
  }

  /** The operator uploads, submits and publishes a dataset through the API. */
  async function publishThroughApi(meta: Record<string, unknown>, fileName: string, content: string): Promise<void> {
    const api = await apiAs('operator');
    try {
      const query = new URLSearchParams({ fileName, changelog: '首次发布', meta: JSON.stringify(meta) });
      const upload = await api.post(`/api/open/manage/uploads?${query.toString()}`, { headers: { 'content-type': 'application/octet-stream' }, data: Buffer.from(content, 'utf8') });
      expect(upload.status(), await upload.text()).toBe(201);
      expect((await api.post(`/api/open/manage/datasets/${meta.id as string}/versions/1/submit`)).status()).toBe(200);
      expect((await api.post(`/api/open/manage/datasets/${meta.id as string}/versions/1/review`, { data: { decision: 'publish', note: '同意发布' } })).status()).toBe(200);
    } finally {
      await api.dispose();
    }
  }

  /** A file in the suite's temporary directory. */
  function tempFile(name: string, content: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content, 'utf8');
    return file;
  }

  /** Searches the catalogue with Chinese words and waits for the answer to them. */
  async function search(words: string): Promise<void> {
    await byTestId('od-search').fill(words);
    await byTestId('od-search-submit').click();
    await byTestId('od-terms').waitFor();
    await byTestId('od-count').filter({ hasNotText: '正在搜索' }).waitFor();
  }

  it('lets anyone search in Chinese and open a dataset: preview, chart, map, downloads, API, versions', async () => {
    await publishThroughApi(
      {
        id: 'siming-bus-stops',
        title: '思明区公交站点',
        titleEn: 'Bus stops in Siming',
        description: '思明区公交站点的名称、所属街道、途经线路数、启用日期与坐标。',
        theme: 'transport',
        tags: ['公交', '站点'],
        updateFrequency: 'monthly',
        openType: 'unconditional',
        fieldNotes: { lines: { description: '途经该站的公交线路数', unit: '条' } },
      },
      'stops.csv',
      busStopsCsv(),
    );

    // Signed out, the login page leads to the portal, which needs no sign-in.
    await web.page.goto('/');
    await byTestId('login-form').waitFor();
    await byTestId('login-open-data').click();
    await byTestId('public-portal').waitFor();
    expect(pathname()).toBe('/open');
    expect(await byTestId('shell').count()).toBe(0);
    expect(await byTestId('od-sign-in').count()).toBe(1);

    await search('思明区公交');
    await waitForText('od-terms', '思明区 | 公交');
    expect(await text('od-terms')).toBe('分词：思明区 | 公交');
    expect(new URL(web.page.url()).searchParams.get('q')).toBe('思明区公交');
    const result = web.page.locator('[data-testid="od-result"][data-id="siming-bus-stops"]');
    await result.waitFor();
    const shown = (await result.textContent()) ?? '';
    for (const seen of ['思明区公交站点', '厦门市信息中心', '交通出行', '公交', '站点', '质量']) expect(shown).toContain(seen);
    expect(await result.getByTestId('od-result-rows').textContent()).toBe('25');

    // A facet narrows the search and shows as a filter that can be taken off.
    await byTestId('od-facet-theme').locator('[data-value="transport"]').click();
    await byTestId('od-active-theme').waitFor();
    expect(await text('od-active-theme')).toContain('交通出行');
    expect(new URL(web.page.url()).searchParams.get('theme')).toBe('transport');
    await result.waitFor();
    await byTestId('od-facet-theme').locator('[data-value="transport"][aria-pressed="true"]').waitFor();

    // The dataset's page.
    await result.getByTestId('od-result-link').click();
    await waitForText('od-dataset-title', '思明区公交站点');
    expect(pathname()).toBe('/open/datasets/siming-bus-stops');
    expect(await web.page.title()).toContain('思明区公交站点');
    expect(await text('od-open-type')).toBe('无条件开放');
    const meta = await text('od-metadata');
    for (const seen of ['厦门市信息中心', '交通出行', '公交、站点', 'CC BY 4.0', '每月', '无条件开放']) expect(meta).toContain(seen);
    expect(await byTestId('od-licence').getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
    await byTestId('od-quality-score').waitFor();
    for (const part of ['completeness', 'machineReadable', 'timeliness', 'licence']) expect(await text(`od-quality-${part}`)).toMatch(/\d+ \/ 25/);
    expect(await text('od-quality-licence')).toContain('25 / 25');
    const fields = byTestId('od-field-row');
    expect(await fields.count()).toBe(6);
    expect(await fields.filter({ hasText: 'lines' }).textContent()).toContain('途经该站的公交线路数');
    expect(await fields.filter({ hasText: 'lines' }).textContent()).toContain('条');

    // Twenty records, then the last five on the next page, and back.
    await expect.poll(() => byTestId('od-preview-row').count()).toBe(20);
    expect(await text('od-preview')).toContain('思明公交站1');
    await byTestId('od-preview-next').click();
    await waitForText('od-preview-page', '第 2 页');
    await expect.poll(() => byTestId('od-preview-row').count()).toBe(5);
    expect(await text('od-preview')).toContain('思明公交站25');
    expect(await byTestId('od-preview-next').isDisabled()).toBe(true);
    await byTestId('od-preview-prev').click();
    await expect.poll(() => byTestId('od-preview-row').count()).toBe(20);

    // The chart: lines over the opening date (a line), then by street (bars); the map: every stop.
    await byTestId('od-chart').locator('path.chart-line').waitFor();
    expect(await byTestId('od-chart').locator('circle.chart-dot').count()).toBe(5);
    await byTestId('od-chart-dim').selectOption('street');
    await expect.poll(() => byTestId('od-chart').locator('rect.chart-bar').count()).toBe(3);
    expect(await text('od-chart')).toContain('中华街道');
    await expect.poll(() => byTestId('od-map').locator('circle.map-point').count()).toBe(25);
    expect(await text('od-map-count')).toContain('25 / 25');

    // Downloads: CSV, CSV for Excel (with a BOM), JSON, XLSX and GeoJSON (the rows are places).
    expect(await byTestId('od-download-csv').getAttribute('href')).toBe('/api/open/v1/datasets/siming-bus-stops/export.csv');
    expect(await byTestId('od-download-csv-bom').getAttribute('href')).toBe('/api/open/v1/datasets/siming-bus-stops/export.csv?bom=true');
    for (const format of ['json', 'xlsx', 'geojson']) expect(await byTestId(`od-download-${format}`).count()).toBe(1);
    const [download] = await Promise.all([web.page.waitForEvent('download'), byTestId('od-download-csv-bom').click()]);
    const csv = fs.readFileSync(await download.path());
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString('utf8')).toContain('思明公交站25');

    // The API call, and the version with its changelog.
    expect(await text('od-curl')).toBe(`curl '${web.base}/api/open/v1/datasets/siming-bus-stops/records?limit=20'`);
    const version = byTestId('od-version-row');
    expect(await version.count()).toBe(1);
    expect(await version.textContent()).toContain('首次发布');
    expect(await version.textContent()).toContain('已发布');
    expect(await version.getByTestId('od-version-download').getAttribute('href')).toBe('/api/open/v1/datasets/siming-bus-stops/export.csv?version=1');

    // In English, the same page.
    await byTestId('lang-en').click();
    await waitForText('od-dataset-title', 'Bus stops in Siming');
    expect(await text('od-open-type')).toBe('Open');
  });

  it('says that a conditional dataset’s data needs an approved key', async () => {
    await publishThroughApi(
      { id: 'clinic-waits', title: '诊所候诊时间', description: '各诊所的平均候诊时间（分钟）。', theme: 'health', updateFrequency: 'monthly', openType: 'conditional' },
      'waits.csv',
      ['诊所,平均候诊分钟', '甲诊所,12', '乙诊所,30', ''].join('\n'),
    );
    await web.page.goto('/open/datasets/clinic-waits');
    await waitForText('od-dataset-title', '诊所候诊时间');
    expect(await text('od-open-type')).toBe('有条件开放');
    expect(await text('od-conditional')).toContain('经批准的 API 密钥');
    // The records API says no without a key: its reason stands where the preview would be.
    await waitForText('od-preview-refused', '数据集 clinic-waits 为有条件开放：请先申请，获批后使用获得的 API 密钥调用');
    expect(await byTestId('od-preview-row').count()).toBe(0);
    expect(await byTestId('od-chart-panel').count()).toBe(0);
    expect(await text('od-curl')).toContain("-H 'X-API-Key: odk_…'");
    // No download a link would only fail (it cannot send the key): how to download instead.
    expect(await byTestId('od-downloads').count()).toBe(0);
    expect(await byTestId('od-version-download').count()).toBe(0);
    expect(await web.page.locator('#od-dl-h').locator('..').textContent()).toContain('有条件开放的数据需带上经批准的 API 密钥下载');
  });

  it('takes an operator’s upload from draft through review to the public catalogue', async () => {
    await signIn('operator', '林运维');
    await byTestId('nav-open-data').click();
    await byTestId('od-tabs').waitFor();
    expect(pathname()).toBe('/open');
    for (const tab of ['catalogue', 'publish', 'reviews']) expect(await byTestId(`od-tab-${tab}`).count()).toBe(1);
    expect(await byTestId('od-tab-keys').count()).toBe(0);
    await byTestId('od-tab-publish').click();
    await byTestId('od-upload-form').waitFor();

    const csv = ['站点,日期,AQI,PM2.5', '湖里监测站,2026-05-01,42,18.5', '湖里监测站,2026-05-02,57,25.1', '殿前监测站,2026-05-01,38,16.0', ''].join('\n');
    await byTestId('od-upload-file').setInputFiles(tempFile('huli-air.csv', csv));
    await byTestId('od-upload-id').fill('huli-air-quality');
    await byTestId('od-upload-title').fill('湖里区空气质量日报');
    await byTestId('od-upload-description').fill('湖里区各监测站每日空气质量指数（AQI）与 PM2.5 浓度。');
    await byTestId('od-upload-theme').selectOption('environment');
    await byTestId('od-upload-tags').fill('空气质量、监测');
    await byTestId('od-upload-updateFrequency').selectOption('daily');
    await byTestId('od-upload-changelog').fill('首次发布');
    await byTestId('od-upload-submit').click();

    // A draft of three rows, listed with its version.
    await byTestId('od-created').waitFor();
    expect(await text('od-created')).toContain('已创建草稿“湖里区空气质量日报”（huli-air-quality）第 1 版，共 3 行');
    const row = web.page.locator('[data-testid="od-pub-row"][data-id="huli-air-quality"]');
    await row.and(web.page.locator('[data-status="draft"]')).waitFor();
    expect(await row.getByTestId('od-pub-status').textContent()).toBe('草稿');
    await row.locator('[data-testid="od-pub-version"][data-version="1"][data-status="draft"]').waitFor();

    // Submitted for review.
    await byTestId('od-created').getByTestId('od-submit').click();
    await byTestId('od-created-sent').waitFor();
    await row.and(web.page.locator('[data-status="review"]')).waitFor();
    expect(await row.getByTestId('od-pub-status').textContent()).toBe('待审核');
    await row.locator('[data-testid="od-pub-version"][data-status="review"]').waitFor();

    // In the review queue; published with a note.
    await byTestId('od-tab-reviews').click();
    const item = web.page.locator('[data-testid="od-review-row"][data-id="huli-air-quality"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('首次发布');
    await item.getByTestId('od-review-note').fill('无个人信息，同意发布');
    await item.getByTestId('od-review-publish').click();
    await waitForText('od-review-done', '已发布“湖里区空气质量日报”第 1 版');
    await expect.poll(() => item.count()).toBe(0);

    await byTestId('od-tab-publish').click();
    await row.and(web.page.locator('[data-status="published"]')).waitFor();
    await row.locator('[data-testid="od-pub-version"][data-status="published"]').waitFor();

    // Signed out, anyone finds it.
    await byTestId('sign-out').click();
    await byTestId('login-open-data').click();
    await search('湖里区空气质量');
    await waitForText('od-terms', '湖里区 | 空气质量');
    const found = web.page.locator('[data-testid="od-result"][data-id="huli-air-quality"]');
    await found.waitFor();
    expect(await found.textContent()).toContain('生态环境');
  });

  it('refuses an upload holding a resident ID number, and a grouping that singles people out, saying why', async () => {
    await signIn('operator', '林运维');
    await web.page.goto('/open/publish');
    await byTestId('od-upload-form').waitFor();

    const idNumber = makeResidentId({ areaCode: '350203', birthDate: '1988-08-08', sequence: 27 });
    const csv = ['站点,备注', '甲站,正常', `乙站,负责人 ${idNumber}`, ''].join('\n');
    await byTestId('od-upload-file').setInputFiles(tempFile('stations.csv', csv));
    await byTestId('od-upload-id').fill('leaky-stations');
    await byTestId('od-upload-title').fill('站点备注');
    await byTestId('od-upload-description').fill('各站点的备注信息（测试个人信息拦截）。');
    await byTestId('od-upload-theme').selectOption('public_services');
    await byTestId('od-upload-changelog').fill('首次发布');
    await byTestId('od-upload-submit').click();

    await byTestId('od-upload-error').waitFor();
    expect(await text('od-upload-error')).toContain('发布被拒绝：数据可能含有个人信息');
    // The server's reason, in the page's language.
    const detail = await text('od-upload-error-detail');
    expect(detail).toBe('拒绝发布：第 3 行“备注”列含有公民身份号码，个人信息一律不予开放');
    expect(await byTestId('od-created').count()).toBe(0);
    await byTestId('od-pub-refresh').click();
    await web.page.locator('[data-testid="od-pub-refresh"]:enabled').waitFor();
    expect(await web.page.locator('[data-testid="od-pub-row"][data-id="leaky-stations"]').count()).toBe(0);

    // From the catalogue: grouping people by their ID number is refused before anything is read.
    await byTestId('od-derive-resource').selectOption('population.person');
    expect(await byTestId('od-derive-id').inputValue()).toBe('population-person');
    await byTestId('od-derive-group').getByTestId('xc-field-id').check();
    await byTestId('od-derive-theme').selectOption('population');
    await byTestId('od-derive-changelog').fill('首次发布');
    await byTestId('od-derive-submit').click();
    await byTestId('od-derive-error').waitFor();
    expect(await text('od-derive-error')).toContain('发布被拒绝');
    expect(await text('od-derive-error-detail')).toMatch(/^拒绝发布：不能按“id”（.+）分组，该字段可识别个人或属于敏感数据/);
  });

  it('lets an enterprise create an API key, see it listed with its use today, and revoke it', async () => {
    const ferries = ['码头,航线数', '东渡码头,12', '轮渡码头,8', ''].join('\n');
    await publishThroughApi(
      { id: 'ferry-piers', title: '轮渡码头', description: '本市轮渡码头及其航线数量。', theme: 'transport', updateFrequency: 'yearly', openType: 'unconditional' },
      'piers.csv',
      ferries,
    );
    await signIn('enterprise', '白鹭数据');
    await byTestId('nav-open-data').click();
    await byTestId('od-tab-keys').click();
    expect(pathname()).toBe('/open/keys');
    expect(await byTestId('od-tab-publish').count()).toBe(0);
    await byTestId('od-keys-empty').waitFor();

    await byTestId('od-key-name').fill('公交查询小程序');
    await byTestId('od-key-create').click();
    await byTestId('od-key-secret').waitFor();
    const key = await byTestId('od-key-secret-value').inputValue();
    expect(key).toMatch(/^odk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/);
    expect(await text('od-key-secret')).toContain('只显示这一次');

    // Listed, with its quota; a call with it counts towards today's use.
    const row = byTestId('od-key-row').filter({ hasText: '公交查询小程序' });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('active');
    expect(await row.getByTestId('od-key-status').textContent()).toBe('有效');
    expect(await row.textContent()).toContain('10,000');
    await byTestId('od-key-secret-done').click();
    expect(await byTestId('od-key-secret').count()).toBe(0);

    const call = await fetch(`${web.base}/api/open/v1/datasets/ferry-piers/records?limit=5`, { headers: { 'x-api-key': key } });
    expect(call.status).toBe(200);
    expect(((await call.json()) as { records: unknown[] }).records).toHaveLength(2);
    await expect
      .poll(
        async () => {
          await byTestId('od-keys-refresh').click();
          await web.page.locator('[data-testid="od-keys-refresh"]:enabled').waitFor();
          return (await row.getByTestId('od-key-used').textContent())?.trim();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe('1');

    // Revoked: marked so, and refused from then on.
    await row.getByTestId('od-key-revoke').click();
    expect(await text('od-key-revoke-form')).toContain('公交查询小程序');
    await byTestId('od-key-revoke-confirm').click();
    await waitForText('od-key-done', '密钥“公交查询小程序”已吊销');
    await row.and(web.page.locator('[data-status="revoked"]')).waitFor();
    expect(await row.getByTestId('od-key-status').textContent()).toBe('已吊销');
    expect(await row.getByTestId('od-key-revoke').count()).toBe(0);
    expect((await fetch(`${web.base}/api/open/v1/datasets/ferry-piers/records`, { headers: { 'x-api-key': key } })).status).toBe(401);
  });

  it('opens a conditional dataset on application: apply, completeness check, return and resubmit, approval, agreement and key, revocation', async () => {
    await publishThroughApi(
      { id: 'job-fair-vacancies', title: '招聘会岗位需求', description: '各行业在招聘会上登记的岗位数与求职人数。', theme: 'social_security', updateFrequency: 'monthly', openType: 'conditional', publisher: 'xm.hrss' },
      'vacancies.csv',
      ['行业,岗位数,求职人数', '软件和信息技术,320,410', '批发和零售,150,220', ''].join('\n'),
    );
    const dataset = '/open/datasets/job-fair-vacancies';
    const card = byTestId('od-app').filter({ hasText: '招聘会岗位需求' });
    /** Signs out, signs in as someone else and opens the applications tab. */
    async function applicationsAs(username: string, displayName: string): Promise<void> {
      await byTestId('sign-out').click();
      await signIn(username, displayName);
      await web.page.goto('/open/applications');
      await card.waitFor();
    }
    const status = () => card.getByTestId('od-app-status').textContent();

    // Signed out, the dataset page offers to sign in to apply.
    await web.page.goto(dataset);
    await waitForText('od-dataset-title', '招聘会岗位需求');
    expect(await text('od-apply')).toContain('经平台完整性查验和提供部门审核批准');
    expect(await byTestId('od-apply-sign-in').getAttribute('href')).toBe('/login');

    // The enterprise applies: purpose, scenario, and the undertaking it must tick.
    await signIn('enterprise', '白鹭数据');
    await web.page.goto(dataset);
    await byTestId('od-apply-form').waitFor();
    expect(await text('od-apply-undertaking')).toContain('不向任何第三方提供');
    await byTestId('od-apply-purpose').fill('求职匹配小程序');
    await byTestId('od-apply-scenario').fill('按行业向求职者展示岗位供需，数据仅在服务端汇总使用');
    await byTestId('od-apply-days').fill('60');
    await byTestId('od-apply-submit').click();
    // Unticked, nothing is sent.
    expect(await byTestId('od-apply-accept').evaluate((box: HTMLInputElement) => box.validity.valueMissing)).toBe(true);
    expect(await byTestId('od-apply-current').count()).toBe(0);
    await byTestId('od-apply-accept').check();
    await byTestId('od-apply-submit').click();
    await waitForText('od-apply-done', '申请已提交');
    expect(await text('od-apply-status')).toBe('待完整性查验');
    expect(await text('od-apply-next')).toMatch(/平台将在 \d{4}\/\d{2}\/\d{2} 前完成完整性查验/);
    await byTestId('od-apply-open').click();
    await card.waitFor();
    expect(pathname()).toBe('/open/applications');
    expect(await card.getByTestId('od-app-step').count()).toBe(1);
    expect(await card.getByTestId('od-app-step').textContent()).toContain('提交申请白鹭数据');
    expect(await card.getByTestId('od-app-waiting').textContent()).toContain('等待平台完整性查验');
    // Organisations' names come in their own request: the code shows until they do.
    await expect.poll(() => card.getByTestId('od-app-meta').textContent()).toContain('厦门市人力资源和社会保障局');

    // The operator checks: returning it needs a note (the server says so), then it goes back.
    await applicationsAs('operator', '林运维');
    expect(await card.getByTestId('od-app-due').count()).toBe(1);
    expect(await card.getByTestId('od-decide-form').count()).toBe(0);
    await card.getByTestId('od-check-no').click();
    await card.getByTestId('od-check-error').waitFor();
    expect(await card.getByTestId('od-check-error').textContent()).toContain('退回补正时请在意见中写明缺少什么');
    await card.getByTestId('od-check-note').fill('请说明数据保存期限与销毁方式');
    await card.getByTestId('od-check-no').click();
    await waitForText('od-apps-manage-done', '已退回补正');
    await expect.poll(status).toBe('退回补正');

    // The enterprise reads why, corrects the scenario and sends it again.
    await applicationsAs('enterprise', '白鹭数据');
    expect(await card.getByTestId('od-app-reason').textContent()).toBe('请说明数据保存期限与销毁方式');
    await card.getByTestId('od-resubmit-scenario').fill('按行业向求职者展示岗位供需；数据仅在服务端汇总，保存不超过 60 天，到期删除');
    await card.getByTestId('od-resubmit-submit').click();
    await waitForText('od-apps-done', '已重新提交');
    await expect.poll(status).toBe('待完整性查验');

    // The operator finds it complete; the decision is the provider's, not the operator's.
    await applicationsAs('operator', '林运维');
    await card.getByTestId('od-check-yes').click();
    await expect.poll(status).toBe('待提供部门审核');
    expect(await card.getByTestId('od-decide-form').count()).toBe(0);
    await expect.poll(() => card.textContent()).toContain('等待厦门市人力资源和社会保障局审核');

    // The providing department approves it for fewer days than asked.
    await applicationsAs('hrss.admin', '黄人社');
    expect(await card.getByTestId('od-decide-days').inputValue()).toBe('60');
    await card.getByTestId('od-decide-days').fill('30');
    await card.getByTestId('od-decide-yes').click();
    await waitForText('od-apps-manage-done', '已批准');
    await expect.poll(status).toBe('已批准');
    expect(await card.getByTestId('od-app-waiting').textContent()).toContain('等待申请人签署协议');

    // The enterprise accepts the agreement and sees its key once; the key reads this dataset.
    await applicationsAs('enterprise', '白鹭数据');
    expect(await card.getByTestId('od-agreement-terms').textContent()).toContain('密钥只能读取和下载“招聘会岗位需求”');
    await card.getByTestId('od-agreement-accept').click();
    await card.getByTestId('od-key-secret').waitFor();
    const key = await card.getByTestId('od-key-secret-value').inputValue();
    expect(key).toMatch(/^odk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/);
    expect(await card.getByTestId('od-key-secret').textContent()).toContain('只能读取“招聘会岗位需求”');
    await card.getByTestId('od-app-usage').waitFor();
    const steps = await card.getByTestId('od-app-step').evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
    expect(steps).toEqual(['submitted', 'returned', 'resubmitted', 'checked_complete', 'approved', 'agreement_accepted']);
    expect(await card.getByTestId('od-app-steps').textContent()).toContain('valid 30 days');
    const read = await fetch(`${web.base}/api/open/v1/datasets/job-fair-vacancies/records?limit=5`, { headers: { 'x-api-key': key } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { records: unknown[] }).records).toHaveLength(2);
    await byTestId('od-key-secret-done').click();
    await expect
      .poll(
        async () => {
          await byTestId('od-apps-refresh').click();
          await web.page.locator('[data-testid="od-apps-refresh"]:enabled').waitFor();
          return card.getByTestId('od-app-usage-total').textContent();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe('共 1 次');
    // On the dataset's page, the application stands instead of the form.
    await web.page.goto(dataset);
    await waitForText('od-apply-status', '已批准');
    expect(await text('od-apply-next')).toContain('已签署协议并领取密钥');
    expect(await byTestId('od-apply-form').count()).toBe(0);

    // The provider revokes the approval, with a reason; the key stops.
    await applicationsAs('hrss.admin', '黄人社');
    expect(await card.getByTestId('od-app-usage-total').textContent()).toBe('共 1 次');
    await card.getByTestId('od-revoke-open').click();
    await card.getByTestId('od-revoke-reason').fill('超出约定场景使用');
    await card.getByTestId('od-revoke-submit').click();
    await waitForText('od-apps-manage-done', '已撤销');
    await expect.poll(status).toBe('已撤销');
    expect((await fetch(`${web.base}/api/open/v1/datasets/job-fair-vacancies/records`, { headers: { 'x-api-key': key } })).status).toBe(401);

    // The enterprise sees it revoked, and why; it may apply again.
    await applicationsAs('enterprise', '白鹭数据');
    expect(await status()).toBe('已撤销');
    expect(await card.getByTestId('od-app-reason').textContent()).toBe('超出约定场景使用');
    expect(await card.getByTestId('od-app-step').last().textContent()).toContain('撤销授权黄人社');
    await web.page.goto(dataset);
    await byTestId('od-apply-form').waitFor();
    expect(await text('od-apply-previous')).toContain('已撤销');
  });
});
