import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The transactional outbox. Events are inserted in the transaction of the change (seq null);
 * the sequencer numbers committed events in one order; each subscriber keeps a cursor.
 * See docs/adr/0005-events-outbox.md.
 */
export const eventsMigrations: Record<string, Migration> = {
  '0001-create-outbox': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table event_outbox (
          id bigserial primary key,
          seq bigint unique,
          aggregate_type text not null,
          aggregate_id text not null,
          type text not null,
          payload jsonb not null,
          recorded_at timestamptz not null default now()
        )`.execute(db);
      await sql`create index event_outbox_unsequenced on event_outbox (id) where seq is null`.execute(db);
      await sql`
        create table event_cursor (
          subscriber text primary key,
          last_seq bigint not null default 0,
          lease_owner text,
          lease_until timestamptz,
          failures int not null default 0,
          retry_at timestamptz,
          last_error text
        )`.execute(db);
    },
  },
};
