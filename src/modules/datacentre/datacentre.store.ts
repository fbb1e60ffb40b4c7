import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { BulkSession } from '../../platform/db/database';
import { executePreparedShape, type ShapedStatement } from '../../platform/db/prepared';
import { toStorableText } from '../../platform/storable-text';
import { storeMessage, type Message, type MessageParams } from '../../platform/i18n';
import { columnType, type FieldType } from './field-types';
import { dcMessage } from './messages';

/**
 * Every query on the data centre's tables: the catalogue, the ingestion ledger, and the record
 * tables (one per resource, `dcr_<code>`), each holding every version of every record:
 *
 *   _key        the record key (key fields joined by `|`)
 *   _subject    the person / legal person / place it is about, when the resource has a subject
 *   _valid_from when this version took effect (the applying transaction's time)
 *   _valid_to   when a later version replaced it; null for the current version
 *   _deleted    a tombstone: the record was deleted at _valid_from
 *   _batch      the batch that wrote this version; _row its row number there
 *
 * Only the batch applier writes a record table, one batch per resource at a time (advisory
 * lock); a unique index on the current key keeps one current version per key.
 */

type AnyDb = Kysely<object> | Transaction<object>;

/** A domain row. */
export interface DomainRow {
  code: string;
  name: string;
  name_en: string;
  sort: number;
}

/** A resource row. */
export interface ResourceRow {
  id: string;
  code: string;
  table_name: string;
  name: string;
  name_en: string;
  domain_code: string;
  provider_org_code: string;
  category: string;
  item: string | null;
  sub_item: string | null;
  abstract: string;
  abstract_en: string | null;
  format: string;
  update_cycle: string;
  sharing_type: string;
  sharing_condition: string | null;
  sharing_condition_en: string | null;
  sharing_method: string;
  legal_basis: string | null;
  open_type: string;
  key_fields: string[];
  subject_field: string | null;
  subject_kind: string | null;
  related_codes: string[];
  is_base_registry: boolean;
  version: number;
  publish_date: string;
  search_text: string;
  updated_at: Date;
}

/** A stored field definition (one entry of `dc_resource_version.fields`). */
export interface StoredField {
  name: string;
  labelZh: string;
  labelEn: string;
  type: FieldType;
  required: boolean;
  sensitivity: number;
  description?: string;
  values?: string[];
  maxLength?: number;
  deprecated?: boolean;
}

/** A batch row. */
export interface BatchRow {
  id: string;
  resource_id: string;
  resource_code?: string;
  idempotency_key: string;
  operation: 'upsert' | 'delete';
  source: string;
  file_name: string | null;
  encoding: string | null;
  status: 'receiving' | 'applying' | 'applied' | 'rejected' | 'interrupted';
  on_invalid: 'skip' | 'reject';
  rows_read: number;
  rows_valid: number;
  rows_invalid: number;
  bytes_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  message: string | null;
  message_code: string | null;
  message_params: MessageParams | null;
  created_by: string;
  created_by_org: string | null;
  process_id: string;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
}

/** The name of a resource's record table. */
export function recordTableName(code: string): string {
  return `dcr_${code.replace(/\./g, '__')}`;
}

const ident = (name: string) => sql.id(name);
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

// ---------------------------------------------------------------- catalogue

/** Adds or renames a domain. */
export async function upsertDomain(db: AnyDb, d: DomainRow): Promise<void> {
  await sql`insert into dc_domain (code, name, name_en, sort) values (${d.code}, ${d.name}, ${d.name_en}, ${d.sort})
    on conflict (code) do update set name = excluded.name, name_en = excluded.name_en, sort = excluded.sort`.execute(db);
}

/** Every domain with its resource count, in display order. */
export async function listDomains(db: AnyDb): Promise<(DomainRow & { resources: number })[]> {
  const { rows } = await sql<DomainRow & { resources: number }>`
    select d.code, d.name, d.name_en, d.sort, count(r.id)::int as resources
    from dc_domain d left join dc_resource r on r.domain_code = d.code
    group by d.code order by d.sort, d.code`.execute(db);
  return rows;
}

/** True when the domain exists. */
export async function domainExists(db: AnyDb, code: string): Promise<boolean> {
  const { rows } = await sql`select 1 from dc_domain where code = ${code}`.execute(db);
  return rows.length > 0;
}

