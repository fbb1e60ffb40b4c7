import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { renderMessage, type Message } from '../../platform/i18n';
import { dcMessage, formatOf, readRows, UnreadableFileError, type RawRow, type ReadInfo } from '../datacentre';
import { odMessage, quote } from './messages';
import type { DatasetField, DatasetFieldType } from './opendata.contract';
import { findPersonalValue, isPersonalColumn, PersonalDataRefusal } from './personal-data';
import { findGeo, type RowSource } from './publishing';
import { findUnstorable } from '../../platform/storable-text';

/**
 * Reads an uploaded file (CSV in UTF-8/GBK/GB18030, NDJSON, XLSX, a JSON array of objects,
 * or a GeoJSON FeatureCollection of points) into rows with inferred column types. Rows go to
 * a temporary file on the first pass (types inferred, personal data refused) and are read
 * back on the second, so memory stays flat whatever the file's size.
 */

/** JSON and GeoJSON are parsed whole: a cap on their size (CSV, NDJSON and XLSX stream). */
export const JSON_UPLOAD_LIMIT = 64 * 1024 * 1024;

const FIELD_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const INTEGER = /^-?\d{1,18}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const BOOLEAN = /^(true|false)$/i;

type Candidate = 'integer' | 'decimal' | 'date' | 'timestamp' | 'boolean';

/** A file that cannot become a dataset, with the reason (worded for the reader; its English words are the error's message). */
export class UploadError extends Error {
  constructor(readonly reason: Message) {
    super(renderMessage(reason, 'en'));
  }
}

/** The upload formats, by file name. */
export type UploadFormat = 'csv' | 'ndjson' | 'xlsx' | 'json' | 'geojson';

/**
 * The format of an upload from its file name (or content type).
 *
 * @example
 * uploadFormat('stops.geojson'); // 'geojson'
 */
export function uploadFormat(fileName: string, contentType?: string): UploadFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.geojson')) return 'geojson';
  if (lower.endsWith('.json')) return 'json';
  return formatOf(fileName, contentType);
}

/**
 * Reads an upload into a row source; throws UploadError or PersonalDataRefusal.
 *
 * @example
 * const source = await readUpload(fs.createReadStream('stops.csv'), 'stops.csv');
 * await loadRows(database, table, source, segmenter);
 */
export async function readUpload(input: Readable, fileName: string, contentType?: string): Promise<RowSource & { cleanup(): Promise<void> }> {
  const format = uploadFormat(fileName, contentType);
  if (!format) throw new UploadError(odMessage('od.file.format', { fileName }));
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ludao-upload-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  try {
    const rows = format === 'json' || format === 'geojson' ? jsonRows(await readAll(input), format) : tableRows(input, format);
    const first = await firstPass(rows, path.join(dir, 'rows.ndjson'));
    const fields = first.columns.map((c): DatasetField => ({ name: c.name, labelZh: c.header, labelEn: c.header, type: c.type(), description: '', unit: null }));
    const geo = findGeo(fields);
    return { fields, geo, batches: secondPass(path.join(dir, 'rows.ndjson'), fields), notes: [], cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof UnreadableFileError) throw new UploadError(error.reason);
    throw error;
  }
}

async function readAll(input: Readable): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += (chunk as Buffer).length;
    if (size > JSON_UPLOAD_LIMIT) throw new UploadError(odMessage('od.file.jsonTooLarge', { mb: JSON_UPLOAD_LIMIT / 1024 / 1024 }));
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8').replace(/^\uFEFF/, '');
}

async function* tableRows(input: Readable, format: 'csv' | 'ndjson' | 'xlsx'): AsyncGenerator<RawRow> {
  const info: ReadInfo = { encoding: null, bytes: 0 };
  yield* readRows(input, format, info);
}

async function* jsonRows(text: string, format: 'json' | 'geojson'): AsyncGenerator<RawRow> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UploadError(odMessage('od.file.notJson', { error: (error as Error).message }));
  }
  if (format === 'json') {
    if (!Array.isArray(doc)) throw new UploadError(odMessage('od.file.notArray'));
    let row = 0;
    for (const item of doc) {
      row++;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) yield { row, error: dcMessage('dc.row.notObject') };
      else yield { row, values: item as Record<string, unknown> };
    }
    return;
  }
  const fc = doc as { type?: string; features?: unknown[] };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new UploadError(odMessage('od.file.notFeatureCollection'));
  let row = 0;
  for (const feature of fc.features as { geometry?: { type?: string; coordinates?: unknown[] } | null; properties?: Record<string, unknown> | null }[]) {
    row++;
    const g = feature?.geometry;
    if (g && g.type !== 'Point') {
      yield { row, error: odMessage('od.file.notPoint', { type: g.type ?? '?' }) };
      continue;
    }
    const [lon, lat] = (g?.coordinates ?? [null, null]) as [unknown, unknown];
    yield { row, values: { ...(feature?.properties ?? {}), longitude: lon, latitude: lat } };
  }
}

interface Column {
  header: string;
  name: string;
  candidates: Set<Candidate>;
  seen: boolean;
  type(): DatasetFieldType;
}

