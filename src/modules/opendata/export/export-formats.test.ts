import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXPORT_MEDIA_TYPES, exportStream, type ExportColumn, type ExportFormat } from './export-formats';

const COLUMNS: ExportColumn[] = [
  { name: 'id', label: '编号', type: 'integer' },
  { name: 'name', label: '站点名称', type: 'text' },
  { name: 'fare', label: '票价', type: 'decimal' },
  { name: 'opened', label: '启用日期', type: 'date' },
  { name: 'checked_at', label: '核查时间', type: 'timestamp' },
  { name: 'accessible', label: '无障碍', type: 'boolean' },
  { name: 'extra', label: '附加', type: 'json' },
  { name: 'lat', label: '纬度', type: 'decimal' },
  { name: 'lon', label: '经度', type: 'decimal' },
];

const ROWS: Record<string, unknown>[] = [
  { id: 1, name: '思明区, 中山路 "老街"', fare: '1.50', opened: '2020-01-02', checked_at: '2026-03-01T02:30:00.000Z', accessible: true, extra: { lines: [1, 2] }, lat: '24.4551', lon: '118.0813' },
  { id: 2, name: '第一行\n第二行\r\n第三行', fare: 2, opened: null, checked_at: null, accessible: false, extra: null, lat: null, lon: null },
  { id: 3, name: null, fare: null, opened: '2021-12-31', checked_at: null, accessible: null, extra: '文本', lat: 24.5, lon: 118.1, ignored: 'x' },
];

