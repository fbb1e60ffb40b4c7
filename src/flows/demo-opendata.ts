import { sql } from 'kysely';
import type { Ludao } from '../app';
import { DEMO_PASSWORD } from '../modules/identity';
import type { DatasetMeta, Pipeline } from '../modules/opendata';
import { DISTRICTS, STREETS } from '../synth';
import { hashString, Random } from '../synth/random';

/**
 * Opens a few dozen datasets of the demo city on the open-data portal, through the same HTTP
 * API a department and the reviewer use: statistics and place registries derived from the
 * data centre (people only as aggregates), and synthetic files (bus stops, air quality,
 * hospitals, …) uploaded for the departments that would publish them. Each is submitted and
 * published by the operator; one is conditional. Does nothing when datasets exist already.
 *
 * @example
 * await loadDemoCity(ludao.ctx, …);
 * await seedDemoOpenData(ludao); // 30
 */
export async function seedDemoOpenData(ludao: Pick<Ludao, 'app' | 'ctx'>): Promise<number> {
  const { app, ctx } = ludao;
  const { rows: existing } = await sql<{ n: number }>`select count(*)::int as n from od_dataset`.execute(ctx.db);
  if (existing[0]!.n > 0) return 0;
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'operator', password: DEMO_PASSWORD } });
  const session = login.cookies.find((c) => c.name === 'ludao_session');
  if (!session) throw new Error(`demo open data: sign-in failed (${login.statusCode})`);
  const cookie = `ludao_session=${session.value}`;
  const check = (res: { statusCode: number; body: string }, what: string, status = 201) => {
    if (res.statusCode !== status) throw new Error(`demo open data: ${what} failed (${res.statusCode}): ${res.body}`);
  };
  const release = async (id: string) => {
    check(await app.inject({ method: 'POST', url: `/api/open/manage/datasets/${id}/versions/1/submit`, headers: { cookie } }), `submitting ${id}`, 200);
    check(await app.inject({ method: 'POST', url: `/api/open/manage/datasets/${id}/versions/1/review`, headers: { cookie }, payload: { decision: 'publish', note: '示例数据，审核通过' } }), `publishing ${id}`, 200);
  };
  let published = 0;
  for (const d of DERIVED) {
    const res = await app.inject({ method: 'POST', url: '/api/open/manage/datasets', headers: { cookie }, payload: { meta: d.meta, resource: d.resource, pipeline: d.pipeline, changelog: '首次发布（示例城市）' } });
    // A registry the demo city left empty cannot give a dataset; skip it rather than fail the start.
    if (res.statusCode === 201 && (res.json() as { version: { rows: number } }).version.rows > 0) {
      await release(d.meta.id);
      published++;
    }
  }
  for (const f of files()) {
    const query = new URLSearchParams({ fileName: f.fileName, changelog: '首次发布（示例数据）', meta: JSON.stringify(f.meta) });
    check(await app.inject({ method: 'POST', url: `/api/open/manage/uploads?${query}`, headers: { cookie, 'content-type': 'application/octet-stream' }, payload: Buffer.from(f.content, 'utf8') }), `uploading ${f.meta.id}`);
    await release(f.meta.id);
    published++;
  }
  return published;
}

type Derived = { meta: DatasetMeta; resource: string; pipeline: Pipeline };

const meta = (id: string, title: string, titleEn: string, theme: string, tags: string[], description: string, updateFrequency: DatasetMeta['updateFrequency'], extra: Partial<DatasetMeta> = {}): DatasetMeta => ({
  id,
  title,
  titleEn,
  description,
  theme,
  tags,
  updateFrequency,
  openType: 'unconditional',
  licence: 'cc-by-4.0',
  ...extra,
});
const agg = (...groupBy: string[]): Pipeline => ({ kind: 'aggregate', groupBy });
const rows = (...fields: string[]): Pipeline => ({ kind: 'select', fields });
const NOTE = '统计口径：示例城市数据；记录数不超过 7 的组不公布，其余取整到 5。';

