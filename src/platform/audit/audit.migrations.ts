import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Audit tables. `audit_pending` receives entries inside the transaction of the change they
 * record; the chainer moves them, in one serial order, into `audit_entry`, which only ever
 * grows: a trigger refuses UPDATE and DELETE (tampering is still possible for a superuser,
 * which is what `ludao audit verify` detects). See docs/adr/0004-audit-chain.md.
 */
export const auditMigrations: Record<string, Migration> = {
  '0001-create-audit': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table audit_pending (
          id bigserial primary key,
          recorded_at timestamptz not null,
          body jsonb not null
        )`.execute(db);
      await sql`
        create table audit_entry (
          seq bigint primary key,
          recorded_at timestamptz not null,
          chained_at timestamptz not null default now(),
          action text not null,
          actor_type text not null,
          actor_id text,
          actor_org text,
          subject_type text,
          subject_id text,
          data_subject text,
          purpose text,
          case_id text,
          request_id text,
          outcome text not null,
          detail jsonb not null,
          prev_hash text not null,
          hash text not null,
          hash_sm3 text
        )`.execute(db);
      await sql`create index audit_entry_data_subject on audit_entry (data_subject, seq) where data_subject is not null`.execute(db);
      await sql`create index audit_entry_actor on audit_entry (actor_org, seq)`.execute(db);
      await sql`
        create function audit_entry_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'audit_entry is append-only (% refused)', tg_op;
        end $$`.execute(db);
      await sql`
        create trigger audit_entry_append_only before update or delete on audit_entry
        for each row execute function audit_entry_append_only()`.execute(db);
    },
  },
};
