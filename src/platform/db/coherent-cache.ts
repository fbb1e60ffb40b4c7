import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database';

// How long after its own echo a withdrawing call waits for other processes to read theirs.
const ECHO_GRACE_MS = 10;
// An announced withdrawal nobody awaited (its transaction rolled back) is forgotten after this.
const ECHO_FORGET_MS = 10_000;

/**
 * A per-process cache of things that can be withdrawn (API keys, exchange channels) and must be
 * refused on the very next use once they are.
 *
 * The rule it keeps: a withdrawal commits together with `announce(trx, key)`, which sends
 * `NOTIFY` (delivered to every process at commit); every process drops the key when it hears
 * it, and this process drops it right after its own commit (`withdrawn`). While the LISTEN
 * connection is down, notifications could be missed, so the cache is bypassed and cleared: a
 * lost connection costs speed, never correctness. A load that started before a withdrawal
 * never stores its (stale) answer: every drop bumps a generation the load checks.
 *
 * Entries also expire after `ttlMs`, and a caller can reject a cached value (its own expiry).
 * A value derived from many keys (a list of the things cached) is kept with `derived`: it is
 * reused until any key is dropped, so one listener serves both.
 *
 * @example
 * const keys = new CoherentCache<KeyRow | undefined>(database, 'ludao_api_key', 60_000);
 * await keys.start();
 * const row = await keys.get(id, () => store.findApiKey(db, id));
 * // when revoking:
 * await db.transaction().execute(async (trx) => { await store.revoke(trx, id); await keys.announce(trx, id); });
 * await keys.withdrawn(id);
 */
export class CoherentCache<V> {
  private readonly entries = new Map<string, { value: V; storedAt: number }>();
  private readonly derivedValues = new Map<string, { value: unknown; storedAt: number; generation: number }>();
  private generation = 0;
  private listening = false;
  private stopListening: (() => Promise<void>) | undefined;
  // Withdrawals this process announced, until their notification comes back from the server.
  private readonly echoes = new Map<string, { heard: boolean; waiters: (() => void)[] }>();

  constructor(
    private readonly database: Pick<Database, 'listen'>,
    /** The NOTIFY channel; one per kind of thing cached. */
    readonly channel: string,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** Starts listening; until then (and whenever the connection is down) nothing is cached. */
  async start(): Promise<void> {
    this.stopListening = await this.database.listen(this.channel, {
      message: (key) => {
        this.forget(key);
        const echo = this.echoes.get(key);
        if (echo) {
          echo.heard = true;
          for (const done of echo.waiters.splice(0)) done();
        }
      },
      ready: () => {
        this.clear(); // anything withdrawn while we were deaf is gone
        this.listening = true;
      },
      lost: () => {
        this.listening = false;
        this.clear();
      },
    });
  }

  /** Stops listening and empties the cache. */
  async stop(): Promise<void> {
    this.listening = false;
    this.clear();
    await this.stopListening?.();
    this.stopListening = undefined;
  }

  /** The cached value for `key`, else the loaded one (cached when nothing was withdrawn meanwhile). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.listening && Date.now() - hit.storedAt < this.ttlMs) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (this.listening && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, storedAt: Date.now() });
    }
    return value;
  }

  /**
   * A value derived from the things this cache stands for (say, which of them exist), loaded
   * again once any key is dropped here or in another process, the cache is cleared, or
   * `ttlMs` passed. The withdrawal of any key announces a change of it.
   *
   * @example
   * const codes = await resources.derived('codes', () => store.listCodes(db));
   */
  async derived<D>(name: string, load: () => Promise<D>): Promise<D> {
    const hit = this.derivedValues.get(name);
    if (hit && this.listening && hit.generation === this.generation && Date.now() - hit.storedAt < this.ttlMs) return hit.value as D;
    const generation = this.generation;
    const value = await load();
    if (this.listening && generation === this.generation) this.derivedValues.set(name, { value, storedAt: Date.now(), generation });
    return value;
  }

  /** Sends the withdrawal of `key` to every process when `trx` commits. */
  async announce(trx: Transaction<object> | Kysely<object>, key: string): Promise<void> {
    // Expect the echo before sending: PGlite delivers it while the commit is still running.
    if (!this.echoes.has(key)) {
      this.echoes.set(key, { heard: false, waiters: [] });
      setTimeout(() => this.echoes.delete(key), ECHO_FORGET_MS).unref(); // rolled back, or never awaited
    }
    await sql`select pg_notify(${this.channel}, ${key})`.execute(trx);
  }

  /**
   * After the withdrawing transaction committed: drops `key` here, then waits (at most
   * `timeoutMs`) until this process hears its own notification back from the server. The
   * server signals every listening process at the same moment, so once the echo is here (plus
   * a grace of a few milliseconds for the others to read theirs) a caller told "revoked" is
   * refused everywhere on its next call. Without a round trip per use no cache can promise
   * more; ADR 0010 weighs it.
   */
  async withdrawn(key: string, timeoutMs = 2000): Promise<void> {
    this.forget(key);
    const echo = this.echoes.get(key);
    if (!this.listening || !echo) return;
    if (!echo.heard) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        echo.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.echoes.delete(key);
    // The other processes' copies left the server with ours; give them a moment to be read.
    await new Promise((r) => setTimeout(r, ECHO_GRACE_MS));
  }

  /** Drops `key` here. */
  forget(key: string): void {
    this.generation += 1;
    this.entries.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.derivedValues.clear();
  }
}
