import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { odMessage, type OdCode } from '../messages';
import {
  canonicalValue,
  parseGroupBy,
  parseOrderBy,
  parseSelect,
  parseWhere,
  QueryError,
  type Comparison,
  type Condition,
  type OrderTerm,
  type QueryColumn,
  type QueryColumnType,
  type SelectItem,
  type Term,
} from './record-query-grammar';

/**
 * The records API's query language (select / where / group_by / order_by / q / limit / cursor,
 * after Socrata SoQL and Opendatasoft ODSQL), parsed by hand and compiled to one parameterised
 * SELECT. Identifiers come only from the dataset's column list; every literal is a bound
 * parameter with an explicit cast. Text is compared and sorted `collate "C"` (code-point order)
 * and timestamps are read in UTC, so PGlite and a PostgreSQL server answer alike.
 *
 * The SQL is written for the row table's `(column collate "C", _id)` indexes: columns are
 * qualified with the table's alias (a bare name in ORDER BY would mean the output column, the
 * `to_char` text of a date), `_id` breaks ties in the direction of the last sort key, and the
 * cursor is a row comparison `(key, _id) < (…)` wherever nulls allow, so a page deep in ten
 * million rows is an index range scan, not a sort.
 */

export { QueryError, type QueryColumn, type QueryColumnType } from './record-query-grammar';

/**
 * The query parameters as the route received them (absent or blank means "not given").
 *
 * @example
 * const input: RecordQueryInput = { where: "district = '思明区' and pop >= 100", order_by: 'pop desc', limit: '50' };
 */
export interface RecordQueryInput {
  select?: string;
  where?: string;
  group_by?: string;
  order_by?: string;
  q?: string;
  limit?: string | number;
  cursor?: string;
}

/**
 * A compiled records query: run `query`, then hand its rows to `page`.
 *
 * @example
 * const { rows } = await compiled.query.execute(db);
 * const { records, next } = compiled.page(rows);
 */
export interface CompiledQuery {
  /** The full SELECT … FROM table … LIMIT limit+1. */
  query: RawBuilder<Record<string, unknown>>;
  /** The page size asked for (≤ maxLimit, default 20). */
  limit: number;
  /** Output columns in order (aggregates are named count, sum_x, … or their alias). */
  columns: { name: string; type: string }[];
  grouped: boolean;
  /** Given the rows the query returned (up to limit+1), the page's rows and the cursor of the next page (null if none). */
  page(rows: Record<string, unknown>[]): { records: Record<string, unknown>[]; next: string | null };
}

const MAX_PARAMETER_LENGTH = 2000;
const MAX_Q_LENGTH = 200;
// A cursor carries the last row's sort keys, so ordering by long text makes long cursors.
const MAX_CURSOR_LENGTH = 16_384;
const DEFAULT_MAX_LIMIT = 100;
const DEFAULT_PAGE = 20;
const COLUMN_NAME = /^[a-z][a-z0-9_]*$/;

const CAST: Record<QueryColumnType, RawBuilder<unknown>> = {
  text: sql`text`,
  integer: sql`bigint`,
  decimal: sql`numeric`,
  date: sql`date`,
  timestamp: sql`timestamptz`,
  boolean: sql`boolean`,
  json: sql`jsonb`,
};

const COMPARISON: Record<Comparison, RawBuilder<unknown>> = {
  '=': sql`=`,
  '<>': sql`<>`,
  '<': sql`<`,
  '<=': sql`<=`,
  '>': sql`>`,
  '>=': sql`>=`,
};

// Dates and timestamps leave the database as text, so no driver or server time zone touches them.
const DATE_FORMAT = sql`'YYYY-MM-DD'`;
const TIMESTAMP_FORMAT = sql`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
// Cursor keys keep every digit of a timestamp.
const TIMESTAMP_KEY_FORMAT = sql`'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

function bound(type: QueryColumnType, value: string): RawBuilder<unknown> {
  return sql`${value}::${CAST[type]}`;
}

// The row table's alias in FROM: every column is qualified with it.
const ROW = 'r';

function ref(col: QueryColumn | string): RawBuilder<unknown> {
  return sql.id(ROW, typeof col === 'string' ? col : col.name);
}

/** The column as compared and sorted: text in code-point order on every engine. */
function sortable(col: QueryColumn): RawBuilder<unknown> {
  return col.type === 'text' ? sql`${ref(col)} collate "C"` : ref(col);
}

