import { sql, type Kysely, type Transaction } from 'kysely';
import type { RoundStatus, RulesBody } from './admission.contract';

/** Every query on the admission service's tables (adm_*). */

type AnyDb = Kysely<object> | Transaction<object>;

/** A round row. */
export interface RoundRow {
  id: string;
  org: string;
  case_type: string;
  year: number;
  name: string;
  apply_from: string;
  apply_until: string;
  ends_on: string;
  status: RoundStatus;
  rules_version: number;
  verified_rules_version: number | null;
  created_by: string;
  created_at: Date;
}

/** A rules version row. */
export interface RulesRow {
  round_id: string;
  version: number;
  body: RulesBody;
  created_by: string;
  created_at: Date;
}

/** One claim's stored outcome. */
export interface StoredResult {
  template: string;
  result: 'match' | 'no_match' | 'unverifiable';
  points: number;
}

/** An application row. */
export interface ApplicationRow {
  id: string;
  round_id: string;
  parent: string;
  user_id: string;
  child: string;
  zone: string;
  declared: Record<string, Record<string, string | number>>;
  consent_id: string;
  status: 'submitted' | 'withdrawn' | 'verified' | 'refused';
  submitted_at: Date;
  withdrawn_at: Date | null;
  verified_at: Date | null;
  batch_id: string | null;
  results: StoredResult[] | null;
  refusals: { template: string; reason: string }[] | null;
  eligible: boolean | null;
  points: number | null;
  rank: number | null;
  admitted: boolean | null;
}

const ROUND_COLUMNS = sql`id, org, case_type, year, name, to_char(apply_from, 'YYYY-MM-DD') as apply_from, to_char(apply_until, 'YYYY-MM-DD') as apply_until,
  to_char(ends_on, 'YYYY-MM-DD') as ends_on, status, rules_version, verified_rules_version, created_by, created_at`;

