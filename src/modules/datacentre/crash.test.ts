import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../platform/db/testing';

const BIN = path.resolve('bin/ludao.js');
const ROWS = 40_000;

/**
 * Kill -9 in the middle of a large import, start again: the batch was applied whole or not
 * at all, and sending it again with the same key applies it whole.
 */
describe('an import killed with SIGKILL', () => {
  let dir: string;
  let env: Record<string, string>;
  let serverDb: TestDatabase | undefined;
  let file: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-crash-'));
    env = { ...(process.env as Record<string, string>), LUDAO_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    if (process.env.DATABASE_URL) {
      serverDb = await openTestDatabase();
      env.DATABASE_URL = serverDb.url!;
    } else delete env.DATABASE_URL;
    file = path.join(dir, 'units.ndjson');
    const out = fs.createWriteStream(file);
    for (let i = 0; i < ROWS; i += 1000) {
      let chunk = '';
      for (let j = i; j < i + 1000; j++) {
        const building = `35020300100100${String(j % 100).padStart(3, '0')}`;
        chunk += JSON.stringify({ code: `${building}-${String(j).padStart(7, '0')}`, building_code: building, estate_code: building.slice(0, 15), floor: (j % 30) + 1, room: '0101', use: 'residential', area_m2_x100: 8000 + (j % 5000) }) + '\n';
      }
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
  });
  afterAll(async () => {
    await serverDb?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function importUnits(killOnProgress: boolean): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'import', 'spatial.unit', file, '--key', 'crash-1', '--on-invalid', 'reject'], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The first progress line: rows are streaming into the batch, none applied yet.
        if (killOnProgress && /rows read/.test(stderr)) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  async function query(text: string): Promise<Record<string, unknown>[]> {
    if (env.DATABASE_URL) {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        return (await client.query(text)).rows;
      } finally {
        await client.end();
      }
    }
    const db = new PGlite(env.LUDAO_DATA_DIR!);
    try {
      return (await db.query<Record<string, unknown>>(text)).rows;
    } finally {
      await db.close();
    }
  }

  it('leaves nothing half-applied, and the same batch sent again applies whole', async () => {
    const killed = await importUnits(true);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const [after] = await query(`select count(*)::int as n from dcr_spatial__unit`);
    expect([0, ROWS]).toContain(after!.n);
    expect(after!.n).toBe(0); // killed while reading: the apply never began

    // On PostgreSQL another process may still be receiving a batch; one silent this long is dead.
    env.LUDAO_BATCH_STALE_SECONDS = '1';
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await importUnits(false);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${ROWS.toLocaleString()} rows read, 0 invalid; ${ROWS} inserted`));
    const [count] = await query(`select count(*)::int as n, count(distinct _batch)::int as batches from dcr_spatial__unit where _valid_to is null`);
    expect(count).toEqual({ n: ROWS, batches: 1 });
    const batches = await query(`select status from dc_batch where idempotency_key = 'crash-1'`);
    expect(batches).toEqual([{ status: 'applied' }]);
    const stages = await query(`select count(*)::int as n from pg_tables where tablename like 'dcs\\_%'`);
    expect(stages).toEqual([{ n: 0 }]);
  });
});
