import { sql, type Kysely, type Migration } from 'kysely';

/**
 * One row that every stored verification request bumps, in the transaction that stores it.
 * Its row lock puts the stores one after the other, and a request whose guards read the
 * history at one value of `serial` and stores at another knows that others were stored in
 * between: it judges its guards again on the history as it now is (`SandboxService.run`).
 */
export const guardSerial: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table sb_guard_serial (
      only_row boolean primary key default true check (only_row),
      serial bigint not null default 0
    )`.execute(db);
    await sql`insert into sb_guard_serial default values`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table sb_guard_serial`.execute(db);
  },
};
