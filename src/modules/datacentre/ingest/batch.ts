import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditLog } from '../../../platform/audit';
import type { Database } from '../../../platform/db/database';
import type { EventBus } from '../../../platform/events';
import { Problem } from '../../../platform/http/problem';
import type { Principal } from '../../../platform/access';
import { auditActor } from '../../../platform/access';
import * as store from '../datacentre.store';
import { copyText, parseValue, Refused } from '../field-types';
import type { RawRow, ReadInfo } from './readers';
import { UnreadableFileError } from './readers';

/**
 * One ingestion batch, from rows to versions: every row is validated against the resource's
 * current schema; valid rows stream into a staging table with COPY (a few thousand at a time,
 * so on PGlite other work runs in between); then one transaction moves them into the record
 * table as new versions, closes the versions they replace, marks the batch applied and writes
 * its audit entry and event. Until that transaction commits nothing of the batch is visible,
 * so a crash at any point leaves the batch either applied whole or not at all.
 */

/** The resource a batch writes, with its current fields. */
export type BatchResource = NonNullable<Awaited<ReturnType<typeof store.findResource>>>;

/** What a batch needs to run. */
export interface BatchDeps {
  database: Database;
  audit: AuditLog;
  events: EventBus;
  /** Identifies this process in `dc_batch.process_id` (stale-batch detection). */
  processId: string;
  /** Seconds without heartbeat after which another process's open batch is abandoned (PostgreSQL). */
  staleSeconds: number;
}

/** A batch to run. */
export interface BatchRequest {
  resource: BatchResource;
  operation: 'upsert' | 'delete';
  idempotencyKey: string;
  onInvalid: 'skip' | 'reject';
  source: 'upload' | 'api' | 'cli' | 'demo';
  fileName: string | null;
  actor: Principal;
  rows: AsyncIterable<RawRow>;
  /** Filled in by a file reader while it reads. */
  info?: ReadInfo;
  onProgress?: (progress: BatchProgress) => void;
}

/** Progress of a running batch. */
export interface BatchProgress {
  batchId: string;
  rowsRead: number;
  rowsInvalid: number;
  bytesRead: number;
  phase: 'reading' | 'applying' | 'done';
}

/** The outcome: the batch row, and whether it had been applied before (a re-send). */
export interface BatchOutcome {
  batch: store.BatchRow;
  replayed: boolean;
}

/** Rejected rows kept per batch (the count goes on beyond). */
export const MAX_STORED_ERRORS = 10_000;
const COPY_ROWS = 5_000;
/** Size of each of the two buffers that take turns carrying COPY data to the stage. */
const COPY_BYTES = 2 << 20;

/** The staging table of a batch. */
export function stageName(batchId: string): string {
  return `dcs_${batchId.replace(/-/g, '')}`;
}

async function* once(data: Uint8Array<ArrayBuffer>): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  yield data;
}

interface RowError {
  row: number;
  field: string;
  reason: string;
}

/**
 * Runs a batch to its end: applied, or rejected with its reasons (nothing applied).
 *
 * @example
 * const { batch } = await runBatch(deps, { resource, operation: 'upsert', idempotencyKey: 'k1', … });
 * batch.status; // 'applied'
 */
