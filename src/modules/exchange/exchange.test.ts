import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';
import { loadDemoCity } from '../../flows/demo-city';
import { PLATFORM_PRINCIPAL } from '../../platform/access';
import { createIdentityService, DEMO_PASSWORD } from '../identity';
import { CallLog } from './call-log';
import { addCallReasonCode } from './migrations/0003-add-call-reason-code';

const purposeHeaders = {
  'x-ludao-purpose': encodeURIComponent('社保待遇资格核验'),
  'x-ludao-case-id': 'SB-2026-000123',
  'x-ludao-end-user': 'hrss-officer-7',
};

describe('exchange', () => {
  let ludao: TestLudao;
  let dir: string;
  let hrss: string; // consumer admin (xm.hrss)
  let ca: string; // provider admin (xm.ca)
  let operator: string;
  let hrssKey: string;
  let person: { id: string; name: string };
  let marriage: { id: string; husband_id: string };

  const inject = (opts: InjectOptions) => ludao.app.inject(opts);
  const plane = (url: string, headers: Record<string, string> = purposeHeaders, key = hrssKey) =>
    inject({ method: 'GET', url: `/api/exchange/v1/${url}`, headers: { authorization: `Bearer ${key}`, ...headers } });
  const calls = async () => (await sql<{ outcome: string; status_code: number; reason: string | null; consumer_org: string | null }>`select outcome, status_code, reason, consumer_org from xc_call order by received_at`.execute(ludao.ctx.db)).rows;

  beforeAll(async () => {
    ludao = await startTestLudao();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-xc-'));
    await loadDemoCity(ludao.ctx, { people: 300, seed: 'exchange-test', dir });
    hrss = await signIn(ludao, 'hrss.admin', DEMO_PASSWORD);
    ca = await signIn(ludao, 'ca.admin', DEMO_PASSWORD);
    operator = await signIn(ludao, 'operator', DEMO_PASSWORD);
    hrssKey = (await createIdentityService(ludao.ctx).createApiKey(PLATFORM_PRINCIPAL, { orgCode: 'xm.hrss', systemName: '社保经办系统' })).key;
    person = (await sql<{ id: string; name: string }>`select id, name from dcr_population__person where _valid_to is null order by _key limit 1`.execute(ludao.ctx.db)).rows[0]!;
    marriage = (await sql<{ id: string; husband_id: string }>`select id, husband_id from dcr_civil_affairs__marriage where _valid_to is null order by _key limit 1`.execute(ludao.ctx.db)).rows[0]!;
  }, 120_000);
  afterAll(async () => {
    await ludao?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('sharing types', () => {
    it('refuses a not-shared resource everywhere, citing its legal basis', async () => {
      const access = await inject({ method: 'GET', url: '/api/exchange/resources/health.medical_record/access', headers: { cookie: hrss } });
      expect(access.statusCode).toBe(200);
      expect(access.json()).toMatchObject({ sharingType: 'not_shared' });
      expect(access.json().howToGetAccess).toMatch(/^不予共享，依据：.*基本医疗卫生与健康促进法/);
      const request = await inject({
        method: 'POST',
        url: '/api/exchange/requests',
        headers: { cookie: hrss },
        payload: { resource: 'health.medical_record', purpose: '核验就医记录', legalBasis: '内部规定', fields: ['diagnosis'], expectedCallsPerDay: 10, validUntil: '2030-01-01' },
      });
      expect(request.statusCode).toBe(403);
      expect(request.json().detail).toContain('基本医疗卫生与健康促进法');
      const call = await plane(`health.medical_record/subjects/${person.id}`);
      expect(call.statusCode).toBe(403);
      expect(call.headers['content-type']).toMatch(/problem\+json/);
    });

    it('denies an unconditional resource until a channel is opened, then serves only its fields', async () => {
      const before = await plane(`population.person/subjects/${person.id}`);
      expect(before.statusCode).toBe(403);
      // A system that names no language is answered in Chinese, with the code to switch on.
      expect(before.json()).toMatchObject({ detail: 'xm.hrss 没有本系统可用的 population.person 生效通道；请开通交换通道（无需审批）', code: 'xc.noChannelOpen' });
      const english = await plane(`population.person/subjects/${person.id}`, { ...purposeHeaders, 'accept-language': 'en' });
      expect(english.json()).toMatchObject({ detail: 'xm.hrss has no live channel to population.person for this system; open a channel (it is granted at once)', code: 'xc.noChannelOpen' });

      const opened = await inject({
        method: 'POST',
        url: '/api/exchange/channels',
        headers: { cookie: hrss },
        payload: { resource: 'population.person', purpose: '社保参保登记核对身份', fields: ['name', 'birth_date'] },
      });
      expect(opened.statusCode).toBe(201);
      expect(opened.json()).toMatchObject({ basis: 'unconditional', consumerOrg: 'xm.hrss', providerOrg: 'xm.psb', fields: ['name', 'birth_date'], live: true });

      const res = await plane(`population.person/subjects/${person.id}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.records).toHaveLength(1);
      expect(Object.keys(body.records[0].values).sort()).toEqual(['birth_date', 'name']);
      expect(body.records[0].values.name).toBe(person.name);
      expect(res.body).not.toContain('marital_status');
      // The response hash binds these exact bytes to the request.
      const expected = createHash('sha256').update(`${body.requestHash}\n${res.body}`).digest('hex');
      expect(res.headers['x-ludao-response-hash']).toBe(expected);
      expect(res.headers['x-ludao-call-id']).toBe(body.callId);
    });

    it('logs a place as written and a person in capitals, as their records store them', async () => {
      const opened = await inject({ method: 'POST', url: '/api/exchange/channels', headers: { cookie: hrss }, payload: { resource: 'spatial.community', purpose: '核对参保地址所属社区', fields: ['name'] } });
      expect(opened.statusCode).toBe(201);
      expect((await plane('spatial.community/subjects/xm-sm-q1')).statusCode).toBe(200);
      const lowerX = `${person.id.slice(0, 17)}x`;
      await plane(`population.person/subjects/${lowerX}`);
      const logged = await sql<{ subjects: string[] }>`select subjects from xc_call where resource_code in ('spatial.community', 'population.person') order by received_at desc limit 2`.execute(ludao.ctx.db);
      expect(logged.rows.map((r) => r.subjects)).toEqual([[`${person.id.slice(0, 17)}X`], ['xm-sm-q1']]);
    });

    it('asks for a request, not a channel, for a conditional resource', async () => {
      const res = await inject({ method: 'POST', url: '/api/exchange/channels', headers: { cookie: hrss }, payload: { resource: 'civil_affairs.marriage', purpose: '生育保险核验婚姻', fields: ['status'] } });
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toMatch(/^civil_affairs\.marriage 为有条件共享（.+）：请提交共享申请/);
      expect(res.json().code).toBe('xc.conditionalNeedsRequest');
    });
  });

  describe('the data plane refuses, and logs every refusal', () => {
    it('never returns a field outside the grant, whatever the query asks', async () => {
      const asked = await plane(`population.person/subjects/${person.id}?fields=name,marital_status`);
      expect(asked.statusCode).toBe(403);
      expect(asked.json().detail).toContain('marital_status');
      expect(asked.body).not.toContain(person.name);
      const filtered = await plane(`population.person/records?marital_status=married`);
      expect(filtered.statusCode).toBe(403);
      const byKey = await plane(`population.person/records/${person.id}?fields=id`);
      expect(byKey.statusCode).toBe(403);
    });

    it('refuses a call without purpose, case id or end user', async () => {
      for (const drop of ['x-ludao-purpose', 'x-ludao-case-id', 'x-ludao-end-user']) {
        const headers = { ...purposeHeaders } as Record<string, string>;
        delete headers[drop];
        const res = await plane(`population.person/subjects/${person.id}`, headers);
        expect(res.statusCode).toBe(400);
        expect(res.json().detail).toContain(drop.replace('x-ludao-', 'X-Ludao-').replace('-id', '-Id').replace('-user', '-User').replace('purpose', 'Purpose').replace('case', 'Case').replace('end', 'End'));
      }
    });

    it('refuses a signed-in user on the data plane, and a bad filter value with 400 not 500', async () => {
      const user = await inject({ method: 'GET', url: `/api/exchange/v1/population.person/subjects/${person.id}`, headers: { cookie: hrss, ...purposeHeaders } });
      expect(user.statusCode).toBe(403);
      const bad = await plane(`population.person/records?birth_date=yesterday`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ detail: 'birth_date：“yesterday”不是有效的 date 值', errors: [{ field: '/querystring/birth_date', message: '不是 date 值' }], code: 'xc.badConditionValue' });
    });

    it('refuses, and logs, a call whose headers, path or query hold text the database cannot hold', async () => {
      const before = (await calls()).length;
      const nulPurpose = await plane(`population.person/subjects/${person.id}`, { ...purposeHeaders, 'x-ludao-purpose': 'ab%00cd' });
      expect(nulPurpose.statusCode).toBe(400);
      expect(nulPurpose.json()).toMatchObject({ code: 'http.unstorable', errors: [{ field: '/headers/x-ludao-purpose', code: 'http.field.unstorable' }] });
      expect((await plane('population.person/subjects/3502%00X')).json()).toMatchObject({ status: 400, errors: [{ field: '/params/subject' }] });
      expect((await plane('population.person/records?after=%00')).json()).toMatchObject({ status: 400, errors: [{ field: '/querystring/after' }] });
      expect((await plane('population.person/records?name=a%00')).json()).toMatchObject({ status: 400, errors: [{ field: '/querystring/name' }] });
      // What the schema refuses, and fields or filters that are not names, are refused calls too.
      expect((await plane('population.person/records?limit=abc')).json()).toMatchObject({ status: 400, errors: [{ field: '/querystring/limit', code: 'schema.type' }] });
      expect((await plane('population.person/records?fields=Name')).json()).toMatchObject({ status: 400, code: 'xc.badFieldName' });
      expect((await plane('population.person/records?na%00me=1')).json()).toMatchObject({ status: 400, code: 'xc.badConditionName' });
      const logged = (
        await sql<{ purpose: string; subjects: string[]; status_code: number; reason_code: string | null; reason: string; reason_params: string | null }>`
          select purpose, subjects, status_code, reason_code, reason, reason_params from xc_call order by received_at offset ${before}`.execute(ludao.ctx.db)
      ).rows;
      expect(logged.map((c) => [c.status_code, c.reason_code])).toEqual([...Array(4).fill([400, 'http.unstorable']), [400, null], [400, 'xc.badFieldName'], [400, 'xc.badConditionName']]);
      // As evidence, what was sent, with U+FFFD where the NUL was.
      expect(logged[0]!.purpose).toBe('ab\uFFFDcd');
      expect(logged[1]!.subjects).toEqual(['3502\uFFFDX']);
      expect(logged[4]!.reason).toBe('/querystring/limit: must be a whole number');
      expect(JSON.parse(logged[6]!.reason_params!)).toEqual({ name: 'na\uFFFDme' });
      expect(await new CallLog(ludao.ctx.db, ludao.ctx.audit).verify()).toMatchObject({ ok: true });
    });

    it('logs calls without a key up to a limit per address, then refuses them unlogged', async () => {
      const before = (await calls()).length;
      const statuses: number[] = [];
      for (let i = 0; i < 35; i++) {
        const res = await inject({ method: 'GET', url: `/api/exchange/v1/population.person/subjects/${person.id}`, headers: purposeHeaders, remoteAddress: '203.0.113.9' });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
      expect((await calls()).length - before).toBe(30);
      // Another address is not held back.
      expect((await inject({ method: 'GET', url: `/api/exchange/v1/population.person/subjects/${person.id}`, headers: purposeHeaders, remoteAddress: '203.0.113.10' })).statusCode).toBe(401);
    });

    it('filters and pages over granted fields', async () => {
      const first = await plane(`population.person/records?limit=2&fields=name`);
      expect(first.statusCode).toBe(200);
      expect(first.json().records).toHaveLength(2);
      const next = first.json().next;
      expect(next).toBeTruthy();
      const second = await plane(`population.person/records?limit=2&fields=name&after=${encodeURIComponent(next)}`);
      expect(second.json().records[0].key > next).toBe(true);
    });

    it('has logged each refusal with its reason, in a log the audit chain vouches for', async () => {
      const logged = await calls();
      const refused = logged.filter((c) => c.outcome === 'refused');
      expect(refused.length).toBeGreaterThanOrEqual(9);
      expect(refused.every((c) => c.reason && c.status_code >= 400)).toBe(true);
      expect(logged.filter((c) => c.outcome === 'ok').length).toBeGreaterThanOrEqual(3);
      const log = new CallLog(ludao.ctx.db, ludao.ctx.audit);
      expect(await log.verify()).toMatchObject({ ok: true, calls: logged.length });
    });

    it("words each logged refusal in the reader's language, and its hash covers the code", async () => {
      const listed = async (language: string) => {
        const res = await inject({ method: 'GET', url: '/api/exchange/calls?outcome=refused', headers: { cookie: hrss, 'accept-language': language } });
        expect(res.statusCode).toBe(200);
        return res.json() as { id: string; reason: string; reasonCode: string | null }[];
      };
      const zh = (await listed('zh-CN')).find((c) => c.reasonCode === 'xc.notGranted' && c.reason.endsWith('marital_status'))!;
      expect(zh.reason).toMatch(/^通道 XC-\S+ 未授权数据项：marital_status$/);
      const en = (await listed('en')).find((c) => c.id === zh.id)!;
      expect(en).toMatchObject({ reasonCode: 'xc.notGranted', reason: expect.stringMatching(/^Channel XC-\S+ does not grant: marital_status$/) });
      // The English words stay in the row for whoever reads the table with SQL.
      const row = (await sql<{ reason: string; reason_params: string }>`select reason, reason_params from xc_call where id = ${zh.id}`.execute(ludao.ctx.db)).rows[0]!;
      expect(row.reason).toBe(en.reason);

      const log = new CallLog(ludao.ctx.db, ludao.ctx.audit);
      const tamper = async (params: string) => {
        await sql`alter table xc_call disable trigger xc_call_append_only`.execute(ludao.ctx.db);
        await sql`update xc_call set reason_params = ${params} where id = ${zh.id}`.execute(ludao.ctx.db);
        await sql`alter table xc_call enable trigger xc_call_append_only`.execute(ludao.ctx.db);
      };
      await tamper(row.reason_params.replace('marital_status', 'name'));
      expect(await log.verify()).toMatchObject({ ok: false, firstProblem: { message: `call ${zh.id} was changed after it was logged` } });
      await tamper(row.reason_params);
      expect((await log.verify()).ok).toBe(true);
      // Migration 0003 will not go down past calls whose hash covers their code.
      await expect(addCallReasonCode.down!(ludao.ctx.db)).rejects.toThrow(/unverifiable/);
    });
  });

  describe('requests for conditional data', () => {
    let requestId: string;

    it('submits a request with a 10-working-day deadline, seen by both sides and no one else', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/exchange/requests',
        headers: { cookie: hrss },
        payload: {
          resource: 'civil_affairs.marriage',
          purpose: '生育保险待遇申领：核验婚姻登记',
          legalBasis: '《社会保险法》第五十四条',
          fields: ['husband_id', 'wife_id', 'registered_on', 'status'],
          expectedCallsPerDay: 500,
          validUntil: '2028-12-31',
          systemName: '社保经办系统',
        },
      });
      expect(res.statusCode).toBe(201);
      const request = res.json();
      requestId = request.id;
      expect(request).toMatchObject({ status: 'pending', providerOrg: 'xm.ca', consumerOrg: 'xm.hrss', overdue: false });
      expect(request.workingDaysLeft).toBeGreaterThanOrEqual(9);
      expect(request.workingDaysLeft).toBeLessThanOrEqual(10);
      expect(Date.parse(request.dueAt) - Date.parse(request.submittedAt)).toBeGreaterThan(13 * 86_400_000); // ten working days span at least two weekends
      expect(request.steps.map((s: { action: string }) => s.action)).toEqual(['submitted']);

      const providerList = await inject({ method: 'GET', url: '/api/exchange/requests?side=provider', headers: { cookie: ca } });
      expect(providerList.json().map((r: { id: string }) => r.id)).toContain(requestId);
      // A unit sees its own and its units' requests, not its parent department's.
      const stranger = await signIn(ludao, 'hrss.staff', DEMO_PASSWORD);
      expect((await inject({ method: 'GET', url: `/api/exchange/requests/${requestId}`, headers: { cookie: stranger } })).statusCode).toBe(404);
      const edu = await createIdentityService(ludao.ctx).createUser(PLATFORM_PRINCIPAL, { username: 'city-edu.admin', displayName: '教育管理员', password: DEMO_PASSWORD, kind: 'staff', orgCode: 'xm.edu', roles: ['dept_admin'] });
      expect(edu.id).toBeTruthy();
      const eduCookie = await signIn(ludao, 'city-edu.admin', DEMO_PASSWORD);
      expect((await inject({ method: 'GET', url: `/api/exchange/requests/${requestId}`, headers: { cookie: eduCookie } })).statusCode).toBe(404);
      expect((await inject({ method: 'GET', url: '/api/exchange/requests', headers: { cookie: eduCookie } })).json()).toEqual([]);
      expect((await inject({ method: 'GET', url: '/api/exchange/calls', headers: { cookie: eduCookie } })).json()).toEqual([]);
      expect((await inject({ method: 'POST', url: `/api/exchange/requests/${requestId}/approve`, headers: { cookie: eduCookie }, payload: {} })).statusCode).toBe(404);
    });

    it('lets only the provider decide, and not beyond what was asked', async () => {
      expect((await inject({ method: 'POST', url: `/api/exchange/requests/${requestId}/approve`, headers: { cookie: hrss }, payload: {} })).statusCode).toBe(403);
      const wider = await inject({ method: 'POST', url: `/api/exchange/requests/${requestId}/approve`, headers: { cookie: ca }, payload: { fields: ['registration_office'] } });
      expect(wider.statusCode).toBe(400);
      const later = await inject({ method: 'POST', url: `/api/exchange/requests/${requestId}/approve`, headers: { cookie: ca }, payload: { validUntil: '2029-06-30' } });
      expect(later.statusCode).toBe(400);
    });

    it('approves fewer fields and a shorter validity; the channel serves exactly those', async () => {
      const res = await inject({
        method: 'POST',
        url: `/api/exchange/requests/${requestId}/approve`,
        headers: { cookie: ca },
        payload: { fields: ['husband_id', 'status'], validUntil: '2027-12-31', rateLimitPerMinute: 5, note: '仅核验婚姻状态' },
      });
      expect(res.statusCode).toBe(200);
      const approved = res.json();
      expect(approved).toMatchObject({ status: 'approved', approvedFields: ['husband_id', 'status'], approvedUntil: '2027-12-31', rateLimitPerMinute: 5 });
      expect(approved.steps.map((s: { action: string }) => s.action)).toEqual(['submitted', 'approved']);

      const call = await plane(`civil_affairs.marriage/subjects/${marriage.husband_id}`);
      expect(call.statusCode).toBe(200);
      expect(Object.keys(call.json().records[0].values).sort()).toEqual(['husband_id', 'status']);
      expect(call.body).not.toContain('wife_id');
      // A key of another system of the same department is not this channel's system.
      const otherKey = (await createIdentityService(ludao.ctx).createApiKey(PLATFORM_PRINCIPAL, { orgCode: 'xm.hrss', systemName: '档案系统' })).key;
      expect((await plane(`civil_affairs.marriage/subjects/${marriage.husband_id}`, purposeHeaders, otherKey)).statusCode).toBe(403);
    });

    it('rate-limits a channel with 429 and Retry-After', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await plane(`civil_affairs.marriage/subjects/${marriage.husband_id}`)).statusCode);
      expect(statuses).toContain(429);
      const limited = await plane(`civil_affairs.marriage/subjects/${marriage.husband_id}`);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('refuses a revoked channel on its next call', async () => {
      const channel = (await inject({ method: 'GET', url: `/api/exchange/requests/${requestId}`, headers: { cookie: ca } })).json().channelId;
      const revoked = await inject({ method: 'POST', url: `/api/exchange/channels/${channel}/revoke`, headers: { cookie: ca }, payload: { reason: '用途已变更' } });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ status: 'revoked', live: false, revokeReason: '用途已变更' });
      const next = await plane(`civil_affairs.marriage/subjects/${marriage.husband_id}`);
      expect(next.statusCode).toBe(403);
    });

    it('refuses an expired channel', async () => {
      const opened = await inject({ method: 'POST', url: '/api/exchange/channels', headers: { cookie: hrss }, payload: { resource: 'legal_person.entity', purpose: '单位参保登记核对', fields: ['name'] } });
      expect(opened.statusCode).toBe(201);
      await sql`update xc_channel set valid_until = now() - interval '1 minute' where id = ${opened.json().id}`.execute(ludao.ctx.db);
      const res = await plane('legal_person.entity/records?limit=1');
      expect(res.statusCode).toBe(403);
    });

    it("lists a unit's requests to its department's admin", async () => {
      const staff = await signIn(ludao, 'hrss.staff', DEMO_PASSWORD);
      const made = await inject({
        method: 'POST',
        url: '/api/exchange/requests',
        headers: { cookie: staff },
        payload: { resource: 'civil_affairs.marriage', purpose: '社保中心核验婚姻登记', legalBasis: '《社会保险法》第五十四条', fields: ['status'], expectedCallsPerDay: 5, validUntil: '2027-03-31' },
      });
      expect(made.statusCode).toBe(201);
      expect(made.json().consumerOrg).toBe('xm.hrss.si');
      const mine = (await inject({ method: 'GET', url: '/api/exchange/requests?side=consumer', headers: { cookie: hrss } })).json();
      expect(mine.map((r: { id: string }) => r.id)).toContain(made.json().id);
      const theirs = (await inject({ method: 'GET', url: '/api/exchange/requests', headers: { cookie: staff } })).json();
      expect(theirs.map((r: { id: string }) => r.id)).toEqual([made.json().id]);
    });

    it('refuses with a reason, which the consumer sees', async () => {
      const second = await inject({
        method: 'POST',
        url: '/api/exchange/requests',
        headers: { cookie: hrss },
        payload: { resource: 'civil_affairs.marriage', purpose: '了解辖区婚姻情况', legalBasis: '工作需要', fields: ['registration_office'], expectedCallsPerDay: 5, validUntil: '2027-01-31' },
      });
      const id = second.json().id;
      const refused = await inject({ method: 'POST', url: `/api/exchange/requests/${id}/refuse`, headers: { cookie: ca }, payload: { reason: '法律依据不足' } });
      expect(refused.statusCode).toBe(200);
      const seen = await inject({ method: 'GET', url: `/api/exchange/requests/${id}`, headers: { cookie: hrss } });
      expect(seen.json()).toMatchObject({ status: 'refused', reason: '法律依据不足' });
      expect((await inject({ method: 'POST', url: `/api/exchange/requests/${id}/approve`, headers: { cookie: ca }, payload: {} })).statusCode).toBe(409);
    });

    it('flags a request past its deadline to operators', async () => {
      const late = await inject({
        method: 'POST',
        url: '/api/exchange/requests',
        headers: { cookie: hrss },
        payload: { resource: 'health.birth_certificate', purpose: '生育保险核验出生', legalBasis: '《社会保险法》第五十四条', fields: ['child_name'], expectedCallsPerDay: 5, validUntil: '2027-06-30' },
      });
      expect(late.statusCode, late.body).toBe(201);
      await sql`update xc_request set due_at = now() - interval '1 day' where id = ${late.json().id}`.execute(ludao.ctx.db);
      const list = await inject({ method: 'GET', url: '/api/exchange/requests?status=pending', headers: { cookie: operator } });
      expect(list.json().find((r: { id: string }) => r.id === late.json().id)).toMatchObject({ overdue: true });
      const stats = await inject({ method: 'GET', url: '/api/exchange/stats', headers: { cookie: operator } });
      expect(stats.json().overdueRequests).toBeGreaterThanOrEqual(1);
    });
  });

  describe('evidence and the citizen', () => {
    it('shows operators statistics of calls, refusals and latency', async () => {
      const stats = (await inject({ method: 'GET', url: '/api/exchange/stats', headers: { cookie: operator } })).json();
      expect(stats.calls).toBe((await calls()).length);
      expect(stats.refused).toBeGreaterThan(0);
      expect(stats.latencyMs.p50).not.toBeNull();
      expect(stats.channels.total).toBeGreaterThanOrEqual(3);
      expect(stats.byDepartment.some((d: { org: string; role: string }) => d.org === 'xm.hrss' && d.role === 'consumer')).toBe(true);
    });

    it('shows a citizen every call that touched their data, and takes a misuse report', async () => {
      const identity = createIdentityService(ludao.ctx);
      await identity.createUser(PLATFORM_PRINCIPAL, { username: 'resident.one', displayName: '测试居民', password: DEMO_PASSWORD, kind: 'citizen', roles: ['citizen'], personIdNumber: person.id });
      const me = await signIn(ludao, 'resident.one', DEMO_PASSWORD);
      const uses = await inject({ method: 'GET', url: '/api/me/data-uses', headers: { cookie: me } });
      expect(uses.statusCode).toBe(200);
      const list = uses.json();
      expect(list.length).toBeGreaterThanOrEqual(2);
      expect(list.find((u: { outcome: string }) => u.outcome === 'ok')).toMatchObject({ department: 'xm.hrss', purpose: '社保待遇资格核验', caseId: 'SB-2026-000123', resource: 'population.person' });
      expect(JSON.stringify(list)).not.toContain(person.name);
      expect(list.find((u: { outcome: string }) => u.outcome === 'ok')).toMatchObject({
        departmentName: { zh: '厦门市人力资源和社会保障局' },
        resourceName: { zh: '人口基础信息', en: 'Population base registry' },
        fieldLabels: expect.arrayContaining([{ name: 'name', zh: '姓名', en: 'Name' }]),
      });

      const report = await inject({ method: 'POST', url: `/api/me/data-uses/${list[0].callId}/report`, headers: { cookie: me }, payload: { reason: '我没有办理过社保业务' } });
      expect(report.statusCode).toBe(201);
      expect((await inject({ method: 'GET', url: '/api/me/data-uses', headers: { cookie: me } })).json()[0].reported).toBe(true);

      const other = await signIn(ludao, 'citizen', DEMO_PASSWORD);
      expect((await inject({ method: 'POST', url: `/api/me/data-uses/${list[0].callId}/report`, headers: { cookie: other }, payload: { reason: '不是我的' } })).statusCode).toBe(404);
    });

    it('finds a call row changed after it was logged', async () => {
      const log = new CallLog(ludao.ctx.db, ludao.ctx.audit);
      expect((await log.verify()).ok).toBe(true);
      await sql`alter table xc_call disable trigger xc_call_append_only`.execute(ludao.ctx.db);
      await sql`update xc_call set purpose = '篡改' where id = (select id from xc_call where outcome = 'ok' order by received_at limit 1)`.execute(ludao.ctx.db);
      await sql`alter table xc_call enable trigger xc_call_append_only`.execute(ludao.ctx.db);
      const result = await log.verify();
      expect(result.ok).toBe(false);
      expect(result.firstProblem?.message).toMatch(/was changed after it was logged/);
      await expect(sql`delete from xc_call`.execute(ludao.ctx.db)).rejects.toThrow(/append-only/);
    });
  });
});
