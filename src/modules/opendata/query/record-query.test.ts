import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../platform/db/testing';
import { renderMessage } from '../../../platform/i18n';
import { compileRecordQuery, QueryError, type QueryColumn, type RecordQueryInput } from './record-query';

// One row table as a published version has it, 50 rows with NULLs, repeated values and Chinese
// text; every expectation is computed from the same rows in JavaScript.

const TABLE = 'od_query_test_rows';
const DISTRICTS = ['思明区', '湖里区', '集美区', '海沧区'];
const COLUMNS: QueryColumn[] = [
  { name: 'code', type: 'text', notNull: true },
  { name: 'name', type: 'text' },
  { name: 'district', type: 'text' },
  { name: 'pop', type: 'integer' },
  { name: 'area', type: 'decimal' },
  { name: 'opened', type: 'date' },
  { name: 'updated', type: 'timestamp' },
  { name: 'active', type: 'boolean' },
  { name: 'meta', type: 'json' },
];

const SHOWN_COLUMNS = COLUMNS.map(({ name, type }) => ({ name, type }));

interface Row {
  _id: number;
  code: string;
  name: string;
  district: string | null;
  pop: number | null;
  area: string | null;
  opened: string | null;
  updated: string | null;
  active: boolean | null;
  meta: { i: number; tags: string[] } | null;
  words: string[];
}

const ROWS: Row[] = Array.from({ length: 50 }, (_, k) => {
  const i = k + 1;
  const district = i % 7 === 0 ? null : DISTRICTS[i % 4]!;
  return {
    _id: i,
    code: `S${String(i).padStart(2, '0')}`,
    name: i === 3 ? "O'Brien 站" : `${DISTRICTS[i % 4]!.slice(0, 2)}站点${i}`,
    district,
    pop: i % 5 === 0 ? null : ((i * 37) % 11) * 100,
    area: i === 49 ? '98765432109876543210' : i % 6 === 0 ? null : (((i * 13) % 17) / 4).toFixed(2),
    opened: i % 8 === 0 ? null : `2024-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}`,
    // Microseconds tell rows of one hour apart, though the API shows milliseconds only.
    updated: i % 9 === 0 ? null : `2024-03-01T0${i % 10}:00:00.123${i % 7}Z`,
    active: i % 4 === 0 ? null : i % 3 === 0,
    meta: i % 10 === 0 ? null : { i, tags: ['a'] },
    words: [district ?? '', i % 2 ? '公交' : '地铁', '站点'].filter(Boolean),
  };
});

const codes = (rows: readonly Row[]) => rows.map((r) => r.code);
/** A stored timestamp as the API shows it (milliseconds). */
const shownTimestamp = (t: string | null) => (t === null ? null : `${t.slice(0, 23)}Z`);
const tokenize = (q: string) => q.split(/[\s\p{P}]+/u).filter(Boolean);

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await openTestDatabase();
  await sql`create table ${sql.table(TABLE)} (_id bigint primary key, code text, name text, district text, pop bigint, area numeric,
    opened date, updated timestamptz, active boolean, meta jsonb, _search tsvector)`.execute(tdb.db);
  const values = ROWS.map(
    (r) => sql`(${r._id}::bigint, ${r.code}::text, ${r.name}::text, ${r.district}::text, ${r.pop}::bigint, ${r.area}::numeric, ${r.opened}::date,
      ${r.updated}::timestamptz, ${r.active}::boolean, ${r.meta && JSON.stringify(r.meta)}::jsonb, to_tsvector('simple', ${r.words.join(' ')}::text))`,
  );
  await sql`insert into ${sql.table(TABLE)} values ${sql.join(values)}`.execute(tdb.db);
});

afterAll(() => tdb.close());

function compile(input: RecordQueryInput, options: { maxLimit?: number; table?: string } = {}) {
  return compileRecordQuery(options.table ?? TABLE, COLUMNS, input, { tokenize, maxLimit: options.maxLimit });
}

async function fetchPage(input: RecordQueryInput) {
  const compiled = compile(input);
  const { rows } = await compiled.query.execute(tdb.db);
  return { ...compiled.page(rows), columns: compiled.columns, grouped: compiled.grouped };
}

