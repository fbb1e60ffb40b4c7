import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { executePrepared, executePreparedShape } from './prepared';
import { openTestDatabase, type TestDatabase } from './testing';

describe('database', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await openTestDatabase();
    await sql`create table t (id int primary key, note text)`.execute(tdb.db);
  });
  afterAll(() => tdb.close());

  it('answers on the engine the run targets', async () => {
    const { rows } = await sql<{ v: string }>`select version() as v`.execute(tdb.db);
    expect(rows[0]?.v).toMatch(process.env.DATABASE_URL ? /PostgreSQL/ : /PGlite/);
  });

  it('keeps one transaction’s commit when a concurrent one rolls back', async () => {
    let releaseA!: () => void;
    const aMayFinish = new Promise<void>((r) => (releaseA = r));
    // A writes, then waits while B runs; B writes and commits; A then fails and rolls back.
    const a = tdb.db.transaction().execute(async (trx) => {
      await sql`insert into t values (1, 'from A')`.execute(trx);
      await aMayFinish;
      throw new Error('A fails');
    });
    const b = tdb.db.transaction().execute(async (trx) => {
      await sql`insert into t values (2, 'from B')`.execute(trx);
    });
    // Give both a chance to start before A is allowed to fail.
    setTimeout(releaseA, 50);
    await expect(a).rejects.toThrow('A fails');
    await b;
    const { rows } = await sql<{ id: number; note: string }>`select id, note from t order by id`.execute(tdb.db);
    expect(rows).toEqual([{ id: 2, note: 'from B' }]);
  });

  it('returns int8 as a number', async () => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(tdb.db);
    expect(rows[0]?.n).toBe(1);
  });
});

