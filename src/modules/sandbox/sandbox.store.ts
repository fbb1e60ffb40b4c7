import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { orgWithinSql } from '../../platform/access';

/**
 * Every query on the sandbox's tables, and the SQL of each predicate kind. Predicates read the
 * data centre's records only through the relations it hands out (`RecordReader.currentRelation`)
 * and are evaluated set-based: all claims of one kind in one statement, whatever their number.
 */

type AnyDb = Kysely<object> | Transaction<object>;

/** A template row. */
export interface TemplateRow {
  code: string;
  kind: string;
  name: string;
  name_en: string;
  description: string;
  provider_org: string;
  resources: string[];
  declared_by: string;
  declared_at: Date;
}

/** A case type row. */
export interface CaseTypeRow {
  code: string;
  name: string;
  name_en: string;
  owner_org: string;
  purpose: string;
  legal_basis: string;
  templates: string[];
  per_case_per_day: number;
  per_applicant_per_day: number;
  per_handler_per_day: number;
  created_by: string;
  created_at: Date;
}

/** A consent row. */
export interface ConsentRow {
  id: string;
  subject: string;
  case_type: string;
  templates: string[];
  valid_until: Date;
  created_by: string;
  created_at: Date;
  withdrawn_at: Date | null;
}

/** One verification attempt, answered or refused. */
export interface VerificationRow {
  id: string;
  batch_id: string;
  receipt_id: string | null;
  case_type: string;
  case_id: string;
  subject: string;
  template: string;
  params: Record<string, string | number>;
  params_digest: string;
  consumer_org: string;
  handler: string;
  requested_at: Date;
  outcome: 'answered' | 'refused';
  result: 'match' | 'no_match' | 'unverifiable' | null;
  refusal: string | null;
}

/** A stored receipt. */
export interface ReceiptRow {
  id: string;
  batch_id: string;
  case_type: string;
  case_id: string;
  consumer_org: string;
  issued_at: Date;
  body: Record<string, unknown>;
}

/** A signing key row. */
export interface SigningKeyRow {
  id: string;
  algorithm: string;
  public_key: string;
  private_key: string;
  created_at: Date;
  retired_at: Date | null;
}

/** A claim as the predicates see it: its position, whose it is, and its checked parameters. */
export interface ClaimInput {
  idx: number;
  subject: string;
  p: Record<string, string | number>;
}

/** What a claim came to. */
export type ClaimResult = 'match' | 'no_match' | 'unverifiable';

const CHUNK = 5000;

// ---------------------------------------------------------------- templates and case types

