/**
 * bench/sandbox — one batch of verifications through the sandbox (issue 5, "Performance").
 *
 * On one PostgreSQL database holding a synthetic city (the generator; the registries the
 * predicates read, loaded through the data centre like `ludao demo --load`), N applicants
 * (parents with a birth certificate) consent to `school_admission.sm` (their consents are
 * inserted directly: setup, not measured); then, in one run:
 *   full: ONE `verifyBatch` of N cases × 5 claims through the real SandboxService, in this
 *         process (no HTTP: the figure is the service's) — guards, set-based evaluation,
 *         receipts, every attempt stored with its audit entry, one call per case in the
 *         exchange's call log before the answer;
 *   bare: the same five predicates as plain SQL written by hand over the same record tables
 *         (the claims shipped into a typed temporary table, one query per predicate), with no
 *         guards and no evidence.
 * It prints both times, claims/s, the ratio and the service's split by phase, and fails
 * loudly unless every claim's result is the same both ways.
 *
 * Usage: npm run bench:sandbox [-- --people 1000000 --cases 50000 --keep 1]
 * With --keep 1 the database (`ludao_bench_sb_<people>`) is kept and reused: the city is
 * loaded once; each run starts from an empty sandbox history (its tables are emptied).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createLudao } from '../../src/app';
import { loadDemoCity } from '../../src/flows/demo-city';
import { DEMO_PASSWORD } from '../../src/modules/identity';
import { CITY_DISTRICTS, SANDBOX_PHASES_CHANNEL, SANDBOX_SERVICE, type SandboxPhases } from '../../src/modules/sandbox';
import { loadConfig } from '../../src/platform/config';
import { openDatabase } from '../../src/platform/db/database';
import { benchArgs, createBenchDatabase } from '../support/bench-support';

const args = benchArgs();
const PEOPLE = Number(args.get('people') ?? 1_000_000);
const CASES = Number(args.get('cases') ?? 50_000);
const KEEP = args.get('keep') !== undefined;
const SEED = 'bench-sandbox';
const CASE_TYPE = 'school_admission.sm';
const GOAL_SECONDS = 60;
// The registries the five predicates (and the choice of applicants) read; the others are not loaded.
const CITY_RESOURCES = [
  'population.person',
  'legal_person.entity',
  'social_security.contribution_period',
  'social_security.employment',
  'housing.property_ownership',
  'spatial.unit',
  'spatial.estate',
  'population.residence_permit',
  'health.birth_certificate',
];
const TEMPLATES = ['si.months_insured', 'housing.owns_residence_in_district', 'employment.employed_by_since', 'residence_permit.held_since', 'birth.parent_of_child'] as const;
type Result = 'match' | 'no_match' | 'unverifiable';

/** An applicant and what the registries say about them (read once, to make claims that often hold). */
interface Applicant {
  id: string;
  child: string;
  district: string | null;
  employer: string | null;
  jobSince: string | null;
  permitSince: string | null;
}