describe('prepared queries', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await openTestDatabase();
    await sql`create table p (id int primary key, note text)`.execute(tdb.db);
    await sql`insert into p values (1, 'one'), (2, 'two')`.execute(tdb.db);
  });
  afterAll(() => tdb.close());
  const byId = (id: number) => sql<{ note: string }>`select note from p where id = ${id}`;

  it('answers as the unprepared query does, value by value', async () => {
    expect((await executePrepared(tdb.db, byId(2))).rows).toEqual([{ note: 'two' }]);
    expect((await executePrepared(tdb.db, byId(1))).rows).toEqual([{ note: 'one' }]);
    expect((await executePrepared(tdb.db, byId(3))).rows).toEqual([]);
  });

  it('is a named statement on a PostgreSQL server, parsed once per connection', async () => {
    if (tdb.engine !== 'postgres') return; // PGlite runs it as any other query (the test above)
    // A transaction holds one connection, so the view below shows that connection's statements.
    await tdb.db.transaction().execute(async (trx) => {
      await executePrepared(trx, byId(1));
      await executePrepared(trx, byId(2));
      const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements where statement = 'select note from p where id = $1'`.execute(trx);
      expect(rows.map((r) => r.name)).toEqual([expect.stringMatching(/^ludao_[0-9a-f]{40}$/)]);
    });
  });

  it('builds a shape once and runs its text with each call’s values', async () => {
    let builds = 0;
    const byShape = (id: number) =>
      executePreparedShape(tdb.db, { shape: 'test|p by id', parameters: [id], build: () => (builds++, byId(id)) });
    expect((await byShape(1)).rows).toEqual([{ note: 'one' }]);
    expect((await byShape(2)).rows).toEqual([{ note: 'two' }]);
    expect((await byShape(3)).rows).toEqual([]);
    expect(builds).toBe(1);
  });

  it('refuses a shape whose statement takes other values than those given', async () => {
    await expect(executePreparedShape(tdb.db, { shape: 'test|wrong order', parameters: [2, 1], build: () => sql`select note from p where id = ${1} or id = ${2}` })).rejects.toThrow(/other parameters/);
    await expect(executePreparedShape(tdb.db, { shape: 'test|too few', parameters: [], build: () => byId(1) })).rejects.toThrow(/other parameters/);
  });
});

describe('bulk sessions', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await openTestDatabase();
    await sql`create table bulk_t (id int primary key, note text)`.execute(tdb.db);
  });
  afterAll(() => tdb.close());

  async function* lines(from: number, to: number): AsyncGenerator<string> {
    for (let i = from; i < to; i += 1000) {
      let chunk = '';
      for (let j = i; j < Math.min(to, i + 1000); j++) chunk += `${j}\tnote\\t${j}\n`;
      yield chunk;
    }
  }

  it('copies rows in and keeps escapes', async () => {
    const n = await tdb.bulk((s) => s.copyIn('bulk_t', ['id', 'note'], lines(0, 5000)));
    expect(n).toBe(5000);
    const { rows } = await sql<{ n: number; note: string }>`select count(*) as n, min(note) as note from bulk_t`.execute(tdb.db);
    expect(rows[0]).toEqual({ n: 5000, note: 'note\t0' });
  });

  it('rolls a copy back with its transaction, leaving earlier rows alone', async () => {
    await expect(
      tdb.bulk(async (s) => {
        await s.query('begin');
        try {
          await s.copyIn('bulk_t', ['id', 'note'], lines(5000, 8000));
          await s.copyIn('bulk_t', ['id', 'note'], lines(7999, 8001)); // 7999 again: primary key violation
          await s.query('commit');
        } catch (error) {
          await s.query('rollback');
          throw error;
        }
      }),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await sql<{ n: number }>`select count(*) as n from bulk_t`.execute(tdb.db);
    expect(rows[0]?.n).toBe(5000);
  });

  it('runs Kysely transactions and copies on the one connection', async () => {
    await expect(
      tdb.bulk((s) =>
        s.db.transaction().execute(async (trx) => {
          await sql`insert into bulk_t values (-1, 'kysely')`.execute(trx);
          await s.copyIn('bulk_t', ['id', 'note'], lines(9000, 9100));
          const { rows } = await sql<{ n: number }>`select count(*) as n from bulk_t where id >= 9000 or id = -1`.execute(trx);
          expect(rows[0]?.n).toBe(101);
          throw new Error('undo');
        }),
      ),
    ).rejects.toThrow('undo');
    const { rows } = await sql<{ n: number }>`select count(*) as n from bulk_t`.execute(tdb.db);
    expect(rows[0]?.n).toBe(5000);
  });

  it('lets other queries run once the bulk session ends', async () => {
    const other = sql<{ one: number }>`select 1 as one`.execute(tdb.db);
    await tdb.bulk((s) => s.query('select pg_sleep(0.05)'));
    expect((await other).rows[0]?.one).toBe(1);
  });
});

describe('listen', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await openTestDatabase();
  });
  afterAll(() => tdb.close());

  it('hears every channel, on one connection, and every channel again after that connection drops', async () => {
    const heard: string[] = [];
    const states: string[] = [];
    const names = ['a', 'b', 'c'];
    const stops = await Promise.all(
      names.map((n) =>
        tdb.listen(`ludao_test_${n}`, { message: (payload) => heard.push(`${n}:${payload}`), ready: () => states.push(`${n} ready`), lost: () => states.push(`${n} lost`) }),
      ),
    );
    const notifyEach = async () => {
      for (const n of names) await sql`select pg_notify(${`ludao_test_${n}`}, ${n.toUpperCase()})`.execute(tdb.db);
    };
    await notifyEach();
    await vi.waitFor(() => expect([...heard].sort()).toEqual(['a:A', 'b:B', 'c:C']));
    if (tdb.url) {
      const listening = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(tdb.db)).rows[0]!.n;
      expect(await listening()).toBe(1);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(tdb.db);
      await vi.waitFor(() => expect(states.filter((s) => s.endsWith('ready'))).toHaveLength(6), { timeout: 10_000 });
      expect(states.filter((s) => s.endsWith('lost')).sort()).toEqual(['a lost', 'b lost', 'c lost']);
      heard.length = 0;
      await notifyEach();
      await vi.waitFor(() => expect([...heard].sort()).toEqual(['a:A', 'b:B', 'c:C']));
    }
    for (const stop of stops) await stop();
    if (tdb.url) await vi.waitFor(async () => expect((await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike '%listen%' and pid <> pg_backend_pid()`.execute(tdb.db)).rows[0]!.n).toBe(0));
  });
});