export async function runBatch(deps: BatchDeps, request: BatchRequest): Promise<BatchOutcome> {
  const { database, processId } = deps;
  const { resource } = request;
  const db = database.db;
  // A batch left open by a process that died (on PGlite only this process can be writing).
  await store.interruptStaleBatches(db, { olderThanSeconds: database.engine === 'pglite' ? null : deps.staleSeconds, exceptProcess: processId });
  const claim = await store.claimBatch(db, {
    id: randomUUID(),
    resource_id: resource.id,
    idempotency_key: request.idempotencyKey,
    operation: request.operation,
    source: request.source,
    file_name: request.fileName,
    on_invalid: request.onInvalid,
    created_by: request.actor.id,
    created_by_org: request.actor.orgCode,
    process_id: processId,
  });
  if (!claim.claimed) {
    const existing = claim.existing;
    if (existing.status === 'applied') return { batch: existing, replayed: true };
    throw Problem.conflict(`Batch "${request.idempotencyKey}" of ${resource.code} is still being received (since ${existing.started_at.toISOString()}); wait for it to finish`);
  }
  const batchId = claim.id;
  const stage = stageName(batchId);
  const fields = resource.fields;
  const columns = [...store.RECORD_META_COLUMNS.filter((c) => c !== '_valid_from'), ...fields.map((f) => f.name)];
  const validator = new RowValidator(resource, request.operation, batchId);

  const counts = { rowsRead: 0, rowsValid: 0, rowsInvalid: 0 };
  const errors: RowError[] = [];
  const progress = (phase: BatchProgress['phase']) =>
    request.onProgress?.({ batchId, rowsRead: counts.rowsRead, rowsInvalid: counts.rowsInvalid, bytesRead: request.info?.bytes ?? 0, phase });
  const figures = () => ({ ...counts, bytesRead: request.info?.bytes ?? 0, encoding: request.info?.encoding ?? null });
  // Only the first MAX_STORED_ERRORS are kept: a file of nothing but bad rows stays in constant memory.
  const report = (rowErrors: readonly RowError[]) => {
    for (const e of rowErrors) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
  };
  let copying: Promise<void> = Promise.resolve();
  const reject = async (message: string) => {
    await copying.catch(() => {});
    await store.insertBatchErrors(db, batchId, errors);
    await store.rejectBatch(db, batchId, { ...figures(), message });
    await store.dropStage(db, stage);
    const batch = (await store.findBatch(db, batchId))!;
    await deps.audit.record({ action: 'datacentre.batch.reject', actor: auditActor(request.actor), subject: { type: 'batch', id: batchId }, detail: { resource: resource.code, key: request.idempotencyKey, message } });
    return { batch, replayed: false };
  };

  try {
    // A batch taken over after a crash may have left its staging table behind.
    await store.dropStage(db, stage);
    await sql`create unlogged table ${sql.id(stage)} as select ${sql.join(columns.map((c) => sql.id(c)))} from ${sql.id(resource.table_name)} with no data`.execute(db);
    // Two buffers take turns: one copies into the stage while the next fills with the lines
    // read and validated after it. Reused, so a long file leaves no large garbage behind.
    const buffers = [Buffer.allocUnsafe(COPY_BYTES), Buffer.allocUnsafe(COPY_BYTES)];
    let filling = 0;
    let used = 0;
    let chunkRows = 0;
    const send = async (data: Uint8Array<ArrayBuffer>) => {
      await copying;
      const snapshot = figures();
      copying = (async () => {
        await database.bulk((s) => s.copyIn(stage, columns, once(data)));
        await store.saveBatchProgress(db, batchId, snapshot);
        progress('reading');
      })();
      copying.catch(() => {}); // reported where it is awaited
    };
    const flush = async () => {
      if (used === 0) return;
      const data = buffers[filling]!.subarray(0, used);
      filling = 1 - filling;
      used = 0;
      chunkRows = 0;
      await send(data); // returns once the other buffer's copy is done: it fills next
    };
    const add = async (line: string) => {
      // A UTF-16 unit is at most 3 bytes of UTF-8.
      if (used + line.length * 3 > COPY_BYTES) await flush();
      if (line.length * 3 > COPY_BYTES) await send(Buffer.from(line)); // a row bigger than a buffer goes alone
      else used += buffers[filling]!.write(line, used);
      if (++chunkRows >= COPY_ROWS) await flush();
    };
    let mismatch: string | null = null;
    let columnsChecked = false;
    for await (const raw of request.rows) {
      counts.rowsRead++;
      if ('error' in raw) {
        counts.rowsInvalid++;
        report([{ row: raw.row, field: '', reason: raw.error }]);
        continue;
      }
      if (!columnsChecked) {
        columnsChecked = true;
        mismatch = validator.schemaMismatch(raw.values);
        if (mismatch) break;
      }
      const result = validator.validate(raw);
      if (typeof result !== 'string') {
        counts.rowsInvalid++;
        report(result);
        continue;
      }
      counts.rowsValid++;
      await add(result);
    }
    if (mismatch) return await reject(mismatch);
    await flush();
    await copying;
    if (counts.rowsRead === 0) return await reject('The batch has no rows');
    if (counts.rowsInvalid > 0 && request.onInvalid === 'reject') {
      return await reject(`${counts.rowsInvalid} of ${counts.rowsRead} rows are invalid and the batch asked to be refused whole; nothing was applied`);
    }
    if (counts.rowsValid === 0) return await reject(`None of the ${counts.rowsRead} rows is valid; nothing was applied`);

    progress('applying');
    await database.bulk((s) =>
      s.db.transaction().execute(async (trx) => {
        await store.lockResourceForWrite(s, resource.id);
        const applied = await store.applyStage(s, resource.table_name, stage, columns, fields.map((f) => f.name), request.operation);
        const result =
          request.operation === 'upsert'
            ? { inserted: applied.written - applied.replaced, updated: applied.replaced, unchanged: applied.unchanged + applied.duplicates, deleted: 0 }
            : { inserted: 0, updated: 0, unchanged: applied.unchanged + applied.duplicates, deleted: applied.written };
        const message = counts.rowsInvalid > 0 ? `${counts.rowsInvalid} invalid rows were skipped` : null;
        await store.finishBatch(trx, batchId, { ...figures(), ...result, message });
        await store.insertBatchErrors(trx, batchId, errors);
        await deps.audit.append(trx, {
          action: 'datacentre.batch.apply',
          actor: auditActor(request.actor),
          subject: { type: 'batch', id: batchId },
          detail: { resource: resource.code, key: request.idempotencyKey, operation: request.operation, rows: counts.rowsRead, invalid: counts.rowsInvalid, ...result },
        });
        await deps.events.publish(trx, {
          aggregateType: 'dc_resource',
          aggregateId: resource.code,
          type: 'datacentre.batch.applied',
          payload: { batchId, resource: resource.code, operation: request.operation, ...result },
        });
      }),
    );
    deps.audit.kick();
    deps.events.kick();
    await store.dropStage(db, stage);
    progress('done');
    return { batch: (await store.findBatch(db, batchId))!, replayed: false };
  } catch (error) {
    const message = error instanceof UnreadableFileError || error instanceof Problem ? error.message : `The batch failed and nothing of it was applied: ${(error as Error).message}`;
    await reject(message).catch(() => {});
    if (error instanceof UnreadableFileError) return { batch: (await store.findBatch(db, batchId))!, replayed: false };
    throw error;
  }
}

