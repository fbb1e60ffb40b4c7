import type { Kysely } from 'kysely';
import { digestsEqual, hashSecret } from '../../platform/access';
import { chinaDay, secondsToChinaMidnight } from '../../platform/china-time';
import type { CoherentCache } from '../../platform/db/coherent-cache';
import { Problem } from '../../platform/http/problem';
import * as store from './opendata.store';

/**
 * Who is calling the open-data API and how much they may still call: developer keys with a
 * daily quota (China's day), and an anonymous pool per address per minute. Counts are kept
 * in memory and flushed to `od_usage` every few seconds; a key's count for the day is read
 * back from there when a process first sees it, so a restart does not reset a quota.
 * (Several processes each count their own calls between flushes: a key may overshoot by what
 * the others counted since their last flush.)
 */

/** The key format: `odk_` + 20 hex id + `_` + 43 base64url secret. */
export const KEY_PATTERN = /^odk_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/;

/** The limits of the portal. */
export interface PortalLimits {
  anonymousPerMinute: number;
  defaultDailyQuota: number;
}

/** A caller let in, and the figures for its X-RateLimit headers. */
export interface Admission {
  key: store.KeyRow | null;
  /** Who is counted: the key id, or `ip:<address>`. */
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
  private readonly anonymous = new Map<string, { window: number; used: number }>();
  private readonly keyUsed = new Map<string, { day: string; used: number }>();
  private pending = new Map<string, { keyId: string; datasetId: string; calls: number; downloads: number }>();
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
  async admit(headers: Record<string, string | string[] | undefined>, ip: string, now = Date.now()): Promise<Admission> {
    const presented = PortalAccess.keyOf(headers);
    if (presented === undefined) return this.admitAnonymous(ip, now);
    const key = await this.resolve(presented, now);
    if (!key) throw Problem.unauthenticated('This API key is not valid: it is unknown, revoked or expired');
    const day = chinaDay(now);
    let used = this.keyUsed.get(key.id);
    if (!used || used.day !== day) {
      used = { day, used: await store.keyCallsOn(this.db, key.id, day) };
      this.keyUsed.set(key.id, used);
    }
    const admission: Admission = { key, counter: key.id, limit: key.daily_quota, remaining: key.daily_quota - used.used - 1, reset: secondsToChinaMidnight(now) };
    if (used.used >= key.daily_quota) throw this.refusal(admission, `This key's daily quota of ${key.daily_quota} calls is spent; it resets at midnight (China time)`);
    used.used += 1;
    return admission;
  }

  /** Counts an admitted call against a dataset (an API call or a download). */
  count(a: Admission, datasetId: string, kind: 'call' | 'download'): void {
    const k = `${a.counter}\u0000${datasetId}`;
    const entry = this.pending.get(k) ?? { keyId: a.key ? a.key.id : 'anonymous', datasetId, calls: 0, downloads: 0 };
    if (kind === 'call') entry.calls += 1;
    else entry.downloads += 1;
    this.pending.set(k, entry);
  }

  /** Writes the counted usage to the database (a timer calls this; so do tests). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      const merged = new Map<string, { keyId: string; datasetId: string; calls: number; downloads: number }>();
      for (const e of batch) {
        const k = `${e.keyId}\u0000${e.datasetId}`;
        const m = merged.get(k) ?? { ...e, calls: 0, downloads: 0 };
        m.calls += e.calls;
        m.downloads += e.downloads;
        merged.set(k, m);
      }
      const perDataset = new Map<string, { id: string; calls: number; downloads: number }>();
      for (const e of merged.values()) {
        const d = perDataset.get(e.datasetId) ?? { id: e.datasetId, calls: 0, downloads: 0 };
        d.calls += e.calls;
        d.downloads += e.downloads;
        perDataset.set(e.datasetId, d);
      }
      await this.db.transaction().execute(async (trx) => {
        await store.addUsage(trx, chinaDay(), [...merged.values()]);
        await store.addDatasetCounts(trx, [...perDataset.values()]);
      });
    });
    return this.flushing;
  }

  private admitAnonymous(ip: string, now: number): Admission {
    const window = Math.floor(now / 60_000);
    const limit = this.limits.anonymousPerMinute;
    let slot = this.anonymous.get(ip);
    if (!slot || slot.window !== window) {
      if (this.anonymous.size > 100_000) this.anonymous.clear();
      slot = { window, used: 0 };
      this.anonymous.set(ip, slot);
    }
    const reset = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
    const admission: Admission = { key: null, counter: `ip:${ip}`, limit, remaining: limit - slot.used - 1, reset };
    if (slot.used >= limit) throw this.refusal(admission, `Calls without an API key are limited to ${limit} a minute per address: register and create a free key for more`);
    slot.used += 1;
    return admission;
  }

  private refusal(a: Admission, detail: string): Problem {
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
