import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { preparePoolClients } from './prepared';

/** Which engine answers: embedded PGlite (PostgreSQL 18 in WASM) or a PostgreSQL server. */
export type DatabaseEngine = 'pglite' | 'postgres';

/**
 * An open database: one Kysely handle for the whole process, whatever the engine.
 * Stores narrow it to their own tables with `db.withTables<T>()`.
 */
export interface Database {
  readonly db: Kysely<object>;
  readonly engine: DatabaseEngine;
  /** The embedded instance, when `engine` is 'pglite' (for bulk `COPY … FROM '/dev/blob'`). */
  readonly pglite: PGlite | undefined;
  /**
   * Runs `work` on one connection of its own, for bulk loading with COPY. On PGlite that is
   * the only connection: nothing else runs until `work` ends, so keep each call short.
   */
  bulk<T>(work: (session: BulkSession) => Promise<T>): Promise<T>;
  /**
   * Hears `NOTIFY channel` from every process on this database, on a connection of its own
   * (on a server, one for all the channels of this handle). `lost` is called when that
   * connection drops (notifications may be missed until `ready`
   * is called again after reconnecting). On PGlite only this process can write, so it is
   * ready at once and never lost. Resolves to a function that stops listening.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** What a `listen` caller hears. */
export interface NotificationHandlers {
  message(payload: string): void;
  /** Listening (again): from now on no notification is missed. */
  ready(): void;
  /** The connection dropped: notifications may be missed until `ready`. */
  lost(): void;
}

// Reconnect pause for a dropped LISTEN connection.
const LISTEN_RETRY_MS = 1000;

/**
 * LISTEN on a server. One connection per database handle hears every channel (it used to be a
 * connection per channel: eight for each process), and notifications are handed out by
 * channel. When it drops, every listener hears `lost`; it reconnects, listens on every channel
 * again, and each listener hears `ready`. Connecting, listening and leaving run one at a time.
 */
function listenOnServer(url: string): Database['listen'] {
  const listeners = new Map<string, Set<NotificationHandlers>>();
  let client: pg.Client | undefined;
  // Channels LISTENed on `client`.
  const heard = new Set<string>();
  let retry: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>): Promise<void> => (queue = queue.then(work).catch(() => undefined));

  const drop = (c: pg.Client) => {
    if (client !== c) return; // a connection already given up
    client = undefined;
    heard.clear();
    void c.end().catch(() => undefined);
    for (const set of listeners.values()) for (const handlers of set) handlers.lost();
    if (retry || listeners.size === 0) return;
    retry = setTimeout(() => {
      retry = undefined;
      void serially(connect);
    }, LISTEN_RETRY_MS);
    retry.unref();
  };
  // Connects if need be and listens on every channel not heard yet; the listeners of each
  // channel it starts hearing are told they are ready.
  const connect = async (): Promise<void> => {
    if (listeners.size === 0) return;
    if (!client) {
      const c = new pg.Client({ connectionString: url });
      c.on('notification', (n) => {
        for (const handlers of listeners.get(n.channel) ?? []) handlers.message(n.payload ?? '');
      });
      c.on('error', () => drop(c));
      c.on('end', () => drop(c));
      client = c;
      try {
        await c.connect();
      } catch {
        return drop(c);
      }
    }
    const c = client;
    if (!c) return; // it dropped while connecting: the retry listens
    for (const [channel, set] of listeners) {
      if (heard.has(channel)) continue;
      try {
        await c.query(`listen ${quoteIdent(channel)}`);
      } catch {
        return drop(c);
      }
      if (client !== c) return; // it dropped meanwhile: the next connection listens anew
      heard.add(channel);
      for (const handlers of set) handlers.ready();
    }
  };

