import { sql, type Kysely, type Migration } from 'kysely';

/**
 * One current version per record key was kept by the batch applier alone (one batch per
 * resource at a time); now the database keeps it too: each record table's `<table>_current`
 * index on `_key` (where `_valid_to is null`) becomes unique. A table's first load builds its
 * indexes after writing its rows, and this index is what finds a batch that repeats a key.
 */
export const uniqueCurrentKey: Migration = {
  async up(db: Kysely<unknown>) {
    await reindex(db, true);
  },
  async down(db: Kysely<unknown>) {
    await reindex(db, false);
  },
};

async function reindex(db: Kysely<unknown>, unique: boolean): Promise<void> {
  const { rows } = await sql<{ table_name: string }>`select table_name from dc_resource order by table_name`.execute(db);
  for (const { table_name: table } of rows) {
    await sql`drop index if exists ${sql.id(`${table}_current`)}`.execute(db);
    await sql`create ${sql.raw(unique ? 'unique ' : '')}index ${sql.id(`${table}_current`)} on ${sql.id(table)} (_key) where _valid_to is null`.execute(db);
  }
}