function termSql(t: Term): RawBuilder<unknown> {
  if (!t.fn) return sortable(t.col!);
  if (!t.col) return sql`count(*)`;
  const arg = t.fn === 'min' || t.fn === 'max' ? sortable(t.col) : ref(t.col);
  switch (t.fn) {
    case 'count':
      return sql`count(${arg})`;
    case 'sum':
      return sql`sum(${arg})`;
    case 'avg':
      return sql`avg(${arg})`;
    case 'min':
      return sql`min(${arg})`;
    case 'max':
      return sql`max(${arg})`;
  }
}

function outputSql(item: SelectItem): RawBuilder<unknown> {
  const value = item.fn ? termSql(item) : ref(item.col!);
  if (item.type === 'date') return sql`to_char(${value}, ${DATE_FORMAT})`;
  if (item.type === 'timestamp') return sql`to_char(${value} at time zone 'UTC', ${TIMESTAMP_FORMAT})`;
  return value;
}

/** A sort key as exact text, for the cursor (read back through `bound`). */
function keySql(col: QueryColumn): RawBuilder<unknown> {
  if (col.type === 'date') return sql`to_char(${ref(col)}, ${DATE_FORMAT})`;
  if (col.type === 'timestamp') return sql`to_char(${ref(col)} at time zone 'UTC', ${TIMESTAMP_KEY_FORMAT})`;
  return col.type === 'text' ? ref(col) : sql`${ref(col)}::text`;
}

function whereSql(c: Condition): RawBuilder<unknown> {
  switch (c.op) {
    case 'and':
    case 'or':
      return sql`(${sql.join(c.args.map(whereSql), c.op === 'and' ? sql` and ` : sql` or `)})`;
    case 'not':
      return sql`not (${whereSql(c.arg)})`;
    case 'compare':
      return sql`${sortable(c.col)} ${COMPARISON[c.cmp]} ${bound(c.col.type, c.value)}`;
    case 'in':
      return sql`${sortable(c.col)} ${c.negated ? sql`not in` : sql`in`} (${sql.join(c.values.map((v) => bound(c.col.type, v)))})`;
    case 'null':
      return sql`${ref(c.col)} ${c.negated ? sql`is not null` : sql`is null`}`;
    case 'like':
      return sql`${sortable(c.col)} ${c.negated ? sql`not like` : sql`like`} ${bound('text', c.pattern)}`;
    case 'between':
      return sql`${sortable(c.col)} ${c.negated ? sql`not between` : sql`between`} ${bound(c.col.type, c.low)} and ${bound(c.col.type, c.high)}`;
  }
}

/**
 * Rows after the cursor's row in `order by keys…, _id` (`_id` in the last key's direction),
 * with nulls after every value ascending and before every value descending (`asc nulls last` /
 * `desc nulls first`). Where every key runs one way and no null can follow the cursor, it is a
 * row comparison, which the `(key, _id)` index answers as a range.
 */
function afterSql(keys: readonly OrderTerm[], values: readonly (string | null)[], id: string): RawBuilder<unknown> {
  const idDesc = idDescending(keys);
  const oneWay = keys.every((k) => k.desc === idDesc);
  // Descending, nulls come first, so none follows a non-null cursor; ascending, only in a column without nulls.
  const noNullAfter = keys.every((k, i) => values[i] != null && (k.desc || k.col!.notNull === true));
  if (oneWay && noNullAfter) {
    const left = [...keys.map((k) => sortable(k.col!)), ref('_id')];
    const right = [...keys.map((k, i) => bound(k.col!.type, values[i]!)), bound('integer', id)];
    return sql`(${sql.join(left)}) ${idDesc ? sql`<` : sql`>`} (${sql.join(right)})`;
  }
  let rest = sql`${ref('_id')} ${idDesc ? sql`<` : sql`>`} ${bound('integer', id)}`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const col = keys[i]!.col!;
    const desc = keys[i]!.desc;
    const value = values[i] ?? null;
    const x = sortable(col);
    if (value === null) {
      rest = desc ? sql`(${x} is not null or (${x} is null and ${rest}))` : sql`(${x} is null and ${rest})`;
    } else {
      const v = bound(col.type, value);
      const beyond = desc ? sql`${x} < ${v}` : sql`(${x} > ${v} or ${x} is null)`;
      rest = sql`(${beyond} or (${x} = ${v} and ${rest}))`;
    }
  }
  return rest;
}

/** Ties break on `_id` in the direction of the last sort key (ascending without one). */
function idDescending(keys: readonly OrderTerm[]): boolean {
  return keys.length > 0 && keys[keys.length - 1]!.desc;
}

function orderSql(term: OrderTerm): RawBuilder<unknown> {
  return term.desc ? sql`${termSql(term)} desc nulls first` : sql`${termSql(term)} asc nulls last`;
}

