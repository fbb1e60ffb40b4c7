/**
 * The baseline of the records API: the SQL it runs for a readings chain, written out by hand
 * and issued with plain `pg` — the same columns as the API shows them, the same filters
 * (text compared `collate "C"`, literals bound with casts), the same order and keyset cursor
 * (`order by key, _id` with the API's null placement) and `limit + 1` rows.
 *
 * Beside it, a what-if (`indexed`): the same page written so that the row table's
 * `(column, _id)` indexes can serve it — the sort key qualified with the table (a bare name in
 * ORDER BY means the output column of that name, here the `to_char` text of a timestamp),
 * `_id` in the key's direction, the cursor as a row comparison `(key, _id) < (…)`, text
 * compared in the indexes' collation. Ties sort differently (by `_id` descending after a
 * descending key) and nulls are not handled: the readings have none.
 */
import type pg from 'pg';
import { columnType, type ReadingFilter, type RecordChain } from './synthetic';

const q = (name: string) => `"${name}"`;
const CAST = { text: 'text', decimal: 'numeric', integer: 'bigint', timestamp: 'timestamptz' } as const;
const OUTPUT = [
  q('reading_id'),
  q('district'),
  q('road'),
  `to_char(${q('observed_at')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${q('observed_at')}`,
  q('speed_kmh'),
  q('vehicles'),
  q('lat'),
  q('lon'),
].join(', ');

/** The API's SQL as it is, or the what-if that its indexes can serve. */
export type BareVariant = 'api' | 'indexed';

/** Where a keyset page ends: the last row's sort key (as exact text) and `_id`. */
export interface BareCursor {
  key: string | null;
  id: string;
}

function sortable(column: ReadingFilter['column']): string {
  return columnType(column) === 'text' ? `${q(column)} collate "C"` : q(column);
}

function keySql(column: RecordChain['order']['column']): string {
  return columnType(column) === 'timestamp' ? `to_char(${q(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `${q(column)}::text`;
}

/**
 * One page of a chain as SQL text and parameters.
 *
 * @example
 * const { text, values } = bareRecordsSql('odr_1_v1', chain, 100, null);
 * await client.query(text, values);
 */
export function bareRecordsSql(table: string, chain: RecordChain, limit: number, cursor: BareCursor | null, variant: BareVariant = 'api'): { text: string; values: string[] } {
  if (variant === 'indexed') return indexedRecordsSql(table, chain, limit, cursor);
  const values: string[] = [];
  const bind = (type: keyof typeof CAST, value: string) => {
    values.push(value);
    return `$${values.length}::${CAST[type]}`;
  };
  const conditions = chain.filters.map((f) => `${sortable(f.column)} ${f.op} ${bind(columnType(f.column), f.value)}`);
  const filters = [conditions.length > 1 ? `(${conditions.join(' and ')})` : conditions[0]!];
  const order = chain.order;
  if (cursor) {
    const x = sortable(order.column);
    let rest = `${q('_id')} > ${bind('integer', cursor.id)}`;
    if (cursor.key === null) {
      rest = order.desc ? `(${x} is not null or (${x} is null and ${rest}))` : `(${x} is null and ${rest})`;
    } else {
      const v = bind(columnType(order.column), cursor.key);
      const beyond = order.desc ? `${x} < ${v}` : `(${x} > ${v} or ${x} is null)`;
      rest = `(${beyond} or (${x} = ${v} and ${rest}))`;
    }
    filters.push(rest);
  }
  const text = `select ${OUTPUT}, ${q('_id')}, ${keySql(order.column)} as ${q('_k0')} from ${q(table)} where ${filters.join(' and ')}
    order by ${sortable(order.column)} ${order.desc ? 'desc nulls first' : 'asc nulls last'}, ${q('_id')} asc limit ${limit + 1}`;
  return { text, values };
}

function indexedRecordsSql(table: string, chain: RecordChain, limit: number, cursor: BareCursor | null): { text: string; values: string[] } {
  const values: string[] = [];
  const bind = (type: keyof typeof CAST, value: string) => {
    values.push(value);
    return `$${values.length}::${CAST[type]}`;
  };
  const filters = chain.filters.map((f) => `${q(f.column)} ${f.op} ${bind(columnType(f.column), f.value)}`);
  const { column, desc } = chain.order;
  const key = `${q(table)}.${q(column)}`;
  if (cursor?.key != null) filters.push(`(${key}, ${q('_id')}) ${desc ? '<' : '>'} (${bind(columnType(column), cursor.key)}, ${bind('integer', cursor.id)})`);
  const direction = desc ? 'desc' : 'asc';
  const text = `select ${OUTPUT}, ${q('_id')}, ${keySql(column)} as ${q('_k0')} from ${q(table)} where ${filters.join(' and ')}
    order by ${key} ${direction}, ${q('_id')} ${direction} limit ${limit + 1}`;
  return { text, values };
}

/**
 * Follows a chain with plain `pg` for up to `chain.pages` pages, calling `onPage` with each
 * page's reading ids; resolves to the number of queries issued.
 *
 * @example
 * await followBareChain(client, 'odr_1_v1', chain, 100, (ids) => console.log(ids.length));
 */
export async function followBareChain(
  client: Pick<pg.Client, 'query'>,
  table: string,
  chain: RecordChain,
  limit: number,
  onPage: (readingIds: string[], elapsedMs: number) => void,
): Promise<number> {
  let cursor: BareCursor | null = null;
  let issued = 0;
  for (let page = 0; page < chain.pages; page++) {
    const { text, values } = bareRecordsSql(table, chain, limit, cursor);
    const started = performance.now();
    const { rows } = await client.query<{ reading_id: string; _id: string; _k0: string | null }>(text, values);
    const elapsed = performance.now() - started;
    issued += 1;
    const shown = rows.slice(0, limit);
    onPage(
      shown.map((r) => String(r.reading_id)),
      elapsed,
    );
    const last = shown[shown.length - 1];
    if (rows.length <= limit || !last) break;
    cursor = { key: last._k0, id: String(last._id) };
  }
  return issued;
}
