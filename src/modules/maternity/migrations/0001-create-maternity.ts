import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The maternity quick claim's tables: the city's allowance rules (a new version per change, so
 * a claim keeps the rule it was computed by) and the claims, one live claim per child.
 */
export const createMaternity: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table mt_rule (
        version integer primary key,
        wage_year integer not null,
        avg_monthly_wage_fen bigint not null check (avg_monthly_wage_fen > 0),
        base_days integer not null check (base_days > 0),
        difficult_birth_days integer not null check (difficult_birth_days >= 0),
        extra_baby_days integer not null check (extra_baby_days >= 0),
        min_months integer not null check (min_months between 1 and 120),
        window_months integer not null check (window_months between 1 and 120),
        claim_within_days integer not null check (claim_within_days > 0),
        created_by text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table mt_claim (
        id text primary key,
        subject text not null,
        user_id text not null,
        applicant_name text not null,
        spouse_id text not null,
        child_id text not null,
        account text not null,
        difficult_birth boolean not null,
        babies integer not null check (babies between 1 and 9),
        rule_version integer not null references mt_rule (version),
        status text not null check (status in ('verifying', 'approved', 'pending_review', 'rejected')),
        checks jsonb not null default '[]',
        receipt_ids text[] not null default '{}',
        attempts integer not null default 0,
        amount_fen bigint,
        decided_by text,
        decided_at timestamptz,
        decision_note text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    // One claim per child: a rejected claim no longer holds the child (a wrong one filed by
    // someone else must not block the parent for good).
    await sql`create unique index mt_claim_child on mt_claim (child_id) where status <> 'rejected'`.execute(db);
    await sql`create index mt_claim_subject on mt_claim (subject, created_at desc)`.execute(db);
    await sql`create index mt_claim_status on mt_claim (status, created_at)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table mt_claim`.execute(db);
    await sql`drop table mt_rule`.execute(db);
  },
};