/** Adds a resource row (its version-1 schema goes in with `insertResourceVersion`). */
export async function insertResource(db: AnyDb, r: Omit<ResourceRow, 'updated_at'>): Promise<void> {
  await sql`insert into dc_resource (id, code, table_name, name, name_en, domain_code, provider_org_code, category, item, sub_item,
      abstract, abstract_en, format, update_cycle, sharing_type, sharing_condition, sharing_condition_en, sharing_method, legal_basis, open_type, key_fields,
      subject_field, subject_kind, related_codes, is_base_registry, version, publish_date, search_text)
    values (${r.id}, ${r.code}, ${r.table_name}, ${r.name}, ${r.name_en}, ${r.domain_code}, ${r.provider_org_code}, ${r.category},
      ${r.item}, ${r.sub_item}, ${r.abstract}, ${r.abstract_en}, ${r.format}, ${r.update_cycle}, ${r.sharing_type}, ${r.sharing_condition},
      ${r.sharing_condition_en}, ${r.sharing_method}, ${r.legal_basis}, ${r.open_type}, ${r.key_fields}, ${r.subject_field}, ${r.subject_kind},
      ${r.related_codes}, ${r.is_base_registry}, ${r.version}, ${r.publish_date}, ${r.search_text})`.execute(db);
}

/** Records a schema version of a resource. */
export async function insertResourceVersion(db: AnyDb, v: { resourceId: string; version: number; fields: StoredField[]; change: string; createdBy: string }): Promise<void> {
  await sql`insert into dc_resource_version (resource_id, version, fields, change, created_by)
    values (${v.resourceId}, ${v.version}, ${JSON.stringify(v.fields)}::jsonb, ${v.change}, ${v.createdBy})`.execute(db);
}

/** Moves a resource to a new schema version. */
export async function setResourceVersion(db: AnyDb, resourceId: string, version: number, searchText: string): Promise<void> {
  await sql`update dc_resource set version = ${version}, search_text = ${searchText}, updated_at = now() where id = ${resourceId}`.execute(db);
}

/** A resource with the fields of its current schema version. */
export type ResourceWithFields = ResourceRow & { fields: StoredField[] };

// Resources joined to their current schema version.
const resourceColumns = sql`r.*, to_char(r.publish_date, 'YYYY-MM-DD') as publish_date, v.fields`;
const resourceSource = sql`dc_resource r join dc_resource_version v on v.resource_id = r.id and v.version = r.version`;

/** A resource with its current fields, by code. */
export async function findResource(db: AnyDb, code: string): Promise<ResourceWithFields | undefined> {
  const { rows } = await sql<ResourceWithFields>`select ${resourceColumns} from ${resourceSource} where r.code = ${code}`.execute(db);
  return rows[0];
}

/** Every resource whose records name a subject, with its current fields, by code. */
export async function listSubjectResources(db: AnyDb): Promise<ResourceWithFields[]> {
  const { rows } = await sql<ResourceWithFields>`select ${resourceColumns} from ${resourceSource} where r.subject_field is not null order by r.code`.execute(db);
  return rows;
}

/** Every schema version of a resource, oldest first. */
export async function listResourceVersions(db: AnyDb, resourceId: string): Promise<{ version: number; fields: StoredField[]; change: string; created_by: string; created_at: Date }[]> {
  const { rows } = await sql<{ version: number; fields: StoredField[]; change: string; created_by: string; created_at: Date }>`
    select version, fields, change, created_by, created_at from dc_resource_version where resource_id = ${resourceId} order by version`.execute(db);
  return rows;
}

/** Resources matching a filter; `terms` must each appear in the name, code, abstract or field labels. */
export async function searchResources(
  db: AnyDb,
  filter: { domain?: string; provider?: string; terms?: string[]; limit: number; offset: number },
): Promise<{ rows: ResourceWithFields[]; total: number }> {
  const where = [sql`true`];
  if (filter.domain) where.push(sql`r.domain_code = ${filter.domain}`);
  if (filter.provider) where.push(sql`r.provider_org_code = ${filter.provider}`);
  for (const term of filter.terms ?? []) where.push(sql`strpos(r.search_text, ${term.toLowerCase()}) > 0`);
  const condition = sql.join(where, sql` and `);
  const firstTerm = filter.terms?.[0]?.toLowerCase() ?? '';
  const { rows } = await sql<ResourceWithFields & { total: number }>`
    select ${resourceColumns}, count(*) over ()::int as total
    from ${resourceSource}
    where ${condition}
    order by (strpos(lower(r.name), ${firstTerm}) > 0) desc, r.is_base_registry desc, r.domain_code, r.code
    limit ${filter.limit} offset ${filter.offset}`.execute(db);
  return { rows, total: rows[0]?.total ?? 0 };
}

// ---------------------------------------------------------------- record tables

/**
 * The indexes of a record table, as statements that create them: versions by key and end,
 * current versions by subject, versions by batch. On a partitioned table each partition gets
 * its own. The first serves both the current version of a key (`_valid_to is null`) and its
 * history, and is unique with nulls not distinct: one current version per key, which the
 * database enforces (a key's versions are closed at different times, one batch after another).
 * Two indexes did that before, and each one less is a sort less in a first load and an entry
 * less for every version written. Where the key is the subject (`subjectIsKey`: the population
 * and legal-person registries) there is no subject index: it would repeat the first, and
 * look-ups by subject there also say `_key = subject`.
 *
 * @example
 * recordIndexes('dcr_population__person', true).map((i) => i.name); // ['dcr_population__person_versions', 'dcr_population__person_batch']
 */
