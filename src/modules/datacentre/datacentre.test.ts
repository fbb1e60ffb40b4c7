import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode, makeResidentId } from '../../platform/ids';
import { batchRowIndex } from './migrations/0002-batch-row-index';
import { uniqueCurrentKey } from './migrations/0003-unique-current-key';
import { valuesCompared } from './migrations/0004-values-compared';
import { identifiersInByteOrder } from './migrations/0005-identifiers-in-byte-order';
import { oneIndexForVersionsByKey } from './migrations/0006-one-index-for-versions-by-key';
import { noSubjectIndexWhereSubjectIsKey } from './migrations/0007-no-subject-index-where-subject-is-key';
import { subjectIndexWhereKeyIsNotStoredAsSubject } from './migrations/0008-subject-index-where-key-is-not-stored-as-subject';
import { messagesAsCodes } from './migrations/0009-messages-as-codes';
import { englishTexts } from './migrations/0010-english-texts';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';

const PASSWORD = 'ludao-demo-2026';
const ID_A = makeResidentId({ areaCode: '350203', birthDate: '1990-03-07', sequence: 123 });
const ID_B = makeResidentId({ areaCode: '350206', birthDate: '1985-11-30', sequence: 44 });
const ID_C = makeResidentId({ areaCode: '350211', birthDate: '2001-01-15', sequence: 7 });
const COMPANY = makeCreditCode('91350203MA2XN0TQ7');

const WIDGET = {
  code: 'test.widget',
  name: '测试物件登记',
  nameEn: 'Test widgets',
  domain: 'public_services',
  providerOrg: 'xm.hrss.si',
  category: '部门信息资源',
  abstract: '用于测试的物件登记 Widgets for tests',
  updateCycle: 'daily',
  sharingType: 'unconditional',
  openType: 'not_open',
  keyFields: ['widget_no'],
  subject: { field: 'owner_id', kind: 'person' },
  fields: [
    { name: 'widget_no', labelZh: '物件编号', labelEn: 'Widget number', type: 'text', required: true, sensitivity: 1 },
    { name: 'owner_id', labelZh: '持有人公民身份号码', labelEn: 'Owner', type: 'resident_id', required: true, sensitivity: 4 },
    { name: 'owner_name', labelZh: '持有人姓名', labelEn: 'Owner name', type: 'text', required: false, sensitivity: 3 },
    { name: 'maker', labelZh: '制造企业', labelEn: 'Maker', type: 'credit_code', required: false, sensitivity: 1 },
    { name: 'weight', labelZh: '重量', labelEn: 'Weight', type: 'decimal', required: false, sensitivity: 1 },
    { name: 'made_on', labelZh: '制造日期', labelEn: 'Made on', type: 'date', required: false, sensitivity: 1 },
    { name: 'colour', labelZh: '颜色', labelEn: 'Colour', type: 'enum', values: ['red', 'blue'], required: false, sensitivity: 1 },
    { name: 'active', labelZh: '在用', labelEn: 'Active', type: 'boolean', required: false, sensitivity: 1 },
  ],
};

// A resource of two fields: its key, and the subject its records are about.
function keyedResource(code: string, [name, nameEn]: [string, string], [key, keyZh, keyEn]: [string, string, string], [subject, subjectZh, subjectEn, type, kind]: [string, string, string, string, string]) {
  return {
    ...WIDGET,
    code,
    name,
    nameEn,
    keyFields: [key],
    subject: { field: subject, kind },
    fields: [
      { name: key, labelZh: keyZh, labelEn: keyEn, type: 'text', required: true, sensitivity: 1 },
      { name: subject, labelZh: subjectZh, labelEn: subjectEn, type, required: true, sensitivity: 1 },
    ],
  };
}