/**
 * Checks rows against a resource's current schema and turns valid ones into COPY lines for the
 * stage. Prepared once per batch: column lookup by name or Chinese label, key and required fields.
 */
class RowValidator {
  private readonly byName = new Map<string, { field: BatchResource['fields'][number]; index: number }>();
  private readonly keys: ReadonlySet<string>;
  /** Fields that must have a value: the key fields for a delete, else key and required fields. */
  private readonly needed: { field: BatchResource['fields'][number]; index: number }[];
  private readonly keyIndexes: number[];
  private readonly subjectIndex: number;
  /** Per field: whether a delete keeps it (its key fields; a tombstone keeps only the key). */
  private readonly keptByDelete: boolean[];

  constructor(
    private readonly resource: BatchResource,
    private readonly operation: 'upsert' | 'delete',
    private readonly batchId: string,
  ) {
    this.keys = new Set(resource.key_fields);
    resource.fields.forEach((field, index) => {
      this.byName.set(field.name, { field, index });
      this.byName.set(field.labelZh, { field, index });
    });
    const indexOf = (name: string) => resource.fields.findIndex((f) => f.name === name);
    this.needed = resource.fields.map((field, index) => ({ field, index })).filter(({ field }) => this.keys.has(field.name) || (operation === 'upsert' && field.required && !field.deprecated));
    this.keyIndexes = resource.key_fields.map(indexOf);
    this.subjectIndex = resource.subject_field ? indexOf(resource.subject_field) : -1;
    this.keptByDelete = resource.fields.map((f) => this.keys.has(f.name));
  }

  /** The first row shows the columns: every one must be a field, every required field present. */
  schemaMismatch(values: Record<string, unknown>): string | null {
    const unknown = Object.keys(values).filter((k) => !this.byName.has(k));
    if (unknown.length > 0) return `The columns do not match the resource's schema: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`;
    const present = new Set(Object.keys(values).map((k) => this.byName.get(k)!.field.name));
    const missing = this.needed.filter(({ field }) => (this.operation === 'delete' || field.required) && !present.has(field.name)).map(({ field }) => field);
    if (missing.length > 0) return `The columns do not match the resource's schema: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((f) => `"${f.name}" (${f.labelZh})`).join(', ')}`;
    return null;
  }

  /**
   * The row's COPY line, or what is wrong with it. Runs once per row of every batch, so it
   * works on arrays by field position and builds the line by hand.
   */
  validate(raw: { row: number; values: Record<string, unknown> }): string | RowError[] {
    const { operation } = this;
    const fields = this.resource.fields;
    // Stored values by field position (null: not given).
    const stored: unknown[] = new Array(fields.length).fill(null);
    let errors: RowError[] | undefined;
    let failed: Set<number> | undefined;
    for (const column in raw.values) {
      const entry = this.byName.get(column);
      if (!entry) {
        (errors ??= []).push({ row: raw.row, field: column, reason: 'not a field of this resource' });
        continue;
      }
      if (operation === 'delete' && !this.keptByDelete[entry.index]) continue;
      const value = parseValue(entry.field, raw.values[column]);
      if (!(value instanceof Refused)) stored[entry.index] = value;
      else {
        (errors ??= []).push({ row: raw.row, field: entry.field.name, reason: value.reason });
        (failed ??= new Set()).add(entry.index);
      }
    }
    for (const { field, index } of this.needed) {
      if (stored[index] === null && !failed?.has(index)) (errors ??= []).push({ row: raw.row, field: field.name, reason: 'is required' });
    }
    if (errors) return errors;
    let key = String(stored[this.keyIndexes[0]!]);
    for (let i = 1; i < this.keyIndexes.length; i++) key += `|${String(stored[this.keyIndexes[i]!])}`;
    const subject = this.subjectIndex < 0 ? null : stored[this.subjectIndex]!;
    let line = `${copyText(key)}\t${copyText(subject === null ? null : String(subject))}\t${operation === 'delete' ? 't' : 'f'}\t${this.batchId}\t${raw.row}`;
    for (const value of stored) line += `\t${copyText(value)}`;
    return `${line}\n`;
  }
}
