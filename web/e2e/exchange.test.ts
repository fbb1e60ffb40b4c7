// The exchange in a real browser: Debian's Chromium, driven by playwright-core, against
// `ludao start`. Sharing needs only the catalogue the first start creates, so no demo city is
// loaded (that keeps the start quick); calls go through the data plane with an API key.
import { request as apiRequest, type APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DataUse } from '../../src/modules/exchange';
import { DEMO_PASSWORD, hasChromium, setUpBrowserSuite, startServer } from './browser';

const SYSTEM = '社保经办系统';
const CASE_ID = 'SB-2026-000123';

/** A day in China time as YYYY-MM-DD, `offset` days from today. */
const chinaDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('the exchange in Chromium', () => {
  const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: 0, tmpPrefix: 'ludao-xc-e2e-' }) });
  const { byTestId, text, figure, pathname, waitForText, signIn } = web;
  // What one test leaves for the next (they run in order, on one server).
  let requestId = '';
  let channelId = '';
  const grantedUntil = chinaDay(180);

  /** An API client signed in as a user, for what another person does meanwhile. */
  async function apiAs(username: string): Promise<APIRequestContext> {
    const api = await apiRequest.newContext({ baseURL: web.base });
    const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
    expect(res.status()).toBe(200);
    return api;
  }

  it('shows why a resource is not shared, and submits a request for civil_affairs.marriage', async () => {
    await signIn('hrss.admin', '黄人社');
    await byTestId('nav-department').click();
    await byTestId('xc-tabs').waitFor();
    expect(pathname()).toBe('/department');
    await byTestId('xc-requests-empty').waitFor();

    // Not shared: the legal basis, and no form.
    await byTestId('xc-tab-ask').click();
    await byTestId('xc-ask-search').fill('health.medical_record');
    await byTestId('xc-ask-search').press('Enter');
    await byTestId('xc-not-shared').waitFor();
    expect(await text('xc-not-shared')).toContain('基本医疗卫生与健康促进法');
    expect(await text('xc-access-sharing')).toBe('不予共享');
    expect(await byTestId('xc-request-form').count()).toBe(0);
    expect(await byTestId('xc-channel-form').count()).toBe(0);

    // Found by words in the catalogue: conditional, so a request.
    await byTestId('xc-ask-search').fill('婚姻登记');
    await web.page.locator('[data-testid="xc-ask-result"][data-code="civil_affairs.marriage"]').click();
    await web.page.locator('[data-testid="xc-access"][data-sharing="conditional"]').waitFor();
    expect(new URL(web.page.url()).search).toBe('?resource=civil_affairs.marriage');
    expect(await text('xc-access-name')).toContain('婚姻登记信息');
    expect(await text('xc-access-sharing')).toBe('有条件共享');

    const form = byTestId('xc-request-form');
    for (const field of ['husband_id', 'wife_id', 'registered_on', 'status']) await form.getByTestId(`xc-field-${field}`).check();
    await byTestId('xc-form-purpose').fill('生育保险待遇申领：核验婚姻登记');
    await byTestId('xc-form-basis').fill('《社会保险法》第五十四条');
    await byTestId('xc-form-calls').fill('500');
    expect(await byTestId('xc-form-until').inputValue()).toBe(chinaDay(365));
    await byTestId('xc-form-system').fill(SYSTEM);
    await byTestId('xc-request-submit').click();

    // The new request's page: pending, ten working days to answer, one step so far.
    await byTestId('xc-request-page').waitFor();
    await byTestId('xc-request-status').filter({ hasText: '待审批' }).waitFor();
    expect(pathname()).toMatch(/^\/department\/requests\/XR-\d{8}-[0-9a-f]{8}$/);
    requestId = decodeURIComponent(pathname().split('/').pop()!);
    await waitForText('xc-request-fields', '男方公民身份号码、女方公民身份号码、登记日期、状态');
    expect(await byTestId('xc-step').count()).toBe(1);
    await waitForText('xc-step-waiting', '等待厦门市民政局答复');
    expect(await byTestId('xc-withdraw-form').count()).toBe(1);

    // And in the list of our requests.
    await byTestId('xc-tab-ours').click();
    const row = web.page.locator(`[data-testid="xc-request-row"][data-id="${requestId}"]`);
    await row.filter({ hasText: '厦门市民政局' }).waitFor();
    const shown = (await row.textContent()) ?? '';
    for (const seen of ['婚姻登记信息', '厦门市民政局', '待审批']) expect(shown).toContain(seen);
    expect(await row.getByTestId('xc-days-left').textContent()).toMatch(/剩余 (9|10) 个工作日/);
    expect(await row.getByTestId('xc-overdue').count()).toBe(0);
  });

  it('lets ca.admin approve it with fewer fields and a shorter validity', async () => {
    expect(requestId).not.toBe('');
    await signIn('ca.admin', '钟民政');
    await byTestId('nav-department').click();
    await byTestId('xc-tab-theirs').click();
    const row = web.page.locator(`[data-testid="xc-request-row"][data-id="${requestId}"]`);
    await row.filter({ hasText: '厦门市人力资源和社会保障局' }).waitFor();
    await row.getByTestId('xc-request-link').click();

    await byTestId('xc-approve-form').waitFor();
    expect(await byTestId('xc-refuse-form').count()).toBe(1);
    expect(await byTestId('xc-withdraw-form').count()).toBe(0);
    const fields = byTestId('xc-approve-fields');
    await fields.getByTestId('xc-field-status').waitFor();
    for (const field of ['husband_id', 'wife_id', 'registered_on', 'status']) expect(await fields.getByTestId(`xc-field-${field}`).isChecked()).toBe(true);
    await fields.getByTestId('xc-field-wife_id').uncheck();
    await fields.getByTestId('xc-field-registered_on').uncheck();
    expect(await text('xc-approve-submit')).toBe('批准（2 个数据项）');
    await byTestId('xc-approve-until').fill(grantedUntil);
    await byTestId('xc-approve-rate').fill('60');
    await byTestId('xc-approve-note').fill('仅核验婚姻状态');
    await byTestId('xc-approve-submit').click();

    await byTestId('xc-request-done').waitFor();
    await byTestId('xc-request-status').filter({ hasText: '已批准' }).waitFor();
    await waitForText('xc-approved-fields', '男方公民身份号码、状态');
    expect(await web.page.locator('[data-testid="xc-step"]').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-action')))).toEqual(['submitted', 'approved']);
    expect(await byTestId('xc-steps').textContent()).toContain('仅核验婚姻状态');
    expect(await byTestId('xc-approve-form').count()).toBe(0);
    channelId = await text('xc-request-channel');
    expect(channelId).toMatch(/^XC-/);
  });

  it('shows the consumer the approval and a live channel, and the calls made through it', async () => {
    expect(channelId).not.toBe('');
    await signIn('hrss.admin', '黄人社');
    await byTestId('nav-department').click();
    const row = web.page.locator(`[data-testid="xc-request-row"][data-id="${requestId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('xc-request-status').textContent()).toBe('已批准');

    await row.getByTestId('xc-request-link').click();
    await byTestId('xc-request-status').filter({ hasText: '已批准' }).waitFor();
    await waitForText('xc-approved-fields', '男方公民身份号码、状态');
    expect(await byTestId('xc-withdraw-form').count()).toBe(0);

    await byTestId('xc-request-channel').click();
    const channel = web.page.locator(`[data-testid="xc-channel-row"][data-id="${channelId}"]`);
    await channel.waitFor();
    expect(await channel.getByTestId('xc-channel-state').textContent()).toBe('生效中');
    await channel.getByTestId('xc-channel-fields').filter({ hasText: '男方公民身份号码、状态' }).waitFor();
    await channel.filter({ hasText: '厦门市民政局' }).waitFor();
    const shown = (await channel.textContent()) ?? '';
    for (const seen of ['婚姻登记信息', '使用 厦门市民政局 的数据', SYSTEM, '60 次/分钟']) expect(shown).toContain(seen);
    expect(await channel.getByTestId('xc-revoke').count()).toBe(1);

    // The department's system calls through the channel: once within the grant, once beyond it.
    const key = await web.page.request.post('/api/keys', { data: { systemName: SYSTEM } });
    expect(key.status()).toBe(201);
    const headers = { authorization: `Bearer ${(await key.json()).key}`, 'x-ludao-purpose': encodeURIComponent('生育保险待遇申领'), 'x-ludao-case-id': CASE_ID, 'x-ludao-end-user': 'hrss-officer-7' };
    const url = `${web.base}/api/exchange/v1/civil_affairs.marriage/subjects/350203199001011234`;
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(`${url}?fields=wife_id`, { headers })).status).toBe(403);

    await byTestId('xc-tab-calls').click();
    await expect.poll(() => byTestId('xc-call-row').count()).toBe(2);
    const refused = web.page.locator('[data-testid="xc-call-row"][data-outcome="refused"]');
    await refused.filter({ hasText: '婚姻登记信息' }).waitFor();
    const refusedText = (await refused.textContent()) ?? '';
    for (const seen of ['已拒绝', '403', '未授权数据项：wife_id', CASE_ID, '生育保险待遇申领', '婚姻登记信息']) expect(refusedText).toContain(seen);
    expect(await web.page.locator('[data-testid="xc-call-row"][data-outcome="ok"]').textContent()).toContain('成功');
  });

  it('shows the server’s problem when a request was withdrawn while the provider looked at it', async () => {
    const hrss = await apiAs('hrss.admin');
    const created = await hrss.post('/api/exchange/requests', {
      data: { resource: 'civil_affairs.marriage', purpose: '了解辖区婚姻情况', legalBasis: '工作需要', fields: ['registration_office'], expectedCallsPerDay: 5, validUntil: chinaDay(90) },
    });
    expect(created.status()).toBe(201);
    const id = (await created.json()).id as string;

    await signIn('ca.admin', '钟民政');
    await web.page.goto(`/department/requests/${id}`);
    await byTestId('xc-refuse-form').waitFor();
    expect((await hrss.post(`/api/exchange/requests/${id}/withdraw`, { data: { reason: '不再需要' } })).status()).toBe(200);
    await hrss.dispose();

    await byTestId('xc-refuse-reason').fill('法律依据不足');
    await byTestId('xc-refuse-submit').click();
    const error = await web.actionError('xc-refuse-error', '拒绝失败', 409);
    expect(error).toContain(`申请 ${id} 已撤回，不再待审批`);

    await web.page.reload();
    await byTestId('xc-request-status').filter({ hasText: '已撤回' }).waitFor();
    expect(await byTestId('xc-refuse-form').count()).toBe(0);
  });

  it('shows the operator the exchange dashboard with its figures', async () => {
    await signIn('operator', '林运维');
    await byTestId('nav-operator').click();
    await byTestId('dc-tab-exchange').click();
    expect(pathname()).toBe('/operator/exchange');
    await byTestId('xc-figures').waitFor();
    expect(await web.page.title()).toContain('交换');

    expect(await figure('xc-figure-live-value')).toBe(1);
    expect(await text('xc-figure-live')).toContain('累计开通 1 个');
    expect(await figure('xc-figure-calls-value')).toBe(2);
    expect(await figure('xc-figure-refused-value')).toBe(1);
    expect(await figure('xc-figure-errors-value')).toBe(0);
    for (const p of ['p50', 'p95', 'p99']) expect(await text(`xc-figure-${p}-value`)).toMatch(/^[\d.,]+ ms$/);
    expect(await figure('xc-figure-pending-value')).toBe(0);

    expect(await byTestId('xc-chart-daily').locator('rect.chart-bar').count()).toBe(1);
    const top = byTestId('xc-ops-channel-row');
    expect(await top.count()).toBe(1);
    expect(await top.textContent()).toContain(channelId);
    for (const seen of ['厦门市人力资源和社会保障局', '厦门市民政局']) await waitForText('xc-ops-departments', seen);
    expect(await text('xc-ops-overdue')).toContain('没有超期未答复的申请');

    await byTestId('lang-en').click();
    await byTestId('xc-figure-live').filter({ hasText: 'Live channels' }).waitFor();
    expect(await text('dc-tab-exchange')).toBe('Exchange');
  });

  it('shows a citizen who used their data (nobody yet, for the demo citizen)', async () => {
    await signIn('citizen', '陈小鹭');
    await byTestId('nav-citizen').click();
    await byTestId('area-page-citizen').waitFor();
    expect(await web.page.getByRole('heading', { level: 2 }).first().textContent()).toBe('我的数据使用记录');
    await byTestId('cz-uses-empty').waitFor();
    expect(await text('area-page-citizen')).toContain('授权管理');
  });

  it('lets a citizen report a use as misuse, and shows the server’s problem when it is refused', async () => {
    // This server runs without a demo city, so the citizen is no one's data subject and the
    // list is stood in for here; the reports go to the real server except the first, which is
    // answered as it would be.
    const use = (callId: string, at: string): DataUse => ({
      callId,
      at,
      department: 'xm.hrss',
      departmentName: { zh: '厦门市人力资源和社会保障局', en: 'Xiamen Human Resources and Social Security Bureau' },
      system: SYSTEM,
      provider: 'xm.ca',
      providerName: { zh: '厦门市民政局', en: 'Xiamen Civil Affairs Bureau' },
      resource: 'civil_affairs.marriage',
      resourceName: { zh: '婚姻登记信息', en: 'Marriage registrations' },
      fields: ['husband_id', 'status'],
      fieldLabels: [
        { name: 'husband_id', zh: '男方公民身份号码', en: 'Husband (resident ID)' },
        { name: 'status', zh: '状态', en: 'Status' },
      ],
      purpose: '生育保险待遇申领',
      caseId: CASE_ID,
      outcome: 'ok',
      reported: false,
    });
    const uses = [use('00000000-0000-4000-8000-000000000001', '2026-05-12T02:00:00.000Z'), use('00000000-0000-4000-8000-000000000002', '2026-05-11T02:00:00.000Z')];
    await web.page.route('**/api/me/data-uses', (route) => route.fulfill({ json: uses }));
    await web.page.route(`**/api/me/data-uses/${uses[0]!.callId}/report`, (route) => route.fulfill({ status: 201, json: { id: 'XM-test' } }));

    await signIn('citizen', '陈小鹭');
    await byTestId('nav-citizen').click();
    await expect.poll(() => byTestId('cz-use-row').count()).toBe(2);
    const [first, second] = [byTestId('cz-use-row').nth(0), byTestId('cz-use-row').nth(1)];
    const shown = (await first.textContent()) ?? '';
    for (const seen of ['厦门市人力资源和社会保障局', SYSTEM, '婚姻登记信息', '男方公民身份号码、状态', '生育保险待遇申领', CASE_ID, '成功']) expect(shown).toContain(seen);

    await first.getByTestId('cz-report').click();
    await byTestId('cz-report-reason').fill('我没有办理过生育保险业务');
    await byTestId('cz-report-submit').click();
    await first.getByTestId('cz-reported').waitFor();
    expect(await first.getByTestId('cz-reported').textContent()).toBe('已举报');
    expect(await byTestId('cz-report-form').count()).toBe(0);

    // This call never touched the demo citizen's data: the server says so, in its words.
    await second.getByTestId('cz-report').click();
    await byTestId('cz-report-reason').fill('我没有办理过生育保险业务');
    await byTestId('cz-report-submit').click();
    const error = await web.actionError('cz-report-error', '举报失败', 404);
    expect(error).toContain(`调用 ${uses[1]!.callId} 未涉及您的数据`);
    expect(await second.getByTestId('cz-reported').count()).toBe(0);
  });

  it('subscribes a live channel to its changes, shows the secret once, replays and cancels', async () => {
    // A channel of its own to an unconditional resource. This test comes after the operator's
    // dashboard, which counts the live channels.
    const hrss = await apiAs('hrss.admin');
    const opened = await hrss.post('/api/exchange/channels', { data: { resource: 'population.person', purpose: '社保参保登记核对身份信息', fields: ['name'] } });
    expect(opened.status()).toBe(201);
    const channel = (await opened.json()).id as string;
    await hrss.dispose();

    await signIn('hrss.admin', '黄人社');
    await byTestId('nav-department').click();
    await byTestId('xc-tab-subscriptions').click();
    expect(pathname()).toBe('/department/subscriptions');
    await byTestId('xc-subs-empty').waitFor();
    // The channels come in their own request: the form appears once they are in.
    await expect
      .poll(() => byTestId('xc-sub-channel').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)))
      .toContain(channel);
    await byTestId('xc-sub-channel').selectOption(channel);
    await waitForText('xc-sub-fields', '姓名');

    // Refused: the server's own words.
    await byTestId('xc-sub-url-input').fill('ftp://127.0.0.1/hook');
    await byTestId('xc-sub-submit').click();
    const error = await web.actionError('xc-sub-form-error', '创建订阅失败', 400);
    expect(error).toContain('网址须使用 http 或 https');

    // Nothing listens at port 9, and with no changes yet nothing is posted there either.
    await byTestId('xc-sub-url-input').fill('http://127.0.0.1:9/hook');
    await byTestId('xc-sub-submit').click();
    const box = byTestId('xc-sub-secret');
    await box.waitFor();
    const id = (await box.getAttribute('data-id')) ?? '';
    expect(id).toMatch(/^XS-/);
    const secret = await byTestId('xc-sub-secret-value').inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const seen of [id, '只显示这一次', 'X-Ludao-Signature', 't=<时间戳>,v1=<签名>', 'HMAC-SHA256', '“t.body”']) expect(await box.textContent()).toContain(seen);

    const row = web.page.locator(`[data-testid="xc-sub-row"][data-id="${id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('xc-sub-status').textContent()).toBe('投递中');
    const shown = (await row.textContent()) ?? '';
    for (const seen of ['人口基础信息', channel, 'http://127.0.0.1:9/hook', '0.0']) expect(shown).toContain(seen);
    expect(shown).not.toContain(secret);
    await row.getByTestId('xc-sub-deliveries-toggle').click();
    await byTestId('xc-sub-deliveries-empty').waitFor();

    // The secret was in that answer only.
    await byTestId('xc-sub-secret-done').click();
    await byTestId('xc-sub-form').waitFor();
    expect(await byTestId('xc-sub-secret').count()).toBe(0);
    await web.page.reload();
    await row.waitFor();
    await byTestId('xc-sub-form').waitFor();
    expect(await byTestId('xc-sub-secret').count()).toBe(0);
    expect(await web.page.content()).not.toContain(secret);

    await row.getByTestId('xc-sub-replay').click();
    await byTestId('xc-sub-replay-start').check();
    await byTestId('xc-sub-replay-submit').click();
    await waitForText('xc-sub-done', `订阅 ${id} 将从游标 0.0 重新投递`);

    await row.getByTestId('xc-sub-cancel').click();
    await byTestId('xc-sub-cancel-confirm').click();
    await row.getByTestId('xc-sub-status').filter({ hasText: '已取消' }).waitFor();
    await waitForText('xc-sub-done', `订阅 ${id} 已取消`);
    expect(await row.getAttribute('data-status')).toBe('cancelled');
    expect(await row.getByTestId('xc-sub-replay').count()).toBe(0);
    expect(await row.getByTestId('xc-sub-cancel').count()).toBe(0);
  });
});
