import { sql, type Kysely, type Transaction } from 'kysely';

/** Every query on the maternity claim's tables (`mt_rule`, `mt_claim`). */

type AnyDb = Kysely<object> | Transaction<object>;

/** A version of the city's allowance rules. */
export interface RuleRow {
  version: number;
  wage_year: number;
  avg_monthly_wage_fen: number;
  base_days: number;
  difficult_birth_days: number;
  extra_baby_days: number;
  min_months: number;
  window_months: number;
  claim_within_days: number;
  created_by: string;
  created_at: Date;
}

/** A claim's status. */
export type ClaimStatus = 'verifying' | 'approved' | 'pending_review' | 'rejected';

/** What one check came to: a sandbox result, or `refused` when the sandbox refused to check. */
export interface CheckRow {
  template: string;
  result: 'match' | 'no_match' | 'unverifiable' | 'refused';
}

/** A claim row. */
export interface ClaimRow {
  id: string;
  subject: string;
  user_id: string;
  applicant_name: string;
  spouse_id: string;
  child_id: string;
  account: string;
  difficult_birth: boolean;
  babies: number;
  rule_version: number;
  status: ClaimStatus;
  checks: CheckRow[];
  receipt_ids: string[];
  attempts: number;
  amount_fen: number | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
  updated_at: Date;
}

const RULE_COLUMNS = sql`version, wage_year, avg_monthly_wage_fen::float8 as avg_monthly_wage_fen, base_days, difficult_birth_days, extra_baby_days,
  min_months, window_months, claim_within_days, created_by, created_at`;
const CLAIM_COLUMNS = sql`id, subject, user_id, applicant_name, spouse_id, child_id, account, difficult_birth, babies, rule_version, status, checks,
  receipt_ids, attempts, amount_fen::float8 as amount_fen, decided_by, decided_at, decision_note, created_at, updated_at`;

/** The rules in force: the newest version. */
export async function findCurrentRule(db: AnyDb): Promise<RuleRow | undefined> {
  const { rows } = await sql<RuleRow>`select ${RULE_COLUMNS} from mt_rule order by version desc limit 1`.execute(db);
  return rows[0];
}

/** One version of the rules. */
export async function findRule(db: AnyDb, version: number): Promise<RuleRow | undefined> {
  const { rows } = await sql<RuleRow>`select ${RULE_COLUMNS} from mt_rule where version = ${version}`.execute(db);
  return rows[0];
}

/** Stores the next version of the rules; returns its number. */
export async function insertRule(db: AnyDb, r: Omit<RuleRow, 'version' | 'created_at'>): Promise<number> {
  const { rows } = await sql<{ version: number }>`insert into mt_rule (version, wage_year, avg_monthly_wage_fen, base_days, difficult_birth_days, extra_baby_days, min_months, window_months, claim_within_days, created_by)
    select coalesce(max(version), 0) + 1, ${r.wage_year}, ${r.avg_monthly_wage_fen}, ${r.base_days}, ${r.difficult_birth_days}, ${r.extra_baby_days},
      ${r.min_months}, ${r.window_months}, ${r.claim_within_days}, ${r.created_by} from mt_rule
    returning version`.execute(db);
  return rows[0]!.version;
}

/** Stores a new claim; false when a live claim for the child exists. */
export async function insertClaim(db: AnyDb, c: Pick<ClaimRow, 'id' | 'subject' | 'user_id' | 'applicant_name' | 'spouse_id' | 'child_id' | 'account' | 'difficult_birth' | 'babies' | 'rule_version'>): Promise<boolean> {
  const result = await sql`insert into mt_claim (id, subject, user_id, applicant_name, spouse_id, child_id, account, difficult_birth, babies, rule_version, status)
    values (${c.id}, ${c.subject}, ${c.user_id}, ${c.applicant_name}, ${c.spouse_id}, ${c.child_id}, ${c.account}, ${c.difficult_birth}, ${c.babies}, ${c.rule_version}, 'verifying')
    on conflict (child_id) where status <> 'rejected' do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** One claim. */
export async function findClaim(db: AnyDb, id: string): Promise<ClaimRow | undefined> {
  const { rows } = await sql<ClaimRow>`select ${CLAIM_COLUMNS} from mt_claim where id = ${id}`.execute(db);
  return rows[0];
}

/** A person's claims, newest first. */
export async function listClaimsOf(db: AnyDb, subject: string): Promise<ClaimRow[]> {
  const { rows } = await sql<ClaimRow>`select ${CLAIM_COLUMNS} from mt_claim where subject = ${subject} order by created_at desc, id`.execute(db);
  return rows;
}

/** Claims with a status (all: null), oldest first: the handler's queue. */
export async function listClaimsByStatus(db: AnyDb, status: ClaimStatus | null, limit: number): Promise<ClaimRow[]> {
  const { rows } = await sql<ClaimRow>`select ${CLAIM_COLUMNS} from mt_claim
    where ${status === null ? sql`true` : sql`status = ${status}`} order by created_at, id limit ${limit}`.execute(db);
  return rows;
}

/** Records what a verification came to: the case it was answered in is attempt number `attempts` (and a new account when it was corrected), only over the state `from` it was read in; false when the claim changed meanwhile. */
export async function updateClaimChecks(
  db: AnyDb,
  id: string,
  u: { status: ClaimStatus; checks: CheckRow[]; receiptId: string | null; attempts: number; amountFen: number | null; account?: string },
  from: { status: ClaimStatus; attempts: number },
): Promise<boolean> {
  const result = await sql`update mt_claim set status = ${u.status}, checks = ${JSON.stringify(u.checks)}::jsonb, attempts = ${u.attempts},
      receipt_ids = case when ${u.receiptId}::text is null then receipt_ids else array_append(receipt_ids, ${u.receiptId}::text) end,
      amount_fen = ${u.amountFen}, account = coalesce(${u.account ?? null}::text, account), updated_at = now()
    where id = ${id} and status = ${from.status} and attempts = ${from.attempts}`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** A handler's decision on a claim in review; false when it was no longer in review. */
export async function decideClaim(db: AnyDb, id: string, d: { status: 'approved' | 'rejected'; amountFen: number | null; by: string; note: string }): Promise<boolean> {
  const result = await sql`update mt_claim set status = ${d.status}, amount_fen = ${d.amountFen}, decided_by = ${d.by}, decided_at = now(), decision_note = ${d.note}, updated_at = now()
    where id = ${id} and status = 'pending_review'`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}