/** Stores a template unless one with its code exists; true when stored. */
export async function insertTemplate(db: AnyDb, t: Omit<TemplateRow, 'declared_at'>): Promise<boolean> {
  const result = await sql`insert into sb_template (code, kind, name, name_en, description, provider_org, resources, declared_by)
    values (${t.code}, ${t.kind}, ${t.name}, ${t.name_en}, ${t.description}, ${t.provider_org}, ${t.resources}, ${t.declared_by})
    on conflict (code) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Every template, by code. */
export async function listTemplates(db: AnyDb): Promise<TemplateRow[]> {
  const { rows } = await sql<TemplateRow>`select * from sb_template order by code`.execute(db);
  return rows;
}

/** Stores a case type unless one with its code exists; true when stored. */
export async function insertCaseType(db: AnyDb, c: Omit<CaseTypeRow, 'created_at'>): Promise<boolean> {
  const result = await sql`insert into sb_case_type (code, name, name_en, owner_org, purpose, legal_basis, templates, per_case_per_day, per_applicant_per_day, per_handler_per_day, created_by)
    values (${c.code}, ${c.name}, ${c.name_en}, ${c.owner_org}, ${c.purpose}, ${c.legal_basis}, ${c.templates}, ${c.per_case_per_day}, ${c.per_applicant_per_day}, ${c.per_handler_per_day}, ${c.created_by})
    on conflict (code) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Every case type, by code. */
export async function listCaseTypes(db: AnyDb): Promise<CaseTypeRow[]> {
  const { rows } = await sql<CaseTypeRow>`select * from sb_case_type order by code`.execute(db);
  return rows;
}

/** One case type. */
export async function findCaseType(db: AnyDb, code: string): Promise<CaseTypeRow | undefined> {
  const { rows } = await sql<CaseTypeRow>`select * from sb_case_type where code = ${code}`.execute(db);
  return rows[0];
}

// ---------------------------------------------------------------- consent

/** Stores a consent. */
export async function insertConsent(db: AnyDb, c: Pick<ConsentRow, 'id' | 'subject' | 'case_type' | 'templates' | 'valid_until' | 'created_by'>): Promise<void> {
  await sql`insert into sb_consent (id, subject, case_type, templates, valid_until, created_by)
    values (${c.id}, ${c.subject}, ${c.case_type}, ${c.templates}, ${c.valid_until}, ${c.created_by})`.execute(db);
}

/** A subject's consents, newest first. */
export async function listConsents(db: AnyDb, subject: string): Promise<ConsentRow[]> {
  const { rows } = await sql<ConsentRow>`select * from sb_consent where subject = ${subject} order by created_at desc, id`.execute(db);
  return rows;
}

/** One consent of a subject. */
export async function findConsent(db: AnyDb, id: string, subject: string): Promise<ConsentRow | undefined> {
  const { rows } = await sql<ConsentRow>`select * from sb_consent where id = ${id} and subject = ${subject}`.execute(db);
  return rows[0];
}

/** Withdraws a consent (once); true when it was live. */
export async function withdrawConsent(db: AnyDb, id: string): Promise<boolean> {
  const result = await sql`update sb_consent set withdrawn_at = now() where id = ${id} and withdrawn_at is null`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** The templates each subject has consented to for a case type, as of now. */
export async function findLiveConsents(db: AnyDb, caseType: string, subjects: readonly string[]): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ subject: string; template: string }>`select distinct subject, unnest(templates) as template from sb_consent
    where case_type = ${caseType} and subject = any(${subjects}::text[]) and withdrawn_at is null and valid_until > now()`.execute(db);
  const out = new Map<string, Set<string>>();
  for (const r of rows) out.set(r.subject, (out.get(r.subject) ?? new Set()).add(r.template));
  return out;
}

// ---------------------------------------------------------------- cases and guards

