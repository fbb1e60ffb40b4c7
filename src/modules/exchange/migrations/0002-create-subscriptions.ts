import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Change subscriptions: a journal of applied batches per resource (filled from the data
 * centre's `datacentre.batch.applied` events; its `seq` orders changes for feeds and
 * webhooks), webhook subscriptions with their cursor, back-off and lease, and the log of
 * delivery attempts.
 */
export const createSubscriptions: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table xc_change (
        seq bigserial primary key,
        resource_code text not null,
        batch_id text not null,
        journaled_at timestamptz not null default now(),
        unique (resource_code, batch_id)
      )`.execute(db);
    await sql`create index xc_change_resource on xc_change (resource_code, seq)`.execute(db);
    await sql`
      create table xc_subscription (
        id text primary key,
        channel_id text not null references xc_channel (id),
        consumer_org text not null,
        resource_code text not null,
        url text not null,
        secret text not null,
        status text not null check (status in ('active', 'parked', 'cancelled')),
        cursor_seq bigint not null,
        cursor_row bigint not null default 0,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        delivered integer not null default 0,
        leased_by text,
        leased_until timestamptz,
        created_by text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index xc_subscription_due on xc_subscription (next_attempt_at) where status = 'active'`.execute(db);
    await sql`create index xc_subscription_resource on xc_subscription (resource_code) where status = 'active'`.execute(db);
    await sql`
      create table xc_delivery (
        id bigserial primary key,
        subscription_id text not null references xc_subscription (id),
        delivery_id text,
        attempted_at timestamptz not null default now(),
        from_cursor text not null,
        to_cursor text not null,
        changes integer not null,
        status_code integer,
        outcome text not null check (outcome in ('delivered', 'failed', 'parked')),
        error text
      )`.execute(db);
    await sql`create index xc_delivery_subscription on xc_delivery (subscription_id, id desc)`.execute(db);
  },
};
