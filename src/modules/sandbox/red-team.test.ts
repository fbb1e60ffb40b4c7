import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/test-ludao';
import { CallLog } from '../exchange';
import { DEMO_PASSWORD } from '../identity';
import { REFUSED_PROBLEM_TYPE } from './index';
import { REFUSALS } from './sandbox.contract';
import { citizen, NOBODY, startSandboxCity, type SandboxCity } from './fixtures.test-support';

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
const WINDOW = { from: '2016-01', to: '2026-06' };

/**
 * The red team of issue 5: every way of learning a value through the sandbox is refused and
 * logged, refusals all look alike, and no response body carries a value from a record.
 */
describe('sandbox red team', () => {
  let city: SandboxCity;
  let subjects: string[];
  const refusals: LightMyRequestResponse[] = [];
  let caseNo = 0;
  const nextCase = () => `RT-${++caseNo}`;
  const consent = (subject: string, caseType: string, templates: string[]) => city.sandbox.service.createConsent(citizen(subject), { caseType, templates, validUntil: inFuture(30) });
  const verify = async (cookie: string, caseType: string, caseId: string, subject: string, claims: { template: string; params: Record<string, string | number> }[]) => {
    const res = await city.inject({ method: 'POST', url: '/api/sandbox/verifications', headers: { cookie }, payload: { caseType, caseId, subject, claims } });
    if (res.statusCode === 403 && res.json().type === REFUSED_PROBLEM_TYPE) refusals.push(res);
    return res;
  };
  const months = (n: number) => ({ template: 'si.months_insured', params: { months: n, ...WINDOW } });
  const reasons = (res: LightMyRequestResponse) => (res.json().errors as { message: string }[]).map((e) => e.message);

  beforeAll(async () => {
    city = await startSandboxCity('sandbox-red-team', 400);
    subjects = [...city.facts.periods.keys()];
    // A case type with tight throttles, owned by the Siming education bureau.
    await sql`insert into sb_case_type (code, name, name_en, owner_org, purpose, legal_basis, templates, per_case_per_day, per_applicant_per_day, per_handler_per_day, created_by)
      values ('throttle_test', '限流测试', 'Throttle test', 'xm.sm.edu', '限流测试', '测试', ${['si.months_insured', 'residence_permit.held_since', 'employment.employed_by_since']}, 3, 4, 8, 'test')`.execute(city.ludao.ctx.db);
    await sql`insert into sb_case_type (code, name, name_en, owner_org, purpose, legal_basis, templates, per_case_per_day, per_applicant_per_day, per_handler_per_day, created_by)
      values ('race_test', '并发测试', 'Race test', 'xm.sm.edu', '并发测试', '测试', ${['si.months_insured', 'residence_permit.held_since', 'employment.employed_by_since']}, 10, 4, 100, 'test')`.execute(city.ludao.ctx.db);
  }, 180_000);
  afterAll(async () => {
    await city?.close();
  });

  it('refuses a sweep of thresholds over one subject, from any case and any case type', async () => {
    const s = subjects[0]!;
    await consent(s, 'school_admission.sm', ['si.months_insured']);
    await consent(s, 'maternity_claim', ['si.months_insured']);
    expect((await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(12)])).statusCode).toBe(200);
    expect((await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(13)])).statusCode).toBe(200);
    const third = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(14)]);
    expect(third.statusCode).toBe(403);
    expect(reasons(third)).toEqual(['sweep']);
    const elsewhere = await verify(city.cookies.medsec, 'maternity_claim', nextCase(), s, [months(15)]);
    expect(reasons(elsewhere)).toEqual(['sweep']);
    // Asking again what was already answered tells nothing new: allowed in a new case.
    expect((await verify(city.cookies.medsec, 'maternity_claim', nextCase(), s, [months(12)])).statusCode).toBe(200);
    await city.ludao.ctx.audit.chainPending();
    const alerts = await sql<{ n: number }>`select count(*)::int as n from audit_entry
      where action = 'sandbox.sweep.refused' and data_subject = ${s}`.execute(city.ludao.ctx.db);
    expect(alerts.rows[0]!.n).toBe(2);
  });

  it('refuses a sweep inside one batch too', async () => {
    const s = subjects[1]!;
    await consent(s, 'school_admission.sm', ['si.months_insured']);
    const items = [20, 21, 22, 23].map((n) => ({ caseId: nextCase(), subject: s, claims: [months(n)] }));
    const res = await city.inject({ method: 'POST', url: '/api/sandbox/verifications/batch', headers: { cookie: city.cookies.edu }, payload: { caseType: 'school_admission.sm', items } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { status: string }) => i.status)).toEqual(['answered', 'answered', 'refused', 'refused']);
    expect(res.json().items[2].refusals).toEqual([{ claim: 0, template: 'si.months_insured', reason: 'sweep' }]);
    expect(res.json().items[2].results).toBeUndefined();
  });

  it('refuses the same claim twice in one case, in one request or two', async () => {
    const s = subjects[2]!;
    await consent(s, 'school_admission.sm', ['si.months_insured', 'residence_permit.held_since']);
    const caseId = nextCase();
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', caseId, s, [months(36), months(36)]))).toEqual(['repeated', 'repeated']);
    expect((await verify(city.cookies.edu, 'school_admission.sm', caseId, s, [months(36)])).statusCode).toBe(200);
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', caseId, s, [months(36)]))).toEqual(['repeated']);
    // Another claim of the same case is still fine.
    expect((await verify(city.cookies.edu, 'school_admission.sm', caseId, s, [{ template: 'residence_permit.held_since', params: { since: '2020-01-01' } }])).statusCode).toBe(200);
  });

  it('refuses a claim outside the whitelist, and evaluates none of the case', async () => {
    const { husband, wife } = city.facts.marriage;
    await consent(wife, 'maternity_claim', ['marriage.married_to']);
    const res = await verify(city.cookies.medsec, 'maternity_claim', nextCase(), wife, [
      { template: 'marriage.married_to', params: { spouse: husband } },
      { template: 'housing.owns_residence_in_district', params: { district: '350203' } },
    ]);
    expect(res.statusCode).toBe(403);
    expect(reasons(res)).toEqual(['not_whitelisted', 'not_whitelisted']);
    const unknown = await verify(city.cookies.medsec, 'maternity_claim', nextCase(), wife, [{ template: 'credit.blacklisted', params: {} }]);
    expect(reasons(unknown)).toEqual(['not_whitelisted']);
  });

  it('refuses without consent, after withdrawal and after expiry', async () => {
    const s = subjects[3]!;
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(24)]))).toEqual(['no_consent']);
    // Consent to another claim does not cover this one.
    const other = await consent(s, 'school_admission.sm', ['residence_permit.held_since']);
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(24)]))).toEqual(['no_consent']);
    const given = await consent(s, 'school_admission.sm', ['si.months_insured']);
    await city.sandbox.service.withdrawConsent(citizen(s), given.id);
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(24)]))).toEqual(['no_consent']);
    await sql`update sb_consent set valid_until = now() - interval '1 day' where id = ${other.id}`.execute(city.ludao.ctx.db);
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [{ template: 'residence_permit.held_since', params: { since: '2020-01-01' } }]))).toEqual(['no_consent']);
    // A consent for one case type does not open another.
    await consent(s, 'maternity_claim', ['si.months_insured']);
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [months(24)]))).toEqual(['no_consent']);
  });

  it('refuses a handler of another district or department', async () => {
    const s = subjects[4]!;
    await consent(s, 'school_admission.sm', ['si.months_insured']);
    expect(reasons(await verify(city.cookies.otherDistrict, 'school_admission.sm', nextCase(), s, [months(24)]))).toEqual(['wrong_department']);
    expect(reasons(await verify(city.cookies.medsec, 'school_admission.sm', nextCase(), s, [months(24)]))).toEqual(['wrong_department']);
    // Staff without the verify permission are stopped before anything (an ordinary 403).
    const staff = await signIn(city.ludao, 'hrss.staff', DEMO_PASSWORD);
    const res = await city.inject({ method: 'POST', url: '/api/sandbox/verifications', headers: { cookie: staff }, payload: { caseType: 'school_admission.sm', caseId: nextCase(), subject: s, claims: [months(24)] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/sandbox:verify/);
    expect((await city.inject({ method: 'POST', url: '/api/sandbox/verifications', payload: { caseType: 'school_admission.sm', caseId: 'x', subject: s, claims: [months(24)] } })).statusCode).toBe(401);
  });

  it('refuses a case reused for another applicant', async () => {
    const [a, b] = [subjects[5]!, subjects[6]!];
    for (const s of [a, b]) await consent(s, 'school_admission.sm', ['si.months_insured']);
    const caseId = nextCase();
    expect((await verify(city.cookies.edu, 'school_admission.sm', caseId, a, [months(24)])).statusCode).toBe(200);
    expect(reasons(await verify(city.cookies.edu, 'school_admission.sm', caseId, b, [months(24)]))).toEqual(['case_subject_mismatch']);
  });

  it('throttles per case, per applicant and per handler', async () => {
    const [a, b, c] = [subjects[7]!, subjects[8]!, subjects[9]!];
    for (const s of [a, b, c]) await consent(s, 'throttle_test', ['si.months_insured', 'residence_permit.held_since', 'employment.employed_by_since']);
    const permit = { template: 'residence_permit.held_since', params: { since: '2020-01-01' } };
    // Per case (3 attempts a day): two answered claims and one repeat use it up.
    const caseId = nextCase();
    expect((await verify(city.cookies.edu, 'throttle_test', caseId, a, [months(24)])).statusCode).toBe(200);
    expect(reasons(await verify(city.cookies.edu, 'throttle_test', caseId, a, [months(24)]))).toEqual(['repeated']);
    expect((await verify(city.cookies.edu, 'throttle_test', caseId, a, [permit])).statusCode).toBe(200);
    expect(reasons(await verify(city.cookies.edu, 'throttle_test', caseId, a, [{ template: 'employment.employed_by_since', params: { creditCode: city.facts.job.employer, since: '2020-01-01' } }]))).toEqual(['throttled']);
    // Per applicant (4 claims a day, whatever the case): a has used 4.
    expect(reasons(await verify(city.cookies.edu, 'throttle_test', nextCase(), a, [months(24)]))).toEqual(['throttled']);
    // Per handler (8 claims a day): 5 so far; three more for b and c, then refused.
    expect((await verify(city.cookies.edu, 'throttle_test', nextCase(), b, [months(24), permit])).statusCode).toBe(200);
    expect((await verify(city.cookies.edu, 'throttle_test', nextCase(), c, [months(24)])).statusCode).toBe(200);
    expect(reasons(await verify(city.cookies.edu, 'throttle_test', nextCase(), c, [permit]))).toEqual(['throttled']);
  });

  it('throttles requests that arrive together as if they had come one after the other', async () => {
    // Each request alone is within the applicant's 4 claims a day; the two together are not.
    // Both read the guards' history before either is stored: the second to store sees the
    // first and runs again on the history it left, so it is refused; never are both answered.
    const d = subjects[13]!;
    const templates = ['si.months_insured', 'residence_permit.held_since', 'employment.employed_by_since'];
    await consent(d, 'race_test', templates);
    const claims: { template: string; params: Record<string, string | number> }[] = [months(24), { template: 'residence_permit.held_since', params: { since: '2020-01-01' } }, { template: 'employment.employed_by_since', params: { creditCode: city.facts.job.employer, since: '2020-01-01' } }];
    const both = await Promise.all([verify(city.cookies.edu, 'race_test', nextCase(), d, claims), verify(city.cookies.edu, 'race_test', nextCase(), d, claims)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 403]);
    expect(reasons(both.find((r) => r.statusCode === 403)!)).toEqual(['throttled', 'throttled', 'throttled']);
    const answered = await sql<{ n: number }>`select count(*)::int as n from sb_verification where subject = ${d} and outcome = 'answered'`.execute(city.ludao.ctx.db);
    expect(answered.rows[0]!.n).toBe(3);
    // Requests together that stay within every limit are all answered, though each may be judged twice.
    const others = [subjects[14]!, subjects[15]!];
    for (const s of others) await consent(s, 'race_test', templates);
    const together = await Promise.all(others.map((s) => verify(city.cookies.edu, 'race_test', nextCase(), s, claims.slice(0, 2))));
    expect(together.map((r) => r.statusCode)).toEqual([200, 200]);
  });

  it('rejects malformed claims before any guard or read, naming the field', async () => {
    const s = subjects[12]!;
    const badId = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), `${s.slice(0, 17)}${s[17] === '0' ? '1' : '0'}`, [months(12)]);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors).toEqual([{ field: '/body/subject', message: '不是有效的公民身份号码', code: 'sb.badResidentId' }]);
    const badParams = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), s, [{ template: 'si.months_insured', params: { months: 12, from: '2026-07', to: '2026-06' } }]);
    expect(badParams.statusCode).toBe(400);
    expect(badParams.json().errors).toEqual([{ field: '/body/claims/0/params', message: '起始月份（from）不能晚于截止月份（to）', code: 'sb.param.fromAfterTo' }]);
    const badParamsEn = await city.inject({
      method: 'POST',
      url: '/api/sandbox/verifications',
      headers: { cookie: city.cookies.edu, 'accept-language': 'en' },
      payload: { caseType: 'school_admission.sm', caseId: nextCase(), subject: s, claims: [{ template: 'si.months_insured', params: { months: 12, from: '2026-07', to: '2026-06' } }] },
    });
    expect(badParamsEn.json()).toMatchObject({ detail: '/body/claims/0/params: the first month (from) must not be after the last (to)', errors: [{ field: '/body/claims/0/params', message: 'the first month (from) must not be after the last (to)', code: 'sb.param.fromAfterTo' }] });
  });

  it('gives every refusal one shape: status, type, title and sentence; only the reason code differs', async () => {
    expect(refusals.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (const res of refusals) {
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { type, title, detail, code, status, errors, ...rest } = res.json();
      expect({ type, title, detail, code, status }).toEqual({
        type: REFUSED_PROBLEM_TYPE,
        title: '核验被拒绝',
        detail: '核验被拒绝，所有事项均未核验；各事项被拒绝的原因逐项列出。',
        code: 'sb.refused',
        status: 403,
      });
      expect(Object.keys(rest).sort()).toEqual(['instance', 'requestId'].filter((k) => k in rest).sort());
      for (const e of errors as { field: string; message: string }[]) {
        expect(REFUSALS).toContain(e.message);
        seen.add(e.message);
      }
    }
    expect([...seen].sort()).toEqual([...REFUSALS].sort());
    // In English on request: the same shape and codes, English words.
    const s = subjects[16]!;
    const english = await city.inject({
      method: 'POST',
      url: '/api/sandbox/verifications',
      headers: { cookie: city.cookies.edu, 'accept-language': 'en' },
      payload: { caseType: 'school_admission.sm', caseId: nextCase(), subject: s, claims: [months(24)] },
    });
    expect(english.json()).toMatchObject({
      type: REFUSED_PROBLEM_TYPE,
      title: 'Verification refused',
      detail: 'The verification was refused and nothing was evaluated; each claim’s reason is listed in errors.',
      code: 'sb.refused',
      errors: [{ field: '/body/claims/0', message: 'no_consent' }],
    });
  });

  it('answers no_match and unverifiable alike but for the result', async () => {
    const known = subjects[10]!;
    for (const s of [known, NOBODY]) await consent(s, 'school_admission.sm', ['si.months_insured']);
    const noMatch = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), known, [months(1200)]);
    const unverifiable = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), NOBODY, [months(1200)]);
    expect(noMatch.json().results).toEqual([{ template: 'si.months_insured', result: 'no_match' }]);
    expect(unverifiable.json().results).toEqual([{ template: 'si.months_insured', result: 'unverifiable' }]);
    expect(noMatch.statusCode).toBe(unverifiable.statusCode);
    expect(Object.keys(noMatch.headers).sort()).toEqual(Object.keys(unverifiable.headers).sort());
    const shape = (res: LightMyRequestResponse) => JSON.stringify(res.json(), (k, v) => (typeof v === 'string' ? '' : v));
    expect(shape(noMatch)).toBe(shape(unverifiable));
    // A refused probe of someone unknown looks like a refused probe of someone known.
    const a = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), subjects[11]!, [months(12)]);
    const b = await verify(city.cookies.edu, 'school_admission.sm', nextCase(), '110101190001010014', [months(12)]);
    expect(a.statusCode).toBe(403);
    expect(a.body.replace(/"requestId":"[^"]*"/, '')).toBe(b.body.replace(/"requestId":"[^"]*"/, ''));
  });

  it('logs every refusal: in the store, the audit log and the call log the citizen reads', async () => {
    const { db } = city.ludao.ctx;
    await city.sandbox.stop(); // drains the call log
    const stored = await sql<{ refusal: string; n: number }>`select refusal, count(*)::int as n from sb_verification where outcome = 'refused' group by refusal`.execute(db);
    expect(stored.rows.map((r) => r.refusal).sort()).toEqual([...REFUSALS].sort());
    // One call per refused case in the exchange's log (the citizen's "who used my data").
    const refusedCases = await sql<{ n: number }>`select count(*)::int as n from (select distinct batch_id, case_id from sb_verification where outcome = 'refused') c`.execute(db);
    const logged = await sql<{ n: number }>`select count(*)::int as n from xc_call where operation = 'verify' and outcome = 'refused'`.execute(db);
    expect(logged.rows[0]!.n).toBe(refusedCases.rows[0]!.n);
    // The call log words the reasons per reader: codes in the English, words in the Chinese.
    const calls = async (language: string) =>
      ((await city.inject({ method: 'GET', url: '/api/exchange/calls?outcome=refused&limit=500', headers: { cookie: city.cookies.operator, 'accept-language': language } })).json() as { id: string; operation: string; reason: string; reasonCode: string }[]).filter((c) => c.operation === 'verify');
    const zh = await calls('zh-CN');
    expect(zh.length).toBeGreaterThan(0);
    expect(zh.every((c) => c.reasonCode === 'sb.callRefused' && /^核验被拒绝：[^a-z_]+$/.test(c.reason))).toBe(true);
    expect(zh.some((c) => c.reason.includes('申请人没有有效授权'))).toBe(true);
    const en = new Map((await calls('en')).map((c) => [c.id, c.reason]));
    const storedReasons = new Map((await sql<{ id: string; reason: string }>`select id, reason from xc_call where operation = 'verify' and outcome = 'refused'`.execute(db)).rows.map((r) => [r.id, r.reason]));
    for (const c of zh) expect(en.get(c.id)).toBe(storedReasons.get(c.id));
    expect([...storedReasons.values()].some((r) => /^verification refused: (.+, )?no_consent/.test(r))).toBe(true);
    expect((await new CallLog(db, city.ludao.ctx.audit).verify()).ok).toBe(true);
    await city.ludao.ctx.audit.chainPending();
    const audited = await sql<{ detail: { refusals: Record<string, number> } }>`select detail from audit_entry where action = 'sandbox.verify'`.execute(db);
    const refusedInAudit = audited.rows.reduce((n, r) => n + Object.values(r.detail.refusals).reduce((a, b) => a + b, 0), 0);
    expect(refusedInAudit).toBe(stored.rows.reduce((n, r) => n + r.n, 0));
  });

  it('never puts a value from a record in any response body', async () => {
    const { db } = city.ludao.ctx;
    // Read every list the API offers about verifications, as their users would.
    await city.inject({ method: 'GET', url: '/api/sandbox/verifications', headers: { cookie: city.cookies.edu } });
    await city.inject({ method: 'GET', url: '/api/sandbox/verifications', headers: { cookie: city.cookies.operator } });
    const receipt = (await sql<{ id: string }>`select id from sb_receipt where consumer_org = 'xm.sm.edu' limit 1`.execute(db)).rows[0]!;
    await city.inject({ method: 'GET', url: `/api/sandbox/receipts/${receipt.id}`, headers: { cookie: city.cookies.edu } });
    await city.inject({
      method: 'POST',
      url: '/api/sandbox/aggregates',
      headers: { cookie: city.cookies.edu },
      payload: { caseType: 'school_admission.sm', template: 'si.months_insured', params: { months: 12, ...WINDOW }, groupBy: 'district' },
    });
    // Every person the red team touched, and everything the records hold about them.
    const people = (await sql<{ p: string }>`select distinct subject as p from sb_verification
      union select distinct params->>'spouse' from sb_verification where params ? 'spouse'`.execute(db)).rows.map((r) => r.p);
    const values = new Set<string>();
    const collect = async (table: string, columns: string[]) => {
      const res = await sql<Record<string, unknown>>`select * from ${sql.id(table)} where ${sql.join(columns.map((c) => sql`${sql.id(c)} = any(${people}::text[])`), sql` or `)}`.execute(db);
      for (const row of res.rows) {
        for (const [k, v] of Object.entries(row)) {
          if (v === null || typeof v === 'boolean' || k === '_batch' || k === '_valid_from' || k === '_valid_to' || k === '_row') continue;
          const text = v instanceof Date ? (k.endsWith('_on') || k.endsWith('_date') ? v.toISOString().slice(0, 10) : '') : String(v);
          // Place codes and small numbers are public or meaningless alone; identifiers, names, dates, amounts are not.
          if (text.length < 2 || /^\d{1,12}$/.test(text) || ['male', 'female', 'married', 'divorced', 'valid', 'expired', 'person', 'sole', 'joint', 'head', 'spouse', 'child', 'parent', 'unmarried', 'widowed', 'open_ended', 'fixed_term'].includes(text)) continue;
          values.add(text);
        }
      }
    };
    await collect('dcr_population__person', ['id']);
    await collect('dcr_social_security__contribution_period', ['person_id']);
    await collect('dcr_social_security__contribution', ['person_id']);
    await collect('dcr_social_security__employment', ['person_id']);
    await collect('dcr_housing__property_ownership', ['owner_id']);
    await collect('dcr_civil_affairs__marriage', ['husband_id', 'wife_id']);
    await collect('dcr_health__birth_certificate', ['child_id', 'mother_id', 'father_id']);
    await collect('dcr_population__residence_permit', ['person_id']);
    expect(values.size).toBeGreaterThan(100);
    expect(city.bodies.length).toBeGreaterThan(30);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const probe = (value: string) => new RegExp(`(?<![0-9A-Za-z])${escape(value)}(?![0-9A-Za-z])`);
    // The scan would see a value were one there.
    const sample = [...values][0]!;
    expect(probe(sample).test(JSON.stringify({ leaked: sample }))).toBe(true);
    for (const value of values) {
      const pattern = probe(value);
      const hit = city.bodies.find((b) => pattern.test(b));
      expect(hit, `"${value}" appears in a response`).toBeUndefined();
    }
  });
});