  return async (channel, handlers) => {
    await serially(async () => {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(handlers);
      if (heard.has(channel)) handlers.ready();
      else await connect();
    });
    return () =>
      serially(async () => {
        const set = listeners.get(channel);
        if (!set?.delete(handlers) || set.size > 0) return;
        listeners.delete(channel);
        if (client && heard.delete(channel)) await client.query(`unlisten ${quoteIdent(channel)}`).catch(() => undefined);
        if (listeners.size > 0) return;
        if (retry) clearTimeout(retry);
        retry = undefined;
        const c = client;
        client = undefined;
        heard.clear();
        await c?.end().catch(() => undefined);
      });
  };
}

/**
 * One connection for bulk work: Kysely and plain queries and streaming `COPY … FROM` in text
 * format, all on that connection, so a transaction opened with `db.transaction()` covers the
 * copies and queries made while it is open.
 */
export interface BulkSession {
  readonly db: Kysely<object>;
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /**
   * Streams text-format COPY data (tab-separated lines, `\N` for null) into `table (columns)`.
   * Returns the number of rows copied.
   */
  copyIn(table: string, columns: readonly string[], data: AsyncIterable<string | Uint8Array<ArrayBuffer>>): Promise<number>;
  /**
   * Streams the output of `COPY (query) TO STDOUT WITH (options)` — PostgreSQL only (PGlite
   * would hold the whole output in memory): undefined there. The query takes no parameters:
   * build it from quoted identifiers only. Resolve the session's work when the stream ends.
   */
  readonly copyOut: ((query: string, options: string) => Readable) | undefined;
}

// On PGlite, COPY goes through its virtual /dev/blob in pieces of about this size
// (COPY FROM STDIN through the node-postgres adapter kills the instance; STACK.md).
const PGLITE_COPY_CHUNK = 8 * 1024 * 1024;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function copyStatement(table: string, columns: readonly string[], from: string): string {
  return `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from ${from}`;
}

// Bulk sessions over a pool: each takes one client for its whole run; engines differ only in COPY.
function bulkSessions(pool: pg.Pool, copyIn: (client: pg.PoolClient) => BulkSession['copyIn'], copyOut?: (client: pg.PoolClient) => NonNullable<BulkSession['copyOut']>): Database['bulk'] {
  return async (work) => {
    const client = await pool.connect();
    try {
      const result = await work({ db: sessionKysely(client), query: sessionQuery(client), copyIn: copyIn(client), copyOut: copyOut?.(client) });
      client.release();
      return result;
    } catch (error) {
      // On a server, a session that failed (a COPY cut short, …) may be mid-protocol: close it,
      // never reuse it. (PGlite's one in-process client has no protocol state to lose.)
      if (copyOut) client.release(error instanceof Error ? error : new Error(String(error)));
      else client.release();
      throw error;
    }
  };
}

// Kysely over one checked-out client: every query it makes goes to that connection.
function sessionKysely(client: pg.PoolClient): Kysely<object> {
  // A thin wrapper, not Object.create(client): pg.Client keeps its state on `this`, and writes
  // through a prototype child would land on the child and never reach the real client.
  const wrapper = { query: client.query.bind(client), release() {} } as unknown as pg.PoolClient;
  const pool = { connect: async () => wrapper, end: async () => {} };
  return new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
}

function sessionQuery(client: pg.PoolClient): BulkSession['query'] {
  return async <R>(text: string, params: unknown[] = []) => {
    const result = await client.query(text, params);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };
}

/** How to reach the database. */
export type DatabaseTarget =
  | { url: string }
  | { dataDir: string }
  | { pglite: PGlite; ownsInstance?: boolean };

// int8 (counts, sequences) arrives as text from the wire; every count Ludao keeps fits in a double.
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** How long an idle server connection stays open (with its prepared statements). */
const IDLE_CONNECTION_MS = 15 * 60_000;

/**
 * Opens the database named by `target`.
 *
 * With PGlite, the node-postgres adapter gives a pool of exactly one connection: a transaction
 * holds that connection until it ends, so two transactions never interleave and a rollback in
 * one cannot undo the other's writes (see database.test.ts). The price: code inside a
 * transaction must use the transaction handle, never the outer `db`, or it waits forever.
 *
 * @example
 * const { db, close } = await openDatabase({ dataDir: './data' });
 * await sql`select 1`.execute(db);
 * await close();
 */