/** bigint and numeric as JSON numbers when no digit is lost, else as the exact string. */
function jsonNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  if (/^-?\d+$/.test(value)) return Number.isSafeInteger(n) ? n : value;
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : value;
}

// ---------------------------------------------------------------------------------------------
// Cursors: base64url of `{ s: shape, k: keys, i: _id }` (rows) or `{ s: shape, o: offset }`
// (groups), then "~" and a checksum that catches edits. Keys are bound as parameters, so even a
// forged cursor can only move the page.

interface CursorState {
  s: string;
  k?: (string | null)[];
  i?: string;
  o?: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

function encodeCursor(state: CursorState): string {
  const body = JSON.stringify(state);
  return Buffer.from(`${body}~${digest(body).slice(0, 16)}`, 'utf8').toString('base64url');
}

function decodeCursor(text: string, shape: string, grouped: boolean, keys: readonly OrderTerm[]): CursorState {
  const invalid = (why: OdCode) => new QueryError(odMessage(why), text.slice(0, 40), null, 'cursor');
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid('od.q.cursorForeign');
  const raw = Buffer.from(text, 'base64url').toString('utf8');
  const cut = raw.lastIndexOf('~');
  const body = raw.slice(0, cut);
  if (cut < 0 || digest(body).slice(0, 16) !== raw.slice(cut + 1)) throw invalid('od.q.cursorForeign');
  let state: CursorState;
  try {
    state = JSON.parse(body) as CursorState;
  } catch {
    throw invalid('od.q.cursorForeign');
  }
  if (state.s !== shape) throw invalid('od.q.cursorOtherQuery');
  if (grouped) {
    if (!Number.isSafeInteger(state.o) || state.o! < 0) throw invalid('od.q.cursorDamaged');
    return state;
  }
  const ok =
    Array.isArray(state.k) &&
    state.k.length === keys.length &&
    state.k.every((v, i) => v === null || (typeof v === 'string' && canonicalValue(keys[i]!.col!.type, v) === v)) &&
    typeof state.i === 'string' &&
    canonicalValue('integer', state.i) !== null;
  if (!ok) throw invalid('od.q.cursorDamaged');
  return state;
}

// ---------------------------------------------------------------------------------------------

function parameter(value: string | undefined, name: string, max = MAX_PARAMETER_LENGTH): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.length > max) throw new QueryError(odMessage('od.q.tooLong', { parameter: name, max }), '', null, name);
  if (text.includes('\0')) throw new QueryError(odMessage('od.q.nul', { parameter: name }), '\0', text.indexOf('\0'), name);
  return text;
}

function parseLimit(value: string | number | undefined, maxLimit: number): number {
  const text = typeof value === 'number' ? String(value) : value?.trim();
  if (text === undefined || text === '') return Math.min(DEFAULT_PAGE, maxLimit);
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= maxLimit)) throw new QueryError(odMessage('od.q.badLimit', { max: maxLimit, value: text }), text, null, 'limit');
  return n;
}

function searchWords(q: string | undefined, tokenize: (q: string) => string[]): string[] | null {
  const text = parameter(q, 'q', MAX_Q_LENGTH);
  if (text === undefined) return null;
  const words = tokenize(text)
    .map((w) => w.trim())
    .filter(Boolean);
  if (!words.length) throw new QueryError(odMessage('od.q.noWords', { text }), text, null, 'q');
  return words;
}

/**
 * Parses the records API's parameters against a dataset's columns and compiles them to one
 * parameterised SELECT on `table` (a version's row table: `_id bigint`, the typed columns,
 * `_search tsvector`). Throws QueryError for anything the caller got wrong.
 *
 * Without aggregates, pages are keyset pages in `order_by` then `_id` (in the direction of the
 * last `order_by` term); with them (or group_by), pages are offsets over the groups, ordered
 * by `order_by` then the group_by columns.
 *
 * @example
 * const compiled = compileRecordQuery('od_rows_bus_stops_v1', [{ name: 'district', type: 'text' }, { name: 'stops', type: 'integer' }],
 *   { select: 'district, sum(stops) as stops', group_by: 'district', order_by: 'stops desc', limit: '10' },
 *   { tokenize: (q) => segmenter.words(q) });
 * const { rows } = await compiled.query.execute(db);
 * compiled.page(rows); // { records: [{ district: '思明区', stops: 412 }, …], next: null }
 */
