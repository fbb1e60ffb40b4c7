/**
 * The city's legal persons: property developers first, then government organs, public
 * institutions, and enterprises and individual businesses. Each gets a valid, unique unified
 * social credit code (GB 32100): organisation codes before October 2015 are old-style 8 digits
 * plus a GB 11714 check character, later ones "MA" + 7 characters; both are bijections of the
 * company's index, so no two companies share a code.
 *
 * The table keeps only what other registries need (code, kind, district, founding day,
 * employer weight) in typed arrays; a company's full record is re-derived from its own random
 * stream when it is written.
 */
import { makeCreditCode, makeOrganisationCode } from '../platform/ids';
import { dayFromYmd, formatDay } from './calendar';
import { pickSurname, givenName, roadName, tradeName } from './names';
import { DISTRICTS, STREETS } from './places';
import { cumulativeWeights, streamTag, type CitySeed, type Random } from './random';
import type { CompanyRecord } from './records';

const COMPANY = streamTag('company');

/** Company kinds, as stored in {@link CompanyTable.kind}. */
export const COMPANY_KINDS = ['enterprise', 'individual_business', 'organ', 'institution'] as const;
const ENTERPRISE = 0;
const INDIVIDUAL = 1;
const ORGAN = 2;
const INSTITUTION = 3;

const DEPARTMENTS = [
  '人民政府办公室', '发展和改革局', '教育局', '民政局', '财政局', '人力资源和社会保障局', '市场监督管理局',
  '建设与交通局', '卫生健康局', '城市管理局', '应急管理局', '司法局', '统计局', '商务局', '文化和旅游局',
  '退役军人事务局', '农业农村局', '生态环境局',
] as const;

type Industry = readonly [code: string, name: string, words: readonly string[], weight: number];

const ENTERPRISE_INDUSTRIES: readonly Industry[] = [
  ['C', '制造业', ['电子', '机械', '服装', '食品', '包装', '光电', '卫浴'], 18],
  ['E', '建筑业', ['建设工程', '装饰工程', '建筑劳务'], 8],
  ['F', '批发和零售业', ['贸易', '进出口', '商贸', '供应链管理'], 25],
  ['G', '交通运输、仓储和邮政业', ['物流', '运输', '仓储'], 7],
  ['H', '住宿和餐饮业', ['餐饮管理', '酒店管理'], 6],
  ['I', '信息传输、软件和信息技术服务业', ['信息技术', '软件', '网络科技', '数据科技'], 10],
  ['K', '房地产业', ['物业管理', '房地产经纪'], 4],
  ['L', '租赁和商务服务业', ['商务咨询', '企业管理', '人力资源', '文化传媒'], 12],
  ['M', '科学研究和技术服务业', ['检测技术', '工程设计', '生物科技'], 6],
  ['P', '教育', ['教育咨询', '培训'], 2],
  ['R', '文化、体育和娱乐业', ['文化传播', '体育发展'], 2],
];
const ENTERPRISE_INDUSTRY_WEIGHTS = cumulativeWeights(ENTERPRISE_INDUSTRIES.map((i) => i[3]));

const SHOP_INDUSTRIES: readonly Industry[] = [
  ['F', '批发和零售业', ['便利店', '五金店', '水果店', '茶叶店', '服装店', '文具店'], 4],
  ['H', '住宿和餐饮业', ['小吃店', '餐馆', '海鲜排档', '奶茶店'], 4],
  ['O', '居民服务、修理和其他服务业', ['理发店', '汽车维修部', '手机维修店', '洗衣店'], 2],
];
const SHOP_INDUSTRY_WEIGHTS = cumulativeWeights(SHOP_INDUSTRIES.map((i) => i[3]));

const INSTITUTION_INDUSTRIES: readonly Industry[] = [
  ['P', '教育', ['小学', '中学', '幼儿园', '职业技术学校'], 6],
  ['Q', '卫生和社会工作', ['社区卫生服务中心', '康复医院'], 2],
  ['R', '文化、体育和娱乐业', ['文化馆', '图书馆'], 1],
];
const INSTITUTION_INDUSTRY_WEIGHTS = cumulativeWeights(INSTITUTION_INDUSTRIES.map((i) => i[3]));

const DISTRICT_WEIGHTS = cumulativeWeights(DISTRICTS.map((d) => d.population));
const STREETS_OF_DISTRICT = DISTRICTS.map((_, d) => STREETS.map((s, i) => (s.district === d ? i : -1)).filter((i) => i >= 0));
const STREET_WEIGHTS_OF_DISTRICT = STREETS_OF_DISTRICT.map((list) => cumulativeWeights(list.map((i) => STREETS[i]!.weight)));

const NEW_CODES_FROM = dayFromYmd(2015, 10, 1);
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const BASE31_7 = 31 ** 7;

