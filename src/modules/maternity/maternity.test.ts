import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/test-ludao';
import { PLATFORM_PRINCIPAL } from '../../platform/access';
import { createIdentityService, DEMO_PASSWORD } from '../identity';
import { citizen, monthsInWindow, NOBODY, startSandboxCity, today, type SandboxCity } from '../sandbox/fixtures.test-support';
import { MaternityService } from './maternity.service';

/** A family of the synthetic city: a parent, the spouse, a child on the birth certificate. */
interface Family {
  parent: string;
  spouse: string;
  child: string;
  childName: string;
  born: string;
  registeredOn: string;
  account: string;
  accountActive: boolean;
}

const monthMinus = (month: string, n: number) => {
  const k = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
};

describe('maternity quick claim', () => {
  let city: SandboxCity;
  let families: Family[];
  let qualifying: Family;
  let other: Family;
  let spare: Family;
  let spare2: Family;
  const cookies = new Map<string, string>();

  // A citizen account for a person, signed in.
  const citizenOf = async (person: string): Promise<string> => {
    const known = cookies.get(person);
    if (known) return known;
    const username = `p${person.slice(-8).toLowerCase()}`;
    await createIdentityService(city.ludao.ctx).createUser(PLATFORM_PRINCIPAL, { username, displayName: `家长${person.slice(-4)}`, password: DEMO_PASSWORD, kind: 'citizen', roles: ['citizen'], personIdNumber: person });
    const cookie = await signIn(city.ludao, username, DEMO_PASSWORD);
    cookies.set(person, cookie);
    return cookie;
  };
  const file = async (f: Family, change: Partial<{ spouse: string; account: string; babies: number; difficultBirth: boolean }> = {}) =>
    city.inject({
      method: 'POST',
      url: '/api/maternity/claims',
      headers: { cookie: await citizenOf(f.parent) },
      payload: { spouse: f.spouse, child: f.child, account: f.account, difficultBirth: false, babies: 1, consent: true, ...change },
    });

  beforeAll(async () => {
    city = await startSandboxCity('maternity-test', 1500);
    const db = city.ludao.ctx.db;
    const admin = await signIn(city.ludao, 'medsec.admin', DEMO_PASSWORD);
    // The synthetic city's births end at its as-of date: allow claims for ten years of them.
    const rules = await city.inject({ method: 'PUT', url: '/api/maternity/rules', headers: { cookie: admin }, payload: { wageYear: 2025, avgMonthlyWageFen: 900_000, baseDays: 98, difficultBirthDays: 15, extraBabyDays: 15, minMonths: 12, windowMonths: 12, claimWithinDays: 3650 } });
    expect(rules.statusCode, rules.body).toBe(200);
    const { rows } = await sql<Family & { mother: string; father: string | null }>`
      select b.mother_id as parent, m.husband_id as spouse, b.child_id as child, b.child_name as "childName", to_char(b.birth_date, 'YYYY-MM-DD') as born,
        to_char(m.registered_on, 'YYYY-MM-DD') as "registeredOn", a.account_number as account, a.status = 'active' as "accountActive"
      from dcr_health__birth_certificate b
      join dcr_civil_affairs__marriage m on m.wife_id = b.mother_id and m.status = 'married' and m._valid_to is null and not m._deleted
      join dcr_social_security__bank_account a on a.person_id = b.mother_id and a._valid_to is null and not a._deleted
      where b._valid_to is null and not b._deleted and b.birth_date > ${today()}::date - 3650
      order by b._key`.execute(db);
    families = rows;
    const insured = (f: Family) => monthsInWindow(city.facts.periods.get(f.parent) ?? [], monthMinus(f.born.slice(0, 7), 12), monthMinus(f.born.slice(0, 7), 1)) >= 12;
    qualifying = families.find((f) => f.accountActive && insured(f))!;
    other = families.find((f) => f.parent !== qualifying?.parent)!;
    const fits = families.filter((f) => f.accountActive && insured(f) && ![qualifying.parent, other.parent].includes(f.parent));
    spare = fits[0]!;
    spare2 = fits.find((f) => f.parent !== spare?.parent)!;
    expect(spare, 'more families that qualify').toBeDefined();
    expect(spare2).toBeDefined();
    expect(qualifying, 'a family that qualifies').toBeDefined();
    expect(other).toBeDefined();
  }, 240_000);
  afterAll(async () => {
    await city?.close();
  });

  it('lists the four checks and the rules; only the bureau sets the rules', async () => {
    const checks = (await city.inject({ method: 'GET', url: '/api/maternity/checks', headers: { cookie: await citizenOf(qualifying.parent) } })).json();
    expect(checks.checks.map((c: { template: string }) => c.template)).toEqual(['marriage.married_to', 'birth.parent_of_child', 'si.months_insured', 'si.bank_account_is']);
    expect(checks.rules).toMatchObject({ avgMonthlyWageFen: 900_000, baseDays: 98, claimWithinDays: 3650 });
    const hrss = await signIn(city.ludao, 'hrss.admin', DEMO_PASSWORD);
    const put = await city.inject({ method: 'PUT', url: '/api/maternity/rules', headers: { cookie: hrss }, payload: { ...checks.rules, version: undefined, formula: undefined } });
    expect(put.statusCode).toBe(403);
    expect(put.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(put.json()).toMatchObject({ title: '无权访问', detail: '只有 xm.medsec 才能设定生育津贴计发规则', code: 'mat.onlyBureauSetsRules' });
  });

  it('sends a mismatch to the handler naming the failed check, who rejects it; then a full match is approved at once with the computed amount', async () => {
    const wrong = await file(qualifying, { spouse: other.parent === qualifying.spouse ? NOBODY : other.parent });
    expect(wrong.statusCode, wrong.body).toBe(201);
    const claim = wrong.json();
    expect(claim).toMatchObject({ status: 'pending_review', failed: ['marriage.married_to'], amountFen: null });
    expect(claim.checks.map((c: { result: string }) => c.result)).toEqual(['no_match', 'match', 'match', 'match']);

    const queue = (await city.inject({ method: 'GET', url: '/api/maternity/queue', headers: { cookie: city.cookies.medsec } })).json();
    expect(queue.find((c: { id: string }) => c.id === claim.id)).toMatchObject({ failed: ['marriage.married_to'], status: 'pending_review' });
    // The handler's decision needs a note; a rejection frees the child for a new claim.
    expect((await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/decision`, headers: { cookie: city.cookies.medsec }, payload: { decision: 'reject' } })).statusCode).toBe(400);
    const blank = await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/decision`, headers: { cookie: city.cookies.medsec }, payload: { decision: 'reject', note: '   ' } });
    expect(blank.json()).toMatchObject({ status: 400, errors: [{ field: '/body/note', message: '请写明已核对的纸质材料，或不予批准的理由' }] });
    const rejected = await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/decision`, headers: { cookie: city.cookies.medsec }, payload: { decision: 'reject', note: '申报的配偶与结婚证不符' } });
    expect(rejected.json()).toMatchObject({ status: 'rejected', note: '申报的配偶与结婚证不符', decidedBy: '蔡医保' });
    const decided = await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/decision`, headers: { cookie: city.cookies.medsec }, payload: { decision: 'approve', note: '复核' } });
    expect(decided.statusCode).toBe(409);
    expect(decided.json()).toMatchObject({ detail: `申领 ${claim.id} 不在人工复核中，不能办结：只有人工复核中的申领才能办结`, code: 'mat.notInReview' });

    const right = await file(qualifying, { babies: 2, difficultBirth: true });
    expect(right.statusCode, right.body).toBe(201);
    // 9,000.00 yuan ÷ 30 × (98 + 15 difficult + 15 for the second baby) = 38,400.00 yuan.
    expect(right.json()).toMatchObject({ status: 'approved', failed: [], amountFen: 3_840_000, allowance: { leaveDays: 128, amountFen: 3_840_000 } });
    expect(right.json().checks.every((c: { result: string }) => c.result === 'match')).toBe(true);
    const mine = (await city.inject({ method: 'GET', url: '/api/maternity/claims', headers: { cookie: await citizenOf(qualifying.parent) } })).json();
    expect(mine.map((c: { status: string }) => c.status)).toEqual(['approved', 'rejected']);
    // One claim per child, whichever parent files it.
    const again = await file(qualifying);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    // The parent reads why in Chinese; English on request; the code either way.
    expect(again.json()).toMatchObject({ title: '冲突', detail: '该子女已经申领过（每个子女只能申领一次）', code: 'mat.childClaimed' });
    const againEn = await city.inject({
      method: 'POST',
      url: '/api/maternity/claims',
      headers: { cookie: await citizenOf(qualifying.parent), 'accept-language': 'en' },
      payload: { spouse: qualifying.spouse, child: qualifying.child, account: qualifying.account, difficultBirth: false, babies: 1, consent: true },
    });
    expect(againEn.json()).toMatchObject({ title: 'Conflict', detail: 'A claim for this child has been filed already (one claim per child)', code: 'mat.childClaimed' });
    // Each step is in the audit log (entries commit as pending and are chained in the background).
    while ((await city.ludao.ctx.audit.chainPending()) > 0);
    const { rows } = await sql<{ action: string }>`select action from audit_entry where subject_id in (${claim.id}, ${right.json().id}) order by seq`.execute(city.ludao.ctx.db);
    expect(rows.map((r) => r.action)).toEqual(['maternity.claim.submit', 'maternity.claim.to_review', 'maternity.claim.reject', 'maternity.claim.submit', 'maternity.claim.approve']);
  });

  it('refuses guessing account numbers: a third distinct number is a sweep, and the claim keeps what it had', async () => {
    const first = await file(other, { account: '6299990000000000011' });
    expect(first.statusCode, first.body).toBe(201);
    const claim = first.json();
    expect(claim.status).toBe('pending_review');
    expect(claim.failed).toContain('si.bank_account_is');
    expect(claim.canCorrectAccount).toBe(true);
    const correct = async (account: string) => city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/account`, headers: { cookie: await citizenOf(other.parent) }, payload: { account } });
    const second = await correct('6299990000000000029');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ account: '**** 0029' });
    expect(second.json().failed).toContain('si.bank_account_is');
    const third = await correct('6299990000000000037');
    expect(third.statusCode).toBe(403);
    // The parent reads what happened and what to do; programs still find the reason in errors.
    expect(third.json()).toMatchObject({ type: 'urn:ludao:problem:verification-refused', title: '账号未能重新核验', code: 'mat.accountSweep', errors: [{ message: 'sweep' }] });
    expect(third.json().detail).toMatch(/^您已为本申领填写过两个不同的账号，不能再填写第三个。/);
    const after = (await city.inject({ method: 'GET', url: `/api/maternity/claims/${claim.id}`, headers: { cookie: await citizenOf(other.parent) } })).json();
    expect(after).toMatchObject({ account: '**** 0029', status: 'pending_review' });
    while ((await city.ludao.ctx.audit.chainPending()) > 0);
    const refused = await sql<{ n: number }>`select count(*)::int as n from audit_entry where action in ('sandbox.sweep.refused', 'maternity.claim.refused') and data_subject = ${other.parent}`.execute(city.ludao.ctx.db);
    expect(refused.rows[0]!.n).toBe(2);
  });

  it('shows a claim only to its parent and the bureau’s handlers', async () => {
    const claim = (await city.inject({ method: 'GET', url: '/api/maternity/claims', headers: { cookie: await citizenOf(other.parent) } })).json()[0];
    const stranger = await citizenOf(qualifying.parent);
    expect((await city.inject({ method: 'GET', url: `/api/maternity/claims/${claim.id}`, headers: { cookie: stranger } })).statusCode).toBe(404);
    expect((await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/account`, headers: { cookie: stranger }, payload: { account: '6299990000000000045' } })).statusCode).toBe(404);
    expect((await city.inject({ method: 'GET', url: '/api/maternity/queue', headers: { cookie: stranger } })).statusCode).toBe(403);
    expect((await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/decision`, headers: { cookie: stranger }, payload: { decision: 'approve', note: '自己批准' } })).statusCode).toBe(403);
    // A case handler of another department is not the bureau's.
    expect((await city.inject({ method: 'GET', url: '/api/maternity/queue', headers: { cookie: city.cookies.otherDistrict } })).statusCode).toBe(403);
    expect((await city.inject({ method: 'GET', url: `/api/maternity/claims/${claim.id}`, headers: { cookie: city.cookies.otherDistrict } })).statusCode).toBe(403);
    expect((await city.inject({ method: 'GET', url: `/api/maternity/claims/${claim.id}` })).statusCode).toBe(401);
    // The bureau's handler approves after a paper proof, with the amount by the rules.
    const approved = await city.inject({ method: 'POST', url: `/api/maternity/claims/${claim.id}/decision`, headers: { cookie: city.cookies.medsec }, payload: { decision: 'approve', note: '已核对纸质结婚证、出生医学证明与银行卡' } });
    expect(approved.json()).toMatchObject({ status: 'approved', amountFen: 2_940_000 });
    const seen = (await city.inject({ method: 'GET', url: `/api/maternity/claims/${claim.id}`, headers: { cookie: await citizenOf(other.parent) } })).json();
    expect(seen).toMatchObject({ status: 'approved', amountFen: 2_940_000, note: '已核对纸质结婚证、出生医学证明与银行卡' });
  });

  it('completes a claim whose result failed to store after the sandbox answered, from the stored answer, and the sandbox still refuses the same claims twice', async () => {
    const ctx = city.ludao.ctx;
    // The claim service as the module builds it, but storing the verification's result (its
    // second own transaction: the first stores the filing) fails once, as a lost connection would.
    let own = 0;
    const failing = new MaternityService({
      db: ctx.db,
      audit: ctx.audit,
      sandbox: city.sandbox.service,
      transaction: (work) => (++own === 2 ? Promise.reject(new Error('connection lost')) : ctx.transaction(work)),
    });
    const body = { spouse: spare.spouse, child: spare.child, account: spare.account, difficultBirth: false, babies: 1, consent: true as const };
    await expect(failing.apply(citizen(spare.parent), body)).rejects.toThrow('connection lost');
    const stuck = (await city.inject({ method: 'GET', url: '/api/maternity/claims', headers: { cookie: await citizenOf(spare.parent) } })).json()[0];
    expect(stuck).toMatchObject({ status: 'verifying', checks: [] });
    // The sandbox answered the four claims of case 1 and keeps that answer.
    const attempts = (await city.inject({ method: 'GET', url: `/api/sandbox/verifications?caseType=maternity_claim&caseId=${stuck.id}-1`, headers: { cookie: city.cookies.medsec } })).json();
    expect(attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['answered', 'answered', 'answered', 'answered']);

    // When the service starts again, the claim is completed from that answer: approved, with
    // the amount a claim that never failed gets (9,000.00 yuan ÷ 30 × 98 days), and no new question.
    const restarted = new MaternityService({ db: ctx.db, audit: ctx.audit, sandbox: city.sandbox.service, transaction: ctx.transaction });
    expect(await restarted.resumeVerifying()).toBe(1);
    const done = (await city.inject({ method: 'GET', url: `/api/maternity/claims/${stuck.id}`, headers: { cookie: await citizenOf(spare.parent) } })).json();
    expect(done).toMatchObject({ status: 'approved', failed: [], amountFen: 2_940_000 });
    expect(done.checks.map((c: { result: string }) => c.result)).toEqual(['match', 'match', 'match', 'match']);
    expect(await restarted.resumeVerifying()).toBe(0);
    const { rows } = await sql<{ case_id: string; n: number }>`select case_id, count(*)::int as n from sb_verification where case_id like ${`${stuck.id}-%`} group by case_id`.execute(ctx.db);
    expect(rows).toEqual([{ case_id: `${stuck.id}-1`, n: 4 }]);
    const receipt = (await sql<{ receipt_ids: string[] }>`select receipt_ids from mt_claim where id = ${stuck.id}`.execute(ctx.db)).rows[0]!.receipt_ids;
    expect(receipt).toEqual([attempts[0].receiptId]);

    // Asking the sandbox the same claim of that case again is still refused.
    const again = await city.inject({
      method: 'POST',
      url: '/api/sandbox/verifications',
      headers: { cookie: city.cookies.medsec },
      payload: { caseType: 'maternity_claim', caseId: `${stuck.id}-1`, subject: spare.parent, claims: [{ template: 'marriage.married_to', params: { spouse: spare.spouse } }] },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().errors).toEqual([{ field: '/body/claims/0', message: 'repeated' }]);
  });

  it('completes a claim stuck before the sandbox answered when its parent opens it', async () => {
    const ctx = city.ludao.ctx;
    // Filed and consented, then the connection was lost before the sandbox answered.
    const fam = spare2;
    const failing = new MaternityService({
      db: ctx.db,
      audit: ctx.audit,
      sandbox: Object.assign(Object.create(city.sandbox.service) as typeof city.sandbox.service, { verify: () => Promise.reject(new Error('connection lost')) }),
      transaction: ctx.transaction,
    });
    await expect(failing.apply(citizen(fam.parent), { spouse: fam.spouse, child: fam.child, account: fam.account, difficultBirth: false, babies: 1, consent: true })).rejects.toThrow('connection lost');
    const parent = await citizenOf(fam.parent);
    const stuck = (await city.inject({ method: 'GET', url: '/api/maternity/claims', headers: { cookie: parent } })).json()[0];
    expect(stuck.status).toBe('verifying');
    // A minute later the claim counts as stuck (the test moves its clock back rather than wait).
    await sql`update mt_claim set updated_at = now() - interval '2 minutes' where id = ${stuck.id}`.execute(ctx.db);
    const opened = (await city.inject({ method: 'GET', url: `/api/maternity/claims/${stuck.id}`, headers: { cookie: parent } })).json();
    expect(opened).toMatchObject({ status: 'approved', failed: [], amountFen: 2_940_000 });
  });

  it('rejects malformed input before storing anything', async () => {
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from mt_claim`.execute(city.ludao.ctx.db)).rows[0]!.n;
    const before = await count();
    const fam = families.find((f) => f.parent !== qualifying.parent && f.parent !== other.parent) ?? other;
    for (const change of [{ spouse: '350203199001011230' }, { account: '12ab' }, { spouse: fam.parent }, { consent: false }, { babies: 0 }]) {
      const res = await city.inject({ method: 'POST', url: '/api/maternity/claims', headers: { cookie: await citizenOf(fam.parent) }, payload: { spouse: fam.spouse, child: fam.child, account: fam.account, difficultBirth: false, babies: 1, consent: true, ...change } });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      // The parent's own mistakes, named by field, in Chinese.
      if ('spouse' in change && change.spouse !== fam.parent) expect(res.json().errors).toEqual([{ field: '/body/spouse', message: '不是有效的公民身份号码', code: 'mat.badResidentId' }]);
      if ('spouse' in change && change.spouse === fam.parent) expect(res.json().errors).toEqual([{ field: '/body/child', message: '您本人、配偶和子女须为三个不同的人', code: 'mat.threePeople' }]);
    }
    // Long enough for the schema, but not digits.
    const dashes = await city.inject({ method: 'POST', url: '/api/maternity/claims', headers: { cookie: await citizenOf(fam.parent) }, payload: { spouse: fam.spouse, child: fam.child, account: '6299-9900-0000-0000-018', difficultBirth: false, babies: 1, consent: true } });
    expect(dashes.json()).toMatchObject({ status: 400, detail: '/body/account: 社保卡金融账号须为 12–30 位数字', errors: [{ field: '/body/account', message: '社保卡金融账号须为 12–30 位数字' }] });
    expect(await count()).toBe(before);
  });

  it('never answers with a value from a record', () => {
    const values = [qualifying, other].flatMap((f) => [f.spouse, f.child, f.account, f.childName, f.born, f.registeredOn]);
    for (const body of city.bodies) for (const value of values) expect(body.includes(value), `${value} in ${body.slice(0, 200)}`).toBe(false);
  });
});
