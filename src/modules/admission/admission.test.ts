import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/test-ludao';
import { demoAdmissionRules, seedDemoAdmission } from '../../flows/demo-admission';
import { DEMO_PASSWORD } from '../identity';
import { monthsInWindow, startSandboxCity, today, type SandboxCity } from '../sandbox/fixtures.test-support';
import type { Application, MyApplication, Ranking, Round } from './index';
import { AdmissionService, rankZone, score } from './index';

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * 积分入学 end to end on a small synthetic city: the demo flow's round and applications, the
 * handler's one batch through the real sandbox, points from the rules, ranking and
 * tie-breaks, publication, what each party sees — and no record value in any response.
 */
describe('admission', () => {
  let city: SandboxCity;
  let admin: string;
  let round: Round;
  let parents: { username: string; parent: string; child: string; cookie: string }[];
  const year = Number(today().slice(0, 4));
  const rules = demoAdmissionRules(year);
  const req = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object, headers: Record<string, string> = {}) => city.inject({ method, url, headers: { cookie, ...headers }, payload });
  // Problems speak Chinese unless the reader asks for English (ADR 0020).
  const en = { 'accept-language': 'en' };

  beforeAll(async () => {
    city = await startSandboxCity('admission-test', 500);
    admin = await signIn(city.ludao, 'edu.admin', DEMO_PASSWORD);
    expect(await seedDemoAdmission(city.ludao, { parents: 12 })).toBeGreaterThan(5);
    round = (await req('GET', '/api/admission/rounds', admin)).json()[0];
    const { rows } = await sql<{ username: string; parent: string }>`select username, person_id_number as parent from app_user where username like 'parent.%' order by username`.execute(city.ludao.ctx.db);
    const apps = await sql<{ parent: string; child: string }>`select parent, child from adm_application`.execute(city.ludao.ctx.db);
    parents = await Promise.all(rows.map(async (r) => ({ ...r, child: apps.rows.find((a) => a.parent === r.parent)!.child, cookie: await signIn(city.ludao, r.username, DEMO_PASSWORD) })));
    // One account per person: two accounts of one mother would each see the other's consents.
    expect(new Set(parents.map((p) => p.parent)).size).toBe(parents.length);
  }, 300_000);
  afterAll(async () => {
    await city?.close();
  });

  it('keeps the rules as versioned data, checked against the case type; bad rules change nothing', async () => {
    expect(round).toMatchObject({ caseType: 'school_admission.sm', org: 'xm.sm.edu', status: 'open', rulesVersion: 1 });
    expect(round.claims.map((c) => [c.template, c.points, c.required])).toEqual(rules.claims.map((c) => [c.template, c.points, !!c.required]));
    // What the parent declares is what the bureau did not fix; the child is the application's own.
    expect(round.claims.find((c) => c.template === 'employment.employed_by_since')!.declare.map((p) => p.name)).toEqual(['creditCode', 'since']);
    expect(round.claims.find((c) => c.template === 'si.months_insured')!.declare).toEqual([]);
    expect(round.claims.find((c) => c.template === 'birth.parent_of_child')!.declare).toEqual([]);
    const outside = await req('PUT', `/api/admission/rounds/${round.id}/rules`, admin, { ...rules, claims: [...rules.claims, { template: 'marriage.married_to', points: 5 }] });
    expect(outside.statusCode).toBe(400);
    expect(outside.headers['content-type']).toMatch(/^application\/problem\+json/);
    const notChecked = { field: `/body/claims/${rules.claims.length}/template` };
    expect(outside.json().errors).toEqual([{ ...notChecked, message: 'marriage.married_to 不在本核验事项类型的核验清单内', code: 'adm.notWhitelisted' }]);
    const outsideEn = await req('PUT', `/api/admission/rounds/${round.id}/rules`, admin, { ...rules, claims: [...rules.claims, { template: 'marriage.married_to', points: 5 }] }, en);
    expect(outsideEn.json()).toMatchObject({ title: 'Invalid request', errors: [{ ...notChecked, message: 'the case type does not check marriage.married_to' }] });
    const badParam = await req('PUT', `/api/admission/rounds/${round.id}/rules`, admin, { ...rules, claims: [{ template: 'si.months_insured', points: 1, params: { months: 12, from: '2026-13' } }] });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().errors).toEqual([{ field: '/body/claims/0/params', message: expect.stringContaining('YYYY-MM'), code: 'sb.param.month' }]);
    // Open: the claims parents consented to stay; places may change (a new version).
    const changedClaims = await req('PUT', `/api/admission/rounds/${round.id}/rules`, admin, { ...rules, claims: rules.claims.slice(0, 3) });
    expect(changedClaims.statusCode).toBe(409);
    expect(changedClaims.json()).toMatchObject({ title: '冲突', detail: '批次已开放申请：核验事项、哪些事项必须以及由家长申报的参数，须与家长授权时一致，不能再修改', code: 'adm.claimsFixed' });
    const changedEn = await req('PUT', `/api/admission/rounds/${round.id}/rules`, admin, { ...rules, claims: rules.claims.slice(0, 3) }, en);
    expect(changedEn.json()).toMatchObject({ title: 'Conflict', detail: 'The round is open: its claims, which are required and which parameters parents declare stay as parents consented to them', code: 'adm.claimsFixed' });
    const more = await req('PUT', `/api/admission/rounds/${round.id}/rules`, admin, { ...rules, zones: rules.zones.map((z) => ({ ...z, places: z.code === 'SM-01' ? 1 : z.places })) });
    expect(more.statusCode).toBe(200);
    expect(more.json().rulesVersion).toBe(2);
    const versions = (await req('GET', `/api/admission/rounds/${round.id}/rules`, admin)).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[1].rules.zones[0].places).toBe(8);
    // A handler does not configure; the handler's bureau admin does.
    const handler = await req('PUT', `/api/admission/rounds/${round.id}/rules`, city.cookies.edu, rules);
    expect(handler.statusCode).toBe(403);
    round = more.json();
  });

  it('takes one application per child, with consent for exactly the claims made', async () => {
    const p = parents[0]!;
    const again = await req('POST', '/api/admission/applications', p.cookie, { roundId: round.id, child: p.child, zone: 'SM-02', declared: {}, consent: true });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ detail: '该子女在本批次已有申请', code: 'adm.childApplied' });
    const againEn = await req('POST', '/api/admission/applications', p.cookie, { roundId: round.id, child: p.child, zone: 'SM-02', declared: {}, consent: true }, en);
    expect(againEn.json()).toMatchObject({ detail: 'This child has an application in this round already', code: 'adm.childApplied' });
    const consents = (await req('GET', '/api/sandbox/consents', p.cookie)).json();
    const live = consents.filter((c: { status: string }) => c.status === 'live');
    expect(live).toHaveLength(1);
    const mine: MyApplication[] = (await req('GET', '/api/admission/my-applications', p.cookie)).json();
    expect(mine).toHaveLength(1);
    expect(mine[0]!.child).toMatch(/^\d{6}\*{10}[\dX]{2}$/);
    expect(mine[0]!.points).toBeNull();
    const claims = await sql<{ declared: Record<string, unknown> }>`select declared from adm_application where id = ${mine[0]!.id}`.execute(city.ludao.ctx.db);
    expect([...live[0].templates.map((t: { code: string }) => t.code)].sort()).toEqual([...new Set(['birth.parent_of_child', ...Object.keys(claims.rows[0]!.declared)])].sort());
    // The parent fixes nothing the bureau fixed, nor names a claim the round does not check.
    // (A valid number: the check is on what the parent declares, not on the child's number.)
    const fixed = await req('POST', '/api/admission/applications', parents[1]!.cookie, { roundId: round.id, child: '350203201801010016', zone: 'SM-02', declared: { 'si.months_insured': { months: '1' } }, consent: true });
    expect(fixed.statusCode).toBe(400);
    expect(fixed.json().errors).toEqual([{ field: '/body/declared/si.months_insured', message: '参数 months 已由本批次设定，无需申报', code: 'adm.setByRound' }]);
    // A child's number is checked (the check digit) before anything is asked or stored.
    const badChild = { roundId: round.id, child: '350203201801010011', zone: 'SM-02', declared: {}, consent: true };
    const wrongChild = await req('POST', '/api/admission/applications', parents[1]!.cookie, badChild);
    expect(wrongChild.json()).toMatchObject({ title: '请求无效', detail: '/body/child: 不是有效的公民身份号码', errors: [{ field: '/body/child', message: '不是有效的公民身份号码' }] });
    const wrongChildEn = await req('POST', '/api/admission/applications', parents[1]!.cookie, badChild, en);
    expect(wrongChildEn.json().errors).toEqual([{ field: '/body/child', message: 'not a valid resident ID number', code: 'adm.badChild' }]);
    const noZone = await req('POST', '/api/admission/applications', parents[1]!.cookie, { ...badChild, child: '350203201801010016', zone: 'XX-99' });
    expect(noZone.json().errors).toEqual([{ field: '/body/zone', message: `不是本批次的学区（可选：${rules.zones.map((z) => z.code).join(', ')}）`, code: 'adm.notZone' }]);
  });

  it('lets a parent withdraw before verification, and withdraws the consent with it', async () => {
    const p = parents[parents.length - 1]!;
    const mine: MyApplication[] = (await req('GET', '/api/admission/my-applications', p.cookie)).json();
    const res = await req('POST', `/api/admission/my-applications/${mine[0]!.id}/withdraw`, p.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    const consents = (await req('GET', '/api/sandbox/consents', p.cookie)).json();
    expect(consents.every((c: { status: string }) => c.status === 'withdrawn')).toBe(true);
    // Another parent cannot withdraw it (or see that it exists).
    const notTheirs = await req('POST', `/api/admission/my-applications/${mine[0]!.id}/withdraw`, parents[0]!.cookie);
    expect(notTheirs.statusCode).toBe(404);
    expect(notTheirs.json()).toMatchObject({ title: '未找到', detail: `您没有编号为 ${mine[0]!.id} 的申请`, code: 'adm.noApplication' });
    // Withdrawn already: not again.
    const twice = await req('POST', `/api/admission/my-applications/${mine[0]!.id}/withdraw`, p.cookie, undefined, en);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ detail: `Application ${mine[0]!.id} is being verified or decided; it can no longer be withdrawn`, code: 'adm.notWithdrawable' });
  });

  it('keeps one district’s round from another district’s handler', async () => {
    const elsewhere = await req('GET', `/api/admission/rounds/${round.id}`, city.cookies.otherDistrict);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ detail: `本部门没有批次 ${round.id}`, code: 'adm.noRound' });
    expect((await req('GET', `/api/admission/rounds/${round.id}/applications`, city.cookies.otherDistrict)).statusCode).toBe(404);
    expect((await req('POST', `/api/admission/rounds/${round.id}/verify-batch`, city.cookies.otherDistrict)).statusCode).toBe(404);
    expect((await req('GET', '/api/admission/rounds', city.cookies.otherDistrict)).json()).toEqual([]);
    expect((await req('POST', `/api/admission/rounds/${round.id}/verify-batch`, parents[0]!.cookie)).statusCode).toBe(403);
  });

  it('keeps the sandbox’s answers when storing the scores fails, and refuses asking the same claims again', async () => {
    const ctx = city.ludao.ctx;
    // The admission service as the module builds it, but storing the batch's scores (its second
    // own transaction: the first closes the round) fails once, as a lost connection would.
    let own = 0;
    const failing = new AdmissionService({ db: ctx.db, audit: ctx.audit, sandbox: city.sandbox.service, transaction: (work) => (++own === 2 ? Promise.reject(new Error('connection lost')) : ctx.transaction(work)) });
    const handler = (await sql<{ id: string; display_name: string }>`select id, display_name from app_user where username = 'edu.handler'`.execute(ctx.db)).rows[0]!;
    await expect(failing.verifyBatch({ kind: 'user', id: handler.id, name: handler.display_name, orgId: null, orgCode: 'xm.sm.edu', roles: ['case_handler'] }, round.id)).rejects.toThrow('connection lost');
    const apps: Application[] = (await req('GET', `/api/admission/rounds/${round.id}/applications`, city.cookies.edu)).json();
    const live = apps.filter((a) => a.status !== 'withdrawn');
    expect(live.map((a) => [a.status, a.points])).toEqual(live.map(() => ['submitted', null]));
    expect((await req('GET', `/api/admission/rounds/${round.id}`, city.cookies.edu)).json().status).toBe('verifying');
    // The sandbox answered each case once; the same claim of a case asked again is refused.
    const asked = await sql<{ n: number; outcomes: string[] }>`select count(distinct case_id)::int as n, array_agg(distinct outcome) as outcomes from sb_verification where case_type = 'school_admission.sm'`.execute(ctx.db);
    expect(asked.rows[0]).toEqual({ n: live.length, outcomes: ['answered'] });
    const app = (await sql<{ id: string; parent: string }>`select id, parent from adm_application where id = ${live[0]!.id}`.execute(ctx.db)).rows[0]!;
    const again = await req('POST', '/api/sandbox/verifications', city.cookies.edu, { caseType: 'school_admission.sm', caseId: app.id, subject: app.parent, claims: [{ template: rules.claims[1]!.template, params: rules.claims[1]!.params }] });
    expect(again.statusCode).toBe(403);
    expect(again.json().errors).toEqual([{ field: '/body/claims/0', message: 'repeated' }]);
  });

  it('verifies every application in one sandbox batch and scores it by the rules', async () => {
    // The batch whose scores failed to store above is completed from the sandbox's stored
    // answers: the same results as a batch that never failed, and still one sandbox batch.
    const res = await req('POST', `/api/admission/rounds/${round.id}/verify-batch`, city.cookies.edu);
    expect(res.statusCode).toBe(200);
    const live = parents.length - 1;
    expect(res.json()).toMatchObject({ verified: live, refused: 0, round: { status: 'verifying' } });
    // One sandbox batch answered: one audited verification, one case per application (the
    // refused repeat above is an attempt of its own).
    const cases = await sql<{ n: number; batches: number }>`select count(distinct case_id)::int as n, count(distinct batch_id)::int as batches from sb_verification where case_type = 'school_admission.sm' and outcome = 'answered'`.execute(city.ludao.ctx.db);
    expect(cases.rows[0]).toEqual({ n: live, batches: 1 });
    const apps: Application[] = (await req('GET', `/api/admission/rounds/${round.id}/applications`, city.cookies.edu)).json();
    const { db } = city.ludao.ctx;
    for (const p of parents.slice(0, -1)) {
      const stored = (await sql<{ id: string }>`select id from adm_application where parent = ${p.parent} and status <> 'withdrawn'`.execute(db)).rows[0]!;
      const app = apps.find((a) => a.id === stored.id)!;
      expect(app.status).toBe('verified');
      // The truth, the plain way: the certificate, months in the window, a home in Siming.
      const months = monthsInWindow(city.facts.periods.get(p.parent) ?? [], rules.claims[1]!.params!.from as string, rules.claims[1]!.params!.to as string);
      const owns = await sql<{ n: number }>`select count(*)::int as n from dcr_housing__property_ownership o join dcr_spatial__unit u on u.code = o.unit_code and u._valid_to is null
        join dcr_spatial__estate e on e.code = u.estate_code and e._valid_to is null where o._valid_to is null and not o._deleted and o.owner_id = ${p.parent} and e.district_code = '350203' and u.use = 'residential'`.execute(db);
      const result = (t: string) => app.results!.find((r) => r.template === t)?.result;
      expect(result('birth.parent_of_child')).toBe('match');
      expect(result('si.months_insured')).toBe(months >= 12 ? 'match' : 'no_match');
      expect(result('housing.owns_residence_in_district')).toBe(owns.rows[0]!.n > 0 ? 'match' : 'no_match');
      const expected = app.results!.reduce((n, r) => n + (r.result === 'match' ? rules.claims.find((c) => c.template === r.template)!.points : 0), 0);
      expect(app.points).toBe(expected);
      expect(app.eligible).toBe(true);
    }
    // Closed: no more applications, no withdrawals.
    const late = await req('POST', '/api/admission/applications', parents[0]!.cookie, { roundId: round.id, child: '350203201801010011', zone: 'SM-02', declared: {}, consent: true });
    expect(late.statusCode).toBe(404);
    expect(late.json()).toMatchObject({ detail: `批次 ${round.id} 不存在或未在接受申请`, code: 'adm.noOpenRound' });
    const lateEn = await req('POST', '/api/admission/applications', parents[0]!.cookie, { roundId: round.id, child: '350203201801010011', zone: 'SM-02', declared: {}, consent: true }, en);
    expect(lateEn.json()).toMatchObject({ detail: `No round ${round.id} open for applications`, code: 'adm.noOpenRound' });
  });

  it('ranks each zone by points, then the tie-breaks, within its places', async () => {
    const before = (await req('GET', '/api/admission/my-applications', parents[0]!.cookie)).json()[0];
    expect(before.points).toBeNull();
    const res = await req('POST', `/api/admission/rounds/${round.id}/rank`, city.cookies.edu);
    expect(res.statusCode).toBe(200);
    const ranking: Ranking = res.json();
    const apps: Application[] = (await req('GET', `/api/admission/rounds/${round.id}/applications`, city.cookies.edu)).json();
    for (const zone of ranking.zones) {
      const inZone = apps.filter((a) => a.zone === zone.code && a.eligible);
      expect(zone.ranking.map((r) => r.rank)).toEqual(inZone.map((_, i) => i + 1));
      expect(zone.admitted).toBe(Math.min(zone.places, inZone.length));
      for (let i = 1; i < zone.ranking.length; i++) expect(zone.ranking[i - 1]!.points).toBeGreaterThanOrEqual(zone.ranking[i]!.points);
      expect(zone.ranking.filter((r) => r.admitted).map((r) => r.rank)).toEqual(zone.ranking.slice(0, zone.places).map((r) => r.rank));
    }
    expect(ranking.zones.find((z) => z.code === 'SM-01')!.places).toBe(1);
  });

  it('breaks ties by the bureau’s order: months-insured points, then the earlier application', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 5, 1, 8, m));
    const r = (t: string, points: number) => ({ template: t, result: points > 0 ? ('match' as const) : ('no_match' as const), points });
    const a = { id: 'a', points: 40, submittedAt: at(3), results: [r('si.months_insured', 0), r('housing.owns_residence_in_district', 40)] };
    const b = { id: 'b', points: 40, submittedAt: at(2), results: [r('si.months_insured', 0), r('housing.owns_residence_in_district', 40)] };
    const c = { id: 'c', points: 40, submittedAt: at(9), results: [r('si.months_insured', 30), r('employment.employed_by_since', 10)] };
    const d = { id: 'd', points: 70, submittedAt: at(9), results: [] };
    expect(rankZone([a, b, c, d], ['points:si.months_insured', 'earlier_application']).map((x) => x.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(rankZone([a, b, c, d], ['earlier_application']).map((x) => x.id)).toEqual(['d', 'b', 'a', 'c']);
    expect(rankZone([a, b], []).map((x) => x.id)).toEqual(['a', 'b']);
    // A required claim that fails makes the application ineligible, whatever else matched.
    expect(score(rules, [r('birth.parent_of_child', 0), r('housing.owns_residence_in_district', 40)].map(({ template, result }) => ({ template, result })))).toMatchObject({ eligible: false, points: 0 });
    expect(score(rules, [{ template: 'birth.parent_of_child', result: 'match' }, { template: 'housing.owns_residence_in_district', result: 'match' }, { template: 'si.months_insured', result: 'unverifiable' }]).points).toBe(40);
  });

  it('publishes: each parent sees their own points, rank, outcome and failed claims, and nothing of anyone else', async () => {
    expect((await req('POST', `/api/admission/rounds/${round.id}/publish`, admin)).statusCode).toBe(403);
    const res = await req('POST', `/api/admission/rounds/${round.id}/publish`, city.cookies.edu);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('published');
    const apps: Application[] = (await req('GET', `/api/admission/rounds/${round.id}/applications`, city.cookies.edu)).json();
    for (const p of parents.slice(0, -1)) {
      const mine: MyApplication[] = (await req('GET', '/api/admission/my-applications', p.cookie)).json();
      expect(mine).toHaveLength(1);
      const app = apps.find((a) => a.id === mine[0]!.id)!;
      expect(mine[0]).toMatchObject({ published: true, points: app.points, rank: app.rank, admitted: app.admitted });
      expect(mine[0]!.failed!.map((f) => f.template)).toEqual(app.results!.filter((r) => r.result !== 'match').map((r) => r.template));
    }
    // A round is published once; parents cannot read the handler's lists.
    const again = await req('POST', `/api/admission/rounds/${round.id}/publish`, city.cookies.edu);
    expect(again.statusCode).toBe(409);
    // The status as the pages name it in Chinese; its code in English.
    expect(again.json()).toMatchObject({ detail: `批次 ${round.id} 当前为“已公布”状态，而不是“已排名”`, code: 'adm.wrongStatus' });
    const againEn = await req('POST', `/api/admission/rounds/${round.id}/publish`, city.cookies.edu, undefined, en);
    expect(againEn.json()).toMatchObject({ detail: `Round ${round.id} is published, not ranked`, code: 'adm.wrongStatus' });
    expect((await req('GET', `/api/admission/rounds/${round.id}/applications`, parents[0]!.cookie)).statusCode).toBe(403);
    expect((await req('GET', `/api/admission/rounds/${round.id}/ranking`, parents[0]!.cookie)).statusCode).toBe(403);
  });

  it('audits each step', async () => {
    await city.ludao.ctx.audit.chainPending();
    const { rows } = await sql<{ action: string }>`select distinct action from audit_entry where action like 'admission.%' order by action`.execute(city.ludao.ctx.db);
    expect(rows.map((r) => r.action)).toEqual(['admission.apply', 'admission.publish', 'admission.rank', 'admission.round.close', 'admission.round.create', 'admission.round.open', 'admission.rules.set', 'admission.verify', 'admission.withdraw']);
  });

  it('never puts a value from a record in any response body', async () => {
    const { db } = city.ludao.ctx;
    const people = [...parents.map((p) => p.parent), ...parents.map((p) => p.child)];
    const values = new Set<string>();
    const publicRules = new Set([...rules.claims.flatMap((c) => Object.values(c.params ?? {}).map(String)), round.applyFrom, round.applyUntil, round.endsOn]);
    const collect = async (table: string, columns: string[]) => {
      const res = await sql<Record<string, unknown>>`select * from ${sql.id(table)} where ${sql.join(columns.map((c) => sql`${sql.id(c)} = any(${people}::text[])`), sql` or `)}`.execute(db);
      for (const row of res.rows) {
        for (const [k, v] of Object.entries(row)) {
          if (v === null || typeof v === 'boolean' || k.startsWith('_')) continue;
          const text = v instanceof Date ? (k.endsWith('_on') || k.endsWith('_date') ? v.toISOString().slice(0, 10) : '') : String(v);
          if (text.length < 2 || /^\d{1,12}$/.test(text) || /^[a-z_]+$/.test(text) || publicRules.has(text)) continue;
          values.add(text);
        }
      }
    };
    await collect('dcr_population__person', ['id']);
    await collect('dcr_social_security__contribution_period', ['person_id']);
    await collect('dcr_social_security__employment', ['person_id']);
    await collect('dcr_housing__property_ownership', ['owner_id']);
    await collect('dcr_health__birth_certificate', ['child_id', 'mother_id', 'father_id']);
    await collect('dcr_population__residence_permit', ['person_id']);
    expect(values.size).toBeGreaterThan(50);
    const bodies = city.bodies.filter((b) => b.length > 0);
    expect(bodies.length).toBeGreaterThan(30);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const probe = (value: string) => new RegExp(`(?<![0-9A-Za-z])${escape(value)}(?![0-9A-Za-z])`);
    // The scan would see a value were one there (the parent's own ID, unmasked).
    expect(probe(parents[0]!.parent).test(JSON.stringify({ leaked: parents[0]!.parent }))).toBe(true);
    for (const value of values) {
      const pattern = probe(value);
      expect(bodies.find((b) => pattern.test(b)), `"${value}" appears in a response`).toBeUndefined();
    }
  });

  it('lets a bureau create a round only for its own case type, in draft until it has rules', async () => {
    const other = await req('POST', '/api/admission/rounds', admin, { caseType: 'maternity_claim', year: year + 1, name: '不属于本局', applyFrom: today(), applyUntil: addDays(today(), 10) });
    expect(other.statusCode).toBe(404);
    const next = await req('POST', '/api/admission/rounds', admin, { caseType: 'school_admission.sm', year: year + 1, name: '下一年', applyFrom: today(), applyUntil: addDays(today(), 10) });
    expect(next.statusCode).toBe(201);
    const noRules = await req('POST', `/api/admission/rounds/${next.json().id}/open`, admin);
    expect(noRules.statusCode).toBe(409);
    expect(noRules.json()).toMatchObject({ detail: `批次 ${next.json().id} 还没有积分规则`, code: 'adm.noRules' });
    const twice = await req('POST', '/api/admission/rounds', admin, { caseType: 'school_admission.sm', year: year + 1, name: '重复', applyFrom: today(), applyUntil: addDays(today(), 10) });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ detail: `school_admission.sm 已有 ${year + 1} 年度的批次`, code: 'adm.roundExists' });
    const backwards = await req('POST', '/api/admission/rounds', admin, { caseType: 'school_admission.sm', year: year + 2, name: '倒序', applyFrom: addDays(today(), 10), applyUntil: today() }, en);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([{ field: '/body/applyUntil', message: 'not before applyFrom', code: 'adm.applyUntil' }]);
  });
});
