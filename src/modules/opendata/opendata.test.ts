import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';
import { loadDemoCity } from '../../flows/demo-city';
import { CoherentCache } from '../../platform/db/coherent-cache';
import { Problem } from '../../platform/http/problem';
import { DEMO_PASSWORD } from '../identity';
import type { Dataset, DatasetMeta } from './opendata.contract';
import type { KeyRow } from './opendata.store';
import { PortalAccess } from './portal-access';

const meta = (id: string, extra: Partial<DatasetMeta> = {}): DatasetMeta => ({
  id,
  title: '思明区公交站点',
  titleEn: 'Bus stops in Siming',
  description: '思明区内公交站点的位置、线路数与无障碍设施情况，每月更新。',
  theme: 'transport',
  tags: ['公交', '站点'],
  updateFrequency: 'monthly',
  openType: 'unconditional',
  ...extra,
});

const STOPS_CSV = [
  '站点名称,district,lines,accessible,opened_on,lat,lon',
  '中山公园站,思明区,12,true,2001-05-01,24.4612,118.0891',
  '火车站,思明区,25,true,1999-10-01,24.4689,118.1150',
  '鼓浪屿轮渡,思明区,8,false,2005-03-15,24.4540,118.0700',
  '"厦大,白城",思明区,6,true,2010-09-01,24.4370,118.1020',
  '湖里公园,湖里区,4,false,,24.5120,118.1200',
].join('\r\n');

