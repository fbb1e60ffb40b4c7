/**
 * bench/exchange — audited look-ups through the exchange's data plane.
 *
 * In one run, on one PostgreSQL database holding a synthetic city:
 *   bare: a plain Fastify route doing the same SQL look-up (a person's current record by ID
 *         number, the same two columns) with no authentication, no channel, no log;
 *   bare, prepared: the same route with the look-up as a prepared statement, as Ludao's data
 *         plane sends it (so the comparison with it shows the cost of everything else);
 *   full: GET /api/exchange/v1/population.person/subjects/:id through Ludao — API key, purpose /
 *         case / end-user headers, channel and field grant, rate limit, the read of granted
 *         columns, the response hash, and the call logged (group-committed, digest chained
 *         into the audit log) before the answer.
 * The three routes take turns, ROUNDS times (bare, prepared, full; bare, prepared, full; …), so
 * that a drift of the machine's speed during the run, which on this kind of shared machine is
 * often ±15% over a minute, falls on all three alike; each round's full/bare share is computed
 * within the round. Then: how long the article's 300 M calls would take at the measured rate.
 *
 * Usage: npm run bench:exchange [-- --people 20000 --seconds 5 --rounds 3 --connections 50]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { createLudao } from '../../src/app';
import { loadDemoCity } from '../../src/flows/demo-city';
import { demoSignIn } from '../../src/flows/demo-support';
import { createIdentityService } from '../../src/modules/identity';
import { PLATFORM_PRINCIPAL } from '../../src/platform/access';
import { loadConfig } from '../../src/platform/config';
import { openDatabase } from '../../src/platform/db/database';
import { executePrepared } from '../../src/platform/db/prepared';
import { benchArgs, createBenchDatabase, runLoad, type LoadResult } from '../support/bench-support';

const args = benchArgs();
const PEOPLE = Number(args.get('people') ?? 20_000);
const SECONDS = Number(args.get('seconds') ?? 5);
const ROUNDS = Number(args.get('rounds') ?? 3);
const CONNECTIONS = Number(args.get('connections') ?? 50);
const ARTICLE_CALLS = 300_000_000;

const load = (url: string, keysFile: string, headers: string[], seconds = SECONDS) => runLoad({ url, keys: `@${keysFile}`, connections: CONNECTIONS, seconds, headers });

const lookup = (id: string) =>
  sql<{ name: string; birth_date: string }>`select _key, name, to_char(birth_date, 'YYYY-MM-DD') as birth_date from dcr_population__person
    where _subject = ${id} and _key = ${id} and _valid_to is null and not _deleted order by _key limit 100`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-bench-xc-'));
const benchDb = await createBenchDatabase('ludao_bench_xc');
const database = await openDatabase({ url: benchDb.url }, { poolSize: 8 });
try {
  console.log(`bench/exchange on ${os.cpus().length} cores, Node ${process.version}, PostgreSQL; ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per route`);
  const config = { ...loadConfig({ NODE_ENV: 'production', LUDAO_DEMO_PEOPLE: '0', LUDAO_DATA_DIR: work }), host: '127.0.0.1', port: 0, logLevel: 'warn' };
  const ludao = await createLudao(config, { database });
  const t0 = Date.now();
  await loadDemoCity(ludao.ctx, { people: PEOPLE, seed: 'bench-exchange', dir: path.join(work, 'city') });
  console.log(`city of ${PEOPLE.toLocaleString()} people loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const ids = (await sql<{ id: string }>`select _subject as id from dcr_population__person where _valid_to is null`.execute(database.db)).rows.map((r) => r.id);
  const keysFile = path.join(work, 'subjects.txt');
  fs.writeFileSync(keysFile, ids.join('\n'));

  // The consumer: HR & social security, with a channel to the population registry for two fields.
  const identity = createIdentityService(ludao.ctx);
  const { key } = await identity.createApiKey(PLATFORM_PRINCIPAL, { orgCode: 'xm.hrss', systemName: 'bench' });
  const channel = await ludao.app.inject({
    method: 'POST',
    url: '/api/exchange/channels',
    headers: { cookie: await demoSignIn(ludao.app, 'hrss.admin') },
    payload: { resource: 'population.person', purpose: '社保参保登记核对身份', fields: ['name', 'birth_date'] },
  });
  if (channel.statusCode !== 201) throw new Error(`could not open a channel: ${channel.body}`);
  // Lift the demo rate limit: the bench measures the path, not the limiter's refusals.
  await sql`update xc_channel set rate_limit_per_minute = 100000000`.execute(database.db);
  const fullUrl = `${await ludao.listen()}/api/exchange/v1/population.person/subjects/:id`;

  const bare = Fastify({ logger: false });
  bare.get<{ Params: { id: string } }>('/bare/:id', async (request) => ({ records: (await lookup(request.params.id).execute(database.db)).rows }));
  bare.get<{ Params: { id: string } }>('/prepared/:id', async (request) => ({ records: (await executePrepared(database.db, lookup(request.params.id))).rows }));
  const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `${bareBase}/bare/:id`;
  const preparedUrl = `${bareBase}/prepared/:id`;

  const headers = [`authorization=Bearer ${key}`, `x-ludao-purpose=${encodeURIComponent('社保待遇资格核验')}`, 'x-ludao-case-id=BENCH-0001', 'x-ludao-end-user=bench-officer'];
  await load(bareUrl, keysFile, [], 2);
  await load(preparedUrl, keysFile, [], 2);
  await load(fullUrl, keysFile, headers, 2);
  const rounds: { bare: LoadResult; prepared: LoadResult; full: LoadResult }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const r = { bare: await load(bareUrl, keysFile, []), prepared: await load(preparedUrl, keysFile, []), full: await load(fullUrl, keysFile, headers) };
    rounds.push(r);
    console.log(`round ${round}: bare ${r.bare.rps} req/s (p99 ${r.bare.p99} ms), prepared ${r.prepared.rps} (p99 ${r.prepared.p99}), exchange ${r.full.rps} (p99 ${r.full.p99}): ${pct(r.full.rps / r.bare.rps)} of bare, ${pct(r.full.rps / r.prepared.rps)} of prepared`);
  }
  await ludao.close();
  await bare.close();

  const row = (label: string, r: LoadResult) =>
    `${label.padEnd(44)} ${String(r.rps).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   errors ${r.errors}, non-2xx ${r.non2xx}   ` +
    `CPU per request: server ${r.serverCpuUs} µs, PostgreSQL ${r.dbCpuUs ?? '?'} µs`;
  const bareResult = combine(rounds.map((r) => r.bare));
  const preparedResult = combine(rounds.map((r) => r.prepared));
  const fullResult = combine(rounds.map((r) => r.full));
  console.log(`all ${ROUNDS} rounds (requests/s over all rounds; p50, p99 and CPU: the median round):`);
  console.log(row('bare Fastify + SELECT by subject', bareResult));
  console.log(row('bare Fastify + the SELECT prepared', preparedResult));
  console.log(row('exchange: key, channel, grant, log, hash', fullResult));
  const shares = (base: 'bare' | 'prepared') => rounds.map((r) => r.full.rps / r[base].rps);
  console.log(
    `full/bare: ${pct(fullResult.rps / bareResult.rps)} of the bare route's requests/s (goal ≥ 50%; rounds ${shares('bare').map(pct).join(', ')}), ` +
      `${pct(fullResult.rps / preparedResult.rps)} of the prepared one's (rounds ${shares('prepared').map(pct).join(', ')}); p99 ${fullResult.p99} ms (goal < 20 ms; bare ${bareResult.p99} ms)`,
  );
  const logged = (await sql<{ n: number; ok: number; batches: number }>`select count(*)::int as n, count(*) filter (where outcome = 'ok')::int as ok,
      count(distinct log_batch)::int as batches from xc_call`.execute(database.db)).rows[0]!;
  console.log(`call log: ${logged.n.toLocaleString()} calls logged (${logged.ok.toLocaleString()} ok) in ${logged.batches.toLocaleString()} group commits, for ${fullResult.requests.toLocaleString()}+ requests`);
  const days = ARTICLE_CALLS / fullResult.rps / 86_400;
  console.log(`the article's 300 M calls at ${fullResult.rps.toLocaleString()} req/s: ${days.toFixed(1)} days of continuous load on this machine`);
} finally {
  await database.close();
  await benchDb.drop();
  fs.rmSync(work, { recursive: true, force: true });
}

function pct(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

// One figure per route from its rounds: requests/s over all of them, the rest the median round's.
function combine(results: LoadResult[]): LoadResult {
  const median = (pick: (r: LoadResult) => number) => {
    const sorted = results.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  };
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  return {
    rps: Math.round(results.reduce((sum, r) => sum + r.rps, 0) / results.length),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    requests,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    serverCpuUs: median((r) => r.serverCpuUs),
    dbCpuUs: results.some((r) => r.dbCpuUs === null) ? null : median((r) => r.dbCpuUs!),
  };
}
