import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The catalogue's word index answers every search but changes only when a dataset is
 * published: GIN's pending list (fastupdate) made each search read through every recent
 * insert linearly (measured: 2.6–4.2 ms per search over 1,000 datasets, against 0.05 ms once
 * merged). Write straight into the index instead, and merge what is pending now.
 */
export const searchIndexFastupdateOff: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter index od_dataset_search set (fastupdate = off)`.execute(db);
    await sql`select gin_clean_pending_list('od_dataset_search'::regclass)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter index od_dataset_search reset (fastupdate)`.execute(db);
  },
};