/** One case's five claims, in TEMPLATES order. */
interface BenchCase {
  caseId: string;
  subject: string;
  months: { months: number; from: string; to: string };
  district: string;
  job: { creditCode: string; since: string };
  permitSince: string;
  child: string;
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-bench-sb-'));
const benchDb = await createBenchDatabase(`ludao_bench_sb_${PEOPLE}`, { keep: KEEP });
const database = await openDatabase({ url: benchDb.url }, { poolSize: 8 });
try {
  const db = database.db;
  const version = (await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]!.server_version;
  console.log(`bench/sandbox on ${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${version}; ${PEOPLE.toLocaleString()} people, ${CASES.toLocaleString()} cases × 5 claims`);
  const config = { ...loadConfig({ NODE_ENV: 'production', LUDAO_DEMO_PEOPLE: '0', LUDAO_DATA_DIR: work }), host: '127.0.0.1', port: 0, logLevel: 'warn' };
  let t0 = performance.now();
  const ludao = await createLudao(config, { database });
  console.log(`Ludao started in ${seconds(t0).toFixed(1)} s`);

  // The city, loaded once per kept database (a marker row says it is complete).
  await sql`create table if not exists bench_sandbox_city (people int not null, seed text not null)`.execute(db);
  const loaded = (await sql<{ n: number }>`select count(*)::int as n from bench_sandbox_city where people = ${PEOPLE} and seed = ${SEED}`.execute(db)).rows[0]!.n > 0;
  if (loaded) console.log(`city of ${PEOPLE.toLocaleString()} people reused from the kept database ${new URL(benchDb.url).pathname.slice(1)}`);
  else {
    t0 = performance.now();
    await loadDemoCity(ludao.ctx, { people: PEOPLE, seed: SEED, dir: path.join(work, 'city'), only: CITY_RESOURCES });
    await sql`insert into bench_sandbox_city values (${PEOPLE}, ${SEED})`.execute(db);
    await sql`analyze`.execute(db);
    console.log(`city of ${PEOPLE.toLocaleString()} people loaded in ${seconds(t0).toFixed(1)} s`);
    fs.rmSync(path.join(work, 'city'), { recursive: true, force: true });
  }

  // Each run starts from an empty sandbox history (a kept database has the last run's).
  t0 = performance.now();
  await sql`truncate sb_verification, sb_receipt, sb_case, sb_consent`.execute(db);
  const applicants = await pickApplicants(db, CASES);
  if (applicants.length < CASES) throw new Error(`the city has only ${applicants.length} parents with a birth certificate; use more --people or fewer --cases`);
  const employers = (await sql<{ code: string }>`select credit_code as code from dcr_legal_person__entity where _valid_to is null and not _deleted order by _key limit 50`.execute(db)).rows.map((r) => r.code);
  const cases = makeCases(applicants, employers);
  await sql`insert into sb_consent (id, subject, case_type, templates, valid_until, created_by)
    select 'SC-bench-' || n, subject, ${CASE_TYPE}, ${[...TEMPLATES]}::text[], now() + interval '30 days', 'bench'
    from unnest(${cases.map((c) => c.subject)}::text[]) with ordinality as s(subject, n)`.execute(db);
  await sql`analyze sb_consent`.execute(db);
  console.log(`${CASES.toLocaleString()} applicants picked, their claims made and consents given in ${seconds(t0).toFixed(1)} s`);

  const service = ludao.ctx.provisions.use(SANDBOX_SERVICE);
  const cookie = await signInCookie(ludao, 'edu.handler');
  const handler = await ludao.app.principalResolver.current!.fromSessionToken(cookie);
  if (!handler) throw new Error('could not resolve edu.handler');
  const items = cases.map((c) => ({
    caseId: c.caseId,
    subject: c.subject,
    claims: [
      { template: TEMPLATES[0], params: c.months },
      { template: TEMPLATES[1], params: { district: c.district } },
      { template: TEMPLATES[2], params: c.job },
      { template: TEMPLATES[3], params: { since: c.permitSince } },
      { template: TEMPLATES[4], params: { child: c.child } },
    ] as { template: string; params: Record<string, string | number> }[],
  }));

  // Both read the same records: one untimed bare pass first, so neither pays for a cold cache.
  await bareResults(db, cases);

  // Full: one batch through the service; its phases come on a diagnostics channel.
  let phases: SandboxPhases | undefined;
  const onPhases = (message: unknown) => (phases = message as SandboxPhases);
  subscribe(SANDBOX_PHASES_CHANNEL, onPhases);
  const loadBefore = os.loadavg()[0]!;
  t0 = performance.now();
  const batch = await service.verifyBatch(handler, { caseType: CASE_TYPE, items });
  const fullSeconds = seconds(t0);
  unsubscribe(SANDBOX_PHASES_CHANNEL, onPhases);

  // Bare: the same predicates by hand, on the same tables, no guards, no evidence.
  t0 = performance.now();
  const bare = await bareResults(db, cases);
  const bareSeconds = seconds(t0);

  // Correctness: every claim the same both ways, and nothing refused.
  if (batch.refused > 0) throw new Error(`BENCH FAILED: ${batch.refused} cases were refused (${JSON.stringify(batch.items.find((i) => i.status === 'refused'))})`);
  const tally: Record<Result, number> = { match: 0, no_match: 0, unverifiable: 0 };
  const mismatches: string[] = [];
  batch.items.forEach((item, i) => {
    if (item.status !== 'answered' || !item.results) return;
    item.results.forEach((r, j) => {
      tally[r.result] += 1;
      const expected = bare.get(i * 5 + j);
      if (r.template !== TEMPLATES[j] || r.result !== expected) mismatches.push(`${item.caseId} ${TEMPLATES[j]}: service ${r.result}, bare SQL ${expected}`);
    });
  });
  if (mismatches.length > 0) throw new Error(`BENCH FAILED: ${mismatches.length} claims differ from the bare SQL, e.g.\n  ${mismatches.slice(0, 5).join('\n  ')}`);
  const stored = (await sql<{ n: number }>`select count(*)::int as n from sb_verification where batch_id = ${batch.batchId}`.execute(db)).rows[0]!.n;
  const logged = (await sql<{ n: number }>`select count(*)::int as n from xc_call where operation = 'verify' and id like ${`SV-${batch.batchId.slice(3)}-%`}`.execute(db)).rows[0]!.n;
  if (stored !== batch.claims || logged !== CASES) throw new Error(`BENCH FAILED: ${stored} attempts stored for ${batch.claims} claims, ${logged} calls logged for ${CASES} cases`);

  const claims = batch.claims;
  const per = (n: number, s: number) => Math.round(n / s).toLocaleString();
  console.log(`results: ${tally.match.toLocaleString()} match, ${tally.no_match.toLocaleString()} no_match, ${tally.unverifiable.toLocaleString()} unverifiable — all ${claims.toLocaleString()} equal to the bare SQL's`);
  console.log(`bare SQL, 5 queries (no guards, no evidence)  ${bareSeconds.toFixed(1).padStart(6)} s   ${per(claims, bareSeconds).padStart(9)} claims/s`);
  console.log(`sandbox verifyBatch (in process)              ${fullSeconds.toFixed(1).padStart(6)} s   ${per(claims, fullSeconds).padStart(9)} claims/s   = ${((100 * bareSeconds) / fullSeconds).toFixed(0)}% of bare (${(fullSeconds / bareSeconds).toFixed(1)}× its time)`);
  if (phases) {
    const p = phases;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`  phases: validation ${s(p.validation)}, guards ${s(p.guards)}, evaluation ${s(p.evaluation)}, rows ${s(p.rows)}, signing and storing ${s(p.storing)}, call log ${s(p.callLog)}`);
  }
  console.log(`machine load (1-minute average, ${os.cpus().length} cores) before the batch ${loadBefore.toFixed(1)}, after the bare SQL ${os.loadavg()[0]!.toFixed(1)}: others' work shares the cores`);
  console.log(`goal: ${CASES.toLocaleString()} × 5 under ${GOAL_SECONDS} s — ${fullSeconds < GOAL_SECONDS ? 'met' : 'NOT met'}${PEOPLE < 1_000_000 || CASES < 50_000 ? ' (at this size; the goal is 1 M people, 50,000 cases)' : ''}`);
  await ludao.close();
} finally {
  await database.close();
  if (!KEEP) await benchDb.drop();
  fs.rmSync(work, { recursive: true, force: true });
}