export function recordIndexes(table: string, subjectIsKey: boolean): { name: string; create: string }[] {
  const t = quoted(table);
  const index = (suffix: string, definition: string) => ({ name: `${table}_${suffix}`, create: definition.replace('%', quoted(`${table}_${suffix}`)).replace('@', t) });
  return [
    index('versions', 'create unique index % on @ (_key, _valid_to) nulls not distinct'),
    ...(subjectIsKey ? [] : [index('subject', 'create index % on @ (_subject) where _valid_to is null and _subject is not null')]),
    index('batch', 'create index % on @ (_batch, _row)'),
  ];
}

/**
 * Creates the record table of a resource from its fields, with the indexes lookups need
 * (`recordIndexes`). Large resources are hash-partitioned by key. Keys, subjects and batch ids
 * are identifiers, compared byte by byte (collation "C"): a database's language collation
 * compares text through the C library, without abbreviated sort keys, and built a million
 * keys' index 1.7× slower (PostgreSQL 15, C.UTF-8). Equality is the same either way; compared
 * with a column of the database's collation, theirs is used.
 */
export async function createRecordTable(db: AnyDb, table: string, fields: readonly StoredField[], layout: { partitions?: number; subjectIsKey: boolean }): Promise<void> {
  const { partitions } = layout;
  const columns = fields.map((f) => sql.raw(`${quoted(f.name)} ${columnType(f.type)}`));
  const partitionClause = partitions ? sql` partition by hash (_key)` : sql``;
  await sql`create table ${ident(table)} (
      _key text collate "C" not null,
      _subject text collate "C",
      _valid_from timestamptz not null,
      _valid_to timestamptz,
      _deleted boolean not null default false,
      _batch text collate "C" not null,
      _row bigint not null,
      ${sql.join(columns, sql`, `)}
    )${partitionClause}`.execute(db);
  for (let i = 0; i < (partitions ?? 0); i++) {
    await sql`create table ${ident(`${table}_p${i}`)} partition of ${ident(table)} for values with (modulus ${sql.lit(partitions!)}, remainder ${sql.lit(i)})`.execute(db);
  }
  for (const { create } of recordIndexes(table, layout.subjectIsKey)) await sql.raw(create).execute(db);
}

/** Adds a field's column to a record table (a schema version that adds a field). */
export async function addRecordColumn(db: AnyDb, table: string, field: StoredField): Promise<void> {
  await sql`alter table ${ident(table)} add column ${sql.raw(`${quoted(field.name)} ${columnType(field.type)}`)}`.execute(db);
}

/** The metadata columns every record table has, in COPY order before the fields. */
export const RECORD_META_COLUMNS = ['_key', '_subject', '_valid_from', '_deleted', '_batch', '_row'] as const;

/** A stored record version as read back. */
export interface RecordVersionRow {
  _key: string;
  _subject: string | null;
  _valid_from: Date;
  _valid_to: Date | null;
  _deleted: boolean;
  _batch: string;
  [field: string]: unknown;
}

function fieldSelect(fields: readonly StoredField[]) {
  // Dates as text (no time-zone shift), numerics as text (no float rounding).
  return sql.join(
    [
      sql`_key, _subject, _valid_from, _valid_to, _deleted, _batch`,
      ...fields.map((f) =>
        f.type === 'date' ? sql`to_char(${ident(f.name)}, 'YYYY-MM-DD') as ${ident(f.name)}` : f.type === 'decimal' ? sql`${ident(f.name)}::text as ${ident(f.name)}` : ident(f.name),
      ),
    ],
    sql`, `,
  );
}

// What a statement's text depends on in a table's fields: their names and stored types.
// Kept per field list: a cached resource definition hands the same list to every look-up,
// and the subject look-up's 21 lists cost ~28 µs a call to describe afresh.
const fieldShapes = new WeakMap<readonly StoredField[], string>();
function fieldsShape(fields: readonly StoredField[]): string {
  let shape = fieldShapes.get(fields);
  if (shape === undefined) fieldShapes.set(fields, (shape = fields.map((f) => `${f.name}:${f.type}`).join(',')));
  return shape;
}

/** The current version of a record, by key (no row when it never existed or is deleted), as a statement to run. */
export function currentRecordQuery(table: string, fields: readonly StoredField[], key: string): ShapedStatement<RecordVersionRow> {
  return {
    shape: `current by key|${table}|${fieldsShape(fields)}`,
    parameters: [key],
    build: () => sql<RecordVersionRow>`select ${fieldSelect(fields)} from ${ident(table)} where _key = ${key} and _valid_to is null and not _deleted`,
  };
}

