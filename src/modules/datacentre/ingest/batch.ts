import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditLog } from '../../../platform/audit';
import type { Database } from '../../../platform/db/database';
import type { EventBus } from '../../../platform/events';
import { Problem } from '../../../platform/http/problem';
import type { Principal } from '../../../platform/access';
import { auditActor } from '../../../platform/access';
import { renderMessage, type Message } from '../../../platform/i18n';
import * as store from '../datacentre.store';
import { dcMessage } from '../messages';
import type { ReadInfo } from './readers';
import { UnreadableFileError } from './raw-row';
import { MAX_STORED_ERRORS, type BatchReader, type RowError } from './validate';

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
  /** Reads and validates the rows: `readInThread`, or `readNdjsonInWorkers` / `readCsvInWorkers` for a file. */
  read: BatchReader;
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

/** How often a running batch saves its progress. */
const PROGRESS_SAVE_MS = 1000;

/** The staging table of a batch. */
export function stageName(batchId: string): string {
  return `dcs_${batchId.replace(/-/g, '')}`;
}

async function* once(data: Uint8Array<ArrayBuffer>): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  yield data;
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
    throw Problem.conflict(dcMessage('dc.stillReceiving', { key: request.idempotencyKey, resource: resource.code, since: existing.started_at.toISOString() }));
  }
  const batchId = claim.id;
  const stage = stageName(batchId);
  const fields = resource.fields;
  const columns = [...store.RECORD_META_COLUMNS.filter((c) => c !== '_valid_from'), ...fields.map((f) => f.name)];
  // What each row's COPY line holds (`RowValidator`); the batch and the delete flag, the same
  // for every row, are the stage's column defaults.
  const copyColumns = ['_key', '_subject', '_row', ...fields.map((f) => f.name)];

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
  const reject = async (message: Message) => {
    await copying.catch(() => {});
    await store.insertBatchErrors(db, batchId, errors);
    await store.rejectBatch(db, batchId, { ...figures(), message });
    await store.dropStage(db, stage);
    const batch = (await store.findBatch(db, batchId))!;
    await deps.audit.record({ action: 'datacentre.batch.reject', actor: auditActor(request.actor), subject: { type: 'batch', id: batchId }, detail: { resource: resource.code, key: request.idempotencyKey, message: renderMessage(message, 'en') } });
    return { batch, replayed: false };
  };

  try {
    // A batch taken over after a crash may have left its staging table behind.
    await store.dropStage(db, stage);
    await sql`create unlogged table ${sql.id(stage)} as select ${sql.join(columns.map((c) => sql.id(c)))} from ${sql.id(resource.table_name)} with no data`.execute(db);
    await sql`alter table ${sql.id(stage)} alter column _batch set default ${sql.lit(batchId)}, alter column _deleted set default ${sql.lit(request.operation === 'delete')}`.execute(db);
    // One chunk copies into the stage while the next is read and validated. Progress (also
    // the batch's heartbeat) is saved at most once a second: a commit per chunk held up the copies.
    let saved = 0;
    const send = async (data: Uint8Array<ArrayBuffer>) => {
      await copying;
      const snapshot = figures();
      copying = (async () => {
        await database.bulk((s) => s.copyIn(stage, copyColumns, once(data)));
        if (performance.now() - saved >= PROGRESS_SAVE_MS) {
          saved = performance.now();
          await store.saveBatchProgress(db, batchId, snapshot);
        }
        progress('reading');
      })();
      copying.catch(() => {}); // reported where it is awaited
    };
    let mismatch: Message | null = null;
    let columnsChecked = false;
    for await (const chunk of request.read({ schema: resource, operation: request.operation })) {
      counts.rowsRead += chunk.rowsRead;
      counts.rowsValid += chunk.rowsValid;
      counts.rowsInvalid += chunk.rowsInvalid;
      report(chunk.errors);
      if (!columnsChecked && chunk.columns) {
        columnsChecked = true;
        mismatch = chunk.columns.mismatch;
        if (mismatch) break;
      }
      if (chunk.copy.length > 0) await send(chunk.copy);
    }
    if (mismatch) return await reject(mismatch);
    await copying;
    if (counts.rowsRead === 0) return await reject(dcMessage('dc.batch.noRows'));
    if (counts.rowsInvalid > 0 && request.onInvalid === 'reject') {
      return await reject(dcMessage('dc.batch.refusedWhole', { invalid: counts.rowsInvalid, read: counts.rowsRead }));
    }
    if (counts.rowsValid === 0) return await reject(dcMessage('dc.batch.noneValid', { read: counts.rowsRead }));

    progress('applying');
    await database.bulk((s) =>
      s.db.transaction().execute(async (trx) => {
        await store.lockResourceForWrite(s, resource.id);
        const applied = await store.applyStage(s, resource.table_name, stage, columns, request.operation, store.subjectIsKey(resource));
        const result =
          request.operation === 'upsert'
            ? { inserted: applied.written - applied.replaced, updated: applied.replaced, unchanged: applied.unchanged + applied.duplicates, deleted: 0 }
            : { inserted: 0, updated: 0, unchanged: applied.unchanged + applied.duplicates, deleted: applied.written };
        const message = counts.rowsInvalid > 0 ? dcMessage('dc.batch.skipped', { invalid: counts.rowsInvalid }) : null;
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
    const message =
      error instanceof UnreadableFileError
        ? error.reason
        : error instanceof Problem
          ? (error.detailMessage ?? dcMessage('dc.text', { text: error.message }))
          : dcMessage('dc.batch.failed', { error: (error as Error).message });
    await reject(message).catch(() => {});
    if (error instanceof UnreadableFileError) return { batch: (await store.findBatch(db, batchId))!, replayed: false };
    throw error;
  }
}
