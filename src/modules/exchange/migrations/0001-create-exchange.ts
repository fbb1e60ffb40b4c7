import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The exchange's tables: requests for conditional resources and their steps, channels (what a
 * consumer department may call, and with which fields), and the call log, partitioned by day
 * (partitions are created as days come, by the call-log writer) and append-only like the
 * audit log, whose chain holds a digest of every batch of calls.
 */
export const createExchange: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table xc_request (
        id text primary key,
        resource_code text not null,
        provider_org text not null,
        consumer_org text not null,
        consumer_system text,
        purpose text not null,
        legal_basis text not null,
        fields text[] not null,
        expected_calls_per_day integer not null,
        requested_until date not null,
        status text not null check (status in ('pending', 'approved', 'refused', 'withdrawn')),
        submitted_by text not null,
        submitted_at timestamptz not null default now(),
        due_at timestamptz not null,
        decided_by text,
        decided_at timestamptz,
        approved_fields text[],
        approved_until date,
        rate_limit_per_minute integer,
        reason text,
        channel_id text
      )`.execute(db);
    await sql`create index xc_request_consumer on xc_request (consumer_org, submitted_at desc)`.execute(db);
    await sql`create index xc_request_provider on xc_request (provider_org, submitted_at desc)`.execute(db);
    await sql`create index xc_request_open on xc_request (due_at) where status = 'pending'`.execute(db);
    await sql`
      create table xc_request_step (
        id bigserial primary key,
        request_id text not null references xc_request (id),
        at timestamptz not null default now(),
        actor_id text not null,
        actor_org text,
        action text not null,
        note text
      )`.execute(db);
    await sql`create index xc_request_step_request on xc_request_step (request_id, id)`.execute(db);
    await sql`
      create table xc_channel (
        id text primary key,
        resource_code text not null,
        provider_org text not null,
        consumer_org text not null,
        consumer_system text,
        fields text[] not null,
        purpose text not null,
        basis text not null check (basis in ('unconditional', 'request')),
        request_id text references xc_request (id),
        rate_limit_per_minute integer not null,
        valid_from timestamptz not null default now(),
        valid_until timestamptz not null,
        status text not null check (status in ('active', 'revoked')),
        created_by text not null,
        created_at timestamptz not null default now(),
        revoked_by text,
        revoked_at timestamptz,
        revoke_reason text
      )`.execute(db);
    await sql`create index xc_channel_consumer on xc_channel (consumer_org, resource_code)`.execute(db);
    await sql`create index xc_channel_provider on xc_channel (provider_org)`.execute(db);
    await sql`
      create table xc_call (
        id text not null,
        received_at timestamptz not null,
        authorised_at timestamptz,
        data_ready_at timestamptz,
        responded_at timestamptz not null,
        channel_id text,
        consumer_org text,
        consumer_system text,
        provider_org text,
        resource_code text,
        operation text not null,
        fields text[] not null,
        purpose text,
        case_id text,
        end_user text,
        subjects text[] not null,
        record_count integer not null,
        outcome text not null check (outcome in ('ok', 'not_found', 'refused', 'error')),
        status_code integer not null,
        reason text,
        request_hash text not null,
        response_hash text,
        log_batch text not null,
        log_position integer not null,
        row_hash text not null,
        primary key (id, received_at)
      ) partition by range (received_at)`.execute(db);
    await sql`create index xc_call_consumer on xc_call (consumer_org, received_at)`.execute(db);
    await sql`create index xc_call_provider on xc_call (provider_org, received_at)`.execute(db);
    await sql`create index xc_call_channel on xc_call (channel_id, received_at)`.execute(db);
    await sql`create index xc_call_batch on xc_call (log_batch, log_position)`.execute(db);
    await sql`create index xc_call_subjects on xc_call using gin (subjects)`.execute(db);
    await sql`
      create function xc_call_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'xc_call is append-only (% refused)', tg_op;
      end $$`.execute(db);
    await sql`
      create trigger xc_call_append_only before update or delete on xc_call
      for each row execute function xc_call_append_only()`.execute(db);
    await sql`
      create table xc_misuse_report (
        id text primary key,
        call_id text not null,
        subject text not null,
        reported_by text not null,
        reason text not null,
        status text not null default 'open',
        created_at timestamptz not null default now()
      )`.execute(db);
  },
};
