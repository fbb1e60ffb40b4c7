/**
 * The open-data bench's client, run as its own process so that it does not share the
 * server's event loop. Reads a plan (JSON file named on the command line), does it, and prints
 * one JSON line of results. Plans:
 *   upload        stream a file as the body of a POST (a real socket, never buffered whole);
 *   records-http  follow record chains through the API's `next` cursors;
 *   records-pg    the same chains as plain SQL on the row table (the baseline);
 *   get           GET a list of URLs in turn;
 *   download      stream one URL into a sink that counts bytes and lines;
 *   copy          stream `COPY (…) TO STDOUT` into the same kind of sink (the baseline).
 * Record chains are taken in turn (again from the first when all were followed, unless `once`).
 * Timings are per request, from sending it to the last byte of the answer.
 *
 * Usage: node --import tsx bench/opendata/client.ts PLAN.json
 */
import fs from 'node:fs';
import http from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { QueryColumn } from '../../src/modules/opendata/query/record-query';
import { bareRecordsSql, type BareCursor, type BareVariant } from './bare-records';
import { apiQuery, type RecordChain } from './synthetic';

/** What the client is asked to do (load runs stop after `requests`, or after `seconds` if given). */
export type ClientPlan =
  | { mode: 'upload'; url: string; file: string; headers: Record<string, string> }
  | { mode: 'records-http'; base: string; datasetId: string; chains: RecordChain[]; limit: number; concurrency: number; requests: number; seconds?: number; once?: boolean }
  | { mode: 'records-pg'; dbUrl: string; table: string; columns: QueryColumn[]; chains: RecordChain[]; limit: number; concurrency: number; requests: number; seconds?: number; once?: boolean; variant?: BareVariant }
  | { mode: 'get'; urls: string[]; concurrency: number; requests: number; seconds?: number }
  | { mode: 'download'; url: string }
  | { mode: 'copy'; dbUrl: string; sql: string };

/** Latencies of a load run: one `[group, page, ms]` sample per request (group: chain shape or URL index). */
export interface LatencyResult {
  samples: [string, number, number][];
  seconds: number;
  errors: number;
  firstError: string | null;
}

/** A streamed transfer: bytes, newlines, wall time and this process's peak RSS. */
export interface TransferResult {
  status: number;
  bytes: number;
  newlines: number;
  seconds: number;
  peakRssMb: number;
}

/** The answer to an upload. */
export interface UploadResult {
  status: number;
  body: string;
  bodySentSeconds: number;
  seconds: number;
}

