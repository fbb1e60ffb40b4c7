import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The open-data portal: datasets and their versions (each published version's rows live in a
 * table of its own, `odr_<num>_v<version>`, created at run time), developer keys with their
 * quotas, usage counted per day, and conditional-opening applications with their steps.
 */
export const createPortal: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table od_dataset (
        id text primary key,
        num bigint generated always as identity unique,
        title text not null,
        title_en text not null,
        description text not null,
        org_code text not null,
        theme text not null,
        tags text[] not null default '{}',
        licence text not null,
        update_frequency text not null,
        open_type text not null check (open_type in ('unconditional', 'conditional')),
        source text not null check (source in ('resource', 'upload')),
        source_resource text,
        field_notes jsonb not null default '{}',
        status text not null check (status in ('draft', 'review', 'published', 'withdrawn')),
        published_version integer,
        search tsvector not null,
        downloads bigint not null default 0,
        api_calls bigint not null default 0,
        created_by text not null,
        created_at timestamptz not null default now(),
        modified_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index od_dataset_search on od_dataset using gin (search)`.execute(db);
    await sql`create index od_dataset_tags on od_dataset using gin (tags)`.execute(db);
    await sql`create index od_dataset_org on od_dataset (org_code)`.execute(db);
    await sql`
      create table od_version (
        dataset_id text not null references od_dataset (id),
        version integer not null,
        status text not null check (status in ('draft', 'review', 'published', 'rejected', 'superseded')),
        changelog text not null,
        pipeline jsonb,
        table_name text not null,
        fields jsonb not null,
        geo jsonb,
        row_count bigint not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        submitted_at timestamptz,
        reviewed_by text,
        reviewed_at timestamptz,
        review_note text,
        published_at timestamptz,
        primary key (dataset_id, version)
      )`.execute(db);
    await sql`
      create table od_key (
        id text primary key,
        user_id text not null,
        name text not null,
        secret_hash text not null,
        daily_quota integer not null,
        datasets text[],
        application_id text,
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`.execute(db);
    await sql`create index od_key_user on od_key (user_id)`.execute(db);
    await sql`
      create table od_usage (
        day date not null,
        key_id text not null,
        dataset_id text not null,
        calls bigint not null default 0,
        downloads bigint not null default 0,
        primary key (day, key_id, dataset_id)
      )`.execute(db);
    await sql`create index od_usage_key on od_usage (key_id, day)`.execute(db);
    await sql`
      create table od_application (
        id text primary key,
        dataset_id text not null references od_dataset (id),
        provider_org text not null,
        user_id text not null,
        applicant text not null,
        purpose text not null,
        scenario text not null,
        undertaking text not null,
        requested_days integer not null,
        status text not null check (status in ('submitted', 'returned', 'checked', 'approved', 'refused', 'revoked', 'expired')),
        check_due date not null,
        submitted_at timestamptz not null default now(),
        key_id text,
        valid_until timestamptz,
        reason text
      )`.execute(db);
    await sql`create index od_application_dataset on od_application (dataset_id)`.execute(db);
    await sql`create index od_application_user on od_application (user_id)`.execute(db);
    await sql`
      create table od_application_step (
        application_id text not null references od_application (id),
        seq integer not null,
        at timestamptz not null default now(),
        actor text not null,
        actor_org text,
        action text not null,
        note text,
        primary key (application_id, seq)
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['od_application_step', 'od_application', 'od_usage', 'od_key', 'od_version', 'od_dataset']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  },
};
