/**
 * The open-data bench's synthetic inputs, the same on every run: traffic sensor readings of
 * Xiamen as a CSV, the record queries followed page by page, and a catalogue of small
 * datasets with Chinese titles, descriptions and tags across the portal's themes.
 */
import fs from 'node:fs';

/** Xiamen's six districts, each with a centre and roads of its own. */
const DISTRICT_ROADS: readonly { name: string; lat: number; lon: number; roads: readonly string[] }[] = [
  { name: '思明区', lat: 24.465, lon: 118.105, roads: ['湖滨南路', '厦禾路', '中山路', '思明南路', '环岛路', '莲前西路', '鹭江道'] },
  { name: '海沧区', lat: 24.49, lon: 118.005, roads: ['海沧大道', '新阳大道', '马青路', '沧林路', '钟林路'] },
  { name: '湖里区', lat: 24.512, lon: 118.135, roads: ['湖里大道', '枋湖路', '金尚路', '仙岳路', '兴隆路', '高崎北路'] },
  { name: '集美区', lat: 24.59, lon: 118.07, roads: ['集美大道', '杏林湾路', '银江路', '乐海路', '诚毅大街'] },
  { name: '同安区', lat: 24.73, lon: 118.15, roads: ['同集中路', '环城西路', '银湖中路', '五显路', '祥平路'] },
  { name: '翔安区', lat: 24.63, lon: 118.25, roads: ['翔安大道', '新店路', '洪钟大道', '马巷路', '民安大道'] },
];
// Share of readings per district (busier districts have more sensors).
const DISTRICT_WEIGHTS = [0.24, 0.12, 0.22, 0.18, 0.12, 0.12];

/** The district names, in area-code order. */
export const DISTRICT_NAMES: readonly string[] = DISTRICT_ROADS.map((d) => d.name);

/** The CSV header of the readings. */
export const READINGS_HEADER = 'reading_id,district,road,observed_at,speed_kmh,vehicles,lat,lon';

const YEAR_START_MS = Date.UTC(2025, 0, 1) - 8 * 3600_000; // 2025-01-01T00:00:00+08:00
const YEAR_MS = 365 * 86_400_000;

/**
 * A small deterministic generator (mulberry32): the same seed gives the same sequence.
 *
 * @example
 * const next = seeded(42); next(); // 0.6011…
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickDistrict(r: number): number {
  let acc = 0;
  for (let i = 0; i < DISTRICT_WEIGHTS.length; i++) {
    acc += DISTRICT_WEIGHTS[i]!;
    if (r < acc) return i;
  }
  return DISTRICT_WEIGHTS.length - 1;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A Xiamen wall-clock time (+08:00) as ISO 8601 with its offset, and its hour. */