/** The applicant of each case already known. */
export async function findCaseSubjects(db: AnyDb, caseType: string, caseIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await sql<{ case_id: string; subject: string }>`select case_id, subject from sb_case
    where case_type = ${caseType} and case_id = any(${caseIds}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.case_id, r.subject]));
}

/** Binds new cases to their applicant (existing ones are left as they are). */
export async function insertCases(db: AnyDb, cases: readonly { case_type: string; case_id: string; subject: string; consumer_org: string }[]): Promise<void> {
  for (let i = 0; i < cases.length; i += CHUNK) {
    await sql`insert into sb_case (case_type, case_id, subject, consumer_org)
      select case_type, case_id, subject, consumer_org from json_to_recordset(${JSON.stringify(cases.slice(i, i + CHUNK))}::json)
        as x(case_type text, case_id text, subject text, consumer_org text)
      on conflict (case_type, case_id) do nothing`.execute(db);
  }
}

/** How many verification requests have been stored: read before the guards read the history. */
export async function readGuardSerial(db: AnyDb): Promise<number> {
  const { rows } = await sql<{ serial: string }>`select serial from sb_guard_serial`.execute(db);
  return Number(rows[0]!.serial);
}

/**
 * Counts a request being stored, in the transaction that stores it, and returns the count
 * before it. The row stays locked until that transaction ends, so the stores of all requests
 * (any case type: a subject's throttle and sweep span them) go one after the other.
 */
export async function bumpGuardSerial(trx: AnyDb): Promise<number> {
  const { rows } = await sql<{ serial: string }>`update sb_guard_serial set serial = serial + 1 returning serial - 1 as serial`.execute(trx);
  return Number(rows[0]!.serial);
}

/** What the guards need to know of earlier attempts, read in four set queries. */
export interface GuardHistory {
  /** Templates already answered per case. */
  answered: Map<string, Set<string>>;
  /** Attempts (answered or refused) per case since the start of the day. */
  attemptsPerCase: Map<string, number>;
  /** Claims about each subject, any case type, since the start of the day. */
  claimsPerSubject: Map<string, number>;
  /** The handler's claims in this case type since the start of the day. */
  handlerClaims: number;
  /** Distinct parameter digests answered per `subject|template` within the sweep window. */
  paramsSeen: Map<string, Set<string>>;
}

/** Reads the history the guards judge a request by. */
export async function readGuardHistory(
  db: AnyDb,
  q: { caseType: string; caseIds: readonly string[]; subjects: readonly string[]; handler: string; dayStart: Date; sweepSince: Date },
): Promise<GuardHistory> {
  const [answered, perCase, perSubject, handler, seen] = await Promise.all([
    sql<{ case_id: string; template: string }>`select case_id, template from sb_verification
      where case_type = ${q.caseType} and case_id = any(${q.caseIds}::text[]) and outcome = 'answered'`.execute(db),
    sql<{ case_id: string; n: number }>`select case_id, count(*)::int as n from sb_verification
      where case_type = ${q.caseType} and case_id = any(${q.caseIds}::text[]) and requested_at >= ${q.dayStart} group by case_id`.execute(db),
    sql<{ subject: string; n: number }>`select subject, count(*)::int as n from sb_verification
      where subject = any(${q.subjects}::text[]) and requested_at >= ${q.dayStart} group by subject`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from sb_verification
      where handler = ${q.handler} and case_type = ${q.caseType} and requested_at >= ${q.dayStart}`.execute(db),
    sql<{ subject: string; template: string; params_digest: string }>`select distinct subject, template, params_digest from sb_verification
      where subject = any(${q.subjects}::text[]) and outcome = 'answered' and requested_at >= ${q.sweepSince}`.execute(db),
  ]);
  const history: GuardHistory = {
    answered: new Map(),
    attemptsPerCase: new Map(perCase.rows.map((r) => [r.case_id, r.n])),
    claimsPerSubject: new Map(perSubject.rows.map((r) => [r.subject, r.n])),
    handlerClaims: handler.rows[0]?.n ?? 0,
    paramsSeen: new Map(),
  };
  for (const r of answered.rows) history.answered.set(r.case_id, (history.answered.get(r.case_id) ?? new Set()).add(r.template));
  for (const r of seen.rows) {
    const key = `${r.subject}|${r.template}`;
    history.paramsSeen.set(key, (history.paramsSeen.get(key) ?? new Set()).add(r.params_digest));
  }
  return history;
}

/** The columns every attempt of one batch shares. */
export type BatchColumns = Pick<VerificationRow, 'batch_id' | 'case_type' | 'consumer_org' | 'handler' | 'requested_at'>;

/**
 * Stores one batch's verification attempts (any number: a few thousand rows a statement). The
 * batch's shared columns travel once, as parameters; the rest as `json`, parsed once by the
 * recordset (50,000 rows: 1.1 s, against 1.2–1.7 s with every column as one `jsonb`).
 */
export async function insertVerifications(db: AnyDb, batch: BatchColumns, rows: readonly Omit<VerificationRow, keyof BatchColumns>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({
      id: r.id,
      receipt_id: r.receipt_id,
      case_id: r.case_id,
      subject: r.subject,
      template: r.template,
      params: r.params,
      params_digest: r.params_digest,
      outcome: r.outcome,
      result: r.result,
      refusal: r.refusal,
    }));
    await sql`insert into sb_verification (id, batch_id, receipt_id, case_type, case_id, subject, template, params, params_digest, consumer_org, handler, requested_at, outcome, result, refusal)
      select id, ${batch.batch_id}, receipt_id, ${batch.case_type}, case_id, subject, template, params, params_digest, ${batch.consumer_org}, ${batch.handler}, ${batch.requested_at}, outcome, result, refusal
      from json_to_recordset(${JSON.stringify(chunk)}::json) as x(id text, receipt_id text, case_id text, subject text, template text, params jsonb, params_digest text, outcome text, result text, refusal text)`.execute(db);
  }
}