describe('open-data portal', () => {
  let ludao: TestLudao;
  let dir: string;
  let operator: string;
  let hrss: string;
  let developer: string;
  let ip = 0;
  // Each call from its own address unless one is given, so the anonymous pool is not shared by accident.
  const inject = (opts: InjectOptions & { remoteAddress?: string }) => ludao.app.inject({ remoteAddress: `10.0.${Math.floor(++ip / 250)}.${ip % 250}`, ...opts });

  async function upload(id: string, body: Buffer | string, fileName: string, cookie = operator, extra: Partial<DatasetMeta> = {}, changelog = '首次发布') {
    const qs = new URLSearchParams({ fileName, changelog, meta: JSON.stringify(meta(id, extra)) });
    return inject({ method: 'POST', url: `/api/open/manage/uploads?${qs}`, headers: { cookie, 'content-type': 'application/octet-stream' }, payload: typeof body === 'string' ? Buffer.from(body) : body });
  }
  async function publish(id: string, version: number) {
    const submitted = await inject({ method: 'POST', url: `/api/open/manage/datasets/${id}/versions/${version}/submit`, headers: { cookie: operator } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const reviewed = await inject({ method: 'POST', url: `/api/open/manage/datasets/${id}/versions/${version}/review`, headers: { cookie: operator }, payload: { decision: 'publish' } });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
  }
  const records = (id: string, query: Record<string, string>, headers: Record<string, string> = {}) =>
    inject({ method: 'GET', url: `/api/open/v1/datasets/${id}/records?${new URLSearchParams(query)}`, headers });

  beforeAll(async () => {
    ludao = await startTestLudao({ openAnonymousPerMinute: 20, openDailyQuota: 5 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-od-'));
    await loadDemoCity(ludao.ctx, { people: 300, seed: 'opendata-test', dir });
    operator = await signIn(ludao, 'operator', DEMO_PASSWORD);
    hrss = await signIn(ludao, 'hrss.admin', DEMO_PASSWORD);
    developer = await signIn(ludao, 'enterprise', DEMO_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await ludao?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('publishing from the catalogue', () => {
    it('publishes people only as aggregates: small counts withheld, others rounded to 5', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/open/manage/datasets',
        headers: { cookie: operator },
        payload: {
          meta: meta('population-by-district', { title: '各区户籍人口（按性别）', titleEn: 'Residents by district and sex', description: '按居住区与性别统计的人口数，来自人口基础信息库，小于 8 的组不公布。', theme: 'population', tags: ['人口', '思明区'], updateFrequency: 'yearly' }),
          resource: 'population.person',
          pipeline: { kind: 'aggregate', groupBy: ['residence_district_code', 'sex'] },
          changelog: '首次发布',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json() as { dataset: Dataset; version: { version: number; changelog: string } };
      expect(created.dataset.status).toBe('draft');
      expect(created.dataset.fields.map((f) => f.name)).toEqual(['residence_district_code', 'sex', 'count']);
      // A draft is not on the portal.
      expect((await inject({ method: 'GET', url: '/api/open/v1/datasets/population-by-district' })).statusCode).toBe(404);
      await publish('population-by-district', 1);
      const page = await records('population-by-district', { limit: '100' });
      expect(page.statusCode, page.body).toBe(200);
      const counts = page.json().records.map((r: { count: number }) => r.count);
      expect(counts.length).toBeGreaterThan(0);
      for (const c of counts) {
        expect(c).toBeGreaterThan(7);
        expect(c % 5).toBe(0);
      }
      const truth = await sql<{ n: number }>`select count(*)::int as n from dcr_population__person where _valid_to is null and not _deleted`.execute(ludao.ctx.db);
      expect(counts.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(truth.rows[0]!.n + 5 * counts.length);
      // Finer groups (streets): the changelog says how many were withheld, in both languages.
      const byStreet = await inject({
        method: 'POST',
        url: '/api/open/manage/datasets',
        headers: { cookie: operator },
        payload: {
          meta: meta('population-by-street', { title: '各街道户籍人口（按性别）', titleEn: 'Residents by street and sex', description: '按居住街道与性别统计的人口数，小于 8 的组不公布。', theme: 'population', tags: ['人口'], updateFrequency: 'yearly' }),
          resource: 'population.person',
          pipeline: { kind: 'aggregate', groupBy: ['residence_street_code', 'sex'] },
          changelog: '首次发布',
        },
      });
      expect(byStreet.statusCode, byStreet.body).toBe(201);
      const small = await sql<{ n: number }>`select count(*)::int as n from (select 1 from dcr_population__person where _valid_to is null and not _deleted
        group by residence_street_code, sex having count(*) <= 7) g`.execute(ludao.ctx.db);
      const withheld = small.rows[0]!.n;
      expect(withheld).toBeGreaterThan(0);
      expect(byStreet.json().version.changelog).toBe(`首次发布\n${withheld} 个分组记录数不超过 7，未公布（${withheld === 1 ? '1 group' : `${withheld} groups`} of 7 or fewer records withheld）`);
    });

    it('refuses raw rows of people, identifiers, names and exact dates of birth, with the reason, storing nothing', async () => {
      // The reasons as a department's staff read them: in Chinese unless they ask otherwise.
      const attempts = [
        { resource: 'population.person', pipeline: { kind: 'select', fields: ['residence_district_code', 'sex'] }, reason: '不予开放' },
        { resource: 'population.person', pipeline: { kind: 'aggregate', groupBy: ['name'] }, reason: '不能按“name”（姓名）分组' },
        { resource: 'population.person', pipeline: { kind: 'aggregate', groupBy: ['birth_date'] }, reason: 'birth_date' },
        { resource: 'population.person', pipeline: { kind: 'aggregate', groupBy: ['id'] }, reason: '不能按“id”' },
        { resource: 'legal_person.entity', pipeline: { kind: 'select', fields: ['name', 'legal_representative'] }, reason: 'legal_representative' },
      ];
      for (const [i, a] of attempts.entries()) {
        const res = await inject({ method: 'POST', url: '/api/open/manage/datasets', headers: { cookie: operator }, payload: { meta: meta(`refused-${i}`), resource: a.resource, pipeline: a.pipeline, changelog: 'x1' } });
        expect(res.statusCode, res.body).toBe(a.pipeline.kind === 'select' && a.resource === 'population.person' ? 403 : 400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().detail).toContain(a.reason);
      }
      const stored = await sql<{ n: number }>`select count(*)::int as n from od_dataset where id like 'refused-%'`.execute(ludao.ctx.db);
      expect(stored.rows[0]!.n).toBe(0);
    });

    it('publishes rows of legal persons without their representatives, and only from the provider', async () => {
      const body = { meta: meta('companies', { title: '企业登记信息', theme: 'market', tags: ['企业', '市场主体'] }), resource: 'legal_person.entity', pipeline: { kind: 'select', fields: ['credit_code', 'name', 'district_code', 'industry', 'status'] }, changelog: '首次发布' };
      const notProvider = await inject({ method: 'POST', url: '/api/open/manage/datasets', headers: { cookie: hrss }, payload: body });
      expect(notProvider.statusCode).toBe(403);
      const res = await inject({ method: 'POST', url: '/api/open/manage/datasets', headers: { cookie: operator }, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      const truth = await sql<{ n: number }>`select count(*)::int as n from dcr_legal_person__entity where _valid_to is null and not _deleted`.execute(ludao.ctx.db);
      expect(res.json().version.rows).toBe(truth.rows[0]!.n);
      expect(res.json().dataset.org.code).toBe('xm.amr');
    });
  });

  describe('uploads', () => {
    it('reads a GBK CSV with Chinese headers, infers types and geo columns', async () => {
      const res = await upload('bus-stops', iconv.encode(STOPS_CSV, 'gbk'), 'stops.csv');
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json().dataset as Dataset;
      expect(d.fields.map((f) => [f.labelZh, f.type])).toEqual([
        ['站点名称', 'text'],
        ['district', 'text'],
        ['lines', 'integer'],
        ['accessible', 'boolean'],
        ['opened_on', 'date'],
        ['lat', 'decimal'],
        ['lon', 'decimal'],
      ]);
      expect(d.geo).toEqual({ lat: 'lat', lon: 'lon' });
      expect(d.formats).toContain('GeoJSON');
      await publish('bus-stops', 1);
    });

    it('refuses a file with resident ID numbers, mobile numbers or a name column, naming the row', async () => {
      const [idNumber] = (await sql<{ id: string }>`select id from dcr_population__person limit 1`.execute(ludao.ctx.db)).rows.map((r) => r.id);
      // Rows are numbered as lines of the file (the header is row 1), as a spreadsheet shows them.
      const withId = await upload('leak-1', `站点,备注\n甲,ok\n乙,负责人 ${idNumber}\n`, 'a.csv');
      expect(withId.statusCode).toBe(400);
      expect(withId.json().detail).toBe('拒绝发布：第 3 行“备注”列含有公民身份号码，个人信息一律不予开放');
      const withMobile = await upload('leak-2', JSON.stringify([{ stop: 'a', note: '电话 13912345678' }]), 'a.json');
      expect(withMobile.json().detail).toContain('手机号码');
      const withName = await upload('leak-3', '姓名,年龄\n张三,30\n', 'a.csv');
      expect(withName.statusCode).toBe(400);
      expect(withName.json().detail).toContain('姓名');
      const broken = await upload('leak-4', '{"type":"FeatureCollection"', 'a.geojson');
      expect(broken.statusCode).toBe(400);
      expect(broken.json().detail).toMatch(/^a\.geojson：不是有效的 JSON：/);
      const stored = await sql<{ n: number }>`select count(*)::int as n from od_dataset where id like 'leak-%'`.execute(ludao.ctx.db);
      expect(stored.rows[0]!.n).toBe(0);
      const tables = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename like 'odr\\_%'`.execute(ludao.ctx.db);
      const versions = await sql<{ n: number }>`select count(*)::int as n from od_version`.execute(ludao.ctx.db);
      expect(tables.rows[0]!.n).toBe(versions.rows[0]!.n);
    });

    it('lets two publishers of one dataset take turns: one draft, the other told so', async () => {
      const [a, b] = await Promise.all([upload('twin', STOPS_CSV, 'a.csv'), upload('twin', STOPS_CSV, 'b.csv')]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      const versions = await sql<{ n: number }>`select count(*)::int as n from od_version where dataset_id = 'twin'`.execute(ludao.ctx.db);
      expect(versions.rows[0]!.n).toBe(1);
    });

    it('keeps every version: a new one supersedes, the old one stays downloadable', async () => {
      const v2 = STOPS_CSV + '\r\n新站,集美区,3,true,2026-01-01,24.6000,118.0500';
      const res = await upload('bus-stops', v2, 'stops.csv', operator, {}, '新增集美区站点');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().version.version).toBe(2);
      // Until it is published the portal still serves version 1.
      expect((await records('bus-stops', {})).json().version).toBe(1);
      await publish('bus-stops', 2);
      expect((await records('bus-stops', {})).json().records).toHaveLength(6);
      const versions = (await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/versions' })).json();
      expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
        [2, 'published'],
        [1, 'superseded'],
      ]);
      const old = await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/export.csv?version=1' });
      expect(old.statusCode).toBe(200);
      expect(parseCsv(old.body, { columns: true })).toHaveLength(5);
    });
  });

  describe('query API', () => {
    it('filters, orders and pages with a cursor', async () => {
      const first = await records('bus-stops', { where: "district = '思明区' and lines >= 8", order_by: 'lines desc', limit: '2' });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().records.map((r: { lines: number }) => r.lines)).toEqual([25, 12]);
      const second = await records('bus-stops', { where: "district = '思明区' and lines >= 8", order_by: 'lines desc', limit: '2', cursor: first.json().next });
      expect(second.json().records.map((r: { lines: number }) => r.lines)).toEqual([8]);
      expect(second.json().next).toBeNull();
    });

    it('groups, and searches rows by Chinese words', async () => {
      const grouped = await records('bus-stops', { select: 'district, count(*) as n', group_by: 'district', order_by: 'n desc' });
      expect(grouped.json().records[0]).toEqual({ district: '思明区', n: 4 });
      const q = await records('bus-stops', { q: '鼓浪屿' });
      expect(q.json().records.map((r: Record<string, unknown>) => Object.values(r)[0])).toEqual(['鼓浪屿轮渡']);
    });

    it('answers a malformed query with 400 naming the bad token, and an unknown column with 400', async () => {
      const bad = await records('bus-stops', { where: "district = '思明区' adn lines > 3" });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().detail).toContain('adn');
      const unknown = await records('bus-stops', { select: 'secret' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().detail).toContain('secret');
      const injection = await records('bus-stops', { where: "district = '思明区'; drop table od_dataset --'" });
      expect(injection.statusCode).toBe(400);
      expect((await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops' })).statusCode).toBe(200);
      const tooMany = await records('bus-stops', { limit: '101' });
      expect(tooMany.statusCode).toBe(400);
    });

    it('gives an ETag and Last-Modified, and 304 when unchanged', async () => {
      const res = await records('bus-stops', { limit: '3' });
      expect(res.headers.etag).toBeTruthy();
      expect(new Date(String(res.headers['last-modified'])).getTime()).toBeGreaterThan(0);
      const again = await records('bus-stops', { limit: '3' }, { 'if-none-match': String(res.headers.etag) });
      expect(again.statusCode).toBe(304);
      const other = await records('bus-stops', { limit: '4' }, { 'if-none-match': String(res.headers.etag) });
      expect(other.statusCode).toBe(200);
    });
  });

  describe('exports', () => {
    it('streams CSV with a BOM for Excel, JSON, XLSX and GeoJSON', async () => {
      const csv = await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/export.csv?bom=true' });
      expect(csv.statusCode).toBe(200);
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows = parseCsv(csv.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(6);
      expect(rows.map((r) => Object.values(r)[0])).toContain('厦大,白城');
      const json = await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/export.json' });
      expect(json.json()[1]).toMatchObject({ lines: 25, accessible: true, opened_on: '1999-10-01' });
      const xlsx = await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/export.xlsx' });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect(book.worksheets[0]!.rowCount).toBe(7);
      const geo = await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/export.geojson' });
      expect(geo.json().features[0].geometry.coordinates).toEqual([118.0891, 24.4612]);
      const noGeo = await inject({ method: 'GET', url: '/api/open/v1/datasets/population-by-district/export.geojson' });
      expect(noGeo.statusCode).toBe(400);
    });
  });

  describe('catalogue search', () => {
    it('finds datasets by segmented Chinese words and counts facets', async () => {
      const res = await inject({ method: 'GET', url: `/api/open/v1/datasets?q=${encodeURIComponent('思明区公交')}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.terms).toEqual(['思明区', '公交']);
      expect(body.items.map((d: Dataset) => d.id)).toEqual(['bus-stops']);
      const all = (await inject({ method: 'GET', url: '/api/open/v1/datasets' })).json();
      expect(all.total).toBe(2);
      expect(all.facets.theme.map((f: { value: string }) => f.value).sort()).toEqual(['population', 'transport']);
      // Words of the data count too: 湖里区 appears only in the rows of bus-stops.
      const fromRows = (await inject({ method: 'GET', url: `/api/open/v1/datasets?q=${encodeURIComponent('湖里区')}` })).json();
      expect(fromRows.items.map((d: Dataset) => d.id)).toEqual(['bus-stops']);
      const byTheme = (await inject({ method: 'GET', url: '/api/open/v1/datasets?theme=population' })).json();
      expect(byTheme.items.map((d: Dataset) => d.id)).toEqual(['population-by-district']);
      expect(body.items[0].quality.score).toBeGreaterThan(50);
    });
  });

  describe('keys and quotas', () => {
    it('lets a developer create a key with a daily quota; 429 with X-RateLimit headers when spent; revoked keys refused', async () => {
      const created = await inject({ method: 'POST', url: '/api/open/v1/keys', headers: { cookie: developer }, payload: { name: '公交 app' } });
      expect(created.statusCode, created.body).toBe(201);
      const key = created.json().key as string;
      for (let i = 0; i < 5; i++) {
        const ok = await records('bus-stops', {}, { 'x-api-key': key });
        expect(ok.statusCode).toBe(200);
        expect(ok.headers['x-ratelimit-limit']).toBe('5');
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      }
      const spent = await records('bus-stops', {}, { 'x-api-key': key });
      expect(spent.statusCode).toBe(429);
      expect(spent.json()).toMatchObject({ title: '请求过于频繁', detail: '此密钥今日 5 次的调用配额已用完，北京时间零点重置', code: 'od.quotaSpent' });
      expect(spent.headers['x-ratelimit-remaining']).toBe('0');
      expect(Number(spent.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
      const second = await inject({ method: 'POST', url: '/api/open/v1/keys', headers: { cookie: developer }, payload: { name: 'second' } });
      const revoked = await inject({ method: 'DELETE', url: `/api/open/v1/keys/${second.json().id}`, headers: { cookie: developer } });
      expect(revoked.statusCode).toBe(200);
      expect((await records('bus-stops', {}, { authorization: `Bearer ${second.json().key}` })).statusCode).toBe(401);
      expect((await records('bus-stops', {}, { 'x-api-key': 'odk_nonsense' })).statusCode).toBe(401);
    });

    it('refuses a key once the calls of several processes together reach its quota, each learning the others\' at its flush', async () => {
      const created = await inject({ method: 'POST', url: '/api/open/v1/keys', headers: { cookie: developer }, payload: { name: '两个进程' } });
      expect(created.statusCode, created.body).toBe(201);
      const { id, key } = created.json() as { id: string; key: string };
      await sql`update od_key set daily_quota = 10 where id = ${id}`.execute(ludao.ctx.db);
      // Two processes serving one city on one database: each its own counts and its own key cache.
      const processOnSameDatabase = () =>
        new PortalAccess(ludao.ctx.db, new CoherentCache<KeyRow | undefined>(ludao.ctx.database, 'ludao_test_quota_processes', 60_000), { anonymousPerMinute: 20, signedInPerMinute: 50, defaultDailyQuota: 5 });
      const [a, b] = [processOnSameDatabase(), processOnSameDatabase()];
      const headers = { 'x-api-key': key };
      const call = async (p: PortalAccess) => p.count(await p.admit(headers, '198.51.100.1'), 'bus-stops', 'call');
      const admittedUntilRefused = async (p: PortalAccess) => {
        for (let n = 0; n < 20; n++) {
          try {
            await call(p);
          } catch (error) {
            if (error instanceof Problem && error.status === 429) return n;
            throw error;
          }
        }
        return 20;
      };
      // B sees the key first (1 call, written); A reads that when it first sees the key, then makes 6: 7 in all.
      await call(b);
      await b.flush();
      for (let i = 0; i < 6; i++) await call(a);
      await a.flush();
      // A call B admitted is still being served while B flushes: it is counted after the flush took its batch.
      const inFlight = await b.admit(headers, '198.51.100.1');
      await b.flush();
      b.count(inFlight, 'bus-stops', 'call');
      // B learnt A's 6 calls at its flush: 8 in all, 2 left.
      expect(await admittedUntilRefused(b)).toBe(2);
      // A learns B's at its next flush: the quota is spent for it too.
      await b.flush();
      await a.flush();
      expect(await admittedUntilRefused(a)).toBe(0);
      expect((await sql<{ n: number }>`select sum(calls)::int as n from od_usage where key_id = ${id}`.execute(ludao.ctx.db)).rows[0]!.n).toBe(10);
    });

    it('limits calls without a key per address a minute, and a signed-in user on their own, not with their office', async () => {
      const access = new PortalAccess(ludao.ctx.db, new CoherentCache<KeyRow | undefined>(ludao.ctx.database, 'ludao_test_minute_pools', 60_000), { anonymousPerMinute: 3, signedInPerMinute: 5, defaultDailyQuota: 5 });
      const minute = Date.parse('2026-11-27T10:00:00Z');
      const admitted = async (times: number, ip: string, userId?: string, at = minute) => {
        let n = 0;
        for (; n < times; n++) {
          try {
            await access.admit({}, ip, at, userId);
          } catch (error) {
            if (error instanceof Problem && error.status === 429) return { n, error };
            throw error;
          }
        }
        return { n, error: null };
      };
      const office = '192.0.2.7';
      const anonymous = await admitted(5, office);
      expect(anonymous.n).toBe(3);
      expect(anonymous.error!.render('zh-CN').detail).toBe('不带 API 密钥的调用每个地址每分钟限 3 次：注册并创建免费密钥可获得更多调用次数');
      expect(anonymous.error!.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '0' });
      // Two officials behind the same address, signed in: each has their own pool.
      expect((await admitted(9, office, 'u-lin')).n).toBe(5);
      const second = await admitted(9, office, 'u-wu');
      expect(second.n).toBe(5);
      expect(second.error!.render('en').detail).toBe('Calls without an API key are limited to 5 a minute per signed-in user: try again shortly, or create an API key for programs');
      // The next minute starts afresh.
      expect((await admitted(3, office, undefined, minute + 60_000)).n).toBe(3);
    });

    it('lets anyone register as a developer, sign in and create a key', async () => {
      const reg = await inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'dev.lin', displayName: '林开发', password: 'correct horse battery' } });
      expect(reg.statusCode, reg.body).toBe(201);
      const again = await inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'dev.lin', displayName: '林开发', password: 'correct horse battery' } });
      expect(again.statusCode).toBe(409);
      const weak = await inject({ method: 'POST', url: '/api/auth/register', payload: { username: 'dev.wu', displayName: '吴', password: 'short' } });
      expect(weak.statusCode).toBe(400);
      const cookie = await signIn(ludao, 'dev.lin', 'correct horse battery');
      const key = await inject({ method: 'POST', url: '/api/open/v1/keys', headers: { cookie }, payload: { name: '我的应用' } });
      expect(key.statusCode).toBe(201);
      expect(key.json().key).toMatch(/^odk_[0-9a-f]{20}_/);
      // A developer account publishes nothing.
      expect((await inject({ method: 'GET', url: '/api/open/manage/datasets', headers: { cookie } })).statusCode).toBe(403);
    });

    it('limits calls without a key per address', async () => {
      const limit = 20;
      const from = { remoteAddress: '192.0.2.7' };
      // The pool is counted per clock minute: start well inside one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
      let last;
      for (let i = 0; i <= limit; i++) last = await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/records?limit=1', ...from });
      expect(last!.statusCode).toBe(429);
      expect(last!.headers['x-ratelimit-limit']).toBe(String(limit));
      expect((await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/records?limit=1', remoteAddress: '192.0.2.8' })).statusCode).toBe(200);
    });

    it('counts API calls and downloads per dataset', async () => {
      // Usage is counted in memory and written every few seconds (a flush may catch only part of
      // the calls made so far): wait, up to 20 s, until every call before this test is written.
      const counts = async () => (await sql<{ api_calls: number; downloads: number }>`select api_calls::int, downloads::int from od_dataset where id = 'bus-stops'`.execute(ludao.ctx.db)).rows;
      let rows = await counts();
      for (let i = 0; i < 80 && !(rows[0]!.api_calls > 10 && rows[0]!.downloads >= 5); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        rows = await counts();
      }
      expect(rows[0]!.api_calls).toBeGreaterThan(10);
      expect(rows[0]!.downloads).toBeGreaterThanOrEqual(5);
    });
  });

  describe('interoperability', () => {
    it('answers CKAN clients in CKAN\'s shapes', async () => {
      const status = (await inject({ method: 'GET', url: '/api/3/action/status_show' })).json();
      expect(status).toMatchObject({ success: true, result: { ckan_version: expect.stringMatching(/^2\./) } });
      const list = (await inject({ method: 'GET', url: '/api/3/action/package_list' })).json();
      expect(list.result).toEqual(expect.arrayContaining(['bus-stops', 'population-by-district']));
      const show = (await inject({ method: 'GET', url: '/api/3/action/package_show?id=bus-stops' })).json();
      expect(show.result).toMatchObject({ name: 'bus-stops', title: '思明区公交站点', state: 'active', type: 'dataset' });
      const csvResource = show.result.resources.find((r: { format: string }) => r.format === 'CSV');
      expect(csvResource.datastore_active).toBe(true);
      const search = (await inject({ method: 'POST', url: '/api/3/action/package_search', payload: { q: '公交', fq: 'groups:transport', rows: 5, 'facet.field': '["organization","tags"]' } })).json();
      expect(search.result.count).toBe(1);
      expect(search.result.results[0].name).toBe('bus-stops');
      expect(search.result.search_facets.tags.items.map((i: { name: string }) => i.name)).toContain('公交');
      const ds = (await inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${csvResource.id}&limit=2&sort=${encodeURIComponent('lines desc')}` })).json();
      expect(ds.result.total).toBe(6);
      expect(ds.result.records.map((r: { lines: number }) => r.lines)).toEqual([25, 12]);
      expect(ds.result.fields[0]).toEqual({ id: '_id', type: 'int' });
      expect(ds.result._links.next).toContain('offset=2');
      const filtered = (await inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=bus-stops&filters=${encodeURIComponent('{"district":"湖里区"}')}` })).json();
      expect(filtered.result.total).toBe(1);
      const missing = await inject({ method: 'GET', url: '/api/3/action/package_show?id=nope' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ success: false, error: { __type: 'Not Found Error' } });
      const badRows = await inject({ method: 'GET', url: '/api/3/action/package_search?rows=abc' });
      expect(badRows.statusCode).toBe(409);
      expect(badRows.json().error.rows).toBeTruthy();
      // An action CKAN does not have, and a filter JSON's escapes make unstorable: CKAN's envelope.
      const unknown = await inject({ method: 'GET', url: '/api/3/action/foo' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ success: false, error: { __type: 'Bad Request', message: 'Bad request - Action name not known: foo' } });
      const nulFilter = await inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=bus-stops&filters=${encodeURIComponent('{"district":"a\\u0000"}')}` });
      expect(nulFilter.statusCode).toBe(409);
      expect(nulFilter.json()).toMatchObject({ success: false, error: { filters: ['Must not contain a NUL character or a lone surrogate'] } });
      const badColumn = await inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=bus-stops&sort=secret` });
      expect(badColumn.json().success).toBe(false);
      const orgs = (await inject({ method: 'GET', url: '/api/3/action/organization_list?all_fields=true' })).json();
      expect(orgs.result.map((o: { name: string }) => o.name)).toContain('xm.ic');
      expect((await inject({ method: 'GET', url: '/api/3/action/group_list' })).json().result).toEqual(expect.arrayContaining(['population', 'transport']));
      expect((await inject({ method: 'GET', url: '/api/3/action/tag_list' })).json().result).toContain('公交');
    });

    it('publishes the catalogue as DCAT-AP 3 in JSON-LD and Turtle', async () => {
      const ttl = await inject({ method: 'GET', url: '/api/open/v1/catalog.ttl' });
      expect(ttl.headers['content-type']).toContain('text/turtle');
      expect(ttl.body).toContain('dcat:Dataset');
      expect(ttl.body).toContain('"思明区公交站点"@zh');
      const jsonld = await inject({ method: 'GET', url: '/api/open/v1/catalog.jsonld' });
      expect(jsonld.headers['content-type']).toContain('application/ld+json');
      expect(JSON.stringify(jsonld.json())).toContain('/open/datasets/bus-stops');
      expect(JSON.stringify(jsonld.json())).not.toContain('companies'); // a draft is not in the catalogue
    });
  });

  describe('community', () => {
    it('routes an error report to the provider, who answers in public; data requests and the apps showcase', async () => {
      const report = await inject({ method: 'POST', url: '/api/open/v1/datasets/bus-stops/feedback', headers: { cookie: developer }, payload: { kind: 'error', body: '火车站的线路数应为 26 条' } });
      expect(report.statusCode, report.body).toBe(201);
      expect((await inject({ method: 'POST', url: '/api/open/v1/datasets/bus-stops/feedback', payload: { kind: 'error', body: '匿名反馈' } })).statusCode).toBe(401);
      const leaking = await inject({ method: 'POST', url: '/api/open/v1/datasets/bus-stops/feedback', headers: { cookie: developer }, payload: { kind: 'comment', body: '有问题请打 13912345678' } });
      expect(leaking.statusCode).toBe(400);
      // bus-stops was published by the operator for xm.ic: another department neither sees nor answers it.
      expect((await inject({ method: 'GET', url: '/api/open/manage/feedback', headers: { cookie: hrss } })).json()).toEqual([]);
      expect((await inject({ method: 'POST', url: `/api/open/manage/feedback/${report.json().id}/reply`, headers: { cookie: hrss }, payload: { reply: '收到' } })).statusCode).toBe(403);
      const inbox = (await inject({ method: 'GET', url: '/api/open/manage/feedback', headers: { cookie: operator } })).json();
      expect(inbox.map((f: { id: string }) => f.id)).toContain(report.json().id);
      expect((await inject({ method: 'POST', url: `/api/open/manage/feedback/${report.json().id}/reply`, headers: { cookie: operator }, payload: { reply: '已核实更正，下一版本发布' } })).statusCode).toBe(200);
      const shown = (await inject({ method: 'GET', url: '/api/open/v1/datasets/bus-stops/feedback' })).json();
      expect(shown[0]).toMatchObject({ status: 'answered', reply: '已核实更正，下一版本发布' });

      const asked = await inject({ method: 'POST', url: '/api/open/v1/requests', headers: { cookie: developer }, payload: { title: '实时公交到站数据', description: '希望开放公交车辆实时位置与预计到站时间', theme: 'transport' } });
      expect(asked.statusCode).toBe(201);
      const badAnswer = await inject({ method: 'POST', url: `/api/open/manage/requests/${asked.json().id}/answer`, headers: { cookie: operator }, payload: { status: 'fulfilled', reply: '已开放' } });
      expect(badAnswer.statusCode).toBe(400);
      const answered = await inject({ method: 'POST', url: `/api/open/manage/requests/${asked.json().id}/answer`, headers: { cookie: operator }, payload: { status: 'fulfilled', reply: '已开放站点数据', dataset: 'bus-stops' } });
      expect(answered.json()).toMatchObject({ status: 'fulfilled', dataset: 'bus-stops' });

      const submitted = await inject({ method: 'POST', url: '/api/open/v1/apps', headers: { cookie: developer }, payload: { name: '鹭岛公交通', description: '查询附近公交站点与线路', url: 'https://example.org/bus', datasets: ['bus-stops'] } });
      expect(submitted.statusCode, submitted.body).toBe(201);
      expect((await inject({ method: 'POST', url: '/api/open/v1/apps', headers: { cookie: developer }, payload: { name: 'x', description: '不存在的数据集', url: 'https://example.org', datasets: ['nope'] } })).statusCode).toBe(400);
      expect((await inject({ method: 'GET', url: '/api/open/v1/apps?dataset=bus-stops' })).json()).toEqual([]);
      await inject({ method: 'POST', url: `/api/open/manage/apps/${submitted.json().id}/review`, headers: { cookie: operator }, payload: { list: true } });
      expect((await inject({ method: 'GET', url: '/api/open/v1/apps?dataset=bus-stops' })).json().map((a: { name: string }) => a.name)).toEqual(['鹭岛公交通']);
    });
  });

  describe('conditional datasets', () => {
    it('refuses the data of a conditional dataset without an approved key (403), while its metadata is public', async () => {
      const res = await upload('clinic-waits', '诊所,平均候诊分钟\n甲,12\n乙,30\n', 'waits.csv', operator, { openType: 'conditional', theme: 'health', title: '诊所候诊时间' });
      expect(res.statusCode, res.body).toBe(201);
      await publish('clinic-waits', 1);
      expect((await inject({ method: 'GET', url: '/api/open/v1/datasets/clinic-waits' })).statusCode).toBe(200);
      const anonymous = await records('clinic-waits', {});
      expect(anonymous.statusCode).toBe(403);
      expect(anonymous.json().detail).toContain('有条件开放');
      const key = (await inject({ method: 'POST', url: '/api/open/v1/keys', headers: { cookie: developer }, payload: { name: 'third' } })).json().key;
      expect((await records('clinic-waits', {}, { 'x-api-key': key })).statusCode).toBe(403);
      expect((await inject({ method: 'GET', url: '/api/open/v1/datasets/clinic-waits/export.csv' })).statusCode).toBe(403);
    });

    it('opens it through application → completeness check → provider approval → agreement → scoped key → revocation', async () => {
      const apply = (payload: object) => inject({ method: 'POST', url: '/api/open/v1/datasets/clinic-waits/applications', headers: { cookie: developer }, payload });
      const body = { purpose: '候诊时间导航小程序', scenario: '向市民展示各诊所平均候诊时间，数据仅在服务端使用', undertaking: '本单位承诺仅在约定场景内使用数据，不转让、不再识别个人，发生安全事件立即报告。', acceptUndertaking: true, requestedDays: 90 };
      expect((await apply({ ...body, acceptUndertaking: false })).statusCode).toBe(400);
      const created = await apply(body);
      expect(created.statusCode, created.body).toBe(201);
      const application = created.json();
      expect(application.status).toBe('submitted');
      expect(application.checkDue > application.submittedAt.slice(0, 10)).toBe(true);
      const act = (path: string, payload: object, cookie = operator) => inject({ method: 'POST', url: `/api/open/${path}`, headers: { cookie }, payload });
      // The provider cannot decide before the completeness check; another department never.
      expect((await act(`manage/applications/${application.id}/decide`, { approve: true })).statusCode).toBe(409);
      expect((await act(`manage/applications/${application.id}/decide`, { approve: true }, hrss)).statusCode).toBe(403);
      expect((await act(`manage/applications/${application.id}/check`, { approve: false })).statusCode).toBe(400);
      const returned = await act(`manage/applications/${application.id}/check`, { approve: false, note: '请补充数据使用范围' });
      expect(returned.json().status).toBe('returned');
      expect((await act(`v1/applications/${application.id}/resubmit`, { scenario: '仅展示各诊所平均候诊分钟数，不留存原始数据' }, developer)).json().status).toBe('submitted');
      expect((await act(`manage/applications/${application.id}/check`, { approve: true })).json().status).toBe('checked');
      expect((await act(`manage/applications/${application.id}/decide`, { approve: true, days: 120 })).statusCode).toBe(400);
      const approved = (await act(`manage/applications/${application.id}/decide`, { approve: true, days: 30 })).json();
      expect(approved.status).toBe('approved');
      const agreement = await act(`v1/applications/${application.id}/agreement`, {}, developer);
      expect(agreement.statusCode, agreement.body).toBe(200);
      const key = agreement.json().key as string;
      expect((await act(`v1/applications/${application.id}/agreement`, {}, developer)).statusCode).toBe(409);
      const data = await records('clinic-waits', {}, { 'x-api-key': key });
      expect(data.statusCode, data.body).toBe(200);
      expect(data.json().records).toHaveLength(2);
      // Scoped: the key opens this dataset only (the public ones are open anyway).
      const seen = (await inject({ method: 'GET', url: `/api/open/v1/applications/${application.id}`, headers: { cookie: operator } })).json();
      expect(seen.steps.map((s: { action: string }) => s.action)).toEqual(['submitted', 'returned', 'resubmitted', 'checked_complete', 'approved', 'agreement_accepted']);
      expect((await inject({ method: 'GET', url: `/api/open/v1/applications/${application.id}`, headers: { cookie: hrss } })).statusCode).toBe(404);
      const revoked = await act(`manage/applications/${application.id}/revoke`, { reason: '超出约定场景使用' });
      expect(revoked.json().status).toBe('revoked');
      expect((await records('clinic-waits', {}, { 'x-api-key': key })).statusCode).toBe(401);
      // Entries commit as pending and are chained in the background: chain them all before reading.
      while ((await ludao.ctx.audit.chainPending()) > 0);
      const audit = await sql<{ action: string }>`select action from audit_entry where action like 'opendata.application.%' order by seq`.execute(ludao.ctx.db);
      expect(audit.rows.map((r) => r.action)).toContain('opendata.application.revoked');
    });
  });

  describe('in the reader’s language', () => {
    const en = { 'accept-language': 'en' };

    it('words a refusal in Chinese by default and in English on request, with its code', async () => {
      const missing = await inject({ method: 'GET', url: '/api/open/v1/datasets/no-such-data' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ title: '未找到', detail: '没有已发布的数据集 no-such-data', code: 'od.noPublishedDataset' });
      const missingEn = await inject({ method: 'GET', url: '/api/open/v1/datasets/no-such-data', headers: en });
      expect(missingEn.json()).toMatchObject({ title: 'Not found', detail: 'No published dataset no-such-data', code: 'od.noPublishedDataset' });
      // A state is named as the portal's pages name it.
      const again = await inject({ method: 'POST', url: '/api/open/manage/datasets/bus-stops/versions/1/submit', headers: { cookie: operator } });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ detail: '第 1 版的状态为“历史版本”：只有草稿或已退回的版本才能提交审核', code: 'od.notSubmittable' });
      const againEn = await inject({ method: 'POST', url: '/api/open/manage/datasets/bus-stops/versions/1/submit', headers: { cookie: operator, ...en } });
      expect(againEn.json().detail).toBe('Version 1 is superseded; only a draft (or a rejected version) is sent for review');
    });

    it('says why the personal-data guard refused, in the detail and at the field', async () => {
      const body = { meta: meta('by-id'), resource: 'population.person', pipeline: { kind: 'aggregate', groupBy: ['id'] }, changelog: 'x1' };
      const refused = await inject({ method: 'POST', url: '/api/open/manage/datasets', headers: { cookie: operator }, payload: body });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ title: '请求无效', code: 'od.refused' });
      expect(refused.json().detail).toMatch(/^拒绝发布：不能按“id”（.+）分组，该字段可识别个人或属于敏感数据（敏感级别 \d）$/);
      expect(refused.json().errors).toEqual([{ field: '/field/id', message: refused.json().detail.replace(/^拒绝发布：/, ''), code: 'od.guard.groupPersonal' }]);
      const refusedEn = await inject({ method: 'POST', url: '/api/open/manage/datasets', headers: { cookie: operator, ...en }, payload: body });
      expect(refusedEn.json()).toMatchObject({ title: 'Invalid request', code: 'od.refused' });
      expect(refusedEn.json().detail).toMatch(/^Refused: cannot group by "id" \(.+\): it identifies a person or is sensitive \(level \d\)$/);
      expect(refusedEn.json().errors[0].message).toMatch(/^cannot group by "id"/);
    });

    it('names an upload’s file and the row at fault, the reader’s words around the data centre’s', async () => {
      const uneven = await upload('uneven', 'a,b\n1,2\n3,4,5\n', 'uneven.csv');
      expect(uneven.statusCode).toBe(400);
      expect(uneven.json()).toMatchObject({ code: 'od.uploadRefused', detail: 'uneven.csv：第 3 行：有 3 个单元格，而表头有 2 列' });
      expect(uneven.json().errors).toEqual([{ field: '/body', message: '第 3 行：有 3 个单元格，而表头有 2 列', code: 'od.file.badRow' }]);
      const unevenEn = await inject({
        method: 'POST',
        url: `/api/open/manage/uploads?${new URLSearchParams({ fileName: 'uneven.csv', changelog: '首次发布', meta: JSON.stringify(meta('uneven')) })}`,
        headers: { cookie: operator, 'content-type': 'application/octet-stream', ...en },
        payload: Buffer.from('a,b\n1,2\n3,4,5\n'),
      });
      expect(unevenEn.json().detail).toBe('uneven.csv: row 3: has 3 cells but the header names 2 columns');
      // A cell, or metadata, the database cannot hold: refused, naming where, not a 500.
      const nul = await upload('nul-cell', 'a,b\n1,2\n3,x\u0000y\n', 'nul.csv');
      expect(nul.statusCode).toBe(400);
      expect(nul.json().detail).toBe('nul.csv：第 3 行：含有空字符（NUL）或不成对的代理项');
      const nulMeta = await upload('nul-meta', 'a,b\n1,2\n', 'ok.csv', operator, { title: '标题\u0000' });
      expect(nulMeta.statusCode).toBe(400);
      expect(nulMeta.json()).toMatchObject({ code: 'http.unstorable', errors: [{ field: '/querystring/meta/title' }] });
      expect((await inject({ method: 'GET', url: '/api/open/v1/datasets/nul-meta' })).statusCode).toBe(404);
    });

    it('words a records query’s errors for developers: the parameter and the grammar as written, the rest in Chinese', async () => {
      const bad = await records('bus-stops', { where: 'lines = 1 adn lines = 2' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ detail: 'where：位置 10 处的“adn”不符合语法', code: 'od.q.unexpected.token.none' });
      expect(bad.json().errors).toEqual([{ field: '/querystring/where', message: 'where：位置 10 处的“adn”不符合语法', code: 'od.q.unexpected.token.none' }]);
      const badEn = await records('bus-stops', { where: 'lines = 1 adn lines = 2' }, en);
      expect(badEn.json()).toMatchObject({ detail: 'where: unexpected token "adn" at 10', code: 'od.q.unexpected.token.none' });
      const date = await records('bus-stops', { where: "opened_on = '2024-02-30'" });
      expect(date.json().detail).toBe("where：'2024-02-30' 不是列“opened_on”的有效 date 值（日期请写作 'YYYY-MM-DD'）");
    });

    it('gives each wrong field its message in the reader’s language', async () => {
      const app = { name: '鹭岛公交通', description: '查询附近公交站点与线路', url: 'ftp://example.org/bus', datasets: ['bus-stops'] };
      const refused = await inject({ method: 'POST', url: '/api/open/v1/apps', headers: { cookie: developer }, payload: app });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ detail: '请填写 http(s) 网址', code: 'od.urlRequired', errors: [{ field: '/body/url', message: '不是 http(s) 网址' }] });
      const refusedEn = await inject({ method: 'POST', url: '/api/open/v1/apps', headers: { cookie: developer, ...en }, payload: app });
      expect(refusedEn.json()).toMatchObject({ detail: 'url: an http(s) address', errors: [{ field: '/body/url', message: 'not an http(s) URL' }] });
      const leaking = await inject({ method: 'POST', url: '/api/open/v1/datasets/bus-stops/feedback', headers: { cookie: developer }, payload: { kind: 'comment', body: '有问题请打 13912345678' } });
      expect(leaking.json()).toMatchObject({ detail: '此内容将公开显示，请删除其中的手机号码', code: 'od.text.mobile', errors: [{ field: '/body/body', message: '含有手机号码' }] });
    });
  });
});
