import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { hasUtf8Bom, type TextEncodingName } from './detect-encoding';
import { cutPieces, type FilePiece } from './pieces';
import { UnreadableFileError, type RawRow } from './raw-row';
import { dcMessage } from '../messages';

/**
 * CSV in record-aligned pieces, so that a large file's rows can be parsed and validated on
 * several threads (`parallel.ts`) the way NDJSON's are. This thread reads the header and how
 * records end (`csvLayout`), then cuts the bytes at record ends: line feeds outside quotes
 * (`csvPieces`). Cutting bytes is safe in every encoding we read: in UTF-8, GBK and GB18030 the
 * bytes of `"`, CR and LF never occur inside a multi-byte character. A piece decodes and
 * parses on its own (`csvRows`), with the options of the streaming reader (`readers.ts`), and
 * its rows keep their row numbers in the file.
 */

/** The longest CSV row read, in bytes (an unclosed quote would otherwise swallow the file). */
export const MAX_CSV_RECORD_BYTES = 1 << 20;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** What a piece needs to be read: the file's encoding, how its records end, its columns. */
export interface CsvLayout {
  encoding: TextEncodingName;
  recordEnd: '\n' | '\r\n';
  header: string[];
  /** Where the first record after the header (row 2) starts, in bytes from the file's start. */
  bodyStart: number;
}

/**
 * The options of csv-parse both readers use. Blank lines come through as records (a single
 * empty cell) so that rows can be counted without csv-parse's per-record `info`, which cost
 * ~4 µs a row, as much as the parsing.
 */
export function csvParseOptions(recordEnd?: CsvLayout['recordEnd']) {
  return { relax_column_count: true, max_record_size: MAX_CSV_RECORD_BYTES, ...(recordEnd ? { record_delimiter: recordEnd } : {}) } as const;
}

/** Why a CSV file detected as UTF-8 cannot be read further. */
export function notUtf8(): UnreadableFileError {
  return new UnreadableFileError(dcMessage('dc.file.notUtf8Later'));
}

// Text of the file's encoding; `notUtf8` when it is not valid UTF-8.
function decodeCsv(bytes: Uint8Array, encoding: TextEncodingName): string {
  if (encoding === 'gb18030') return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'gb18030');
  if (!isUtf8(bytes)) throw notUtf8();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

/** The first row's cells as column names; `UnreadableFileError` when it names none. */
export function csvHeader(cells: readonly string[]): string[] {
  const header = cells.map((c) => c.trim());
  if (header.length === 0 || header.every((h) => h === '')) throw new UnreadableFileError(dcMessage('dc.file.noHeader'));
  return header;
}

/** Whether a parsed record is a blank line (a row that counts, but holds nothing to read). */
export function isBlankRecord(cells: readonly string[]): boolean {
  return cells.length === 1 && cells[0] === '';
}

/** A parsed record as a row numbered `row`: its values by column, or why it cannot be read. */
export function csvRecordRow(cells: readonly string[], header: readonly string[], row: number): RawRow {
  if (cells.length > header.length && cells.slice(header.length).some((c) => c !== '')) {
    return { row, error: dcMessage('dc.row.cellCount', { cells: cells.length, columns: header.length }) };
  }
  const values: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) values[header[i]!] = cells[i] ?? '';
  return { row, values };
}

/**
 * Why csv-parse could not read the file, as the user reads it. Rows are numbered as a
 * spreadsheet shows them, blank ones included (csv-parse's line count is not the row: a quoted
 * line break makes a record span lines); `rowsBefore` is added to the row csv-parse was on.
 */
export function csvParseError(error: unknown, rowsBefore = 0): Error {
  if (error instanceof UnreadableFileError) return error;
  const { code, message, records } = error as Error & { code?: string; records?: number };
  if (records === undefined) return new UnreadableFileError(dcMessage('dc.file.notCsv', { error: message }));
  // The record being read when it failed is not counted yet.
  const row = rowsBefore + records + 1;
  if (code === 'CSV_MAX_RECORD_SIZE') return csvTooLong(row);
  return new UnreadableFileError(dcMessage('dc.file.notCsvAt', { row, error: message.replace(/ at line \d+/, '') }));
}

function csvTooLong(row: number): UnreadableFileError {
  return new UnreadableFileError(dcMessage('dc.file.rowTooLong', { row, mb: MAX_CSV_RECORD_BYTES / (1 << 20) }));
}

/**
 * How a CSV file is laid out, from its first bytes (a sample holding at least the header):
 * its encoding (given), header and record ends. Null when the file must be read as a stream
 * instead: its header does not end within the sample or is not its first line, or its records
 * end with a lone CR.
 *
 * @example
 * csvLayout(Buffer.from('id,name\r\n1,a\r\n'), 'utf-8'); // { recordEnd: '\r\n', header: ['id', 'name'], bodyStart: 9, … }
 */