// Parents with a birth certificate, a deterministic sample, with what the registries hold
// about them (current records only): one child, an owned residence's district, a current job,
// a valid residence permit.
async function pickApplicants(db: Kysely<object>, n: number): Promise<Applicant[]> {
  const { rows } = await sql<Applicant>`
    with parents as (
      select parent as id, min(child) as child from (
        select mother_id as parent, child_id as child from dcr_health__birth_certificate where _valid_to is null and not _deleted and mother_id is not null
        union all
        select father_id, child_id from dcr_health__birth_certificate where _valid_to is null and not _deleted and father_id is not null) b
      group by parent),
    picked as (select * from parents order by md5(id || ${SEED}) limit ${n})
    select p.id, p.child,
      (select e.district_code from dcr_housing__property_ownership o
         join dcr_spatial__unit u on u._key = o.unit_code and u._valid_to is null and not u._deleted
         join dcr_spatial__estate e on e._key = u.estate_code and e._valid_to is null and not e._deleted
       where o._subject = p.id and o._valid_to is null and not o._deleted and o.owner_kind = 'person' order by o._key limit 1) as district,
      j.employer_credit_code as employer, to_char(j.start_date, 'YYYY-MM-DD') as "jobSince",
      (select to_char(r.first_issued_on, 'YYYY-MM-DD') from dcr_population__residence_permit r
       where r._subject = p.id and r._valid_to is null and not r._deleted and r.status = 'valid' order by r._key limit 1) as "permitSince"
    from picked p
    left join lateral (select employer_credit_code, start_date from dcr_social_security__employment
      where _subject = p.id and _valid_to is null and not _deleted and end_date is null order by _key limit 1) j on true
    order by md5(p.id || ${SEED})`.execute(db);
  return rows;
}

// Claims a handler would get from applicants: mostly what the registries hold, some not
// (a wrong district, a start date too early, another child), so answers mix match and no_match.
function makeCases(applicants: readonly Applicant[], employers: readonly string[]): BenchCase[] {
  let state = 20_261_126;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const run = Date.now().toString(36);
  return applicants.map((a, i) => ({
    caseId: `BENCH-${run}-${String(i).padStart(6, '0')}`,
    subject: a.id,
    months: { months: 6 + Math.floor(random() * 60), from: '2021-01', to: '2025-12' },
    district: a.district && random() < 0.7 ? a.district : pick(CITY_DISTRICTS),
    job: a.employer && random() < 0.8 ? { creditCode: a.employer, since: shift(a.jobSince!, Math.floor(random() * 730) - 365) } : { creditCode: pick(employers), since: '2023-01-01' },
    permitSince: a.permitSince ? shift(a.permitSince, Math.floor(random() * 730) - 365) : '2024-01-01',
    child: random() < 0.85 ? a.child : applicants[(i + 1) % applicants.length]!.child,
  }));
}

