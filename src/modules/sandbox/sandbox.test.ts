import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReceipt, claimDigest, controlCount, REFUSED_PROBLEM_TYPE, type Receipt } from './index';
import { citizen, monthsInWindow, NOBODY, startSandboxCity, today, type SandboxCity } from './fixtures.test-support';

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

describe('sandbox', () => {
  let city: SandboxCity;
  const consent = (subject: string, caseType: string, templates: string[]) =>
    city.sandbox.service.createConsent(citizen(subject), { caseType, templates, validUntil: inFuture(30) });
  const verify = (cookie: string, payload: object) => city.inject({ method: 'POST', url: '/api/sandbox/verifications', headers: { cookie }, payload });

  beforeAll(async () => {
    city = await startSandboxCity('sandbox-test', 600);
  }, 180_000);
  afterAll(async () => {
    await city?.close();
  });

  it('lists the templates the providers declared and the case types that whitelist them', async () => {
    expect((await city.inject({ method: 'GET', url: '/api/sandbox/templates' })).statusCode).toBe(401);
    const templates = await city.inject({ method: 'GET', url: '/api/sandbox/templates', headers: { cookie: city.cookies.edu } });
    expect(templates.statusCode).toBe(200);
    const byCode = Object.fromEntries(templates.json().map((t: { code: string }) => [t.code, t]));
    expect(Object.keys(byCode).sort()).toEqual([
      'birth.parent_of_child',
      'employment.employed_by_since',
      'housing.owns_residence_in_district',
      'marriage.married_to',
      'residence_permit.held_since',
      'si.bank_account_is',
      'si.months_insured',
    ]);
    expect(byCode['si.months_insured']).toMatchObject({ providerOrg: 'xm.hrss.si', resources: ['social_security.contribution_period'] });
    expect(byCode['si.months_insured'].params.map((p: { name: string }) => p.name)).toEqual(['months', 'from', 'to']);
    const caseTypes = (await city.inject({ method: 'GET', url: '/api/sandbox/case-types', headers: { cookie: city.cookies.edu } })).json();
    expect(caseTypes.find((c: { code: string }) => c.code === 'maternity_claim')).toMatchObject({ ownerOrg: 'xm.medsec', templates: ['marriage.married_to', 'birth.parent_of_child', 'si.months_insured', 'si.bank_account_is'] });
    expect(byCode['si.bank_account_is']).toMatchObject({ providerOrg: 'xm.hrss.si', resources: ['social_security.bank_account'], params: [{ name: 'account', type: 'bank_account' }] });
  });

  it('lets a provider declare templates on its own resources, and a department its case types', async () => {
    const { createIdentityService, DEMO_PASSWORD } = await import('../identity');
    const { PLATFORM_PRINCIPAL } = await import('../../platform/access');
    const { signIn } = await import('../../../test/support/test-ludao');
    const hrss = await signIn(city.ludao, 'hrss.admin', DEMO_PASSWORD);
    const ca = await signIn(city.ludao, 'ca.admin', DEMO_PASSWORD);
    const template = { code: 'si.months_insured_recent', kind: 'months_insured', name: '近期连续缴纳社保', nameEn: 'Recently insured', description: '近期窗口内的缴费月数。Months insured in a recent window.' };
    const declared = await city.inject({ method: 'POST', url: '/api/sandbox/templates', headers: { cookie: hrss }, payload: template });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(declared.json()).toMatchObject({ code: 'si.months_insured_recent', providerOrg: 'xm.hrss.si', resources: ['social_security.contribution_period'] });
    expect((await city.inject({ method: 'POST', url: '/api/sandbox/templates', headers: { cookie: hrss }, payload: template })).statusCode).toBe(409);
    const foreign = await city.inject({ method: 'POST', url: '/api/sandbox/templates', headers: { cookie: ca }, payload: { ...template, code: 'ca.months' } });
    expect(foreign.statusCode).toBe(403);
    // In the reader's language: Chinese unless asked otherwise, with the code either way.
    expect(foreign.json()).toMatchObject({ title: '无权访问', detail: '只有提供 social_security.contribution_period 的部门（xm.hrss.si）才能在其上声明核验事项', code: 'sb.onlyProviderDeclares' });
    const foreignEn = await city.inject({ method: 'POST', url: '/api/sandbox/templates', headers: { cookie: ca, 'accept-language': 'en' }, payload: { ...template, code: 'ca.months' } });
    expect(foreignEn.json()).toMatchObject({ title: 'Forbidden', detail: 'Only xm.hrss.si, which provides social_security.contribution_period, declares templates on it', code: 'sb.onlyProviderDeclares' });
    const unknownKind = await city.inject({ method: 'POST', url: '/api/sandbox/templates', headers: { cookie: hrss }, payload: { ...template, code: 'si.x', kind: 'owes_taxes' } });
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json().errors).toEqual([{ field: '/body/kind', message: expect.stringMatching(/^未知的核验类型“owes_taxes”（可选：months_insured, /), code: 'sb.unknownKind' }]);
    expect((await city.inject({ method: 'POST', url: '/api/sandbox/templates', headers: { cookie: city.cookies.edu }, payload: { ...template, code: 'edu.months' } })).statusCode).toBe(403);

    await createIdentityService(city.ludao.ctx).createUser(PLATFORM_PRINCIPAL, { username: 'smedu.admin', displayName: '思明教育管理员', password: DEMO_PASSWORD, kind: 'staff', orgCode: 'xm.sm.edu', roles: ['dept_admin'] });
    const edu = await signIn(city.ludao, 'smedu.admin', DEMO_PASSWORD);
    const caseType = { code: 'kindergarten.sm', name: '思明区幼儿园招生', nameEn: 'Kindergarten enrolment (Siming)', purpose: '幼儿园招生材料核验', legalBasis: '思明区幼儿园招生工作意见', templates: ['si.months_insured_recent', 'birth.parent_of_child'] };
    const made = await city.inject({ method: 'POST', url: '/api/sandbox/case-types', headers: { cookie: edu }, payload: caseType });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ code: 'kindergarten.sm', ownerOrg: 'xm.sm.edu', perCasePerDay: 20 });
    const unknownTemplate = await city.inject({ method: 'POST', url: '/api/sandbox/case-types', headers: { cookie: edu }, payload: { ...caseType, code: 'kindergarten.x', templates: ['nope.nothing'] } });
    expect(unknownTemplate.statusCode).toBe(400);
    expect(unknownTemplate.json()).toMatchObject({ title: '请求无效', detail: '/body/templates: 没有核验事项 nope.nothing', errors: [{ field: '/body/templates', message: '没有核验事项 nope.nothing' }] });
    const exists = await city.inject({ method: 'POST', url: '/api/sandbox/case-types', headers: { cookie: edu, 'accept-language': 'en' }, payload: caseType });
    expect(exists.json()).toMatchObject({ status: 409, detail: 'A case type kindergarten.sm exists', code: 'sb.caseTypeExists' });
    // The new case type works at once for the department's handlers.
    const { mother, child } = city.facts.birth;
    await consent(mother, 'kindergarten.sm', ['birth.parent_of_child']);
    const res = await verify(city.cookies.edu, { caseType: 'kindergarten.sm', caseId: 'K-1', subject: mother, claims: [{ template: 'birth.parent_of_child', params: { child } }] });
    expect(res.json().results).toEqual([{ template: 'birth.parent_of_child', result: 'match' }]);
  });

  it('lets a citizen give, list and withdraw consent, only for claims the case type checks', async () => {
    const { husband } = city.facts.marriage;
    const given = await consent(husband, 'maternity_claim', ['marriage.married_to']);
    expect(given).toMatchObject({ caseType: 'maternity_claim', department: 'xm.medsec', status: 'live', templates: [{ code: 'marriage.married_to', name: { zh: '与某人登记结婚' } }] });
    await expect(consent(husband, 'maternity_claim', ['housing.owns_residence_in_district'])).rejects.toThrow(/does not check/);
    await expect(city.sandbox.service.createConsent(citizen(husband), { caseType: 'maternity_claim', templates: ['marriage.married_to'], validUntil: inFuture(800) })).rejects.toThrow(/two years/);
    const listed = await city.sandbox.service.listConsents(citizen(husband));
    expect(listed.map((c) => c.id)).toContain(given.id);
    await expect(city.sandbox.service.withdrawConsent(citizen(city.facts.marriage.wife), given.id)).rejects.toThrow(/No consent/);
    const withdrawn = await city.sandbox.service.withdrawConsent(citizen(husband), given.id);
    expect(withdrawn).toMatchObject({ status: 'withdrawn' });
    await expect(city.sandbox.service.withdrawConsent(citizen(husband), given.id)).rejects.toThrow(/already withdrawn/);
  });

  it('answers each template match, no_match or unverifiable, with a receipt the public key checks', async () => {
    const f = city.facts;
    const cases: { cookie: string; caseType: string; subject: string; claim: { template: string; params: Record<string, string> }; expected: string }[] = [
      { cookie: city.cookies.medsec, caseType: 'maternity_claim', subject: f.marriage.wife, claim: { template: 'marriage.married_to', params: { spouse: f.marriage.husband } }, expected: 'match' },
      { cookie: city.cookies.medsec, caseType: 'maternity_claim', subject: f.marriage.husband, claim: { template: 'marriage.married_to', params: { spouse: f.birth.child } }, expected: 'no_match' },
      { cookie: city.cookies.medsec, caseType: 'maternity_claim', subject: f.birth.mother, claim: { template: 'birth.parent_of_child', params: { child: f.birth.child } }, expected: 'match' },
      { cookie: city.cookies.edu, caseType: 'school_admission.sm', subject: f.job.person, claim: { template: 'employment.employed_by_since', params: { creditCode: f.job.employer, since: f.job.since } }, expected: 'match' },
      { cookie: city.cookies.edu, caseType: 'school_admission.sm', subject: f.owner.person, claim: { template: 'housing.owns_residence_in_district', params: { district: f.owner.district } }, expected: 'match' },
      { cookie: city.cookies.edu, caseType: 'school_admission.sm', subject: f.permit.person, claim: { template: 'residence_permit.held_since', params: { since: f.permit.firstIssued } }, expected: 'match' },
      { cookie: city.cookies.edu, caseType: 'school_admission.sm', subject: NOBODY, claim: { template: 'residence_permit.held_since', params: { since: '2020-01-01' } }, expected: 'unverifiable' },
    ];
    const keys = (await city.inject({ method: 'GET', url: '/api/sandbox/receipt-keys' })).body;
    for (const [i, c] of cases.entries()) {
      await consent(c.subject, c.caseType, [c.claim.template]);
      const res = await verify(c.cookie, { caseType: c.caseType, caseId: `T-${i}`, subject: c.subject, claims: [c.claim] });
      expect(res.statusCode, `${c.claim.template}: ${res.body}`).toBe(200);
      const body = res.json();
      expect(body.results).toEqual([{ template: c.claim.template, result: c.expected }]);
      const receipt = body.receipt as Receipt;
      expect(receipt.claims[0]).toMatchObject({ template: c.claim.template, result: c.expected, digest: claimDigest(receipt.nonce, { subject: c.subject, template: c.claim.template, params: c.claim.params }) });
      const check = checkReceipt(JSON.stringify(receipt), keys);
      expect(check.ok, check.line).toBe(true);
      expect(check.line).toContain(`T-${i}`);
      const forged = { ...receipt, claims: [{ ...receipt.claims[0]!, result: c.expected === 'match' ? 'no_match' : 'match' }] };
      expect(checkReceipt(JSON.stringify(forged), keys)).toMatchObject({ ok: false, line: expect.stringMatching(/NOT valid/) });
      const stored = await city.inject({ method: 'GET', url: `/api/sandbox/receipts/${receipt.id}`, headers: { cookie: c.cookie } });
      expect(stored.json()).toEqual(receipt);
    }
    // Another department cannot fetch the receipt.
    const last = (await sql<{ id: string }>`select id from sb_receipt where consumer_org = 'xm.medsec' limit 1`.execute(city.ludao.ctx.db)).rows[0]!;
    expect((await city.inject({ method: 'GET', url: `/api/sandbox/receipts/${last.id}`, headers: { cookie: city.cookies.edu } })).statusCode).toBe(404);
  });

  it('gives a case type’s own department the stored answers of its cases (to complete its own step), and no one else', async () => {
    const system = (orgCode: string) => ({ kind: 'system' as const, id: `test.${orgCode}`, name: 'test', orgId: null, orgCode, roles: ['dept_system' as const] });
    const answers = await city.sandbox.service.storedAnswers(system('xm.medsec'), 'maternity_claim', ['T-0', 'T-1', 'T-never']);
    expect(answers.map((a) => [a.caseId, a.results])).toEqual([
      ['T-0', [{ template: 'marriage.married_to', result: 'match' }]],
      ['T-1', [{ template: 'marriage.married_to', result: 'no_match' }]],
    ]);
    const receipt = await city.inject({ method: 'GET', url: `/api/sandbox/receipts/${answers[0]!.receipt.id}`, headers: { cookie: city.cookies.medsec } });
    expect(receipt.json()).toEqual(answers[0]!.receipt);
    await expect(city.sandbox.service.storedAnswers(system('xm.sm.edu'), 'maternity_claim', ['T-0'])).rejects.toMatchObject({ status: 403 });
    await expect(city.sandbox.service.storedAnswers(citizen(city.facts.marriage.wife), 'maternity_claim', ['T-0'])).rejects.toMatchObject({ status: 403 });
  });

  it('checks a social-security card account: match only for the person’s own active account; guessing numbers is a sweep', async () => {
    const { account, inactiveAccount } = city.facts;
    const claim = (n: string) => ({ template: 'si.bank_account_is', params: { account: n } });
    await consent(account.person, 'maternity_claim', ['si.bank_account_is']);
    await consent(inactiveAccount.person, 'maternity_claim', ['si.bank_account_is']);
    await consent(NOBODY, 'maternity_claim', ['si.bank_account_is']);
    const results = async (caseId: string, subject: string, n: string) => {
      const res = await verify(city.cookies.medsec, { caseType: 'maternity_claim', caseId, subject, claims: [claim(n)] });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().results[0].result;
    };
    // Spaces between digit groups, as printed on a card, are the same number.
    expect(await results('BA-1', account.person, account.number.replace(/(\d{4})/g, '$1 ').trim())).toBe('match');
    expect(await results('BA-2', inactiveAccount.person, inactiveAccount.number)).toBe('no_match');
    expect(await results('BA-3', NOBODY, account.number)).toBe('unverifiable');
    // Someone else's account is not the applicant's.
    expect(await results('BA-4', inactiveAccount.person, account.number)).toBe('no_match');
    // A third distinct number for the same person is a sweep, whichever case asks it.
    const swept = await verify(city.cookies.medsec, { caseType: 'maternity_claim', caseId: 'BA-5', subject: inactiveAccount.person, claims: [claim('6299990000000000001')] });
    expect(swept.statusCode).toBe(403);
    expect(swept.json()).toMatchObject({ type: REFUSED_PROBLEM_TYPE, errors: [{ message: 'sweep' }] });
    // The refusal's words are the reader's; its reasons stay codes (the web and clients switch on them).
    expect(swept.json()).toMatchObject({ title: '核验被拒绝', detail: '核验被拒绝，所有事项均未核验；各事项被拒绝的原因逐项列出。', code: 'sb.refused' });
    expect(swept.body).not.toContain(inactiveAccount.number);
    // Asking again what was answered is not a sweep.
    expect(await results('BA-6', inactiveAccount.person, inactiveAccount.number)).toBe('no_match');
    const malformed = await verify(city.cookies.medsec, { caseType: 'maternity_claim', caseId: 'BA-7', subject: account.person, claims: [claim('12ab')] });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors).toEqual([{ field: '/body/claims/0/params', message: '社保卡金融账号（account）须为 12–30 位数字的账号', code: 'sb.param.account' }]);
  });

  it('verifies a batch of cases set-based, each claim as the records say', async () => {
    // More than 200 claims of a kind: the batch path (an analysed temporary table) is taken.
    const subjects = [...city.facts.periods.keys()].slice(0, 230);
    expect(subjects.length).toBe(230);
    const withNobody = [...subjects, NOBODY];
    for (const s of withNobody) await consent(s, 'school_admission.sm', ['si.months_insured', 'residence_permit.held_since']);
    const window = { from: '2023-01', to: '2026-06' };
    const items = withNobody.map((subject, i) => ({
      caseId: `B-${i}`,
      subject,
      claims: [
        { template: 'si.months_insured', params: { months: 24, ...window } },
        { template: 'residence_permit.held_since', params: { since: '2024-01-01' } },
      ],
    }));
    const res = await city.inject({ method: 'POST', url: '/api/sandbox/verifications/batch', headers: { cookie: city.cookies.edu }, payload: { caseType: 'school_admission.sm', items } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ caseType: 'school_admission.sm', answered: items.length, refused: 0, claims: items.length * 2 });
    const permits = new Set(
      (
        await sql<{ person: string }>`select person_id as person from dcr_population__residence_permit
          where _valid_to is null and not _deleted and status = 'valid' and first_issued_on <= '2024-01-01' and expires_on >= ${today()}::date`.execute(city.ludao.ctx.db)
      ).rows.map((r) => r.person),
    );
    const known = new Set(city.facts.people);
    let matches = 0;
    for (const [i, item] of body.items.entries()) {
      const subject = withNobody[i]!;
      const months = known.has(subject) ? (monthsInWindow(city.facts.periods.get(subject) ?? [], window.from, window.to) >= 24 ? 'match' : 'no_match') : 'unverifiable';
      const permit = known.has(subject) ? (permits.has(subject) ? 'match' : 'no_match') : 'unverifiable';
      expect(item, subject).toMatchObject({ caseId: `B-${i}`, status: 'answered', results: [{ result: months }, { result: permit }] });
      if (months === 'match') matches += 1;
    }
    expect(matches).toBeGreaterThan(0);
    expect(matches).toBeLessThan(subjects.length);
  });

  it('shows every verification in the citizen’s "who used my data", the spouse’s included', async () => {
    const { ctx } = city.ludao;
    const { createIdentityService, DEMO_PASSWORD } = await import('../identity');
    const { PLATFORM_PRINCIPAL } = await import('../../platform/access');
    const { signIn } = await import('../../../test/support/test-ludao');
    const identity = createIdentityService(ctx);
    await identity.createUser(PLATFORM_PRINCIPAL, { username: 'wife.one', displayName: '测试妻子', password: DEMO_PASSWORD, kind: 'citizen', roles: ['citizen'], personIdNumber: city.facts.marriage.wife });
    await identity.createUser(PLATFORM_PRINCIPAL, { username: 'husband.one', displayName: '测试丈夫', password: DEMO_PASSWORD, kind: 'citizen', roles: ['citizen'], personIdNumber: city.facts.marriage.husband });
    const wife = await signIn(city.ludao, 'wife.one', DEMO_PASSWORD);
    const husband = await signIn(city.ludao, 'husband.one', DEMO_PASSWORD);
    const uses = (await city.inject({ method: 'GET', url: '/api/me/data-uses', headers: { cookie: wife } })).json();
    expect(uses.find((u: { resource: string }) => u.resource === 'civil_affairs.marriage')).toMatchObject({
      department: 'xm.medsec',
      provider: 'xm.ca',
      purpose: '生育保险待遇申领核验',
      caseId: 'T-0',
      outcome: 'ok',
    });
    // A verification over two registries logs its claims, which the citizen reads by name.
    await consent(city.facts.marriage.wife, 'maternity_claim', ['marriage.married_to', 'birth.parent_of_child']);
    const both = [
      { template: 'marriage.married_to', params: { spouse: city.facts.marriage.husband } },
      { template: 'birth.parent_of_child', params: { child: city.facts.birth.child } },
    ];
    expect((await verify(city.cookies.medsec, { caseType: 'maternity_claim', caseId: 'T-TWO', subject: city.facts.marriage.wife, claims: both })).statusCode).toBe(200);
    const two = (await city.inject({ method: 'GET', url: '/api/me/data-uses', headers: { cookie: wife } })).json().find((u: { caseId: string }) => u.caseId === 'T-TWO');
    expect(two).toMatchObject({ resource: null, fields: ['marriage.married_to', 'birth.parent_of_child'] });
    expect(two.fieldLabels).toEqual([
      { name: 'marriage.married_to', zh: '与某人登记结婚', en: expect.stringMatching(/^Registered marriage/) },
      { name: 'birth.parent_of_child', zh: expect.stringMatching(/出生医学证明/), en: expect.any(String) },
    ]);
    const spouseUses = (await city.inject({ method: 'GET', url: '/api/me/data-uses', headers: { cookie: husband } })).json();
    expect(spouseUses.some((u: { caseId: string }) => u.caseId === 'T-0')).toBe(true);
    const mine = (await city.inject({ method: 'GET', url: '/api/sandbox/my-verifications', headers: { cookie: wife } })).json();
    expect(mine.find((v: { caseId: string }) => v.caseId === 'T-0')).toMatchObject({ template: 'marriage.married_to', result: 'match', department: 'xm.medsec', departmentName: { zh: '厦门市医疗保障局' }, templateName: { zh: '与某人登记结婚' } });
  });

  it('counts applicants per street for planning: ≤ 7 withheld, others rounded to 5', async () => {
    const payload = { caseType: 'school_admission.sm', template: 'si.months_insured', params: { months: 36, from: '2023-07', to: '2026-06' }, groupBy: 'street' };
    expect((await city.inject({ method: 'POST', url: '/api/sandbox/aggregates', headers: { cookie: city.cookies.medsec }, payload })).statusCode).toBe(403);
    const res = await city.inject({ method: 'POST', url: '/api/sandbox/aggregates', headers: { cookie: city.cookies.edu }, payload });
    expect(res.statusCode, res.body).toBe(200);
    const { groups } = res.json();
    const raw = (
      await sql<{ street: string | null; n: number }>`select p.residence_street_code as street, count(*)::int as n
        from (select distinct subject from sb_case where case_type = 'school_admission.sm') s
        left join dcr_population__person p on p.id = s.subject and p._valid_to is null group by 1`.execute(city.ludao.ctx.db)
    ).rows;
    expect(groups).toHaveLength(raw.length);
    for (const r of raw) {
      const g = groups.find((x: { group: string | null }) => x.group === r.street);
      expect(g.applicants, String(r.street)).toBe(r.n <= 7 ? null : Math.round(r.n / 5) * 5);
      if (g.matched !== null) expect(g.matched % 5).toBe(0);
    }
    expect(raw.length).toBeGreaterThan(0);
    const aboutSomeone = { caseType: 'maternity_claim', template: 'marriage.married_to', params: { spouse: city.facts.marriage.husband }, groupBy: 'district' };
    const medsecAdmin = await city.inject({ method: 'POST', url: '/api/sandbox/aggregates', headers: { cookie: city.cookies.medsec }, payload: aboutSomeone });
    expect(medsecAdmin.statusCode).toBe(403);
    expect(medsecAdmin.json()).toMatchObject({ detail: 'marriage.married_to 的参数指向具体个人，不能用于统计', code: 'sb.namesPerson' });
    const medsecAdminEn = await city.inject({ method: 'POST', url: '/api/sandbox/aggregates', headers: { cookie: city.cookies.medsec, 'accept-language': 'en' }, payload: aboutSomeone });
    expect(medsecAdminEn.json().detail).toMatch(/names a person/);
    expect([5, 7, 8, 12, 13, 100].map(controlCount)).toEqual([null, null, 10, 10, 15, 100]);
  });

  it('lets an operator rotate the receipt key, audited; receipts signed before still check against the published keys', async () => {
    const f = city.facts;
    await consent(f.marriage.wife, 'maternity_claim', ['marriage.married_to']);
    const claim = { template: 'marriage.married_to', params: { spouse: f.marriage.husband } };
    const before = (await verify(city.cookies.medsec, { caseType: 'maternity_claim', caseId: 'ROT-1', subject: f.marriage.wife, claims: [claim] })).json().receipt as Receipt;
    expect((await city.inject({ method: 'POST', url: '/api/sandbox/receipt-keys', headers: { cookie: city.cookies.medsec } })).statusCode).toBe(403);
    const rotated = await city.inject({ method: 'POST', url: '/api/sandbox/receipt-keys', headers: { cookie: city.cookies.operator } });
    expect(rotated.statusCode, rotated.body).toBe(201);
    const key = rotated.json() as { keyId: string; retiredAt: string | null };
    expect(key).toMatchObject({ algorithm: 'Ed25519', retiredAt: null });
    expect(key.keyId).not.toBe(before.keyId);
    const after = (await verify(city.cookies.medsec, { caseType: 'maternity_claim', caseId: 'ROT-2', subject: f.marriage.wife, claims: [claim] })).json().receipt as Receipt;
    expect(after.keyId).toBe(key.keyId);
    const published = (await city.inject({ method: 'GET', url: '/api/sandbox/receipt-keys' })).body;
    expect(JSON.parse(published).keys.find((k: { keyId: string }) => k.keyId === before.keyId).retiredAt).not.toBeNull();
    for (const receipt of [before, after]) expect(checkReceipt(JSON.stringify(receipt), published).ok).toBe(true);
    await city.ludao.ctx.audit.chainPending();
    const audited = await sql<{ subject_id: string }>`select subject_id from audit_entry where action = 'sandbox.receipt_key.rotate'`.execute(city.ludao.ctx.db);
    expect(audited.rows.map((r) => r.subject_id)).toEqual([key.keyId]);
  });
});
