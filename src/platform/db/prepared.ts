import { createHash } from 'node:crypto';
import { CompiledQuery, type Kysely, type QueryResult, type RawBuilder } from 'kysely';
import type pg from 'pg';

// Prepared statements for hot read paths (ADR 0018): see executePrepared.
const MAX_PREPARED = 1000;
const names = new Map<string, string>();

/**
 * Runs `query`, prepared on a PostgreSQL server: it is sent as a named statement, each
 * connection parses it once, and once PostgreSQL settles on a generic plan it stops planning
 * it too. For a look-up across many record tables the planning costs several times the
 * execution. On PGlite the query runs as any other.
 *
 * Only statements whose text is stable belong here (values as parameters, never spliced in):
 * every distinct text stays prepared on every connection until the connection closes. The
 * registry is bounded; past the bound, new texts run unprepared.
 *
 * @example
 * const { rows } = await executePrepared(db, sql`select name from t where id = ${id}`);
 */
export async function executePrepared<R>(db: Kysely<object>, query: RawBuilder<R> | CompiledQuery<R>): Promise<QueryResult<R>> {
  const compiled = 'compile' in query ? query.compile(db) : query;
  if (!names.has(compiled.sql) && names.size < MAX_PREPARED) names.set(compiled.sql, `ludao_${createHash('sha1').update(compiled.sql).digest('hex')}`);
  return db.executeQuery(compiled);
}

const texts = new Map<string, string>();

/**
 * A statement whose text depends on its shape alone: `build()` makes it with `parameters`,
 * in their order, and the same shape always builds the same text.
 */
export interface ShapedStatement<R> {
  shape: string;
  parameters: readonly unknown[];
  build: () => RawBuilder<R>;
}

/**
 * `executePrepared` for a statement that repeats with other values: it is built and compiled
 * only the first time its shape is seen (with Kysely that costs about 10 µs for a one-table
 * select, a quarter of a key look-up's client work, and about 0.2 ms for the subject look-up's
 * union of 21 tables); after that the cached text runs with the statement's parameters.
 * That `build()` uses exactly `parameters`, in their order, is checked on that first run.
 *
 * @example
 * await executePreparedShape(db, { shape: 'person by key', parameters: [key], build: () => sql`select … where _key = ${key}` });
 */
export async function executePreparedShape<R>(db: Kysely<object>, statement: ShapedStatement<R>): Promise<QueryResult<R>> {
  const text = texts.get(statement.shape);
  if (text !== undefined) return db.executeQuery(CompiledQuery.raw(text, [...statement.parameters]) as CompiledQuery<R>);
  const compiled = statement.build().compile(db);
  const { parameters } = statement;
  if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, i) => p !== parameters[i])) {
    throw new Error(`executePreparedShape: the statement of shape ${statement.shape} takes other parameters than those given`);
  }
  if (texts.size < MAX_PREPARED) texts.set(statement.shape, compiled.sql);
  return executePrepared(db, compiled);
}

const PATCHED = Symbol('ludao.prepared');

/**
 * Makes a pool's clients send registered texts as named statements. node-postgres keeps the
 * statements each client has parsed, so the name alone travels after the first use.
 */
export function preparePoolClients(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const tagged = client as pg.PoolClient & { [PATCHED]?: true };
    if (tagged[PATCHED]) return;
    tagged[PATCHED] = true;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof text === 'string' ? names.get(text) : undefined;
      if (name === undefined) return callback === undefined ? query(text, values) : query(text, values, callback);
      return query({ name, text, values }, callback);
    };
  });
}
