import type { Kysely, RawBuilder, Transaction } from 'kysely';
import { GroupCommit } from '../db/group-commit';
import type { ShapedStatement } from '../db/prepared';
import { chainHash, GENESIS_HASH, SM3_AVAILABLE, type ChainedFields } from './audit-hash';
import {
  countPending,
  findChainHead,
  insertEntries,
  insertPending,
  insertPendingWith,
  listEntriesAfter,
  selectWithPending,
  takePending,
  tryLockChain,
  type AuditEntryRow,
  type PendingBody,
  type PendingFromRows,
} from './audit-store';
import { toStorableValue } from '../storable-text';

/** Who acted. `platform` is Ludao itself (migrations, seeding, background work). */
export interface AuditActor {
  type: 'user' | 'system' | 'platform' | 'anonymous';
  id?: string | null;
  org?: string | null;
}

/** One thing that happened, as a service describes it. */
export interface AuditEvent {
  /** Dotted verb, module first: `identity.login`, `identity.api_key.create`. */
  action: string;
  actor: AuditActor;
  subject?: { type: string; id: string };
  /** The person or legal person whose data was used (ID number or credit code). */
  dataSubject?: string | null;
  purpose?: string | null;
  caseId?: string | null;
  requestId?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown>;
}

/** The outcome of walking the chain. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  pending: number;
  head: { seq: number; hash: string } | null;
  /** The first entry found wrong, and how. */
  firstProblem?: { seq: number; problem: 'changed' | 'missing' | 'out_of_order'; message: string };
}

/**
 * The append-only, hash-chained audit log.
 *
 * A change and its audit entry commit together: `append(trx, …)` writes the entry into the
 * change's transaction, as a pending entry. Reads that change nothing use `record(…)`, which
 * batches concurrent callers (group commit) and appends them to the chain directly, in one
 * INSERT, resolving once they are stored. The chainer gives pending entries their place in the
 * chain. `seq` being the primary key is what keeps the chain one chain across processes.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await createUser(trx, user);
 *   await audit.append(trx, { action: 'identity.user.create', actor, subject: { type: 'user', id } });
 * });
 */
export class AuditLog {
  // Reads recorded concurrently are chained straight from memory, one INSERT per batch.
  private readonly reads = new GroupCommit<{ recorded_at: Date; body: PendingBody }>((rows) => this.serially(() => this.appendAfterHead(rows)));
  private timer: NodeJS.Timeout | undefined;
  private chaining: Promise<number> | undefined;
  private chainTail: Promise<unknown> = Promise.resolve();
  // The chain's last entry as this process last wrote or read it (possibly stale; see appendAfterHead).
  private head: ChainHead | undefined;
  private stopped = true;

  constructor(private readonly db: Kysely<object>) {}

  /** Writes an entry inside the transaction of the change it records. */
  async append(trx: Transaction<object>, event: AuditEvent): Promise<void> {
    await insertPending(trx, [toPending(event)]);
  }

  /**
   * Stores `change` and an entry recording it in one statement (a data-modifying WITH): both
   * or neither, as in a transaction, without a transaction's three extra round trips. For hot
   * paths whose change is a single statement (the exchange's call log). The statement is
   * prepared: `change` must keep one text, with its values as parameters.
   *
   * @example
   * await audit.appendWith(db, sql`insert into xc_call …`, { action: 'exchange.calls.logged', actor, detail });
   */
  async appendWith(db: Kysely<object>, change: RawBuilder<unknown>, event: AuditEvent): Promise<void> {
    await insertPendingWith(db, change, toPending(event));
  }

  /**
   * Runs a read and stores an entry recording it, in one statement: the entry is stored before
   * the rows come back, in one round trip where `record` after the read takes two. The entry
   * is chained soon after, as a change's is. By default it is stored only when the read found
   * rows; `from` can take its data subject and detail from the rows (see `PendingFromRows`).
   * The read is a `ShapedStatement`: the statement is built and compiled once per shape.
   *
   * @example
   * const byKey = { shape: 't by key', parameters: [key], build: () => sql`select … from t where _key = ${key}` };
   * const rows = await audit.readWith(db, byKey, { action: 'datacentre.record.read', actor }, { subjectColumn: '_subject' });
   */
  async readWith<R>(db: Kysely<object>, read: ShapedStatement<R>, event: AuditEvent, from: PendingFromRows = {}): Promise<R[]> {
    return selectWithPending(db, read, toPending(event), from);
  }

