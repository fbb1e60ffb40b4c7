import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoherentCache } from './coherent-cache';
import { openDatabase, type Database } from './database';
import { openTestDatabase, type TestDatabase } from './testing';

const CHANNEL = 'ludao_test_withdrawn';

describe('CoherentCache', () => {
  let tdb: TestDatabase;
  // A second handle on the same database stands for a second process (its own pool and
  // listening connection on PostgreSQL; the same instance on PGlite, whose data directory
  // admits one process).
  let other: Database;
  beforeAll(async () => {
    tdb = await openTestDatabase();
    other = tdb.url ? await openDatabase({ url: tdb.url }) : tdb;
  });
  afterAll(async () => {
    if (other !== tdb) await other.close();
    await tdb.close();
  });

  const counting = () => {
    let loads = 0;
    return { load: async () => `v${++loads}`, loads: () => loads };
  };

  // Two caches on one channel: `here` in this process, `there` standing for another.
  const twoProcesses = async (run: (here: CoherentCache<string>, there: CoherentCache<string>) => Promise<void>) => {
    const here = new CoherentCache<string>(tdb, CHANNEL, 60_000);
    const there = new CoherentCache<string>(other, CHANNEL, 60_000);
    await here.start();
    await there.start();
    try {
      await run(here, there);
    } finally {
      await here.stop();
      await there.stop();
    }
  };

  it('caches nothing until it listens', async () => {
    const cache = new CoherentCache<string>(tdb, CHANNEL, 60_000);
    const source = counting();
    await cache.get('k', source.load);
    await cache.get('k', source.load);
    expect(source.loads()).toBe(2);
  });

  it('drops a withdrawn key in every process, by the time the withdrawing call returns', async () => {
    await twoProcesses(async (here, there) => {
      const source = counting();
      expect(await there.get('key-1', source.load)).toBe('v1');
      expect(await there.get('key-1', source.load)).toBe('v1');
      expect(await there.get('key-2', source.load)).toBe('v2');
      expect(source.loads()).toBe(2);

      await tdb.db.transaction().execute((trx) => here.announce(trx, 'key-1'));
      await here.withdrawn('key-1');
      expect(await there.get('key-1', source.load)).toBe('v3');
      expect(await there.get('key-2', source.load)).toBe('v2');
    });
  });

  it('announces nothing when the withdrawing transaction rolls back', async () => {
    const cache = new CoherentCache<string>(tdb, CHANNEL, 60_000);
    await cache.start();
    try {
      const source = counting();
      await cache.get('k', source.load);
      await expect(
        tdb.db.transaction().execute(async (trx) => {
          await cache.announce(trx, 'k');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await sql`select 1`.execute(tdb.db); // PGlite delivers notifications after a statement
      expect(await cache.get('k', source.load)).toBe('v1');
    } finally {
      await cache.stop();
    }
  });

  it('never stores what a load read before a withdrawal', async () => {
    const cache = new CoherentCache<string>(tdb, CHANNEL, 60_000);
    await cache.start();
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const slow = cache.get('k', async () => {
        await gate;
        return 'stale';
      });
      cache.forget('k');
      release();
      expect(await slow).toBe('stale');
      expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
    } finally {
      await cache.stop();
    }
  });

  it('keeps a derived value until any key is withdrawn, in every process', async () => {
    await twoProcesses(async (here, there) => {
      const source = counting();
      expect(await there.derived('list', source.load)).toBe('v1');
      expect(await there.get('key-1', async () => 'one')).toBe('one');
      expect(await there.derived('list', source.load)).toBe('v1');

      await tdb.db.transaction().execute((trx) => here.announce(trx, 'key-new'));
      await here.withdrawn('key-new');
      expect(await there.derived('list', source.load)).toBe('v2');
      expect(await there.derived('list', source.load)).toBe('v2');
      expect(source.loads()).toBe(2);
    });
  });

  it('stops caching while its listening connection is down, and resumes after reconnecting', async () => {
    if (!tdb.url) return; // PGlite has no separate connection to lose
    const cache = new CoherentCache<string>(tdb, CHANNEL, 60_000);
    await cache.start();
    try {
      const source = counting();
      await cache.get('k', source.load);
      await cache.get('k', source.load);
      expect(source.loads()).toBe(1);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query ilike ${`listen%${CHANNEL}%`}`.execute(tdb.db);
      await waitFor(async () => (await cache.get('k', source.load)) !== 'v1');
      const whileDown = source.loads();
      // Back within a few seconds; then it caches again.
      await waitFor(async () => {
        const a = await cache.get('k', source.load);
        return (await cache.get('k', source.load)) === a;
      });
      expect(source.loads()).toBeGreaterThan(whileDown);
    } finally {
      await cache.stop();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
