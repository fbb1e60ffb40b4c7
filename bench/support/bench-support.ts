/**
 * What the benchmarks share: their arguments, a throwaway PostgreSQL database, and the HTTP
 * load generator (bench/kernel/load.ts, run as its own process).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** The PostgreSQL server benchmarks use: DATABASE_URL, else the local one. */
export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * `--name value` pairs from the command line.
 *
 * @example
 * const args = benchArgs(); Number(args.get('seconds') ?? 10);
 */
export function benchArgs(argv: readonly string[] = process.argv): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 2; i < argv.length; i += 2) args.set(argv[i]!.replace(/^--/, ''), argv[i + 1] ?? '');
  return args;
}

/**
 * Creates an empty database on the server for one bench run; `drop()` removes it. With
 * `keep`, the database is named `prefix` alone and reused if it exists (`existed` says so),
 * so a slow load is done once across runs.
 *
 * @example
 * const { url, drop } = await createBenchDatabase('ludao_bench_xc');
 * const kept = await createBenchDatabase('ludao_bench_sb_1000000', { keep: true }); // kept.existed
 */
export async function createBenchDatabase(prefix: string, options: { keep?: boolean } = {}): Promise<{ url: string; existed: boolean; drop: () => Promise<void> }> {
  const name = options.keep ? prefix : `${prefix}_${process.pid}`;
  const run = async (statement: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      return await client.query(statement, values);
    } finally {
      await client.end();
    }
  };
  const existed = options.keep === true && (await run('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  if (!existed) {
    await run(`drop database if exists ${name} with (force)`);
    await run(`create database ${name}`);
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    await run(`drop database if exists ${name} with (force)`);
  };
  return { url: url.toString(), existed, drop };
}

/** What one load run measured. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** CPU time this process (the server under test) spent per request, µs. */
  serverCpuUs: number;
  /** CPU time the local PostgreSQL processes spent per request, µs (null: not readable here). */
  dbCpuUs: number | null;
}

// CPU seconds of every local process named `postgres` (from /proc), or null when the server is
// not on this machine or /proc is not there.
function postgresCpuSeconds(): number | null {
  const url = new URL(SERVER_URL);
  const local = ['127.0.0.1', 'localhost', '[::1]', ''].includes(url.hostname) || url.searchParams.get('host')?.startsWith('/') === true;
  if (!local || !fs.existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

const LOAD_SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), '../kernel/load.ts');

/**
 * Runs the load generator against `url` (`:id` replaced by a key: `keys` is a count, or
 * `@file` with one key per line) and resolves to its figures.
 *
 * @example
 * const r = await runLoad({ url: `${base}/people/:id`, keys: '100000', connections: 50, seconds: 10 });
 */
export function runLoad(options: { url: string; keys: string; connections: number; seconds: number; headers?: string[] }): Promise<LoadResult> {
  const cpu0 = process.cpuUsage();
  const db0 = postgresCpuSeconds();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, options.url, options.keys, String(options.connections), String(options.seconds), ...(options.headers ?? [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const result = JSON.parse(out.trim().split('\n').pop()!) as Omit<LoadResult, 'serverCpuUs' | 'dbCpuUs'>;
      const cpu = process.cpuUsage(cpu0);
      const db1 = postgresCpuSeconds();
      const requests = Math.max(1, result.requests);
      resolve({ ...result, serverCpuUs: Math.round((cpu.user + cpu.system) / requests), dbCpuUs: db0 === null || db1 === null ? null : Math.round(((db1 - db0) * 1e6) / requests) });
    });
  });
}