/** Every version of a record, oldest first (deletions included). */
export async function listRecordHistory(db: AnyDb, table: string, fields: readonly StoredField[], key: string): Promise<RecordVersionRow[]> {
  const { rows } = await sql<RecordVersionRow>`select ${fieldSelect(fields)} from ${ident(table)}
    where _key = ${key} order by _valid_from`.execute(db);
  return rows;
}

/**
 * Whether a resource's key is its subject (one person, one record: the population registry):
 * then a subject look-up can also say `_key = subject` and read one hash partition. The key
 * is the field's value as parsed, `_subject` the same value in capitals unless it names a
 * place (`subjectValue`): the two are equal only for a place, or for a field whose type
 * already writes capitals (resident ID, credit code). An ID number kept in a text field as
 * its department wrote it is stored under its own key and a subject in capitals: not this.
 */
export function subjectIsKey(r: Pick<ResourceRow, 'key_fields' | 'subject_field' | 'subject_kind'> & { fields: readonly Pick<StoredField, 'name' | 'type'>[] }): boolean {
  if (r.key_fields.length !== 1 || r.key_fields[0] !== r.subject_field) return false;
  const type = r.fields.find((f) => f.name === r.subject_field)?.type;
  return r.subject_kind === 'place' || type === 'resident_id' || type === 'credit_code';
}

/** One subject's current record in one of several record tables, as `subjectRecordsQuery` reads it. */
export interface SubjectRecordRow {
  /** The resource's code. */
  _resource: string;
  /** The table's position in the list given. */
  _ord: number;
  /** The record, read back from JSON (timestamps are text there). */
  _row: RecordVersionRow;
}

/**
 * The current records of one subject in several record tables, as one statement (one round
 * trip and one plan instead of one per table): each table's rows, at most `limit`. Each table
 * is given the subject as it stores it (`subject`: an ID number in upper case, a text code as
 * written). `subjectIsKey`: see that function. Run it prepared: planning this many tables
 * costs several times reading them.
 */
export function subjectRecordsQuery(
  tables: readonly { code: string; table: string; fields: readonly StoredField[]; subjectIsKey: boolean; subject: string }[],
  limit: number,
): ShapedStatement<SubjectRecordRow> {
  return {
    shape: `subject|${tables.map((t) => `${t.code}|${t.table}|${t.subjectIsKey}|${fieldsShape(t.fields)}`).join(';')}`,
    parameters: tables.flatMap((t) => (t.subjectIsKey ? [t.code, t.subject, t.subject, limit] : [t.code, t.subject, limit])),
    build: () => {
      const branches = tables.map(
        (t, i) => sql`(select ${t.code}::text as _resource, ${sql.lit(i)}::int as _ord, to_jsonb(x) as _row from (select ${fieldSelect(t.fields)} from ${ident(t.table)}
      where _subject = ${t.subject} ${t.subjectIsKey ? sql`and _key = ${t.subject}` : sql``} and _valid_to is null and not _deleted order by _key limit ${limit}) x)`,
      );
      return sql<SubjectRecordRow>`${sql.join(branches, sql` union all `)}`;
    },
  };
}

/** The audit detail of a subject read, over its rows: the resources that had records, in the order asked. */
export function subjectReadDetail(rows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`jsonb_build_object('resources', coalesce((select jsonb_agg(_resource order by _ord) from (select distinct _resource, _ord from ${rows}) found), '[]'::jsonb))`;
}

/**
 * The current records of a record table as a relation (`_key`, `_subject` and the fields
 * given, in their stored types) for set-based predicates composed elsewhere (the sandbox's
 * verifications): a subquery the planner flattens, so the current-by-subject index serves it.
 */
export function currentRecordsRelation(table: string, fields: readonly StoredField[]): RawBuilder<unknown> {
  const columns = [sql`_key`, sql`_subject`, ...fields.map((f) => ident(f.name))];
  return sql`(select ${sql.join(columns, sql`, `)} from ${ident(table)} where _valid_to is null and not _deleted)`;
}

/** A page of current records, in key order after `afterKey`. */
export async function listCurrentRecords(db: AnyDb, table: string, fields: readonly StoredField[], options: { afterKey?: string; limit: number }): Promise<RecordVersionRow[]> {
  const after = options.afterKey === undefined ? sql`true` : sql`_key > ${options.afterKey}`;
  const { rows } = await sql<RecordVersionRow>`select ${fieldSelect(fields)} from ${ident(table)}
    where _valid_to is null and not _deleted and ${after} order by _key limit ${options.limit}`.execute(db);
  return rows;
}

/**
 * Current records matching equality conditions (`_key`, `_subject` or field columns), with
 * only the `fields` given selected, in key order after `afterKey`.
 */
