/**
 * The baseline of the records API: the very SQL it runs for a readings chain (compiled by the
 * API's own `compileRecordQuery`, so the two cannot drift apart), issued with plain `pg` — no
 * HTTP, no keys, quotas, access checks, statement timeout or JSON.
 *
 * Beside it, a what-if (`indexed`): the same page written by hand for the row table's
 * `(column, _id)` indexes — the sort key qualified with the table, `_id` in the key's
 * direction, the cursor as a row comparison `(key, _id) < (…)`. Nulls are not handled: the
 * readings have none.
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type pg from 'pg';
import { compileRecordQuery, type QueryColumn } from '../../src/modules/opendata/query/record-query';
import { apiQuery, columnType, type RecordChain } from './synthetic';

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

// Compiles SQL text without a database.
const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The API's SQL as it is, or the hand-written what-if. */
export type BareVariant = 'api' | 'indexed';

/** Where a keyset page ends: the last row's sort key (as exact text) and `_id`, and the API's cursor for it. */
export interface BareCursor {
  key: string | null;
  id: string;
  token: string | null;
}

/** One page as SQL, and how to read the next page's cursor from its rows. */
export interface BarePage {
  text: string;
  values: unknown[];
  cursorAfter(rows: Record<string, unknown>[]): BareCursor | null;
}

function keySql(column: RecordChain['order']['column']): string {
  return columnType(column) === 'timestamp' ? `to_char(${q(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : `${q(column)}::text`;
}

/**
 * One page of a chain as SQL text and parameters. `columns` are the version's columns as the
 * API compiles them (with what it knows of their nulls).
 *
 * @example
 * const page = bareRecordsSql('odr_1_v1', columns, chain, 100, null);
 * const { rows } = await client.query(page.text, page.values);
 * const cursor = page.cursorAfter(rows);
 */
export function bareRecordsSql(table: string, columns: readonly QueryColumn[], chain: RecordChain, limit: number, cursor: BareCursor | null, variant: BareVariant = 'api'): BarePage {
  if (variant === 'indexed') return indexedRecordsSql(table, chain, limit, cursor);
  const compiled = compileRecordQuery(table, columns, { ...apiQuery(chain, limit), cursor: cursor?.token ?? undefined }, { tokenize: (text) => [text] });
  const { sql: text, parameters } = compiled.query.compile(compiler);
  return {
    text,
    values: [...parameters],
    cursorAfter(rows) {
      const { next } = compiled.page(rows);
      const last = rows[limit - 1];
      return next && last ? { key: (last._k0 ?? null) as string | null, id: String(last._id), token: next } : null;
    },
  };
}

function indexedRecordsSql(table: string, chain: RecordChain, limit: number, cursor: BareCursor | null): BarePage {
  const values: string[] = [];
  const bind = (type: keyof typeof CAST, value: string) => {
    values.push(value);
    return `$${values.length}::${CAST[type]}`;
  };
  const filters = chain.filters.map((f) => `${q(f.column)}${columnType(f.column) === 'text' ? ' collate "C"' : ''} ${f.op} ${bind(columnType(f.column), f.value)}`);
  const { column, desc } = chain.order;
  const key = `${q(table)}.${q(column)}`;
  if (cursor?.key != null) filters.push(`(${key}, ${q('_id')}) ${desc ? '<' : '>'} (${bind(columnType(column), cursor.key)}, ${bind('integer', cursor.id)})`);
  const direction = desc ? 'desc' : 'asc';
  const text = `select ${OUTPUT}, ${q('_id')}, ${keySql(column)} as ${q('_k0')} from ${q(table)} where ${filters.join(' and ')}
    order by ${key} ${direction}, ${q('_id')} ${direction} limit ${limit + 1}`;
  return {
    text,
    values,
    cursorAfter(rows) {
      const last = rows[limit - 1];
      return rows.length > limit && last ? { key: (last._k0 ?? null) as string | null, id: String(last._id), token: null } : null;
    },
  };
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
  columns: readonly QueryColumn[],
  chain: RecordChain,
  limit: number,
  onPage: (readingIds: string[], elapsedMs: number) => void,
): Promise<number> {
  let cursor: BareCursor | null = null;
  let issued = 0;
  for (let page = 0; page < chain.pages; page++) {
    const bare = bareRecordsSql(table, columns, chain, limit, cursor);
    const started = performance.now();
    const { rows } = await client.query<Record<string, unknown>>(bare.text, bare.values);
    const elapsed = performance.now() - started;
    issued += 1;
    onPage(
      rows.slice(0, limit).map((r) => String(r.reading_id)),
      elapsed,
    );
    cursor = bare.cursorAfter(rows);
    if (!cursor) break;
  }
  return issued;
}
