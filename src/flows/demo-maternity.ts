import { sql, type Kysely } from 'kysely';
import { chinaDay } from '../platform/china-time';
import type { Ludao } from '../app';
import type { Claim, Rules } from '../modules/maternity';
import { createIdentityService, DEMO_PASSWORD } from '../modules/identity';
import { PLATFORM_PRINCIPAL } from '../platform/access';
import { demoSignIn } from './demo-support';

/** Demo mothers' accounts are `mother.001`, `mother.002`, … (password: the demo password). */
const DEMO_MOTHER_PREFIX = 'mother.';

/** A family of the demo city whose maternity claim matches every check. */
export interface DemoFamily {
  parent: string;
  spouse: string;
  child: string;
  account: string;
  born: string;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
// 'YYYY-MM' (or a date) as a month number, as the sandbox counts months.
const monthNumber = (expr: ReturnType<typeof sql>) => sql`(substr(${expr}, 1, 4)::int * 12 + substr(${expr}, 6, 2)::int)`;

/**
 * Mothers of a child born in the demo city's last year (its births end at the city's as-of
 * date) who are married, insured at least 12 of the 12 months before the birth month, and
 * hold an active social-security card account: their claims match every check. Newest births
 * first. Read straight from the demo city's records (flows span modules; this is demo data).
 *
 * @example
 * const [family] = await findDemoFamilies(ctx.db, 1);
 */
export async function findDemoFamilies(db: Kysely<object>, limit: number): Promise<DemoFamily[]> {
  const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
    where table_name in ('dcr_health__birth_certificate', 'dcr_civil_affairs__marriage', 'dcr_social_security__bank_account', 'dcr_social_security__contribution_period')`.execute(db);
  if (tables.rows[0]!.n < 4) return [];
  // Months insured are summed per recent birth in one grouped join: a subquery per birth
  // scanned the contribution periods once for each of them (minutes on a 20,000-person city).
  const birthMonth = monthNumber(sql`to_char(r.birth_date, 'YYYY-MM')`);
  const { rows } = await sql<DemoFamily>`with last_birth as (select max(birth_date) as day from dcr_health__birth_certificate where _valid_to is null and not _deleted),
    recent as materialized (select b._key, b.mother_id, b.child_id, b.birth_date from dcr_health__birth_certificate b cross join last_birth
      where b._valid_to is null and not b._deleted and b.birth_date > last_birth.day - 365),
    insured as (select r._key, sum(greatest(0, least(${monthNumber(sql`s.last_month`)}, ${birthMonth} - 1) - greatest(${monthNumber(sql`s.first_month`)}, ${birthMonth} - 12) + 1)) as months
      from recent r join dcr_social_security__contribution_period s on s.person_id = r.mother_id and s._valid_to is null and not s._deleted
      group by r._key)
    select b.mother_id as parent, m.husband_id as spouse, b.child_id as child, a.account_number as account, to_char(b.birth_date, 'YYYY-MM-DD') as born
    from recent b
    join insured i on i._key = b._key and i.months >= 12
    join dcr_civil_affairs__marriage m on m.wife_id = b.mother_id and m.status = 'married' and m._valid_to is null and not m._deleted
    join dcr_social_security__bank_account a on a.person_id = b.mother_id and a.status = 'active' and a._valid_to is null and not a._deleted
    order by b.birth_date desc, b._key limit ${limit}`.execute(db);
  return rows;
}

/**
 * Gives the demo city maternity claims, through the API the bureau and parents use:
 * `medsec.admin` sets the rules (the claim period reaching back to the demo city's births,
 * which end at its as-of date), and three mothers (`mother.001`…) file: one declares a spouse
 * who is not hers and one a wrong account (both wait in `medsec.handler`'s queue), one matches
 * and is approved at once. The demo `citizen` (linked by the demo exchange to the first
 * family of {@link findDemoFamilies}) is left to file their own. Does nothing when claims exist.
 *
 * @example
 * await seedDemoMaternity(ludao); // 3
 */
export async function seedDemoMaternity(ludao: Pick<Ludao, 'app' | 'ctx'>): Promise<number> {
  const { app, ctx } = ludao;
  const { rows: existing } = await sql<{ n: number }>`select count(*)::int as n from mt_claim`.execute(ctx.db);
  if (existing[0]!.n > 0) return 0;
  const families = await findDemoFamilies(ctx.db, 4);
  if (families.length < 2) return 0;
  const ok = <T>(res: { statusCode: number; body: string }, what: string): T => {
    if (res.statusCode >= 300) throw new Error(`demo maternity: ${what} failed (${res.statusCode}): ${res.body}`);
    return JSON.parse(res.body) as T;
  };
  const admin = await demoSignIn(app, 'medsec.admin');
  const { rules } = ok<{ rules: Rules }>(await app.inject({ method: 'GET', url: '/api/maternity/checks', headers: { cookie: admin } }), 'reading the rules');
  const oldest = families.reduce((day, f) => (f.born < day ? f.born : day), families[0]!.born);
  const claimWithinDays = Math.min(3650, Math.max(rules.claimWithinDays, daysBetween(oldest, chinaDay()) + 400));
  const { version: _version, formula: _formula, ...current } = rules;
  ok(await app.inject({ method: 'PUT', url: '/api/maternity/rules', headers: { cookie: admin }, payload: { ...current, claimWithinDays } }), 'setting the rules');

  const identity = createIdentityService(ctx);
  const others = families.slice(1);
  let filed = 0;
  for (const [i, f] of others.entries()) {
    const username = `${DEMO_MOTHER_PREFIX}${String(i + 1).padStart(3, '0')}`;
    await identity.createUser(PLATFORM_PRINCIPAL, { username, displayName: `妈妈${i + 1}`, password: DEMO_PASSWORD, kind: 'citizen', orgCode: null, roles: ['citizen'], personIdNumber: f.parent });
    const cookie = await demoSignIn(app, username);
    // The first declares another family's husband; the second a card number that is not hers.
    const spouse = i === 0 ? families[0]!.spouse : f.spouse;
    const account = i === 1 ? `629999${f.account.slice(6, 12)}0000000` : f.account;
    ok<Claim>(await app.inject({ method: 'POST', url: '/api/maternity/claims', headers: { cookie }, payload: { spouse, child: f.child, account, difficultBirth: i === 2, babies: 1, consent: true } }), `filing for ${username}`);
    filed += 1;
  }
  return filed;
}
