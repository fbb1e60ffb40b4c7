import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import type { DatasetFieldType } from '../opendata.contract';

/**
 * Whole-dataset downloads in constant memory. Every format pulls the next batch of rows only when
 * the consumer has taken what came before, so a slow client holds the database cursor open but
 * never makes the server buffer the dataset; destroying the stream ends the batches' iterator
 * (its `finally` runs), and an error from the iterator destroys the stream with that error.
 */

/**
 * A download format of a published dataset.
 *
 * @example
 * const format: ExportFormat = 'geojson';
 */
export type ExportFormat = 'csv' | 'json' | 'xlsx' | 'geojson';

/**
 * One exported column: the field's name (JSON keys, CSV header), a label for people, and its type.
 *
 * @example
 * const column: ExportColumn = { name: 'stop_name', label: '站点名称', type: 'text' };
 */
export interface ExportColumn {
  name: string;
  label: string;
  type: DatasetFieldType;
}

/**
 * How an export is written.
 *
 * @example
 * const options: ExportOptions = { bom: true, header: 'label', geo: { lat: 'lat', lon: 'lon' } };
 */
export interface ExportOptions {
  /** CSV only: start with a UTF-8 BOM so that Excel opens Chinese text right. Default false. */
  bom?: boolean;
  /** The header row of CSV and XLSX: field names or labels. Default: names for CSV, labels for XLSX. */
  header?: 'name' | 'label';
  /** Latitude and longitude columns; GeoJSON needs them. */
  geo?: { lat: string; lon: string } | null;
  /** XLSX only: the worksheet's name (made valid for Excel). Default 'data'. */
  sheetName?: string;
}

/**
 * The Content-Type of each format.
 *
 * @example
 * reply.type(EXPORT_MEDIA_TYPES.csv); // 'text/csv; charset=utf-8'
 */
export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = Object.freeze({
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
});

type Batches = AsyncIterable<readonly Record<string, unknown>[]>;

/**
 * Streams rows (values as the database returns them, already JSON-friendly: numbers, strings,
 * booleans, null, objects for json) in the format. Only the given columns are written, in their
 * order; a missing value is null. Throws at once when GeoJSON is asked for without `options.geo`.
 *
 * @example
 * const body = exportStream('csv', columns, store.readRows(tableName, 1000), { bom: true });
 * return reply.type(EXPORT_MEDIA_TYPES.csv).send(body);
 */
export function exportStream(format: ExportFormat, columns: readonly ExportColumn[], batches: Batches, options: ExportOptions = {}): Readable {
  switch (format) {
    case 'csv':
      return exportCsv(columns, batches, options);
    case 'json':
      return Readable.from(jsonChunks(columns, batches), { objectMode: false });
    case 'xlsx':
      return exportXlsx(columns, batches, options);
    case 'geojson': {
      if (!options.geo) throw new Error('GeoJSON export needs geo columns (latitude and longitude); this dataset has none');
      return Readable.from(geojsonChunks(columns, batches, options.geo), { objectMode: false });
    }
  }
}

function header(columns: readonly ExportColumn[], kind: 'name' | 'label'): string[] {
  return columns.map((c) => (kind === 'label' ? c.label : c.name));
}

function exportCsv(columns: readonly ExportColumn[], batches: Batches, options: ExportOptions): Readable {
  // Records are arrays of ready strings, so quoting is csv-stringify's only job.
  const csv = stringify({ bom: options.bom === true, record_delimiter: '\r\n' });
  async function* records(): AsyncGenerator<(string | null)[]> {
    yield header(columns, options.header ?? 'name');
    for await (const batch of batches) {
      for (const row of batch) yield columns.map((c) => csvField(c.type, row[c.name]));
    }
  }
  // pipeline destroys every stream with the first error, so the caller sees it on `csv`; when the
  // caller destroys `csv`, the generator is returned, which ends the batches' iterator.
  pipeline(Readable.from(records()), csv, () => {});
  return csv;
}

