/**
 * The data centre on PostgreSQL, against bare baselines in the same run:
 *  1. loading N people (population.person: full validation, versions, partitions) vs a bare
 *     COPY of the same rows into a plain table;
 *  2. a batch updating 90% of them (history kept) — the article's ~900 K updates a month;
 *  3. key and all-data-of-one-subject lookups, p50/p99, vs a bare indexed SELECT, after up to 200
 *     calls of each that warm the connections (their figures are printed apart). Before them
 *     the city's other registries are loaded (social insurance, employment, property, …), so
 *     that a subject's look-up finds the records a real city holds about a person.
 * Peak RSS is sampled during the import.
 *
 *   DATABASE_URL=postgres://… npm run bench:datacentre -- [people=1000000]
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'kysely';
import { AuditLog } from '../../src/platform/audit';
import { EventBus } from '../../src/platform/events';
import { loadConfig } from '../../src/platform/config';
import { migrateLudao } from '../../src/app';
import { openTestDatabase } from '../../src/platform/db/testing';
import { makeTransaction } from '../../src/platform/module';
import { PLATFORM_PRINCIPAL } from '../../src/platform/access';
import { BUILTIN_RESOURCES, createDatacentreService } from '../../src/modules/datacentre';
import { loadDemoCity } from '../../src/flows/demo-city';
import { writeCity } from '../../src/synth';

const people = Number(process.argv[2] ?? 1_000_000);
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'ludao-bench-dc-'));
const tdb = await openTestDatabase();
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

try {
  console.log(`data centre bench: ${people.toLocaleString()} people, PostgreSQL ${(await sql<{ server_version: string }>`show server_version`.execute(tdb.db)).rows[0]!.server_version}, Node ${process.version}`);
  let t0 = performance.now();
  await writeCity({ people, seed: 'bench', outDir: path.join(root, 'city') });
  console.log(`  synthetic city written in ${seconds(t0).toFixed(1)} s`);
  const file = path.join(root, 'city', 'people.ndjson');
  const fields = ['id', 'name', 'sex', 'birth_date', 'ethnicity', 'hukou_area_code', 'hukou_in_xiamen', 'arrived_on', 'household_id', 'relation_to_head', 'marital_status', 'residence_unit_code', 'residence_community_code', 'residence_street_code', 'residence_district_code'];

  // Baseline: the same rows as COPY text into a plain table with the same columns and a key index.
  const tsv = path.join(root, 'people.tsv');
  const out = fs.createWriteStream(tsv);
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) {
    const r = JSON.parse(line) as Record<string, unknown>;
    out.write(fields.map((f) => (r[f] === null ? '\\N' : String(r[f]))).join('\t') + '\n');
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  await sql.raw(`create table bare_person (id text, name text, sex text, birth_date date, ethnicity text, hukou_area_code text, hukou_in_xiamen boolean, arrived_on date,
    household_id text, relation_to_head text, marital_status text, residence_unit_code text, residence_community_code text, residence_street_code text, residence_district_code text)`).execute(tdb.db);
  const client = new pg.Client({ connectionString: tdb.url! });
  await client.connect();
  t0 = performance.now();
  await pipeline(fs.createReadStream(tsv), client.query(copyFrom(`copy bare_person from stdin`)));
  await client.query('create index on bare_person (id)');
  const bareSeconds = seconds(t0);

  const config = { ...loadConfig({ NODE_ENV: 'test' }), databaseUrl: tdb.url! };
  await migrateLudao(tdb.db);
  const audit = new AuditLog(tdb.db);
  const events = new EventBus(tdb.db);
  const ctx = { config, database: tdb, db: tdb.db, audit, events, transaction: makeTransaction(tdb.db, audit, events) };
  const dc = createDatacentreService(ctx);
  await dc.startCaching(); // as the server runs it
  await dc.ensureCatalogue(PLATFORM_PRINCIPAL);
  peak = 0;
  t0 = performance.now();
  // When the reading (parsing, checks, COPY into the stage) ends and the applying transaction starts.
  let applyingAt = 0;
  const first = await dc.importFile(PLATFORM_PRINCIPAL, {
    code: 'population.person',
    input: fs.createReadStream(file),
    fileName: 'people.ndjson',
    idempotencyKey: 'bench-1',
    operation: 'upsert',
    onInvalid: 'reject',
    source: 'cli',
    onProgress: (p) => {
      if (p.phase === 'applying' && applyingAt === 0) applyingAt = performance.now();
    },
  });
  const loadSeconds = seconds(t0);
  const readSeconds = (applyingAt - t0) / 1000;
  const loadPeak = peak;
  if (first.batch.status !== 'applied') throw new Error(first.batch.message ?? 'not applied');
  const mb = fs.statSync(file).size / 1e6;
  console.log(`  load ${people.toLocaleString()} rows (${mb.toFixed(0)} MB NDJSON):`);
  console.log(`    bare COPY + key index   ${bareSeconds.toFixed(1)} s   ${Math.round(people / bareSeconds).toLocaleString()} rows/s`);
  console.log(`    ludao import            ${loadSeconds.toFixed(1)} s   ${Math.round(people / loadSeconds).toLocaleString()} rows/s   = ${((100 * bareSeconds) / loadSeconds).toFixed(0)}% of bare   peak RSS ${(loadPeak / 1e6).toFixed(0)} MB`);
  console.log(`      reading ${readSeconds.toFixed(1)} s (parse, check, COPY into the stage), applying ${(loadSeconds - readSeconds).toFixed(1)} s (insert, build the indexes, commit)`);

  // 90% of the people move within the city: one field changes.
  const updated = path.join(root, 'people-moved.ndjson');
  const w = fs.createWriteStream(updated);
  let n = 0;
  let changed = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file) })) {
    const r = JSON.parse(line) as Record<string, unknown>;
    if (n++ % 10 !== 0) {
      r.marital_status = r.marital_status === 'married' ? 'divorced' : 'married';
      changed++;
    }
    w.write(JSON.stringify(r) + '\n');
  }
  await new Promise<void>((resolve) => w.end(() => resolve()));
  t0 = performance.now();
  const second = await dc.importFile(PLATFORM_PRINCIPAL, { code: 'population.person', input: fs.createReadStream(updated), fileName: 'people.ndjson', idempotencyKey: 'bench-2', operation: 'upsert', onInvalid: 'reject', source: 'cli' });
  const updateSeconds = seconds(t0);
  console.log(`  update batch: ${changed.toLocaleString()} of ${people.toLocaleString()} records changed in ${updateSeconds.toFixed(1)} s (${second.batch.updated.toLocaleString()} new versions, ${second.batch.unchanged.toLocaleString()} unchanged)`);

  // The rest of the city, so that the look-ups by subject find what a city holds about a person.
  t0 = performance.now();
  const rest = await loadDemoCity(ctx, { people, seed: 'bench', dir: path.join(root, 'city'), only: BUILTIN_RESOURCES.map((b) => b.spec.code).filter((c) => c !== 'population.person') });
  const restRows = rest.resources.reduce((sum, r) => sum + r.rows, 0);
  if (rest.resources.some((r) => r.status !== 'applied')) throw new Error(`a registry was not applied: ${JSON.stringify(rest.resources)}`);
  console.log(`  the city's other ${rest.resources.length} registries: ${restRows.toLocaleString()} rows loaded in ${seconds(t0).toFixed(1)} s`);

  // Lookups, once the loads' dirty pages are written out: a checkpoint running meanwhile would
  // time the loads' writing, not the look-ups (the server's checkpoints come every 5 minutes or
  // 1 GB of WAL, and the loads above write several).
  await client.query('checkpoint').catch((error: Error) => console.log(`  (no checkpoint before the look-ups: ${error.message})`));

  // Lookups.
  const { rows: sample } = await client.query<{ id: string }>(`select id from bare_person tablesample system (1) limit 2000`);
  const ids = sample.map((r) => r.id);
  const bare: number[] = [];
  const byKey: number[] = [];
  const bySubject: number[] = [];
  // The first uses: each pool connection parses the prepared look-ups and plans them (custom
  // plans for its first five runs). Timed apart, on people not looked up after them.
  const coldKey: number[] = [];
  const coldSubject: number[] = [];
  const warmIds = ids.splice(ids.length - Math.min(200, Math.floor(ids.length / 4)));
  for (const id of warmIds) {
    let t = performance.now();
    await dc.getRecord(PLATFORM_PRINCIPAL, 'population.person', id);
    coldKey.push(performance.now() - t);
    t = performance.now();
    await dc.subjectRecords(PLATFORM_PRINCIPAL, id);
    coldSubject.push(performance.now() - t);
  }
  for (const id of ids) {
    let t = performance.now();
    await client.query('select * from bare_person where id = $1', [id]);
    bare.push(performance.now() - t);
    t = performance.now();
    await dc.getRecord(PLATFORM_PRINCIPAL, 'population.person', id);
    byKey.push(performance.now() - t);
  }
  for (const id of ids.slice(0, 1000)) {
    const t = performance.now();
    await dc.subjectRecords(PLATFORM_PRINCIPAL, id);
    bySubject.push(performance.now() - t);
  }
  const f = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(2)} ms  p99 ${pct(xs, 0.99).toFixed(2)} ms`;
  console.log(`  lookups: ${(people * 2).toLocaleString()} stored versions of people, ${(people * 2 + restRows).toLocaleString()} rows in the city's 21 record tables:`);
  console.log(`    bare SELECT by id              ${f(bare)}`);
  console.log(`    ludao record by key            ${f(byKey)}   (audited)`);
  console.log(`    ludao all data of one subject  ${f(bySubject)}   (${(await dc.searchResources(PLATFORM_PRINCIPAL, {})).total} resources searched, audited)`);
  console.log(`    their first ${warmIds.length} calls, while each connection prepares: by key ${f(coldKey)}; one subject ${f(coldSubject)}`);
  await client.end();
  await dc.stopCaching();
  await audit.stop();
} finally {
  clearInterval(sampler);
  await tdb.close();
  await fsp.rm(root, { recursive: true, force: true });
}