export async function selectCurrentRecords(
  db: AnyDb,
  table: string,
  fields: readonly StoredField[],
  where: readonly { column: string; value: string }[],
  options: { after?: string; limit: number },
): Promise<RecordVersionRow[]> {
  const shape = `current|${table}|${fieldsShape(fields)}|${where.map((w) => w.column).join(',')}|${options.after !== undefined}`;
  const parameters = [...where.map((w) => w.value), ...(options.after !== undefined ? [options.after] : []), options.limit];
  const build = () => {
    const conditions = [sql`_valid_to is null`, sql`not _deleted`, ...where.map((w) => sql`${ident(w.column)} = ${w.value}`)];
    if (options.after !== undefined) conditions.push(sql`_key > ${options.after}`);
    return sql<RecordVersionRow>`select ${fieldSelect(fields)} from ${ident(table)}
    where ${sql.join(conditions, sql` and `)} order by _key limit ${options.limit}`;
  };
  const { rows } = await executePreparedShape(db, { shape, parameters, build });
  return rows;
}

/** One group of current records: the group's values, its record count and its measures. */
export type AggregateRow = Record<string, string | number | boolean | null>;

/**
 * Counts current records grouped by `groupBy`, with sums, averages, minima or maxima of
 * numeric fields named `${fn}_${field}`; values as text where a float would round them.
 */
export async function aggregateCurrentRecords(
  db: AnyDb,
  table: string,
  groupBy: readonly StoredField[],
  measures: readonly { fn: 'sum' | 'avg' | 'min' | 'max'; field: StoredField }[],
): Promise<AggregateRow[]> {
  const groups = groupBy.map((f) => (f.type === 'date' ? sql`to_char(${ident(f.name)}, 'YYYY-MM-DD') as ${ident(f.name)}` : f.type === 'decimal' ? sql`${ident(f.name)}::text as ${ident(f.name)}` : ident(f.name)));
  const computed = measures.map((m) => {
    const name = ident(`${m.fn}_${m.field.name}`);
    const column = ident(m.field.name);
    const value = m.fn === 'avg' ? sql`round(avg(${column}), 2)` : sql`${sql.raw(m.fn)}(${column})`;
    return sql`${value}::text as ${name}`;
  });
  const positions = groupBy.map((_, i) => sql.raw(String(i + 1)));
  const { rows } = await sql<AggregateRow>`select ${sql.join([...groups, sql`count(*)::int as count`, ...computed], sql`, `)}
    from ${ident(table)} where _valid_to is null and not _deleted
    group by ${sql.join(positions, sql`, `)} order by ${sql.join(positions, sql`, `)}`.execute(db);
  return rows;
}

/** The versions one batch wrote (tombstones included), with only `fields`, in row order after `afterRow`. */
export async function selectBatchVersions(db: AnyDb, table: string, fields: readonly StoredField[], batch: string, options: { afterRow: number; limit: number }): Promise<(RecordVersionRow & { _row: number })[]> {
  const { rows } = await sql<RecordVersionRow & { _row: number }>`select ${fieldSelect(fields)}, _row from ${ident(table)}
    where _batch = ${batch} and _row > ${options.afterRow} order by _row limit ${options.limit}`.execute(db);
  return rows.map((r) => ({ ...r, _row: Number(r._row) }));
}

/** The NOTIFY channel that tells every process a resource's definition changed (payload: its code). */
export const RESOURCE_CHANGED_CHANNEL = 'ludao_resource_changed';

/** Current records, versions stored, versions written since `since`, and the last write. */
export async function recordTableStats(db: AnyDb, table: string, since: Date): Promise<{ records: number; versions: number; recent: number; last: Date | null }> {
  const { rows } = await sql<{ records: number; versions: number; recent: number; last: Date | null }>`
    select count(*) filter (where _valid_to is null and not _deleted) as records,
           count(*) as versions,
           count(*) filter (where _valid_from >= ${since}) as recent,
           max(_valid_from) as last
    from ${ident(table)}`.execute(db);
  return rows[0]!;
}

// ---------------------------------------------------------------- batches

/** Creates a batch row in state `receiving`, or takes over a rejected/interrupted one with the same key. */
export async function claimBatch(db: AnyDb, b: Pick<BatchRow, 'id' | 'resource_id' | 'idempotency_key' | 'operation' | 'source' | 'file_name' | 'on_invalid' | 'created_by' | 'created_by_org' | 'process_id'>): Promise<{ claimed: true; id: string } | { claimed: false; existing: BatchRow }> {
  const { rows } = await sql<{ id: string }>`
    insert into dc_batch (id, resource_id, idempotency_key, operation, source, file_name, status, on_invalid, created_by, created_by_org, process_id)
    values (${b.id}, ${b.resource_id}, ${b.idempotency_key}, ${b.operation}, ${b.source}, ${b.file_name}, 'receiving', ${b.on_invalid}, ${b.created_by}, ${b.created_by_org}, ${b.process_id})
    on conflict (resource_id, idempotency_key) do update set
      operation = excluded.operation, source = excluded.source, file_name = excluded.file_name, status = 'receiving',
      on_invalid = excluded.on_invalid, rows_read = 0, rows_valid = 0, rows_invalid = 0, bytes_read = 0, inserted = 0,
      updated = 0, unchanged = 0, deleted = 0, message = null, message_code = null, message_params = null, encoding = null, created_by = excluded.created_by,
      created_by_org = excluded.created_by_org, process_id = excluded.process_id, started_at = now(), heartbeat_at = now(), finished_at = null
      where dc_batch.status in ('rejected', 'interrupted')
    returning id`.execute(db);
  if (rows[0]) {
    await sql`delete from dc_batch_error where batch_id = ${rows[0].id}`.execute(db);
    return { claimed: true, id: rows[0].id };
  }
  const existing = await findBatchByKey(db, b.resource_id, b.idempotency_key);
  return { claimed: false, existing: existing! };
}