function xiamenTime(ms: number): { text: string; hour: number } {
  const d = new Date(ms + 8 * 3600_000);
  const hour = d.getUTCHours();
  const text = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(hour)}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}+08:00`;
  return { text, hour };
}

/**
 * One reading per line (no header): readings come in time order over 2025, slower at rush hours.
 *
 * @example
 * for (const lines of readingLines(1000)) process.stdout.write(lines);
 */
export function* readingLines(rows: number, batch = 5000): Generator<string> {
  const random = seeded(20250101);
  const step = YEAR_MS / rows;
  let out: string[] = [];
  for (let i = 0; i < rows; i++) {
    const d = DISTRICT_ROADS[pickDistrict(random())]!;
    const road = d.roads[Math.floor(random() * d.roads.length)]!;
    const at = xiamenTime(YEAR_START_MS + Math.floor(i * step + random() * Math.min(step, 60_000)));
    const rush = (at.hour >= 7 && at.hour < 9) || (at.hour >= 17 && at.hour < 19);
    const speed = Math.max(3, (rush ? 24 : 46) + (random() - 0.5) * 36);
    const vehicles = Math.floor(random() * (rush ? 80 : 45));
    const lat = d.lat + (random() - 0.5) * 0.06;
    const lon = d.lon + (random() - 0.5) * 0.06;
    out.push(`${i + 1},${d.name},${road},${at.text},${speed.toFixed(1)},${vehicles},${lat.toFixed(5)},${lon.toFixed(5)}\n`);
    if (out.length === batch) {
      yield out.join('');
      out = [];
    }
  }
  if (out.length) yield out.join('');
}

/**
 * Writes `rows` readings as a UTF-8 CSV file with a header; resolves to its size in bytes.
 *
 * @example
 * const bytes = await writeReadingsCsv('/tmp/readings.csv', 1_000_000);
 */
export async function writeReadingsCsv(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(`${READINGS_HEADER}\n`);
  for (const lines of readingLines(rows)) await write(lines);
  await new Promise<void>((resolve, reject) => out.end(() => resolve()).once('error', reject));
  return fs.statSync(file).size;
}

/** The dataset metadata of the readings (DatasetMeta). */
export const READINGS_META = {
  id: 'traffic-sensor-readings',
  title: '厦门市道路交通传感器读数',
  titleEn: 'Road traffic sensor readings, Xiamen',
  description: '全市六个区主要道路交通传感器的车速与车流量读数（2025 年），每条记录一次观测，含观测时间与传感器位置。',
  theme: 'transport',
  tags: ['交通', '车速', '车流量', '传感器'],
  updateFrequency: 'daily',
  openType: 'unconditional',
} as const;

// ---------------------------------------------------------------------------------------------
// Record queries, followed page by page

/** A condition of a record query on a readings column. */
export interface ReadingFilter {
  column: 'district' | 'road' | 'speed_kmh' | 'vehicles' | 'observed_at';
  op: '=' | '<' | '>=';
  value: string;
}

/** One query of the records API followed through its `next` cursors. */
export interface RecordChain {
  shape: string;
  filters: ReadingFilter[];
  order: { column: 'observed_at' | 'speed_kmh'; desc: boolean };
  pages: number;
}

const COLUMN_TYPES: Record<ReadingFilter['column'], 'text' | 'decimal' | 'integer' | 'timestamp'> = {
  district: 'text',
  road: 'text',
  speed_kmh: 'decimal',
  vehicles: 'integer',
  observed_at: 'timestamp',
};

/** The SQL type a readings column is bound as. */
export function columnType(column: ReadingFilter['column']): 'text' | 'decimal' | 'integer' | 'timestamp' {
  return COLUMN_TYPES[column];
}

/**
 * The records API's query parameters of a chain's first page.
 *
 * @example
 * apiQuery(chain); // { where: "district = '思明区' and speed_kmh < 30", order_by: 'observed_at desc', limit: '100' }
 */
export function apiQuery(chain: RecordChain, limit: number): Record<string, string> {
  const literal = (f: ReadingFilter) => (COLUMN_TYPES[f.column] === 'text' || COLUMN_TYPES[f.column] === 'timestamp' ? `'${f.value.replace(/'/g, "''")}'` : f.value);
  return {
    where: chain.filters.map((f) => `${f.column} ${f.op} ${literal(f)}`).join(' and '),
    order_by: `${chain.order.column}${chain.order.desc ? ' desc' : ''}`,
    limit: String(limit),
  };
}

/**
 * `count` record chains in four shapes, their literals varied so that no two in a row are the
 * same query: a district and a speed ordered by time (newest first), one road by time, a
 * district and a traffic count by speed, and one day's readings in time order.
 */
export function recordChains(count: number, pages: number): RecordChain[] {
  const random = seeded(7);
  const chains: RecordChain[] = [];
  for (let i = 0; i < count; i++) {
    const d = DISTRICT_ROADS[i % DISTRICT_ROADS.length]!;
    switch (i % 4) {
      case 0:
        chains.push({ shape: 'district + speed, by time desc', filters: [{ column: 'district', op: '=', value: d.name }, { column: 'speed_kmh', op: '<', value: String(20 + (i % 5) * 5) }], order: { column: 'observed_at', desc: true }, pages });
        break;
      case 1:
        chains.push({ shape: 'road, by time desc', filters: [{ column: 'road', op: '=', value: d.roads[Math.floor(random() * d.roads.length)]! }], order: { column: 'observed_at', desc: true }, pages });
        break;
      case 2:
        chains.push({ shape: 'district + vehicles, by speed', filters: [{ column: 'district', op: '=', value: d.name }, { column: 'vehicles', op: '>=', value: String(30 + (i % 4) * 5) }], order: { column: 'speed_kmh', desc: false }, pages });
        break;
      default: {
        const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 360) * 86_400_000).toISOString().slice(0, 10);
        const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
        chains.push({ shape: 'one day, by time', filters: [{ column: 'observed_at', op: '>=', value: `${day}T00:00:00+08:00` }, { column: 'observed_at', op: '<', value: `${next}T00:00:00+08:00` }], order: { column: 'observed_at', desc: false }, pages });
      }
    }
  }
  return chains;
}

