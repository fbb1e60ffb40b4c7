/**
 * bench/kernel — the cost of the platform's full request path.
 *
 * Compares, in one run and on the same database:
 *   bare: a plain Fastify route doing one indexed SELECT (no auth, no audit);
 *   full: the same SELECT through Ludao's app — API key authentication, the policy check,
 *         and an audit entry stored (group-committed) before the response.
 * on PostgreSQL (DATABASE_URL, default the local server) and on embedded PGlite.
 *
 * Usage: npm run bench:kernel [-- --seconds 10 --connections 50 --rows 100000 --only postgres|pglite]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import { createLudao, type Ludao } from '../../src/app';
import { createIdentityService } from '../../src/modules/identity';
import { getPrincipal, PLATFORM_PRINCIPAL, requirePermission } from '../../src/platform/access';
import { loadConfig } from '../../src/platform/config';
import { openDatabase, type Database } from '../../src/platform/db/database';
import { benchArgs, createBenchDatabase, runLoad, type LoadResult } from '../support/bench-support';

const args = benchArgs();
const SECONDS = Number(args.get('seconds') ?? 10);
const CONNECTIONS = Number(args.get('connections') ?? 50);
const ROWS = Number(args.get('rows') ?? 100_000);
const ONLY = args.get('only');

const load = (url: string, headers: string[] = [], seconds = SECONDS) => runLoad({ url, keys: String(ROWS), connections: CONNECTIONS, seconds, headers });

async function fillTable(db: Kysely<object>): Promise<void> {
  await sql`create table bench_person (key text primary key, name text not null, district text not null, born date not null)`.execute(db);
  for (let start = 0; start < ROWS; start += 5000) {
    const end = Math.min(ROWS, start + 5000);
    await sql`insert into bench_person (key, name, district, born)
      select 'K' || lpad(i::text, 8, '0'), '测试' || i, (array['350203','350205','350206','350211','350212','350213'])[1 + i % 6],
             date '1950-01-01' + (i % 20000)
      from generate_series(${start}::int, ${end - 1}::int) as i`.execute(db);
  }
  await sql`analyze bench_person`.execute(db);
}

const lookup = (db: Kysely<object>, key: string) =>
  sql<{ key: string; name: string; district: string; born: Date }>`select key, name, district, born from bench_person where key = ${key}`.execute(db);

async function startBare(db: Kysely<object>): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/bare/:id', async (request, reply) => {
    const { rows } = await lookup(db, request.params.id);
    if (!rows[0]) return reply.code(404).send({ error: 'not found' });
    return rows[0];
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/bare/:id`, close: () => app.close() };
}

async function startFull(database: Database, dataDir: string): Promise<{ url: string; key: string; ludao: Ludao }> {
  const config = { ...loadConfig({ NODE_ENV: 'production', LUDAO_DATA_DIR: dataDir }), host: '127.0.0.1', port: 0, logLevel: 'warn' };
  const ludao = await createLudao(config, { database });
  const { app, ctx } = ludao;
  app.get<{ Params: { id: string } }>('/api/bench/people/:id', async (request, reply) => {
    const principal = requirePermission(await getPrincipal(request), 'data:read');
    const { rows } = await lookup(ctx.db, request.params.id);
    await ctx.audit.record({
      action: 'bench.person.read',
      actor: { type: principal.kind, id: principal.id, org: principal.orgId },
      dataSubject: request.params.id,
      purpose: 'benchmark',
      requestId: request.id,
      outcome: rows[0] ? 'ok' : 'failed',
    });
    if (!rows[0]) return reply.code(404).send({ error: 'not found' });
    return rows[0];
  });
  const identity = createIdentityService(ctx);
  const { key } = await identity.createApiKey(PLATFORM_PRINCIPAL, { orgCode: 'xm.hrss', systemName: 'bench' });
  const address = await ludao.listen();
  return { url: `${address}/api/bench/people/:id`, key, ludao };
}

async function benchEngine(engine: 'postgres' | 'pglite'): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-bench-'));
  let database: Database;
  let dropDb: (() => Promise<void>) | undefined;
  if (engine === 'postgres') {
    const benchDb = await createBenchDatabase('ludao_bench');
    database = await openDatabase({ url: benchDb.url }, { poolSize: 8 });
    dropDb = benchDb.drop;
  } else {
    database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
  }
  try {
    const t0 = Date.now();
    await fillTable(database.db);
    console.log(`\n== ${engine}: ${ROWS.toLocaleString()} rows loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${CONNECTIONS} connections, ${SECONDS} s per run`);
    const bare = await startBare(database.db);
    const full = await startFull(database, dataDir);
    await load(bare.url, [], 2); // warm-up
    await load(full.url, [`authorization=Bearer ${full.key}`], 2);
    const bareResult = await load(bare.url);
    const fullResult = await load(full.url, [`authorization=Bearer ${full.key}`]);
    await full.ludao.ctx.audit.chainPending();
    const verified = await full.ludao.ctx.audit.verify();
    const audited = (await sql<{ n: number }>`select count(*) as n from audit_entry where action = 'bench.person.read'`.execute(database.db)).rows[0]!.n;
    const ratio = fullResult.rps / bareResult.rps;
    const row = (label: string, r: LoadResult) =>
      `${label.padEnd(38)} ${String(r.rps).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}, non-2xx ${r.non2xx}`;
    console.log(row('bare Fastify + SELECT', bareResult));
    console.log(row('Ludao: API key + policy + audit + SELECT', fullResult));
    console.log(`full/bare: ${(ratio * 100).toFixed(0)}% of the bare route's requests/s (goal on PostgreSQL: ≥ 50%)`);
    console.log(`audit: ${audited.toLocaleString()} read entries chained for ${(fullResult.requests + 0).toLocaleString()}+ requests; chain ${verified.ok ? 'intact' : 'BROKEN'} (${verified.entries.toLocaleString()} entries)`);
    await bare.close();
    await full.ludao.close();
  } finally {
    await database.close();
    await dropDb?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`bench/kernel on ${os.cpus().length} cores, Node ${process.version}`);
for (const engine of ['postgres', 'pglite'] as const) {
  if (!ONLY || ONLY === engine) await benchEngine(engine);
}