const DERIVED: Derived[] = [
  { resource: 'population.person', pipeline: agg('residence_district_code', 'sex'), meta: meta('population-by-district-sex', '各区常住人口（按性别）', 'Residents by district and sex', 'population', ['人口', '性别', '行政区'], `按居住区与性别统计的常住人口数。${NOTE}`, 'yearly') },
  { resource: 'population.person', pipeline: agg('residence_district_code', 'hukou_in_xiamen'), meta: meta('population-hukou-by-district', '各区户籍与非户籍人口', 'Registered and non-registered residents by district', 'population', ['人口', '户籍'], `按居住区统计本市户籍与外来常住人口。${NOTE}`, 'yearly') },
  { resource: 'population.person', pipeline: agg('residence_street_code'), meta: meta('population-by-street', '各街道（镇）常住人口', 'Residents by subdistrict', 'population', ['人口', '街道'], `按居住街道（镇）统计的常住人口数。${NOTE}`, 'yearly') },
  { resource: 'population.household', pipeline: agg('district_code', 'tenure'), meta: meta('households-by-tenure', '各区家庭户居住方式', 'Households by district and tenure', 'housing', ['家庭户', '住房', '租赁'], `按区统计自有住房与租赁住房的家庭户数。${NOTE}`, 'yearly') },
  { resource: 'population.residence_permit', pipeline: agg('residence_district_code', 'status'), meta: meta('residence-permits-by-district', '居住证办理情况', 'Residence permits by district', 'population', ['居住证', '流动人口'], `按居住区与证件状态统计的居住证数量。${NOTE}`, 'monthly') },
  { resource: 'legal_person.entity', pipeline: rows('credit_code', 'name', 'kind', 'industry', 'district_code', 'street_code', 'address', 'established_on', 'registered_capital_fen', 'status'), meta: meta('enterprise-registry', '市场主体登记信息', 'Registered market entities', 'market', ['企业', '市场主体', '登记'], '企业、个体工商户等市场主体的名称、统一社会信用代码、行业、住所与登记状态（不含法定代表人）。', 'daily') },
  { resource: 'legal_person.entity', pipeline: agg('district_code', 'industry'), meta: meta('enterprises-by-industry', '各区市场主体行业分布', 'Market entities by district and industry', 'economy', ['企业', '行业', '经济'], '按区与国民经济行业门类统计的市场主体数量。', 'monthly') },
  { resource: 'market.business_licence', pipeline: agg('district_code', 'status'), meta: meta('business-licences-by-status', '营业执照状态统计', 'Business licences by status', 'market', ['营业执照', '市场监管'], '按区统计存续、吊销与注销的营业执照数量。', 'monthly') },
  { resource: 'spatial.district', pipeline: rows('code', 'name', 'lat', 'lon'), meta: meta('districts', '行政区划', 'Districts', 'spatial', ['行政区划', '地理'], '本市六个行政区的区划代码（GB/T 2260）与中心点坐标。', 'yearly') },
  { resource: 'spatial.street', pipeline: rows('code', 'name', 'kind', 'district_code', 'lat', 'lon'), meta: meta('subdistricts', '街道（镇）名录', 'Subdistricts and towns', 'spatial', ['街道', '乡镇', '地理'], '各区街道办事处与镇的代码、名称与中心点坐标。', 'yearly') },
  { resource: 'spatial.community', pipeline: rows('code', 'name', 'kind', 'street_code', 'district_code', 'lat', 'lon'), meta: meta('communities', '社区（村）名录', 'Communities and villages', 'spatial', ['社区', '村', '地理'], '社区居委会与村委会的代码、所属街道与位置。', 'yearly') },
  { resource: 'spatial.estate', pipeline: rows('code', 'name', 'district_code', 'address', 'lat', 'lon', 'completed_year', 'buildings', 'units'), meta: meta('residential-estates', '住宅小区名录', 'Residential estates', 'housing', ['小区', '住宅', '物业'], '住宅小区的位置、竣工年份、楼栋与套数。', 'quarterly') },
  { resource: 'credit.record', pipeline: agg('list', 'authority'), meta: meta('credit-lists-by-authority', '信用红黑名单认定统计', 'Credit red and black list decisions by authority', 'credit', ['信用', '红名单', '黑名单'], `按认定机关统计守信激励与失信惩戒对象数量。${NOTE}`, 'monthly') },
  { resource: 'credit.record', pipeline: agg('subject_kind', 'list'), meta: meta('credit-lists-by-kind', '信用名单主体类型统计', 'Credit lists by kind of subject', 'credit', ['信用', '失信'], `按主体类型（自然人、法人）统计红黑名单数量。${NOTE}`, 'monthly') },
  { resource: 'video.camera', pipeline: agg('district_code', 'purpose', 'status'), meta: meta('cameras-by-district', '公共视频监控点位统计', 'Public cameras by district', 'public_services', ['视频监控', '公共安全'], '按区、用途与运行状态统计的公共视频点位数（不公布具体位置）。', 'quarterly') },
  { resource: 'social_security.contribution_period', pipeline: { kind: 'aggregate', groupBy: ['ongoing'], measures: [{ fn: 'avg', field: 'months' }] }, meta: meta('insured-periods', '社会保险参保时长', 'Length of social-insurance contribution', 'social_security', ['社保', '参保'], `按是否在缴统计参保段数与平均缴费月数。${NOTE}`, 'monthly') },
  { resource: 'social_security.employment', pipeline: agg('occupation', 'contract'), meta: meta('employment-by-occupation', '就业登记职业分布', 'Employment registrations by occupation', 'social_security', ['就业', '职业', '劳动合同'], `按职业与合同类型统计的就业登记数量。${NOTE}`, 'monthly') },
  { resource: 'housing.property_ownership', pipeline: agg('owner_kind', 'ownership'), meta: meta('property-ownership-kinds', '不动产权利人类型统计', 'Property titles by kind of owner', 'housing', ['不动产', '产权'], `按权利人类型与共有方式统计的不动产登记数量。${NOTE}`, 'quarterly') },
  { resource: 'civil_affairs.marriage', pipeline: agg('registration_office', 'status'), meta: meta('marriages-by-office', '婚姻登记统计', 'Marriage registrations by office', 'public_services', ['婚姻登记', '民政'], `按登记机关与登记状态统计的婚姻登记数量。${NOTE}`, 'monthly') },
  { resource: 'health.birth_certificate', pipeline: agg('hospital', 'sex'), meta: meta('births-by-hospital', '各医疗机构出生医学证明签发统计', 'Birth certificates by hospital', 'health', ['出生', '妇幼', '医院'], `按签发医院与新生儿性别统计的出生医学证明数量。${NOTE}`, 'monthly') },
];

