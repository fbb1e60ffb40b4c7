import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { orgWithinSql } from '../../platform/access';
import type { DatasetField, DatasetFieldType, Pipeline } from './opendata.contract';

/**
 * Every query on the open-data portal's tables: datasets, versions and their row tables,
 * developer keys and usage, conditional-opening applications.
 */

type AnyDb = Kysely<object> | Transaction<object>;
const ident = (name: string) => sql.id(name);

/** A dataset row. */
export interface DatasetRow {
  id: string;
  num: number;
  title: string;
  title_en: string;
  description: string;
  org_code: string;
  theme: string;
  tags: string[];
  licence: string;
  update_frequency: string;
  open_type: 'unconditional' | 'conditional';
  source: 'resource' | 'upload';
  source_resource: string | null;
  field_notes: Record<string, { description?: string; unit?: string }>;
  status: 'draft' | 'review' | 'published' | 'withdrawn';
  published_version: number | null;
  downloads: number;
  api_calls: number;
  created_by: string;
  created_at: Date;
  modified_at: Date;
}

/** A version row. */
export interface VersionRow {
  dataset_id: string;
  version: number;
  status: 'draft' | 'review' | 'published' | 'rejected' | 'superseded';
  changelog: string;
  pipeline: Pipeline | null;
  table_name: string;
  fields: DatasetField[];
  geo: { lat: string; lon: string } | null;
  row_count: number;
  /** Columns that hold no null. */
  not_null: string[];
  created_by: string;
  created_at: Date;
  submitted_at: Date | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  published_at: Date | null;
}

/** A dataset with the version it shows: the published one, else its latest. */
export type DatasetWithVersion = DatasetRow & { version: VersionRow | null };

const DATASET_COLUMNS = sql`d.id, d.num::int as num, d.title, d.title_en, d.description, d.org_code, d.theme, d.tags, d.licence, d.update_frequency,
  d.open_type, d.source, d.source_resource, d.field_notes, d.status, d.published_version, d.downloads::int as downloads, d.api_calls::int as api_calls,
  d.created_by, d.created_at, d.modified_at`;
const VERSION_JSON = sql`(select to_jsonb(v) - 'pipeline' || jsonb_build_object('pipeline', v.pipeline) from od_version v
  where v.dataset_id = d.id and v.version = coalesce(d.published_version, (select max(version) from od_version w where w.dataset_id = d.id))) as version`;

function withVersion(row: DatasetRow & { version: Record<string, unknown> | null }): DatasetWithVersion {
  return { ...row, version: row.version ? versionFromJson(row.version) : null };
}

function versionFromJson(v: Record<string, unknown>): VersionRow {
  const date = (x: unknown) => (x == null ? null : new Date(String(x)));
  return {
    ...(v as unknown as VersionRow),
    row_count: Number(v.row_count),
    created_at: new Date(String(v.created_at)),
    submitted_at: date(v.submitted_at),
    reviewed_at: date(v.reviewed_at),
    published_at: date(v.published_at),
  };
}

/** A new dataset's columns. */
export type NewDataset = Omit<DatasetRow, 'num' | 'published_version' | 'downloads' | 'api_calls' | 'created_at' | 'modified_at' | 'status'> & { search: string };

/** Inserts a dataset (a draft until a version is published); returns its number (for table names). */
export async function insertDataset(db: AnyDb, d: NewDataset): Promise<number> {
  const { rows } = await sql<{ num: number }>`insert into od_dataset (id, title, title_en, description, org_code, theme, tags, licence, update_frequency,
      open_type, source, source_resource, field_notes, status, search, created_by)
    values (${d.id}, ${d.title}, ${d.title_en}, ${d.description}, ${d.org_code}, ${d.theme}, ${d.tags}, ${d.licence}, ${d.update_frequency},
      ${d.open_type}, ${d.source}, ${d.source_resource}, ${JSON.stringify(d.field_notes)}::jsonb, 'draft', ${d.search}::tsvector, ${d.created_by})
    returning num::int as num`.execute(db);
  return rows[0]!.num;
}

