import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';
import { loadDemoCity } from '../../flows/demo-city';
import { PLATFORM_PRINCIPAL } from '../../platform/access';
import { createDatacentreService } from '../datacentre';
import { createIdentityService, DEMO_PASSWORD } from '../identity';
import { addDeliveryErrorCode } from './migrations/0004-add-delivery-error-code';

const headers = { 'x-ludao-purpose': 'sync', 'x-ludao-case-id': 'SYNC-1', 'x-ludao-end-user': 'sync-job' };

/** A webhook receiver that records what it gets and answers with the status it is told to. */
async function startReceiver() {
  const received: { body: string; signature: string; subscription: string }[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['x-ludao-signature']), subscription: String(req.headers['x-ludao-subscription']) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/ludao`,
    received,
    answer: (s: number) => (status = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('change subscriptions', () => {
  let ludao: TestLudao;
  let dir: string;
  let hrss: string;
  let key: string;
  let channelId: string;
  let people: Record<string, unknown>[];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const inject = (opts: InjectOptions) => ludao.app.inject(opts);
  let batchNo = 0;
  const push = async (records: Record<string, unknown>[], operation: 'upsert' | 'delete' = 'upsert') => {
    const out = await createDatacentreService(ludao.ctx).pushBatch(PLATFORM_PRINCIPAL, 'population.person', { idempotencyKey: `sub-test-${++batchNo}`, operation, onInvalid: 'reject', records });
    expect(out.batch.status).toBe('applied');
  };
  const renamed = (suffix: string, n: number) => people.slice(0, n).map((p) => ({ ...p, name: `${String(p.name)}${suffix}` }));

  beforeAll(async () => {
    ludao = await startTestLudao({ webhookRetryMs: 20, webhookMaxAttempts: 3 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-sub-'));
    await loadDemoCity(ludao.ctx, { people: 100, seed: 'subscriptions', dir });
    people = fs.readFileSync(path.join(dir, 'people.ndjson'), 'utf8').split('\n').filter(Boolean).slice(0, 10).map((l) => JSON.parse(l));
    // The demo city's batches enter the journal through the event bus.
    await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from xc_change where resource_code = 'population.person'`.execute(ludao.ctx.db)).rows[0]!.n > 0, 'the journal');
    hrss = await signIn(ludao, 'hrss.admin', DEMO_PASSWORD);
    key = (await createIdentityService(ludao.ctx).createApiKey(PLATFORM_PRINCIPAL, { orgCode: 'xm.hrss', systemName: 'sync' })).key;
    const channel = await inject({ method: 'POST', url: '/api/exchange/channels', headers: { cookie: hrss }, payload: { resource: 'population.person', purpose: '同步参保人姓名变更', fields: ['name'] } });
    channelId = channel.json().id;
    receiver = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await ludao?.close();
    await receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('feeds every change from the start, granted fields only, page by page', async () => {
    const seen: { key: string; values: Record<string, unknown> }[] = [];
    let after = '';
    for (let page = 0; page < 10; page++) {
      const res = await inject({ method: 'GET', url: `/api/exchange/v1/population.person/changes?limit=40${after ? `&after=${after}` : ''}`, headers: { authorization: `Bearer ${key}`, ...headers } });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      seen.push(...body.changes);
      if (body.changes.length === 0) break;
      after = body.next;
    }
    expect(seen).toHaveLength(100);
    expect(new Set(seen.map((c) => c.key)).size).toBe(100);
    expect(seen.every((c) => Object.keys(c.values).join() === 'name')).toBe(true);
    const bad = await inject({ method: 'GET', url: '/api/exchange/v1/population.person/changes?after=yesterday', headers: { authorization: `Bearer ${key}`, ...headers } });
    expect(bad.statusCode).toBe(400);
  });

  it('posts new changes to a webhook, signed, and moves the cursor on', async () => {
    const created = await inject({ method: 'POST', url: '/api/exchange/subscriptions', headers: { cookie: hrss }, payload: { channelId, url: receiver.url } });
    expect(created.statusCode, created.body).toBe(201);
    const { subscription, secret } = created.json();
    expect(subscription).toMatchObject({ status: 'active', resource: 'population.person', delivered: 0 });
    expect(JSON.stringify((await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json())).not.toContain(secret);

    await push(renamed('（更名）', 3));
    const got = await waitFor(async () => receiver.received[0], 'a delivery');
    const body = JSON.parse(got.body);
    expect(body.changes.map((c: { values: { name: string } }) => c.values.name)).toEqual(people.slice(0, 3).map((p) => `${String(p.name)}（更名）`));
    expect(got.body).not.toContain('birth_date');
    const [t, v1] = got.signature.split(',').map((part) => part.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${got.body}`).digest('hex'));
    const after = await waitFor(async () => {
      const list = (await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json();
      return list[0].delivered === 3 ? list[0] : undefined;
    }, 'the cursor to move');
    expect(after.cursor).toBe(body.cursor);
    // The push is in the call log, so the people concerned can see it.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from xc_call where operation = 'push' and outcome = 'ok' and record_count = 3`.execute(ludao.ctx.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('retries a failing webhook with back-off, parks it, and delivers again on replay', async () => {
    receiver.answer(500);
    const before = receiver.received.length;
    await push(renamed('（二次更名）', 2));
    const parked = await waitFor(async () => {
      const list = (await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json();
      return list[0].status === 'parked' ? list[0] : undefined;
    }, 'the subscription to park');
    expect(parked.attempts).toBe(3);
    // Why it failed, in the reader's language; the English stays in the tables and the call log.
    expect(parked).toMatchObject({ lastError: '订阅地址返回 HTTP 500', lastErrorCode: 'xc.hook.answered' });
    expect(receiver.received.length - before).toBe(3);
    const deliveries = (await inject({ method: 'GET', url: `/api/exchange/subscriptions/${parked.id}/deliveries`, headers: { cookie: hrss } })).json();
    expect(deliveries.map((d: { outcome: string }) => d.outcome).slice(0, 3)).toEqual(['parked', 'failed', 'failed']);
    expect(deliveries[0]).toMatchObject({ error: '订阅地址返回 HTTP 500', errorCode: 'xc.hook.answered' });
    const english = (await inject({ method: 'GET', url: `/api/exchange/subscriptions/${parked.id}/deliveries`, headers: { cookie: hrss, 'accept-language': 'en' } })).json();
    expect(english[0]).toMatchObject({ error: 'the webhook answered 500', errorCode: 'xc.hook.answered' });
    const stored = await sql<{ error: string; reason: string }>`select d.error, c.reason from xc_delivery d join xc_call c on c.id = d.delivery_id where d.delivery_id = ${deliveries[0].id}`.execute(ludao.ctx.db);
    expect(stored.rows).toEqual([{ error: 'the webhook answered 500', reason: 'the webhook answered 500' }]);
    const calls = (await inject({ method: 'GET', url: '/api/exchange/calls?outcome=error', headers: { cookie: hrss } })).json();
    expect(calls.find((c: { id: string }) => c.id === deliveries[0].id)).toMatchObject({ reason: '订阅地址返回 HTTP 500', reasonCode: 'xc.hook.answered' });
    expect(deliveries[0].id).toMatch(/^[0-9a-f-]{36}$/); // the X-Ludao-Delivery the webhook got

    receiver.answer(204);
    const replayed = await inject({ method: 'POST', url: `/api/exchange/subscriptions/${parked.id}/replay`, headers: { cookie: hrss }, payload: {} });
    expect(replayed.statusCode).toBe(200);
    await waitFor(async () => {
      const list = (await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json();
      return list[0].status === 'active' && list[0].delivered === 5;
    }, 'the replayed delivery');
    const last = JSON.parse(receiver.received[receiver.received.length - 1]!.body);
    expect(last.changes).toHaveLength(2);
  });

  it('sends deletions, and stops at a revoked channel', async () => {
    await push([{ id: people[9]!.id }], 'delete');
    const deletion = await waitFor(async () => receiver.received.map((r) => JSON.parse(r.body)).find((b) => b.changes.some((c: { deleted: boolean }) => c.deleted)), 'a deletion');
    expect(deletion.changes[0]).toMatchObject({ key: people[9]!.id, deleted: true, values: {} });

    const revoked = await inject({ method: 'POST', url: `/api/exchange/channels/${channelId}/revoke`, headers: { cookie: hrss }, payload: { reason: '停止同步' } });
    expect(revoked.statusCode).toBe(200);
    const count = receiver.received.length;
    await push(renamed('（三次更名）', 1));
    const parked = await waitFor(async () => {
      const list = (await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json();
      return list[0].status === 'parked' ? list[0] : undefined;
    }, 'parking at the revoked channel');
    expect(parked).toMatchObject({ lastError: `通道 ${channelId} 已撤销`, lastErrorCode: 'xc.hook.channelRevoked' });
    expect(receiver.received.length).toBe(count);
  });

  it('keeps one department out of another department\'s subscriptions', async () => {
    const ca = await signIn(ludao, 'ca.admin', DEMO_PASSWORD);
    expect((await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: ca } })).json()).toEqual([]);
    const id = (await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json()[0].id;
    expect((await inject({ method: 'POST', url: `/api/exchange/subscriptions/${id}/replay`, headers: { cookie: ca }, payload: {} })).statusCode).toBe(404);
    expect((await inject({ method: 'POST', url: '/api/exchange/subscriptions', headers: { cookie: ca }, payload: { channelId, url: receiver.url } })).statusCode).toBe(404);
  });

  it('shows errors stored before migration 0004 as they were written, and the migration goes down and up', async () => {
    const { db } = ludao.ctx;
    const listed = async () => (await inject({ method: 'GET', url: '/api/exchange/subscriptions', headers: { cookie: hrss } })).json()[0];
    const sub = await listed();
    await addDeliveryErrorCode.down!(db);
    const columns = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name in ('xc_delivery', 'xc_subscription') and column_name like '%error_%'`.execute(db);
    expect(columns.rows[0]!.n).toBe(0);
    await addDeliveryErrorCode.up(db);
    expect(await listed()).toMatchObject({ id: sub.id, lastError: `channel ${channelId} is revoked`, lastErrorCode: null });
    const deliveries = (await inject({ method: 'GET', url: `/api/exchange/subscriptions/${sub.id}/deliveries`, headers: { cookie: hrss } })).json();
    expect(deliveries.find((d: { outcome: string }) => d.outcome === 'failed')).toMatchObject({ error: 'the webhook answered 500', errorCode: null });
  });
});
