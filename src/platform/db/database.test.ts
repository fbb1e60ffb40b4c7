import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
