import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Which columns of a version hold no null, found when it is indexed: the records API pages
 * those by a row comparison its `(column, _id)` index answers. Versions from before say none.
 */
export const versionNotNull: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table od_version add column not_null text[] not null default '{}'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table od_version drop column not_null`.execute(db);
  },
};
