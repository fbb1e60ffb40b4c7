import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestLudao, type TestLudao } from '../../test/support/test-ludao';
import { DEMO_PASSWORD } from '../modules/identity';
import { loadDemoCity } from './demo-city';
import { seedDemoExchange } from './demo-exchange';

describe('demo exchange', () => {
  let ludao: TestLudao;
  let dir: string;
  beforeAll(async () => {
    ludao = await startTestLudao();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-demo-xc-'));
    await loadDemoCity(ludao.ctx, { people: 200, seed: 'demo-exchange', dir });
  }, 120_000);
  afterAll(async () => {
    await ludao?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves something for each role to see, once', async () => {
    expect(await seedDemoExchange(ludao)).toBe(true);
    expect(await seedDemoExchange(ludao)).toBe(false);
    const get = async (user: string, url: string) => (await ludao.app.inject({ method: 'GET', url, headers: { cookie: await signIn(ludao, user, DEMO_PASSWORD) } })).json();

    const stats = await get('operator', '/api/exchange/stats');
    expect(stats.calls).toBe(42);
    expect(stats.refused).toBe(2);
    expect(stats.channels.live).toBe(1);
    const toAnswer = await get('ca.admin', '/api/exchange/requests?side=provider');
    expect(toAnswer).toHaveLength(1);
    expect(toAnswer[0]).toMatchObject({ status: 'pending', consumerOrg: 'xm.hrss', resource: 'civil_affairs.marriage' });
    const uses = await get('citizen', '/api/me/data-uses');
    expect(uses.length).toBeGreaterThanOrEqual(2);
    expect(uses.some((u: { outcome: string }) => u.outcome === 'refused')).toBe(true);
  });
});