/** Stores a new round; false when the org has a round of that case type and year. */
export async function insertRound(db: AnyDb, r: Omit<RoundRow, 'created_at' | 'rules_version' | 'verified_rules_version' | 'status'>): Promise<boolean> {
  const res = await sql`insert into adm_round (id, org, case_type, year, name, apply_from, apply_until, ends_on, status, created_by)
    values (${r.id}, ${r.org}, ${r.case_type}, ${r.year}, ${r.name}, ${r.apply_from}::date, ${r.apply_until}::date, ${r.ends_on}::date, 'draft', ${r.created_by})
    on conflict (org, case_type, year) do nothing`.execute(db);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/** A round, or undefined. */
export async function findRound(db: AnyDb, id: string): Promise<RoundRow | undefined> {
  const res = await sql<RoundRow>`select ${ROUND_COLUMNS} from adm_round where id = ${id}`.execute(db);
  return res.rows[0];
}

/** Rounds of organisations within `org` (all when null), newest year first. */
export async function listRounds(db: AnyDb, filter: { org?: string | null; status?: readonly RoundStatus[] }): Promise<RoundRow[]> {
  const org = filter.org ?? null;
  const statuses = filter.status ? [...filter.status] : null;
  const res = await sql<RoundRow>`select ${ROUND_COLUMNS} from adm_round
    where (${org}::text is null or org = ${org} or org like ${`${org ?? ''}.%`})
      and (${statuses}::text[] is null or status = any(${statuses}::text[]))
    order by year desc, id`.execute(db);
  return res.rows;
}

/** Sets a round's status, from an expected one; false when it was not in that status. */
export async function setRoundStatus(db: AnyDb, id: string, from: readonly RoundStatus[], to: RoundStatus, extra: { verifiedRulesVersion?: number } = {}): Promise<boolean> {
  const res = await sql`update adm_round set status = ${to}, updated_at = now(),
      verified_rules_version = coalesce(${extra.verifiedRulesVersion ?? null}::int, verified_rules_version)
    where id = ${id} and status = any(${[...from]}::text[])`.execute(db);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/** Stores the next version of a round's rules and makes it current; returns the version. */
export async function insertRules(db: AnyDb, roundId: string, body: RulesBody, createdBy: string): Promise<number> {
  const res = await sql<{ version: number }>`update adm_round set rules_version = rules_version + 1, updated_at = now() where id = ${roundId} returning rules_version as version`.execute(db);
  const version = res.rows[0]!.version;
  await sql`insert into adm_rules (round_id, version, body, created_by) values (${roundId}, ${version}, ${JSON.stringify(body)}::jsonb, ${createdBy})`.execute(db);
  return version;
}

/** One version of a round's rules. */
export async function findRules(db: AnyDb, roundId: string, version: number): Promise<RulesRow | undefined> {
  const res = await sql<RulesRow>`select round_id, version, body, created_by, created_at from adm_rules where round_id = ${roundId} and version = ${version}`.execute(db);
  return res.rows[0];
}

/** Every version of a round's rules, newest first. */
export async function listRules(db: AnyDb, roundId: string): Promise<RulesRow[]> {
  const res = await sql<RulesRow>`select round_id, version, body, created_by, created_at from adm_rules where round_id = ${roundId} order by version desc`.execute(db);
  return res.rows;
}

/** Applications per status of a round. */
export async function countApplications(db: AnyDb, roundId: string): Promise<Record<string, number>> {
  const res = await sql<{ status: string; n: number }>`select status, count(*)::int as n from adm_application where round_id = ${roundId} group by status`.execute(db);
  return Object.fromEntries(res.rows.map((r) => [r.status, r.n]));
}

/** Stores an application; false when the child has a live application in the round. */
export async function insertApplication(db: AnyDb, a: Pick<ApplicationRow, 'id' | 'round_id' | 'parent' | 'user_id' | 'child' | 'zone' | 'declared' | 'consent_id'>): Promise<boolean> {
  const res = await sql`insert into adm_application (id, round_id, parent, user_id, child, zone, declared, consent_id, status)
    values (${a.id}, ${a.round_id}, ${a.parent}, ${a.user_id}, ${a.child}, ${a.zone}, ${JSON.stringify(a.declared)}::jsonb, ${a.consent_id}, 'submitted')
    on conflict do nothing`.execute(db);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/** True when the child has a live application in the round. */
export async function childHasApplication(db: AnyDb, roundId: string, child: string): Promise<boolean> {
  const res = await sql<{ n: number }>`select count(*)::int as n from adm_application where round_id = ${roundId} and child = ${child} and status <> 'withdrawn'`.execute(db);
  return res.rows[0]!.n > 0;
}

/** An application, or undefined. */
export async function findApplication(db: AnyDb, id: string): Promise<ApplicationRow | undefined> {
  const res = await sql<ApplicationRow>`select * from adm_application where id = ${id}`.execute(db);
  return res.rows[0];
}

/** A round's applications (optionally of some statuses), in the order they came in. */
export async function listApplications(db: AnyDb, roundId: string, statuses?: readonly ApplicationRow['status'][]): Promise<ApplicationRow[]> {
  const s = statuses ? [...statuses] : null;
  const res = await sql<ApplicationRow>`select * from adm_application where round_id = ${roundId}
    and (${s}::text[] is null or status = any(${s}::text[])) order by submitted_at, id`.execute(db);
  return res.rows;
}

/** A user's applications, newest first. */
export async function listUserApplications(db: AnyDb, userId: string): Promise<ApplicationRow[]> {
  const res = await sql<ApplicationRow>`select * from adm_application where user_id = ${userId} order by submitted_at desc, id`.execute(db);
  return res.rows;
}

/** Withdraws a submitted application; false when it was not submitted any more. */
export async function withdrawApplication(db: AnyDb, id: string): Promise<boolean> {
  const res = await sql`update adm_application set status = 'withdrawn', withdrawn_at = now() where id = ${id} and status = 'submitted'`.execute(db);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/** What one application's verification came to. */
export interface VerifiedApplication {
  id: string;
  status: 'verified' | 'refused';
  results: StoredResult[] | null;
  refusals: { template: string; reason: string }[] | null;
  eligible: boolean | null;
  points: number | null;
}

/** Stores the outcomes of a batch, for applications still submitted (one statement). */
export async function storeVerifications(db: AnyDb, batchId: string, outcomes: readonly VerifiedApplication[]): Promise<number> {
  if (outcomes.length === 0) return 0;
  const res = await sql`update adm_application a set status = o.status, verified_at = now(), batch_id = ${batchId}, results = o.results, refusals = o.refusals, eligible = o.eligible, points = o.points
    from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as o(id text, status text, results jsonb, refusals jsonb, eligible boolean, points integer)
    where a.id = o.id and a.status = 'submitted'`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/** Stores ranks and outcomes (one statement); applications not listed lose any rank. */
export async function storeRanks(db: AnyDb, roundId: string, ranks: readonly { id: string; rank: number; admitted: boolean }[]): Promise<void> {
  await sql`update adm_application set rank = null, admitted = case when status = 'verified' then false else null end where round_id = ${roundId}`.execute(db);
  if (ranks.length === 0) return;
  await sql`update adm_application a set rank = r.rank, admitted = r.admitted
    from jsonb_to_recordset(${JSON.stringify(ranks)}::jsonb) as r(id text, rank integer, admitted boolean)
    where a.id = r.id and a.round_id = ${roundId}`.execute(db);
}