// ---------------------------------------------------------------------------------------------
// The catalogue

/** What the small datasets are about, by theme. */
const SUBJECTS: readonly { theme: string; subject: string; detail: string; tags: readonly string[] }[] = [
  { theme: 'transport', subject: '公交站点', detail: '站点名称、经过线路与候车设施', tags: ['公交', '站点'] },
  { theme: 'transport', subject: '公交线路', detail: '线路编号、首末班时间与票价', tags: ['公交', '线路'] },
  { theme: 'transport', subject: '停车场泊位', detail: '停车场名称、泊位数与收费标准', tags: ['停车场', '泊位'] },
  { theme: 'transport', subject: '公共自行车站点', detail: '站点位置与车桩数量', tags: ['公共自行车', '站点'] },
  { theme: 'transport', subject: '道路拥堵指数', detail: '主要道路早晚高峰拥堵指数', tags: ['交通', '拥堵'] },
  { theme: 'health', subject: '医院名录', detail: '医院名称、等级与床位数', tags: ['医院', '医疗'] },
  { theme: 'health', subject: '社区卫生服务中心', detail: '服务中心地址与门诊时间', tags: ['社区', '医疗'] },
  { theme: 'health', subject: '药店分布', detail: '药店名称与营业时间', tags: ['药店', '医疗'] },
  { theme: 'health', subject: '疫苗接种点', detail: '接种点地址与可接种疫苗', tags: ['疫苗', '接种'] },
  { theme: 'education', subject: '中小学校名录', detail: '学校名称、学段与班级数', tags: ['学校', '教育'] },
  { theme: 'education', subject: '幼儿园名录', detail: '幼儿园名称、性质与学位数', tags: ['幼儿园', '学校'] },
  { theme: 'education', subject: '公共图书馆', detail: '图书馆地址、藏书量与开放时间', tags: ['图书馆', '文化'] },
  { theme: 'environment', subject: '空气质量监测', detail: '监测站点每日空气质量指数与首要污染物', tags: ['空气质量', '环境监测'] },
  { theme: 'environment', subject: '水质监测', detail: '监测断面的水质类别', tags: ['水质', '环境监测'] },
  { theme: 'environment', subject: '垃圾分类投放点', detail: '投放点位置与分类类别', tags: ['垃圾分类', '环境'] },
  { theme: 'credit', subject: '企业信用评价', detail: '企业信用等级与评价年度', tags: ['企业', '信用'] },
  { theme: 'credit', subject: '行政许可信息', detail: '许可事项、决定日期与有效期', tags: ['行政许可', '信用'] },
  { theme: 'credit', subject: '守信激励名单', detail: '激励对象类别与认定依据', tags: ['信用', '守信激励'] },
  { theme: 'market', subject: '企业登记信息', detail: '企业类型、登记机关与成立日期', tags: ['企业', '登记'] },
  { theme: 'market', subject: '食品经营许可', detail: '经营项目与许可证有效期', tags: ['食品', '许可'] },
  { theme: 'economy', subject: '规模以上工业产值', detail: '分行业月度工业产值', tags: ['工业', '统计'] },
  { theme: 'economy', subject: '招商引资项目', detail: '项目名称、行业与投资额', tags: ['招商', '项目'] },
  { theme: 'public_services', subject: '政务服务网点', detail: '网点地址、办理事项与办公时间', tags: ['政务服务', '网点'] },
  { theme: 'public_services', subject: '公共厕所', detail: '公厕位置与开放时间', tags: ['公共厕所', '便民'] },
  { theme: 'social_security', subject: '社保经办网点', detail: '网点地址与业务范围', tags: ['社保', '网点'] },
  { theme: 'social_security', subject: '养老服务机构', detail: '机构名称与床位数', tags: ['养老', '服务机构'] },
  { theme: 'population', subject: '户籍人口统计', detail: '按街道统计的户籍人口数', tags: ['人口', '统计'] },
  { theme: 'spatial', subject: '地名地址', detail: '标准地名与门牌地址', tags: ['地名', '地址'] },
  { theme: 'housing', subject: '保障性住房项目', detail: '项目名称、套数与建设进度', tags: ['保障性住房', '住房'] },
  { theme: 'housing', subject: '物业小区名录', detail: '小区名称、物业企业与户数', tags: ['小区', '物业'] },
];
const FREQUENCIES = ['monthly', 'quarterly', 'yearly', 'weekly', 'daily'] as const;