/** The compact table of companies other registries refer to. */
export interface CompanyTable {
  count: number;
  /** Companies 0 … developerCount-1 are property developers. */
  developerCount: number;
  creditCodes: string[];
  /** Index into {@link COMPANY_KINDS}. */
  kind: Uint8Array;
  /** Index into DISTRICTS. */
  district: Uint8Array;
  established: Int32Array;
  /** Running totals of employer weights (how many people each company tends to employ). */
  employerWeights: Float64Array;
  /** A company founded before anyone's career starts (the fallback employer). */
  oldest: number;
}

interface Layout {
  developers: number;
  organs: number;
  institutions: number;
}

function layoutOf(count: number, developerCount: number): Layout {
  const organs = Math.min(DEPARTMENTS.length * DISTRICTS.length, Math.max(1, Math.round(count * 0.004)));
  const institutions = Math.max(1, Math.round(count * 0.02));
  return { developers: developerCount, organs, institutions };
}

/**
 * How many companies a city of `people` has (about 6 per 100 people).
 *
 * @example
 * companyCount(1_000_000, 80); // 60000
 */
export function companyCount(people: number, developerCount: number): number {
  const layout = layoutOf(Math.ceil(people * 0.06), developerCount);
  return Math.max(Math.ceil(people * 0.06), layout.developers + layout.organs + layout.institutions + 10);
}

function oldStyleOrgCode(index: number, salt: number): string {
  return makeOrganisationCode(String((index * 48271 + salt) % 100_000_000).padStart(8, '0'));
}

function newStyleOrgCode(index: number, salt: number): string {
  let value = (index * 1_000_003 + salt) % BASE31_7;
  let text = '';
  for (let i = 0; i < 7; i++) {
    text = ALPHABET[value % 31]! + text;
    value = Math.floor(value / 31);
  }
  return `MA${text}`;
}

interface CompanyDraft {
  kind: number;
  district: number;
  street: number;
  established: number;
  weight: number;
  industry: Industry;
  name: string;
  capitalFen: number | null;
  legalRepresentative: string;
  address: string;
}

// Everything about company `c` comes from its own stream, in this order, so the table and the
// written record agree.
function draftCompany(seed: CitySeed, c: number, layout: Layout, asOfDay: number): CompanyDraft {
  const r = seed.random(COMPANY, c);
  let kind: number;
  let district: number;
  let established: number;
  let weight: number;
  let industry: Industry;
  let name: string;
  const organIndex = c - layout.developers;
  if (c < layout.developers) {
    kind = ENTERPRISE;
    district = r.weighted(DISTRICT_WEIGHTS);
    established = c === 0 ? dayFromYmd(1984, 1, 1) + r.int(365) : dayFromYmd(1985, 1, 1) + r.int(dayFromYmd(2015, 1, 1) - dayFromYmd(1985, 1, 1));
    weight = r.between(20, 300);
    industry = ['K', '房地产业', ['房地产开发'], 1];
    name = `厦门${tradeName(r)}${r.chance(0.6) ? '房地产开发' : '置业'}有限公司`;
  } else if (organIndex < layout.organs) {
    kind = ORGAN;
    district = organIndex % DISTRICTS.length;
    established = dayFromYmd(1980, 1, 1) + r.int(20 * 365);
    weight = r.between(50, 600);
    industry = ['S', '公共管理、社会保障和社会组织', [], 1];
    name = DISTRICTS[district]!.name + DEPARTMENTS[Math.floor(organIndex / DISTRICTS.length)]!;
  } else if (organIndex < layout.organs + layout.institutions) {
    kind = INSTITUTION;
    district = r.weighted(DISTRICT_WEIGHTS);
    established = dayFromYmd(1950, 1, 1) + r.int(dayFromYmd(2005, 1, 1) - dayFromYmd(1950, 1, 1));
    weight = r.between(20, 400);
    industry = INSTITUTION_INDUSTRIES[r.weighted(INSTITUTION_INDUSTRY_WEIGHTS)]!;
    name = DISTRICTS[district]!.name + tradeName(r) + r.pick(industry[2]);
  } else {
    kind = r.chance(0.74) ? ENTERPRISE : INDIVIDUAL;
    district = r.weighted(DISTRICT_WEIGHTS);
    const from = kind === ENTERPRISE ? dayFromYmd(1990, 1, 1) : dayFromYmd(2000, 1, 1);
    // The later of two uniform draws: more young companies than old ones.
    const u = Math.max(r.float(), r.float());
    established = from + Math.floor(u * (asOfDay - 30 - from));
    if (kind === INDIVIDUAL) {
      weight = r.between(1, 4);
      industry = SHOP_INDUSTRIES[r.weighted(SHOP_INDUSTRY_WEIGHTS)]!;
      name = DISTRICTS[district]!.name + tradeName(r) + r.pick(industry[2]);
    } else {
      weight = employerWeight(r);
      industry = ENTERPRISE_INDUSTRIES[r.weighted(ENTERPRISE_INDUSTRY_WEIGHTS)]!;
      name = `厦门${tradeName(r)}${r.pick(industry[2])}有限公司`;
    }
  }
  const streets = STREETS_OF_DISTRICT[district]!;
  const street = streets[r.weighted(STREET_WEIGHTS_OF_DISTRICT[district]!)]!;
  const capitalFen = kind === ENTERPRISE ? r.pick([10, 50, 100, 100, 200, 500, 500, 1000, 3000, 10000]) * 10_000 * 100 : null;
  const legalRepresentative = pickSurname(r, r.chance(0.7)) + givenName(r, r.chance(0.7) ? 'male' : 'female', 1970);
  const address = `${STREETS[street]!.name}${roadName(r)}${r.between(1, 999)}号`;
  return { kind, district, street, established, weight, industry, name, capitalFen, legalRepresentative, address };
}

