import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The resource catalogue (domains, resources, schema versions) and the ingestion ledger
 * (batches and their rejected rows). Each resource's records live in a table of their own,
 * created from its schema when the resource is defined (datacentre.store.ts).
 */
export const createCatalogue: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table dc_domain (
        code text primary key,
        name text not null,
        name_en text not null,
        sort integer not null default 0
      )`.execute(db);
    await sql`
      create table dc_resource (
        id text primary key,
        code text not null unique,
        table_name text not null unique,
        name text not null,
        name_en text not null,
        domain_code text not null references dc_domain (code),
        provider_org_code text not null,
        category text not null,
        item text,
        sub_item text,
        abstract text not null,
        format text not null,
        update_cycle text not null,
        sharing_type text not null check (sharing_type in ('unconditional', 'conditional', 'not_shared')),
        sharing_condition text,
        sharing_method text not null,
        legal_basis text,
        open_type text not null check (open_type in ('unconditional', 'conditional', 'not_open')),
        key_fields text[] not null,
        subject_field text,
        subject_kind text check (subject_kind in ('person', 'legal_person', 'place', 'mixed')),
        related_codes text[] not null default '{}',
        is_base_registry boolean not null default false,
        version integer not null,
        publish_date date not null,
        search_text text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (sharing_type <> 'not_shared' or legal_basis is not null)
      )`.execute(db);
    await sql`create index dc_resource_domain on dc_resource (domain_code)`.execute(db);
    await sql`create index dc_resource_provider on dc_resource (provider_org_code)`.execute(db);
    await sql`
      create table dc_resource_version (
        resource_id text not null references dc_resource (id),
        version integer not null,
        fields jsonb not null,
        change text not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        primary key (resource_id, version)
      )`.execute(db);
    await sql`
      create table dc_batch (
        id text primary key,
        resource_id text not null references dc_resource (id),
        idempotency_key text not null,
        operation text not null check (operation in ('upsert', 'delete')),
        source text not null,
        file_name text,
        encoding text,
        status text not null check (status in ('receiving', 'applying', 'applied', 'rejected', 'interrupted')),
        on_invalid text not null check (on_invalid in ('skip', 'reject')),
        rows_read bigint not null default 0,
        rows_valid bigint not null default 0,
        rows_invalid bigint not null default 0,
        bytes_read bigint not null default 0,
        inserted bigint not null default 0,
        updated bigint not null default 0,
        unchanged bigint not null default 0,
        deleted bigint not null default 0,
        message text,
        created_by text not null,
        created_by_org text,
        process_id text not null,
        started_at timestamptz not null default now(),
        heartbeat_at timestamptz not null default now(),
        finished_at timestamptz,
        unique (resource_id, idempotency_key)
      )`.execute(db);
    await sql`create index dc_batch_recent on dc_batch (started_at desc)`.execute(db);
    await sql`create index dc_batch_open on dc_batch (status) where status in ('receiving', 'applying')`.execute(db);
    await sql`
      create table dc_batch_error (
        batch_id text not null references dc_batch (id) on delete cascade,
        row_number bigint not null,
        field text not null default '',
        reason text not null,
        primary key (batch_id, row_number, field)
      )`.execute(db);
  },
};
