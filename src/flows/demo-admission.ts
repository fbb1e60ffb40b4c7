import { sql } from 'kysely';
import { chinaDay } from '../platform/china-time';
import type { Ludao } from '../app';
import type { RulesBody } from '../modules/admission';
import { createIdentityService, DEMO_PASSWORD } from '../modules/identity';
import { PLATFORM_PRINCIPAL } from '../platform/access';
import { demoSignIn } from './demo-support';

/** Demo parents' accounts are `parent.001`, `parent.002`, … (password: the demo password). */
export const DEMO_PARENT_PREFIX = 'parent.';

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The demo round's rules: what Siming's bureau scores, as data (the same shape the rule editor sends). */
export function demoAdmissionRules(year: number): RulesBody {
  return {
    claims: [
      { template: 'birth.parent_of_child', points: 0, required: true },
      { template: 'si.months_insured', points: 30, params: { months: 12, from: `${year - 2}-01`, to: `${year}-06` } },
      { template: 'housing.owns_residence_in_district', points: 40, params: { district: '350203' } },
      { template: 'employment.employed_by_since', points: 20 },
      { template: 'residence_permit.held_since', points: 10 },
    ],
    tieBreaks: ['points:si.months_insured', 'earlier_application'],
    zones: [
      { code: 'SM-01', name: '思明第一实验小学学区', places: 8 },
      { code: 'SM-02', name: '演武小学学区', places: 10 },
      { code: 'SM-03', name: '槟榔小学学区', places: 6 },
    ],
  };
}

/**
 * Gives the demo city an open round of Siming's points-based school admission, through the
 * same HTTP API the bureau and parents use: `edu.admin` creates the year's round with its
 * rules and zones and opens it; up to `parents` parents of school-age children (from the
 * birth certificates) get a citizen account (`parent.NNN`) and apply, declaring their
 * employer and residence permit as the records have them (a few declare a wrong date), with
 * consent — so `edu.handler` has a batch to verify. The demo `citizen` applies too when their
 * person has a child. Does nothing when a round exists.
 *
 * @example
 * await seedDemoAdmission(ludao);
 */
export async function seedDemoAdmission(ludao: Pick<Ludao, 'app' | 'ctx'>, options: { parents?: number } = {}): Promise<number> {
  const { app, ctx } = ludao;
  const { rows: existing } = await sql<{ n: number }>`select count(*)::int as n from adm_round`.execute(ctx.db);
  if (existing[0]!.n > 0) return 0;
  const today = chinaDay();
  const year = Number(today.slice(0, 4));
  // Parents of children of school age (five and older), youngest children first: one account
  // per mother (her youngest such child), none for a person who already has one. Which children
  // are five moves with the date, so a mother of two can come into the list any day.
  const { rows: families } = await sql<{ child: string; parent: string }>`select child, parent from (
      select distinct on (mother_id) child_id as child, mother_id as parent, birth_date, _key from dcr_health__birth_certificate
      where _valid_to is null and not _deleted and birth_date <= ${addDays(today, -5 * 365)}::date
        and not exists (select 1 from app_user u where u.person_id_number = mother_id)
      order by mother_id, birth_date desc, _key) youngest
    order by birth_date desc, _key limit ${options.parents ?? 36}`.execute(ctx.db);
  if (families.length === 0) return 0;

  const login = (username: string) => demoSignIn(app, username);
  const expect2xx = (res: { statusCode: number; body: string }, what: string) => {
    if (res.statusCode >= 300) throw new Error(`demo admission: ${what} failed (${res.statusCode}): ${res.body}`);
    return JSON.parse(res.body) as { id: string };
  };
  const admin = await login('edu.admin');
  const round = expect2xx(
    await app.inject({ method: 'POST', url: '/api/admission/rounds', headers: { cookie: admin }, payload: { caseType: 'school_admission.sm', year, name: `${year}年思明区义务教育积分入学`, applyFrom: addDays(today, -7), applyUntil: addDays(today, 30) } }),
    'creating the round',
  );
  expect2xx(await app.inject({ method: 'PUT', url: `/api/admission/rounds/${round.id}/rules`, headers: { cookie: admin }, payload: demoAdmissionRules(year) }), 'setting the rules');
  expect2xx(await app.inject({ method: 'POST', url: `/api/admission/rounds/${round.id}/open`, headers: { cookie: admin } }), 'opening the round');

  const identity = createIdentityService(ctx);
  const zones = demoAdmissionRules(year).zones.map((z) => z.code);
  const apply = async (cookie: string, parent: string, child: string, n: number) => {
    const job = (await sql<{ employer: string; since: string }>`select employer_credit_code as employer, to_char(start_date, 'YYYY-MM-DD') as since from dcr_social_security__employment
      where _valid_to is null and not _deleted and _subject = ${parent} and end_date is null order by start_date limit 1`.execute(ctx.db)).rows[0];
    const permit = (await sql<{ since: string }>`select to_char(first_issued_on, 'YYYY-MM-DD') as since from dcr_population__residence_permit
      where _valid_to is null and not _deleted and _subject = ${parent} order by first_issued_on limit 1`.execute(ctx.db)).rows[0];
    const declared: Record<string, Record<string, string>> = { 'si.months_insured': {}, 'housing.owns_residence_in_district': {} };
    // Every seventh parent remembers their start a year too early (the check says no_match).
    if (job) declared['employment.employed_by_since'] = { creditCode: job.employer, since: n % 7 === 3 ? addDays(job.since, -365) : job.since };
    if (permit) declared['residence_permit.held_since'] = { since: permit.since };
    const res = await app.inject({ method: 'POST', url: '/api/admission/applications', headers: { cookie }, payload: { roundId: round.id, child, zone: zones[n % zones.length], declared, consent: true } });
    return res.statusCode === 201;
  };
  let applied = 0;
  for (const [i, f] of families.entries()) {
    const username = `${DEMO_PARENT_PREFIX}${String(i + 1).padStart(3, '0')}`;
    await identity.createUser(PLATFORM_PRINCIPAL, { username, displayName: `家长${i + 1}`, password: DEMO_PASSWORD, kind: 'citizen', orgCode: null, roles: ['citizen'], personIdNumber: f.parent });
    if (await apply(await login(username), f.parent, f.child, i)) applied += 1;
  }
  // The demo citizen, when their person has a child of school age who has not applied yet.
  const citizen = (await sql<{ child: string; parent: string }>`select b.child_id as child, u.person_id_number as parent from app_user u
    join dcr_health__birth_certificate b on b._valid_to is null and not b._deleted and (b.mother_id = u.person_id_number or b.father_id = u.person_id_number)
    where u.username = 'citizen' and b.birth_date <= ${addDays(today, -5 * 365)}::date order by b.birth_date desc limit 1`.execute(ctx.db)).rows[0];
  if (citizen && !families.some((f) => f.child === citizen.child) && (await apply(await login('citizen'), citizen.parent, citizen.child, applied))) applied += 1;
  return applied;
}