/** Replaces a dataset's descriptive metadata (a new version's). */
export async function updateDatasetMeta(db: AnyDb, id: string, d: Pick<NewDataset, 'title' | 'title_en' | 'description' | 'theme' | 'tags' | 'licence' | 'update_frequency' | 'open_type' | 'field_notes' | 'search'>): Promise<void> {
  await sql`update od_dataset set title = ${d.title}, title_en = ${d.title_en}, description = ${d.description}, theme = ${d.theme}, tags = ${d.tags},
      licence = ${d.licence}, update_frequency = ${d.update_frequency}, open_type = ${d.open_type}, field_notes = ${JSON.stringify(d.field_notes)}::jsonb,
      search = ${d.search}::tsvector
    where id = ${id}`.execute(db);
}

/** A dataset with its shown version. */
export async function findDataset(db: AnyDb, id: string): Promise<DatasetWithVersion | undefined> {
  const { rows } = await sql<DatasetRow & { version: Record<string, unknown> | null }>`select ${DATASET_COLUMNS}, ${VERSION_JSON} from od_dataset d where d.id = ${id}`.execute(db);
  return rows[0] ? withVersion(rows[0]) : undefined;
}

/** The filter of a catalogue search. */
export interface DatasetFilter {
  /** A `tsquery` literal the dataset's words must match. */
  query?: string;
  org?: string;
  theme?: string;
  /** Every one of these tags. */
  tags?: readonly string[];
  licence?: string;
  /** Modified within these bounds (ISO 8601, inclusive). */
  modifiedFrom?: string;
  modifiedTo?: string;
  /** Only datasets with geo columns (GeoJSON), or without. */
  geo?: boolean;
  openType?: string;
  /** Statuses to include (the public sees 'published' only). */
  statuses: readonly string[];
  /** Only these organisations' datasets (a department's own list). */
  orgPrefix?: string;
}

function filterSql(f: DatasetFilter): RawBuilder<unknown> {
  const where = [sql`d.status in (${sql.join(f.statuses.map((s) => sql`${s}`))})`];
  if (f.query) where.push(sql`d.search @@ ${f.query}::tsquery`);
  if (f.org) where.push(sql`d.org_code = ${f.org}`);
  if (f.theme) where.push(sql`d.theme = ${f.theme}`);
  if (f.tags?.length) where.push(sql`d.tags @> ${[...f.tags]}::text[]`);
  if (f.licence) where.push(sql`d.licence = ${f.licence}`);
  if (f.modifiedFrom) where.push(sql`d.modified_at >= ${f.modifiedFrom}::timestamptz`);
  if (f.modifiedTo) where.push(sql`d.modified_at <= ${f.modifiedTo}::timestamptz`);
  if (f.openType) where.push(sql`d.open_type = ${f.openType}`);
  if (f.orgPrefix) where.push(orgWithinSql('d.org_code', f.orgPrefix));
  if (f.geo !== undefined) {
    const hasGeo = sql`exists (select 1 from od_version v where v.dataset_id = d.id and v.version = d.published_version and v.geo is not null)`;
    where.push(f.geo ? hasGeo : sql`not ${hasGeo}`);
  }
  return sql.join(where, sql` and `);
}

/** How many matching datasets have a value of a facet. */
export interface FacetCount {
  facet: 'org' | 'theme' | 'tag' | 'openType' | 'licence' | 'geo';
  value: string;
  n: number;
}

/**
 * The facet counts of every dataset matching a filter, counted in the database (a few rows
 * back, however many datasets match). Every dataset has one open type, so those counts sum to
 * the number of matches.
 */
export async function facetCounts(db: AnyDb, f: DatasetFilter): Promise<FacetCount[]> {
  const { rows } = await sql<FacetCount>`
    with m as materialized (
      select d.org_code, d.theme, d.tags, d.open_type, d.licence,
        exists (select 1 from od_version v where v.dataset_id = d.id and v.version = d.published_version and v.geo is not null) as geo
      from od_dataset d where ${filterSql(f)})
    select 'org' as facet, org_code as value, count(*)::int as n from m group by org_code
    union all select 'theme', theme, count(*)::int from m group by theme
    union all select 'tag', t, count(*)::int from m, unnest(m.tags) as t group by t
    union all select 'openType', open_type, count(*)::int from m group by open_type
    union all select 'licence', licence, count(*)::int from m group by licence
    union all select 'geo', geo::text, count(*)::int from m group by geo`.execute(db);
  return rows;
}

