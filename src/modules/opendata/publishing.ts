import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { BulkSession } from '../../platform/db/database';
import type { RecordReader, SharedResource } from '../datacentre';
import { odMessage } from './messages';
import type { DatasetField, DatasetFieldType, Pipeline } from './opendata.contract';
import { checkPipeline, controlCount, findPersonalValue, isAboutPeople, PersonalDataRefusal, ROUND_TO, SUPPRESS_AT_MOST } from './personal-data';
import type { Segmenter } from './segmenter';
import { tsvectorLiteral } from './segmenter';

/**
 * The publishing pipeline: rows derived from a catalogue resource (aggregated, or selected
 * when the records are not about people) or read from an uploaded file, checked for personal
 * data row by row, and copied into a version's row table with their words for search.
 */

/** Rows on their way into a row table, in batches, with the columns they fill. */
export interface RowSource {
  fields: DatasetField[];
  geo: { lat: string; lon: string } | null;
  batches: AsyncIterable<Record<string, unknown>[]>;
  /** What the pipeline did that a reader of the changelog should know (suppressed groups, …). */
  notes: string[];
}

const PAGE = 5000;
const LAT = /^(lat|latitude|纬度|y)$/i;
const LON = /^(lon|lng|long|longitude|经度|x)$/i;

/** The dataset column type of a catalogue field type. */
export function datasetType(type: string): DatasetFieldType {
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'date':
    case 'timestamp':
    case 'boolean':
    case 'json':
    case 'text':
      return type;
    default:
      return 'text'; // enum, credit_code, place codes: text
  }
}

/** Latitude and longitude columns among fields, by name or label, when both are numeric. */
export function findGeo(fields: readonly DatasetField[]): { lat: string; lon: string } | null {
  const numeric = fields.filter((f) => f.type === 'decimal' || f.type === 'integer');
  const lat = numeric.find((f) => LAT.test(f.name) || LAT.test(f.labelZh));
  const lon = numeric.find((f) => LON.test(f.name) || LON.test(f.labelZh));
  return lat && lon ? { lat: lat.name, lon: lon.name } : null;
}

/**
 * The rows a pipeline derives from a resource. Checks the pipeline first (PersonalDataRefusal);
 * aggregates of records about people get disclosure control (≤ 7 suppressed, rounded to 5).
 *
 * @example
 * const source = await deriveRows(reader, person, { kind: 'aggregate', groupBy: ['district_code', 'gender'] });
 */
export async function deriveRows(reader: RecordReader, resource: SharedResource, pipeline: Pipeline): Promise<RowSource> {
  checkPipeline(resource, pipeline);
  const byName = new Map(resource.fields.map((f) => [f.name, f]));
  const column = (name: string): DatasetField => {
    const f = byName.get(name)!;
    return { name: f.name, labelZh: f.labelZh, labelEn: f.labelEn, type: datasetType(f.type), description: '', unit: null };
  };
  if (pipeline.kind === 'select') {
    const fields = pipeline.fields.map(column);
    async function* pages(): AsyncGenerator<Record<string, unknown>[]> {
      let after: string | undefined;
      for (;;) {
        const page = await reader.query(resource.code, [], pipeline.kind === 'select' ? pipeline.fields : [], { after, limit: PAGE });
        if (page.length === 0) return;
        yield page.map((r) => r.values);
        after = page[page.length - 1]!.key;
        if (page.length < PAGE) return;
      }
    }
    return { fields, geo: findGeo(fields), batches: pages(), notes: [] };
  }
  const measures = pipeline.measures ?? [];
  // People, and any resource that is not open itself: a group of one would publish its record.
  const controlled = isAboutPeople(resource) || resource.openType === 'not_open';
  const rows = await reader.aggregate(resource.code, pipeline.groupBy, measures);
  const fields: DatasetField[] = [
    ...pipeline.groupBy.map(column),
    { name: 'count', labelZh: '数量', labelEn: 'Count', type: 'integer', description: controlled ? `记录数；不超过 ${SUPPRESS_AT_MOST} 的组不公布，其余取整到 ${ROUND_TO}。Records; groups of ${SUPPRESS_AT_MOST} or fewer are withheld, others rounded to ${ROUND_TO}.` : '记录数。Number of records.', unit: null },
    ...measures.map((m) => {
      const f = byName.get(m.field)!;
      const fn = { sum: ['合计', 'Sum'], avg: ['平均', 'Average'], min: ['最小', 'Minimum'], max: ['最大', 'Maximum'] }[m.fn];
      return { name: `${m.fn}_${m.field}`, labelZh: `${f.labelZh}${fn[0]}`, labelEn: `${fn[1]} of ${f.labelEn.toLowerCase()}`, type: 'decimal' as const, description: '', unit: null };
    }),
  ];
  let suppressed = 0;
  const kept: Record<string, unknown>[] = [];
  for (const row of rows) {
    const count = Number(row.count);
    const shown = controlled ? controlCount(count) : count;
    if (shown === null) {
      suppressed += 1;
      continue;
    }
    kept.push({ ...row, count: shown });
  }
  const groups = suppressed === 1 ? '1 group' : `${suppressed} groups`;
  const notes = suppressed > 0 ? [`${suppressed} 个分组记录数不超过 ${SUPPRESS_AT_MOST}，未公布（${groups} of ${SUPPRESS_AT_MOST} or fewer records withheld）`] : [];
  async function* once(): AsyncGenerator<Record<string, unknown>[]> {
    for (let i = 0; i < kept.length; i += PAGE) yield kept.slice(i, i + PAGE);
  }
  return { fields, geo: findGeo(fields), batches: once(), notes };
}