describe('data centre', () => {
  let ludao: TestLudao;
  let operator: string;
  let staff: string; // hrss.staff, of xm.hrss.si: provides test.widget
  let hrssAdmin: string; // of xm.hrss: not the provider of test.widget

  beforeAll(async () => {
    ludao = await startTestLudao();
    operator = await signIn(ludao, 'operator', PASSWORD);
    staff = await signIn(ludao, 'hrss.staff', PASSWORD);
    hrssAdmin = await signIn(ludao, 'hrss.admin', PASSWORD);
  });
  afterAll(() => ludao.close());

  // In English, which most assertions below read; the first batch's test reads Chinese too.
  const get = (url: string, cookie: string, language: string | null = 'en') => ludao.app.inject({ method: 'GET', url, headers: { cookie, ...(language && { 'accept-language': language }) } });
  const post = (url: string, cookie: string, payload: unknown) => ludao.app.inject({ method: 'POST', url, headers: { cookie, 'accept-language': 'en' }, payload: payload as object });
  const upload = (code: string, cookie: string, body: Buffer | string, query: Record<string, string>, contentType = 'text/csv') =>
    ludao.app.inject({
      method: 'POST',
      url: `/api/dc/resources/${code}/uploads?${new URLSearchParams(query).toString()}`,
      headers: { cookie, 'content-type': contentType, 'accept-language': 'en' },
      payload: body,
    });
  const versions = async (key: string) => (await get(`/api/dc/resources/test.widget/records/${encodeURIComponent(key)}/history`, staff)).json() as { validTo: string | null; deleted: boolean; values: Record<string, unknown> }[];

  it('ships the article’s domains and the base registries, searchable in Chinese', async () => {
    const domains = (await get('/api/dc/domains', operator)).json() as { code: string }[];
    expect(domains).toHaveLength(14);
    const found = (await get(`/api/dc/resources?q=${encodeURIComponent('人口')}`, staff)).json() as { total: number; items: { code: string; baseRegistry: boolean }[] };
    expect(found.items[0]).toMatchObject({ code: 'population.person', baseRegistry: true });
    const byWords = (await get(`/api/dc/resources?q=${encodeURIComponent('缴费 明细')}`, staff)).json() as { items: { code: string }[] };
    expect(byWords.items.map((r) => r.code)).toEqual(['social_security.contribution']);
    const bases = (await get('/api/dc/resources?domain=spatial', staff)).json() as { total: number };
    expect(bases.total).toBe(6);
    const notShared = (await get('/api/dc/resources/health.medical_record', staff)).json() as { sharingType: string; legalBasis: string };
    expect(notShared.sharingType).toBe('not_shared');
    expect(notShared.legalBasis).toMatch(/基本医疗卫生与健康促进法/);
  });

  it('refuses the catalogue without a session, and to a citizen', async () => {
    const anonymous = await ludao.app.inject({ method: 'GET', url: '/api/dc/resources' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    const citizen = await signIn(ludao, 'citizen', PASSWORD);
    expect((await get('/api/dc/resources', citizen)).statusCode).toBe(403);
  });

  it('defines a resource with a typed schema, and refuses bad definitions naming the field', async () => {
    const noBasis = await post('/api/dc/resources', operator, { ...WIDGET, code: 'test.secret', sharingType: 'not_shared' });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.json().errors).toContainEqual({ field: '/body/legalBasis', message: expect.stringMatching(/legal basis/), code: 'dc.legalBasis' });
    const badKey = await post('/api/dc/resources', operator, { ...WIDGET, code: 'test.bad', keyFields: ['nope'] });
    expect(badKey.json().errors).toContainEqual({ field: '/body/keyFields/0', message: 'no field "nope"', code: 'dc.noField' });
    const otherDept = await post('/api/dc/resources', hrssAdmin, WIDGET);
    expect(otherDept.statusCode).toBe(403);
    const created = await post('/api/dc/resources', staff, WIDGET);
    expect(created.statusCode, created.body).toBe(403); // staff may not manage the catalogue
    const byOperator = await post('/api/dc/resources', operator, WIDGET);
    expect(byOperator.statusCode, byOperator.body).toBe(201);
    expect(byOperator.json()).toMatchObject({ code: 'test.widget', version: 1, provider: { code: 'xm.hrss.si', name: '厦门市社会保险中心' } });
    expect((await post('/api/dc/resources', operator, WIDGET)).statusCode).toBe(409);
  });

  it('applies a pushed batch, reports invalid rows with row, field and reason, and ignores a re-send', async () => {
    const body = {
      idempotencyKey: 'push-1',
      operation: 'upsert',
      records: [
        { widget_no: 'W1', owner_id: ID_A, owner_name: '陈一', maker: COMPANY, weight: '1.50', made_on: '2024-02-29', colour: 'red', active: 'true' },
        { widget_no: 'W2', owner_id: '350203199003071234', owner_name: '林二' },
        { widget_no: 'W3', owner_id: ID_B, made_on: '2023-02-29', colour: 'green' },
        { widget_no: 'W4', owner_id: ID_B, owner_name: '王四' },
      ],
    };
    const first = await post('/api/dc/resources/test.widget/batches', staff, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().batch).toMatchObject({ status: 'applied', rowsRead: 4, rowsValid: 2, rowsInvalid: 2, inserted: 2 });
    const errors = (await get(`/api/dc/batches/${first.json().batch.id}/errors`, staff)).json();
    expect(errors).toEqual([
      { rowNumber: 2, field: 'owner_id', reason: 'not a valid resident ID number (check)', code: 'dc.row.badResidentId.check' },
      { rowNumber: 3, field: 'colour', reason: 'not one of red, blue: green', code: 'dc.row.notInEnum' },
      { rowNumber: 3, field: 'made_on', reason: 'not a real date: 2023-02-29', code: 'dc.row.notRealDate' },
    ]);
    // Chinese unless the reader asks otherwise: the same stored reasons, in the reader's words.
    for (const language of [null, 'zh-CN,zh;q=0.9,en;q=0.8', 'zh-TW']) {
      expect((await get(`/api/dc/batches/${first.json().batch.id}/errors`, staff, language)).json().map((e: { reason: string }) => e.reason)).toEqual([
        '不是有效的公民身份号码（校验码不符）',
        '不是 red, blue 之一：green',
        '日期不存在：2023-02-29',
      ]);
    }
    expect((await get(`/api/dc/batches/${first.json().batch.id}`, staff, null)).json().message).toBe('已跳过 2 条无效记录');
    expect((await get(`/api/dc/batches/${first.json().batch.id}`, staff)).json()).toMatchObject({ message: '2 invalid rows were skipped', messageCode: 'dc.batch.skipped' });
    // The download: a link the browser follows names its language (?lang), whatever the browser's Accept-Language.
    const csv = await get(`/api/dc/batches/${first.json().batch.id}/errors?format=csv&lang=en`, staff, 'zh-CN');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('row,field,reason\r\n2,owner_id,not a valid resident ID number (check)');
    const csvZh = await get(`/api/dc/batches/${first.json().batch.id}/errors?format=csv&lang=zh-CN`, staff, 'en');
    expect(csvZh.body).toContain('行号,字段,原因\r\n2,owner_id,不是有效的公民身份号码（校验码不符）');
    expect((await get(`/api/dc/batches/${first.json().batch.id}/errors?lang=fr`, staff)).statusCode).toBe(400);

    const again = await post('/api/dc/resources/test.widget/batches', staff, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, batch: { id: first.json().batch.id } });
    expect(await versions('W1')).toHaveLength(1);

    const record = (await get('/api/dc/resources/test.widget/records/W1', staff)).json();
    expect(record.values).toEqual({ widget_no: 'W1', owner_id: ID_A, owner_name: '陈一', maker: COMPANY, weight: '1.50', made_on: '2024-02-29', colour: 'red', active: true });
  });

  it('applies a batch whole or not at all when asked to refuse invalid rows', async () => {
    const res = await post('/api/dc/resources/test.widget/batches', staff, {
      idempotencyKey: 'push-strict',
      operation: 'upsert',
      onInvalid: 'reject',
      records: [
        { widget_no: 'W9', owner_id: ID_C },
        { widget_no: 'W10', owner_id: 'nobody' },
      ],
    });
    expect(res.json().batch).toMatchObject({ status: 'rejected', rowsInvalid: 1, inserted: 0 });
    expect(res.json().batch.message).toMatch(/nothing was applied/);
    expect((await get('/api/dc/resources/test.widget/records/W9', staff)).statusCode).toBe(404);
  });

  it('refuses a NUL or a lone surrogate in a pushed row as that row’s error, and in the batch’s own fields as a 400 storing nothing', async () => {
    const batches = async () => (await get('/api/dc/batches?resource=test.widget', staff)).json().length;
    const before = await batches();
    const res = await post('/api/dc/resources/test.widget/batches', staff, {
      idempotencyKey: 'push-nul',
      operation: 'upsert',
      records: [
        { widget_no: 'W20', owner_id: ID_C, owner_name: '陈\u0000三' },
        { widget_no: 'W21', owner_id: ID_C, owner_name: '陈四' },
        { widget_no: 'W22', owner_id: ID_C, owner_name: '陈\ud800五' },
        { widget_no: 'W23', owner_id: ID_C, 'owner\u0000name': '陈六' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch).toMatchObject({ status: 'applied', rowsValid: 1, rowsInvalid: 3, inserted: 1 });
    const errors = (await get(`/api/dc/batches/${res.json().batch.id}/errors`, staff)).json();
    expect(errors.slice(0, 2)).toEqual([
      { rowNumber: 1, field: 'owner_name', reason: 'contains a NUL character', code: 'dc.row.nul' },
      { rowNumber: 3, field: 'owner_name', reason: 'contains a lone surrogate (not a character)', code: 'dc.row.loneSurrogate' },
    ]);
    // A field name with a NUL is a field the resource does not have; the reason quotes it as U+FFFD.
    expect(errors[2]).toMatchObject({ rowNumber: 4, field: 'owner\uFFFDname' });
    await ludao.ctx.audit.chainPending();
    expect((await ludao.ctx.audit.verify()).ok).toBe(true);
    const lone = await ludao.app.inject({
      method: 'POST',
      url: '/api/dc/resources/test.widget/batches',
      headers: { cookie: staff, 'content-type': 'application/json' },
      payload: '{"idempotencyKey": "push-\\ud800", "operation": "upsert", "records": [{"widget_no": "W22", "owner_id": "' + ID_C + '"}]}',
    });
    expect(lone.statusCode).toBe(400);
    expect(lone.json()).toMatchObject({ code: 'http.unstorable', errors: [{ field: '/body/idempotencyKey' }] });
    expect(await batches()).toBe(before + 1);
  });

  it('keeps every version: a change closes the old one, an unchanged row adds none, a deletion is a tombstone', async () => {
    const change = await post('/api/dc/resources/test.widget/batches', staff, {
      idempotencyKey: 'push-2',
      operation: 'upsert',
      records: [
        { widget_no: 'W1', owner_id: ID_A, owner_name: '陈一', maker: COMPANY, weight: '2', made_on: '2024-02-29', colour: 'blue', active: 'true' },
        { widget_no: 'W4', owner_id: ID_B, owner_name: '王四' },
      ],
    });
    expect(change.json().batch).toMatchObject({ status: 'applied', updated: 1, unchanged: 1, inserted: 0 });
    const w1 = await versions('W1');
    expect(w1.map((v) => v.values.colour)).toEqual(['red', 'blue']);
    expect(w1[0]!.validTo).not.toBeNull();
    expect(w1[1]!.validTo).toBeNull();
    expect(await versions('W4')).toHaveLength(1);

    const del = await post('/api/dc/resources/test.widget/batches', staff, { idempotencyKey: 'del-1', operation: 'delete', records: [{ widget_no: 'W4' }, { widget_no: 'W404' }] });
    expect(del.json().batch).toMatchObject({ status: 'applied', deleted: 1, unchanged: 1 });
    expect((await get('/api/dc/resources/test.widget/records/W4', staff)).statusCode).toBe(404);
    const w4 = await versions('W4');
    expect(w4.map((v) => v.deleted)).toEqual([false, true]);
  });

  it('reads CSV in GB18030 with Chinese column labels, NDJSON and XLSX uploads', async () => {
    const gbk = iconv.encode(`物件编号,持有人公民身份号码,持有人姓名,颜色\r\nG1,${ID_C},黄小三,red\r\nG2,${ID_A},"郑,四",blue\r\n`, 'gbk');
    const csv = await upload('test.widget', staff, gbk, { idempotencyKey: 'csv-gbk', fileName: '物件.csv' });
    expect(csv.statusCode, csv.body).toBe(201);
    expect(csv.json().batch).toMatchObject({ status: 'applied', encoding: 'gb18030', rowsRead: 2, inserted: 2 });
    expect((await get('/api/dc/resources/test.widget/records/G2', staff)).json().values.owner_name).toBe('郑,四');

    const ndjson = `{"widget_no":"N1","owner_id":"${ID_B}"}\nnot json\n\n{"widget_no":"N2","owner_id":"${ID_A}","weight":3.25}\n`;
    const nd = await upload('test.widget', staff, ndjson, { idempotencyKey: 'nd-1', fileName: 'w.ndjson' }, 'application/x-ndjson');
    expect(nd.json().batch).toMatchObject({ status: 'applied', rowsRead: 3, rowsInvalid: 1, inserted: 2 });
    expect((await get(`/api/dc/batches/${nd.json().batch.id}/errors`, staff)).json()).toEqual([{ rowNumber: 2, field: '', reason: 'not valid JSON', code: 'dc.row.notJson' }]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('物件');
    sheet.addRow(['widget_no', 'owner_id', 'made_on', 'active']);
    sheet.addRow(['X1', ID_A, new Date(Date.UTC(2020, 4, 17)), true]);
    sheet.addRow(['X2', ID_B, '2021-06-01', '否']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const xl = await upload('test.widget', staff, xlsx, { idempotencyKey: 'xl-1', fileName: 'w.xlsx' }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xl.json().batch, xl.body).toMatchObject({ status: 'applied', rowsRead: 2, inserted: 2 });
    expect((await get('/api/dc/resources/test.widget/records/X1', staff)).json().values).toMatchObject({ made_on: '2020-05-17', active: true });
    expect((await get('/api/dc/resources/test.widget/records/X2', staff)).json().values.active).toBe(false);
  });

  it('refuses a file whose columns do not match, a broken workbook and an unknown format, applying nothing', async () => {
    const before = (await get('/api/dc/resources/test.widget/stats', staff)).json().records as number;
    const mismatch = await upload('test.widget', staff, `widget_no,owner_id,size\nM1,${ID_A},3\n`, { idempotencyKey: 'csv-mismatch', fileName: 'w.csv' });
    expect(mismatch.json().batch).toMatchObject({ status: 'rejected', message: expect.stringMatching(/unknown column "size"/) });
    const missing = await upload('test.widget', staff, `widget_no,owner_name\nM2,x\n`, { idempotencyKey: 'csv-missing', fileName: 'w.csv' });
    expect(missing.json().batch.message).toMatch(/missing required column "owner_id"/);
    const broken = await upload('test.widget', staff, Buffer.from('PK\u0003\u0004 this is not a workbook'), { idempotencyKey: 'xl-broken', fileName: 'w.xlsx' }, 'application/octet-stream');
    expect(broken.json().batch).toMatchObject({ status: 'rejected', message: expect.stringMatching(/not a readable XLSX/) });
    const unknown = await upload('test.widget', staff, 'a,b', { idempotencyKey: 'x', fileName: 'w.pdf' }, 'application/octet-stream');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/Send CSV/);
    expect((await get('/api/dc/resources/test.widget/stats', staff)).json().records).toBe(before);
  });

  it('shows providers their data and masks it for everyone else; other departments may not read or write it', async () => {
    const own = (await get('/api/dc/resources/test.widget/records/W1', staff)).json();
    expect(own.values.owner_id).toBe(ID_A);
    const masked = (await get('/api/dc/resources/test.widget/records?limit=50', operator)).json() as { items: { values: Record<string, unknown> }[] };
    const w1 = masked.items.find((r) => r.values.widget_no === 'W1')!;
    expect(w1.values.owner_id).toBe(`${ID_A.slice(0, 6)}********${ID_A.slice(14)}`);
    expect(w1.values.owner_name).toBe('陈*');
    expect(JSON.stringify(masked)).not.toContain(ID_A);
    expect((await get('/api/dc/resources/test.widget/records/W1', hrssAdmin)).statusCode).toBe(403);
    const write = await post('/api/dc/resources/test.widget/batches', hrssAdmin, { idempotencyKey: 'evil', operation: 'delete', records: [{ widget_no: 'W1' }] });
    expect(write.statusCode).toBe(403);
    expect((await get('/api/dc/resources/test.widget/records/W1', staff)).statusCode).toBe(200);
  });

  it('finds all current data of one subject across resources', async () => {
    const found = (await get(`/api/dc/subjects/${ID_A}`, staff)).json() as { resource: string; records: { key: string }[] }[];
    expect(found.map((f) => f.resource)).toEqual(['test.widget']);
    expect(found[0]!.records.map((r) => r.key).sort()).toEqual(['G2', 'N2', 'W1', 'X1']);
    // Read across tables in one statement, a record comes out as a read by key gives it: same values, same types.
    expect(found[0]!.records.find((r) => r.key === 'W1')).toEqual((await get('/api/dc/resources/test.widget/records/W1', staff)).json());
  });

  it('indexes each record table for paging a batch in row order (migration 0002 turns the old index into it)', async () => {
    const db = ludao.tdb.db as unknown as Kysely<unknown>;
    const batchIndex = async () =>
      (await sql<{ def: string }>`select indexdef as def from pg_indexes where tablename = 'dcr_test__widget' and indexname = 'dcr_test__widget_batch'`.execute(db)).rows.map((r) => r.def.replace(/^.* USING btree /, ''));
    expect(await batchIndex()).toEqual(['(_batch, _row)']);
    await batchRowIndex.down!(db);
    expect(await batchIndex()).toEqual(['(_batch)']);
    await batchRowIndex.up(db);
    expect(await batchIndex()).toEqual(['(_batch, _row)']);
  });

  it('evolves a schema by versions: a field added, one deprecated, history kept', async () => {
    const required = await post('/api/dc/resources/test.widget/versions', operator, { note: 'x', add: [{ ...WIDGET.fields[0], name: 'serial', required: true }] });
    expect(required.statusCode).toBe(400);
    expect(required.json().detail).toMatch(/cannot be required/);
    const evolved = await post('/api/dc/resources/test.widget/versions', operator, {
      note: '增加序列号，停用颜色',
      add: [{ name: 'serial', labelZh: '序列号', labelEn: 'Serial', type: 'text', required: false, sensitivity: 1 }],
      deprecate: ['colour'],
    });
    expect(evolved.statusCode, evolved.body).toBe(201);
    expect(evolved.json().version).toBe(2);
    const list = (await get('/api/dc/resources/test.widget/versions', staff)).json() as { version: number; fields: { name: string; deprecated?: boolean }[] }[];
    expect(list.map((v) => v.version)).toEqual([1, 2]);
    expect(list[0]!.fields.some((f) => f.name === 'serial')).toBe(false);
    expect(list[1]!.fields.find((f) => f.name === 'colour')?.deprecated).toBe(true);
    const old = (await get('/api/dc/resources/test.widget/records/W1', staff)).json();
    expect(old.values).toMatchObject({ colour: 'blue', serial: null });
    const pushed = await post('/api/dc/resources/test.widget/batches', staff, { idempotencyKey: 'v2', operation: 'upsert', records: [{ widget_no: 'V1', owner_id: ID_C, serial: 'S-1' }] });
    expect(pushed.json().batch).toMatchObject({ status: 'applied', inserted: 1 });
  });

  it('counts the city in figures for the dashboard, and audits batches', async () => {
    const figures = (await get('/api/dc/figures', operator)).json();
    expect(figures).toMatchObject({ domains: 11, resources: 22, baseRegistries: 11, fields: expect.any(Number) });
    // W1, W21, G1, G2, N1, N2, X1, X2, V1 (W4 was deleted); 2 + 1 + 1 + 1 + 2 + 2 + 2 + 1 changes applied.
    expect(figures.records).toBe(9);
    expect(figures.updatesThisMonth).toBe(12);
    expect(figures.byDomain.find((d: { code: string }) => d.code === 'public_services')).toMatchObject({ resources: 1, records: 9 });
    const batches = (await get('/api/dc/batches?resource=test.widget', operator)).json() as { idempotencyKey: string; status: string }[];
    expect(batches.find((b) => b.idempotencyKey === 'push-strict')?.status).toBe('rejected');
    await ludao.ctx.audit.chainPending();
    const verify = await ludao.ctx.audit.verify();
    expect(verify.ok).toBe(true);
  });

  it('audits every read of a record, with its data subject, and no read that found nothing', async () => {
    const db = ludao.tdb.db as unknown as Kysely<unknown>;
    const reads = async (id: string) => {
      await ludao.ctx.audit.chainPending();
      return (await sql<{ data_subject: string | null; actor_type: string }>`select data_subject, actor_type from audit_entry
        where action = 'datacentre.record.read' and subject_id = ${id} order by seq`.execute(db)).rows;
    };
    const before = (await reads('test.widget/W1')).length;
    expect((await get('/api/dc/resources/test.widget/records/W1', staff)).statusCode).toBe(200);
    expect((await get('/api/dc/resources/test.widget/records/NOPE', staff)).statusCode).toBe(404);
    const after = await reads('test.widget/W1');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toEqual({ data_subject: ID_A, actor_type: 'user' });
    expect(await reads('test.widget/NOPE')).toEqual([]);

    // A subject read is audited whatever it found, naming the resources that had records.
    const nobody = makeResidentId({ areaCode: '350205', birthDate: '1970-01-01', sequence: 9 });
    expect((await get(`/api/dc/subjects/${ID_A}`, staff)).statusCode).toBe(200);
    expect((await get(`/api/dc/subjects/${nobody}`, staff)).json()).toEqual([]);
    await ludao.ctx.audit.chainPending();
    const subjectReads = (await sql<{ data_subject: string; detail: unknown }>`select data_subject, detail from audit_entry
      where action = 'datacentre.subject.read' order by seq desc limit 2`.execute(db)).rows;
    expect(subjectReads).toEqual([
      { data_subject: nobody, detail: { resources: [] } },
      { data_subject: ID_A, detail: { resources: ['test.widget'] } },
    ]);
    expect((await ludao.ctx.audit.verify()).ok).toBe(true);
  });

  it('searches a resource defined after a subject look-up in the next one (the list of them is cached)', async () => {
    const before = (await get(`/api/dc/subjects/${ID_A}`, staff)).json() as { resource: string }[];
    expect(before.map((f) => f.resource)).toEqual(['test.widget']);
    expect((await post('/api/dc/resources', operator, { ...WIDGET, code: 'test.gadget', name: '测试小器具登记', nameEn: 'Test gadgets' })).statusCode).toBe(201);
    const pushed = await post('/api/dc/resources/test.gadget/batches', staff, { idempotencyKey: 'g1', operation: 'upsert', records: [{ widget_no: 'G9', owner_id: ID_A }] });
    expect(pushed.json()).toMatchObject({ batch: { status: 'applied' } });
    const after = (await get(`/api/dc/subjects/${ID_A}`, staff)).json() as { resource: string }[];
    expect(after.map((f) => f.resource)).toEqual(['test.gadget', 'test.widget']);
  });

  it('finds a company by its credit code and a person by ID number, each only where such a subject can be', async () => {
    const licence = keyedResource('test.licence', ['测试许可登记', 'Test licences'], ['licence_no', '许可编号', 'Licence number'], ['holder', '持证企业', 'Holder', 'credit_code', 'legal_person']);
    expect((await post('/api/dc/resources', operator, licence)).statusCode).toBe(201);
    const pushed = await post('/api/dc/resources/test.licence/batches', staff, { idempotencyKey: 'l1', operation: 'upsert', records: [{ licence_no: 'L1', holder: COMPANY }] });
    expect(pushed.json()).toMatchObject({ batch: { status: 'applied' } });
    const company = (await get(`/api/dc/subjects/${COMPANY}`, staff)).json() as { resource: string; records: { key: string }[] }[];
    expect(company.map((f) => [f.resource, f.records.map((r) => r.key)])).toEqual([['test.licence', ['L1']]]);
    const person = (await get(`/api/dc/subjects/${ID_A.toLowerCase()}`, staff)).json() as { resource: string }[];
    expect(person.map((f) => f.resource)).toEqual(['test.gadget', 'test.widget']);
  });

  it('stores a row bigger than the buffers that carry rows to the database, between ordinary ones', async () => {
    const long = '鹭'.repeat(800_000); // 2.4 MB of UTF-8: more than a buffer holds, so it travels alone
    const lines = [['B1', '短'], ['B2', long], ['B3', '也短']].map(([key, name]) => JSON.stringify({ widget_no: key, owner_id: ID_C, owner_name: name }));
    const res = await upload('test.widget', staff, `${lines.join('\n')}\n`, { idempotencyKey: 'nd-big-row', fileName: 'big.ndjson' }, 'application/x-ndjson');
    expect(res.json().batch, res.body.slice(0, 300)).toMatchObject({ status: 'applied', rowsRead: 3, inserted: 3 });
    const name = async (key: string) => (await get(`/api/dc/resources/test.widget/records/${key}`, staff)).json().values.owner_name as string;
    expect(await name('B1')).toBe('短');
    expect(await name('B2')).toBe(long);
    expect(await name('B3')).toBe('也短');
  });

  it('refuses a CSV row over 1 MB with its line, applying nothing (it used to wait forever)', async () => {
    const tooLong = `widget_no,owner_id,owner_name\nT1,${ID_C},短\nT2,${ID_C},${'鹭'.repeat(400_000)}\n`;
    const refused = await upload('test.widget', staff, tooLong, { idempotencyKey: 'csv-too-long', fileName: 'too-long.csv' });
    expect(refused.json().batch).toMatchObject({ status: 'rejected', message: 'Row 3 is longer than 1 MB: split its cells, or look for an unclosed quote before it' });
    expect((await get('/api/dc/resources/test.widget/records/T1', staff)).statusCode).toBe(404);
  });

  it('refuses NDJSON that is not UTF-8, applying nothing (it used to store replacement characters)', async () => {
    const bytes = Buffer.concat([Buffer.from(`{"widget_no":"U1","owner_id":"${ID_C}"}\n{"widget_no":"U2","owner_id":"${ID_C}","owner_name":"`), Buffer.from([0xd6, 0xd0, 0xff]), Buffer.from('"}\n')]);
    const refused = await upload('test.widget', staff, bytes, { idempotencyKey: 'nd-not-utf8', fileName: 'gbk.ndjson' }, 'application/x-ndjson');
    expect(refused.json().batch).toMatchObject({ status: 'rejected', message: 'The file is not valid UTF-8: NDJSON is UTF-8 throughout; save it as UTF-8' });
    expect((await get('/api/dc/resources/test.widget/records/U1', staff)).statusCode).toBe(404);

    // Far into a file of CRLF lines, too: nothing before the bad bytes is applied.
    const good = Array.from({ length: 3000 }, (_, i) => `{"widget_no":"Q${i}","owner_id":"${ID_C}"}\r\n`).join('');
    const later = await upload('test.widget', staff, Buffer.concat([Buffer.from(good), Buffer.from([0xff]), Buffer.from('\r\n')]), { idempotencyKey: 'nd-not-utf8-later', fileName: 'late.ndjson' }, 'application/x-ndjson');
    expect(later.json().batch).toMatchObject({ status: 'rejected', message: expect.stringMatching(/^The file is not valid UTF-8/) });
    expect((await get('/api/dc/resources/test.widget/records/Q1', staff)).statusCode).toBe(404);
    // The same lines without the bad bytes: CRLF lines read as lines.
    const crlf = await upload('test.widget', staff, good, { idempotencyKey: 'nd-crlf', fileName: 'crlf.ndjson' }, 'application/x-ndjson');
    expect(crlf.json().batch).toMatchObject({ status: 'applied', rowsRead: 3000, rowsInvalid: 0, inserted: 3000 });
  });

  it('builds an empty table’s indexes after its first load, and keeps the last row of a key a batch repeats', async () => {
    expect((await post('/api/dc/resources', operator, { ...WIDGET, code: 'test.sprocket', name: '测试链轮登记', nameEn: 'Test sprockets' })).statusCode).toBe(201);
    const push = async (idempotencyKey: string, records: Record<string, unknown>[]) => (await post('/api/dc/resources/test.sprocket/batches', staff, { idempotencyKey, operation: 'upsert', records })).json().batch;
    const sprocket = async (key: string) => (await get(`/api/dc/resources/test.sprocket/records/${key}`, staff)).json().values;
    const db = ludao.tdb.db as unknown as Kysely<unknown>;
    const indexIds = async () => (await sql<{ id: number }>`select indexrelid::int as id from pg_index where indrelid = 'dcr_test__sprocket'::regclass order by 1`.execute(db)).rows.map((r) => r.id);
    const created = await indexIds();
    const first = await push('sprocket-1', [
      { widget_no: 'D1', owner_id: ID_A, owner_name: '先' },
      { widget_no: 'D2', owner_id: ID_B, owner_name: '二' },
      { widget_no: 'D1', owner_id: ID_A, owner_name: '后' },
    ]);
    expect(first).toMatchObject({ status: 'applied', inserted: 2, unchanged: 1 });
    expect(await sprocket('D1')).toMatchObject({ owner_name: '后' });
    expect((await get('/api/dc/resources/test.sprocket/records/D1/history', staff)).json()).toHaveLength(1);
    // Built anew after the rows were written, as the table was created: unique on the current key.
    expect(created).toHaveLength(3);
    expect((await indexIds()).filter((id) => created.includes(id))).toEqual([]);
    const indexes = async (table: string) =>
      (await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where tablename = ${table} order by indexname`.execute(db)).rows.map((r) => `${r.name}: ${r.def.replace(/ INDEX \S+ ON .* USING btree /, ' INDEX ')}`);
    const threeIndexes = [
      'dcr_test__sprocket_batch: CREATE INDEX (_batch, _row)',
      'dcr_test__sprocket_subject: CREATE INDEX (_subject) WHERE ((_valid_to IS NULL) AND (_subject IS NOT NULL))',
      'dcr_test__sprocket_versions: CREATE UNIQUE INDEX (_key, _valid_to) NULLS NOT DISTINCT',
    ];
    expect(await indexes('dcr_test__sprocket')).toEqual(threeIndexes);
    // Once the table holds records, a batch that repeats a key changes it once, to its last row.
    const second = await push('sprocket-2', [
      { widget_no: 'D2', owner_id: ID_B, owner_name: '三' },
      { widget_no: 'D2', owner_id: ID_B, owner_name: '四' },
    ]);
    expect(second).toMatchObject({ status: 'applied', inserted: 0, updated: 1, unchanged: 1 });
    expect(await sprocket('D2')).toMatchObject({ owner_name: '四' });
    expect((await get('/api/dc/resources/test.sprocket/records/D2/history', staff)).json()).toHaveLength(2);
    // Older tables had the current version by key and the history by key in two indexes
    // (migration 0006 makes them one), and the first was not unique (migration 0003).
    await oneIndexForVersionsByKey.down!(db);
    expect(await indexes('dcr_test__sprocket')).toEqual([
      'dcr_test__sprocket_batch: CREATE INDEX (_batch, _row)',
      'dcr_test__sprocket_current: CREATE UNIQUE INDEX (_key) WHERE (_valid_to IS NULL)',
      'dcr_test__sprocket_history: CREATE INDEX (_key, _valid_from)',
      'dcr_test__sprocket_subject: CREATE INDEX (_subject) WHERE ((_valid_to IS NULL) AND (_subject IS NOT NULL))',
    ]);
    const current = async () => (await indexes('dcr_test__widget')).find((i) => i.startsWith('dcr_test__widget_current'));
    await uniqueCurrentKey.down!(db);
    expect(await current()).toBe('dcr_test__widget_current: CREATE INDEX (_key) WHERE (_valid_to IS NULL)');
    await uniqueCurrentKey.up(db);
    expect(await current()).toBe('dcr_test__widget_current: CREATE UNIQUE INDEX (_key) WHERE (_valid_to IS NULL)');
    await oneIndexForVersionsByKey.up(db);
    expect(await indexes('dcr_test__sprocket')).toEqual(threeIndexes);
    expect(await current()).toBeUndefined();
    // One current version per key, still: a second one is refused by the database.
    await expect(sql`insert into dcr_test__sprocket (_key, _valid_from, _batch, _row, widget_no) values ('D2', now(), 'x', 1, 'D2')`.execute(db)).rejects.toThrow(/duplicate key/);
    // Versions no longer carry a digest of their values (migration 0004): the values are compared.
    const columns = async () => (await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'dcr_test__sprocket' and left(column_name, 1) = '_' order by ordinal_position`.execute(db)).rows.map((r) => r.name);
    expect(await columns()).toEqual(['_key', '_subject', '_valid_from', '_valid_to', '_deleted', '_batch', '_row']);
    await valuesCompared.down!(db);
    expect(await columns()).toContain('_hash');
    await valuesCompared.up(db);
    expect(await columns()).not.toContain('_hash');
    expect(await push('sprocket-3', [{ widget_no: 'D2', owner_id: ID_B, owner_name: '四' }])).toMatchObject({ status: 'applied', updated: 0, unchanged: 1 });
    // Keys, subjects and batch ids compare byte by byte, and so do their indexes (migration 0005
    // brings older tables there; their rows stay as they were).
    const collations = async () =>
      (await sql<{ name: string; collation: string | null }>`select a.attname as name, c.collname as collation from pg_attribute a left join pg_collation c on c.oid = a.attcollation
        where a.attrelid = 'dcr_test__sprocket'::regclass and a.attname in ('_key', '_subject', '_batch', 'owner_name') order by a.attnum`.execute(db)).rows;
    const indexCollations = async () =>
      (await sql<{ name: string; collations: string }>`select i.indexrelid::regclass::text as name, (select string_agg(c.collname, ',' order by k.n) from unnest(i.indcollation) with ordinality k(oid, n) join pg_collation c on c.oid = k.oid) as collations
        from pg_index i where i.indrelid = 'dcr_test__sprocket'::regclass order by 1`.execute(db)).rows;
    const byteOrder = [{ name: '_key', collation: 'C' }, { name: '_subject', collation: 'C' }, { name: '_batch', collation: 'C' }, { name: 'owner_name', collation: 'default' }];
    const byteOrderIndexes = [
      { name: 'dcr_test__sprocket_batch', collations: 'C' },
      { name: 'dcr_test__sprocket_subject', collations: 'C' },
      { name: 'dcr_test__sprocket_versions', collations: 'C' },
    ];
    expect(await collations()).toEqual(byteOrder);
    expect(await indexCollations()).toEqual(byteOrderIndexes);
    await identifiersInByteOrder.down!(db);
    expect((await collations()).map((c) => c.collation)).toEqual(['default', 'default', 'default', 'default']);
    expect((await indexCollations()).map((i) => i.collations)).toEqual(['default', 'default', 'default']);
    await identifiersInByteOrder.up(db);
    expect(await collations()).toEqual(byteOrder);
    expect(await indexCollations()).toEqual(byteOrderIndexes);
    expect(await sprocket('D2')).toMatchObject({ owner_name: '四' });
    expect((await get('/api/dc/resources/test.sprocket/records/D2/history', staff)).json()).toHaveLength(2);
    // A table whose key is its subject (the population registry) has no subject index: its
    // versions index serves a look-up by subject there. Migration 0007 drops the older ones.
    const population = [
      'dcr_population__person_batch: CREATE INDEX (_batch, _row)',
      'dcr_population__person_versions: CREATE UNIQUE INDEX (_key, _valid_to) NULLS NOT DISTINCT',
    ];
    expect(await indexes('dcr_population__person')).toEqual(population);
    await noSubjectIndexWhereSubjectIsKey.down!(db);
    expect(await indexes('dcr_population__person')).toContain('dcr_population__person_subject: CREATE INDEX (_subject) WHERE ((_valid_to IS NULL) AND (_subject IS NOT NULL))');
    await noSubjectIndexWhereSubjectIsKey.up(db);
    expect(await indexes('dcr_population__person')).toEqual(population);
    expect(await indexes('dcr_test__sprocket')).toEqual(threeIndexes);
  });

  it('finds a place’s code as it was written, and a person’s ID number whatever its case', async () => {
    const parcel = keyedResource('test.parcel', ['测试地块登记', 'Test parcels'], ['parcel_no', '地块编号', 'Parcel number'], ['plot_code', '宗地代码', 'Plot code', 'text', 'place']);
    expect((await post('/api/dc/resources', operator, parcel)).statusCode).toBe(201);
    const pushed = await post('/api/dc/resources/test.parcel/batches', staff, { idempotencyKey: 'parcel-1', operation: 'upsert', records: [{ parcel_no: 'P1', plot_code: 'xm-sm-001a' }] });
    expect(pushed.json().batch).toMatchObject({ status: 'applied', inserted: 1 });
    const found = async (subject: string) => ((await get(`/api/dc/subjects/${encodeURIComponent(subject)}`, staff)).json() as { resource: string }[]).map((f) => f.resource);
    expect(await found(' xm-sm-001a ')).toEqual(['test.parcel']);
    expect(await found('XM-SM-001A')).toEqual([]);
    // An identifier kept in a text field (a deed's owner: an ID number or a credit code) is
    // found in capitals, however the department wrote it and however it is asked for.
    const deed = keyedResource('test.deed', ['测试契证登记', 'Test deeds'], ['deed_no', '契证编号', 'Deed number'], ['holder_id', '权利人证件号', 'Holder', 'text', 'mixed']);
    expect((await post('/api/dc/resources', operator, deed)).statusCode).toBe(201);
    expect((await post('/api/dc/resources/test.deed/batches', staff, { idempotencyKey: 'deed-1', operation: 'upsert', records: [{ deed_no: 'D1', holder_id: ID_B.toLowerCase() }] })).json().batch).toMatchObject({ status: 'applied' });
    expect(ID_B.endsWith('X')).toBe(true);
    expect(await found(ID_B)).toContain('test.deed');
    expect(await found(ID_B)).toContain('test.sprocket');
    expect(await found(ID_B.toLowerCase())).toEqual(await found(ID_B));
    // Such a text field as the key too: the record keeps the key as written, and is found by its
    // subject in capitals through a subject index (migration 0007 had dropped it; 0008 restores it).
    const card = { ...keyedResource('test.card', ['测试卡证登记', 'Test cards'], ['card_type', '卡类型', 'Card type'], ['holder_id', '持卡人证件号', 'Holder', 'text', 'mixed']), keyFields: ['holder_id'] };
    expect((await post('/api/dc/resources', operator, card)).statusCode).toBe(201);
    expect((await post('/api/dc/resources/test.card/batches', staff, { idempotencyKey: 'card-1', operation: 'upsert', records: [{ holder_id: ID_B.toLowerCase(), card_type: '社保卡' }] })).json().batch).toMatchObject({ status: 'applied' });
    expect((await get(`/api/dc/resources/test.card/records/${ID_B.toLowerCase()}`, staff)).json().values).toMatchObject({ card_type: '社保卡' });
    expect(await found(ID_B)).toContain('test.card');
    expect(await found(ID_B.toLowerCase())).toContain('test.card');
    const db = ludao.tdb.db as unknown as Kysely<unknown>;
    const subjectIndexes = async () =>
      (await sql<{ name: string }>`select indexname as name from pg_indexes where indexname in ('dcr_test__card_subject', 'dcr_test__parcel_subject', 'dcr_test__deed_subject', 'dcr_population__person_subject') order by 1`.execute(db)).rows.map((r) => r.name);
    expect(await subjectIndexes()).toEqual(['dcr_test__card_subject', 'dcr_test__deed_subject', 'dcr_test__parcel_subject']);
    await noSubjectIndexWhereSubjectIsKey.up(db);
    expect(await subjectIndexes()).toEqual(['dcr_test__deed_subject', 'dcr_test__parcel_subject']);
    await subjectIndexWhereKeyIsNotStoredAsSubject.up(db);
    expect(await subjectIndexes()).toEqual(['dcr_test__card_subject', 'dcr_test__deed_subject', 'dcr_test__parcel_subject']);
    await subjectIndexWhereKeyIsNotStoredAsSubject.down!(db);
    expect(await subjectIndexes()).toEqual(['dcr_test__deed_subject', 'dcr_test__parcel_subject']);
    await subjectIndexWhereKeyIsNotStoredAsSubject.up(db);
    expect(await found(ID_B)).toContain('test.card');
  });

  it('words its refusals in the reader’s language: Chinese by default, English on request', async () => {
    const missing = await get('/api/dc/resources/test.nothing', staff, null);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ title: '未找到', detail: '目录中没有资源“test.nothing”', code: 'dc.noResource' });
    expect((await get('/api/dc/resources/test.nothing', staff)).json()).toMatchObject({ title: 'Not found', detail: 'No resource "test.nothing" in the catalogue', code: 'dc.noResource' });
    const bad = { ...WIDGET, code: 'test.bad', fields: [...WIDGET.fields, WIDGET.fields[0]!] };
    const refused = await ludao.app.inject({ method: 'POST', url: '/api/dc/resources', headers: { cookie: operator, 'accept-language': 'zh-CN' }, payload: bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ field: '/body/fields/8/name', message: '“widget_no”出现了两次', code: 'dc.appearsTwice' }]);
    expect(refused.json().detail).toBe('/body/fields/8/name: “widget_no”出现了两次');
    // Another department's batch, or a record of someone else's resource: refused in the reader's words too.
    const foreign = await ludao.app.inject({ method: 'POST', url: '/api/dc/resources/population.person/batches', headers: { cookie: staff }, payload: { idempotencyKey: 'not-mine', operation: 'upsert', records: [{}] } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ title: '无权访问', code: 'dc.onlyProvider.write' });
    expect(foreign.json().detail).toMatch(/^只有提供部门（.+）或运营人员可以写入 population\.person$/);
  });

  it('shows what batches stored before messages had codes as it was stored, and undoes the codes’ columns', async () => {
    const pushed = await post('/api/dc/resources/test.widget/batches', staff, { idempotencyKey: 'before-codes', operation: 'upsert', records: [{ widget_no: 'B1', owner_id: ID_A, made_on: '2023-13-01' }, { widget_no: 'B3', owner_id: ID_A }] });
    const batchId = pushed.json().batch.id as string;
    const db = ludao.tdb.db as unknown as Kysely<unknown>;
    // As a batch from before migration 0009 is: the English text only.
    await sql`update dc_batch_error set reason_code = null, reason_params = null where batch_id = ${batchId}`.execute(db);
    await sql`update dc_batch set message_code = null, message_params = null where id = ${batchId}`.execute(db);
    expect((await get(`/api/dc/batches/${batchId}/errors`, staff, 'zh-CN')).json()).toEqual([{ rowNumber: 1, field: 'made_on', reason: 'not a real date: 2023-13-01', code: null }]);
    expect((await get(`/api/dc/batches/${batchId}`, staff, 'zh-CN')).json()).toMatchObject({ message: '1 invalid rows were skipped', messageCode: null });
    await messagesAsCodes.down!(db);
    expect((await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name in ('dc_batch_error', 'dc_batch') and column_name in ('reason_code', 'message_params')`.execute(db)).rows[0]!.n).toBe(0);
    await messagesAsCodes.up(db);
    const again = await post('/api/dc/resources/test.widget/batches', staff, { idempotencyKey: 'after-codes', operation: 'upsert', records: [{ widget_no: 'B2', owner_id: ID_A, made_on: '2023-13-01' }, { widget_no: 'B4', owner_id: ID_A }] });
    expect((await get(`/api/dc/batches/${again.json().batch.id}/errors`, staff, 'zh-CN')).json()).toEqual([{ rowNumber: 1, field: 'made_on', reason: '日期不存在：2023-13-01', code: 'dc.row.notRealDate' }]);
  });

  it('keeps a resource’s abstract and sharing condition in each language, splitting texts that held both (migration 0010)', async () => {
    const person = (await get('/api/dc/resources/population.person', operator)).json();
    expect(person).toMatchObject({ abstract: '本市常住人口的身份、户籍、婚姻状况与居住地信息，以公民身份号码为主键。', abstractEn: 'Residents with identity, household registration, marital status and residence.' });
    const marriage = (await get('/api/dc/resources/civil_affairs.marriage', operator)).json();
    expect(marriage).toMatchObject({ sharingCondition: '因履行法定职责需要，经提供部门审核同意后共享', sharingConditionEn: 'On request, for a statutory duty, approved by the provider' });
    // A database from before: both languages in one text. Down joins them; up splits them again.
    const db = ludao.tdb.db as unknown as Kysely<unknown>;
    const texts = async () =>
      (await sql<{ code: string; abstract: string; abstract_en: string | null; sharing_condition: string | null; sharing_condition_en: string | null }>`
        select code, abstract, abstract_en, sharing_condition, sharing_condition_en from dc_resource order by code`.execute(db)).rows;
    const split = await texts();
    await englishTexts.down!(db);
    const joined = (await sql<{ code: string; abstract: string; sharing_condition: string | null }>`select code, abstract, sharing_condition from dc_resource order by code`.execute(db)).rows;
    expect(joined.find((r) => r.code === 'population.person')!.abstract).toBe('本市常住人口的身份、户籍、婚姻状况与居住地信息，以公民身份号码为主键。Residents with identity, household registration, marital status and residence.');
    expect(joined.find((r) => r.code === 'civil_affairs.marriage')!.sharing_condition).toBe('因履行法定职责需要，经提供部门审核同意后共享 (On request, for a statutory duty, approved by the provider)');
    // A text in one language only stays as it is.
    await sql`update dc_resource set abstract = '只有中文的摘要。' where code = 'test.widget'`.execute(db);
    await englishTexts.up(db);
    const again = await texts();
    expect(again.filter((r) => r.code !== 'test.widget')).toEqual(split.filter((r) => r.code !== 'test.widget'));
    expect(again.find((r) => r.code === 'test.widget')).toMatchObject({ abstract: '只有中文的摘要。', abstract_en: null });
    expect(split.filter((r) => r.code.startsWith('spatial.') || r.code.startsWith('population.')).every((r) => r.abstract_en !== null)).toBe(true);
  });
});
