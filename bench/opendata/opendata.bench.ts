/**
 * bench/opendata — the open-data portal's figures (issue 6), on one throwaway PostgreSQL
 * database, each against a bare baseline measured in the same run:
 *
 *   setup    N synthetic traffic sensor readings (CSV) uploaded through the API on a real
 *            socket, submitted and published; how long it took (informative);
 *   records  filtered, ordered record queries followed through their `next` cursors, at
 *            concurrency 1 and C — vs the same keyset SQL (compiled by the API's own compiler)
 *            issued with plain `pg` (bare-records.ts); then one query of each shape followed
 *            deep (informative: how a page's cost grows); and, informative, the same pages as
 *            SQL written by hand for the row table's indexes (bare-records.ts, `indexed`);
 *   export   the whole dataset as CSV through the API into a counting sink, with the server's
 *            peak RSS (it runs in this process) — vs `COPY (select …) TO STDOUT` through
 *            pg-copy-streams; JSON through the API too (informative);
 *   search   the catalogue with 1,000 small datasets, a mix of Chinese queries — vs a bare
 *            Fastify route doing one `search @@ tsquery order by ts_rank limit 20` (no facets).
 *
 * The HTTP and bare clients run as their own process (client.ts). Figures are printed, never
 * asserted; goals are shown as met or not met.
 *
 * Usage: npm run bench:opendata [-- --rows 10000000 --requests 2000 --pages 5 --concurrency 10
 *        --deep-pages 100 --datasets 1000 --searches 2000 --max-seconds 90 --keep 1]
 * Each load run stops after its requests or after --max-seconds, whichever comes first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { createLudao, type Ludao } from '../../src/app';
import { createIdentityService, DEMO_PASSWORD } from '../../src/modules/identity';
import type { DatasetField } from '../../src/modules/opendata/opendata.contract';
import { csvExportQuery } from '../../src/modules/opendata/opendata.store';
import { loadConfig } from '../../src/platform/config';
import { openDatabase } from '../../src/platform/db/database';
import { benchArgs, createBenchDatabase } from '../support/bench-support';
import { bareRecordsSql, followBareChain } from './bare-records';
import type { ClientPlan, LatencyResult, TransferResult, UploadResult } from './client';
import { apiQuery, catalogueDatasets, catalogueSearches, READINGS_META, recordChains, writeReadingsCsv, type RecordChain } from './synthetic';

const args = benchArgs();
const ROWS = Number(args.get('rows') ?? 10_000_000);
const REQUESTS = Number(args.get('requests') ?? 2000);
const PAGES = Number(args.get('pages') ?? 5);
const CONCURRENCY = Number(args.get('concurrency') ?? 10);
const DATASETS = Number(args.get('datasets') ?? 1000);
const SEARCHES = Number(args.get('searches') ?? 2000);
const DEEP_PAGES = Number(args.get('deep-pages') ?? 100);
// A load run stops after its requests or after this long, whichever comes first.
const MAX_SECONDS = Number(args.get('max-seconds') ?? 90);
const WARM_UP = { requests: 200, seconds: 15 };
const LIMIT = 100;
const RECORDS_GOAL_MS = 50;
const SEARCH_GOAL_MS = 20;
const EXPORT_GOAL = 0.5;
// "Constant memory": the server grows by less than this while it streams the whole export.
const CONSTANT_MEMORY_MB = 64;

const here = path.dirname(new URL(import.meta.url).pathname);
const MB = 1024 * 1024;

// ------------------------------------------------------------------------------ helpers

// This bench's own processes: the rest of the machine's CPU use is someone else's load.
const ours = new Set<number>([process.pid]);
const CLOCK_TICKS = 100;

/** CPU ticks so far of every process but this bench's own and PostgreSQL's, by pid. */
function foreignTicks(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || ours.has(Number(name))) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) === 'postgres') continue;
      const rest = stat.slice(close + 2).split(' ');
      if (ours.has(Number(rest[1]))) continue; // a child of ours (tsx's esbuild)
      out.set(Number(name), Number(rest[11]) + Number(rest[12]));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Watches how busy other work keeps the machine while a figure is measured: `stop()` gives
 * the cores that processes other than this bench's (and PostgreSQL) used meanwhile.
 */
function watchOthers(): { stop: () => number } {
  const before = foreignTicks();
  const started = Date.now();
  return {
    stop() {
      let ticks = 0;
      for (const [pid, now] of foreignTicks()) ticks += now - (before.get(pid) ?? 0);
      return ticks / CLOCK_TICKS / Math.max(0.001, (Date.now() - started) / 1000);
    },
  };
}