/** A batch by resource and idempotency key. */
export async function findBatchByKey(db: AnyDb, resourceId: string, key: string): Promise<BatchRow | undefined> {
  const { rows } = await sql<BatchRow>`select b.*, r.code as resource_code from dc_batch b join dc_resource r on r.id = b.resource_id
    where b.resource_id = ${resourceId} and b.idempotency_key = ${key}`.execute(db);
  return rows[0];
}

/** A rejected row as stored: its reason's English text and, since migration 0009, its code and parameters. */
export interface BatchErrorRow {
  row_number: number;
  field: string;
  reason: string;
  reason_code: string | null;
  reason_params: MessageParams | null;
}

/** A message's columns in `dc_batch`: its code, parameters and English text (null: no message). */
function messageColumns(message: Message | null) {
  const { text, code, params } = storeMessage(message);
  return sql`message = ${text}, message_code = ${code}, message_params = ${params}::jsonb`;
}

/** A batch by id. */
export async function findBatch(db: AnyDb, id: string): Promise<BatchRow | undefined> {
  const { rows } = await sql<BatchRow>`select b.*, r.code as resource_code from dc_batch b join dc_resource r on r.id = b.resource_id where b.id = ${id}`.execute(db);
  return rows[0];
}

/** Recent batches, newest first, optionally of one resource or one provider. */
export async function listBatches(db: AnyDb, filter: { resourceId?: string; providerOrg?: string; limit: number }): Promise<BatchRow[]> {
  const where = [sql`true`];
  if (filter.resourceId) where.push(sql`b.resource_id = ${filter.resourceId}`);
  if (filter.providerOrg) where.push(sql`r.provider_org_code = ${filter.providerOrg}`);
  const { rows } = await sql<BatchRow>`select b.*, r.code as resource_code from dc_batch b join dc_resource r on r.id = b.resource_id
    where ${sql.join(where, sql` and `)} order by b.started_at desc limit ${filter.limit}`.execute(db);
  return rows;
}

/** Saves a running batch's progress (and proves its process alive). */
export async function saveBatchProgress(db: AnyDb, id: string, p: { rowsRead: number; rowsValid: number; rowsInvalid: number; bytesRead: number; encoding: string | null }): Promise<void> {
  await sql`update dc_batch set rows_read = ${p.rowsRead}, rows_valid = ${p.rowsValid}, rows_invalid = ${p.rowsInvalid},
    bytes_read = ${p.bytesRead}, encoding = coalesce(${p.encoding}, encoding), heartbeat_at = now() where id = ${id}`.execute(db);
}

/** Ends a batch as rejected: nothing of it was applied. */
export async function rejectBatch(db: AnyDb, id: string, p: { rowsRead: number; rowsValid: number; rowsInvalid: number; bytesRead: number; encoding: string | null; message: Message }): Promise<void> {
  await sql`update dc_batch set status = 'rejected', rows_read = ${p.rowsRead}, rows_valid = ${p.rowsValid}, rows_invalid = ${p.rowsInvalid},
    bytes_read = ${p.bytesRead}, encoding = coalesce(${p.encoding}, encoding), ${messageColumns(p.message)}, finished_at = now(), heartbeat_at = now()
    where id = ${id}`.execute(db);
}

/** Marks as interrupted the open batches of dead processes (or, on PGlite, every open batch). */
export async function interruptStaleBatches(db: AnyDb, options: { olderThanSeconds: number | null; exceptProcess: string }): Promise<string[]> {
  const stale = options.olderThanSeconds === null ? sql`true` : sql`heartbeat_at < now() - make_interval(secs => ${options.olderThanSeconds})`;
  const { rows } = await sql<{ id: string }>`update dc_batch set status = 'interrupted', finished_at = now(),
      ${messageColumns(dcMessage('dc.batch.interrupted'))}
    where status in ('receiving', 'applying') and process_id <> ${options.exceptProcess} and ${stale}
    returning id`.execute(db);
  return rows.map((r) => r.id);
}

