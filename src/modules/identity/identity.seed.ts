import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { PLATFORM_PRINCIPAL, type Role } from '../../platform/access';
import { makeCreditCode, makeOrganisationCode } from '../../platform/ids';
import type { IdentityService, NewUser } from './identity.service';
import { countOrgs, findUserByUsername, insertOrg, type OrgRow } from './identity.store';

/** The password of every demo account (README lists them). Demo cities only. */
export const DEMO_PASSWORD = 'ludao-demo-2026';

interface OrgSeed {
  code: string;
  parent: string | null;
  kind: OrgRow['kind'];
  name: string;
  nameEn: string;
  areaCode?: string;
  /** First 8 characters of a unified social credit code (authority, type, area code); the rest is derived. */
  creditPrefix?: string;
}

// The city's government as the article describes it, plus one of each other kind of
// organisation a demo role needs. Area codes are the real ones (GB/T 2260); credit codes are
// synthetic but valid.
const ORGS: OrgSeed[] = [
  { code: 'xm', parent: null, kind: 'city', name: '厦门市', nameEn: 'Xiamen', areaCode: '350200' },
  { code: 'xm.sm', parent: 'xm', kind: 'district', name: '思明区', nameEn: 'Siming District', areaCode: '350203' },
  { code: 'xm.hc', parent: 'xm', kind: 'district', name: '海沧区', nameEn: 'Haicang District', areaCode: '350205' },
  { code: 'xm.hl', parent: 'xm', kind: 'district', name: '湖里区', nameEn: 'Huli District', areaCode: '350206' },
  { code: 'xm.jm', parent: 'xm', kind: 'district', name: '集美区', nameEn: 'Jimei District', areaCode: '350211' },
  { code: 'xm.ta', parent: 'xm', kind: 'district', name: '同安区', nameEn: "Tong'an District", areaCode: '350212' },
  { code: 'xm.xa', parent: 'xm', kind: 'district', name: '翔安区', nameEn: "Xiang'an District", areaCode: '350213' },
  { code: 'xm.ic', parent: 'xm', kind: 'department', name: '厦门市信息中心', nameEn: 'Xiamen Municipal Information Centre', creditPrefix: '12350200' },
  { code: 'xm.psb', parent: 'xm', kind: 'department', name: '厦门市公安局', nameEn: 'Xiamen Public Security Bureau', creditPrefix: '11350200' },
  { code: 'xm.hrss', parent: 'xm', kind: 'department', name: '厦门市人力资源和社会保障局', nameEn: 'Xiamen Human Resources and Social Security Bureau', creditPrefix: '11350200' },
  { code: 'xm.hrss.si', parent: 'xm.hrss', kind: 'unit', name: '厦门市社会保险中心', nameEn: 'Xiamen Social Insurance Centre', creditPrefix: '12350200' },
  { code: 'xm.ca', parent: 'xm', kind: 'department', name: '厦门市民政局', nameEn: 'Xiamen Civil Affairs Bureau', creditPrefix: '11350200' },
  { code: 'xm.health', parent: 'xm', kind: 'department', name: '厦门市卫生健康委员会', nameEn: 'Xiamen Health Commission', creditPrefix: '11350200' },
  { code: 'xm.nr', parent: 'xm', kind: 'department', name: '厦门市自然资源和规划局', nameEn: 'Xiamen Natural Resources and Planning Bureau', creditPrefix: '11350200' },
  { code: 'xm.amr', parent: 'xm', kind: 'department', name: '厦门市市场监督管理局', nameEn: 'Xiamen Administration for Market Regulation', creditPrefix: '11350200' },
  { code: 'xm.edu', parent: 'xm', kind: 'department', name: '厦门市教育局', nameEn: 'Xiamen Education Bureau', creditPrefix: '11350200' },
  { code: 'xm.housing', parent: 'xm', kind: 'department', name: '厦门市住房和建设局', nameEn: 'Xiamen Housing and Construction Bureau', creditPrefix: '11350200' },
  { code: 'xm.credit', parent: 'xm', kind: 'department', name: '厦门市社会信用体系建设办公室', nameEn: 'Xiamen Social Credit Office', creditPrefix: '11350200' },
  { code: 'xm.medsec', parent: 'xm', kind: 'department', name: '厦门市医疗保障局', nameEn: 'Xiamen Healthcare Security Bureau', creditPrefix: '11350200' },
  { code: 'xm.sm.edu', parent: 'xm.sm', kind: 'department', name: '思明区教育局', nameEn: 'Siming District Education Bureau', areaCode: '350203', creditPrefix: '11350203' },
  { code: 'xm.sm.lq', parent: 'xm.sm', kind: 'community', name: '思明区莲前街道示范社区居委会', nameEn: 'Lianqian Model Community (Siming)', areaCode: '350203' },
  { code: 'xm.sm.lq.lh', parent: 'xm.sm.lq', kind: 'estate', name: '鹭华花园', nameEn: 'Luhua Garden Estate', areaCode: '350203' },
  { code: 'ent.luhua-pm', parent: null, kind: 'enterprise', name: '厦门鹭华物业服务有限公司', nameEn: 'Xiamen Luhua Property Services Co., Ltd.', creditPrefix: '91350203' },
  { code: 'ent.egret-data', parent: null, kind: 'enterprise', name: '厦门白鹭数据科技有限公司', nameEn: 'Xiamen Egret Data Technology Co., Ltd.', creditPrefix: '91350206' },
  { code: 'team.demo', parent: null, kind: 'team', name: '鹭岛示例参赛队', nameEn: 'Ludao Demo Team' },
  // Appended (credit codes follow the position): the departments that open transport and environment data.
  { code: 'xm.transport', parent: 'xm', kind: 'department', name: '厦门市交通运输局', nameEn: 'Xiamen Transport Bureau', creditPrefix: '11350200' },
  { code: 'xm.ee', parent: 'xm', kind: 'department', name: '厦门市生态环境局', nameEn: 'Xiamen Ecology and Environment Bureau', creditPrefix: '11350200' },
];