const others = (cores: number) => `${cores.toFixed(2)} cores`;

/** CPU seconds PostgreSQL has used so far, ended sessions included (the postmaster reaps them). */
function postgresSeconds(): number {
  let ticks = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const rest = stat.slice(close + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / CLOCK_TICKS;
}

/** CPU used during a run, ms: this process's (the server's) and PostgreSQL's. */
interface CpuUse {
  serverMs: number;
  postgresMs: number;
}

/** Where a run's CPU went: `stop()` gives this process's and PostgreSQL's CPU since the start. */
function watchCpu(): { stop: () => CpuUse } {
  const server = process.cpuUsage();
  const postgres = postgresSeconds();
  return {
    stop() {
      const used = process.cpuUsage(server);
      return { serverMs: (used.user + used.system) / 1000, postgresMs: (postgresSeconds() - postgres) * 1000 };
    },
  };
}

const cpuPerRequest = (cpu: CpuUse, requests: number) =>
  `CPU per request: server ${(cpu.serverMs / Math.max(1, requests)).toFixed(2)} ms, PostgreSQL ${(cpu.postgresMs / Math.max(1, requests)).toFixed(2)} ms`;

let planNo = 0;
/** Runs the client process on a plan; resolves to what it printed. */
function runClient<T>(work: string, plan: ClientPlan): Promise<T> {
  const file = path.join(work, `plan-${++planNo}.json`);
  fs.writeFileSync(file, JSON.stringify(plan));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'client.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.pid) ours.add(child.pid);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as T) : reject(new Error(`bench client (${plan.mode}) exited ${code}`))));
  });
}

/** Latency percentiles of a set of samples, in ms. */
interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function summarise(ms: readonly number[]): Summary {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN, mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1) };
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const pcts = (s: Summary) => `p50 ${ms(s.p50)} / p95 ${ms(s.p95)} / p99 ${ms(s.p99)} ms`;
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (x: number) => `${x.toFixed(1)} s`;
const stopped = (done: number, asked: number, run: { seconds: number }) => (done < asked ? `   (stopped after ${secs(run.seconds)}: ${int(done)} of ${int(asked)} requests)` : '');

/** Samples this process's RSS every 100 ms until stopped; resolves to the peak in bytes. */
function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

async function signIn(ludao: Ludao, username: string): Promise<string> {
  const res = await ludao.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'ludao_session');
  if (!cookie) throw new Error(`sign-in as ${username} failed (${res.statusCode})`);
  return `ludao_session=${cookie.value}`;
}

async function publishVersion(ludao: Ludao, cookie: string, id: string): Promise<void> {
  const submitted = await ludao.app.inject({ method: 'POST', url: `/api/open/manage/datasets/${id}/versions/1/submit`, headers: { cookie } });
  if (submitted.statusCode !== 200) throw new Error(`submit ${id}: ${submitted.statusCode} ${submitted.body}`);
  const reviewed = await ludao.app.inject({ method: 'POST', url: `/api/open/manage/datasets/${id}/versions/1/review`, headers: { cookie }, payload: { decision: 'publish' } });
  if (reviewed.statusCode !== 200) throw new Error(`review ${id}: ${reviewed.statusCode} ${reviewed.body}`);
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * Watches the bench database's sessions while an upload runs and notes when PostgreSQL first
 * saw each step of publishing (the COPY of the rows, the index builds, ANALYZE): where the
 * time goes, without touching the server's code.
 */
function watchPublishing(dbUrl: string): { stop: () => Promise<Map<string, number>> } {
  const seen = new Map<string, number>();
  const client = new pg.Client({ connectionString: dbUrl });
  let running = true;
  const steps: [string, RegExp][] = [
    ['copy', /^copy /i],
    ['create index', /^create index/i],
    ['analyze', /^analyze/i],
  ];
  const done = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ query: string }>(`select query from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`);
      for (const r of rows) {
        for (const [name, pattern] of steps) if (pattern.test(r.query.trim()) && !seen.has(name)) seen.set(name, Date.now());
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      return seen;
    },
  };
}

// ------------------------------------------------------------------------------ the run

/** One line of the summary table. */
interface Figure {
  figure: string;
  ludao: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: string;
  /** CPU other processes used while it was measured. */
  others: string;
}

