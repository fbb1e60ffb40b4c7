import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../../../platform/ids';
import type { StoredField } from '../datacentre.store';
import { readNdjsonInWorkers } from './parallel';
import { UnreadableFileError } from './raw-row';
import type { ValidatedChunk, ValidatorSetup } from './validate';

const fields: StoredField[] = [
  { name: 'no', labelZh: '编号', labelEn: 'Number', type: 'text', required: true, sensitivity: 1 },
  { name: 'holder', labelZh: '持有人', labelEn: 'Holder', type: 'resident_id', required: true, sensitivity: 4 },
  { name: 'note', labelZh: '备注', labelEn: 'Note', type: 'text', required: false, sensitivity: 1 },
  { name: 'since', labelZh: '起始日期', labelEn: 'Since', type: 'date', required: false, sensitivity: 1 },
];
const setup: ValidatorSetup = { schema: { fields, key_fields: ['no'], subject_field: 'holder', subject_kind: 'person' }, operation: 'upsert' };
const holder = makeResidentId({ areaCode: '350203', birthDate: '1990-03-07', sequence: 123 });

// About 150 KB of NDJSON with every kind of line a file holds: good rows (Chinese, tabs to
// escape, CRLF ends), blank lines, broken JSON, a non-object, bad values.
function ndjson(): string {
  let text = '\uFEFF';
  for (let i = 1; i <= 2000; i++) {
    if (i % 97 === 0) text += '\n';
    else if (i % 89 === 0) text += '{"no": broken\r\n';
    else if (i % 83 === 0) text += '[1, 2]\n';
    else if (i % 79 === 0) text += `${JSON.stringify({ no: `N${i}`, holder: '350203199003071234', since: '2023-02-29' })}\n`;
    else text += `${JSON.stringify({ no: `N${i}`, holder, note: `鹭岛\t第${i}号`.repeat(i % 5), since: '2024-02-29' })}${i % 2 ? '\n' : '\r\n'}`;
  }
  return text;
}

// The stream in uneven chunks, as a socket or a file delivers it.
function stream(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0, n = 1; at < bytes.length; at += n, n = (n * 7 + 13) % 5000 || 1) chunks.push(bytes.subarray(at, at + n));
  return Readable.from(chunks);
}

async function read(bytes: Buffer, options: Parameters<typeof readNdjsonInWorkers>[2]) {
  const chunks: ValidatedChunk[] = [];
  const info = { encoding: null, bytes: 0 };
  for await (const chunk of readNdjsonInWorkers(stream(bytes), info, options)(setup)) {
    chunks.push({ ...chunk, copy: Uint8Array.from(chunk.copy) });
    if (chunk.columns?.mismatch) break; // as a batch stops: nothing after it counts
  }
  const sum = (key: 'rowsRead' | 'rowsValid' | 'rowsInvalid') => chunks.reduce((n, c) => n + c[key], 0);
  return {
    copy: Buffer.concat(chunks.map((c) => c.copy)).toString(),
    rowsRead: sum('rowsRead'),
    rowsValid: sum('rowsValid'),
    rowsInvalid: sum('rowsInvalid'),
    errors: chunks.flatMap((c) => c.errors),
    columns: chunks.find((c) => c.columns)?.columns,
    bytes: info.bytes,
    chunks: chunks.length,
  };
}

describe('reading NDJSON on worker threads', () => {
  it('gives what reading in this thread gives: the same COPY text, counts, and errors by line', async () => {
    const bytes = Buffer.from(ndjson());
    const inThread = await read(bytes, { inThreadBytes: Infinity });
    const inWorkers = await read(bytes, { workers: 3, pieceBytes: 4096, inThreadBytes: 0 });
    expect(inWorkers.chunks).toBeGreaterThan(30);
    expect(inThread.chunks).toBe(1);
    expect(inWorkers).toEqual({ ...inThread, chunks: inWorkers.chunks });
    expect(inWorkers.bytes).toBe(bytes.length);
    expect(inThread.rowsRead).toBe(2000 - 20); // blank lines are counted as lines, not as rows
    expect(inThread.columns).toEqual({ mismatch: null });
    expect(inThread.errors.slice(0, 5)).toEqual([
      { row: 79, field: 'holder', reason: 'not a valid resident ID number (check)' },
      { row: 79, field: 'since', reason: 'not a real date: 2023-02-29' },
      { row: 83, field: '', reason: 'not a JSON object' },
      { row: 89, field: '', reason: 'not valid JSON' },
      { row: 158, field: 'holder', reason: 'not a valid resident ID number (check)' },
    ]);
    // Row 1 lost its byte-order mark; the tab in a note is escaped for COPY; _row is the line.
    const lines = inThread.copy.split('\n');
    expect(lines[0]).toBe(`N1\t${holder}\t1\tN1\t${holder}\t鹭岛\\t第1号\t2024-02-29`);
    expect(lines.find((l) => l.startsWith('N1001\t'))?.split('\t')[2]).toBe('1001');
  });

  it('refuses a file that stops being UTF-8 in a later piece, and one whose columns do not match', async () => {
    const broken = Buffer.concat([Buffer.from(ndjson()), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a])]);
    await expect(read(broken, { workers: 2, pieceBytes: 4096, inThreadBytes: 0 })).rejects.toThrow(UnreadableFileError);
    await expect(read(broken, { workers: 2, pieceBytes: 4096, inThreadBytes: 0 })).rejects.toThrow('The file is not valid UTF-8: NDJSON is UTF-8 throughout; save it as UTF-8');
    const strange = Buffer.from(`\n{"no": "N1", "owner": "${holder}"}\n${ndjson()}`);
    const read1 = await read(strange, { workers: 2, pieceBytes: 4096, inThreadBytes: 0 });
    expect(read1.columns?.mismatch).toBe('The columns do not match the resource\'s schema: unknown column "owner"');
    expect(read1.rowsValid).toBe(0);
  });
});