/** A page of datasets matching a filter, best first. */
export async function searchDatasets(db: AnyDb, f: DatasetFilter, order: 'relevance' | 'modified' | 'downloads' | 'title', page: { limit: number; offset: number }): Promise<DatasetWithVersion[]> {
  const by =
    order === 'relevance' && f.query
      ? sql`ts_rank(d.search, ${f.query}::tsquery) desc, d.downloads desc, d.id`
      : order === 'downloads'
        ? sql`d.downloads desc, d.id`
        : order === 'title'
          ? sql`d.title, d.id`
          : sql`d.modified_at desc, d.id`;
  const { rows } = await sql<DatasetRow & { version: Record<string, unknown> | null }>`select ${DATASET_COLUMNS}, ${VERSION_JSON}
    from od_dataset d where ${filterSql(f)} order by ${by} limit ${page.limit} offset ${page.offset}`.execute(db);
  return rows.map(withVersion);
}

/** Sets a dataset's status (and, when publishing, its served version and modification time). */
export async function setDatasetStatus(db: AnyDb, id: string, status: DatasetRow['status'], publishedVersion?: number): Promise<void> {
  if (publishedVersion === undefined) {
    await sql`update od_dataset set status = ${status} where id = ${id}`.execute(db);
  } else {
    await sql`update od_dataset set status = ${status}, published_version = ${publishedVersion}, modified_at = now() where id = ${id}`.execute(db);
  }
}

/** Adds downloads and API calls to datasets' counters. */
export async function addDatasetCounts(db: AnyDb, counts: readonly { id: string; calls: number; downloads: number }[]): Promise<void> {
  for (const c of counts) {
    await sql`update od_dataset set api_calls = api_calls + ${c.calls}, downloads = downloads + ${c.downloads} where id = ${c.id}`.execute(db);
  }
}

// ---------------------------------------------------------------- versions

/** The next version number of a dataset. */
export async function nextVersion(db: AnyDb, id: string): Promise<number> {
  const { rows } = await sql<{ v: number }>`select coalesce(max(version), 0)::int + 1 as v from od_version where dataset_id = ${id}`.execute(db);
  return rows[0]!.v;
}

/** Inserts a version (a draft). */
export async function insertVersion(db: AnyDb, v: Pick<VersionRow, 'dataset_id' | 'version' | 'changelog' | 'pipeline' | 'table_name' | 'fields' | 'geo' | 'row_count' | 'not_null' | 'created_by'>): Promise<void> {
  await sql`insert into od_version (dataset_id, version, status, changelog, pipeline, table_name, fields, geo, row_count, not_null, created_by)
    values (${v.dataset_id}, ${v.version}, 'draft', ${v.changelog}, ${v.pipeline ? JSON.stringify(v.pipeline) : null}::jsonb, ${v.table_name},
      ${JSON.stringify(v.fields)}::jsonb, ${v.geo ? JSON.stringify(v.geo) : null}::jsonb, ${v.row_count}, ${v.not_null}::text[], ${v.created_by})`.execute(db);
}

/** One version of a dataset. */
export async function findVersion(db: AnyDb, id: string, version: number): Promise<VersionRow | undefined> {
  const { rows } = await sql<VersionRow>`select dataset_id, version, status, changelog, pipeline, table_name, fields, geo, row_count::int as row_count, not_null, created_by,
      created_at, submitted_at, reviewed_by, reviewed_at, review_note, published_at
    from od_version where dataset_id = ${id} and version = ${version}`.execute(db);
  return rows[0];
}

/** Every version of a dataset, newest first. */
export async function listVersions(db: AnyDb, id: string): Promise<VersionRow[]> {
  const { rows } = await sql<VersionRow>`select dataset_id, version, status, changelog, pipeline, table_name, fields, geo, row_count::int as row_count, not_null, created_by,
      created_at, submitted_at, reviewed_by, reviewed_at, review_note, published_at
    from od_version where dataset_id = ${id} order by version desc`.execute(db);
  return rows;
}

/** Versions waiting for review, oldest first. */
export async function listVersionsInReview(db: AnyDb): Promise<VersionRow[]> {
  const { rows } = await sql<VersionRow>`select dataset_id, version, status, changelog, pipeline, table_name, fields, geo, row_count::int as row_count, not_null, created_by,
      created_at, submitted_at, reviewed_by, reviewed_at, review_note, published_at
    from od_version where status = 'review' order by submitted_at`.execute(db);
  return rows;
}

