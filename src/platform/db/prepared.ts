import { createHash } from 'node:crypto';
import type { Kysely, QueryResult, RawBuilder } from 'kysely';
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
export async function executePrepared<R>(db: Kysely<object>, query: RawBuilder<R>): Promise<QueryResult<R>> {
  const compiled = query.compile(db);
  if (!names.has(compiled.sql) && names.size < MAX_PREPARED) names.set(compiled.sql, `ludao_${createHash('sha1').update(compiled.sql).digest('hex')}`);
  return db.executeQuery(compiled);
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
