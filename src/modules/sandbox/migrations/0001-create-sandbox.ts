import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The sandbox's tables: verification templates (declared by provider departments), case
 * types (their claim whitelists and throttles), citizens' consents, cases (one applicant
 * each), every verification attempt (answered or refused, the guards' memory), signed
 * receipts, and the platform's signing keys.
 */
export const createSandbox: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table sb_template (
        code text primary key,
        kind text not null,
        name text not null,
        name_en text not null,
        description text not null,
        provider_org text not null,
        resources text[] not null,
        declared_by text not null,
        declared_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table sb_case_type (
        code text primary key,
        name text not null,
        name_en text not null,
        owner_org text not null,
        purpose text not null,
        legal_basis text not null,
        templates text[] not null,
        per_case_per_day integer not null,
        per_applicant_per_day integer not null,
        per_handler_per_day integer not null,
        created_by text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table sb_consent (
        id text primary key,
        subject text not null,
        case_type text not null references sb_case_type (code),
        templates text[] not null,
        valid_until timestamptz not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        withdrawn_at timestamptz
      )`.execute(db);
    await sql`create index sb_consent_subject on sb_consent (subject, case_type)`.execute(db);
    await sql`
      create table sb_case (
        case_type text not null references sb_case_type (code),
        case_id text not null,
        subject text not null,
        consumer_org text not null,
        created_at timestamptz not null default now(),
        primary key (case_type, case_id)
      )`.execute(db);
    await sql`
      create table sb_verification (
        id text primary key,
        batch_id text not null,
        receipt_id text,
        case_type text not null,
        case_id text not null,
        subject text not null,
        template text not null,
        params jsonb not null,
        params_digest text not null,
        consumer_org text not null,
        handler text not null,
        requested_at timestamptz not null,
        outcome text not null check (outcome in ('answered', 'refused')),
        result text check (result in ('match', 'no_match', 'unverifiable')),
        refusal text
      )`.execute(db);
    // Each claim once per case: a second answer for the same template cannot be stored.
    await sql`create unique index sb_verification_once on sb_verification (case_type, case_id, template) where outcome = 'answered'`.execute(db);
    await sql`create index sb_verification_subject on sb_verification (subject, template, requested_at)`.execute(db);
    await sql`create index sb_verification_handler on sb_verification (handler, requested_at)`.execute(db);
    await sql`create index sb_verification_case on sb_verification (case_type, case_id, requested_at)`.execute(db);
    await sql`
      create table sb_receipt (
        id text primary key,
        batch_id text not null,
        case_type text not null,
        case_id text not null,
        consumer_org text not null,
        issued_at timestamptz not null,
        body jsonb not null
      )`.execute(db);
    await sql`create index sb_receipt_case on sb_receipt (case_type, case_id)`.execute(db);
    await sql`
      create table sb_signing_key (
        id text primary key,
        algorithm text not null,
        public_key text not null,
        private_key text not null,
        created_at timestamptz not null default now(),
        retired_at timestamptz
      )`.execute(db);
    // One key signs at a time; processes racing on a first start keep the first one stored.
    await sql`create unique index sb_signing_key_active on sb_signing_key ((true)) where retired_at is null`.execute(db);
  },
};