/** Rejected rows of a batch, in row order. */
export async function listBatchErrors(db: AnyDb, batchId: string, options: { limit: number; offset: number }): Promise<BatchErrorRow[]> {
  const { rows } = await sql<BatchErrorRow>`select row_number, field, reason, reason_code, reason_params from dc_batch_error
    where batch_id = ${batchId} order by row_number, field limit ${options.limit} offset ${options.offset}`.execute(db);
  return rows;
}

/** Rows read and rejected over all batches of a resource. */
export async function batchTotals(db: AnyDb, resourceId: string): Promise<{ rows_read: number; rows_invalid: number }> {
  const { rows } = await sql<{ rows_read: number; rows_invalid: number }>`select coalesce(sum(rows_read), 0)::bigint as rows_read,
    coalesce(sum(rows_invalid), 0)::bigint as rows_invalid from dc_batch where resource_id = ${resourceId} and status in ('applied', 'rejected')`.execute(db);
  return rows[0]!;
}

/** The data centre's figures for the dashboard: domains, resources, records, monthly updates. */
export async function catalogueTotals(db: AnyDb): Promise<{ domains: number; resources: number; baseRegistries: number; batches: number }> {
  const { rows } = await sql<{ domains: number; resources: number; baseRegistries: number; batches: number }>`
    select (select count(*) from dc_domain where exists (select 1 from dc_resource r where r.domain_code = dc_domain.code)) as domains,
           (select count(*) from dc_resource) as resources,
           (select count(*) from dc_resource where is_base_registry) as "baseRegistries",
           (select count(*) from dc_batch where status = 'applied') as batches`.execute(db);
  return rows[0]!;
}

// ---------------------------------------------------------------- applying a batch (bulk session)

/** Serialises writers of one resource for the rest of the bulk session's transaction. */
export async function lockResourceForWrite(s: BulkSession, resourceId: string): Promise<void> {
  await s.query(`select pg_advisory_xact_lock(hashtext('ludao.dc.' || $1))`, [resourceId]);
}

/** Drops a batch's staging table. */
export async function dropStage(s: BulkSession | AnyDb, stage: string): Promise<void> {
  if ('copyIn' in s) await s.query(`drop table if exists ${quoted(stage)}`);
  else await sql`drop table if exists ${ident(stage)}`.execute(s);
}

/** Staging tables left behind by batches that never finished. */
export async function listStages(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() and tablename like 'dcs\\_%'`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Applies a staged batch as new versions, inside the caller's transaction: within the batch the
 * last row per key wins; an upsert equal to the current version, or a delete of a key with no
 * current record, is dropped; the current versions of the remaining keys are closed at the
 * transaction's time, and the staged rows become the current versions from that time.
 * Set-based over the analysed stage and the record table's versions index. (A self-join of
 * the record table without statistics looped over every pair of rows on PGlite, which has no
 * autovacuum; the stage carries the batch instead, and is analysed before it is joined.)
 *
 * A table's first load (no rows at all) is written without its indexes, which are then built
 * by sorting: 1 M people took 3.8 s instead of 11.8 s with four indexes kept up row by row.
 * Dropping them locks the empty table until the transaction ends: readers wait for the first
 * load instead of finding nothing (ADR 0009). The first rows go in in key order, as every later
 * batch's new versions do: a batch that replaces most records then closes them, and checks
 * that each key has one current version, page after page instead of at random. On 1 M people
 * that made the first load's insert ~3 s slower (its sort) and its two key indexes ~1 s
 * quicker to build, and a 900 K update's insert 24 and 19 s instead of 30 and 34 s.
 */
export async function applyStage(
  s: BulkSession,
  table: string,
  stage: string,
  columns: readonly string[],
  operation: 'upsert' | 'delete',
  subjectIsKey: boolean,
): Promise<{ written: number; unchanged: number; replaced: number; duplicates: number }> {
  const t = quoted(table);
  const st = quoted(stage);
  const list = columns.map(quoted).join(', ');
  const meta: readonly string[] = RECORD_META_COLUMNS;
  const fields = columns.filter((c) => !meta.includes(c));
  // A row with the same values as the current version (every field, as stored) changes nothing.
  const sameValues = `(${fields.map((f) => `o.${quoted(f)}`).join(', ')}) is not distinct from (${fields.map((f) => `s.${quoted(f)}`).join(', ')})`;
  // In key order: the versions index then grows page after page instead of at random pages,
  // which halves a large batch's insert.
  const insert = `insert into ${t} (${list}, _valid_from) select ${list}, now() from ${st} order by _key`;
  await s.query(`set local work_mem = '${APPLY_WORK_MEM}'`);
  const dedupe = async () =>
    (await s.query(`delete from ${st} s using (select _key, max(_row) as last from ${st} group by _key having count(*) > 1) d where s._key = d._key and s._row < d.last`)).rowCount;
  const hadRows = (await s.query(`select exists (select 1 from ${t}) as x`)).rows[0]?.x === true;
  if (!hadRows) {
    if (operation === 'delete') return { written: 0, unchanged: (await s.query(`delete from ${st}`)).rowCount, replaced: 0, duplicates: 0 };
    // Most batches name each key once: the unique index on the current key finds out while it
    // is built; only a batch that repeats a key pays for a pass that keeps each key's last row.
    const first = await firstLoad(s, table, subjectIsKey, insert);
    if (first !== 'duplicates') return { written: first, unchanged: 0, replaced: 0, duplicates: 0 };
    const duplicates = await dedupe();
    const written = await firstLoad(s, table, subjectIsKey, insert);
    if (written === 'duplicates') throw new Error(`${table}: the batch still repeats a key after keeping each key's last row`);
    return { written, unchanged: 0, replaced: 0, duplicates };
  }
  const duplicates = await dedupe();
  await s.query(`analyze ${st}`);
  const unchanged =
    operation === 'upsert'
      ? (await s.query(`delete from ${st} s where exists (select 1 from ${t} o where o._key = s._key and o._valid_to is null and not o._deleted and ${sameValues})`)).rowCount
      : (await s.query(`delete from ${st} s where not exists (select 1 from ${t} o where o._key = s._key and o._valid_to is null and not o._deleted)`)).rowCount;
  const replaced = (await s.query(`update ${t} o set _valid_to = now() from ${st} s where o._key = s._key and o._valid_to is null`)).rowCount;
  const written = (await s.query(insert)).rowCount;
  return { written, unchanged, replaced, duplicates };
}