export function compileRecordQuery(
  table: string,
  columns: readonly QueryColumn[],
  input: RecordQueryInput,
  options: { maxLimit?: number; tokenize(q: string): string[]; searchColumn?: string },
): CompiledQuery {
  const byName = new Map<string, QueryColumn>();
  for (const col of columns) {
    if (!COLUMN_NAME.test(col.name) || byName.has(col.name)) throw new Error(`compileRecordQuery: bad or repeated column name "${col.name}"`);
    byName.set(col.name, col);
  }
  const limit = parseLimit(input.limit, options.maxLimit ?? DEFAULT_MAX_LIMIT);
  const selectText = parameter(input.select, 'select');
  const groupText = parameter(input.group_by, 'group_by');
  const whereText = parameter(input.where, 'where');
  const orderText = parameter(input.order_by, 'order_by');

  const group = groupText ? parseGroupBy(groupText, byName) : [];
  const selected = selectText ? parseSelect(selectText, byName, columns) : null;
  const grouped = group.length > 0 || (selected?.some((i) => i.fn) ?? false);
  // group_by without select: the groups and how many rows each has.
  const items: SelectItem[] =
    selected ??
    (grouped
      ? [...group.map((col) => ({ fn: null, col, name: col.name, type: col.type })), { fn: 'count' as const, col: null, name: 'count', type: 'integer' as const }]
      : columns.map((col) => ({ fn: null, col, name: col.name, type: col.type })));
  if (!items.length) throw new QueryError(odMessage('od.q.noColumns'), '', null, 'select');
  if (grouped) {
    const loose = items.find((i) => !i.fn && !group.includes(i.col!));
    if (loose) throw new QueryError(odMessage('od.q.mustGroup', { column: loose.col!.name }), loose.col!.name, null, 'select');
  }
  const where = whereText ? parseWhere(whereText, byName) : null;
  const order = orderText ? parseOrderBy(orderText, byName, items, grouped, group) : [];
  const words = searchWords(input.q, options.tokenize);

  const shape = digest(JSON.stringify([table, items, where, group, order, words])).slice(0, 22);
  const cursorText = parameter(input.cursor, 'cursor', MAX_CURSOR_LENGTH);
  const cursor = cursorText ? decodeCursor(cursorText, shape, grouped, order) : null;

  const filters: RawBuilder<unknown>[] = [];
  if (where) filters.push(whereSql(where));
  if (words) filters.push(sql`${ref(options.searchColumn ?? '_search')} @@ plainto_tsquery('simple', ${words.join(' ')}::text)`);
  if (cursor && !grouped) filters.push(afterSql(order, cursor.k!, cursor.i!));
  const outputs = items.map((i) => sql`${outputSql(i)} as ${sql.id(i.name)}`);
  const from = sql`from ${sql.table(table)} as ${sql.id(ROW)}${filters.length ? sql` where ${sql.join(filters, sql` and `)}` : sql``}`;

  let query: RawBuilder<Record<string, unknown>>;
  const offset = cursor?.o ?? 0;
  if (grouped) {
    // The group_by columns end the order: they tell groups apart, so offsets are stable.
    const orderBy = [...order.map(orderSql), ...group.map((col) => orderSql({ fn: null, col, desc: false }))];
    query = sql`select ${sql.join(outputs)} ${from}${group.length ? sql` group by ${sql.join(group.map(ref))}` : sql``}${
      orderBy.length ? sql` order by ${sql.join(orderBy)}` : sql``
    } limit ${limit + 1} offset ${offset}`;
  } else {
    const keys = order.map((o, i) => sql`${keySql(o.col!)} as ${sql.id(`_k${i}`)}`);
    const orderBy = [...order.map(orderSql), idDescending(order) ? sql`${ref('_id')} desc` : sql`${ref('_id')} asc`];
    query = sql`select ${sql.join([...outputs, ref('_id'), ...keys])} ${from} order by ${sql.join(orderBy)} limit ${limit + 1}`;
  }

  return {
    query,
    limit,
    columns: items.map((i) => ({ name: i.name, type: i.type })),
    grouped,
    page(rows) {
      const pageRows = rows.slice(0, limit);
      const records = pageRows.map((row) => {
        const record: Record<string, unknown> = {};
        for (const i of items) record[i.name] = i.type === 'integer' || i.type === 'decimal' ? jsonNumber(row[i.name]) : (row[i.name] ?? null);
        return record;
      });
      const last = pageRows[pageRows.length - 1];
      if (rows.length <= limit || !last) return { records, next: null };
      const next: CursorState = grouped
        ? { s: shape, o: offset + limit }
        : { s: shape, k: order.map((_, i) => (last[`_k${i}`] ?? null) as string | null), i: String(last._id) };
      return { records, next: encodeCursor(next) };
    },
  };
}
