import { renderMessage } from '../../../platform/i18n';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../../../platform/ids';
import type { StoredField } from '../datacentre.store';
import iconv from 'iconv-lite';
import { readCsvInWorkers, readNdjsonInWorkers } from './parallel';
import { UnreadableFileError } from './raw-row';
import { readRows, type ReadInfo } from './readers';
import { readInThread, type BatchReader, type ValidatedChunk, type ValidatorSetup } from './validate';

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

type Options = Parameters<typeof readNdjsonInWorkers>[2];
const columnsIn = (columns: ValidatedChunk['columns']) => columns && { mismatch: columns.mismatch && renderMessage(columns.mismatch, 'en') };
async function read(bytes: Buffer, options: Options, reader: (input: Readable, info: ReadInfo, options: Options) => BatchReader = readNdjsonInWorkers) {
  const chunks: ValidatedChunk[] = [];
  const info: ReadInfo = { encoding: null, bytes: 0 };
  for await (const chunk of reader(stream(bytes), info, options)(setup)) {
    chunks.push({ ...chunk, copy: Uint8Array.from(chunk.copy) });
    if (chunk.columns?.mismatch) break; // as a batch stops: nothing after it counts
  }
  const sum = (key: 'rowsRead' | 'rowsValid' | 'rowsInvalid') => chunks.reduce((n, c) => n + c[key], 0);
  return {
    copy: Buffer.concat(chunks.map((c) => c.copy)).toString(),
    rowsRead: sum('rowsRead'),
    rowsValid: sum('rowsValid'),
    rowsInvalid: sum('rowsInvalid'),
    // Reasons as their English text (the messages' codes cross the threads: ADR 0020).
    errors: chunks.flatMap((c) => c.errors).map((e) => ({ ...e, reason: renderMessage(e.reason, 'en') })),
    columns: columnsIn(chunks.find((c) => c.columns)?.columns),
    bytes: info.bytes,
    encoding: info.encoding,
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

// About 400 KB of CSV with every kind of record a file holds: a byte-order mark and Chinese
// column labels, quoted cells with line breaks, commas and doubled quotes, tabs to escape,
// blank and whitespace-only lines, a row with too many cells, bad values.
function csv(end: '\n' | '\r\n', bom = true): string {
  let text = `${bom ? '\uFEFF' : ''}编号,持有人,"备注",since${end}`;
  for (let i = 2; i <= 4001; i++) {
    if (i % 97 === 0) text += end;
    else if (i % 101 === 0) text += `   ${end}`;
    else if (i % 89 === 0) text += `N${i},${holder},x,2024-01-01,extra${end}`;
    else if (i % 79 === 0) text += `N${i},350203199003071234,,2023-02-29${end}`;
    else if (i % 7 === 0) text += `N${i},${holder},"鹭岛""第${i}号""${i % 2 ? '\n' : '\r\n'}第二行, 含逗号",2024-02-29${end}`;
    else text += `N${i},${holder},鹭岛\t第${i}号,2024-02-29${end}`;
  }
  return text;
}

const inThread = (input: Readable, info: ReadInfo): BatchReader => readInThread(readRows(input, 'csv', info));
const cut: Options = { workers: 3, pieceBytes: 4096, inThreadBytes: 0 };

describe('reading CSV on worker threads', () => {
  it('gives what reading in this thread gives, whatever the line ends and encoding', async () => {
    for (const [name, bytes] of [
      ['LF', Buffer.from(csv('\n'))],
      ['CRLF', Buffer.from(csv('\r\n'))],
      ['GB18030', iconv.encode(csv('\r\n', false), 'gb18030')],
    ] as const) {
      const one = await read(bytes, {}, inThread);
      const many = await read(bytes, cut, readCsvInWorkers);
      expect(many.chunks, name).toBeGreaterThan(20);
      expect(many, name).toEqual({ ...one, chunks: many.chunks });
      expect(many.bytes, name).toBe(bytes.length);
      expect(one.columns, name).toEqual({ mismatch: null });
      expect(one.encoding, name).toBe(name === 'GB18030' ? 'gb18030' : 'utf-8');
      // Rows are numbered as a spreadsheet shows them, whatever line breaks their cells hold.
      expect(one.errors.slice(0, 3), name).toEqual([
        { row: 79, field: 'holder', reason: 'not a valid resident ID number (check)' },
        { row: 79, field: 'since', reason: 'not a real date: 2023-02-29' },
        { row: 89, field: '', reason: 'has 5 cells but the header names 4 columns' },
      ]);
      expect(one.errors.find((e) => e.row > 3900 && e.field === 'since')?.row, name).toBe(3950); // 79 × 50
      const lines = one.copy.split('\n');
      expect(lines.find((l) => l.startsWith('N2\t')), name).toBe(`N2\t${holder}\t2\tN2\t${holder}\t鹭岛\\t第2号\t2024-02-29`);
      expect(lines.find((l) => l.startsWith('N7\t')), name).toBe(`N7\t${holder}\t7\tN7\t${holder}\t鹭岛"第7号"\\n第二行, 含逗号\t2024-02-29`);
    }
  });

  it('reads a file it cannot cut in this thread, as the stream reader does: records ending with a lone CR, blank lines before the header', async () => {
    for (const bytes of [Buffer.from(csv('\r\n').replace(/\r\n/g, '\r')), Buffer.from(`\n\n${csv('\n', false)}`)]) {
      const many = await read(bytes, cut, readCsvInWorkers);
      expect(many.chunks).toBeLessThan(5);
      expect(many).toEqual({ ...(await read(bytes, {}, inThread)), chunks: many.chunks });
      expect(many.rowsValid).toBeGreaterThan(3000);
    }
  });

  it('refuses what the stream reader refuses: bytes that stop being UTF-8, a row over 1 MB, a quote never closed', async () => {
    const text = csv('\n');
    const broken = Buffer.concat([Buffer.from(text), Buffer.from([0x4e, 0x39, 0x2c, 0xff, 0xfe, 0x0a])]);
    for (const reader of [inThread, readCsvInWorkers]) {
      await expect(read(broken, cut, reader)).rejects.toThrow('The file is not valid UTF-8 after its beginning');
    }
    // Row numbers as a spreadsheet shows them: the header is row 1, and the text has 4,001 rows.
    const longRow = Buffer.from(`${text}N1,${holder},${'x'.repeat(1_100_000)},2024-02-29\n${text.slice(text.indexOf('\n') + 1)}`);
    for (const reader of [inThread, readCsvInWorkers]) {
      await expect(read(longRow, cut, reader)).rejects.toThrow('Row 4002 is longer than 1 MB: split its cells, or look for an unclosed quote before it');
    }
    // A quote never closed, with no quote after it: one record to the file's end. (Unquoted,
    // the line breaks that were in cells end rows.)
    const unquoted = `${text.slice(0, 30)}${text.slice(30).replace(/"/g, "'")}`;
    const unclosed = Buffer.from(`${unquoted}N1,"${'x,\n'.repeat(800_000)}`);
    for (const reader of [inThread, readCsvInWorkers]) {
      await expect(read(unclosed, cut, reader)).rejects.toThrow(`Row ${unquoted.split('\n').length} is longer than 1 MB`);
    }
    // A quote in the middle of a cell.
    const stray = Buffer.from(`${text}N1,a"b,,\n${text}`);
    for (const reader of [inThread, readCsvInWorkers]) {
      await expect(read(stray, cut, reader)).rejects.toThrow(/^The file is not readable CSV at row 4002: Invalid Opening Quote: a quote is found on field 1, value is "a"/);
    }
  });
});