/** Follows `next` to the end; returns every record and the number of pages. */
async function fetchAll(input: RecordQueryInput) {
  const records: Record<string, unknown>[] = [];
  let cursor = input.cursor;
  for (let pages = 1; pages <= 200; pages++) {
    const page = await fetchPage({ ...input, cursor });
    records.push(...page.records);
    if (!page.next) return { records, pages };
    cursor = page.next;
  }
  throw new Error('paging did not end');
}

async function whereCodes(where: string): Promise<string[]> {
  const { records } = await fetchAll({ select: 'code', where, limit: 100 });
  return records.map((r) => r.code as string);
}

function queryError(input: RecordQueryInput, options: { maxLimit?: number; table?: string } = {}): QueryError {
  try {
    compile(input, options);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`no QueryError for ${JSON.stringify(input)}`);
}

async function tableRowCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(TABLE)}`.execute(tdb.db);
  return rows[0]!.n;
}

describe('projection and output values', () => {
  it('returns every column by default, typed for JSON, without _id or _search', async () => {
    const page = await fetchPage({ limit: 1 });
    expect(page.columns).toEqual(SHOWN_COLUMNS);
    expect(page.grouped).toBe(false);
    expect(page.records).toEqual([
      {
        code: 'S01',
        name: '湖里站点1',
        district: '湖里区',
        pop: 400,
        area: 3.25,
        opened: '2024-02-02',
        updated: '2024-03-01T01:00:00.123Z',
        active: false,
        meta: { i: 1, tags: ['a'] },
      },
    ]);
  });

  it('projects and renames columns, and * means all of them', async () => {
    const page = await fetchPage({ select: 'name, pop as people', where: "code = 'S02'" });
    expect(page.columns).toEqual([
      { name: 'name', type: 'text' },
      { name: 'people', type: 'integer' },
    ]);
    expect(compile({ select: 'count(*) AS Total' }).columns).toEqual([{ name: 'total', type: 'integer' }]);
    expect(page.records).toEqual([{ name: '集美站点2', people: 800 }]);
    expect((await fetchPage({ select: '*', limit: 1 })).columns).toEqual(SHOWN_COLUMNS);
  });

  it('keeps NULLs, and numbers too large for a double as exact strings', async () => {
    const { records } = await fetchPage({ where: "code in ('S49', 'S56', 'S40')" });
    expect(records).toEqual([
      expect.objectContaining({ code: 'S40', district: '思明区', pop: null, opened: null, active: null, meta: null }),
      expect.objectContaining({ code: 'S49', district: null, area: '98765432109876543210' }),
    ]);
  });

  it('binds every literal as a parameter with a cast', () => {
    const { sql: text, parameters } = compile({ where: "district = '思明区' and opened < '2024-02-01'" }).query.compile(tdb.db);
    expect(text).not.toContain('思明区');
    expect(text).toMatch(/"r"."district" collate "C" = \$1::text and "r"."opened" < \$2::date/);
    expect(parameters).toEqual(['思明区', '2024-02-01', 21]);
  });
});

describe('where', () => {
  const num = (v: string | null) => (v === null ? null : Number(v));
  const cases: [string, (r: Row) => boolean][] = [
    ["district = '思明区'", (r) => r.district === '思明区'],
    ["district != '思明区'", (r) => r.district !== null && r.district !== '思明区'],
    ["district <> '思明区'", (r) => r.district !== null && r.district !== '思明区'],
    ['pop < 300', (r) => r.pop !== null && r.pop < 300],
    ['pop <= 300', (r) => r.pop !== null && r.pop <= 300],
    ['pop > 800', (r) => r.pop !== null && r.pop > 800],
    ['pop >= 800', (r) => r.pop !== null && r.pop >= 800],
    ['pop > -1', (r) => r.pop !== null],
    ["pop = '400'", (r) => r.pop === 400],
    ['area > 2.5', (r) => r.area !== null && num(r.area)! > 2.5],
    ["area = '3.25'", (r) => r.area === '3.25'],
    ["opened = '2024-02-02'", (r) => r.opened === '2024-02-02'],
    ["opened < '2024-02-01'", (r) => r.opened !== null && r.opened < '2024-02-01'],
    ["updated >= '2024-03-01T05:00:00Z'", (r) => r.updated !== null && r.updated >= '2024-03-01T05:00:00.000Z'],
    ["updated < '2024-03-01T13:00:00+08:00'", (r) => r.updated !== null && r.updated < '2024-03-01T05:00:00.000Z'],
    ["updated = '2024-03-01 01:00:00.1231'", (r) => r.updated === '2024-03-01T01:00:00.1231Z'],
    ["updated < '2024-03-01'", () => false],
    ['active = true', (r) => r.active === true],
    ['active = false', (r) => r.active === false],
    ["active = 'true'", (r) => r.active === true],
    ["code in ('S01', 'S02', 'S99')", (r) => ['S01', 'S02'].includes(r.code)],
    ['pop in (100, 200)', (r) => r.pop === 100 || r.pop === 200],
    ['pop not in (100, 200)', (r) => r.pop !== null && r.pop !== 100 && r.pop !== 200],
    ["opened in ('2024-02-02', '2024-03-03')", (r) => r.opened === '2024-02-02' || r.opened === '2024-03-03'],
    ['district is null', (r) => r.district === null],
    ['district is not null', (r) => r.district !== null],
    ['meta is null', (r) => r.meta === null],
    ["name like '湖里%'", (r) => r.name.startsWith('湖里')],
    ["name like '_里站点1_'", (r) => /^.里站点1.$/u.test(r.name)],
    ["name not like '%站点%'", (r) => !r.name.includes('站点')],
    ["name like '%''%'", (r) => r.name.includes("'")],
    ['pop between 200 and 500', (r) => r.pop !== null && r.pop >= 200 && r.pop <= 500],
    ['pop not between 200 and 500', (r) => r.pop !== null && (r.pop < 200 || r.pop > 500)],
    ["opened between '2024-01-01' and '2024-01-31'", (r) => r.opened !== null && r.opened.startsWith('2024-01')],
    ["name = 'O''Brien 站'", (r) => r.code === 'S03'],
    ["code < 'S10'", (r) => r.code < 'S10'],
    ["name >= 'O'", (r) => r.name >= 'O'],
    ["name > '湖'", (r) => r.name > '湖'],
    ["not (district = '思明区' or pop is null) and active = true", (r) => r.district !== null && r.district !== '思明区' && r.pop !== null && r.active === true],
    ['(pop > 500 or area < 1) and not district is null', (r) => ((r.pop !== null && r.pop > 500) || (r.area !== null && num(r.area)! < 1)) && r.district !== null],
    ["pop > 500 or area < 1 and district = '湖里区'", (r) => (r.pop !== null && r.pop > 500) || (r.area !== null && num(r.area)! < 1 && r.district === '湖里区')],
    ["DISTRICT = '思明区' AND Pop > 100 OR \"code\" = 'S07'", (r) => (r.district === '思明区' && r.pop !== null && r.pop > 100) || r.code === 'S07'],
  ];
  it.each(cases)('%s', async (where, expected) => {
    expect(await whereCodes(where)).toEqual(codes(ROWS.filter(expected)));
  });

  it('accepts up to 100 values in "in" and 50 conditions', async () => {
    const many = Array.from({ length: 100 }, (_, i) => `'S${String(i + 1).padStart(2, '0')}'`).join(', ');
    expect(await whereCodes(`code in (${many})`)).toHaveLength(50);
    const fifty = Array.from({ length: 50 }, (_, i) => `pop <> ${i}`).join(' and ');
    expect(await whereCodes(fifty)).toEqual(codes(ROWS.filter((r) => r.pop !== null && r.pop >= 50)));
  });
});

describe('errors', () => {
  const cases: [RecordQueryInput, string, string | RegExp, string?][] = [
    [{ where: 'pop = 1 adn name = 2' }, 'where', 'where: unexpected token "adn" at 8', 'adn'],
    [{ where: "pop = 'abc'" }, 'where', /'abc' is not a valid integer value for column "pop"/, "'abc'"],
    [{ where: 'pop = 1.5' }, 'where', /1\.5 is not a valid integer/, '1.5'],
    [{ where: 'pop = 99999999999999999999' }, 'where', /not a valid integer/],
    [{ where: "area = '1e5'" }, 'where', /not a valid decimal/],
    [{ where: "opened = '2024-02-30'" }, 'where', /'2024-02-30' is not a valid date value .*YYYY-MM-DD/],
    [{ where: 'opened = 20240101' }, 'where', /20240101 is not a date value/],
    [{ where: "updated > 'yesterday'" }, 'where', /not a valid timestamp/],
    [{ where: "updated > '2024-03-01T25:00:00Z'" }, 'where', /not a valid timestamp/],
    [{ where: 'active = 1' }, 'where', /1 is not a boolean value/],
    [{ where: "active = 'yes'" }, 'where', /not a valid boolean/],
    [{ where: 'name = 5' }, 'where', /5 is not a text value for column "name" \(quote it: '5'\)/],
    [{ where: "pop like '1%'" }, 'where', /like works on text columns/],
    [{ where: "name like 'a\\'" }, 'where', /ends with an escape character/],
    [{ where: "meta = '{}'" }, 'where', /json column "meta" can only be tested with "is null"/],
    [{ where: 'pop = null' }, 'where', /null only goes with "is null"/],
    [{ where: 'pop =' }, 'where', 'where: unexpected end at 5 (expected a value for "pop")'],
    [{ where: 'pop = pop' }, 'where', /unexpected token "pop" at 6/],
    [{ where: '(pop = 1' }, 'where', /unexpected end at 8 \(expected "\)"\)/],
    [{ where: "name = 'abc" }, 'where', 'where: unterminated string at 7'],
    [{ where: 'pop in ()' }, 'where', /unexpected token "\)" at 8/],
    [{ where: 'pop ~ 1' }, 'where', 'where: unexpected character "~" at 4'],
    [{ where: 'pop not = 1' }, 'where', /expected in, like or between/],
    [{ where: `pop in (${Array.from({ length: 101 }, (_, i) => i).join(',')})` }, 'where', /more than 100 values/],
    [{ where: Array.from({ length: 51 }, (_, i) => `pop <> ${i}`).join(' or ') }, 'where', /more than 50 conditions/],
    [{ where: `${'not '.repeat(25)}pop = 1` }, 'where', /nested deeper than 20/],
    [{ where: `${'('.repeat(25)}pop = 1${')'.repeat(25)}` }, 'where', /nested deeper than 20/],
    [{ where: `name = '${'x'.repeat(2000)}'` }, 'where', /longer than 2000 characters/],
    [{ where: "name = 'a\0'" }, 'where', /NUL/],
    [{ select: 'foo' }, 'select', 'select: no column "foo" in this dataset', 'foo'],
    [{ select: '_id' }, 'select', 'select: no column "_id" in this dataset'],
    [{ select: 'name, _search' }, 'select', /no column "_search"/],
    [{ where: 'foo = 1' }, 'where', 'where: no column "foo" in this dataset'],
    [{ where: '_id = 1' }, 'where', /no column "_id"/],
    [{ order_by: 'foo desc' }, 'order_by', 'order_by: no column "foo" in this dataset'],
    [{ order_by: '_id' }, 'order_by', /no column "_id"/],
    [{ order_by: 'meta' }, 'order_by', /cannot order by the json column "meta"/],
    [{ order_by: 'pop sideways' }, 'order_by', /unexpected token "sideways"/],
    [{ group_by: 'foo' }, 'group_by', 'group_by: no column "foo" in this dataset'],
    [{ select: 'name, name' }, 'select', /"name" is selected twice/],
    [{ select: 'count(*), count(*)' }, 'select', /"count" is selected twice/],
    [{ select: 'sum(name)' }, 'select', /sum\(\) needs a number column; "name" is text/],
    [{ select: 'avg(opened)' }, 'select', /avg\(\) needs a number column/],
    [{ select: 'min(active)' }, 'select', /min\(\) cannot take the boolean column/],
    [{ select: 'sum(*)' }, 'select', /unexpected token "\*"/],
    [{ select: 'district, count(*)' }, 'select', 'select: "district" must be in group_by when select has aggregates'],
    [{ select: 'name', group_by: 'district' }, 'select', /"name" must be in group_by/],
    [{ select: 'count(*) as "Total"' }, 'select', /alias "Total" must be lower-case/],
    [{ select: 'count(*) as 1' }, 'select', /unexpected token "1" at 12 \(expected an alias\)/],
    [{ select: 'count(*) as "x; drop"' }, 'select', /alias "x; drop" must be/],
    [{ group_by: 'district', order_by: 'name' }, 'order_by', /"name" is neither in group_by nor an output of select/],
    [{ order_by: 'count(*) desc' }, 'order_by', /aggregate count\(\) needs group_by/],
    [{ q: '!!! ...' }, 'q', /q: no words to search for/],
    [{ q: '思明'.repeat(101) }, 'q', /longer than 200/],
    [{ cursor: 'abc' }, 'cursor', /not a cursor this API gave out/],
    [{ cursor: '!!!' }, 'cursor', /not a cursor this API gave out/],
  ];
  it.each(cases)('%j → %s error', (input, parameter, message, token) => {
    const error = queryError(input);
    expect(error.parameter).toBe(parameter);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    if (token !== undefined) expect(error.token).toBe(token);
  });

  it('gives the position of syntax errors', () => {
    expect(queryError({ where: 'pop = 1 adn name = 2' }).position).toBe(8);
    expect(queryError({ order_by: 'pop, foo' }).position).toBe(5);
  });

  it('says each error in Chinese too, keeping the parameter, the grammar and the API\'s types as written', () => {
    const inChinese = (input: RecordQueryInput) => {
      const { reason, message } = queryError(input);
      expect(renderMessage(reason, 'en')).toBe(message);
      return [reason.code, renderMessage(reason, 'zh-CN')];
    };
    expect(inChinese({ where: 'pop =' })).toEqual(['od.q.unexpected.end.value', 'where：在位置 5 处意外结束（此处应为“pop”的值）']);
    expect(inChinese({ where: '(pop = 1' })).toEqual(['od.q.unexpected.end.symbol', 'where：在位置 8 处意外结束（此处应为“)”）']);
    expect(inChinese({ where: 'name = 5' })).toEqual(['od.q.notTextValue', "where：5 不是列“name”的 text 值（请加引号：'5'）"]);
    expect(inChinese({ select: 'sum(name)' })).toEqual(['od.q.needsNumber', 'select：sum() 需要数值列，而“name”是 text 列']);
    expect(inChinese({ select: 'foo' })).toEqual(['od.q.noColumn', 'select：该数据集没有列“foo”']);
    expect(inChinese({ limit: '0' })).toEqual(['od.q.badLimit', 'limit：应为 1 到 100 之间的整数，而不是“0”']);
    expect(inChinese({ cursor: '!!!' })).toEqual(['od.q.cursorForeign', 'cursor：不是本接口给出的游标，请不带游标重新开始']);
  });
});

describe('injection attempts', () => {
  it('treats SQL in literals as text, and rejects it elsewhere', async () => {
    expect(queryError({ where: "name = 'x'; drop table od_query_test_rows --'" }).message).toBe('where: unexpected character ";" at 10');
    expect(await whereCodes("name = 'x''; drop table od_query_test_rows --'")).toEqual([]);
    expect(await whereCodes("name like '%'' or 1=1 --'")).toEqual([]);
    expect(await whereCodes("name = '\\'' or true --'")).toEqual([]);
    expect(queryError({ select: 'name from od_query_test_rows; drop table od_query_test_rows' }).parameter).toBe('select');
    expect(queryError({ select: '"name"" from x --"' }).message).toBe('select: no column "name" from x --" in this dataset');
    expect(queryError({ order_by: 'name; delete from od_query_test_rows' }).parameter).toBe('order_by');
    expect(queryError({ order_by: 'name, (select 1)' }).parameter).toBe('order_by');
    expect(queryError({ group_by: 'district)--' }).parameter).toBe('group_by');
    expect((await fetchPage({ q: "'); drop table od_query_test_rows; --" })).records).toEqual([]);
    expect(await tableRowCount()).toBe(50);
  });
});

describe('aggregates and group_by', () => {
  it('counts all rows', async () => {
    const page = await fetchPage({ select: 'count(*)' });
    expect(page).toMatchObject({ records: [{ count: 50 }], next: null, grouped: true, columns: [{ name: 'count', type: 'integer' }] });
  });

  it('groups, aggregates and orders by an aggregate alias', async () => {
    const page = await fetchPage({
      select: 'district, count(*) as n, count(pop), sum(pop), avg(pop), min(opened), max(updated), min(name), max(code)',
      where: 'code <> \'S49\'',
      group_by: 'district',
      order_by: 'n desc',
    });
    expect(page.columns).toEqual([
      { name: 'district', type: 'text' },
      { name: 'n', type: 'integer' },
      { name: 'count_pop', type: 'integer' },
      { name: 'sum_pop', type: 'integer' },
      { name: 'avg_pop', type: 'decimal' },
      { name: 'min_opened', type: 'date' },
      { name: 'max_updated', type: 'timestamp' },
      { name: 'min_name', type: 'text' },
      { name: 'max_code', type: 'text' },
    ]);
    const groups = new Map<string | null, Row[]>();
    for (const r of ROWS.filter((r) => r.code !== 'S49')) groups.set(r.district, [...(groups.get(r.district) ?? []), r]);
    const minOf = (xs: (string | null)[]) => xs.filter((x): x is string => x !== null).sort()[0] ?? null;
    const maxOf = (xs: (string | null)[]) => xs.filter((x): x is string => x !== null).sort().at(-1) ?? null;
    const expected = [...groups]
      .map(([district, rs]) => {
        const pops = rs.map((r) => r.pop).filter((p): p is number => p !== null);
        const sum = pops.reduce((a, b) => a + b, 0);
        return {
          district,
          n: rs.length,
          count_pop: pops.length,
          sum_pop: sum,
          avg_pop: sum / pops.length,
          min_opened: minOf(rs.map((r) => r.opened)),
          max_updated: shownTimestamp(maxOf(rs.map((r) => r.updated))),
          min_name: minOf(rs.map((r) => r.name)),
          max_code: maxOf(rs.map((r) => r.code)),
        };
      })
      .sort((a, b) => b.n - a.n || (a.district === null ? 1 : b.district === null ? -1 : a.district < b.district ? -1 : 1));
    expect(page.records).toHaveLength(expected.length);
    page.records.forEach((record, i) => {
      const { avg_pop, ...rest } = expected[i]!;
      expect(record).toMatchObject(rest);
      expect(record.avg_pop).toBeCloseTo(avg_pop, 9);
    });
  });

  it('defaults to the groups and their counts, and orders by count(*) itself', async () => {
    const page = await fetchPage({ group_by: 'active', order_by: 'count(*) desc' });
    expect(page.columns).toEqual([
      { name: 'active', type: 'boolean' },
      { name: 'count', type: 'integer' },
    ]);
    const count = (v: boolean | null) => ROWS.filter((r) => r.active === v).length;
    expect(page.records).toEqual(
      [
        { active: false, count: count(false) },
        { active: true, count: count(true) },
        { active: null, count: count(null) }, // ties in count go by the group, NULL last
      ].sort((a, b) => b.count - a.count),
    );
  });

  it('pages through groups with offsets', async () => {
    const input = { select: 'district, active, count(*), sum(area)', group_by: 'district, active', order_by: 'count desc' };
    const whole = await fetchPage({ ...input, limit: 100 });
    expect(whole.next).toBeNull();
    const paged = await fetchAll({ ...input, limit: 3 });
    expect(paged.pages).toBe(Math.ceil(whole.records.length / 3));
    expect(paged.records).toEqual(whole.records);
    expect(whole.records.reduce((n, r) => n + (r.count as number), 0)).toBe(50);
    // The group holding S49's huge area keeps its exact sum as a string.
    expect(whole.records.some((r) => typeof r.sum_area === 'string' && r.sum_area.startsWith('987654321098765432'))).toBe(true);
  });

  it('filters with where and q before grouping', async () => {
    const page = await fetchPage({ select: 'district, count(*)', where: 'pop >= 500', q: '公交', group_by: 'district' });
    const rows = ROWS.filter((r) => r.pop !== null && r.pop >= 500 && r.words.includes('公交'));
    const expected = [...new Set(rows.map((r) => r.district))]
      .sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : 1))
      .map((district) => ({ district, count: rows.filter((r) => r.district === district).length }));
    expect(page.records).toEqual(expected);
  });
});

describe('cursor paging', () => {
  type Key = [keyof Row, 'asc' | 'desc'];
  const compareValues = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null) return 1; // NULL sorts after every value ascending
    if (b === null) return -1;
    if (typeof a === 'number' || typeof a === 'boolean') return Number(a) - Number(b);
    if (typeof a === 'string' && /^\d+(\.\d+)?$/.test(a)) return Number(a) - Number(b);
    return (a as string) < (b as string) ? -1 : 1;
  };
  const sorted = (rows: readonly Row[], keys: readonly Key[]) =>
    [...rows].sort((x, y) => {
      for (const [k, dir] of keys) {
        const c = compareValues(x[k], y[k]);
        if (c !== 0) return dir === 'asc' ? c : -c;
      }
      // Ties break on _id in the direction of the last key.
      return keys.length && keys[keys.length - 1]![1] === 'desc' ? y._id - x._id : x._id - y._id;
    });
  const orders: [string, Key[]][] = [
    ['', []],
    ['district', [['district', 'asc']]],
    ['district desc', [['district', 'desc']]],
    ['pop desc, district', [['pop', 'desc'], ['district', 'asc']]],
    ['opened, name desc', [['opened', 'asc'], ['name', 'desc']]],
    ['active desc, updated', [['active', 'desc'], ['updated', 'asc']]],
    ['area', [['area', 'asc']]],
    ['updated desc, active', [['updated', 'desc'], ['active', 'asc']]],
    ['name', [['name', 'asc']]],
    ['code desc', [['code', 'desc']]],
    ['code', [['code', 'asc']]],
    ['district desc, pop desc', [['district', 'desc'], ['pop', 'desc']]],
    ['district, updated', [['district', 'asc'], ['updated', 'asc']]],
  ];

  it.each(orders)('order_by "%s" visits every row exactly once, in order', async (orderBy, keys) => {
    // With every column selected too: the sort key is then also an output column (a date's text).
    for (const [limit, select] of [[1, 'code'], [7, 'code'], [7, undefined]] as const) {
      const { records, pages } = await fetchAll({ select, order_by: orderBy, limit });
      expect(records.map((r) => r.code)).toEqual(codes(sorted(ROWS, keys)));
      expect(pages).toBe(Math.ceil(50 / limit));
    }
  });

  it('pages a filtered, searched query by an alias', async () => {
    const { records } = await fetchAll({ select: 'code, pop as people', where: 'pop is null or district is not null', q: '站点', order_by: 'people desc', limit: 4 });
    const rows = ROWS.filter((r) => r.pop === null || r.district !== null);
    expect(records.map((r) => r.code)).toEqual(codes(sorted(rows, [['pop', 'desc']])));
    expect(Object.keys(records[0]!)).toEqual(['code', 'people']);
  });

  it('writes the cursor as a row comparison in index order wherever nulls allow it', async () => {
    // 12 rows: past the ten without a pop, which sort first descending.
    const cursorSql = async (order_by: string) => {
      const { next } = await fetchPage({ order_by, limit: 12 });
      return compile({ order_by, limit: 12, cursor: next! }).query.compile(tdb.db).sql;
    };
    // A column without nulls, ascending; any column descending (its nulls came first).
    expect(await cursorSql('code')).toMatch(/\("r"\."code" collate "C", "r"\."_id"\) > \(\$1::text, \$2::bigint\) order by "r"\."code" collate "C" asc nulls last, "r"\."_id" asc/);
    expect(await cursorSql('pop desc')).toMatch(/\("r"\."pop", "r"\."_id"\) < \(\$1::bigint, \$2::bigint\) order by "r"\."pop" desc nulls first, "r"\."_id" desc/);
    // Ascending on a column with nulls: they still follow, so the cursor says so.
    expect(await cursorSql('pop')).toMatch(/"r"\."pop" is null/);
  });

  it('ends without a cursor when the last page is full', async () => {
    expect((await fetchPage({ limit: 50 })).next).toBeNull();
    const first = await fetchPage({ limit: 49 });
    const second = await fetchPage({ limit: 49, cursor: first.next! });
    expect(second.records.map((r) => r.code)).toEqual(['S50']);
    expect(second.next).toBeNull();
  });

  it('keeps a cursor valid when only the limit changes', async () => {
    const first = await fetchPage({ where: "code >= 'S10'", order_by: 'pop', limit: 5 });
    const rest = await fetchAll({ where: "code  >=  'S10'", order_by: 'POP ASC', limit: 20, cursor: first.next! });
    expect([...first.records, ...rest.records].map((r) => r.code)).toEqual(
      codes(sorted(ROWS.filter((r) => r.code >= 'S10'), [['pop', 'asc']])),
    );
  });

  it('rejects a cursor from another query, table or a tampered one', async () => {
    const { next } = await fetchPage({ order_by: 'pop', limit: 5 });
    const grouped = await fetchPage({ group_by: 'district', limit: 2 });
    expect(queryError({ order_by: 'district', cursor: next! })).toMatchObject({ parameter: 'cursor', message: expect.stringMatching(/belongs to a different query/) });
    expect(queryError({ order_by: 'pop', where: 'pop > 1', cursor: next! }).parameter).toBe('cursor');
    expect(queryError({ order_by: 'pop', cursor: next! }, { table: 'od_other_rows' }).parameter).toBe('cursor');
    expect(queryError({ order_by: 'pop', cursor: grouped.next! }).parameter).toBe('cursor');
    const raw = Buffer.from(next!, 'base64url').toString('utf8');
    const tampered = Buffer.from(raw.replace(/"i":"(\d+)"/, '"i":"1$1"'), 'utf8').toString('base64url');
    expect(queryError({ order_by: 'pop', cursor: tampered }).message).toMatch(/not a cursor this API gave out/);
    expect(queryError({ order_by: 'pop', cursor: next!.slice(0, -3) }).parameter).toBe('cursor');
  });

  it('rejects a re-signed cursor whose keys do not fit the column types', async () => {
    const { next } = await fetchPage({ order_by: 'pop', limit: 5 });
    const state = JSON.parse(Buffer.from(next!, 'base64url').toString('utf8').replace(/~[^~]*$/, '')) as { s: string };
    const forge = (body: object) => {
      const text = JSON.stringify(body);
      return Buffer.from(`${text}~${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`).toString('base64url');
    };
    expect((await fetchPage({ order_by: 'pop', limit: 5, cursor: forge({ s: state.s, k: ['400'], i: '1' }) })).records).toHaveLength(5);
    for (const bad of [{ k: ["1'; drop table x"], i: '1' }, { k: ['400'], i: 'x' }, { k: [], i: '1' }, { o: 5 }]) {
      expect(queryError({ order_by: 'pop', cursor: forge({ s: state.s, ...bad }) }).message).toMatch(/^cursor: damaged/);
    }
  });
});

describe('limit', () => {
  it('defaults to 20 and allows 1 to maxLimit', async () => {
    const page = await fetchPage({});
    expect(page.records).toHaveLength(20);
    expect(page.next).not.toBeNull();
    expect(compile({ limit: '' }).limit).toBe(20);
    expect(compile({ limit: '100' }).limit).toBe(100);
    expect(compile({ limit: 1 }).limit).toBe(1);
    expect(compile({}, { maxLimit: 10 }).limit).toBe(10);
  });

  it.each([['0'], ['101'], ['-1'], ['1.5'], ['abc'], ['10abc'], [1.5], [0], ['1e2']])('rejects %j', (limit) => {
    expect(queryError({ limit })).toMatchObject({ parameter: 'limit', message: expect.stringMatching(/^limit: must be a whole number from 1 to 100/) });
  });

  it('honours maxLimit', () => {
    expect(queryError({ limit: '11' }, { maxLimit: 10 }).message).toBe('limit: must be a whole number from 1 to 10, not "11"');
  });
});

describe('q', () => {
  it('finds rows by their pre-segmented words', async () => {
    expect(codes(ROWS.filter((r) => r.district === '思明区'))).toEqual((await fetchAll({ select: 'code', q: '思明区', limit: 100 })).records.map((r) => r.code));
    const both = await fetchAll({ select: 'code', q: '思明区，公交', limit: 100 });
    expect(both.records.map((r) => r.code)).toEqual(codes(ROWS.filter((r) => r.district === '思明区' && r.words.includes('公交'))));
    expect((await fetchPage({ q: '鼓浪屿' })).records).toEqual([]);
  });

  it('combines with where', async () => {
    const { records } = await fetchAll({ select: 'code', q: '地铁', where: 'pop > 300', limit: 100 });
    expect(records.map((r) => r.code)).toEqual(codes(ROWS.filter((r) => r.words.includes('地铁') && r.pop !== null && r.pop > 300)));
  });
});
