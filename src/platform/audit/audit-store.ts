import { sql, type Generated, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { executePrepared, executePreparedShape, type ShapedStatement } from '../db/prepared';

/** Rows as the audit tables hold them. */
export type AuditTables = {
  audit_pending: { id: Generated<number>; recorded_at: Date; body: unknown };
  audit_entry: Omit<AuditEntryRow, 'chained_at'> & { chained_at: Generated<Date> };
};

/** One chained entry, as stored. */
export interface AuditEntryRow {
  seq: number;
  recorded_at: Date;
  chained_at: Date;
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_org: string | null;
  subject_type: string | null;
  subject_id: string | null;
  data_subject: string | null;
  purpose: string | null;
  case_id: string | null;
  request_id: string | null;
  outcome: string;
  detail: unknown;
  prev_hash: string;
  hash: string;
  hash_sm3: string | null;
}

/** What a pending entry's jsonb body holds (every chained column but seq and the hashes). */
export type PendingBody = Omit<AuditEntryRow, 'seq' | 'recorded_at' | 'chained_at' | 'prev_hash' | 'hash' | 'hash_sm3'>;

/** One constant key for the chainer's advisory lock: one chainer at a time, across processes. */
export const CHAIN_LOCK_KEY = 0x4c7564616f01; // "Ludao" + 1

type AnyDb = Kysely<object> | Transaction<object>;
const tables = (db: AnyDb) => db.withTables<AuditTables>();

/** Adds pending entries (in the caller's transaction, or on their own). */
export async function insertPending(db: AnyDb, rows: { recordedAt: Date; body: PendingBody }[]): Promise<void> {
  if (rows.length === 0) return;
  await tables(db)
    .insertInto('audit_pending')
    .values(rows.map((r) => ({ recorded_at: r.recordedAt, body: JSON.stringify(r.body) })))
    .execute();
}

/**
 * Runs `change` and inserts one pending entry in a single statement (a data-modifying WITH).
 * Prepared, so the change's text must be stable: its values travel as parameters.
 */
export async function insertPendingWith(db: Kysely<object>, change: RawBuilder<unknown>, row: { recordedAt: Date; body: PendingBody }): Promise<void> {
  await executePrepared(db, sql`with change as (${change}) insert into audit_pending (recorded_at, body) values (${row.recordedAt}, ${JSON.stringify(row.body)}::jsonb)`);
}

/** How `selectWithPending` fills in the entry from the rows read. */
export interface PendingFromRows {
  /** The column of the first row that is the entry's `data_subject`. */
  subjectColumn?: string;
  /** A jsonb expression over the rows read (`rows`, a relation) that becomes the entry's `detail`. */
  detail?: (rows: RawBuilder<unknown>) => RawBuilder<unknown>;
  /** Insert the entry even when the read found nothing (by default, only when it found rows). */
  evenWhenEmpty?: boolean;
}

/**
 * Runs `read` and inserts one pending entry, in a single statement (see `PendingFromRows`),
 * prepared and built once per shape of the read and options (`executePreparedShape`).
 */
export async function selectWithPending<R>(db: Kysely<object>, read: ShapedStatement<R>, row: { recordedAt: Date; body: PendingBody }, from: PendingFromRows = {}): Promise<R[]> {
  const bodyJson = JSON.stringify(row.body);
  const build = () => {
    const body = [sql`${bodyJson}::jsonb`];
    if (from.subjectColumn) body.push(sql`jsonb_build_object('data_subject', (select ${sql.ref(from.subjectColumn)} from r limit 1))`);
    if (from.detail) body.push(sql`jsonb_build_object('detail', ${from.detail(sql`r`)})`);
    return sql<R>`with r as (${read.build()}),
      entry as (insert into audit_pending (recorded_at, body) select ${row.recordedAt}, ${sql.join(body, sql` || `)} ${from.evenWhenEmpty ? sql`` : sql`where exists (select 1 from r)`})
    select * from r`;
  };
  const options = `${from.subjectColumn ?? ''}|${from.detail ? functionId(from.detail) : ''}|${from.evenWhenEmpty === true}`;
  const { rows } = await executePreparedShape(db, { shape: `with pending|${options}|${read.shape}`, parameters: [...read.parameters, row.recordedAt, bodyJson], build });
  return rows;
}

// A number for each detail function seen, so that two functions never share a shape.
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;
function functionId(f: object): number {
  let id = functionIds.get(f);
  if (id === undefined) functionIds.set(f, (id = nextFunctionId++));
  return id;
}

/** Takes the chainer's lock for this transaction; false when another process holds it. */
export async function tryLockChain(trx: Transaction<object>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${CHAIN_LOCK_KEY}) as ok`.execute(trx);
  return rows[0]?.ok === true;
}

/** Removes up to `limit` of the oldest pending entries and returns them, oldest first. */
export async function takePending(trx: Transaction<object>, limit: number): Promise<{ id: number; recorded_at: Date; body: PendingBody }[]> {
  const { rows } = await sql<{ id: number; recorded_at: Date; body: PendingBody }>`
    delete from audit_pending where id in (select id from audit_pending order by id limit ${limit})
    returning id, recorded_at, body`.execute(trx);
  return rows.sort((a, b) => a.id - b.id);
}

/** The newest chained entry's position and hashes, or undefined for an empty log. */
export async function findChainHead(db: AnyDb): Promise<Pick<AuditEntryRow, 'seq' | 'hash' | 'hash_sm3'> | undefined> {
  return tables(db).selectFrom('audit_entry').select(['seq', 'hash', 'hash_sm3']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Appends chained entries. */
export async function insertEntries(trx: AnyDb, rows: Omit<AuditEntryRow, 'chained_at'>[]): Promise<void> {
  if (rows.length === 0) return;
  await tables(trx)
    .insertInto('audit_entry')
    .values(rows.map((r) => ({ ...r, detail: JSON.stringify(r.detail) })))
    .execute();
}

/** Entries after `afterSeq`, in chain order, a page at a time. */
export async function listEntriesAfter(db: AnyDb, afterSeq: number, limit: number): Promise<AuditEntryRow[]> {
  return tables(db).selectFrom('audit_entry').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/** How many entries wait for the chainer. */
export async function countPending(db: AnyDb): Promise<number> {
  const row = await tables(db).selectFrom('audit_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Entries about one data subject, newest first (for "who used my data"). */
export async function listEntriesForDataSubject(db: AnyDb, dataSubject: string, limit: number): Promise<AuditEntryRow[]> {
  return tables(db).selectFrom('audit_entry').selectAll().where('data_subject', '=', dataSubject).orderBy('seq', 'desc').limit(limit).execute();
}

/** Chained entries of one action after `afterSeq`, in chain order (evidence checks walk them). */
export async function listEntriesByAction(db: AnyDb, action: string, afterSeq: number, limit: number): Promise<AuditEntryRow[]> {
  return tables(db).selectFrom('audit_entry').selectAll().where('action', '=', action).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