function request(agent: http.Agent, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Runs `worker` on `concurrency` lanes until `requests` requests were issued in all, or `seconds` passed. */
async function lanes(concurrency: number, requests: number, seconds: number | undefined, worker: (take: () => boolean) => Promise<void>): Promise<number> {
  let issued = 0;
  const started = performance.now();
  const deadline = seconds === undefined ? Infinity : started + seconds * 1000;
  const take = () => (issued < requests && performance.now() < deadline ? (issued++, true) : false);
  await Promise.all(Array.from({ length: concurrency }, () => worker(take)));
  return (performance.now() - started) / 1000;
}

/** A keep-alive HTTP client that times every GET as a sample and keeps the first failure. */
function timedHttp(concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: LatencyResult['samples'] = [];
  let errors = 0;
  let firstError: string | null = null;
  return {
    async get(url: string, label: string, page: number): Promise<{ status: number; body: string }> {
      const started = performance.now();
      const res = await request(agent, url);
      samples.push([label, page, performance.now() - started]);
      if (res.status !== 200) {
        errors += 1;
        firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
      }
      return res;
    },
    result(seconds: number): LatencyResult {
      agent.destroy();
      return { samples, seconds, errors, firstError };
    },
  };
}

async function recordsHttp(plan: Extract<ClientPlan, { mode: 'records-http' }>): Promise<LatencyResult> {
  const client = timedHttp(plan.concurrency);
  let next = 0;
  const seconds = await lanes(plan.concurrency, plan.requests, plan.seconds, async (take) => {
    for (;;) {
      if (plan.once && next >= plan.chains.length) return;
      const chain = plan.chains[next++ % plan.chains.length]!;
      const params = apiQuery(chain, plan.limit);
      let cursor: string | null = null;
      for (let page = 0; page < chain.pages; page++) {
        if (!take()) return;
        const qs = new URLSearchParams(cursor ? { ...params, cursor } : params);
        const res = await client.get(`${plan.base}/api/open/v1/datasets/${plan.datasetId}/records?${qs}`, chain.shape, page);
        if (res.status !== 200) break;
        cursor = (JSON.parse(res.body) as { next: string | null }).next;
        if (!cursor) break;
      }
    }
  });
  return client.result(seconds);
}

async function recordsPg(plan: Extract<ClientPlan, { mode: 'records-pg' }>): Promise<LatencyResult> {
  const pool = new pg.Pool({ connectionString: plan.dbUrl, max: plan.concurrency });
  const samples: LatencyResult['samples'] = [];
  let next = 0;
  // Open every connection first: the API's pool is warm too.
  const opened = await Promise.all(Array.from({ length: plan.concurrency }, () => pool.connect()));
  for (const client of opened) client.release();
  const seconds = await lanes(plan.concurrency, plan.requests, plan.seconds, async (take) => {
    const client = await pool.connect();
    try {
      for (;;) {
        if (plan.once && next >= plan.chains.length) return;
        const chain = plan.chains[next++ % plan.chains.length]!;
        let cursor: BareCursor | null = null;
        for (let page = 0; page < chain.pages; page++) {
          if (!take()) return;
          const bare = bareRecordsSql(plan.table, plan.columns, chain, plan.limit, cursor, plan.variant);
          const started = performance.now();
          const { rows } = await client.query<Record<string, unknown>>(bare.text, bare.values);
          samples.push([chain.shape, page, performance.now() - started]);
          cursor = bare.cursorAfter(rows);
          if (!cursor) break;
        }
      }
    } finally {
      client.release();
    }
  });
  await pool.end();
  return { samples, seconds, errors: 0, firstError: null };
}

async function getUrls(plan: Extract<ClientPlan, { mode: 'get' }>): Promise<LatencyResult> {
  const client = timedHttp(plan.concurrency);
  let next = 0;
  const seconds = await lanes(plan.concurrency, plan.requests, plan.seconds, async (take) => {
    while (take()) {
      const index = next++ % plan.urls.length;
      await client.get(plan.urls[index]!, String(index), 0);
    }
  });
  return client.result(seconds);
}

/** A sink that counts bytes and newlines, and this process's peak RSS meanwhile. */
function countingSink(): { sink: Writable; result: () => Omit<TransferResult, 'status' | 'seconds'>; stop: () => void } {
  let bytes = 0;
  let newlines = 0;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines += 1;
      done();
    },
  });
  return {
    sink,
    stop: () => clearInterval(timer),
    result: () => ({ bytes, newlines, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1048576 }),
  };
}

async function download(plan: Extract<ClientPlan, { mode: 'download' }>): Promise<TransferResult> {
  const counter = countingSink();
  const started = performance.now();
  const status = await new Promise<number>((resolve, reject) => {
    http
      .get(plan.url, (res) => {
        pipeline(res, counter.sink).then(() => resolve(res.statusCode ?? 0), reject);
      })
      .on('error', reject);
  });
  counter.stop();
  return { status, seconds: (performance.now() - started) / 1000, ...counter.result() };
}

async function copy(plan: Extract<ClientPlan, { mode: 'copy' }>): Promise<TransferResult> {
  const client = new pg.Client({ connectionString: plan.dbUrl });
  await client.connect();
  const counter = countingSink();
  const started = performance.now();
  try {
    await pipeline(client.query(copyTo(plan.sql)), counter.sink);
  } finally {
    counter.stop();
    await client.end();
  }
  return { status: 200, seconds: (performance.now() - started) / 1000, ...counter.result() };
}

function upload(plan: Extract<ClientPlan, { mode: 'upload' }>): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let bodySent = 0;
    const req = http.request(plan.url, { method: 'POST', headers: { ...plan.headers, 'transfer-encoding': 'chunked' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), bodySentSeconds: bodySent, seconds: (performance.now() - started) / 1000 }),
      );
    });
    req.on('error', reject);
    req.on('finish', () => (bodySent = (performance.now() - started) / 1000));
    fs.createReadStream(plan.file).on('error', reject).pipe(req);
  });
}

const plan = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as ClientPlan;
const result =
  plan.mode === 'upload'
    ? await upload(plan)
    : plan.mode === 'records-http'
      ? await recordsHttp(plan)
      : plan.mode === 'records-pg'
        ? await recordsPg(plan)
        : plan.mode === 'get'
          ? await getUrls(plan)
          : plan.mode === 'download'
            ? await download(plan)
            : await copy(plan);
console.log(JSON.stringify(result));