  /** Stores an entry outside any transaction; concurrent calls share one insert. */
  record(event: AuditEvent): Promise<void> {
    const { recordedAt, body } = toPending(event);
    return this.reads.add({ recorded_at: recordedAt, body });
  }

  /**
   * Moves pending entries into the chain until none are left; returns how many it chained.
   * Returns 0 at once if another process is chaining.
   */
  async chainPending(batchSize = 2000): Promise<number> {
    // One chainer run per process at a time; callers share the run in progress.
    if (this.chaining) return this.chaining;
    this.chaining = (async () => {
      let total = 0;
      for (let conflicts = 0; ; ) {
        let n: number;
        try {
          n = await this.serially(() => this.chainTakenPending(batchSize));
        } catch (error) {
          // Another process appended at the same place first; read the head again and retry.
          if (!isUniqueViolation(error) || ++conflicts > MAX_CONFLICTS) throw error;
          this.head = undefined;
          continue;
        }
        if (n <= 0) return total;
        total += n;
      }
    })().finally(() => (this.chaining = undefined));
    return this.chaining;
  }

  // Chain extensions from this process run one after another, so they never collide among
  // themselves; against other processes, the primary key on seq decides (see appendAfterHead).
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chainTail.then(work, work);
    this.chainTail = run.catch(() => undefined);
    return run;
  }

  /**
   * Appends entries after the head this process last saw, in one autocommitted INSERT. The
   * rule that keeps the chain a chain: `seq` is the primary key, and a batch always starts at
   * (a real entry's seq) + 1 with that entry's hash. If another process appended meanwhile,
   * our first seq is taken, the whole INSERT fails on the key, and we read the head and
   * retry: the chain can neither fork nor gain a gap.
   */
  private async appendAfterHead(entries: { recorded_at: Date; body: PendingBody }[]): Promise<void> {
    for (let conflicts = 0; ; ) {
      const head = this.head ?? toHead(await findChainHead(this.db));
      const { rows, last } = link(head, entries);
      try {
        await insertEntries(this.db, rows);
        this.head = last;
        return;
      } catch (error) {
        this.head = undefined;
        if (!isUniqueViolation(error) || ++conflicts > MAX_CONFLICTS) throw error;
      }
    }
  }

  /**
   * In one transaction holding the chainer's lock (one mover of pending entries across all
   * processes): takes pending entries and appends them after the head. Returns how many it
   * appended, or -1 if another process holds the lock.
   */
  private async chainTakenPending(batchSize: number): Promise<number> {
    const result = await this.db.transaction().execute(async (trx) => {
      if (!(await tryLockChain(trx))) return -1;
      const pending = await takePending(trx, batchSize);
      if (pending.length === 0) return 0;
      const { rows, last } = link(toHead(await findChainHead(trx)), pending);
      await insertEntries(trx, rows);
      return { n: rows.length, last };
    });
    if (typeof result === 'number') return result;
    this.head = result.last;
    return result.n;
  }

  /** Starts chaining in the background: soon after each write, and every `intervalMs`. */
  start(intervalMs = 1000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  /** Asks the background chainer to run soon (after a commit that appended entries). */
  kick(): void {
    if (this.stopped || this.chaining) return;
    setImmediate(() => void this.chainPending().catch(() => undefined));
  }

  /** Stops the background chainer after flushing and chaining what is queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.reads.drain();
    await this.chainPending().catch(() => undefined);
  }

  /**
   * Walks the whole chain and recomputes every hash. Names the first entry that was changed,
   * removed, or put out of order. Pending entries are chained first.
   */
  async verify(): Promise<AuditVerification> {
    await this.chainPending();
    let expectedSeq = 1;
    let prev = GENESIS_HASH;
    let prevSm3 = GENESIS_HASH;
    let entries = 0;
    let last: AuditEntryRow | undefined;
    const fail = (seq: number, problem: 'changed' | 'missing' | 'out_of_order', message: string): AuditVerification => ({
      ok: false,
      entries,
      pending: 0,
      head: last ? { seq: last.seq, hash: last.hash } : null,
      firstProblem: { seq, problem, message },
    });
    for (;;) {
      const page = await listEntriesAfter(this.db, expectedSeq - 1, 5000);
      if (page.length === 0) break;
      for (const row of page) {
        if (row.seq !== expectedSeq) {
          return fail(expectedSeq, 'missing', `entry ${expectedSeq} is missing (next present is ${row.seq})`);
        }
        if (row.prev_hash !== prev) {
          return fail(row.seq, 'out_of_order', `entry ${row.seq} does not follow entry ${row.seq - 1} (its prev_hash does not match)`);
        }
        const fields = toChainedFields(row.seq, row.recorded_at, row);
        if (chainHash('sha256', prev, fields) !== row.hash) {
          return fail(row.seq, 'changed', `entry ${row.seq} was changed after it was written (SHA-256 mismatch)`);
        }
        if (row.hash_sm3 !== null && SM3_AVAILABLE && chainHash('sm3', prevSm3, fields) !== row.hash_sm3) {
          return fail(row.seq, 'changed', `entry ${row.seq} was changed after it was written (SM3 mismatch)`);
        }
        prev = row.hash;
        if (row.hash_sm3) prevSm3 = row.hash_sm3;
        expectedSeq += 1;
        entries += 1;
        last = row;
      }
    }
    return { ok: true, entries, pending: await countPending(this.db), head: last ? { seq: last.seq, hash: last.hash } : null };
  }
}

