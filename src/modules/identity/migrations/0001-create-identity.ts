import { sql, type Kysely, type Migration } from 'kysely';

/** Organisations, users and roles, sessions, API keys, and the login-failure ledger. */
export const createIdentity: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table org (
        id text primary key,
        code text not null unique,
        parent_id text references org (id),
        kind text not null check (kind in ('city', 'district', 'department', 'unit', 'community', 'estate', 'enterprise', 'team')),
        name text not null,
        name_en text not null,
        credit_code text unique,
        area_code text,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index org_parent on org (parent_id)`.execute(db);
    await sql`
      create table app_user (
        id text primary key,
        username text not null unique check (username = lower(username)),
        display_name text not null,
        kind text not null check (kind in ('staff', 'citizen', 'enterprise', 'team')),
        org_id text references org (id),
        password_hash text not null,
        person_id_number text,
        disabled_at timestamptz,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table user_role (
        user_id text not null references app_user (id) on delete cascade,
        role text not null,
        primary key (user_id, role)
      )`.execute(db);
    await sql`
      create table session (
        id text primary key,
        token_hash text not null unique,
        user_id text not null references app_user (id) on delete cascade,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`.execute(db);
    await sql`create index session_user_id on session (user_id)`.execute(db);
    await sql`
      create table api_key (
        id text primary key,
        org_id text not null references org (id),
        system_name text not null,
        secret_hash text not null,
        roles text[] not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        revoked_by text
      )`.execute(db);
    await sql`create index api_key_org on api_key (org_id)`.execute(db);
    await sql`
      create table login_failure (
        id bigserial primary key,
        username text not null,
        ip text not null,
        at timestamptz not null default now()
      )`.execute(db);
    await sql`create index login_failure_username on login_failure (username, at)`.execute(db);
    await sql`create index login_failure_ip on login_failure (ip, at)`.execute(db);
  },
};
