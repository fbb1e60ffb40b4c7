import { isUtf8 } from 'node:buffer';

/**
 * Text encodings of uploaded CSV files. Uploads come from Excel, WPS and older government
 * systems: UTF-8 (often with a BOM, which Excel needs) or GBK/GB18030 (GBK is a subset of
 * GB18030, so one decoder reads both).
 */
export type TextEncodingName = 'utf-8' | 'gb18030';

/** How many leading bytes `detectEncoding` looks at. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Whether the bytes start with the UTF-8 byte order mark (EF BB BF).
 *
 * @example
 * hasUtf8Bom(Buffer.from('\uFEFFid,name')); // true
 * hasUtf8Bom(Buffer.from('id,name'));       // false
 */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * The length of `bytes` without a UTF-8 sequence cut off at its end (a multi-byte character
 * whose first bytes are in this chunk and whose last bytes are in the next). Only the lead
 * byte is looked at; whether the sequence is valid is `isUtf8`'s job.
 *
 * @example
 * const bytes = Buffer.from('鹭岛'); // 6 bytes, 3 per character
 * completeUtf8Length(bytes);                 // 6
 * completeUtf8Length(bytes.subarray(0, 4));  // 3: the second character is cut
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  // A sequence is at most 4 bytes, so its lead byte is within the last 4 (3 if it is cut).
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < need ? i : end;
  }
  return end;
}

/**
 * Guesses the encoding of a text file from its first bytes (up to `SNIFF_BYTES`): a UTF-8 BOM
 * means UTF-8; otherwise bytes that are valid UTF-8 mean UTF-8 (pure ASCII included); anything
 * else is read as GB18030. Pass `complete: false` when the sample is a prefix of a longer file,
 * so that a character cut at the end of the sample is not held against UTF-8.
 *
 * Short GBK texts can happen to be valid UTF-8 (the classic case is 联通); with the tens of
 * kilobytes of a real upload that does not happen in practice. A file whose first 64 KB are
 * ASCII and whose later rows are GBK is detected as UTF-8 and then fails with an 'encoding'
 * error naming the row, so the user can declare GB18030.
 *
 * @example
 * detectEncoding(Buffer.from('名称,数量\n'), true);                         // 'utf-8'
 * detectEncoding(iconv.encode('名称,数量\n', 'gb18030'), true);             // 'gb18030'
 * detectEncoding(Buffer.from('名称').subarray(0, 4), false);               // 'utf-8' (cut character)
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): TextEncodingName {
  if (hasUtf8Bom(sample)) return 'utf-8';
  const window = sample.subarray(0, SNIFF_BYTES);
  const cutAtWindow = !complete || sample.length > SNIFF_BYTES;
  const checked = cutAtWindow ? window.subarray(0, completeUtf8Length(window)) : window;
  return isUtf8(checked) ? 'utf-8' : 'gb18030';
}
