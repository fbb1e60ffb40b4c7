import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Migration 0007 dropped the subject index of every table whose one key field is its subject
 * field. Where that field is text about a person or company (an ID number as its department
 * wrote it), the key keeps the value as written and `_subject` holds it in capitals, so the
 * versions index cannot serve a look-up by subject there (`subjectIsKey`): this gives those
 * tables their subject index back. Tables of places and of typed identifiers keep none.
 */
export const subjectIndexWhereKeyIsNotStoredAsSubject: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of await keyNotStoredAsSubjectTables(db)) {
      await sql`create index if not exists ${sql.id(`${table}_subject`)} on ${sql.id(table)} (_subject) where _valid_to is null and _subject is not null`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    for (const table of await keyNotStoredAsSubjectTables(db)) await sql`drop index if exists ${sql.id(`${table}_subject`)}`.execute(db);
  },
};

async function keyNotStoredAsSubjectTables(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`select r.table_name from dc_resource r
    join dc_resource_version v on v.resource_id = r.id and v.version = r.version
    where r.subject_field is not null and r.key_fields = array[r.subject_field] and r.subject_kind is distinct from 'place'
      and not exists (select 1 from jsonb_array_elements(v.fields) f where f->>'name' = r.subject_field and f->>'type' in ('resident_id', 'credit_code'))
    order by r.table_name`.execute(db);
  return rows.map((r) => r.table_name);
}