/** Moves a version on: submitted for review, published (the previous one superseded), or rejected. */
export async function setVersionStatus(db: AnyDb, id: string, version: number, to: 'review' | 'published' | 'rejected', by: string, note: string | null): Promise<void> {
  if (to === 'review') {
    await sql`update od_version set status = 'review', submitted_at = now() where dataset_id = ${id} and version = ${version}`.execute(db);
    return;
  }
  if (to === 'published') {
    await sql`update od_version set status = 'superseded' where dataset_id = ${id} and status = 'published'`.execute(db);
  }
  await sql`update od_version set status = ${to}, reviewed_by = ${by}, reviewed_at = now(), review_note = ${note},
      published_at = case when ${to} = 'published' then now() else published_at end
    where dataset_id = ${id} and version = ${version}`.execute(db);
}

// ---------------------------------------------------------------- row tables

const SQL_TYPES: Record<DatasetFieldType, string> = {
  text: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  date: 'date',
  timestamp: 'timestamptz',
  boolean: 'boolean',
  json: 'jsonb',
};

/** The name of a version's row table. */
export function rowTableName(datasetNum: number, version: number): string {
  return `odr_${datasetNum}_v${version}`;
}

/** Creates a version's row table: `_id` (row number), the typed fields, `_search` (segmented words). */
export async function createRowTable(db: AnyDb, table: string, fields: readonly DatasetField[]): Promise<void> {
  const columns = fields.map((f) => sql`${ident(f.name)} ${sql.raw(SQL_TYPES[f.type])}`);
  await sql`create table ${ident(table)} (_id bigint primary key, ${sql.join(columns, sql`, `)}, _search tsvector)`.execute(db);
}

/**
 * Indexes a loaded row table for the query API: each filterable column (json excepted) with
 * `_id`, text in the `collate "C"` order the query API compares and sorts in, and the words for
 * full-text `q`. Built after loading, which is faster than indexing row by row. Returns the
 * columns that hold no null (found in one pass), which lets the API page them by index alone.
 */
export async function indexRowTable(db: AnyDb, table: string, fields: readonly DatasetField[]): Promise<string[]> {
  for (const f of fields.filter((x) => x.type !== 'json').slice(0, 16)) {
    const column = f.type === 'text' ? sql`${ident(f.name)} collate "C"` : ident(f.name);
    await sql`create index ${ident(`${table}_${f.name}`)} on ${ident(table)} (${column}, _id)`.execute(db);
  }
  if (fields.some((f) => f.type === 'text')) await sql`create index ${ident(`${table}__search`)} on ${ident(table)} using gin (_search)`.execute(db);
  await sql`analyze ${ident(table)}`.execute(db);
  if (!fields.length) return [];
  const { rows } = await sql<Record<string, boolean | null>>`select ${sql.join(
    fields.map((f, i) => sql`bool_or(${ident(f.name)} is null) as ${ident(`n${i}`)}`),
    sql`, `,
  )} from ${ident(table)}`.execute(db);
  // An empty table has no nulls either (bool_or of no rows is null).
  return fields.filter((_, i) => rows[0]?.[`n${i}`] !== true).map((f) => f.name);
}

/**
 * The values of a row table's text columns that have few distinct values (districts, kinds,
 * statuses): words of the data itself for catalogue search. At most `perColumn` each.
 */
export async function fewDistinctValues(db: AnyDb, table: string, fields: readonly DatasetField[], perColumn = 30): Promise<string[]> {
  const out: string[] = [];
  for (const f of fields.filter((x) => x.type === 'text').slice(0, 8)) {
    const { rows } = await sql<{ v: string }>`select distinct ${ident(f.name)} as v from ${ident(table)} where ${ident(f.name)} is not null limit ${perColumn + 1}`.execute(db);
    if (rows.length <= perColumn) out.push(...rows.map((r) => r.v).filter((v) => v.length <= 40));
  }
  return out;
}

/** Adds words (a `tsvector` literal) to a dataset's search words. */
export async function addSearchWords(db: AnyDb, id: string, words: string): Promise<void> {
  if (words) await sql`update od_dataset set search = search || ${words}::tsvector where id = ${id}`.execute(db);
}

/** Drops a row table (a draft that failed to load). */
export async function dropRowTable(db: AnyDb, table: string): Promise<void> {
  await sql`drop table if exists ${ident(table)}`.execute(db);
}

