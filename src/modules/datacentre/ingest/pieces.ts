/**
 * A file's byte stream cut into pieces of whole records, each with the row number of its
 * first record, so that pieces can be read anywhere: in this thread or in a worker
 * (`parallel.ts`). Where a record may end is the format's business (`ndjson.ts`, `csv.ts`).
 */

/** A file (NDJSON or CSV) is read in pieces of whole records of about this size, in this thread or in workers. */
export const PIECE_BYTES = 1 << 20;

/** A run of whole records of a file. */
export interface FilePiece {
  bytes: Uint8Array<ArrayBuffer>;
  /** The row number of the piece's first record (a line of NDJSON, a spreadsheet row of CSV; blank ones count). */
  firstRow: number;
}

/** Where a format's records end. */
export interface RecordCutter {
  /**
   * Where records end in `chunk`: the offset of the last one's last byte (-1 when none ends
   * there) and how many rows end in it. Called on every chunk, in order.
   */
  ends(chunk: Buffer): { last: number; rows: number };
  /** With `tooLong`: the most bytes held without a record end before reading stops with `tooLong(firstRow)`. */
  maxHeld?: number;
  tooLong?(firstRow: number): Error;
}

/**
 * Cuts a byte stream into pieces of whole records of at least `size` bytes (the last one
 * shorter; a record longer than `size` makes its piece longer), numbered from `firstRow`.
 */
export async function* cutPieces(input: AsyncIterable<Uint8Array>, size: number, firstRow: number, cutter: RecordCutter, onBytes?: (n: number) => void): AsyncGenerator<FilePiece> {
  const parts: Uint8Array[] = [];
  let held = 0;
  let cutAt = -1; // the end of the last whole record held, as an offset in what is held
  let rowsHeld = 0; // rows ending at or before `cutAt`: a piece is cut at a chunk's last record end
  // The first `length` bytes held, in an ArrayBuffer of their own (never a slice of Buffer's
  // shared pool, nor shared with the bytes kept back), so a worker can be handed it whole.
  const take = (length: number): FilePiece => {
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
    firstRow += rowsHeld;
    rowsHeld = 0;
    return piece;
  };
  for await (const chunk of input) {
    onBytes?.(chunk.length);
    if (chunk.length === 0) continue;
    parts.push(chunk);
    const ends = cutter.ends(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    if (ends.last !== -1) cutAt = held + ends.last;
    rowsHeld += ends.rows;
    held += chunk.length;
    if (held >= size && cutAt !== -1) {
      yield take(cutAt + 1);
      cutAt = -1;
    } else if (cutAt === -1 && cutter.maxHeld !== undefined && held > cutter.maxHeld) {
      throw cutter.tooLong!(firstRow);
    }
  }
  if (held > 0) yield take(held);
}