/** The last entry of the chain: where the next one attaches. */
interface ChainHead {
  seq: number;
  hash: string;
  hashSm3: string;
}

// Retries after losing a race for the same seq to another process, before giving up.
const MAX_CONFLICTS = 20;

function toHead(row: { seq: number; hash: string; hash_sm3: string | null } | undefined): ChainHead {
  return row ? { seq: row.seq, hash: row.hash, hashSm3: row.hash_sm3 ?? GENESIS_HASH } : { seq: 0, hash: GENESIS_HASH, hashSm3: GENESIS_HASH };
}

// Gives entries their seq and hashes after `head`.
function link(head: ChainHead, entries: { recorded_at: Date; body: PendingBody }[]) {
  let { seq, hash: prev, hashSm3: prevSm3 } = head;
  const rows = entries.map((p) => {
    seq += 1;
    const fields = toChainedFields(seq, p.recorded_at, p.body);
    const hash = chainHash('sha256', prev, fields);
    const hashSm3 = SM3_AVAILABLE ? chainHash('sm3', prevSm3, fields) : null;
    const row = { ...p.body, seq, recorded_at: p.recorded_at, prev_hash: prev, hash, hash_sm3: hashSm3 };
    prev = hash;
    if (hashSm3) prevSm3 = hashSm3;
    return row;
  });
  return { rows, last: { seq, hash: prev, hashSm3: prevSm3 } };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

function toPending(event: AuditEvent): { recordedAt: Date; body: PendingBody } {
  return {
    recordedAt: new Date(),
    // An entry may quote what a caller sent (a field name, a reason): a NUL or a lone surrogate
    // in it is kept as U+FFFD, so that storing the entry cannot fail on it.
    body: toStorableValue({
      action: event.action,
      actor_type: event.actor.type,
      actor_id: event.actor.id ?? null,
      actor_org: event.actor.org ?? null,
      subject_type: event.subject?.type ?? null,
      subject_id: event.subject?.id ?? null,
      data_subject: event.dataSubject ?? null,
      purpose: event.purpose ?? null,
      case_id: event.caseId ?? null,
      request_id: event.requestId ?? null,
      outcome: event.outcome ?? 'ok',
      detail: event.detail ?? {},
    }),
  };
}

function toChainedFields(seq: number, recordedAt: Date, b: PendingBody): ChainedFields {
  return {
    seq,
    recordedAt: new Date(recordedAt).toISOString(),
    action: b.action,
    actorType: b.actor_type,
    actorId: b.actor_id,
    actorOrg: b.actor_org,
    subjectType: b.subject_type,
    subjectId: b.subject_id,
    dataSubject: b.data_subject,
    purpose: b.purpose,
    caseId: b.case_id,
    requestId: b.request_id,
    outcome: b.outcome,
    detail: b.detail,
  };
}