// The five predicates as one would write them by hand: the claims shipped once into a typed
// temporary table, then one query per predicate over the current records (unverifiable when
// the applicant is not in the population registry or the provider holds no records).
async function bareResults(db: Kysely<object>, cases: readonly BenchCase[]): Promise<Map<number, Result>> {
  const out = new Map<number, Result>();
  await db.transaction().execute(async (trx) => {
    await sql`create temporary table bare_claims (n int primary key, subject text not null, months int, m_from int, m_to int, district text,
      credit_code text, job_since date, permit_since date, child text) on commit drop`.execute(trx);
    const col = <T>(pickValue: (c: BenchCase, i: number) => T) => cases.map(pickValue);
    const month = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
    await sql`insert into bare_claims select * from unnest(${col((_, i) => i)}::int[], ${col((c) => c.subject)}::text[], ${col((c) => c.months.months)}::int[],
      ${col((c) => month(c.months.from))}::int[], ${col((c) => month(c.months.to))}::int[], ${col((c) => c.district)}::text[], ${col((c) => c.job.creditCode)}::text[],
      ${col((c) => c.job.since)}::date[], ${col((c) => c.permitSince)}::date[], ${col((c) => c.child)}::text[])`.execute(trx);
    await sql`analyze bare_claims`.execute(trx);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const monthOf = (column: string) => sql.raw(`(substr(${column}, 1, 4)::int * 12 + substr(${column}, 6, 2)::int)`);
    const matched = [
      sql`select c.n from bare_claims c join dcr_social_security__contribution_period s on s._subject = c.subject and s._valid_to is null and not s._deleted
        group by c.n having sum(greatest(0, least(${monthOf('s.last_month')}, c.m_to) - greatest(${monthOf('s.first_month')}, c.m_from) + 1)) >= c.months`,
      sql`select c.n from bare_claims c
        join dcr_housing__property_ownership o on o._subject = c.subject and o._valid_to is null and not o._deleted and o.owner_kind = 'person'
        join dcr_spatial__unit u on u._key = o.unit_code and u._valid_to is null and not u._deleted and (u.use is null or u.use = 'residential')
        join dcr_spatial__estate e on e._key = u.estate_code and e._valid_to is null and not e._deleted and e.district_code = c.district`,
      sql`select c.n from bare_claims c join dcr_social_security__employment j on j._subject = c.subject and j._valid_to is null and not j._deleted
        where j.employer_credit_code = c.credit_code and j.start_date <= c.job_since and (j.end_date is null or j.end_date >= ${today}::date)`,
      sql`select c.n from bare_claims c join dcr_population__residence_permit r on r._subject = c.subject and r._valid_to is null and not r._deleted
        where r.first_issued_on <= c.permit_since and r.expires_on >= ${today}::date and r.status = 'valid'`,
      sql`select c.n from bare_claims c join dcr_health__birth_certificate b on b._subject = c.child and b._valid_to is null and not b._deleted
        where b.mother_id = c.subject or b.father_id = c.subject`,
    ];
    const primaries = ['dcr_social_security__contribution_period', 'dcr_housing__property_ownership', 'dcr_social_security__employment', 'dcr_population__residence_permit', 'dcr_health__birth_certificate'];
    for (const [j, query] of matched.entries()) {
      const { rows } = await sql<{ n: number; result: Result }>`select c.n, case
          when p._key is null or not exists (select 1 from ${sql.table(primaries[j]!)} x where x._valid_to is null and not x._deleted) then 'unverifiable'
          when m.n is not null then 'match' else 'no_match' end as result
        from bare_claims c
        left join dcr_population__person p on p._key = c.subject and p._valid_to is null and not p._deleted
        left join (select distinct n from (${query}) h) m on m.n = c.n`.execute(trx);
      for (const r of rows) out.set(r.n * 5 + j, r.result);
    }
  });
  return out;
}

async function signInCookie(ludao: { app: { inject: (o: object) => Promise<{ statusCode: number; cookies: { name: string; value: string }[] }> } }, username: string): Promise<string> {
  const res = await ludao.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'ludao_session');
  if (!cookie) throw new Error(`sign-in as ${username} failed (${res.statusCode})`);
  return cookie.value;
}