interface DemoFile {
  meta: DatasetMeta;
  fileName: string;
  content: string;
}

// Deterministic synthetic files: the same content on every start.
function files(): DemoFile[] {
  const random = new Random(...hashString('ludao-demo-opendata'));
  const around = (latE6: number, lonE6: number, spread: number) => [((latE6 + (random.float() - 0.5) * spread) / 1e6).toFixed(5), ((lonE6 + (random.float() - 0.5) * spread) / 1e6).toFixed(5)];
  const districtName = (i: number) => DISTRICTS[i]!.name;
  const csv = (header: string[], lines: (string | number)[][]) => [header.join(','), ...lines.map((l) => l.map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))].join('\n');
  const out: DemoFile[] = [];

  const stops = STREETS.flatMap((s, i) =>
    ['站', '路口站', '公交场站'].slice(0, 1 + (i % 3)).map((suffix, j) => {
      const [lat, lon] = around(s.latE6, s.lonE6, 12_000);
      return [`${s.name.replace(/街道|镇$/, '')}${suffix}`, districtName(s.district), s.name, 2 + random.int(20), random.chance(0.7) ? 'true' : 'false', lat!, lon!, `B${String(i * 3 + j + 1).padStart(4, '0')}`];
    }),
  );
  out.push({ fileName: 'bus-stops.csv', content: csv(['stop_name', 'district', 'street', 'lines', 'accessible', 'lat', 'lon', 'stop_code'], stops), meta: meta('bus-stops', '公交站点', 'Bus stops', 'transport', ['公交', '站点', '交通'], '全市公交站点的名称、所属街道、途经线路数、无障碍设施与坐标，每月更新。', 'monthly', { publisher: 'xm.transport', fieldNotes: { lines: { description: '途经该站的公交线路数', unit: '条' }, accessible: { description: '是否设无障碍上下车设施' } } }) });

  const bikes = STREETS.map((s, i) => {
    const [lat, lon] = around(s.latE6, s.lonE6, 8_000);
    return [`${s.name}公共自行车点`, districtName(s.district), 10 + random.int(30), lat!, lon!, `P${String(i + 1).padStart(4, '0')}`];
  });
  out.push({ fileName: 'bike-stations.csv', content: csv(['station', 'district', 'docks', 'lat', 'lon', 'station_code'], bikes), meta: meta('public-bicycle-stations', '公共自行车站点', 'Public bicycle stations', 'transport', ['公共自行车', '慢行交通'], '公共自行车租赁点的位置与锁桩数量。', 'monthly', { publisher: 'xm.transport', fieldNotes: { docks: { description: '锁桩数', unit: '个' } } }) });

  const parking = STREETS.filter((_, i) => i % 2 === 0).map((s) => {
    const [lat, lon] = around(s.latE6, s.lonE6, 10_000);
    return [`${s.name}公共停车场`, districtName(s.district), 50 + random.int(600), (2 + random.int(8)).toString(), random.chance(0.4) ? 'true' : 'false', lat!, lon!];
  });
  out.push({ fileName: 'parking.csv', content: csv(['name', 'district', 'spaces', 'yuan_per_hour', 'ev_charging', 'lat', 'lon'], parking), meta: meta('parking-lots', '公共停车场', 'Public car parks', 'transport', ['停车场', '充电桩', '交通'], '公共停车场的位置、泊位数、收费标准与充电设施。', 'monthly', { publisher: 'xm.transport', fieldNotes: { spaces: { description: '泊位数', unit: '个' }, yuan_per_hour: { description: '小型车每小时收费', unit: '元' } } }) });

  const air: (string | number)[][] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let day = 0; day < 365; day++) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    const season = 20 * Math.cos(((day - 15) / 365) * 2 * Math.PI);
    for (let d = 0; d < DISTRICTS.length; d++) {
      const pm25 = Math.max(5, Math.round(22 + season + random.float() * 18 - 6 + d));
      const aqi = Math.round(pm25 * 1.4 + random.float() * 10);
      air.push([date, districtName(d), aqi, pm25, aqi <= 50 ? '优' : aqi <= 100 ? '良' : '轻度污染']);
    }
  }
  out.push({ fileName: 'air-quality.csv', content: csv(['date', 'district', 'aqi', 'pm25', 'level'], air), meta: meta('air-quality-daily', '空气质量日报', 'Daily air quality', 'environment', ['空气质量', 'AQI', 'PM2.5', '环境'], '各区国控与省控站点的日均空气质量指数（AQI）、PM2.5 浓度与等级（2025 年，示例数据）。', 'daily', { publisher: 'xm.ee', fieldNotes: { aqi: { description: '空气质量指数' }, pm25: { description: 'PM2.5 日均浓度', unit: 'μg/m³' } } }) });

  const hospitals = DISTRICTS.flatMap((d) =>
    d.hospitals.map((h) => {
      const [lat, lon] = around(d.latE6, d.lonE6, 30_000);
      return [h, d.name, /妇幼/.test(h) ? '妇幼保健院' : /中医/.test(h) ? '中医医院' : '综合医院', /附属|市第一|中山|长庚/.test(h) ? '三级甲等' : '二级甲等', 300 + random.int(2500), lat!, lon!];
    }),
  );
  out.push({ fileName: 'hospitals.csv', content: csv(['hospital', 'district', 'kind', 'grade', 'beds', 'lat', 'lon'], hospitals), meta: meta('hospitals', '医疗机构名录', 'Hospitals', 'health', ['医院', '医疗机构', '床位'], '全市二级以上医疗机构的类别、等级、床位数与位置。', 'quarterly', { publisher: 'xm.health', fieldNotes: { beds: { description: '核定床位数', unit: '张' } } }) });

  const schools = STREETS.flatMap((s, i) => {
    const [lat, lon] = around(s.latE6, s.lonE6, 10_000);
    const base = s.name.replace(/街道|镇$/, '');
    return [[`厦门市${base}小学`, districtName(s.district), '小学', 12 + random.int(30), lat!, lon!], ...(i % 3 === 0 ? [[`厦门市${base}中学`, districtName(s.district), '初级中学', 12 + random.int(24), lat!, lon!]] : [])];
  });
  out.push({ fileName: 'schools.csv', content: csv(['school', 'district', 'stage', 'classes', 'lat', 'lon'], schools), meta: meta('schools', '中小学校名录', 'Primary and secondary schools', 'education', ['学校', '义务教育', '学区'], '公办中小学校的学段、班级数与位置。', 'yearly', { publisher: 'xm.edu' }) });

  const parks = STREETS.filter((_, i) => i % 2 === 1).map((s) => {
    const [lat, lon] = around(s.latE6, s.lonE6, 15_000);
    return [`${s.name.replace(/街道|镇$/, '')}公园`, districtName(s.district), (1 + random.float() * 40).toFixed(1), random.chance(0.5) ? 'true' : 'false', lat!, lon!];
  });
  out.push({ fileName: 'parks.csv', content: csv(['park', 'district', 'area_ha', 'open_24h', 'lat', 'lon'], parks), meta: meta('parks', '城市公园', 'City parks', 'environment', ['公园', '绿地', '休闲'], '城市公园的面积、开放时间与位置。', 'yearly', { publisher: 'xm.nr', fieldNotes: { area_ha: { description: '占地面积', unit: '公顷' } } }) });

  const hotline: (string | number)[][] = [];
  const topics = ['交通出行', '市容环境', '住房保障', '劳动社保', '医疗卫生', '教育', '市场监管'];
  for (let m = 1; m <= 12; m++) {
    for (const t of topics) {
      const n = 800 + random.int(2400);
      hotline.push([`2025-${String(m).padStart(2, '0')}-01`, t, n, Math.round(n * (0.9 + random.float() * 0.09)), (94 + random.float() * 5).toFixed(1)]);
    }
  }
  out.push({ fileName: 'hotline.csv', content: csv(['month', 'topic', 'cases', 'closed_on_time', 'satisfaction_pct'], hotline), meta: meta('hotline-12345-monthly', '12345 热线诉求月度统计', '12345 hotline cases by month and topic', 'public_services', ['12345', '热线', '诉求'], '12345 政务服务便民热线按月、按诉求类别统计的受理量、按时办结量与满意率。', 'monthly', { fieldNotes: { satisfaction_pct: { description: '回访满意率', unit: '%' } } }) });

  const licences: (string | number)[][] = [];
  for (let m = 1; m <= 12; m++) for (let d = 0; d < DISTRICTS.length; d++) licences.push([`2025-${String(m).padStart(2, '0')}-01`, districtName(d), 300 + random.int(900), 40 + random.int(200)]);
  out.push({ fileName: 'new-entities.csv', content: csv(['month', 'district', 'new_entities', 'cancelled_entities'], licences), meta: meta('market-entities-monthly', '新设与注销市场主体月度统计', 'New and cancelled market entities by month', 'market', ['市场主体', '营商环境'], '各区每月新设立与注销的市场主体数量。', 'monthly', { publisher: 'xm.amr' }) });

  const ratings = Array.from({ length: 40 }, (_, i) => [`示例企业${String(i + 1).padStart(3, '0')}`, districtName(i % DISTRICTS.length), ['A', 'B', 'C', 'D'][random.int(4)]!, 60 + random.int(40)]);
  out.push({ fileName: 'credit-ratings.csv', content: csv(['enterprise', 'district', 'rating', 'score'], ratings), meta: meta('enterprise-credit-ratings', '企业公共信用综合评价结果', 'Enterprise public-credit ratings', 'credit', ['信用', '企业', '评价'], '企业公共信用综合评价等级与得分，有条件开放：用于金融服务等场景，须申请并签署安全承诺。', 'monthly', { publisher: 'xm.credit', openType: 'conditional' }) });
  return out;
}