function csvField(type: DatasetFieldType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (type === 'json' || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function pick(columns: readonly ExportColumn[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.name] = row[c.name] ?? null;
  return out;
}

// One string per batch: the memory held is a batch's worth, whatever the dataset's size.
async function* jsonChunks(columns: readonly ExportColumn[], batches: Batches): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const text = batch.map((row) => JSON.stringify(pick(columns, row))).join(',\n');
    yield (first ? '\n' : ',\n') + text;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

function coordinate(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

async function* geojsonChunks(columns: readonly ExportColumn[], batches: Batches, geo: { lat: string; lon: string }): AsyncGenerator<string> {
  const properties = columns.filter((c) => c.name !== geo.lat && c.name !== geo.lon);
  let first = true;
  yield '{"type":"FeatureCollection","features":[';
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const text = batch
      .map((row) => {
        const lat = coordinate(row[geo.lat]);
        const lon = coordinate(row[geo.lon]);
        // RFC 7946: positions are [longitude, latitude].
        const geometry = lat === null || lon === null ? null : { type: 'Point', coordinates: [lon, lat] };
        return JSON.stringify({ type: 'Feature', geometry, properties: pick(properties, row) });
      })
      .join(',\n');
    yield (first ? '\n' : ',\n') + text;
    first = false;
  }
  yield first ? ']}\n' : '\n]}\n';
}

// Excel cells carry no zone; timestamps are shown in the city's local time (UTC+8, no DST),
// the zone a value without one means on import (datacentre field-types).
const CITY_UTC_OFFSET_MS = 8 * 3_600_000;
const EXCEL_MAX_TEXT = 32_767;
const DATE_FORMAT = 'yyyy-mm-dd';
const TIMESTAMP_FORMAT = 'yyyy-mm-dd hh:mm:ss';

function xlsxCell(type: DatasetFieldType, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'decimal': {
      // bigint and numeric arrive as strings from pg; Excel holds 15 significant digits anyway.
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : xlsxText(value);
    }
    case 'date': {
      const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
      if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return value instanceof Date ? value : xlsxText(value);
    }
    case 'timestamp': {
      const t = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(t.getTime()) ? xlsxText(value) : new Date(t.getTime() + CITY_UTC_OFFSET_MS);
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : xlsxText(value);
    case 'json':
      return xlsxText(JSON.stringify(value));
    case 'text':
      return xlsxText(value);
  }
}

function xlsxText(value: unknown): string {
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Excel refuses longer cells (it "repairs" the whole file).
  return s.length > EXCEL_MAX_TEXT ? s.slice(0, EXCEL_MAX_TEXT) : s;
}

function validSheetName(name: string | undefined): string {
  const clean = (name ?? '').replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31);
  return clean || 'data';
}

function exportXlsx(columns: readonly ExportColumn[], batches: Batches, options: ExportOptions): Readable {
  const out = new PassThrough();
  writeXlsx(out, columns, batches, options).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

interface Drainable {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
  on(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

// Resolves once `stream` has room, or once `out` is gone (so a vanished client never hangs the
// loop and its database cursor).
function room(stream: Drainable, out: PassThrough): Promise<void> {
  if (out.destroyed || !(stream.writableNeedDrain ?? stream._writableState?.needDrain)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      out.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    out.on('close', done);
  });
}

// exceljs writes a worksheet into a StreamBuf that pushes to archiver's input stream ignoring
// backpressure, so whatever zlib or the client has not taken piles up there. Relies on exceljs
// 4.4 internals (pinned): `worksheet.stream.pipes[0]` is that input (a readable-stream 2
// PassThrough); without it, only the output is watched.
function zipInput(sheet: ExcelJS.Worksheet): Drainable | undefined {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  const input: unknown = Array.isArray(pipes) ? pipes[0] : undefined;
  return typeof input === 'object' && input !== null && '_writableState' in input ? (input as Drainable) : undefined;
}

async function writeXlsx(out: PassThrough, columns: readonly ExportColumn[], batches: Batches, options: ExportOptions): Promise<void> {
  // Loaded on first use: a process that never writes a workbook saves its ~25 MB.
  const { default: excel } = await import('exceljs');
  // Shared strings would keep every distinct text in memory until the end: off.
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(validSheetName(options.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  const labels = header(columns, options.header ?? 'label');
  sheet.columns = columns.map((c, i) => ({ key: c.name, width: Math.min(50, Math.max(10, (labels[i] ?? '').length * 2 + 2)) }));
  const head = sheet.addRow(labels);
  head.font = { bold: true };
  head.commit();
  for await (const batch of batches) {
    if (out.destroyed) return;
    for (const record of batch) {
      const row = sheet.addRow(columns.map((c) => xlsxCell(c.type, record[c.name])));
      columns.forEach((c, i) => {
        if (c.type === 'date' || c.type === 'timestamp') row.getCell(i + 1).numFmt = c.type === 'date' ? DATE_FORMAT : TIMESTAMP_FORMAT;
      });
      row.commit();
    }
    // Pull the next batch only when zlib and the client have taken this one.
    const input = zipInput(sheet);
    if (input) await room(input, out);
    await room(out, out);
    if (out.destroyed) return;
  }
  sheet.commit();
  await workbook.commit();
}
