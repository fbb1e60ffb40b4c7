import { Transform, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { csvHeader, csvParseError, csvParseOptions, csvRecordRow, isBlankRecord, notUtf8 } from './csv';
import { detectEncoding, SNIFF_BYTES, type TextEncodingName } from './detect-encoding';
import { ndjsonPieceRows, ndjsonPieces } from './ndjson';
import { PIECE_BYTES } from './pieces';
import { UnreadableFileError, type RawRow } from './raw-row';
import { dcMessage } from '../messages';

export { UnreadableFileError, type RawRow };

/**
 * Streaming readers of uploaded files: CSV (UTF-8, GBK or GB18030, detected), NDJSON and XLSX
 * (first worksheet). Each yields one raw row at a time with its row number in the file (as a
 * spreadsheet shows it in CSV and XLSX, the header being row 1; NDJSON counts lines), so memory
 * stays flat whatever the file's size.
 */

/** The formats a file upload may have. */
export type FileFormat = 'csv' | 'ndjson' | 'xlsx';

/** What a reader found out about its input while reading. */
export interface ReadInfo {
  encoding: TextEncodingName | null;
  /** Bytes consumed so far. */
  bytes: number;
}

/**
 * The format of a file, from its name or content type.
 *
 * @example
 * formatOf('人口.csv'); // 'csv'
 * formatOf('x', 'application/x-ndjson'); // 'ndjson'
 */
export function formatOf(fileName: string | null, contentType?: string): FileFormat | null {
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'xlsx') return 'xlsx';
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/ndjson') return 'ndjson';
  if (type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'xlsx';
  return null;
}

// Counts bytes as they pass.
function counter(info: ReadInfo): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      info.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

/**
 * Reads rows from a file stream in the given format.
 *
 * @example
 * for await (const r of readRows(fs.createReadStream('a.csv'), 'csv', info)) console.log(r.row);
 */
export function readRows(input: Readable, format: FileFormat, info: ReadInfo): AsyncGenerator<RawRow> {
  const counted = input.pipe(counter(info));
  input.on('error', (error) => counted.destroy(error));
  if (format === 'ndjson') return readNdjson(counted, info);
  if (format === 'xlsx') return readXlsx(counted, info);
  return readCsvStream(counted, info);
}

async function* readNdjson(input: Readable, info: ReadInfo): AsyncGenerator<RawRow> {
  info.encoding = 'utf-8';
  yield* ndjsonPieceRows(ndjsonPieces(input, PIECE_BYTES));
}

/** Reads until `bytes` are in hand (or the stream ends): those, whether that was all, and the rest. */
export async function readHead(input: AsyncIterable<Buffer>, bytes = SNIFF_BYTES): Promise<{ head: Buffer; complete: boolean; rest: AsyncIterator<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let size = 0;
  let complete = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    parts.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.concat(parts), complete, rest: iterator };
}

async function* decoded(head: Buffer, rest: AsyncIterator<Buffer>, encoding: TextEncodingName): AsyncGenerator<string> {
  if (encoding === 'gb18030') {
    const decoder = iconv.getDecoder('gb18030');
    yield decoder.write(head);
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield decoder.write(next.value);
    const tail = decoder.end();
    if (tail) yield tail;
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const decode = (bytes: Buffer, stream: boolean): string => {
    try {
      return decoder.decode(bytes, { stream });
    } catch {
      throw notUtf8();
    }
  };
  yield decode(head, true);
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield decode(next.value, true);
  const tail = decode(Buffer.alloc(0), false);
  if (tail) yield tail;
}

/**
 * Reads CSV rows from a stream in this thread (`readCsvInWorkers` hands a file here when it
 * cannot be cut into pieces). The caller counts the bytes.
 */
export async function* readCsvStream(input: AsyncIterable<Buffer>, info: ReadInfo): AsyncGenerator<RawRow> {
  const { head, complete, rest } = await readHead(input);
  const encoding = detectEncoding(head, complete);
  info.encoding = encoding;
  const parser = parseCsv({ bom: true, ...csvParseOptions() });
  // Until the parser wants more, or has failed (then it never drains; the loop below reports why).
  const writable = () =>
    new Promise<void>((resolve) => {
      if (parser.destroyed) return resolve();
      const done = () => {
        parser.off('drain', done).off('close', done);
        resolve();
      };
      parser.once('drain', done).once('close', done);
    });
  const feed = (async () => {
    try {
      for await (const text of decoded(head, rest, encoding)) {
        if (parser.destroyed) return;
        if (!parser.write(text)) await writable();
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (isBlankRecord(cells)) continue;
      if (!header) {
        header = csvHeader(cells);
        continue;
      }
      yield csvRecordRow(cells, header, row);
    }
  } catch (error) {
    throw csvParseError(error);
  } finally {
    await feed;
  }
  if (!header) throw new UnreadableFileError(dcMessage('dc.file.empty'));
}

function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates carry no zone; exceljs gives them as UTC. A midnight is a date.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return value;
}

async function* readXlsx(input: Readable, info: ReadInfo): AsyncGenerator<RawRow> {
  info.encoding = null;
  // Loaded on first use: a process that never reads a workbook saves its ~25 MB.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  let header: string[] | null = null;
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
        if (!header) {
          header = cells.map((c) => String(c).trim());
          continue;
        }
        if (cells.every((c) => c === '')) continue;
        const values: Record<string, unknown> = {};
        for (let i = 0; i < header.length; i++) values[header[i]!] = cells[i] ?? '';
        yield { row: row.number, values };
      }
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(dcMessage('dc.file.notXlsx', { error: (error as Error).message }));
  }
  if (!header) throw new UnreadableFileError(dcMessage('dc.file.emptyWorkbook'));
}
