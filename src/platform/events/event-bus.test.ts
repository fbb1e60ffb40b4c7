import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateAll } from '../db/migrate';
import { openTestDatabase, type TestDatabase } from '../db/testing';
import { EventBus } from './event-bus';
import { eventsMigrations } from './events.migrations';
import type { StoredEvent } from './events-store';

describe('event bus (transactional outbox)', () => {
  let tdb: TestDatabase;

  beforeEach(async () => {
    tdb = await openTestDatabase();
    await migrateAll(tdb.db, [{ name: 'events', migrations: eventsMigrations }]);
  });
  afterEach(() => tdb.close());

  async function publishIn(bus: EventBus, aggregateId: string, n: number, fail = false): Promise<void> {
    await tdb.db
      .transaction()
      .execute(async (trx) => {
        await bus.publish(trx, { aggregateType: 'thing', aggregateId, type: 'test.thing.changed', payload: { n } });
        if (fail) throw new Error('rolled back');
      })
      .catch(() => undefined);
  }

  it('delivers committed events only, after commit, in order per aggregate', async () => {
    const bus = new EventBus(tdb.db);
    const seen: StoredEvent[] = [];
    bus.subscribe('test.collector', async (e) => void seen.push(e));
    await bus.start(60_000);
    await publishIn(bus, 'a', 1);
    await publishIn(bus, 'b', 1);
    await publishIn(bus, 'a', 2, true); // rolled back: never delivered
    await publishIn(bus, 'a', 3);
    await bus.drain();
    await bus.stop();
    expect(seen.map((e) => [e.aggregateId, (e.payload as { n: number }).n])).toEqual([['a', 1], ['b', 1], ['a', 3]]);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('loses nothing when the process dies between commit and delivery', async () => {
    const crashed = new EventBus(tdb.db);
    crashed.subscribe('test.collector', async () => {
      throw new Error('process died mid-delivery');
    });
    await crashed.start(60_000);
    await publishIn(crashed, 'a', 1);
    await publishIn(crashed, 'a', 2);
    await crashed.drain();
    await crashed.stop();
    // Let the failed attempt's back-off pass, as a restarted process would.
    await sql`update event_cursor set retry_at = null`.execute(tdb.db);

    const restarted = new EventBus(tdb.db);
    const seen: number[] = [];
    restarted.subscribe('test.collector', async (e) => void seen.push((e.payload as { n: number }).n));
    await restarted.start(60_000);
    await restarted.drain();
    await restarted.stop();
    expect(seen).toEqual([1, 2]);
  });

  it('redelivers an event whose handler failed, without skipping ahead', async () => {
    const bus = new EventBus(tdb.db);
    const seen: number[] = [];
    let failOnce = true;
    bus.subscribe('test.flaky', async (e) => {
      const n = (e.payload as { n: number }).n;
      if (n === 2 && failOnce) {
        failOnce = false;
        throw new Error('temporary');
      }
      seen.push(n);
    });
    await bus.start(60_000);
    for (const n of [1, 2, 3]) await publishIn(bus, 'a', n);
    await bus.drain();
    expect(seen).toEqual([1]);
    const { rows } = await sql<{ failures: number; last_error: string }>`select failures, last_error from event_cursor`.execute(tdb.db);
    expect(rows[0]).toMatchObject({ failures: 1, last_error: 'temporary' });
    await sql`update event_cursor set retry_at = null`.execute(tdb.db);
    await bus.drain();
    await bus.stop();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('numbers events that commit late after those already numbered', async () => {
    const bus = new EventBus(tdb.db);
    const seen: string[] = [];
    bus.subscribe('test.collector', async (e) => void seen.push(e.aggregateId));
    await bus.start(60_000);
    // "late" takes its id first but commits after "early" has been numbered and delivered.
    let commitLate!: () => void;
    let published!: () => void;
    const isPublished = new Promise<void>((r) => (published = r));
    const late = tdb.db.transaction().execute(async (trx) => {
      await bus.publish(trx, { aggregateType: 'thing', aggregateId: 'late', type: 'test.thing.changed' });
      const mayCommit = new Promise<void>((r) => (commitLate = r));
      published();
      await mayCommit;
    });
    await isPublished;
    // On PGlite the open transaction holds the only connection, so nothing can interleave.
    if (tdb.engine === 'postgres') {
      await publishIn(bus, 'early', 1);
      await bus.drain();
      expect(seen).toEqual(['early']);
    }
    commitLate();
    await late;
    if (tdb.engine === 'pglite') await publishIn(bus, 'early', 1);
    await bus.drain();
    await bus.stop();
    expect(seen.sort()).toEqual(['early', 'late']);
  });

  it('prunes old events every subscriber has passed, and keeps the rest', async () => {
    const bus = new EventBus(tdb.db);
    let slowSeen = 0;
    bus.subscribe('fast', async () => {});
    bus.subscribe('slow', async () => {
      if (++slowSeen > 2) throw new Error('not yet');
    });
    await bus.start(60_000);
    await bus.stop();
    for (let i = 1; i <= 4; i++) await publishIn(bus, 'a', i);
    await bus.drain();
    // 'slow' took events 1 and 2, then failed on 3; everything is old except event 2.
    await sql`update event_outbox set recorded_at = now() - interval '10 days' where (payload->>'n')::int <> 2`.execute(tdb.db);
    expect(await bus.prune(7 * 86_400)).toBe(1);
    const { rows } = await sql<{ n: number }>`select (payload->>'n')::int as n from event_outbox order by seq`.execute(tdb.db);
    expect(rows.map((r) => r.n)).toEqual([2, 3, 4]);
  });
});

