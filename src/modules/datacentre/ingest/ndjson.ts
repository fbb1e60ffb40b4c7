import { isUtf8 } from 'node:buffer';
import { UnreadableFileError, type RawRow } from './raw-row';

/**
 * NDJSON in line-aligned pieces: a byte stream cut at line ends into pieces of about a given
 * size, each with the number of its first line, and the rows of one piece. A piece is whole
 * lines, so it decodes on its own (no UTF-8 sequence holds a line feed byte) and can be read
 * anywhere: in this thread, or in a worker (`parallel.ts`).
 */

/** A run of whole lines of an NDJSON stream. */
export interface NdjsonPiece {
  bytes: Uint8Array<ArrayBuffer>;
  /** The file's line number of the piece's first line (1 for the first). */
  firstRow: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** NDJSON is read in pieces of whole lines of about this size (in this thread or in workers). */
export const NDJSON_PIECE_BYTES = 1 << 20;

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) lines++;
  return lines;
}

/**
 * Cuts a byte stream into line-aligned pieces of at least `size` bytes (the last one shorter;
 * a line longer than `size` makes its piece longer).
 *
 * @example
 * for await (const piece of ndjsonPieces(fs.createReadStream('a.ndjson'), 1 << 20)) …
 */
export async function* ndjsonPieces(input: AsyncIterable<Uint8Array>, size: number, onBytes?: (n: number) => void): AsyncGenerator<NdjsonPiece> {
  const parts: Uint8Array[] = [];
  let held = 0;
  let firstRow = 1;
  // The first `length` bytes held, in an ArrayBuffer of their own (never a slice of Buffer's
  // shared pool, nor shared with the bytes kept back), so a worker can be handed it whole.
  const take = (length: number): NdjsonPiece => {
    const bytes = new Uint8Array(length);
    for (let at = 0; at < length; ) {
      const part = parts.shift()!;
      const n = Math.min(part.length, length - at);
      bytes.set(part.subarray(0, n), at);
      at += n;
      if (n < part.length) parts.unshift(part.subarray(n));
    }
    held -= length;
    const piece = { bytes, firstRow };
    firstRow += countLines(bytes);
    return piece;
  };
  for await (const chunk of input) {
    onBytes?.(chunk.length);
    parts.push(chunk);
    held += chunk.length;
    if (held < size) continue;
    const end = chunk.lastIndexOf(LF);
    if (end === -1) continue; // no line ends in this chunk: the piece grows until one does
    yield take(held - chunk.length + end + 1);
  }
  if (held > 0) yield take(held);
}

/**
 * The rows of one piece, numbered by line (blank lines are skipped but counted). Throws
 * `UnreadableFileError` when the bytes are not UTF-8: NDJSON is UTF-8 by definition, and
 * replacing them would store damaged text without a word.
 *
 * @example
 * [...ndjsonRows(Buffer.from('{"a":1}\n\n{"a":2}\n'), 1)]; // rows 1 and 3
 */
export function* ndjsonRows(bytes: Uint8Array, firstRow: number): Generator<RawRow> {
  // Checked at memory speed, then decoded line by line: a megabyte decoded whole into one string
  // ran at ~100 MB/s, its lines one by one at ~500 MB/s (Node 20; a fatal TextDecoder took 3 ns a byte).
  if (!isUtf8(bytes)) throw new UnreadableFileError('The file is not valid UTF-8: NDJSON is UTF-8 throughout; save it as UTF-8');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let row = firstRow - 1;
  let start = firstRow === 1 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  while (start < buffer.length) {
    let end = buffer.indexOf(LF, start);
    if (end === -1) end = buffer.length;
    const line = buffer.toString('utf8', start, end > start && buffer[end - 1] === CR ? end - 1 : end);
    start = end + 1;
    row++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { row, error: 'not valid JSON' };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) yield { row, error: 'not a JSON object' };
    else yield { row, values: value as Record<string, unknown> };
  }
}

/** The rows of pieces, in their order. */
export async function* ndjsonPieceRows(pieces: AsyncIterable<NdjsonPiece> | Iterable<NdjsonPiece>): AsyncGenerator<RawRow> {
  for await (const piece of pieces) yield* ndjsonRows(piece.bytes, piece.firstRow);
}