/** Stores signed receipts. */
export async function insertReceipts(db: AnyDb, rows: readonly ReceiptRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ ...r, issued_at: r.issued_at.toISOString() }));
    await sql`insert into sb_receipt (id, batch_id, case_type, case_id, consumer_org, issued_at, body)
      select id, batch_id, case_type, case_id, consumer_org, issued_at, body
      from json_to_recordset(${JSON.stringify(chunk)}::json) as x(id text, batch_id text, case_type text, case_id text, consumer_org text, issued_at timestamptz, body jsonb)`.execute(db);
  }
}

/** One receipt. */
export async function findReceipt(db: AnyDb, id: string): Promise<ReceiptRow | undefined> {
  const { rows } = await sql<ReceiptRow>`select * from sb_receipt where id = ${id}`.execute(db);
  return rows[0];
}

/** The receipts of given cases of a case type (one per answered request), oldest first. */
export async function findCaseReceipts(db: AnyDb, caseType: string, caseIds: readonly string[]): Promise<ReceiptRow[]> {
  if (caseIds.length === 0) return [];
  const { rows } = await sql<ReceiptRow>`select * from sb_receipt where case_type = ${caseType} and case_id = any(${[...caseIds]}::text[])
    order by issued_at, id`.execute(db);
  return rows;
}

/** Verification attempts about a subject, newest first. */
export async function listSubjectVerifications(db: AnyDb, subject: string, limit: number): Promise<VerificationRow[]> {
  const { rows } = await sql<VerificationRow>`select * from sb_verification where subject = ${subject} order by requested_at desc, id limit ${limit}`.execute(db);
  return rows;
}

/** Verification attempts of a department's cases (all departments: `org` null), newest first. */
export async function listVerifications(db: AnyDb, filter: { org: string | null; caseType?: string; caseId?: string; limit: number }): Promise<VerificationRow[]> {
  const where = [sql`true`];
  if (filter.org !== null) where.push(orgWithinSql('consumer_org', filter.org));
  if (filter.caseType) where.push(sql`case_type = ${filter.caseType}`);
  if (filter.caseId) where.push(sql`case_id = ${filter.caseId}`);
  const { rows } = await sql<VerificationRow>`select * from sb_verification where ${sql.join(where, sql` and `)}
    order by requested_at desc, id limit ${filter.limit}`.execute(db);
  return rows;
}

// ---------------------------------------------------------------- signing keys

/** The key that signs now, if any. */
export async function findActiveKey(db: AnyDb): Promise<SigningKeyRow | undefined> {
  const { rows } = await sql<SigningKeyRow>`select * from sb_signing_key where retired_at is null`.execute(db);
  return rows[0];
}

/** Stores a new active key unless another process stored one first. */
export async function insertKeyIfNone(db: AnyDb, k: Pick<SigningKeyRow, 'id' | 'algorithm' | 'public_key' | 'private_key'>): Promise<void> {
  await sql`insert into sb_signing_key (id, algorithm, public_key, private_key) values (${k.id}, ${k.algorithm}, ${k.public_key}, ${k.private_key})
    on conflict do nothing`.execute(db);
}

/** Retires the active key and stores `k` as the one that signs from now on (in the caller's transaction). */
export async function rotateSigningKey(trx: AnyDb, k: Pick<SigningKeyRow, 'id' | 'algorithm' | 'public_key' | 'private_key'>): Promise<void> {
  await sql`update sb_signing_key set retired_at = now() where retired_at is null`.execute(trx);
  await sql`insert into sb_signing_key (id, algorithm, public_key, private_key) values (${k.id}, ${k.algorithm}, ${k.public_key}, ${k.private_key})`.execute(trx);
}