/** Rows of a row table in `_id` order after `afterId`, with values as the query API shows them. */
export async function selectRows(db: AnyDb, table: string, fields: readonly DatasetField[], page: { afterId: number; limit: number }): Promise<Record<string, unknown>[]> {
  const { rows } = await sql<Record<string, unknown>>`select _id, ${sql.join(fields.map(presentColumn), sql`, `)}
    from ${ident(table)} where _id > ${page.afterId} order by _id limit ${page.limit}`.execute(db);
  return rows.map((row) => normaliseRow(row, fields));
}

/** A column as the API shows it: dates as YYYY-MM-DD, timestamps ISO 8601 in UTC, numbers exact. */
export function presentColumn(f: Pick<DatasetField, 'name' | 'type'>): RawBuilder<unknown> {
  const c = ident(f.name);
  if (f.type === 'date') return sql`to_char(${c}, 'YYYY-MM-DD') as ${c}`;
  if (f.type === 'timestamp') return sql`to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ${c}`;
  if (f.type === 'decimal' || f.type === 'integer') return sql`${c}::text as ${c}`;
  return c;
}

/**
 * The SELECT whose rows a CSV export is: every field as the CSV shows it (the same text the
 * streamed JSON path writes: true/false, ISO dates), in row order. Identifiers only — no
 * parameters — so it can run inside `COPY (…) TO STDOUT`.
 */
export function csvExportQuery(table: string, fields: readonly Pick<DatasetField, 'name' | 'type'>[]): string {
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const column = (f: Pick<DatasetField, 'name' | 'type'>) => {
    const c = q(f.name);
    switch (f.type) {
      case 'date':
        return `to_char(${c}, 'YYYY-MM-DD') as ${c}`;
      case 'timestamp':
        return `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ${c}`;
      case 'boolean':
        return `case when ${c} then 'true' when not ${c} then 'false' end as ${c}`;
      case 'json':
        return `${c}::text as ${c}`;
      default:
        return c;
    }
  };
  return `select ${fields.map(column).join(', ')} from ${q(table)} order by _id`;
}

/** Numeric columns become numbers where a double holds them exactly; others stay exact text. */
export function normaliseRow(row: Record<string, unknown>, fields: readonly Pick<DatasetField, 'name' | 'type'>[]): Record<string, unknown> {
  for (const f of fields) {
    const v = row[f.name];
    if (typeof v === 'string' && (f.type === 'integer' || f.type === 'decimal')) row[f.name] = exactNumber(v);
  }
  return row;
}

function exactNumber(v: string): number | string {
  const n = Number(v);
  if (/^-?\d+$/.test(v)) return Number.isSafeInteger(n) ? n : v;
  const trimmed = v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
  return Number.isFinite(n) && String(n) === trimmed ? n : v;
}

// ---------------------------------------------------------------- keys and usage