/** A small dataset of the catalogue: its metadata and a few rows of CSV. */
export interface CatalogueDataset {
  meta: {
    id: string;
    title: string;
    titleEn: string;
    description: string;
    theme: string;
    tags: string[];
    updateFrequency: (typeof FREQUENCIES)[number];
    openType: 'unconditional';
    publisher: string;
  };
  csv: string;
}

/**
 * `count` small datasets spread over districts, subjects and publishers (`orgs`, codes).
 *
 * @example
 * catalogueDatasets(1000, ['xm.tb', 'xm.hc'])[0]!.meta.title; // '思明区公交站点（第 1 批）'
 */
export function catalogueDatasets(count: number, orgs: readonly string[]): CatalogueDataset[] {
  const random = seeded(99);
  const out: CatalogueDataset[] = [];
  for (let i = 0; i < count; i++) {
    const s = SUBJECTS[i % SUBJECTS.length]!;
    const d = DISTRICT_ROADS[Math.floor(i / SUBJECTS.length) % DISTRICT_ROADS.length]!;
    const batch = Math.floor(i / (SUBJECTS.length * DISTRICT_ROADS.length)) + 1;
    const rows = ['site,district,road,amount,lat,lon'];
    for (let r = 0; r < 3 + (i % 4); r++) {
      const road = d.roads[(i + r) % d.roads.length]!;
      rows.push(`${s.subject}${r + 1},${d.name},${road},${Math.floor(random() * 500)},${(d.lat + (random() - 0.5) * 0.05).toFixed(5)},${(d.lon + (random() - 0.5) * 0.05).toFixed(5)}`);
    }
    out.push({
      meta: {
        id: `bench-ds-${String(i + 1).padStart(4, '0')}`,
        title: `${d.name}${s.subject}（第 ${batch} 批）`,
        titleEn: `${s.subject} in ${d.name}, batch ${batch}`,
        description: `${d.name}${s.subject}数据，包括${s.detail}等信息，按${d.roads[i % d.roads.length]}等道路所在片区整理，供社会公众查询和开发利用。`,
        theme: s.theme,
        tags: [...new Set([d.name, ...s.tags])],
        updateFrequency: FREQUENCIES[i % FREQUENCIES.length]!,
        openType: 'unconditional',
        publisher: orgs[i % orgs.length]!,
      },
      csv: `${rows.join('\n')}\n`,
    });
  }
  return out;
}

/** A catalogue search as the portal is asked it: a label, the query string, and its kind. */
export interface CatalogueSearch {
  kind: 'one word' | 'two words' | 'no hits' | 'with facet';
  params: Record<string, string>;
}

/**
 * The mix of catalogue searches: single words, two words, words nothing matches, and words
 * with a facet filter (theme, tag or publisher).
 */
export function catalogueSearches(facetOrg: string): CatalogueSearch[] {
  return [
    ...['公交', '医院', '空气质量', '学校', '停车场', '企业', '信用', '站点'].map((q) => ({ kind: 'one word' as const, params: { q } })),
    ...['思明区 公交', '湖里区停车场', '企业 信用', '集美区 学校', '海沧区 医院'].map((q) => ({ kind: 'two words' as const, params: { q } })),
    ...['火星基地', '量子计算机'].map((q) => ({ kind: 'no hits' as const, params: { q } })),
    { kind: 'with facet', params: { q: '医院', theme: 'health' } },
    { kind: 'with facet', params: { q: '站点', tag: '思明区' } },
    { kind: 'with facet', params: { q: '企业', org: facetOrg } },
    { kind: 'with facet', params: { q: '公交', theme: 'transport', tag: '湖里区' } },
  ];
}
