import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Record keys, subjects and batch ids are compared byte by byte (collation "C") instead of by
 * the database's language collation: the indexes on them build and grow faster, and equality
 * does not change (`createRecordTable`). Each record table's three columns change collation;
 * the database rebuilds their indexes, and does not rewrite the rows. A table partitioned by
 * key keeps its key's collation (PostgreSQL cannot alter a partition key): its key lookups
 * stay as they were. (Down goes back to the database's collation.)
 */
export const identifiersInByteOrder: Migration = {
  async up(db: Kysely<unknown>) {
    await collate(db, 'C');
  },
  async down(db: Kysely<unknown>) {
    await collate(db, 'default');
  },
};

async function collate(db: Kysely<unknown>, collation: 'C' | 'default'): Promise<void> {
  const { rows } = await sql<{ table_name: string; partitioned: boolean }>`select r.table_name, c.relkind = 'p' as partitioned
    from dc_resource r join pg_class c on c.oid = to_regclass(quote_ident(r.table_name)) order by r.table_name`.execute(db);
  const as = sql.raw(`text collate "${collation}"`);
  for (const { table_name: table, partitioned } of rows) {
    const key = partitioned ? sql`` : sql`alter column _key type ${as}, `;
    await sql`alter table ${sql.id(table)} ${key}alter column _subject type ${as}, alter column _batch type ${as}`.execute(db);
  }
}