/** A developer key row. */
export interface KeyRow {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  daily_quota: number;
  datasets: string[] | null;
  application_id: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** Inserts a key. */
export async function insertKey(db: AnyDb, k: Omit<KeyRow, 'created_at' | 'revoked_at'>): Promise<void> {
  await sql`insert into od_key (id, user_id, name, secret_hash, daily_quota, datasets, application_id, expires_at)
    values (${k.id}, ${k.user_id}, ${k.name}, ${k.secret_hash}, ${k.daily_quota}, ${k.datasets}, ${k.application_id}, ${k.expires_at})`.execute(db);
}

/** A key by id. */
export async function findKey(db: AnyDb, id: string): Promise<KeyRow | undefined> {
  const { rows } = await sql<KeyRow>`select * from od_key where id = ${id}`.execute(db);
  return rows[0];
}

/** A developer's keys, newest first. */
export async function listKeys(db: AnyDb, userId: string): Promise<KeyRow[]> {
  const { rows } = await sql<KeyRow>`select * from od_key where user_id = ${userId} order by created_at desc`.execute(db);
  return rows;
}

/** Revokes a key. */
export async function revokeKey(db: AnyDb, id: string, by: string): Promise<void> {
  await sql`update od_key set revoked_at = now(), revoked_by = ${by} where id = ${id} and revoked_at is null`.execute(db);
}

/** Adds counted calls and downloads to the day's usage rows. */
export async function addUsage(db: AnyDb, day: string, rows: readonly { keyId: string; datasetId: string; calls: number; downloads: number }[]): Promise<void> {
  for (const r of rows) {
    await sql`insert into od_usage (day, key_id, dataset_id, calls, downloads) values (${day}::date, ${r.keyId}, ${r.datasetId}, ${r.calls}, ${r.downloads})
      on conflict (day, key_id, dataset_id) do update set calls = od_usage.calls + excluded.calls, downloads = od_usage.downloads + excluded.downloads`.execute(db);
  }
}

/** Calls a key made on one day (all datasets). */
export async function keyCallsOn(db: AnyDb, keyId: string, day: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select coalesce(sum(calls + downloads), 0)::int as n from od_usage where key_id = ${keyId} and day = ${day}::date`.execute(db);
  return rows[0]!.n;
}

/**
 * Calls several keys made on one day (all datasets, as `keyCallsOn` counts them), by key id;
 * a key without usage that day is absent.
 */
export async function keysCallsOn(db: AnyDb, keyIds: readonly string[], day: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ key_id: string; n: number }>`select key_id, sum(calls + downloads)::int as n from od_usage
    where day = ${day}::date and key_id = any(${[...keyIds]}::text[]) group by key_id`.execute(db);
  return new Map(rows.map((r) => [r.key_id, r.n]));
}

/** A key's usage per day and dataset, newest first. */
export async function keyUsage(db: AnyDb, keyId: string, limit = 90): Promise<{ day: string; dataset_id: string; calls: number; downloads: number }[]> {
  const { rows } = await sql<{ day: string; dataset_id: string; calls: number; downloads: number }>`
    select to_char(day, 'YYYY-MM-DD') as day, dataset_id, calls::int as calls, downloads::int as downloads
    from od_usage where key_id = ${keyId} order by day desc, dataset_id limit ${limit}`.execute(db);
  return rows;
}

/**
 * Rows of a row table as CKAN's datastore_search pages them: equality filters, full-text words,
 * a sort over allowed columns, offset and limit; with the total of matching rows.
 */
export async function datastoreRows(
  db: AnyDb,
  table: string,
  fields: readonly DatasetField[],
  p: { filters: readonly { field: DatasetField; values: readonly string[] }[]; query?: string; sort: readonly { field: string; desc: boolean }[]; limit: number; offset: number },
): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const casts: Record<DatasetFieldType, string> = { text: 'text', integer: 'bigint', decimal: 'numeric', date: 'date', timestamp: 'timestamptz', boolean: 'boolean', json: 'jsonb' };
  const where = p.filters.map((f) => sql`${ident(table)}.${ident(f.field.name)} in (${sql.join(f.values.map((v) => sql`${v}::${sql.raw(casts[f.field.type])}`))})`);
  if (p.query) where.push(sql`_search @@ ${p.query}::tsquery`);
  const condition = where.length ? sql.join(where, sql` and `) : sql`true`;
  // Qualified: the output columns (numbers as text) carry the same names and would sort as text.
  const order = sql.join([...p.sort.map((s) => sql`${ident(table)}.${ident(s.field)} ${sql.raw(s.desc ? 'desc nulls last' : 'asc nulls first')}`), sql`${ident(table)}._id`], sql`, `);
  const [{ rows }, total] = await Promise.all([
    sql<Record<string, unknown>>`select _id, ${sql.join(fields.map(presentColumn), sql`, `)} from ${ident(table)} where ${condition} order by ${order} limit ${p.limit} offset ${p.offset}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from ${ident(table)} where ${condition}`.execute(db),
  ]);
  return { rows: rows.map((r) => normaliseRow({ ...r, _id: Number(r._id) }, fields)), total: total.rows[0]!.n };
}

// ---------------------------------------------------------------- conditional-opening applications

/** An application for a conditional dataset. */
export interface ApplicationRow {
  id: string;
  dataset_id: string;
  provider_org: string;
  user_id: string;
  applicant: string;
  purpose: string;
  scenario: string;
  undertaking: string;
  requested_days: number;
  status: 'submitted' | 'returned' | 'checked' | 'approved' | 'refused' | 'revoked' | 'expired';
  check_due: string;
  submitted_at: Date;
  key_id: string | null;
  valid_until: Date | null;
  reason: string | null;
}

/** A step in an application's life. */
export interface ApplicationStepRow {
  seq: number;
  at: Date;
  actor: string;
  actor_org: string | null;
  action: string;
  note: string | null;
}

const APPLICATION_COLUMNS = sql`id, dataset_id, provider_org, user_id, applicant, purpose, scenario, undertaking, requested_days, status,
  to_char(check_due, 'YYYY-MM-DD') as check_due, submitted_at, key_id, valid_until, reason`;

/** Inserts an application. */
export async function insertApplication(db: AnyDb, a: Omit<ApplicationRow, 'submitted_at' | 'key_id' | 'valid_until' | 'reason' | 'status'>): Promise<void> {
  await sql`insert into od_application (id, dataset_id, provider_org, user_id, applicant, purpose, scenario, undertaking, requested_days, status, check_due)
    values (${a.id}, ${a.dataset_id}, ${a.provider_org}, ${a.user_id}, ${a.applicant}, ${a.purpose}, ${a.scenario}, ${a.undertaking}, ${a.requested_days}, 'submitted', ${a.check_due}::date)`.execute(db);
}

/** An application by id. */
export async function findApplication(db: AnyDb, id: string): Promise<ApplicationRow | undefined> {
  const { rows } = await sql<ApplicationRow>`select ${APPLICATION_COLUMNS} from od_application where id = ${id}`.execute(db);
  return rows[0];
}

/** Applications by applicant, or by provider department (with its units), or all; newest first. */
export async function listApplications(db: AnyDb, by: { userId?: string; providerOrg?: string }): Promise<ApplicationRow[]> {
  const where = by.userId
    ? sql`user_id = ${by.userId}`
    : by.providerOrg
      ? orgWithinSql('provider_org', by.providerOrg)
      : sql`true`;
  const { rows } = await sql<ApplicationRow>`select ${APPLICATION_COLUMNS} from od_application where ${where} order by submitted_at desc limit 500`.execute(db);
  return rows;
}

/** Moves an application on, with the fields that change. */
export async function updateApplication(db: AnyDb, id: string, to: ApplicationRow['status'], change: { reason?: string | null; keyId?: string; validUntil?: Date; purpose?: string; scenario?: string; checkDue?: string } = {}): Promise<void> {
  await sql`update od_application set status = ${to},
      reason = coalesce(${change.reason ?? null}, reason),
      key_id = coalesce(${change.keyId ?? null}, key_id),
      valid_until = coalesce(${change.validUntil ?? null}::timestamptz, valid_until),
      purpose = coalesce(${change.purpose ?? null}, purpose),
      scenario = coalesce(${change.scenario ?? null}, scenario),
      check_due = coalesce(${change.checkDue ?? null}::date, check_due)
    where id = ${id}`.execute(db);
}

/** Appends a step to an application's timeline. */
export async function addApplicationStep(db: AnyDb, id: string, step: { actor: string; actorOrg: string | null; action: string; note: string | null }): Promise<void> {
  await sql`insert into od_application_step (application_id, seq, actor, actor_org, action, note)
    values (${id}, (select coalesce(max(seq), 0) + 1 from od_application_step where application_id = ${id}), ${step.actor}, ${step.actorOrg}, ${step.action}, ${step.note})`.execute(db);
}

/** An application's timeline, oldest first. */
export async function applicationSteps(db: AnyDb, id: string): Promise<ApplicationStepRow[]> {
  const { rows } = await sql<ApplicationStepRow>`select seq, at, actor, actor_org, action, note from od_application_step where application_id = ${id} order by seq`.execute(db);
  return rows;
}

// ---------------------------------------------------------------- community

/** Feedback or an error report on a dataset. */
export interface FeedbackRow {
  id: string;
  dataset_id: string;
  provider_org: string;
  kind: 'error' | 'comment';
  body: string;
  user_id: string;
  author: string;
  status: 'open' | 'answered';
  reply: string | null;
  replied_by: string | null;
  created_at: Date;
  replied_at: Date | null;
}

/** Inserts feedback. */
export async function insertFeedback(db: AnyDb, f: Pick<FeedbackRow, 'id' | 'dataset_id' | 'provider_org' | 'kind' | 'body' | 'user_id' | 'author'>): Promise<void> {
  await sql`insert into od_feedback (id, dataset_id, provider_org, kind, body, user_id, author, status)
    values (${f.id}, ${f.dataset_id}, ${f.provider_org}, ${f.kind}, ${f.body}, ${f.user_id}, ${f.author}, 'open')`.execute(db);
}

/** Feedback on a dataset, or for a provider department (with its units), or all; newest first. */
export async function listFeedback(db: AnyDb, by: { datasetId?: string; providerOrg?: string }): Promise<FeedbackRow[]> {
  const where = by.datasetId
    ? sql`dataset_id = ${by.datasetId}`
    : by.providerOrg
      ? orgWithinSql('provider_org', by.providerOrg)
      : sql`true`;
  const { rows } = await sql<FeedbackRow>`select * from od_feedback where ${where} order by created_at desc limit 500`.execute(db);
  return rows;
}

/** One feedback item. */
export async function findFeedback(db: AnyDb, id: string): Promise<FeedbackRow | undefined> {
  const { rows } = await sql<FeedbackRow>`select * from od_feedback where id = ${id}`.execute(db);
  return rows[0];
}

/** The provider's reply. */
export async function replyFeedback(db: AnyDb, id: string, reply: string, by: string): Promise<void> {
  await sql`update od_feedback set status = 'answered', reply = ${reply}, replied_by = ${by}, replied_at = now() where id = ${id}`.execute(db);
}

/** A request for data not yet open. */
export interface DataRequestRow {
  id: string;
  title: string;
  description: string;
  theme: string | null;
  user_id: string;
  author: string;
  status: 'open' | 'planned' | 'fulfilled' | 'declined';
  reply: string | null;
  dataset_id: string | null;
  created_at: Date;
  answered_at: Date | null;
}

/** Inserts a data request. */
export async function insertDataRequest(db: AnyDb, r: Pick<DataRequestRow, 'id' | 'title' | 'description' | 'theme' | 'user_id' | 'author'>): Promise<void> {
  await sql`insert into od_data_request (id, title, description, theme, user_id, author, status)
    values (${r.id}, ${r.title}, ${r.description}, ${r.theme}, ${r.user_id}, ${r.author}, 'open')`.execute(db);
}

/** Data requests, newest first. */
export async function listDataRequests(db: AnyDb): Promise<DataRequestRow[]> {
  const { rows } = await sql<DataRequestRow>`select * from od_data_request order by created_at desc limit 500`.execute(db);
  return rows;
}

/** One data request. */
export async function findDataRequest(db: AnyDb, id: string): Promise<DataRequestRow | undefined> {
  const { rows } = await sql<DataRequestRow>`select * from od_data_request where id = ${id}`.execute(db);
  return rows[0];
}

/** The portal's answer to a data request. */
export async function answerDataRequest(db: AnyDb, id: string, a: { status: DataRequestRow['status']; reply: string; datasetId: string | null }): Promise<void> {
  await sql`update od_data_request set status = ${a.status}, reply = ${a.reply}, dataset_id = ${a.datasetId}, answered_at = now() where id = ${id}`.execute(db);
}

/** An app in the showcase. */
export interface AppRow {
  id: string;
  name: string;
  description: string;
  url: string;
  datasets: string[];
  user_id: string;
  author: string;
  status: 'pending' | 'listed' | 'rejected';
  note: string | null;
  created_at: Date;
}

/** Inserts an app (pending until listed). */
export async function insertApp(db: AnyDb, a: Pick<AppRow, 'id' | 'name' | 'description' | 'url' | 'datasets' | 'user_id' | 'author'>): Promise<void> {
  await sql`insert into od_app (id, name, description, url, datasets, user_id, author, status)
    values (${a.id}, ${a.name}, ${a.description}, ${a.url}, ${a.datasets}, ${a.user_id}, ${a.author}, 'pending')`.execute(db);
}

/** Apps by status (and using a dataset), newest first. */
export async function listApps(db: AnyDb, by: { statuses: readonly string[]; datasetId?: string }): Promise<AppRow[]> {
  const uses = by.datasetId ? sql`and ${by.datasetId} = any (datasets)` : sql``;
  const { rows } = await sql<AppRow>`select * from od_app where status in (${sql.join(by.statuses.map((s) => sql`${s}`))}) ${uses} order by created_at desc limit 500`.execute(db);
  return rows;
}

/** One app. */
export async function findApp(db: AnyDb, id: string): Promise<AppRow | undefined> {
  const { rows } = await sql<AppRow>`select * from od_app where id = ${id}`.execute(db);
  return rows[0];
}

/** Lists or rejects an app. */
export async function reviewApp(db: AnyDb, id: string, status: 'listed' | 'rejected', note: string | null): Promise<void> {
  await sql`update od_app set status = ${status}, note = ${note} where id = ${id}`.execute(db);
}

/** Which of these ids are published datasets. */
export async function publishedIds(db: AnyDb, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string }>`select id from od_dataset where status = 'published' and id in (${sql.join(ids.map((i) => sql`${i}`))})`.execute(db);
  return rows.map((r) => r.id);
}
