import type { Message } from '../../../platform/i18n/messages';
import { parseValue, Refused, subjectValue } from '../field-types';
import { dcMessage } from '../messages';
import { CopyWriter } from './copy-writer';
import type { StoredField } from '../datacentre.store';
import type { RawRow } from './raw-row';

/**
 * Validating a batch's rows and turning the valid ones into COPY text for its stage, in
 * chunks: `validateRows` in this thread over rows from any reader, `validatePiece` over one
 * piece of a file (a worker's share, `parallel.ts`). Both count, keep errors up to a bound and
 * check the columns on the batch's first readable row, the same way.
 */

/** What a row is checked against: a resource's current fields, key and subject (plain data, so a worker can have it). */
export interface RowSchema {
  fields: StoredField[];
  key_fields: string[];
  subject_field: string | null;
  subject_kind: string | null;
}

/** Why a row was refused (`reason`: a message of `../messages.ts`). */
export interface RowError {
  row: number;
  field: string;
  reason: Message;
}

/** Rejected rows kept per batch (the count goes on beyond). */
export const MAX_STORED_ERRORS = 10_000;

/** What a batch's rows are validated with (plain data, so a worker can have it). */
export interface ValidatorSetup {
  schema: RowSchema;
  operation: 'upsert' | 'delete';
}

/** Reads a batch's rows and validates them, in chunks, in order. */
export type BatchReader = (setup: ValidatorSetup) => AsyncIterable<ValidatedChunk>;

/**
 * Rows from any reader (a file's, an API push's), validated in this thread.
 *
 * @example
 * runBatch(deps, { …, read: readInThread(readRows(input, 'csv', info)) });
 */
export function readInThread(rows: AsyncIterable<RawRow>): BatchReader {
  return (setup) => validateRows(rows, new RowValidator(setup.schema, setup.operation));
}

/** A run of a batch's rows, validated. */
export interface ValidatedChunk {
  /** The valid rows as COPY text lines. */
  copy: Uint8Array<ArrayBuffer>;
  rowsRead: number;
  rowsValid: number;
  rowsInvalid: number;
  /** The first of the chunk's errors, at most MAX_STORED_ERRORS. */
  errors: RowError[];
  /**
   * Set when the chunk held a readable row whose columns were checked: `mismatch` says what is
   * wrong with them (then the chunk ends at that row). The batch goes by the first chunk's check.
   */
  columns?: { mismatch: Message | null };
}

/**
 * Checks rows against a resource's current schema and turns valid ones into COPY lines for the
 * stage. Prepared once per batch: column lookup by name or Chinese label, key and required fields.
 */
export class RowValidator {
  private readonly byName = new Map<string, { field: StoredField; index: number }>();
  private readonly keys: ReadonlySet<string>;
  /** Fields that must have a value: the key fields for a delete, else key and required fields. */
  private readonly needed: { field: StoredField; index: number }[];
  private readonly keyIndexes: number[];
  private readonly subjectIndex: number;
  /** Per field: whether a delete keeps it (its key fields; a tombstone keeps only the key). */
  private readonly keptByDelete: boolean[];

