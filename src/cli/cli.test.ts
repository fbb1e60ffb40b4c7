import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../platform/db/testing';
import { runLudao } from './run-ludao.test-support';

/** Runs `ludao …` as a user would; never throws, returns exit code and output. */
function ludao(args: string[], env: Record<string, string>) {
  return runLudao(args, env);
}

describe('ludao CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  let serverDb: TestDatabase | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-cli-'));
    env = { LUDAO_DATA_DIR: path.join(dir, 'data') };
    if (process.env.DATABASE_URL) {
      serverDb = await openTestDatabase();
      env.DATABASE_URL = serverDb.url!;
    }
  });
  afterAll(async () => {
    await serverDb?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs SQL against the CLI's database while no CLI process has it open. */
  async function tamper(statements: string[]): Promise<void> {
    if (env.DATABASE_URL) {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      for (const s of statements) await client.query(s);
      await client.end();
    } else {
      const db = new PGlite(env.LUDAO_DATA_DIR);
      for (const s of statements) await db.exec(s);
      await db.close();
    }
  }

  it('explains every command with --help', async () => {
    for (const command of [[], ['start'], ['migrate'], ['demo'], ['audit', 'verify'], ['users', 'add'], ['keys', 'create']]) {
      const result = await ludao([...command, '--help'], env);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: ludao/);
    }
  });

  it('answers bad arguments with one readable line and a non-zero exit', async () => {
    const unknown = await ludao(['frobnicate'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.split('\n')[0]).toMatch(/unknown command 'frobnicate'/);
    const badNumber = await ludao(['demo', '--people', 'many'], env);
    expect(badNumber.code).not.toBe(0);
    expect(badNumber.stderr).toMatch(/--people must be a whole number/);
    const missing = await ludao(['keys', 'create', '--org', 'xm.hrss'], env);
    expect(missing.stderr).toMatch(/required option '--system <name>' not specified/);
    const badRole = await ludao(['users', 'add', '--username', 'x', '--name', 'X', '--role', 'king', '--password', 'long-enough'], env);
    expect(badRole.stderr).toMatch(/option '--role <role...>' argument 'king' is invalid/);
  });

  it('writes a synthetic city as NDJSON per registry, the same bytes for the same seed', async () => {
    const out = path.join(dir, 'city');
    const demo = await ludao(['demo', '--people', '300', '--seed', 'cli', '--out', out], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/Wrote a city of 300 people \(seed "cli"\)/);
    expect(demo.stdout).toMatch(/people\s+300\n/);
    const people = fs.readFileSync(path.join(out, 'people.ndjson'), 'utf8').trim().split('\n');
    expect(people).toHaveLength(300);
    expect(JSON.parse(people[0]!)).toMatchObject({ id: expect.stringMatching(/^\d{17}[\dX]$/) });
    const again = await ludao(['demo', '--people', '300', '--seed', 'cli', '--out', path.join(dir, 'city2')], env);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'city2', 'people.ndjson'), 'utf8')).toBe(people.join('\n') + '\n');
    const badDate = await ludao(['demo', '--people', '10', '--as-of', 'tomorrow', '--out', out], env);
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr.trim()).toBe('ludao: --as-of must be a date like 2026-06-30.');
  });

  it('migrates, adds a user and a key, and verifies the audit chain', async () => {
    const migrate = await ludao(['migrate'], env);
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/Applied \d+ migration\(s\): audit\/0001-create-audit/);
    expect((await ludao(['migrate'], env)).stdout).toMatch(/Everything is up to date/);

    const user = await ludao(['users', 'add', '--username', 'Zhang.San', '--name', '张三', '--org', 'xm.psb', '--role', 'dept_staff', '--password', 'a-long-password'], env);
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(/Created user zhang\.san .* with roles dept_staff/);
    const again = await ludao(['users', 'add', '--username', 'zhang.san', '--name', '张三', '--role', 'dept_staff', '--password', 'a-long-password'], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('ludao: A user named "zhang.san" already exists');

    const key = await ludao(['keys', 'create', '--org', 'xm.psb', '--system', '人口库同步', '--days', '30'], env);
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^ldk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/m);
    const noOrg = await ludao(['keys', 'create', '--org', 'xm.nowhere', '--system', 'x'], env);
    expect(noOrg.stderr.trim()).toBe('ludao: orgCode: no organisation "xm.nowhere"');

    const verify = await ludao(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Audit log intact: \d+ entries, head #\d+ [0-9a-f]{64}/);
    // Seven CLI processes, each loading TypeScript and opening PGlite: on two busy cores that
    // can pass the default 60 s. Nothing here is about time.
  }, 180_000);

  it('opens the database for a command without loading the HTTP layer', async () => {
    // `ludao import` of a 1 GB file must stay under 300 MB: a command that serves no HTTP
    // loads no routes, no Fastify, no TypeBox schemas, and no library it does not use.
    const trace = path.join(dir, 'loaded.txt');
    const hook = path.resolve('src/cli/trace-loads.test-support.mjs');
    const migrate = await ludao(['migrate'], { ...env, NODE_OPTIONS: `--import ${hook}`, LUDAO_TRACE_LOADS: trace });
    expect(migrate.code).toBe(0);
    const loaded = fs.readFileSync(trace, 'utf8').split('\n');
    expect(loaded.filter((url) => url.endsWith('/src/core.ts') || url.endsWith('/src/modules/datacentre/index.ts'))).toHaveLength(2);
    const heavy = loaded.filter((url) => /\/node_modules\/(fastify|typebox|@fastify|@node-rs\/argon2|@node-rs\/jieba|exceljs)\/|\.routes\.ts$|\.contract\.ts$|\/src\/app\.ts$/.test(url));
    expect(heavy).toEqual([]);
  });

  it('exits non-zero naming the first entry that was changed', async () => {
    await tamper([
      'alter table audit_entry disable trigger audit_entry_append_only',
      `update audit_entry set detail = '{"forged": true}' where seq = 3`,
      'alter table audit_entry enable trigger audit_entry_append_only',
    ]);
    const verify = await ludao(['audit', 'verify'], env);
    expect(verify.code).toBe(1);
    expect(verify.stderr.trim()).toBe('Audit log BROKEN at entry 3: entry 3 was changed after it was written (SHA-256 mismatch).');
  });

  it('names an entry removed from the chain', async () => {
    await tamper(['alter table audit_entry disable trigger audit_entry_append_only', 'delete from audit_entry where seq = 2', 'alter table audit_entry enable trigger audit_entry_append_only']);
    const verify = await ludao(['audit', 'verify'], env);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/BROKEN at entry 2: entry 2 is missing/);
  });
});
