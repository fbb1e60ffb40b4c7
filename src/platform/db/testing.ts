import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from './database';

/** Where the test run keeps a freshly initdb'd PGlite, so each test skips the 4 s initdb. */
export const PGLITE_TEMPLATE_PATH = path.resolve('.tmp/pglite-template.tar.gz');

/** A throwaway database for one test file, on the engine the run targets. */
export interface TestDatabase extends Database {
  /** The URL of this test's own PostgreSQL database (postgres engine only). */
  readonly url: string | undefined;
}

/**
 * Opens an empty database for one test file: a new PGlite in memory, or — when
 * `DATABASE_URL` is set — a new database created on that server and dropped on close.
 * The same suite so runs on both engines (STYLE.md habit 7).
 *
 * @example
 * const tdb = await openTestDatabase();
 * afterAll(() => tdb.close());
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `ludao_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = withDatabaseName(serverUrl, name);
    const database = await openDatabase({ url });
    return {
      ...database,
      url,
      async close() {
        await database.close();
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const pglite = fs.existsSync(PGLITE_TEMPLATE_PATH)
    ? new PGlite({ loadDataDir: new Blob([fs.readFileSync(PGLITE_TEMPLATE_PATH)]) })
    : new PGlite();
  const database = await openDatabase({ pglite });
  return { ...database, url: undefined };
}

/** Writes the PGlite template once per test run (called from vitest's global setup). */
export async function preparePgliteTemplate(): Promise<void> {
  if (process.env.DATABASE_URL || fs.existsSync(PGLITE_TEMPLATE_PATH)) return;
  const pglite = new PGlite();
  await pglite.waitReady;
  const blob = await pglite.dumpDataDir('gzip');
  await pglite.close();
  fs.mkdirSync(path.dirname(PGLITE_TEMPLATE_PATH), { recursive: true });
  const tmp = `${PGLITE_TEMPLATE_PATH}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(tmp, PGLITE_TEMPLATE_PATH);
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
