import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLudao, type TestLudao } from '../../test/support/test-ludao';
import { loadDemoCity } from './demo-city';
import { seedDemoOpenData } from './demo-opendata';

describe('demo open data', () => {
  let ludao: TestLudao;
  let dir: string;
  beforeAll(async () => {
    ludao = await startTestLudao();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-demo-od-'));
    await loadDemoCity(ludao.ctx, { people: 400, seed: 'demo-opendata-test', dir });
  }, 120_000);
  afterAll(async () => {
    await ludao?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a few dozen datasets across the themes, once', async () => {
    const published = await seedDemoOpenData(ludao);
    expect(published).toBeGreaterThanOrEqual(24);
    const search = (await ludao.app.inject({ method: 'GET', url: '/api/open/v1/datasets?limit=100' })).json();
    expect(search.total).toBe(published);
    expect(search.facets.theme.length).toBeGreaterThanOrEqual(9);
    const themes = search.facets.theme.map((f: { value: string }) => f.value);
    for (const t of ['credit', 'health', 'transport', 'market']) expect(themes).toContain(t);
    // Every version went through review to published (the personal-data guard refused none).
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from od_version where status = 'published'`.execute(ludao.ctx.db);
    expect(rows[0]!.n).toBe(published);
    expect(await seedDemoOpenData(ludao)).toBe(0);
  });
});
