import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The admission service's tables: rounds (one district's year, its case type, window and
 * status), the versions of a round's rules (scoring per template, tie-breaks, school zones —
 * data, never code), and applications with what their verification came to. No record of
 * the data centre is copied here: an application holds what the parent declared, the
 * results (match / no_match / unverifiable) and the points.
 */
export const createAdmission: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table adm_round (
        id text primary key,
        org text not null,
        case_type text not null,
        year integer not null,
        name text not null,
        apply_from date not null,
        apply_until date not null,
        ends_on date not null,
        status text not null check (status in ('draft', 'open', 'verifying', 'ranked', 'published')),
        rules_version integer not null default 0,
        verified_rules_version integer,
        created_by text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (org, case_type, year)
      )`.execute(db);
    await sql`
      create table adm_rules (
        round_id text not null references adm_round (id),
        version integer not null,
        body jsonb not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        primary key (round_id, version)
      )`.execute(db);
    await sql`
      create table adm_application (
        id text primary key,
        round_id text not null references adm_round (id),
        parent text not null,
        user_id text not null,
        child text not null,
        zone text not null,
        declared jsonb not null,
        consent_id text not null,
        status text not null check (status in ('submitted', 'withdrawn', 'verified', 'refused')),
        submitted_at timestamptz not null default now(),
        withdrawn_at timestamptz,
        verified_at timestamptz,
        batch_id text,
        results jsonb,
        refusals jsonb,
        eligible boolean,
        points integer,
        rank integer,
        admitted boolean
      )`.execute(db);
    // One live application per child per round.
    await sql`create unique index adm_application_child on adm_application (round_id, child) where status <> 'withdrawn'`.execute(db);
    await sql`create index adm_application_round on adm_application (round_id, status, zone)`.execute(db);
    await sql`create index adm_application_user on adm_application (user_id)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table adm_application`.execute(db);
    await sql`drop table adm_rules`.execute(db);
    await sql`drop table adm_round`.execute(db);
  },
};