// COPY text format: backslash, tab, newline and carriage return escaped; \N is null.
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function copyValue(value: unknown, type: DatasetFieldType): string {
  if (value === null || value === undefined || value === '') return '\\N';
  if (type === 'json') return copyText(JSON.stringify(value));
  if (type === 'boolean') return value === true || value === 't' || value === 'true' ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return copyText(String(value));
}

/**
 * Copies rows into a row table on a bulk session (`_id` numbered from 1, each row's words in
 * `_search`), refusing the whole load at the first row holding a resident ID or mobile number.
 * Returns the number of rows.
 */
export async function loadRows(session: Pick<BulkSession, 'copyIn'>, table: string, source: RowSource, segmenter: Segmenter): Promise<number> {
  const { fields } = source;
  const textFields = fields.filter((f) => f.type === 'text').map((f) => f.name);
  let id = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const batch of source.batches) {
      const out: string[] = [];
      for (const row of batch) {
        id += 1;
        const personal = findPersonalValue(row);
        if (personal) throw new PersonalDataRefusal(odMessage(personal.kind === 'mobile number' ? 'od.guard.rowField.mobile' : 'od.guard.rowField.residentId', { row: id, field: personal.field }), personal.field, id);
        const words = textFields.length ? segmenter.indexWords(textFields.map((f) => row[f] ?? '').join(' ')) : [];
        const cells = [String(id), ...fields.map((f) => copyValue(row[f.name], f.type)), words.length ? copyText(tsvectorLiteral(words)) : '\\N'];
        out.push(`${cells.join('\t')}\n`);
      }
      yield out.join('');
    }
  }
  await session.copyIn(table, ['_id', ...fields.map((f) => f.name), '_search'], lines());
  return id;
}

/**
 * Writes a source's rows to a temporary file and reads them back from there, so that reading
 * the source (queries on the pool) is over before the COPY holds a connection: PGlite has only
 * one. Memory stays flat; call `cleanup` when done.
 */
export async function spool(source: RowSource): Promise<RowSource & { cleanup(): Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ludao-spool-'));
  const file = path.join(dir, 'rows.ndjson');
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  try {
    const out = fs.createWriteStream(file);
    for await (const batch of source.batches) {
      const text = batch.map((row) => JSON.stringify(row, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v))).join('\n');
      if (!out.write(`${text}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end(() => resolve()).once('error', reject));
  } catch (error) {
    await cleanup();
    throw error;
  }
  async function* batches(): AsyncGenerator<Record<string, unknown>[]> {
    const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    let batch: Record<string, unknown>[] = [];
    for await (const line of lines) {
      if (!line) continue;
      batch.push(JSON.parse(line) as Record<string, unknown>);
      if (batch.length >= PAGE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  return { ...source, batches: batches(), cleanup };
}
