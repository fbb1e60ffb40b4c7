/**
 * bench/datacentre/memory — peak memory of `ludao import` on a 1 GB CSV (or NDJSON).
 *
 * Writes a CSV of synthetic people (UTF-8, field names as headers) of about `--gb` gigabytes,
 * or with `--format ndjson` the same people as NDJSON (read on worker threads), then runs
 * `ludao import population.person` on it as its own process against PostgreSQL and samples
 * that process's resident memory every 100 ms. Baseline in the same run: the peak RSS of
 * `node` reading the same file through a stream and counting lines (what any streaming reader
 * costs). The goal (issue 3): peak under 300 MB.
 *
 * Usage: npm run bench:memory [-- --gb 1] [--format csv|ndjson]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { makeResidentId } from '../../src/platform/ids';
import { benchArgs, createBenchDatabase } from '../support/bench-support';

const GB = Number(benchArgs().get('gb') ?? 1);
const FORMAT = benchArgs().get('format') ?? 'csv';
if (FORMAT !== 'csv' && FORMAT !== 'ndjson') throw new Error(`--format is csv or ndjson, not ${FORMAT}`);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const DISTRICTS = ['350203', '350205', '350206', '350211', '350212', '350213'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';
const HEADER = 'id,name,sex,birth_date,ethnicity,hukou_area_code,hukou_in_xiamen,arrived_on,household_id,relation_to_head,marital_status,residence_unit_code,residence_community_code,residence_street_code,residence_district_code';

const COLUMNS = HEADER.split(',');
// A CSV line of the people file as an NDJSON one (the same values, typed).
function asNdjson(csvLine: string): string {
  const cells = csvLine.slice(0, -1).split(',');
  const record = Object.fromEntries(COLUMNS.map((c, i) => [c, c === 'hukou_in_xiamen' ? cells[i] === 'true' : cells[i] === '' ? null : cells[i]]));
  return `${JSON.stringify(record)}\n`;
}

async function writePeople(file: string, bytes: number): Promise<number> {
  const out = fs.createWriteStream(file);
  let written = 0;
  let rows = 0;
  const write = (csvLine: string) => {
    const line = FORMAT === 'csv' ? csvLine : asNdjson(csvLine);
    written += Buffer.byteLength(line);
    return out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  };
  if (FORMAT === 'csv') await write(`${HEADER}\n`);
  for (let i = 0; written < bytes; i++) {
    const district = DISTRICTS[i % 6]!;
    const born = new Date(Date.UTC(1950, 0, 1) + (i % 20000) * 86_400_000 * 1.3);
    const birth = born.toISOString().slice(0, 10);
    const id = makeResidentId({ areaCode: district, birthDate: birth, sequence: Math.floor(i / 20000) % 999 + 1 });
    const sex = Number(id[16]) % 2 === 1 ? 'male' : 'female';
    const name = SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]! + (i % 3 === 0 ? GIVEN[(i * 13) % GIVEN.length]! : '');
    const street = `${district}${String((i % 9) + 1).padStart(3, '0')}`;
    rows += 1;
    await write(`${id},${name},${sex},${birth},汉族,${district},true,,H${String(i).padStart(9, '0')},head,married,${street}001001-0101,${street}001,${street},${district}\n`);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return rows;
}

/** Runs a command, sampling its RSS; resolves to the peak in MB and its exit code. */
function peakRss(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ peakMb: number; code: number | null; seconds: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, argv, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, hwm);
      } catch {
        // exited between samples
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ peakMb: peak / 1024, code, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-bench-mem-'));
const benchDb = await createBenchDatabase('ludao_bench_mem');
try {
  const file = path.join(work, `people.${FORMAT}`);
  let t = Date.now();
  const rows = await writePeople(file, GB * 1024 ** 3);
  console.log(`bench/datacentre/memory on ${os.cpus().length} cores, Node ${process.version}: ${rows.toLocaleString()} rows, ${(fs.statSync(file).size / 1024 ** 3).toFixed(2)} GB ${FORMAT.toUpperCase()} written in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const env = { ...process.env, DATABASE_URL: benchDb.url, LUDAO_DEMO: '0', LOG_LEVEL: 'warn' };
  t = Date.now();
  const baseline = await peakRss(process.execPath, ['-e', `let n=0;require('fs').createReadStream(${JSON.stringify(file)}).on('data',(b)=>{for(const c of b)if(c===10)n++}).on('end',()=>console.error('lines',n))`], env);
  const ludao = await peakRss(process.execPath, [path.join(root, 'bin/ludao.js'), 'import', 'population.person', file, '--on-invalid', 'skip'], env);
  const { rows: counted } = await (async () => {
    const c = new pg.Client({ connectionString: benchDb.url });
    await c.connect();
    const r = await c.query<{ n: number }>('select count(*)::int as n from dcr_population__person where _valid_to is null');
    await c.end();
    return r;
  })();
  console.log(`  bare stream read of the file      peak RSS ${baseline.peakMb.toFixed(0)} MB   ${baseline.seconds.toFixed(1)} s`);
  console.log(`  ludao import (exit ${ludao.code})            peak RSS ${ludao.peakMb.toFixed(0)} MB   ${ludao.seconds.toFixed(1)} s   ${counted[0]!.n.toLocaleString()} records stored`);
  console.log(`  goal: peak under 300 MB — ${ludao.peakMb < 300 ? 'met' : 'NOT met'}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
  await benchDb.drop();
}
