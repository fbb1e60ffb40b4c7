import type { Kysely } from 'kysely';
import { digestsEqual, hashSecret } from '../../platform/access';
import { chinaDay, secondsToChinaMidnight } from '../../platform/china-time';
import type { CoherentCache } from '../../platform/db/coherent-cache';
import { Problem } from '../../platform/http/problem';
import type { Message } from '../../platform/i18n/messages';
import { odMessage } from './messages';
import * as store from './opendata.store';

/**
 * Who is calling the open-data API and how much they may still call: developer keys with a
 * daily quota (China's day), and an anonymous pool per address per minute. Counts are kept
 * in memory, so that admitting a call costs no database round trip, and flushed to `od_usage`
 * every few seconds. A key's count for the day is read from there when a process first sees
 * it (a restart does not reset a quota), and read back at every flush: several processes
 * serving one city on one database each learn the others' calls within seconds. A key may
 * overshoot its quota by what the other processes admitted that this one's last flush did not
 * find written yet: a few seconds of calls. (Calls that count against no dataset, a search,
 * are not written: only the process that admitted them knows them.)
 */

/** The key format: `odk_` + 20 hex id + `_` + 43 base64url secret. */
export const KEY_PATTERN = /^odk_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/;

/** A key's calls on a day as this process knows them. */
interface KeyDay {
  day: string;
  /** Counted against the quota: the day's total in `od_usage` when last read, plus `unwritten`. */
  used: number;
  /**
   * Calls this process admitted that day that its flushes have not written: pending, still
   * being served, or never counted against a dataset.
   */
  unwritten: number;
}

/** Calls and downloads of one counter on one dataset, counted on a day and not yet written. */
interface PendingUsage {
  day: string;
  keyId: string;
  datasetId: string;
  calls: number;
  downloads: number;
}

/** The limits of the portal. */
export interface PortalLimits {
  anonymousPerMinute: number;
  /** Calls without a key by a signed-in user (the web app's pages), per user per minute. */
  signedInPerMinute: number;
  defaultDailyQuota: number;
}

/** A caller let in, and the figures for its X-RateLimit headers. */
export interface Admission {
  key: store.KeyRow | null;
  /** Who is counted: the key id, `user:<id>` or `ip:<address>`. */
  counter: string;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

/** The X-RateLimit headers of an admission. */
export function rateLimitHeaders(a: Pick<Admission, 'limit' | 'remaining' | 'reset'>): Record<string, string> {
  return { 'x-ratelimit-limit': String(a.limit), 'x-ratelimit-remaining': String(Math.max(0, a.remaining)), 'x-ratelimit-reset': String(a.reset) };
}

/**
 * Admits or refuses calls, and counts them.
 *
 * @example
 * const a = await access.admit(request.headers, request.ip);
 * reply.headers(rateLimitHeaders(a));
 * access.count(a, 'bus-stops', 'call');
 */
export class PortalAccess {
  /** Calls without a key in the current minute, by `ip:<address>` or `user:<id>`. */
  private readonly perMinute = new Map<string, { window: number; used: number }>();
  private readonly keyUsed = new Map<string, KeyDay>();
  private pending = new Map<string, PendingUsage>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<object>,
    private readonly keys: CoherentCache<store.KeyRow | undefined>,
    readonly limits: PortalLimits,
  ) {}