/** Every key's public half, newest first. */
export async function listPublicKeys(db: AnyDb): Promise<Omit<SigningKeyRow, 'private_key'>[]> {
  const { rows } = await sql<Omit<SigningKeyRow, 'private_key'>>`select id, algorithm, public_key, created_at, retired_at from sb_signing_key order by created_at desc`.execute(db);
  return rows;
}

// ---------------------------------------------------------------- predicates

/** The record relations a predicate reads, by resource code (from the data centre). */
export type Relations = Readonly<Record<string, RawBuilder<unknown>>>;

// Month 'YYYY-MM' as a month number, so windows compare and subtract.
const monthNumber = (expr: RawBuilder<unknown>) => sql`(substr(${expr}, 1, 4)::int * 12 + substr(${expr}, 6, 2)::int)`;

/**
 * The claims (idx) of the `claims` relation whose predicate holds, per kind. Each joins the
 * claims to the provider's current records by the record's subject (indexed), so a batch is
 * one hash or index join, never one query per claim.
 */
const MATCHED: Readonly<Record<string, (r: Relations, today: string) => RawBuilder<unknown>>> = {
  months_insured: (r) => {
    const overlap = sql`greatest(0, least(${monthNumber(sql`s.last_month`)}, ${monthNumber(sql`c.p->>'to'`)})
      - greatest(${monthNumber(sql`s.first_month`)}, ${monthNumber(sql`c.p->>'from'`)}) + 1)`;
    return sql`select c.idx from claims c join ${r['social_security.contribution_period']} s on s._subject = c.subject
      group by c.idx having sum(${overlap}) >= max((c.p->>'months')::int)`;
  },
  owns_residence_in_district: (r) => sql`select c.idx from claims c
      join ${r['housing.property_ownership']} o on o._subject = c.subject and o.owner_kind = 'person'
      join ${r['spatial.unit']} u on u._key = o.unit_code
      join ${r['spatial.estate']} e on e._key = u.estate_code
      where (u.use is null or u.use = 'residential') and e.district_code = c.p->>'district'`,
  employed_by_since: (r, today) => sql`select c.idx from claims c join ${r['social_security.employment']} j on j._subject = c.subject
      where j.employer_credit_code = c.p->>'creditCode' and j.start_date <= (c.p->>'since')::date and (j.end_date is null or j.end_date >= ${today}::date)`,
  // The register's subject is the husband: either spouse is found through that index.
  married_to: (r) => sql`select c.idx from claims c join ${r['civil_affairs.marriage']} m on m._subject = c.subject
        where m.wife_id = c.p->>'spouse' and m.status = 'married'
      union all
      select c.idx from claims c join ${r['civil_affairs.marriage']} m on m._subject = c.p->>'spouse'
        where m.wife_id = c.subject and m.status = 'married'`,
  parent_of_child: (r) => sql`select c.idx from claims c join ${r['health.birth_certificate']} b on b._subject = c.p->>'child'
      where b.mother_id = c.subject or b.father_id = c.subject`,
  si_bank_account_is: (r) => sql`select c.idx from claims c join ${r['social_security.bank_account']} a on a._subject = c.subject
      where a.account_number = c.p->>'account' and a.status = 'active'`,
  residence_permit_since: (r, today) => sql`select c.idx from claims c join ${r['population.residence_permit']} p on p._subject = c.subject
      where p.first_issued_on <= (c.p->>'since')::date and p.expires_on >= ${today}::date and p.status = 'valid'`,
};

/** Up to this many claims of a kind are planned as a few (index look-ups per claim); more as a batch. */
const PLANNED_AS_FEW = 200;

/** Whether the sandbox has SQL for a kind. */
export function hasPredicate(kind: string): boolean {
  return kind in MATCHED;
}

