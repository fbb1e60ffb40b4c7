import { hash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GroupCommit } from '../../platform/db/group-commit';
import { listEntriesByAction, type AuditLog } from '../../platform/audit';
import * as store from './exchange.store';
import { chinaDay } from '../../platform/china-time';
import { storeMessage, type Message } from '../../platform/i18n';

/** One call as the data plane reports it (the log adds its place and hash). */
export type CallRecord = Omit<store.CallRow, 'log_batch' | 'log_position' | 'row_hash'>;

/**
 * A call's reason as the log stores it: the English words, and the message's code and
 * parameters so that the log reads in each reader's language (ADR 0020).
 *
 * @example
 * await callLog.write({ ...call, ...callReason(xcMessage('xc.hook.answered', { status: 500 })) });
 */
export function callReason(message: Message | null): Pick<CallRecord, 'reason' | 'reason_code' | 'reason_params'> {
  const { text, code, params } = storeMessage(message);
  return { reason: text, reason_code: code, reason_params: params };
}

/** The audit action whose entries hold the digest of each batch of logged calls. */
export const CALLS_LOGGED_ACTION = 'exchange.calls.logged';

/** What walking the call log against the audit chain found. */
export interface CallLogVerification {
  ok: boolean;
  batches: number;
  calls: number;
  firstProblem?: { batch: string; message: string };
}


// The columns a row's hash covers, in the log's fixed column order: all but the hash itself.
// The reason's code and parameters, added later, count only in rows that have a code, so that
// rows logged before them hash as they did.
const LATER_COLUMNS: readonly string[] = ['reason_code', 'reason_params'];
const HASHED_COLUMNS = store.CALL_COLUMNS.map(([column]) => column as string).filter((column) => column !== 'row_hash' && !LATER_COLUMNS.includes(column));
const HASHED_WITH_CODE = [...HASHED_COLUMNS, ...LATER_COLUMNS];
// What a row without a code sends in place of the later columns (the hash follows them).
const NO_CODE = LATER_COLUMNS.map(() => 'null').join(',');

/**
 * The text a call row's hash covers: every column but its own hash, as a JSON array in the
 * log's fixed column order (times as ISO 8601 text, absent values as null), the reason's code
 * and parameters only when it has a code. The times are turned to text first: JSON.stringify
 * of a Date is several times slower than of its text.
 */
export function callRowText(row: Omit<store.CallRow, 'row_hash'>): string {
  const values = row as unknown as Record<string, unknown>;
  return JSON.stringify(
    (row.reason_code == null ? HASHED_COLUMNS : HASHED_WITH_CODE).map((column) => {
      const value = values[column];
      return value instanceof Date ? value.toISOString() : (value ?? null);
    }),
  );
}

/** The digest of one call row: SHA-256 of `callRowText(row)`. */
export function callRowHash(row: Omit<store.CallRow, 'row_hash'>): string {
  return hash('sha256', callRowText(row));
}

function batchDigest(rowHashes: readonly string[]): string {
  return hash('sha256', rowHashes.join('\n'));
}

/**
 * The exchange's call log. Calls are group-committed: concurrent calls share one statement
 * that inserts their rows (into the day partitions, created as days come) together with one
 * audit entry holding the batch's digest, so the chained audit log vouches for every call,
 * refused ones included, and a changed, removed or added call row is found by `verify()`.
 * `write` resolves once the call is stored; the data plane answers only after that.
 *
 * @example
 * const log = new CallLog(db, audit);
 * await log.write(call);
 * (await log.verify()).ok; // true
 */
export class CallLog {
  private readonly pending = new GroupCommit<CallRecord>((calls) => this.store(calls), 2000);
  private readonly knownDays = new Set<string>();

  constructor(
    private readonly db: Kysely<object>,
    private readonly audit: AuditLog,
  ) {}

  /** Stores one call (batched with concurrent ones); resolves when it is committed. */
  write(call: CallRecord): Promise<void> {
    return this.pending.add(call);
  }

  /** Waits until everything written so far is stored. */
  drain(): Promise<void> {
    return this.pending.drain();
  }

  private async store(calls: CallRecord[]): Promise<void> {
    const logBatch = randomUUID();
    // Each row as hashed, then sent as that same JSON array (with nulls for a reason code it
    // has not) and its hash appended.
    const hashes: string[] = [];
    const texts = calls.map((call, i) => {
      const text = callRowText({ ...call, log_batch: logBatch, log_position: i });
      const rowHash = hash('sha256', text);
      hashes.push(rowHash);
      return call.reason_code == null ? `${text.slice(0, -1)},${NO_CODE},"${rowHash}"]` : `${text.slice(0, -1)},"${rowHash}"]`;
    });
    const days = [...new Set(calls.map((c) => chinaDay(c.received_at)))].filter((d) => !this.knownDays.has(d));
    if (days.length > 0) await store.ensureCallPartitions(this.db, days);
    // The rows and the audit entry vouching for them: one statement, stored together or not at all.
    await this.audit.appendWith(this.db, store.insertCallsStatement(`[${texts.join(',')}]`), {
      action: CALLS_LOGGED_ACTION,
      actor: { type: 'platform', id: 'exchange' },
      subject: { type: 'xc_call_batch', id: logBatch },
      detail: { count: calls.length, digest: batchDigest(hashes), firstReceivedAt: calls[0]!.received_at.toISOString() },
    });
    for (const d of days) this.knownDays.add(d);
    // No kick: the digest is durable in audit_pending with the calls, and the background
    // chainer links it within a second. Kicking per batch cost a chain round per batch.
  }

  /**
   * Checks every batch of calls against the digest its audit entry holds: each row's own
   * hash, the batch's rows and their order, and that no row sits in a batch the audit log
   * never vouched for. Chains pending audit entries first.
   */
  async verify(): Promise<CallLogVerification> {
    await this.audit.chainPending();
    let batches = 0;
    let calls = 0;
    let after = 0;
    for (;;) {
      const entries = await listEntriesByAction(this.db, CALLS_LOGGED_ACTION, after, 500);
      if (entries.length === 0) break;
      for (const entry of entries) {
        after = entry.seq;
        const batch = entry.subject_id!;
        const detail = entry.detail as { count: number; digest: string };
        const rows = await store.listCallBatch(this.db, batch);
        const fail = (message: string): CallLogVerification => ({ ok: false, batches, calls, firstProblem: { batch, message } });
        for (const row of rows) {
          const { row_hash, ...rest } = row;
          if (callRowHash(rest) !== row_hash) return fail(`call ${row.id} was changed after it was logged`);
        }
        if (rows.length !== detail.count) return fail(`batch ${batch} holds ${rows.length} calls; the audit log vouches for ${detail.count}`);
        if (batchDigest(rows.map((r) => r.row_hash)) !== detail.digest) return fail(`batch ${batch} does not match its digest in audit entry ${entry.seq}`);
        batches += 1;
        calls += rows.length;
      }
    }
    const total = await store.countCalls(this.db);
    if (total !== calls) return { ok: false, batches, calls, firstProblem: { batch: '-', message: `${total - calls} logged calls belong to no batch the audit log vouches for` } };
    return { ok: true, batches, calls };
  }
}