  /** The key a request carries (X-API-Key, or Authorization: [Bearer] odk_…), if any. */
  static keyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim();
    const fromHeader = one(headers['x-api-key']);
    if (fromHeader) return fromHeader;
    const auth = one(headers.authorization);
    if (auth && /odk_/.test(auth)) return auth.replace(/^Bearer\s+/i, '');
    return undefined;
  }

  /**
   * Admits a call: with a key, a live key under its daily quota; without, the address under
   * the anonymous pool's per-minute limit. Throws 401 for a bad key, 429 (with the headers)
   * when the quota is spent.
   */
  async admit(headers: Record<string, string | string[] | undefined>, ip: string, now = Date.now(), userId?: string): Promise<Admission> {
    const presented = PortalAccess.keyOf(headers);
    // A signed-in user browsing the portal is counted as themselves, not with everyone behind
    // their office's address.
    if (presented === undefined && userId) return this.admitPerMinute(`user:${userId}`, this.limits.signedInPerMinute, odMessage('od.signedInLimit', { limit: this.limits.signedInPerMinute }), now);
    if (presented === undefined) return this.admitPerMinute(`ip:${ip}`, this.limits.anonymousPerMinute, odMessage('od.anonymousLimit', { limit: this.limits.anonymousPerMinute }), now);
    const key = await this.resolve(presented, now);
    if (!key) throw Problem.unauthenticated(odMessage('od.badKey'));
    const day = chinaDay(now);
    const known = this.keyUsed.get(key.id);
    const used = known?.day === day ? known : await this.firstSeen(key.id, day);
    const admission: Admission = { key, counter: key.id, limit: key.daily_quota, remaining: key.daily_quota - used.used - 1, reset: secondsToChinaMidnight(now) };
    if (used.used >= key.daily_quota) throw this.refusal(admission, odMessage('od.quotaSpent', { quota: key.daily_quota }));
    used.used += 1;
    used.unwritten += 1;
    return admission;
  }

  /** Counts an admitted call against a dataset (an API call or a download), on the day it is counted. */
  count(a: Admission, datasetId: string, kind: 'call' | 'download', now = Date.now()): void {
    const day = chinaDay(now);
    const k = `${day}\u0000${a.counter}\u0000${datasetId}`;
    const entry = this.pending.get(k) ?? { day, keyId: a.key ? a.key.id : 'anonymous', datasetId, calls: 0, downloads: 0 };
    if (kind === 'call') entry.calls += 1;
    else entry.downloads += 1;
    this.pending.set(k, entry);
  }

  /**
   * Writes the counted usage to the database, then reads back the day's totals of the keys this
   * process counts (a timer calls this; so do tests). A failed flush loses its batch but not
   * the next ones.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .catch(() => undefined)
      .then(async () => {
        const batch = [...this.pending.values()];
        this.pending = new Map();
        if (batch.length > 0) {
          await this.write(batch);
          this.written(batch);
        }
        await this.refresh(chinaDay());
      });
    return this.flushing;
  }

  /** Adds a batch of counted usage to `od_usage` (per day, key and dataset) and to the datasets' counts. */
  private async write(batch: readonly PendingUsage[]): Promise<void> {
    const merged = new Map<string, PendingUsage>();
    for (const e of batch) {
      const k = `${e.day}\u0000${e.keyId}\u0000${e.datasetId}`;
      const m = merged.get(k) ?? { ...e, calls: 0, downloads: 0 };
      m.calls += e.calls;
      m.downloads += e.downloads;
      merged.set(k, m);
    }
    const perDay = new Map<string, PendingUsage[]>();
    const perDataset = new Map<string, { id: string; calls: number; downloads: number }>();
    for (const e of merged.values()) {
      const rows = perDay.get(e.day) ?? [];
      rows.push(e);
      perDay.set(e.day, rows);
      const d = perDataset.get(e.datasetId) ?? { id: e.datasetId, calls: 0, downloads: 0 };
      d.calls += e.calls;
      d.downloads += e.downloads;
      perDataset.set(e.datasetId, d);
    }
    await this.db.transaction().execute(async (trx) => {
      for (const [day, rows] of perDay) await store.addUsage(trx, day, rows);
      await store.addDatasetCounts(trx, [...perDataset.values()]);
    });
  }

  /**
   * Takes a written batch off the keys' unwritten calls: from now on the database's total holds
   * them. (A call admitted before midnight and counted after is written on the new day, whose
   * unwritten calls never had it: the floor at zero keeps a count from going below the total.)
   */
  private written(batch: readonly PendingUsage[]): void {
    for (const e of batch) {
      const used = this.keyUsed.get(e.keyId);
      if (used?.day === e.day) used.unwritten = Math.max(0, used.unwritten - e.calls - e.downloads);
    }
  }

  /**
   * Sets the count of every key this process holds for `day` to the day's total in `od_usage`
   * (the other processes' written calls with this one's) plus this process's unwritten calls,
   * never lower than it was. Keys only in the database are not read: a process sees a key's
   * total when it first admits it.
   */
  private async refresh(day: string): Promise<void> {
    const held = [...this.keyUsed].filter(([, used]) => used.day === day).map(([id]) => id);
    if (held.length === 0) return;
    const totals = await store.keysCallsOn(this.db, held, day);
    for (const id of held) {
      const used = this.keyUsed.get(id);
      if (used?.day === day) used.used = Math.max(used.used, (totals.get(id) ?? 0) + used.unwritten);
    }
  }

  /**
   * A key's count the first time this process admits it on a day: the day's total in `od_usage`.
   * (Two calls that both read it: the first to finish keeps its count, the other joins it.)
   */
  private async firstSeen(keyId: string, day: string): Promise<KeyDay> {
    const total = await store.keyCallsOn(this.db, keyId, day);
    const meanwhile = this.keyUsed.get(keyId);
    if (meanwhile?.day === day) return meanwhile;
    const used: KeyDay = { day, used: total, unwritten: 0 };
    this.keyUsed.set(keyId, used);
    return used;
  }

  private admitPerMinute(counter: string, limit: number, refused: Message, now: number): Admission {
    const window = Math.floor(now / 60_000);
    let slot = this.perMinute.get(counter);
    if (!slot || slot.window !== window) {
      if (this.perMinute.size > 100_000) this.perMinute.clear();
      slot = { window, used: 0 };
      this.perMinute.set(counter, slot);
    }
    const reset = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
    const admission: Admission = { key: null, counter, limit, remaining: limit - slot.used - 1, reset };
    if (slot.used >= limit) throw this.refusal(admission, refused);
    slot.used += 1;
    return admission;
  }

  private refusal(a: Admission, detail: Message): Problem {
    const problem = Problem.rateLimited(detail, a.reset);
    Object.assign(problem.headers!, rateLimitHeaders({ ...a, remaining: 0 }));
    return problem;
  }

  private async resolve(presented: string, now: number): Promise<store.KeyRow | null> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return null;
    const row = await this.keys.get(match[1]!, () => store.findKey(this.db, match[1]!));
    if (!row || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now)) return null;
    return digestsEqual(row.secret_hash, hashSecret(match[2]!)) ? row : null;
  }
}