  constructor(
    private readonly resource: RowSchema,
    private readonly operation: 'upsert' | 'delete',
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
  schemaMismatch(values: Record<string, unknown>): Message | null {
    const unknown = Object.keys(values).filter((k) => !this.byName.has(k));
    if (unknown.length > 0) return dcMessage(unknown.length > 1 ? 'dc.batch.unknownColumns' : 'dc.batch.unknownColumn', { names: unknown.map((u) => `"${u}"`).join(', ') });
    const present = new Set(Object.keys(values).map((k) => this.byName.get(k)!.field.name));
    const missing = this.needed.filter(({ field }) => (this.operation === 'delete' || field.required) && !present.has(field.name)).map(({ field }) => field);
    if (missing.length > 0) return dcMessage(missing.length > 1 ? 'dc.batch.missingColumns' : 'dc.batch.missingColumn', { names: missing.map((f) => `"${f.name}" (${f.labelZh})`).join(', ') });
    return null;
  }

  /**
   * Checks a row: a valid one is written to `out` as its COPY line (and null returned), an
   * invalid one is not (what is wrong with it is returned). Runs once per row of every batch,
   * so it works on arrays by field position.
   */
  validate(raw: { row: number; values: Record<string, unknown> }, out: CopyWriter): RowError[] | null {
    const { operation } = this;
    const fields = this.resource.fields;
    // Stored values by field position (null: not given).
    const stored: unknown[] = new Array(fields.length).fill(null);
    let errors: RowError[] | undefined;
    let failed: Set<number> | undefined;
    for (const column in raw.values) {
      const entry = this.byName.get(column);
      if (!entry) {
        (errors ??= []).push({ row: raw.row, field: column, reason: dcMessage('dc.row.notAField') });
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
      if (stored[index] === null && !failed?.has(index)) (errors ??= []).push({ row: raw.row, field: field.name, reason: dcMessage('dc.row.required') });
    }
    if (errors) return errors;
    let key = String(stored[this.keyIndexes[0]!]);
    for (let i = 1; i < this.keyIndexes.length; i++) key += `|${String(stored[this.keyIndexes[i]!])}`;
    const subject = this.subjectIndex < 0 || stored[this.subjectIndex] === null ? null : subjectValue(this.resource, stored[this.subjectIndex]);
    out.text(key);
    out.tab();
    out.value(subject);
    out.tab();
    out.text(String(raw.row));
    for (const value of stored) {
      out.tab();
      out.value(value);
    }
    out.newline();
    return null;
  }
}

// Takes rows one by one into the chunk being built, writing valid ones to `out`.
class ChunkBuilder {
  rowsRead = 0;
  rowsValid = 0;
  rowsInvalid = 0;
  errors: RowError[] = [];
  columns: ValidatedChunk['columns'];
  /** Whether no readable row has been seen yet (the first one's columns are checked). */
  private unchecked = true;

  constructor(
    private readonly validator: RowValidator,
    readonly out: CopyWriter,
  ) {}

  /** Takes a row: a valid one is written out; an invalid one, or one whose columns do not match (`columns.mismatch`), is not. */
  take(raw: RawRow): void {
    this.rowsRead++;
    if ('error' in raw) {
      this.refuse([{ row: raw.row, field: '', reason: raw.error }]);
      return;
    }
    if (this.unchecked) {
      this.unchecked = false;
      this.columns = { mismatch: this.validator.schemaMismatch(raw.values) };
      if (this.columns.mismatch) return;
    }
    const errors = this.validator.validate(raw, this.out);
    if (errors) this.refuse(errors);
    else this.rowsValid++;
  }

  get mismatched(): boolean {
    return this.columns?.mismatch != null;
  }

  /** The chunk so far, with `copy`; the builder starts a new one. */
  chunk(copy: Uint8Array<ArrayBuffer>): ValidatedChunk {
    const chunk: ValidatedChunk = { copy, rowsRead: this.rowsRead, rowsValid: this.rowsValid, rowsInvalid: this.rowsInvalid, errors: this.errors };
    if (this.columns) chunk.columns = this.columns;
    this.rowsRead = this.rowsValid = this.rowsInvalid = 0;
    this.errors = [];
    this.columns = undefined;
    return chunk;
  }

  private refuse(errors: readonly RowError[]) {
    this.rowsInvalid++;
    for (const e of errors) if (this.errors.length < MAX_STORED_ERRORS) this.errors.push(e);
  }
}

/** Rows per chunk in this thread (on PGlite, other work runs between chunks). */
const CHUNK_ROWS = 5_000;
/** A chunk ends once its COPY text reaches this size. */
const CHUNK_BYTES = 2 << 20;

/**
 * Validates rows in this thread, in chunks of up to 5,000 rows or about 2 MB of COPY text.
 * Two buffers take turns (`CopyWriter.cut`): a chunk's `copy` stays valid until the chunk
 * after next is asked for, so copy each chunk before asking for two more. Reused, a long file
 * leaves no large garbage.
 *
 * @example
 * for await (const chunk of validateRows(rows, validator)) await copyIn(chunk.copy);
 */
export async function* validateRows(rows: AsyncIterable<RawRow>, validator: RowValidator): AsyncGenerator<ValidatedChunk> {
  const builder = new ChunkBuilder(validator, new CopyWriter(CHUNK_BYTES + (64 << 10)));
  let rowsInChunk = 0;
  for await (const raw of rows) {
    builder.take(raw);
    if (builder.mismatched) break;
    if (++rowsInChunk >= CHUNK_ROWS || builder.out.used >= CHUNK_BYTES) {
      yield builder.chunk(builder.out.cut());
      rowsInChunk = 0;
    }
  }
  yield builder.chunk(builder.out.cut());
}

/**
 * Validates the rows of one piece of a file at once: its chunk. Each piece checks the columns
 * of its own first readable row; the batch goes by the first piece that had one. The COPY
 * text is written into an ArrayBuffer of its own (not Buffer's shared pool), so a worker can
 * hand it over; `sizeHint` is where it starts (it grows as needed).
 */
export function validatePiece(rows: Iterable<RawRow>, validator: RowValidator, sizeHint: number): ValidatedChunk {
  const builder = new ChunkBuilder(validator, new CopyWriter(sizeHint));
  for (const raw of rows) {
    builder.take(raw);
    if (builder.mismatched) break;
  }
  return builder.chunk(builder.out.ownBytes());
}