const figures: Figure[] = [];
const runStarted = Date.now();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-bench-od-'));
const benchDb = await createBenchDatabase('ludao_bench_od');
// Stopped early (Ctrl-C, a closed pipe): still drop the database and remove the files.
process.stdout.on('error', () => undefined);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    fs.rmSync(work, { recursive: true, force: true });
    void benchDb.drop().finally(() => process.exit(130));
  });
}
const database = await openDatabase({ url: benchDb.url });
let ludao: Ludao | undefined;
const bare = Fastify({ logger: false });
try {
  const [load1] = os.loadavg();
  const server = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db)).rows[0]!.v;
  console.log(`bench/opendata on ${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${server}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (load1! > 1) console.log(`  note: the machine was already busy (1-minute load ${load1!.toFixed(2)}) when the bench started`);
  console.log(`  ${int(ROWS)} rows; records: ${int(REQUESTS)} requests per run, ${PAGES} pages per query, limit ${LIMIT}; search: ${int(DATASETS)} datasets, ${int(SEARCHES)} requests per run; concurrency 1 and ${CONCURRENCY}`);

  const config = {
    ...loadConfig({ NODE_ENV: 'production', LUDAO_DEMO_PEOPLE: '0', LUDAO_DATA_DIR: work }),
    host: '127.0.0.1',
    port: 0,
    logLevel: 'warn',
    // The figures are the path's, not the anonymous pool's refusals.
    openAnonymousPerMinute: 1_000_000_000,
  };
  ludao = await createLudao(config, { database });
  const base = await ludao.listen();
  const cookie = await signIn(ludao, 'operator');
  const orgs = await createIdentityService(ludao.ctx).orgDirectory();
  const transportOrg = [...orgs].find(([, o]) => o.name.includes('交通'))?.[0];

  // ---------------------------------------------------------------- 1. setup
  console.log('\n== 1. publishing the readings');
  const csvFile = path.join(work, 'traffic-sensor-readings.csv');
  let t = Date.now();
  const csvBytes = await writeReadingsCsv(csvFile, ROWS);
  console.log(`generated ${int(ROWS)} readings: ${(csvBytes / MB).toFixed(0)} MB of CSV in ${secs((Date.now() - t) / 1000)} (not counted)`);
  const meta = { ...READINGS_META, tags: [...READINGS_META.tags], ...(transportOrg ? { publisher: transportOrg } : {}) };
  const qs = new URLSearchParams({ fileName: 'traffic-sensor-readings.csv', changelog: '首次发布：2025 年全年读数', meta: JSON.stringify(meta) });
  const watcher = watchPublishing(benchDb.url);
  let load = watchOthers();
  const publishCpu = watchCpu();
  const uploaded = await runClient<UploadResult>(work, {
    mode: 'upload',
    url: `${base}/api/open/manage/uploads?${qs}`,
    file: csvFile,
    headers: { cookie, 'content-type': 'application/octet-stream' },
  });
  const uploadEnded = Date.now();
  const uploadCpu = publishCpu.stop();
  const steps = await watcher.stop();
  if (uploaded.status !== 201) throw new Error(`upload refused: ${uploaded.status} ${uploaded.body.slice(0, 500)}`);
  t = Date.now();
  await publishVersion(ludao, cookie, READINGS_META.id);
  const reviewSeconds = (Date.now() - t) / 1000;
  const version = (await sql<{ table_name: string; row_count: number; fields: Pick<DatasetField, 'name' | 'type'>[]; not_null: string[] }>`select table_name,
      row_count::bigint as row_count, fields, not_null
    from od_version where dataset_id = ${READINGS_META.id} and version = 1`.execute(database.db)).rows[0]!;
  const table = version.table_name;
  // The columns as the API compiles its queries over them.
  const queryColumns = version.fields.map((f) => ({ name: f.name, type: f.type, notNull: version.not_null.includes(f.name) }));
  const publishSeconds = uploaded.seconds + reviewSeconds;
  const publishOthers = load.stop();
  console.log(`uploaded and published ${int(Number(version.row_count))} rows as ${table} in ${secs(publishSeconds)}: ${int(ROWS / publishSeconds)} rows/s, ${((csvBytes / MB) / publishSeconds).toFixed(1)} MB/s`);
  // Where the time went, as PostgreSQL saw it (upload start = the client's first byte, roughly).
  const uploadStart = uploadEnded - uploaded.seconds * 1000;
  const at = (step: string) => (steps.has(step) ? secs((steps.get(step)! - uploadStart) / 1000) : '(not seen)');
  console.log(
    `  body streamed and read (first pass: parse, infer types, personal-data scan, spool) ${secs(uploaded.bodySentSeconds)}; COPY seen at ${at('copy')}; ` +
      `index builds from ${at('create index')}; ANALYZE at ${at('analyze')}; answer at ${secs(uploaded.seconds)}; submit + review ${secs(reviewSeconds)}; ` +
      `CPU during the upload: server ${secs(uploadCpu.serverMs / 1000)}, PostgreSQL ${secs(uploadCpu.postgresMs / 1000)}; other processes used ${others(publishOthers)}`,
  );
  const tableSize = (await sql<{ size: string }>`select pg_size_pretty(pg_total_relation_size(${table}::regclass)) as size`.execute(database.db)).rows[0]!.size;
  console.log(`  row table with its indexes: ${tableSize}`);
  figures.push({ figure: `publish ${int(ROWS)} rows (upload → published)`, ludao: `${secs(publishSeconds)}, ${int(ROWS / publishSeconds)} rows/s`, baseline: '—', ratio: '—', goal: 'informative', met: '—', others: others(publishOthers) });
  fs.rmSync(csvFile, { force: true });

  // ---------------------------------------------------------------- 2. records
  console.log('\n== 2. records: filtered, ordered, followed through cursors');
  const chains = recordChains(Math.ceil(REQUESTS / Math.max(1, PAGES)) + 40, PAGES);
  // The baseline must be the same query: each shape's first chain gives the same rows both ways.
  const checker = new pg.Client({ connectionString: benchDb.url });
  await checker.connect();
  let checkedPages = 0;
  for (const chain of uniqueShapes(chains)) {
    const barePages: string[][] = [];
    await followBareChain(checker, table, queryColumns, chain, LIMIT, (ids) => barePages.push(ids));
    const apiPages = await followApiChain(base, chain);
    const same = barePages.length === apiPages.length && barePages.every((p, i) => p.join() === apiPages[i]!.join());
    checkedPages += barePages.length;
    if (!same) console.log(`  WARNING: "${chain.shape}": the bare SQL and the API disagree (${barePages.length} vs ${apiPages.length} pages) — the baseline is not the same query`);
    const first = bareRecordsSql(table, queryColumns, chain, LIMIT, null);
    const explained = (await checker.query<{ 'QUERY PLAN': string }>(`explain ${first.text}`, first.values)).rows.map((r) => r['QUERY PLAN']);
    const jit = explained.findIndex((l) => /^\s*JIT:/.test(l));
    const plan = jit < 0 ? explained : explained.slice(0, jit);
    const nodes = plan.filter((l) => !/^\s*(Filter|Sort Key|Index Cond|Recheck Cond|Presorted Key|Rows Removed)/.test(l)).map((l) => l.replace(/^[\s>-]*/, '').replace(/\s*\(cost=.*$/, ''));
    console.log(`  ${chain.shape.padEnd(32)} ${apiPages.reduce((n, p) => n + p.length, 0)} rows in ${apiPages.length} pages; first page's plan: ${nodes.join(' ← ')}`);
  }
  await checker.end();
  console.log(`  the bare SQL and the API gave the same rows on ${checkedPages} pages`);
  const recordsPlan = (kind: 'http' | 'pg' | 'indexed', concurrency: number, requests = REQUESTS, seconds = MAX_SECONDS): ClientPlan =>
    kind === 'http'
      ? { mode: 'records-http', base, datasetId: READINGS_META.id, chains, limit: LIMIT, concurrency, requests, seconds }
      : { mode: 'records-pg', dbUrl: benchDb.url, table, columns: queryColumns, chains, limit: LIMIT, concurrency, requests, seconds, variant: kind === 'indexed' ? 'indexed' : 'api' };
  await runClient(work, recordsPlan('pg', CONCURRENCY, WARM_UP.requests, WARM_UP.seconds)); // warm-up
  await runClient(work, recordsPlan('http', CONCURRENCY, WARM_UP.requests, WARM_UP.seconds));
  for (const concurrency of [1, CONCURRENCY]) {
    load = watchOthers();
    let cpu = watchCpu();
    const bareRun = await runClient<LatencyResult>(work, recordsPlan('pg', concurrency));
    const bareCpu = cpuPerRequest(cpu.stop(), bareRun.samples.length);
    cpu = watchCpu();
    const apiRun = await runClient<LatencyResult>(work, recordsPlan('http', concurrency));
    const apiCpu = cpuPerRequest(cpu.stop(), apiRun.samples.length);
    const busy = load.stop();
    const b = summarise(bareRun.samples.map((s) => s[2]));
    const a = summarise(apiRun.samples.map((s) => s[2]));
    console.log(`concurrency ${concurrency} (other processes used ${others(busy)}):`);
    console.log(`  bare SQL (pg)   ${pcts(b)}   ${int(b.n / bareRun.seconds)} queries/s; ${bareCpu}${stopped(b.n, REQUESTS, bareRun)}`);
    console.log(`  API over HTTP   ${pcts(a)}   ${int(a.n / apiRun.seconds)} req/s; ${apiCpu}; errors ${apiRun.errors}${apiRun.firstError ? ` (first: ${apiRun.firstError})` : ''}${stopped(a.n, REQUESTS, apiRun)}`);
    for (const shape of new Set(apiRun.samples.map((s) => s[0]))) {
      const of = (run: LatencyResult, first: boolean) => summarise(run.samples.filter((s) => s[0] === shape && (s[1] === 0) === first).map((s) => s[2]));
      console.log(
        `    ${shape.padEnd(32)} API first page ${pcts(of(apiRun, true))}, later pages p50 ${ms(of(apiRun, false).p50)} / p95 ${ms(of(apiRun, false).p95)}; bare first p95 ${ms(of(bareRun, true).p95)}, later p95 ${ms(of(bareRun, false).p95)}`,
      );
    }
    figures.push({
      figure: `records, concurrency ${concurrency} (${int(a.n)} req)`,
      ludao: pcts(a),
      baseline: pcts(b),
      ratio: `p95 ×${(a.p95 / b.p95).toFixed(1)}`,
      goal: `p95 < ${RECORDS_GOAL_MS} ms`,
      met: apiRun.errors ? 'errors' : a.p95 < RECORDS_GOAL_MS ? 'met' : 'not met',
      others: others(busy),
    });
  }

  {
    // What-if: the same pages as SQL the indexes can serve (concurrency 1).
    load = watchOthers();
    const run = await runClient<LatencyResult>(work, recordsPlan('indexed', 1));
    const busy = load.stop();
    const w = summarise(run.samples.map((x) => x[2]));
    console.log(`what-if, concurrency 1 (other processes used ${others(busy)}): the same pages as index-friendly SQL (pg) ${pcts(w)}${stopped(w.n, REQUESTS, run)}`);
    for (const shape of new Set(run.samples.map((x) => x[0]))) {
      const of = summarise(run.samples.filter((x) => x[0] === shape).map((x) => x[2]));
      console.log(`    ${shape.padEnd(32)} ${pcts(of)}`);
    }
    figures.push({ figure: 'records what-if: index-friendly SQL, c 1', ludao: '—', baseline: pcts(w), ratio: '—', goal: 'informative', met: '—', others: others(busy) });
  }
  if (DEEP_PAGES > PAGES) {
    // Each shape, each way, gets the same share of the time allowed.
    const budget = MAX_SECONDS / 4;
    const marks = [...new Set([1, 10, Math.round(DEEP_PAGES / 2), DEEP_PAGES])];
    load = watchOthers();
    const lines: string[] = [];
    let worst = { api: 0, bare: 0, indexed: 0, page: 0, label: '' };
    for (const chain of uniqueShapes(chains).map((c) => ({ ...c, pages: DEEP_PAGES }))) {
      const deepPlan = { chains: [chain], limit: LIMIT, concurrency: 1, requests: DEEP_PAGES, seconds: budget, once: true };
      const bareDeep = await runClient<LatencyResult>(work, { mode: 'records-pg', dbUrl: benchDb.url, table, columns: queryColumns, ...deepPlan });
      const indexedDeep = await runClient<LatencyResult>(work, { mode: 'records-pg', dbUrl: benchDb.url, table, columns: queryColumns, variant: 'indexed', ...deepPlan });
      const apiDeep = await runClient<LatencyResult>(work, { mode: 'records-http', base, datasetId: READINGS_META.id, ...deepPlan });
      const at = (run: LatencyResult, page: number) => run.samples.find((x) => x[1] === page - 1)?.[2];
      const cell = (x: number | undefined) => (x === undefined ? '—' : ms(x));
      const cells = marks.map((n) => `page ${n}: ${cell(at(apiDeep, n))} / ${cell(at(bareDeep, n))} / ${cell(at(indexedDeep, n))}`);
      const reached = apiDeep.samples.length;
      const end = reached >= DEEP_PAGES ? '' : apiDeep.seconds >= budget * 0.95 ? `   (API: ${reached} pages in the ${secs(budget)} allowed)` : `   (the query has ${reached} pages)`;
      lines.push(`  ${chain.shape.padEnd(32)} ${cells.join('   ')}${end}`);
      const last = { api: at(apiDeep, reached) ?? 0, bare: at(bareDeep, reached) ?? 0, indexed: at(indexedDeep, reached) ?? 0, page: reached, label: `${chain.shape}, page ${reached}` };
      // The figure: the slowest of the deepest pages any query reached.
      if (reached > worst.page || (reached === worst.page && last.api > worst.api)) worst = last;
    }
    const busy = load.stop();
    console.log(`following one query of each shape for up to ${DEEP_PAGES} pages (concurrency 1; other processes used ${others(busy)}): latency of page n, API / bare / what-if ms`);
    for (const line of lines) console.log(line);
    figures.push({ figure: `records, deepest page of ${DEEP_PAGES}`, ludao: `${ms(worst.api)} ms (${worst.label})`, baseline: `${ms(worst.bare)} ms (what-if ${ms(worst.indexed)} ms)`, ratio: `×${(worst.api / worst.bare).toFixed(1)}`, goal: 'informative', met: '—', others: others(busy) });
  }

  // ---------------------------------------------------------------- 3. export
  console.log('\n== 3. whole-dataset export');
  // The same SELECT the API's export copies out: the baseline is COPY itself, without Ludao around it.
  const copySql = csvExportQuery(table, version.fields);
  load = watchOthers();
  const copyCpu = watchCpu();
  const copyRun = await runClient<TransferResult>(work, { mode: 'copy', dbUrl: benchDb.url, sql: `copy (${copySql}) to stdout with (format csv, header)` });
  const copyPostgres = copyCpu.stop().postgresMs / 1000;
  const rate = (r: TransferResult) => `${(r.bytes / MB / r.seconds).toFixed(1)} MB/s, ${int(ROWS / r.seconds)} rows/s`;
  console.log(`bare COPY … TO STDOUT (csv, header)  ${(copyRun.bytes / MB).toFixed(0)} MB, ${int(copyRun.newlines - 1)} rows in ${secs(copyRun.seconds)}: ${rate(copyRun)}; client peak RSS ${copyRun.peakRssMb.toFixed(0)} MB; PostgreSQL CPU ${secs(copyPostgres)}`);
  const exportRun = async (format: 'csv' | 'json') => {
    const before = process.memoryUsage().rss;
    const sampler = sampleRss();
    const cpu = watchCpu();
    const run = await runClient<TransferResult>(work, { mode: 'download', url: `${base}/api/open/v1/datasets/${READINGS_META.id}/export.${format}` });
    const peak = sampler.stop();
    if (run.status !== 200) throw new Error(`export.${format}: HTTP ${run.status}`);
    return { run, before, peak, cpu: cpu.stop() };
  };
  const csv = await exportRun('csv');
  const csvRatio = copyRun.bytes / copyRun.seconds > 0 ? csv.run.bytes / csv.run.seconds / (copyRun.bytes / copyRun.seconds) : NaN;
  const csvGrowth = (csv.peak - csv.before) / MB;
  console.log(
    `API export.csv                       ${(csv.run.bytes / MB).toFixed(0)} MB, ${int(csv.run.newlines - 1)} rows in ${secs(csv.run.seconds)}: ${rate(csv.run)} = ${(csvRatio * 100).toFixed(0)}% of COPY; ` +
      `server RSS ${(csv.before / MB).toFixed(0)} MB before, peak ${(csv.peak / MB).toFixed(0)} MB (+${csvGrowth.toFixed(0)} MB); CPU server ${secs(csv.cpu.serverMs / 1000)}, PostgreSQL ${secs(csv.cpu.postgresMs / 1000)}${csv.run.bytes === copyRun.bytes ? '; same bytes as COPY' : `; bytes differ from COPY (${csv.run.bytes} vs ${copyRun.bytes})`}`,
  );
  const csvOthers = load.stop();
  load = watchOthers();
  const json = await exportRun('json');
  const jsonOthers = load.stop();
  const jsonGrowth = (json.peak - json.before) / MB;
  console.log(`API export.json (streamed)           ${(json.run.bytes / MB).toFixed(0)} MB in ${secs(json.run.seconds)}: ${rate(json.run)}; server RSS ${(json.before / MB).toFixed(0)} MB before, peak ${(json.peak / MB).toFixed(0)} MB (+${jsonGrowth.toFixed(0)} MB); CPU server ${secs(json.cpu.serverMs / 1000)}, PostgreSQL ${secs(json.cpu.postgresMs / 1000)}`);
  console.log(`other processes used ${others(csvOthers)} during the CSV runs, ${others(jsonOthers)} during the JSON export`);
  figures.push({ figure: 'export.csv throughput', ludao: rate(csv.run), baseline: rate(copyRun), ratio: `${(csvRatio * 100).toFixed(0)}%`, goal: `≥ ${EXPORT_GOAL * 100}% of COPY`, met: csvRatio >= EXPORT_GOAL ? 'met' : 'not met', others: others(csvOthers) });
  figures.push({
    figure: 'export.csv server memory',
    ludao: `peak RSS ${(csv.peak / MB).toFixed(0)} MB (+${csvGrowth.toFixed(0)} MB) for ${(csv.run.bytes / MB).toFixed(0)} MB`,
    baseline: `COPY client peak ${copyRun.peakRssMb.toFixed(0)} MB`,
    ratio: '—',
    goal: `constant (+< ${CONSTANT_MEMORY_MB} MB)`,
    met: csvGrowth < CONSTANT_MEMORY_MB ? 'met' : 'not met',
    others: others(csvOthers),
  });
  figures.push({
    figure: 'export.json throughput',
    ludao: `${rate(json.run)}, +${jsonGrowth.toFixed(0)} MB RSS`,
    baseline: rate(copyRun),
    ratio: `${((json.run.bytes / json.run.seconds / (copyRun.bytes / copyRun.seconds)) * 100).toFixed(0)}% (bytes/s)`,
    goal: 'informative',
    met: '—',
    others: others(jsonOthers),
  });

  // ---------------------------------------------------------------- 4. search
  console.log('\n== 4. catalogue search');
  const codes = [...orgs.keys()];
  const small = catalogueDatasets(DATASETS, codes);
  t = Date.now();
  load = watchOthers();
  await inParallel(small, 4, async (d) => {
    const q = new URLSearchParams({ fileName: `${d.meta.id}.csv`, changelog: '首次发布', meta: JSON.stringify(d.meta) });
    const res = await ludao!.app.inject({ method: 'POST', url: `/api/open/manage/uploads?${q}`, headers: { cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(d.csv) });
    if (res.statusCode !== 201) throw new Error(`upload ${d.meta.id}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    await publishVersion(ludao!, cookie, d.meta.id);
  });
  const catalogueSeconds = (Date.now() - t) / 1000;
  const catalogueOthers = load.stop();
  console.log(`published ${int(DATASETS)} small datasets (upload, submit, review; 4 at a time) in ${secs(catalogueSeconds)}: ${(DATASETS / catalogueSeconds).toFixed(1)} datasets/s`);
  figures.push({ figure: `publish ${int(DATASETS)} small datasets`, ludao: `${secs(catalogueSeconds)}, ${(DATASETS / catalogueSeconds).toFixed(1)}/s`, baseline: '—', ratio: '—', goal: 'informative', met: '—', others: others(catalogueOthers) });

  bare.get<{ Querystring: { tsq: string } }>('/bare/search', async (request) => {
    const { rows } = await sql`select id, title, description, org_code, theme, tags, modified_at from od_dataset
      where status = 'published' and search @@ ${request.query.tsq}::tsquery order by ts_rank(search, ${request.query.tsq}::tsquery) desc limit 20`.execute(database.db);
    return { items: rows };
  });
  const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });
  const facetOrg = small.find((d) => d.meta.title.includes('企业'))?.meta.publisher ?? codes[0]!;
  const searches = catalogueSearches(facetOrg);
  const apiUrls: string[] = [];
  const bareUrls: string[] = [];
  for (const s of searches) {
    const url = `${base}/api/open/v1/datasets?${new URLSearchParams(s.params)}`;
    const answer = (await (await fetch(url)).json()) as { total: number; terms: string[] };
    const tsq = answer.terms.map((w) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' & ');
    const bareHits = ((await (await fetch(`${bareBase}/bare/search?${new URLSearchParams({ tsq })}`)).json()) as { items: unknown[] }).items.length;
    const label = Object.entries(s.params).map(([k, v]) => `${k}=${v}`).join('&');
    console.log(`  ${s.kind.padEnd(10)} ${label.padEnd(34)} terms ${answer.terms.join('|').padEnd(14)} ${String(answer.total).padStart(4)} datasets (bare: ${bareHits} of its top 20)`);
    apiUrls.push(url);
    bareUrls.push(`${bareBase}/bare/search?${new URLSearchParams({ tsq })}`);
  }
  await runClient(work, { mode: 'get', urls: bareUrls, concurrency: CONCURRENCY, ...WARM_UP }); // warm-up
  await runClient(work, { mode: 'get', urls: apiUrls, concurrency: CONCURRENCY, ...WARM_UP });
  for (const concurrency of [1, CONCURRENCY]) {
    load = watchOthers();
    let cpu = watchCpu();
    const bareRun = await runClient<LatencyResult>(work, { mode: 'get', urls: bareUrls, concurrency, requests: SEARCHES, seconds: MAX_SECONDS });
    const bareCpu = cpuPerRequest(cpu.stop(), bareRun.samples.length);
    cpu = watchCpu();
    const apiRun = await runClient<LatencyResult>(work, { mode: 'get', urls: apiUrls, concurrency, requests: SEARCHES, seconds: MAX_SECONDS });
    const apiCpu = cpuPerRequest(cpu.stop(), apiRun.samples.length);
    const busy = load.stop();
    const b = summarise(bareRun.samples.map((s) => s[2]));
    const a = summarise(apiRun.samples.map((s) => s[2]));
    console.log(`concurrency ${concurrency} (other processes used ${others(busy)}):`);
    console.log(`  bare Fastify + tsquery   ${pcts(b)}   ${int(b.n / bareRun.seconds)} req/s; ${bareCpu}; errors ${bareRun.errors}${stopped(b.n, SEARCHES, bareRun)}`);
    console.log(`  API search with facets   ${pcts(a)}   ${int(a.n / apiRun.seconds)} req/s; ${apiCpu}; errors ${apiRun.errors}${apiRun.firstError ? ` (first: ${apiRun.firstError})` : ''}${stopped(a.n, SEARCHES, apiRun)}`);
    for (const kind of new Set(searches.map((s) => s.kind))) {
      const indexes = new Set(searches.flatMap((s, i) => (s.kind === kind ? [String(i)] : [])));
      const of = (run: LatencyResult) => summarise(run.samples.filter((s) => indexes.has(s[0])).map((s) => s[2]));
      console.log(`    ${kind.padEnd(10)} API ${pcts(of(apiRun))}; bare ${pcts(of(bareRun))}`);
    }
    figures.push({
      figure: `search, concurrency ${concurrency} (${int(a.n)} req)`,
      ludao: pcts(a),
      baseline: pcts(b),
      ratio: `p95 ×${(a.p95 / b.p95).toFixed(1)}`,
      goal: `p95 < ${SEARCH_GOAL_MS} ms`,
      met: apiRun.errors ? 'errors' : a.p95 < SEARCH_GOAL_MS ? 'met' : 'not met',
      others: others(busy),
    });
  }

  // ---------------------------------------------------------------- summary
  console.log(`\n== summary: ${int(ROWS)} rows, ${int(DATASETS)} catalogue datasets; whole run ${secs((Date.now() - runStarted) / 1000)}`);
  const columns: (keyof Figure)[] = ['figure', 'ludao', 'baseline', 'ratio', 'goal', 'met', 'others'];
  const titles: Record<keyof Figure, string> = { figure: 'figure', ludao: 'Ludao', baseline: 'bare baseline', ratio: 'ratio', goal: 'goal', met: '', others: 'other load' };
  const widths = columns.map((c) => Math.max(titles[c].length, ...figures.map((f) => f[c].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(columns.map((c) => titles[c])));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const f of figures) console.log(line(columns.map((c) => f[c])));
  console.log(`other load: CPU that processes other than this bench and PostgreSQL used while the figure was measured (of ${os.cpus().length} cores; ≳ 0.3 means the figure is disturbed)`);
} finally {
  await bare.close();
  await ludao?.close();
  await database.close();
  // --keep 1 leaves the database for a look at its plans afterwards.
  if (args.get('keep') === undefined) await benchDb.drop();
  else console.log(`kept the database: ${benchDb.url}`);
  fs.rmSync(work, { recursive: true, force: true });
}

// ------------------------------------------------------------------------------ record chains through the API

function uniqueShapes(chains: readonly RecordChain[]): RecordChain[] {
  const seen = new Set<string>();
  return chains.filter((c) => !seen.has(c.shape) && seen.add(c.shape));
}

/** A chain's pages through the API (reading ids of each page). */
async function followApiChain(base: string, chain: RecordChain): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  for (let page = 0; page < chain.pages; page++) {
    const params = apiQuery(chain, LIMIT);
    const res = await fetch(`${base}/api/open/v1/datasets/${READINGS_META.id}/records?${new URLSearchParams(cursor ? { ...params, cursor } : params)}`);
    if (res.status !== 200) throw new Error(`records (${chain.shape}): ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { records: { reading_id: number }[]; next: string | null };
    pages.push(body.records.map((r) => String(r.reading_id)));
    cursor = body.next;
    if (!cursor) break;
  }
  return pages;
}