function columnName(header: string, index: number, taken: Set<string>): string {
  const ascii = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  let name = FIELD_NAME.test(ascii) ? ascii : `c${index + 1}`;
  while (taken.has(name)) name = `${name}_${index + 1}`;
  taken.add(name);
  return name;
}

function newColumn(header: string, index: number, taken: Set<string>): Column {
  const c: Column = {
    header: header.trim() || `c${index + 1}`,
    name: columnName(header, index, taken),
    candidates: new Set<Candidate>(['integer', 'decimal', 'date', 'timestamp', 'boolean']),
    seen: false,
    type() {
      if (!c.seen) return 'text';
      for (const t of ['integer', 'decimal', 'date', 'timestamp', 'boolean'] as const) if (c.candidates.has(t)) return t;
      return 'text';
    },
  };
  return c;
}

function observe(c: Column, value: unknown): void {
  if (value === null || value === undefined || value === '') return;
  c.seen = true;
  if (typeof value === 'number') {
    for (const t of ['date', 'timestamp', 'boolean'] as const) c.candidates.delete(t);
    if (!Number.isInteger(value)) c.candidates.delete('integer');
    return;
  }
  if (typeof value === 'boolean') {
    for (const t of ['integer', 'decimal', 'date', 'timestamp'] as const) c.candidates.delete(t);
    return;
  }
  if (value instanceof Date) {
    for (const t of ['integer', 'decimal', 'date', 'boolean'] as const) c.candidates.delete(t);
    return;
  }
  if (typeof value === 'object') {
    c.candidates.clear();
    return;
  }
  const s = String(value).trim();
  if (!INTEGER.test(s)) c.candidates.delete('integer');
  if (!DECIMAL.test(s)) c.candidates.delete('decimal');
  if (!DATE.test(s) || Number.isNaN(Date.parse(s))) c.candidates.delete('date');
  if (!TIMESTAMP.test(s) || Number.isNaN(Date.parse(s))) c.candidates.delete('timestamp');
  if (!BOOLEAN.test(s)) c.candidates.delete('boolean');
}

async function firstPass(rows: AsyncIterable<RawRow>, file: string): Promise<{ columns: Column[]; count: number }> {
  const out = fs.createWriteStream(file);
  const columns: Column[] = [];
  const byHeader = new Map<string, Column>();
  const taken = new Set<string>();
  let count = 0;
  try {
    for await (const raw of rows) {
      if ('error' in raw) throw new UploadError(odMessage('od.file.badRow', { row: raw.row, ...quote('reason', raw.error) }));
      // A cell or a column name the database cannot hold (a NUL, a lone surrogate).
      if (findUnstorable(raw.values, '') !== null) throw new UploadError(odMessage('od.file.badRow', { row: raw.row, ...quote('reason', dcMessage('dc.row.unstorable')) }));
      if (columns.length === 0) {
        Object.keys(raw.values).forEach((header, i) => {
          const column = newColumn(header, i, taken);
          if (isPersonalColumn({ name: column.name, labelZh: header, labelEn: header }, false) || /^(姓名|name of person|full ?name)$/i.test(header.trim())) {
            throw new PersonalDataRefusal(odMessage('od.guard.personalColumn', { column: header }), header);
          }
          columns.push(column);
          byHeader.set(header, column);
        });
        if (columns.length === 0) throw new UploadError(odMessage('od.file.noColumns'));
      }
      const personal = findPersonalValue(stringValues(raw.values));
      if (personal) {
        const code = personal.kind === 'mobile number' ? 'od.guard.rowColumn.mobile' : 'od.guard.rowColumn.residentId';
        throw new PersonalDataRefusal(odMessage(code, { row: raw.row, column: personal.field }), personal.field, raw.row);
      }
      const cells = columns.map((c) => {
        const v = raw.values[c.header];
        observe(c, v);
        return v instanceof Date ? v.toISOString() : (v ?? null);
      });
      for (const header of Object.keys(raw.values)) {
        if (!byHeader.has(header) && raw.values[header] !== null && raw.values[header] !== '') throw new UploadError(odMessage('od.file.columnNotInHeader', { row: raw.row, column: header }));
      }
      count++;
      if (!out.write(`${JSON.stringify(cells)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  if (count === 0) throw new UploadError(odMessage('od.file.noRows'));
  return { columns, count };
}

function stringValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
}

function convert(value: unknown, type: DatasetFieldType): unknown {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'text') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (type === 'boolean') return typeof value === 'boolean' ? value : /^true$/i.test(String(value).trim());
  if (type === 'json') return value;
  return String(value).trim();
}

async function* secondPass(file: string, fields: readonly DatasetField[]): AsyncGenerator<Record<string, unknown>[]> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let batch: Record<string, unknown>[] = [];
  for await (const line of lines) {
    if (!line) continue;
    const cells = JSON.parse(line) as unknown[];
    const row: Record<string, unknown> = {};
    fields.forEach((f, i) => (row[f.name] = convert(cells[i], f.type)));
    batch.push(row);
    if (batch.length >= 5000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Turns a Buffer or string into a stream (tests, the demo). */
export function streamOf(content: Buffer | string): Readable {
  return Readable.from([typeof content === 'string' ? Buffer.from(content, 'utf8') : content]);
}
