import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestLudao, type TestLudao } from '../../test/support/test-ludao';
import { DEMO_PASSWORD } from '../modules/identity';
import { loadDemoCity } from './demo-city';
import { seedDemoExchange } from './demo-exchange';
import { findDemoFamilies, seedDemoMaternity } from './demo-maternity';

describe('demo maternity claims', () => {
  let ludao: TestLudao;
  let dir: string;
  beforeAll(async () => {
    ludao = await startTestLudao();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-demo-mt-'));
    await loadDemoCity(ludao.ctx, { people: 2000, seed: 'demo-maternity', dir });
  }, 240_000);
  afterAll(async () => {
    await ludao?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves claims in the handler’s queue, once, and the demo citizen’s own claim matches every check', async () => {
    expect(await seedDemoExchange(ludao)).toBe(true);
    expect(await seedDemoMaternity(ludao)).toBe(3);
    expect(await seedDemoMaternity(ludao)).toBe(0);
    const handler = await signIn(ludao, 'medsec.handler', DEMO_PASSWORD);
    const queue = (await ludao.app.inject({ method: 'GET', url: '/api/maternity/queue', headers: { cookie: handler } })).json();
    expect(queue.map((c: { failed: string[] }) => c.failed)).toEqual([['marriage.married_to'], ['si.bank_account_is']]);
    const approved = (await ludao.app.inject({ method: 'GET', url: '/api/maternity/queue?status=approved', headers: { cookie: handler } })).json();
    expect(approved).toHaveLength(1);

    const [family] = await findDemoFamilies(ludao.ctx.db, 1);
    const citizen = await signIn(ludao, 'citizen', DEMO_PASSWORD);
    // Linked to the family's mother by the demo exchange: her declarations match every check.
    const res = await ludao.app.inject({ method: 'POST', url: '/api/maternity/claims', headers: { cookie: citizen }, payload: { spouse: family!.spouse, child: family!.child, account: family!.account, difficultBirth: false, babies: 1, consent: true } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'approved', failed: [] });
    expect(res.json().amountFen).toBeGreaterThan(0);
  });
});
