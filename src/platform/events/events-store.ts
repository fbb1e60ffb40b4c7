import { sql, type Kysely, type Transaction } from 'kysely';

/** An event as subscribers receive it. */
export interface StoredEvent {
  seq: number;
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: unknown;
  recordedAt: Date;
}

type AnyDb = Kysely<object> | Transaction<object>;
const SEQUENCE_LOCK_KEY = 0x4c7564616f02;

/** Adds an event to the outbox, in the caller's transaction. */
export async function insertEvent(
  trx: AnyDb,
  e: { aggregateType: string; aggregateId: string; type: string; payload?: unknown },
): Promise<void> {
  await sql`insert into event_outbox (aggregate_type, aggregate_id, type, payload)
    values (${e.aggregateType}, ${e.aggregateId}, ${e.type}, ${JSON.stringify(e.payload ?? null)})`.execute(trx);
}

/**
 * Numbers committed, unnumbered events after the highest number given so far. The advisory
 * lock makes numbering serial across processes, so a cursor on `seq` never skips an event
 * that committed late. Returns how many were numbered (-1: another process is numbering).
 */
export async function sequenceEvents(db: Kysely<object>, limit: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows: lock } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEQUENCE_LOCK_KEY}) as ok`.execute(trx);
    if (!lock[0]?.ok) return -1;
    const result = await sql`
      with head as (select coalesce(max(seq), 0) as s from event_outbox),
      todo as (select id, row_number() over (order by id) as n from event_outbox where seq is null order by id limit ${limit})
      update event_outbox e set seq = head.s + todo.n from todo, head where e.id = todo.id`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}

/** Makes sure a subscriber has a cursor (a new one starts before the first event). */
export async function ensureCursor(db: AnyDb, subscriber: string): Promise<void> {
  await sql`insert into event_cursor (subscriber) values (${subscriber}) on conflict do nothing`.execute(db);
}

/** Takes the subscriber's lease if free, due and not backing off; returns its position. */
export async function leaseCursor(db: AnyDb, subscriber: string, owner: string, seconds: number): Promise<{ lastSeq: number; failures: number } | undefined> {
  const { rows } = await sql<{ last_seq: number; failures: number }>`
    update event_cursor set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${seconds})
    where subscriber = ${subscriber}
      and (lease_until is null or lease_until < now() or lease_owner = ${owner})
      and (retry_at is null or retry_at <= now())
    returning last_seq, failures`.execute(db);
  const row = rows[0];
  return row ? { lastSeq: row.last_seq, failures: row.failures } : undefined;
}

/** Events after `afterSeq`, in order. */
export async function listEventsAfter(db: AnyDb, afterSeq: number, limit: number): Promise<StoredEvent[]> {
  const { rows } = await sql<{ seq: number; aggregate_type: string; aggregate_id: string; type: string; payload: unknown; recorded_at: Date }>`
    select seq, aggregate_type, aggregate_id, type, payload, recorded_at from event_outbox
    where seq > ${afterSeq} order by seq limit ${limit}`.execute(db);
  return rows.map((r) => ({ seq: r.seq, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, type: r.type, payload: r.payload, recordedAt: r.recorded_at }));
}

/** Moves the cursor past a delivered event and clears any failure state. */
export async function advanceCursor(db: AnyDb, subscriber: string, owner: string, seq: number): Promise<void> {
  await sql`update event_cursor set last_seq = ${seq}, failures = 0, retry_at = null, last_error = null
    where subscriber = ${subscriber} and lease_owner = ${owner}`.execute(db);
}

/** Records a failed delivery and when to try again; releases the lease. */
export async function failCursor(db: AnyDb, subscriber: string, owner: string, error: string, retryInMs: number): Promise<void> {
  await sql`update event_cursor set failures = failures + 1, last_error = ${error.slice(0, 2000)},
      retry_at = now() + make_interval(secs => ${retryInMs / 1000}), lease_owner = null, lease_until = null
    where subscriber = ${subscriber} and lease_owner = ${owner}`.execute(db);
}

/** Gives the lease back. */
export async function releaseCursor(db: AnyDb, subscriber: string, owner: string): Promise<void> {
  await sql`update event_cursor set lease_owner = null, lease_until = null where subscriber = ${subscriber} and lease_owner = ${owner}`.execute(db);
}

/** Where each subscriber stands, for operators. */
export async function listCursors(db: AnyDb): Promise<{ subscriber: string; last_seq: number; failures: number; last_error: string | null }[]> {
  const { rows } = await sql<{ subscriber: string; last_seq: number; failures: number; last_error: string | null }>`
    select subscriber, last_seq, failures, last_error from event_cursor order by subscriber`.execute(db);
  return rows;
}

/**
 * Deletes sequenced events that every subscriber has passed and that are older than
 * `olderThanSeconds` (a subscriber registered later starts at the oldest event kept);
 * returns how many went.
 */
export async function pruneDelivered(db: AnyDb, olderThanSeconds: number, limit: number): Promise<number> {
  const result = await sql`delete from event_outbox where id in (
      select id from event_outbox
      where seq is not null and seq <= (select coalesce(min(last_seq), 0) from event_cursor)
        and recorded_at < now() - make_interval(secs => ${olderThanSeconds})
      order by seq limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
