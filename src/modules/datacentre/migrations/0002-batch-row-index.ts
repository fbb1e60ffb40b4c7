import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The change feed pages through the versions one batch wrote in row order
 * (`where _batch = ? and _row > ? order by _row limit ?`). An index on `_batch` alone made
 * every page read and sort all of the batch's rows: paging a 900,000-row batch read it ~900
 * times. Each record table's `<table>_batch` index becomes one on (`_batch`, `_row`).
 */
export const batchRowIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await reindex(db, ['_batch', '_row']);
  },
  async down(db: Kysely<unknown>) {
    await reindex(db, ['_batch']);
  },
};

async function reindex(db: Kysely<unknown>, columns: string[]): Promise<void> {
  const { rows } = await sql<{ table_name: string }>`select table_name from dc_resource order by table_name`.execute(db);
  for (const { table_name: table } of rows) {
    await sql`drop index if exists ${sql.id(`${table}_batch`)}`.execute(db);
    await sql`create index ${sql.id(`${table}_batch`)} on ${sql.id(table)} (${sql.join(columns.map((c) => sql.id(c)))})`.execute(db);
  }
}