// Most businesses are tiny; a few employ thousands.
function employerWeight(r: Random): number {
  const u = r.float();
  if (u < 0.6) return r.between(1, 5);
  if (u < 0.85) return r.between(5, 30);
  if (u < 0.95) return r.between(30, 200);
  if (u < 0.99) return r.between(200, 1000);
  return r.between(1000, 5000);
}

function creditCodeOf(seed: CitySeed, c: number, draft: CompanyDraft): string {
  const prefix = draft.kind === ORGAN ? '11' : draft.kind === INSTITUTION ? '12' : draft.kind === INDIVIDUAL ? '92' : '91';
  const old = draft.kind === ORGAN || draft.kind === INSTITUTION || draft.established < NEW_CODES_FROM;
  const orgCode = old ? oldStyleOrgCode(c, seed.salt(COMPANY) % 100_000_000) : newStyleOrgCode(c, seed.salt(COMPANY) % BASE31_7);
  return makeCreditCode(prefix + DISTRICTS[draft.district]!.code + orgCode.slice(0, 9));
}

/**
 * Builds the company table of a city.
 *
 * @example
 * const companies = buildCompanies(new CitySeed('x'), 600, 3, parseDay('2026-06-30'));
 * companies.creditCodes[0]; // a valid credit code of a developer
 */
export function buildCompanies(seed: CitySeed, count: number, developerCount: number, asOfDay: number): CompanyTable {
  const layout = layoutOf(count, developerCount);
  const table: CompanyTable = {
    count,
    developerCount,
    creditCodes: new Array<string>(count),
    kind: new Uint8Array(count),
    district: new Uint8Array(count),
    established: new Int32Array(count),
    employerWeights: new Float64Array(count),
    oldest: 0,
  };
  const weights = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const draft = draftCompany(seed, c, layout, asOfDay);
    table.creditCodes[c] = creditCodeOf(seed, c, draft);
    table.kind[c] = draft.kind;
    table.district[c] = draft.district;
    table.established[c] = draft.established;
    weights[c] = draft.weight;
    if (draft.established < table.established[table.oldest]!) table.oldest = c;
  }
  table.employerWeights = cumulativeWeights(weights);
  return table;
}

/**
 * The full record of company `c`, as written to companies.ndjson.
 *
 * @example
 * companyRecord(seed, companies, 0, asOfDay).kind; // 'enterprise' (a developer)
 */
export function companyRecord(seed: CitySeed, table: CompanyTable, c: number, asOfDay: number): CompanyRecord {
  const draft = draftCompany(seed, c, layoutOf(table.count, table.developerCount), asOfDay);
  return {
    credit_code: table.creditCodes[c]!,
    name: draft.name,
    kind: COMPANY_KINDS[draft.kind]!,
    industry_code: draft.industry[0],
    industry: draft.industry[1],
    district_code: DISTRICTS[draft.district]!.code,
    street_code: STREETS[draft.street]!.code,
    address: draft.address,
    established_on: formatDay(draft.established),
    registered_capital_fen: draft.capitalFen,
    legal_representative: draft.legalRepresentative,
    status: 'active',
  };
}

/**
 * The name of company `c` (re-derived; use sparingly, e.g. for developers).
 *
 * @example
 * companyName(seed, companies, 0, asOfDay); // e.g. '厦门鹭泰房地产开发有限公司'
 */
export function companyName(seed: CitySeed, table: CompanyTable, c: number, asOfDay: number): string {
  return draftCompany(seed, c, layoutOf(table.count, table.developerCount), asOfDay).name;
}

/**
 * Picks an employer by size for a job starting no later than `latestStart`: a company
 * founded after that is redrawn a few times, then the oldest company is taken.
 *
 * @example
 * pickEmployer(random, companies, parseDay('2020-01-01')); // a company index
 */
export function pickEmployer(random: Random, table: CompanyTable, latestStart: number): number {
  for (let attempt = 0; attempt < 4; attempt++) {
    const c = random.weighted(table.employerWeights);
    if (table.established[c]! <= latestStart) return c;
  }
  return table.oldest;
}