export async function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Database> {
  if ('url' in target) {
    // Idle connections are kept for 15 minutes, not node-postgres's 10 s: each holds the
    // statements it prepared and their generic plans (ADR 0018), and a fresh connection plans a
    // statement five times before it settles on one (2–3 ms each for the subject look-up). With
    // the default, every lull of ten seconds between a clerk's look-ups paid that again.
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, idleTimeoutMillis: IDLE_CONNECTION_MS, types });
    // An idle client whose connection the server ends (restart, dropped database) reports here;
    // without a listener node-postgres would crash the process. The pool replaces it on next use.
    pool.on('error', () => {});
    preparePoolClients(pool);
    const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
    const bulk = bulkSessions(pool, (client) => async (table, columns, data) => {
      const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
      await pipeline(Readable.from(data, { objectMode: false }), stream);
      return Number(stream.rowCount ?? 0);
    }, (client) => (query, options) => client.query(copyTo(`copy (${query}) to stdout with (${options})`)));
    return { db, engine: 'postgres', pglite: undefined, bulk, listen: listenOnServer(target.url), close: () => db.destroy() };
  }
  let pglite: PGlite;
  let owns = true;
  let releaseLock: (() => Promise<void>) | undefined;
  if ('pglite' in target) {
    pglite = target.pglite;
    owns = target.ownsInstance ?? true;
  } else {
    await fs.mkdir(target.dataDir, { recursive: true });
    releaseLock = await lockDataDir(target.dataDir);
    // Loaded only for the embedded engine: the WASM build costs ~40 MB a server process never needs.
    const { PGlite } = await import('@electric-sql/pglite');
    pglite = new PGlite(target.dataDir);
  }
  await pglite.waitReady;
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pool = new pg.Pool({ ...createPgConfig(pglite), types } as pg.PoolConfig);
  const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
  const instance = pglite;
  // Holding the pool's one client keeps everyone else out, so the direct `instance.query`
  // calls below run in this session (inside its transaction, if it opened one).
  const bulk = bulkSessions(pool, () => async (table, columns, data) => {
    const statement = copyStatement(table, columns, `'/dev/blob'`);
    let parts: (string | Uint8Array<ArrayBuffer>)[] = [];
    let size = 0;
    let rows = 0;
    const flush = async () => {
      if (size === 0) return;
      const result = await instance.query(statement, [], { blob: new Blob(parts) });
      rows += result.affectedRows ?? 0;
      parts = [];
      size = 0;
    };
    for await (const piece of data) {
      parts.push(piece);
      size += piece.length;
      if (size >= PGLITE_COPY_CHUNK) await flush();
    }
    await flush();
    return rows;
  });
  return {
    db,
    engine: 'pglite',
    pglite,
    bulk,
    // The data directory is locked to this process, so every notification comes from here;
    // PGlite delivers them after the notifying statement commits.
    async listen(channel, handlers) {
      const unlisten = await instance.listen(channel, (payload) => handlers.message(payload));
      handlers.ready();
      return async () => {
        await unlisten().catch(() => undefined);
      };
    },
    async close() {
      await db.destroy();
      if (owns) await pglite.close();
      await releaseLock?.();
    },
  };
}

/** Another live process has the embedded database open. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

// PGlite is one process's database: a second process opening the same directory would
// corrupt it. A pid file keeps a second `ludao` (e.g. the CLI next to a running server) out.
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'ludao.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await fs.readFile(lockPath, 'utf8').catch(() => '0'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(`${dataDir} is in use by process ${pid} (a running Ludao); stop it, or point DATABASE_URL at a PostgreSQL server to run several processes`);
      }
      await fs.rm(lockPath, { force: true }); // left by a process that died
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the database answers a trivial query (used by readiness checks).
 *
 * @example
 * if (!(await pingDatabase(db))) reply.code(503);
 */
export async function pingDatabase(db: Kysely<object>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