// Each claim's result: unverifiable when the subject is not a known person or the provider's
// resource holds no records at all; else match when the predicate holds, no_match otherwise.
// `people` is the population registry, whose key is the person: it is joined by `_key`, which
// its versions index serves (a table whose key is its subject has no subject index).
function resultsOf(kind: string, relations: Relations, primary: string, people: RawBuilder<unknown>, today: string) {
  return sql`select c.idx, case
      when p._key is null or not exists (select 1 from ${relations[primary]} x) then 'unverifiable'
      when m.idx is not null then 'match'
      else 'no_match' end as result
    from claims c
    left join ${people} p on p._key = c.subject
    left join (select distinct idx from (${MATCHED[kind]!(relations, today)}) h) m on m.idx = c.idx`;
}

/**
 * Evaluates every claim of one kind in one statement: claims travel as one JSON parameter,
 * the answer is one result per claim and nothing else.
 *
 * @example
 * await evaluateClaims(db, 'married_to', relations, 'social_security.contribution_period', people, claims, '2026-11-26');
 */
export async function evaluateClaims(
  db: Kysely<object>,
  kind: string,
  relations: Relations,
  primary: string,
  people: RawBuilder<unknown>,
  claims: readonly ClaimInput[],
  today: string,
): Promise<Map<number, ClaimResult>> {
  const out = new Map<number, ClaimResult>();
  if (claims.length === 0) return out;
  const json = JSON.stringify(claims);
  let rows: { idx: number; result: ClaimResult }[];
  if (claims.length <= PLANNED_AS_FEW) {
    ({ rows } = await sql<{ idx: number; result: ClaimResult }>`with claims as materialized (
        select * from json_to_recordset(${json}::json) as x(idx int, subject text, p jsonb))
      ${resultsOf(kind, relations, primary, people, today)}`.execute(db));
  } else {
    // A batch goes through an analysed temporary table: the planner then knows it joins
    // thousands of claims (a function scan is guessed at 100 rows, and with that guess it
    // chose a nested loop over a whole register: 35 s instead of a fraction of one).
    rows = await db.transaction().execute(async (trx) => {
      await sql`create temporary table sb_claims (idx int not null, subject text not null, p jsonb not null) on commit drop`.execute(trx);
      await sql`insert into sb_claims select * from json_to_recordset(${json}::json) as x(idx int, subject text, p jsonb)`.execute(trx);
      // Only the join column: its statistics and the row count are what the planner uses
      // (none are kept for expressions over the parameters' JSON, whose sampling cost a third more).
      await sql`analyze sb_claims (subject)`.execute(trx);
      return (await sql<{ idx: number; result: ClaimResult }>`with claims as (select * from sb_claims)
        ${resultsOf(kind, relations, primary, people, today)}`.execute(trx)).rows;
    });
  }
  for (const r of rows) out.set(r.idx, r.result);
  return out;
}

/** One group of an aggregate before disclosure control. */
export interface AggregateGroup {
  group: string | null;
  applicants: number;
  matched: number;
}

/**
 * Counts, per group of the applicants' residence (a population field), the applicants of a
 * case type and those for whom the claim holds — raw counts, for disclosure control to follow.
 */
export async function aggregateCaseTypeClaims(
  db: AnyDb,
  q: { caseType: string; kind: string; relations: Relations; primary: string; people: RawBuilder<unknown>; groupField: string; params: Record<string, string | number>; today: string },
): Promise<AggregateGroup[]> {
  const { rows } = await sql<AggregateGroup>`with claims as materialized (
      select (row_number() over (order by subject))::int as idx, subject, ${JSON.stringify(q.params)}::jsonb as p
      from (select distinct subject from sb_case where case_type = ${q.caseType}) s),
    results as (${resultsOf(q.kind, q.relations, q.primary, q.people, q.today)})
    select g.${sql.id(q.groupField)} as "group", count(*)::int as applicants, (count(*) filter (where r.result = 'match'))::int as matched
    from claims c join results r on r.idx = c.idx left join ${q.people} g on g._key = c.subject
    group by 1 order by 1 nulls last`.execute(db);
  return rows;
}
