import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A record table's current version by key (a unique index on `_key` where `_valid_to is null`)
 * and its history by key (an index on `_key, _valid_from`) become one unique index on
 * `_key, _valid_to` with nulls not distinct (`recordIndexes`): one current version per key is
 * still enforced, and every version written updates one index less.
 */
export const oneIndexForVersionsByKey: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of await recordTables(db)) {
      await sql`create unique index if not exists ${sql.id(`${table}_versions`)} on ${sql.id(table)} (_key, _valid_to) nulls not distinct`.execute(db);
      await sql`drop index if exists ${sql.id(`${table}_current`)}`.execute(db);
      await sql`drop index if exists ${sql.id(`${table}_history`)}`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    for (const table of await recordTables(db)) {
      await sql`create unique index if not exists ${sql.id(`${table}_current`)} on ${sql.id(table)} (_key) where _valid_to is null`.execute(db);
      await sql`create index if not exists ${sql.id(`${table}_history`)} on ${sql.id(table)} (_key, _valid_from)`.execute(db);
      await sql`drop index if exists ${sql.id(`${table}_versions`)}`.execute(db);
    }
  },
};

async function recordTables(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`select table_name from dc_resource order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}
