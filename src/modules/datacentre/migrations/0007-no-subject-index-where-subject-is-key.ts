import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A record table whose key is its subject (one field, both: the population and legal-person
 * registries) loses its subject index (`recordIndexes`): it repeated the versions index, and
 * look-ups by subject there also say `_key = subject`. One index less to build in a first load
 * and to keep up for every version written.
 */
export const noSubjectIndexWhereSubjectIsKey: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of await subjectIsKeyTables(db)) await sql`drop index if exists ${sql.id(`${table}_subject`)}`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of await subjectIsKeyTables(db)) {
      await sql`create index if not exists ${sql.id(`${table}_subject`)} on ${sql.id(table)} (_subject) where _valid_to is null and _subject is not null`.execute(db);
    }
  },
};

async function subjectIsKeyTables(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`select table_name from dc_resource
    where subject_field is not null and key_fields = array[subject_field] order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}