export function csvLayout(sample: Uint8Array, encoding: TextEncodingName): CsvLayout | null {
  const start = encoding === 'utf-8' && hasUtf8Bom(sample) ? 3 : 0;
  // The header's end: the first CR or LF outside quotes.
  let quoted = false;
  let end = -1;
  for (let i = start; i < sample.length; i++) {
    const byte = sample[i];
    if (byte === QUOTE) quoted = !quoted;
    else if (!quoted && (byte === LF || byte === CR)) {
      end = i;
      break;
    }
  }
  if (end === -1 || end === start) return null; // no header in sight, or a blank line before it
  let recordEnd: CsvLayout['recordEnd'] = '\n';
  if (sample[end] === CR) {
    if (end + 1 >= sample.length || sample[end + 1] !== LF) return null;
    recordEnd = '\r\n';
  }
  const headerBytes = sample.subarray(start, end);
  const records = parse(decodeCsv(headerBytes, encoding), csvParseOptions(recordEnd));
  const header = csvHeader(records[0] ?? []);
  return { encoding, recordEnd, header, bodyStart: end + recordEnd.length };
}

/**
 * Cuts a CSV body (the bytes after the header) into pieces of whole records of at least `size`
 * bytes. `UnreadableFileError` when no record ends within `MAX_CSV_RECORD_BYTES` past a
 * piece's size: a record that long (or an unclosed quote) would otherwise be held whole.
 */
export function csvPieces(body: AsyncIterable<Uint8Array>, layout: CsvLayout, size: number): AsyncGenerator<FilePiece> {
  const crlf = layout.recordEnd === '\r\n';
  let quoted = false;
  let previous = -1; // the last byte of the chunk before (a CR before a chunk's first LF)
  return cutPieces(body, size, 2, {
    ends(chunk) {
      let last = -1;
      let rows = 0;
      quoted = walkRecordEnds(chunk, quoted, previous, crlf, (at) => {
        last = at;
        rows++;
      });
      previous = chunk[chunk.length - 1]!;
      return { last, rows };
    },
    maxHeld: size + MAX_CSV_RECORD_BYTES,
    tooLong: csvTooLong,
  });
}

/**
 * Calls `end` with the offset of each record end in `bytes`: a LF outside quotes (after a CR
 * when records end with CRLF; `before` is the byte before `bytes`). `quoted` says whether
 * `bytes` starts inside quotes; the result, whether it ends inside them. Quotes and line feeds
 * are sought with `indexOf` (native): cutting 40 MB of people took ~1 s with a loop over every
 * byte, 0.16 s so.
 */
function walkRecordEnds(bytes: Buffer, quoted: boolean, before: number, crlf: boolean, end: (at: number) => void): boolean {
  let at = 0;
  let lf = -1; // the next LF at or after `at`, once sought
  let noMoreLf = false;
  while (at < bytes.length) {
    const quote = bytes.indexOf(QUOTE, at);
    if (quoted) {
      if (quote === -1) return true;
      quoted = false;
      at = quote + 1;
      continue;
    }
    const until = quote === -1 ? bytes.length : quote;
    if (!noMoreLf && lf < at) lf = bytes.indexOf(LF, at);
    while (lf !== -1 && lf < until) {
      if (!crlf || (lf > 0 ? bytes[lf - 1] : before) === CR) end(lf);
      lf = bytes.indexOf(LF, lf + 1);
    }
    if (lf === -1) noMoreLf = true;
    if (quote === -1) return false;
    quoted = true;
    at = quote + 1;
  }
  return quoted;
}

/**
 * The rows of one piece of a CSV body, numbered as a spreadsheet shows them (blank ones count).
 *
 * @example
 * [...csvRows({ bytes: Buffer.from('1,a\n\n2,b\n'), firstRow: 2 }, layout)]; // rows 2 and 4
 */
export function* csvRows(piece: FilePiece, layout: CsvLayout): Generator<RawRow> {
  const crlf = layout.recordEnd === '\r\n';
  const bytes = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.length);
  if (layout.encoding === 'utf-8' && !isUtf8(bytes)) throw notUtf8();
  // Parsed a slice of whole records at a time: a megabyte's records parsed at once outlived
  // the young generation, and parsing and checking a person took 12.5 µs instead of 7.3.
  let row = piece.firstRow - 1;
  let start = 0;
  const ends: number[] = [];
  walkRecordEnds(bytes, false, -1, crlf, (at) => {
    if (at - start >= CSV_SLICE_BYTES) {
      ends.push(at);
      start = at + 1;
    }
  });
  ends.push(bytes.length - 1);
  start = 0;
  for (const sliceEnd of ends) {
    if (sliceEnd < start) continue;
    const slice = bytes.subarray(start, sliceEnd + 1);
    start = sliceEnd + 1;
    let records: string[][];
    try {
      // UTF-8 goes to csv-parse as bytes (checked above): it would encode a string back to bytes.
      records = parse(layout.encoding === 'utf-8' ? slice : decodeCsv(slice, layout.encoding), csvParseOptions(layout.recordEnd));
    } catch (error) {
      throw csvParseError(error, row);
    }
    for (const cells of records) {
      row++;
      if (!isBlankRecord(cells)) yield csvRecordRow(cells, layout.header, row);
    }
  }
}

/** A piece is parsed in slices of whole records of about this size (`csvRows`). */
const CSV_SLICE_BYTES = 64 << 10;
