import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { migrateAll } from '../db/migrate';
import { openTestDatabase, type TestDatabase } from '../db/testing';
import { SM3_AVAILABLE } from './audit-hash';
import { AuditLog } from './audit-log';
import { auditMigrations } from './audit.migrations';

const actor = { type: 'user' as const, id: 'u1', org: 'org-hrss' };

describe('audit log', () => {
  let tdb: TestDatabase;
  let audit: AuditLog;

  beforeEach(async () => {
    tdb = await openTestDatabase();
    await migrateAll(tdb.db, [{ name: 'audit', migrations: auditMigrations }]);
    audit = new AuditLog(tdb.db);
    await sql`create table thing (id int primary key)`.execute(tdb.db);
  });
  afterEach(() => tdb.close());

  async function writeFive(): Promise<void> {
    for (let i = 1; i <= 5; i++) {
      await tdb.db.transaction().execute(async (trx) => {
        await sql`insert into thing values (${i})`.execute(trx);
        await audit.append(trx, { action: 'test.thing.create', actor, subject: { type: 'thing', id: String(i) }, detail: { n: i, nested: { b: 1, a: [1, 2] } } });
      });
    }
    await audit.chainPending();
  }

  async function tamper(...statements: ReturnType<typeof sql>[]): Promise<void> {
    // Only someone who can switch off the append-only trigger can do this: a superuser.
    await sql`alter table audit_entry disable trigger audit_entry_append_only`.execute(tdb.db);
    for (const statement of statements) await statement.execute(tdb.db);
    await sql`alter table audit_entry enable trigger audit_entry_append_only`.execute(tdb.db);
  }

  it('chains entries and verifies an intact log', async () => {
    await writeFive();
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, entries: 5, pending: 0 });
    const { rows } = await sql<{ seq: number; prev_hash: string; hash: string; hash_sm3: string | null }>`
      select seq, prev_hash, hash, hash_sm3 from audit_entry order by seq`.execute(tdb.db);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    if (SM3_AVAILABLE) expect(rows[0]!.hash_sm3).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes nothing when the change it records rolls back', async () => {
    await expect(
      tdb.db.transaction().execute(async (trx) => {
        await audit.append(trx, { action: 'test.thing.create', actor });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    await audit.chainPending();
    expect((await audit.verify()).entries).toBe(0);
  });

  it('records a read in the statement that reads, with the data subject of the row, and nothing when it found nothing', async () => {
    await sql`create table person (id text primary key, name text)`.execute(tdb.db);
    await sql`insert into person values ('P1', 'Ann')`.execute(tdb.db);
    const byId = (id: string) => ({ shape: 'test person by id', parameters: [id], build: () => sql<{ id: string; name: string }>`select id, name from person where id = ${id}` });
    const read = (id: string) => audit.readWith(tdb.db, byId(id), { action: 'test.person.read', actor, subject: { type: 'person', id } }, { subjectColumn: 'id' });
    expect(await read('P1')).toEqual([{ id: 'P1', name: 'Ann' }]);
    expect(await read('P2')).toEqual([]);
    await audit.chainPending();
    const entries = (await sql<{ subject_id: string; data_subject: string | null }>`select subject_id, data_subject from audit_entry order by seq`.execute(tdb.db)).rows;
    expect(entries).toEqual([{ subject_id: 'P1', data_subject: 'P1' }]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE through the trigger', async () => {
    await writeFive();
    await expect(sql`update audit_entry set outcome = 'denied' where seq = 2`.execute(tdb.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_entry where seq = 2`.execute(tdb.db)).rejects.toThrow(/append-only/);
  });

  it('names the first changed entry', async () => {
    await writeFive();
    await tamper(sql`update audit_entry set detail = '{"n": 99}' where seq = 3`);
    await tamper(sql`update audit_entry set outcome = 'denied' where seq = 4`);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toMatchObject({ seq: 3, problem: 'changed' });
  });

  it('names a removed entry', async () => {
    await writeFive();
    await tamper(sql`delete from audit_entry where seq = 2`);
    expect((await audit.verify()).firstProblem).toMatchObject({ seq: 2, problem: 'missing' });
  });

  it('names an entry inserted out of order', async () => {
    await writeFive();
    // Replay entry 2 at the end: its own hash is right, but it does not follow entry 5.
    await tamper(sql`insert into audit_entry select 6, recorded_at, chained_at, action, actor_type, actor_id, actor_org,
      subject_type, subject_id, data_subject, purpose, case_id, request_id, outcome, detail, prev_hash, hash, hash_sm3
      from audit_entry where seq = 2`);
    expect((await audit.verify()).firstProblem).toMatchObject({ seq: 6, problem: 'out_of_order' });
  });

  it('names two entries swapped', async () => {
    await writeFive();
    await tamper(
      sql`update audit_entry set seq = 100 where seq = 2`,
      sql`update audit_entry set seq = 2 where seq = 3`,
      sql`update audit_entry set seq = 3 where seq = 100`,
    );
    expect((await audit.verify()).firstProblem).toMatchObject({ seq: 2, problem: 'out_of_order' });
  });

  it('group-commits concurrent records and chains them in one order', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => audit.record({ action: 'test.read', actor, dataSubject: `p${i}` })));
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, entries: 50 });
  });

  it('keeps one chain when several processes append at once', async () => {
    // Two logs on the same database stand for two processes: each caches the chain's head,
    // so each keeps losing races for the next seq to the other and must recover.
    const other = tdb.url ? await openDatabase({ url: tdb.url }) : tdb;
    const second = new AuditLog(other.db);
    try {
      const batch = (log: AuditLog, who: string, round: number) =>
        Promise.all(Array.from({ length: 20 }, (_, i) => log.record({ action: 'test.read', actor, dataSubject: `${who}-${round}-${i}` })));
      const changes = Array.from({ length: 10 }, (_, i) =>
        other.db.transaction().execute(async (trx) => {
          await sql`insert into thing values (${100 + i})`.execute(trx);
          await second.append(trx, { action: 'test.thing.create', actor, subject: { type: 'thing', id: String(100 + i) } });
        }),
      );
      await Promise.all([...changes, second.chainPending()]);
      // Round by round, each log's cached head is stale after the other's batch.
      for (let round = 0; round < 6; round++) {
        await Promise.all([batch(audit, 'a', round), batch(second, 'b', round), second.chainPending()]);
      }
      await second.chainPending();
    } finally {
      if (other !== tdb) await other.close();
    }
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, entries: 2 * 6 * 20 + 10, pending: 0 });
  });
});