async function* batchesOf(rows: Record<string, unknown>[], size = 2): AsyncGenerator<Record<string, unknown>[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('exportStream', () => {
  it('names a media type for every format', () => {
    expect(EXPORT_MEDIA_TYPES).toEqual({
      csv: 'text/csv; charset=utf-8',
      json: 'application/json',
      xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      geojson: 'application/geo+json',
    });
  });

  it('writes RFC 4180 CSV that parses back, with a BOM only when asked', async () => {
    const plain = await bytes(exportStream('csv', COLUMNS, batchesOf(ROWS)));
    expect(plain.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
    const text = plain.toString('utf8');
    expect(text.startsWith('id,name,fare,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parse(text, { relax_column_count: false }) as string[][];
    expect(records[0]).toEqual(COLUMNS.map((c) => c.name));
    expect(records[1]).toEqual(['1', '思明区, 中山路 "老街"', '1.50', '2020-01-02', '2026-03-01T02:30:00.000Z', 'true', '{"lines":[1,2]}', '24.4551', '118.0813']);
    expect(records[2]).toEqual(['2', '第一行\n第二行\r\n第三行', '2', '', '', 'false', '', '', '']);
    expect(records[3]).toEqual(['3', '', '', '2021-12-31', '', '', '"文本"', '24.5', '118.1']);
    expect(records).toHaveLength(4);

    const withBom = await bytes(exportStream('csv', COLUMNS, batchesOf(ROWS), { bom: true, header: 'label' }));
    expect(withBom.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const labelled = parse(withBom, { bom: true }) as string[][];
    expect(labelled[0]).toEqual(COLUMNS.map((c) => c.label));
    expect(labelled.slice(1)).toEqual(records.slice(1));
  });

  it('writes a JSON array of the columns, valid with zero rows', async () => {
    const parsed = JSON.parse((await bytes(exportStream('json', COLUMNS, batchesOf(ROWS)))).toString('utf8')) as unknown[];
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toEqual({ id: 1, name: '思明区, 中山路 "老街"', fare: '1.50', opened: '2020-01-02', checked_at: '2026-03-01T02:30:00.000Z', accessible: true, extra: { lines: [1, 2] }, lat: '24.4551', lon: '118.0813' });
    expect(parsed[2]).not.toHaveProperty('ignored');
    expect(parsed[2]).toMatchObject({ name: null, extra: '文本' });

    async function* none(): AsyncGenerator<Record<string, unknown>[]> {}
    expect(JSON.parse((await bytes(exportStream('json', COLUMNS, none()))).toString('utf8'))).toEqual([]);
    expect(JSON.parse((await bytes(exportStream('json', COLUMNS, batchesOf([])))).toString('utf8'))).toEqual([]);
  });

  it('writes XLSX with a bold, frozen header and typed cells', async () => {
    const file = await bytes(exportStream('xlsx', COLUMNS, batchesOf(ROWS), { sheetName: '公交站点: 2026/03' }));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('公交站点  2026 03');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, ...COLUMNS.map((c) => c.label)]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(4);

    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(2).value).toBe('思明区, 中山路 "老街"');
    expect(first.getCell(3).value).toBe(1.5);
    expect(first.getCell(4).value).toEqual(new Date(Date.UTC(2020, 0, 2)));
    expect(first.getCell(4).numFmt).toBe('yyyy-mm-dd');
    // 02:30 UTC is 10:30 in the city, shown as such (Excel has no zones).
    expect(first.getCell(5).value).toEqual(new Date(Date.UTC(2026, 2, 1, 10, 30)));
    expect(first.getCell(6).value).toBe(true);
    expect(first.getCell(7).value).toBe('{"lines":[1,2]}');
    expect(first.getCell(8).value).toBe(24.4551);

    const second = sheet.getRow(3);
    // XML normalises \r\n to \n (Excel shows either as one line break).
    expect(second.getCell(2).value).toBe('第一行\n第二行\n第三行');
    expect(second.getCell(4).value).toBeNull();
    expect(second.getCell(6).value).toBe(false);
    expect(sheet.getRow(4).getCell(7).value).toBe('"文本"');
  });

  it('writes GeoJSON points as [lon, lat], null geometry when a coordinate is missing', async () => {
    const geo = { lat: 'lat', lon: 'lon' };
    const parsed = JSON.parse((await bytes(exportStream('geojson', COLUMNS, batchesOf(ROWS), { geo }))).toString('utf8')) as {
      type: string;
      features: { type: string; geometry: { type: string; coordinates: number[] } | null; properties: Record<string, unknown> }[];
    };
    expect(parsed.type).toBe('FeatureCollection');
    expect(parsed.features.map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [118.0813, 24.4551] }, null, { type: 'Point', coordinates: [118.1, 24.5] }]);
    expect(parsed.features[0]!.type).toBe('Feature');
    expect(Object.keys(parsed.features[0]!.properties)).toEqual(['id', 'name', 'fare', 'opened', 'checked_at', 'accessible', 'extra']);
    expect(JSON.parse((await bytes(exportStream('geojson', COLUMNS, batchesOf([]), { geo }))).toString('utf8'))).toEqual({ type: 'FeatureCollection', features: [] });
    expect(() => exportStream('geojson', COLUMNS, batchesOf(ROWS))).toThrow(/GeoJSON export needs geo columns/);
  });

  it.each<ExportFormat>(['csv', 'json', 'xlsx', 'geojson'])('%s: an error from the rows destroys the stream with that error', async (format) => {
    const failure = new Error('cursor lost');
    async function* failing(): AsyncGenerator<Record<string, unknown>[]> {
      yield ROWS;
      throw failure;
    }
    await expect(bytes(exportStream(format, COLUMNS, failing(), { geo: { lat: 'lat', lon: 'lon' } }))).rejects.toBe(failure);
  });

  it.each<ExportFormat>(['csv', 'json', 'xlsx', 'geojson'])('%s: pulls no further batches while the consumer does not read, and stops the rows when destroyed', async (format) => {
    const total = 200;
    let pulled = 0;
    let closed = false;
    async function* rows(): AsyncGenerator<Record<string, unknown>[]> {
      try {
        for (let b = 0; b < total; b++) {
          pulled++;
          yield Array.from({ length: 1000 }, (_, i) => ({ ...ROWS[0], id: b * 1000 + i, name: `站点 ${Math.random()}` }));
        }
      } finally {
        closed = true;
      }
    }
    const settle = async () => {
      for (let i = 0; i < 30; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const stream = exportStream(format, COLUMNS, rows(), { geo: { lat: 'lat', lon: 'lon' } });
    const reader = stream[Symbol.asyncIterator]();
    expect((await reader.next()).done).toBe(false);
    // Give an eager implementation every chance to run ahead: counts are asserted, never times.
    await settle();
    const stalled = pulled;
    await settle();
    expect(pulled).toBe(stalled);
    // zlib and the archive hold a batch or two of XLSX output (how much depends on how well the
    // random names compress and when zlib's thread answers); an eager writer would pull all 200.
    expect(pulled).toBeLessThan(format === 'xlsx' ? 6 : 3);
    stream.destroy();
    await settle();
    expect(closed).toBe(true);
    expect(pulled).toBe(stalled);
  });

  // Size, not time: the heap must not grow with the output. XLSX output is compressed (about
  // 8 MB here), so only its memory is checked.
  it.each<ExportFormat>(['csv', 'json', 'xlsx'])('%s: streams 300,000 rows in constant memory', async (format) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    async function* rows(): AsyncGenerator<Record<string, unknown>[]> {
      for (let b = 0; b < 300; b++) {
        yield Array.from({ length: 1000 }, (_, i) => ({
          id: b * 1000 + i,
          name: `厦门市思明区公交站点 ${b}-${i}, "测试"`,
          fare: '12.50',
          opened: '2024-05-01',
          checked_at: '2026-03-01T02:30:00.000Z',
          accessible: i % 2 === 0,
          extra: { lines: [b, i], note: 'note text' },
          lat: '24.4551',
          lon: '118.0813',
        }));
      }
    }
    gc();
    const before = process.memoryUsage();
    let written = 0;
    let nextSample = 0;
    let peak = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (written >= nextSample) {
          // Garbage collected first, so what remains is what the stream holds on to.
          gc();
          const now = process.memoryUsage();
          peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
          nextSample += format === 'xlsx' ? 1_000_000 : 5_000_000;
        }
        callback();
      },
    });
    await pipeline(exportStream(format, COLUMNS, rows()), sink);
    expect(written).toBeGreaterThan(format === 'xlsx' ? 5_000_000 : 30_000_000);
    expect(peak).toBeLessThan(20_000_000);
  });
});