/** A demo account, as the README lists it. */
export interface DemoUser {
  username: string;
  displayName: string;
  kind: NewUser['kind'];
  orgCode: string | null;
  roles: Role[];
  /** What the account is for, in the README. */
  purpose: string;
}

/** One demo account per role. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'operator', displayName: '林运维', kind: 'staff', orgCode: 'xm.ic', roles: ['operator'], purpose: 'City information centre operator: operator console' },
  { username: 'auditor', displayName: '郑审计', kind: 'staff', orgCode: 'xm.ic', roles: ['auditor'], purpose: 'Reads and verifies the audit log' },
  { username: 'hrss.admin', displayName: '黄人社', kind: 'staff', orgCode: 'xm.hrss', roles: ['dept_admin'], purpose: 'Department administrator (HR & social security): API keys, sharing' },
  { username: 'hrss.staff', displayName: '吴社保', kind: 'staff', orgCode: 'xm.hrss.si', roles: ['dept_staff'], purpose: 'Department staff: provides and consumes data' },
  { username: 'ca.admin', displayName: '钟民政', kind: 'staff', orgCode: 'xm.ca', roles: ['dept_admin'], purpose: 'Department administrator (civil affairs): answers requests for marriage data' },
  { username: 'edu.admin', displayName: '何局长', kind: 'staff', orgCode: 'xm.sm.edu', roles: ['dept_admin'], purpose: 'Department administrator (Siming education bureau): school admission rounds and rules' },
  { username: 'edu.handler', displayName: '许老师', kind: 'staff', orgCode: 'xm.sm.edu', roles: ['case_handler'], purpose: 'Case handler for points-based school admission' },
  { username: 'medsec.admin', displayName: '林医保', kind: 'staff', orgCode: 'xm.medsec', roles: ['dept_admin'], purpose: 'Department administrator (healthcare security bureau): maternity allowance rules' },
  { username: 'medsec.handler', displayName: '蔡医保', kind: 'staff', orgCode: 'xm.medsec', roles: ['case_handler'], purpose: 'Case handler for maternity-insurance claims (healthcare security bureau)' },
  { username: 'citizen', displayName: '陈小鹭', kind: 'citizen', orgCode: null, roles: ['citizen'], purpose: 'A citizen: services, my data, consents' },
  { username: 'enterprise', displayName: '白鹭数据', kind: 'enterprise', orgCode: 'ent.egret-data', roles: ['enterprise'], purpose: 'An enterprise / developer: open data, enterprise services' },
  { username: 'owner', displayName: '李业主', kind: 'citizen', orgCode: 'xm.sm.lq.lh', roles: ['citizen', 'owner'], purpose: 'A home owner in an estate: votes, repairs' },
  { username: 'committee', displayName: '王主任', kind: 'citizen', orgCode: 'xm.sm.lq.lh', roles: ['citizen', 'owner', 'owners_committee'], purpose: "Owners' committee member" },
  { username: 'property', displayName: '蔡物业', kind: 'staff', orgCode: 'ent.luhua-pm', roles: ['property_company'], purpose: 'Property company staff' },
  { username: 'community', displayName: '苏社区', kind: 'staff', orgCode: 'xm.sm.lq', roles: ['community_staff'], purpose: 'Community (residents’ committee) staff' },
  { username: 'team', displayName: '示例参赛队', kind: 'team', orgCode: 'team.demo', roles: ['competitor'], purpose: 'An AI competition team' },
];

/**
 * Loads the city's organisations (only into an empty identity) and, for a demo, each demo
 * account that is missing, so a first start cut off half-way completes on the next one.
 * Returns true when it created anything.
 */
export async function seedIdentity(
  db: Kysely<object>,
  transaction: <T>(work: (trx: Transaction<object>) => Promise<T>) => Promise<T>,
  service: IdentityService,
  options: { demoUsers: boolean },
): Promise<boolean> {
  let created = false;
  if ((await countOrgs(db)) === 0) {
    created = true;
    await seedOrgs(transaction);
  }
  if (options.demoUsers) {
    for (const u of DEMO_USERS) {
      if (await findUserByUsername(db, u.username)) continue;
      await service.createUser(PLATFORM_PRINCIPAL, { ...u, password: DEMO_PASSWORD });
      created = true;
    }
  }
  return created;
}

async function seedOrgs(transaction: <T>(work: (trx: Transaction<object>) => Promise<T>) => Promise<T>): Promise<void> {
  const ids = new Map<string, string>();
  await transaction(async (trx) => {
    for (const [i, o] of ORGS.entries()) {
      const id = randomUUID();
      ids.set(o.code, id);
      await insertOrg(trx, {
        id,
        code: o.code,
        parent_id: o.parent ? ids.get(o.parent)! : null,
        kind: o.kind,
        name: o.name,
        name_en: o.nameEn,
        area_code: o.areaCode ?? o.creditPrefix?.slice(2, 8) ?? null,
        credit_code: o.creditPrefix ? makeCreditCode(`${o.creditPrefix}${organisationCode(i)}`) : null,
      });
    }
  });
}

// A deterministic 9-character organisation code (GB 11714: 8 characters and a check).
function organisationCode(index: number): string {
  return makeOrganisationCode(`MA${String(100000 + index * 7919).padStart(6, '0')}`.slice(0, 8));
}