/**
 * The memory each sort and hash of an apply may take before it spills to disk (PostgreSQL's
 * default is 4 MB), for the applying transaction only. The close of 900 K current versions
 * joins the stage to the record table: in 4 MB the join's hash split into 16 batches, which
 * handed rows to the UPDATE in hash order, i.e. at random pages of the record table. With the
 * table larger than shared_buffers every page was evicted and read again, and each checkpoint
 * that its WAL set off made the next change of a page log the whole page: 4.6 GB of WAL and
 * 31–39 s, against 0.9 GB and 17–24 s with the hash in memory (1 M people, PostgreSQL 15 as
 * Debian configures it). A batch of a few rows uses none of it.
 */
const APPLY_WORK_MEM = '256MB';

// Writes an empty table's first rows with `insert` while its indexes are away, then builds them;
// 'duplicates' (and nothing done) when the rows repeat a key.
async function firstLoad(s: BulkSession, table: string, subjectIsKey: boolean, insert: string): Promise<number | 'duplicates'> {
  const indexes = recordIndexes(table, subjectIsKey);
  await s.query('savepoint ludao_first_load');
  try {
    for (const { name } of indexes) await s.query(`drop index if exists ${quoted(name)}`);
    const written = (await s.query(insert)).rowCount;
    for (const { create } of indexes) await s.query(create);
    await s.query('release savepoint ludao_first_load');
    return written;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await s.query('rollback to savepoint ludao_first_load');
    return 'duplicates';
  }
}

const UNIQUE_VIOLATION = '23505';

/** Ends a batch as applied, with its figures (in the applying transaction). */
export async function finishBatch(
  db: AnyDb,
  id: string,
  p: { rowsRead: number; rowsValid: number; rowsInvalid: number; bytesRead: number; encoding: string | null; inserted: number; updated: number; unchanged: number; deleted: number; message: Message | null },
): Promise<void> {
  await sql`update dc_batch set status = 'applied', rows_read = ${p.rowsRead}, rows_valid = ${p.rowsValid}, rows_invalid = ${p.rowsInvalid},
      bytes_read = ${p.bytesRead}, encoding = coalesce(${p.encoding}, encoding), inserted = ${p.inserted}, updated = ${p.updated},
      unchanged = ${p.unchanged}, deleted = ${p.deleted}, ${messageColumns(p.message)}, finished_at = now(), heartbeat_at = now()
    where id = ${id}`.execute(db);
}

/** Stores rejected rows of a batch. */
export async function insertBatchErrors(db: AnyDb, batchId: string, errors: readonly { row: number; field: string; reason: Message }[]): Promise<void> {
  for (let i = 0; i < errors.length; i += 1000) {
    const part = errors.slice(i, i + 1000);
    const reasons = part.map((e) => storeMessage(e.reason));
    await sql`insert into dc_batch_error (batch_id, row_number, field, reason, reason_code, reason_params)
      select ${batchId}, * from unnest(${part.map((e) => e.row)}::bigint[], ${part.map((e) => toStorableText(e.field))}::text[], ${reasons.map((r) => r.text)}::text[],
        ${reasons.map((r) => r.code)}::text[], ${reasons.map((r) => r.params)}::jsonb[])
      on conflict do nothing`.execute(db);
  }
}
