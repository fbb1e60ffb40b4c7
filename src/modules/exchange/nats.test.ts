import http from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';
import { createLudao, type Ludao } from '../../app';
import { PLATFORM_PRINCIPAL } from '../../platform/access';
import { openDatabase, type Database } from '../../platform/db/database';
import { CHANGE_STREAM } from '../../platform/events/signals';
import { createDatacentreService } from '../datacentre';
import { DEMO_PASSWORD } from '../identity';

const NATS_URL = process.env.NATS_URL;
if (!NATS_URL && process.env.LUDAO_REQUIRE_NATS === '1') throw new Error('LUDAO_REQUIRE_NATS=1 but NATS_URL is not set');

// Two Ludao processes on one database, as a city runs them: the first applies a batch but
// delivers nothing; the second delivers webhooks but polls only every ten minutes. The
// webhook arrives only if the first process's change signal reached the second through NATS.
describe.skipIf(!NATS_URL)('change signals through NATS JetStream', () => {
  let first: TestLudao;
  let secondDb: Database;
  let second: Ludao;
  let server: http.Server;
  const received: string[] = [];

  beforeAll(async () => {
    first = await startTestLudao({ natsUrl: NATS_URL, deliverChanges: false });
    secondDb = first.tdb.url ? await openDatabase({ url: first.tdb.url }) : first.tdb;
    second = await createLudao({ ...first.ctx.config, deliverChanges: true, deliveryPollMs: 600_000 }, { database: secondDb });
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    if (secondDb && secondDb !== first?.tdb) await secondDb.close();
    await first?.close();
    await new Promise<void>((r) => server?.close(() => r()));
  });

  it('wakes the delivering process when another one applies a batch', async () => {
    const hrss = await signIn(first, 'hrss.admin', DEMO_PASSWORD);
    const channel = await first.app.inject({ method: 'POST', url: '/api/exchange/channels', headers: { cookie: hrss }, payload: { resource: 'video.camera', purpose: '视频资源目录同步', fields: ['status'] } });
    expect(channel.statusCode, channel.body).toBe(201);
    const port = (server.address() as { port: number }).port;
    const sub = await first.app.inject({ method: 'POST', url: '/api/exchange/subscriptions', headers: { cookie: hrss }, payload: { channelId: channel.json().id, url: `http://127.0.0.1:${port}/hook` } });
    expect(sub.statusCode, sub.body).toBe(201);

    const nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    const before = (await jsm.streams.info(CHANGE_STREAM)).state.messages;

    const camera = (await createDatacentreService(first.ctx).getResource(PLATFORM_PRINCIPAL, 'video.camera')).fields;
    const record: Record<string, unknown> = {};
    for (const f of camera) if (f.required) record[f.name] = sample(f.name, f.type, f.values);
    const pushed = await createDatacentreService(first.ctx).pushBatch(PLATFORM_PRINCIPAL, 'video.camera', { idempotencyKey: `nats-${Date.now()}`, operation: 'upsert', onInvalid: 'reject', records: [record] });
    expect(pushed.batch.status, JSON.stringify(pushed.batch)).toBe('applied');

    const until = Date.now() + 20_000;
    while (received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!).changes[0].values).toEqual({ status: record.status ?? null });
    expect((await jsm.streams.info(CHANGE_STREAM)).state.messages).toBeGreaterThan(before);
    await nc.drain();
  });
});

function sample(name: string, type: string, values?: string[]): unknown {
  if (values?.length) return values[0];
  if (type === 'integer') return 1;
  if (type === 'decimal') return '1.5';
  if (type === 'boolean') return true;
  if (type === 'date') return '2024-01-02';
  if (type === 'timestamp') return '2024-01-02T03:04:05Z';
  if (type === 'geo_point') return { lat: 24.48, lon: 118.09 };
  if (type === 'json') return {};
  return `${name}-1`;
}
