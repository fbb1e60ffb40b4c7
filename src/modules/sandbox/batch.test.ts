import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReceipt } from './index';
import { citizen, monthsInWindow, startSandboxCity, type SandboxCity } from './fixtures.test-support';

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
const WINDOW = { from: '2023-01', to: '2026-06' };

// Large batches: receipts are signed in slices while the attempts are stored, so every one of
// them must still be a valid receipt of its own case, stored in batch order.
describe('sandbox batches', () => {
  let city: SandboxCity;
  const batch = (items: object[]) =>
    city.inject({ method: 'POST', url: '/api/sandbox/verifications/batch', headers: { cookie: city.cookies.edu }, payload: { caseType: 'school_admission.sm', items } });

  beforeAll(async () => {
    city = await startSandboxCity('sandbox-batch-test', 600);
  }, 180_000);
  afterAll(async () => {
    await city?.close();
  });

  it('signs a receipt for every case of a batch of hundreds, each valid, and stores the attempts in batch order', async () => {
    const subjects = city.facts.people.slice(0, 450);
    for (const s of subjects) await city.sandbox.service.createConsent(citizen(s), { caseType: 'school_admission.sm', templates: ['si.months_insured'], validUntil: inFuture(30) });
    const items = subjects.map((subject, i) => ({ caseId: `BIG-${i}`, subject, claims: [{ template: 'si.months_insured', params: { months: 12, ...WINDOW } }] }));
    const res = await batch(items);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ answered: 450, refused: 0, claims: 450 });
    const keys = (await city.inject({ method: 'GET', url: '/api/sandbox/receipt-keys', headers: { cookie: city.cookies.edu } })).body;
    const receiptIds = new Set<string>();
    for (const [i, item] of body.items.entries()) {
      const expected = monthsInWindow(city.facts.periods.get(subjects[i]!) ?? [], WINDOW.from, WINDOW.to) >= 12 ? 'match' : 'no_match';
      expect(item.results, item.caseId).toEqual([{ template: 'si.months_insured', result: expected }]);
      const receipt = await city.inject({ method: 'GET', url: `/api/sandbox/receipts/${item.receiptId}`, headers: { cookie: city.cookies.edu } });
      expect(receipt.statusCode).toBe(200);
      const check = checkReceipt(receipt.body, keys);
      expect(check.ok, check.line).toBe(true);
      if (check.ok) expect(check.receipt).toMatchObject({ caseId: `BIG-${i}`, claims: [{ template: 'si.months_insured', result: expected }] });
      receiptIds.add(item.receiptId);
    }
    expect(receiptIds.size).toBe(450);
    const { rows } = await sql<{ case_id: string }>`select case_id from sb_verification where batch_id = ${body.batchId} order by id`.execute(city.ludao.ctx.db);
    expect(rows.map((r) => r.case_id)).toEqual(items.map((i) => i.caseId));
  });

  it('answers a claim once when two batches ask it at the same time: the other is refused or conflicts, and stores nothing', async () => {
    const subject = city.facts.people[500]!;
    await city.sandbox.service.createConsent(citizen(subject), { caseType: 'school_admission.sm', templates: ['si.months_insured'], validUntil: inFuture(30) });
    const item = { caseId: 'RACE-1', subject, claims: [{ template: 'si.months_insured', params: { months: 12, ...WINDOW } }] };
    const [a, b] = await Promise.all([batch([item]), batch([item])]);
    const outcomes = [a, b].map((r) => (r.statusCode === 200 ? r.json().items[0].status : r.statusCode)).sort();
    expect([
      ['answered', 'refused'],
      [409, 'answered'],
    ]).toContainEqual(outcomes);
    const { rows } = await sql<{ outcome: string; n: number }>`select outcome, count(*)::int as n from sb_verification where case_id = 'RACE-1' group by outcome order by outcome`.execute(city.ludao.ctx.db);
    expect(rows.find((r) => r.outcome === 'answered')?.n).toBe(1);
  });
});
