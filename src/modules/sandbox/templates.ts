import { chinaDay } from '../../platform/china-time';
import { renderMessage, type Message } from '../../platform/i18n/messages';
import { isValidCreditCode, isValidResidentId } from '../../platform/ids';
import { sbMessage } from './messages';

/**
 * The predicate kinds the sandbox can evaluate, and the templates and case types a new city
 * starts with. A kind is code (its SQL is in `sandbox.store.ts`); a template is a provider
 * department's declaration of a kind on its resources, with its name; a case type whitelists
 * templates for one consuming department's cases.
 */

/** The type of a template parameter; each is checked before anything is read. */
export type ParamType = 'integer' | 'month' | 'date' | 'resident_id' | 'credit_code' | 'district' | 'bank_account';

/** A parameter of a predicate kind. */
export interface ParamSpec {
  name: string;
  type: ParamType;
  labelZh: string;
  labelEn: string;
  /** Whether the value names a person (their "who used my data" shows the verification too). */
  person?: boolean;
}

/** A predicate kind: what it reads and which parameters it takes. */
export interface PredicateKind {
  kind: string;
  /** The resource whose records decide the claim (the provider's); first is the primary one. */
  resources: { code: string; fields: string[] }[];
  params: ParamSpec[];
}

/** The kinds, by name. */
export const PREDICATE_KINDS: Readonly<Record<string, PredicateKind>> = {
  months_insured: {
    kind: 'months_insured',
    resources: [{ code: 'social_security.contribution_period', fields: ['first_month', 'last_month'] }],
    params: [
      { name: 'months', type: 'integer', labelZh: '至少缴费月数', labelEn: 'At least months' },
      { name: 'from', type: 'month', labelZh: '起始月份', labelEn: 'Window from (YYYY-MM)' },
      { name: 'to', type: 'month', labelZh: '截止月份', labelEn: 'Window to (YYYY-MM)' },
    ],
  },
  owns_residence_in_district: {
    kind: 'owns_residence_in_district',
    resources: [
      { code: 'housing.property_ownership', fields: ['unit_code', 'owner_kind'] },
      { code: 'spatial.unit', fields: ['estate_code', 'use'] },
      { code: 'spatial.estate', fields: ['district_code'] },
    ],
    params: [{ name: 'district', type: 'district', labelZh: '区划代码', labelEn: 'District (area code)' }],
  },
  employed_by_since: {
    kind: 'employed_by_since',
    resources: [{ code: 'social_security.employment', fields: ['employer_credit_code', 'start_date', 'end_date'] }],
    params: [
      { name: 'creditCode', type: 'credit_code', labelZh: '用人单位统一社会信用代码', labelEn: 'Employer credit code' },
      { name: 'since', type: 'date', labelZh: '起始日期', labelEn: 'Since (YYYY-MM-DD)' },
    ],
  },
  married_to: {
    kind: 'married_to',
    resources: [{ code: 'civil_affairs.marriage', fields: ['wife_id', 'status'] }],
    params: [{ name: 'spouse', type: 'resident_id', labelZh: '配偶公民身份号码', labelEn: 'Spouse (resident ID)', person: true }],
  },
  parent_of_child: {
    kind: 'parent_of_child',
    resources: [{ code: 'health.birth_certificate', fields: ['mother_id', 'father_id'] }],
    params: [{ name: 'child', type: 'resident_id', labelZh: '子女公民身份号码', labelEn: 'Child (resident ID)', person: true }],
  },
  si_bank_account_is: {
    kind: 'si_bank_account_is',
    resources: [{ code: 'social_security.bank_account', fields: ['account_number', 'status'] }],
    // An account number names no person; guessing numbers is a sweep like any other.
    params: [{ name: 'account', type: 'bank_account', labelZh: '社保卡金融账号', labelEn: 'Social-security card account number' }],
  },
  residence_permit_since: {
    kind: 'residence_permit_since',
    resources: [{ code: 'population.residence_permit', fields: ['first_issued_on', 'expires_on', 'status'] }],
    params: [{ name: 'since', type: 'date', labelZh: '起始日期', labelEn: 'Since (YYYY-MM-DD)' }],
  },
};

/** A template as a provider declares it. */
export interface TemplateSeed {
  code: string;
  kind: string;
  name: string;
  nameEn: string;
  description: string;
  providerOrg: string;
}

/** The templates the demo city's registries offer, declared on behalf of their providers. */
export const BUILTIN_TEMPLATES: readonly TemplateSeed[] = [
  {
    code: 'si.months_insured',
    kind: 'months_insured',
    name: '在本市缴纳社会保险满N个月',
    nameEn: 'Paid social insurance in the city for at least so many months',
    description: '窗口期内本市社会保险缴费月数不少于N。Months of contributions in the city within the window are at least N.',
    providerOrg: 'xm.hrss.si',
  },
  {
    code: 'housing.owns_residence_in_district',
    kind: 'owns_residence_in_district',
    name: '在某区拥有住宅',
    nameEn: 'Owns a home in a given district',
    description: '申请人是该区某住宅的登记权利人。The applicant is a registered owner of a residential unit in the district.',
    providerOrg: 'xm.nr',
  },
  {
    code: 'employment.employed_by_since',
    kind: 'employed_by_since',
    name: '自某日起受雇于某单位',
    nameEn: 'Employed by a given employer since a date',
    description: '申请人自该日起至今在该单位就业登记。Employed by the employer from that date until today.',
    providerOrg: 'xm.hrss',
  },
  {
    code: 'marriage.married_to',
    kind: 'married_to',
    name: '与某人登记结婚',
    nameEn: 'Registered marriage with a given person',
    description: '申请人与该人有有效的结婚登记。A current marriage registration between the applicant and the spouse.',
    providerOrg: 'xm.ca',
  },
  {
    code: 'birth.parent_of_child',
    kind: 'parent_of_child',
    name: '持有子女出生医学证明',
    nameEn: 'Has the birth medical certificate of their child',
    description: '出生医学证明记载申请人为该子女的父亲或母亲。The certificate of the child names the applicant as mother or father.',
    providerOrg: 'xm.health',
  },
  {
    code: 'si.bank_account_is',
    kind: 'si_bank_account_is',
    name: '社保卡金融账户为某账号',
    nameEn: 'Social-security card bank account is a given one',
    description: '申请人社会保障卡的金融账户为该账号且状态正常，社保待遇可发放至该账户。The applicant’s social-security card account is this number and active, so benefits can be paid into it.',
    providerOrg: 'xm.hrss.si',
  },
  {
    code: 'residence_permit.held_since',
    kind: 'residence_permit_since',
    name: '自某日起持有有效居住证',
    nameEn: 'Holds a valid residence permit since a date',
    description: '居住证自该日前首次签发且至今有效。A residence permit first issued by that date and valid today.',
    providerOrg: 'xm.psb',
  },
];

/** A case type as a consuming department declares it. */
export interface CaseTypeSeed {
  code: string;
  name: string;
  nameEn: string;
  ownerOrg: string;
  purpose: string;
  legalBasis: string;
  templates: string[];
  perCasePerDay: number;
  perApplicantPerDay: number;
  perHandlerPerDay: number;
}

/** The demo case types: the two services of issue 5 will build on them. */
export const DEMO_CASE_TYPES: readonly CaseTypeSeed[] = [
  {
    code: 'school_admission.sm',
    name: '思明区积分入学',
    nameEn: 'Points-based school admission (Siming)',
    ownerOrg: 'xm.sm.edu',
    purpose: '积分入学申请材料核验',
    legalBasis: '厦门市思明区义务教育阶段非本区户籍学生积分入学办法',
    templates: ['si.months_insured', 'housing.owns_residence_in_district', 'employment.employed_by_since', 'residence_permit.held_since', 'birth.parent_of_child'],
    perCasePerDay: 20,
    perApplicantPerDay: 20,
    perHandlerPerDay: 1_000_000,
  },
  {
    code: 'maternity_claim',
    name: '生育保险待遇快速申领',
    nameEn: 'Maternity insurance quick claim',
    ownerOrg: 'xm.medsec',
    purpose: '生育保险待遇申领核验',
    legalBasis: '《社会保险法》第五十四条；厦门市生育保险办法',
    templates: ['marriage.married_to', 'birth.parent_of_child', 'si.months_insured', 'si.bank_account_is'],
    perCasePerDay: 10,
    perApplicantPerDay: 20,
    perHandlerPerDay: 20_000,
  },
];

/** The city's district area codes (GB/T 2260), the values a `district` parameter may take. */
export const CITY_DISTRICTS: readonly string[] = ['350203', '350205', '350206', '350211', '350212', '350213'];

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
// A bank card or account number: 12 to 30 digits (spaces between groups are dropped).
const ACCOUNT = /^\d{12,30}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why parameters are wrong: `why` to word per reader (ADR 0020), `message` its English words
 * (for logs, and callers that put it in text).
 */
export interface ParamsWrong {
  ok: false;
  message: string;
  why: Message;
}

// Built only when parameters are refused (a batch checks millions that are not).
const wrong = (why: Message): ParamsWrong => ({ ok: false, message: renderMessage(why, 'en'), why });
// A parameter as its messages name it: by its label in each language, and by name (the
// English label without the format it shows on a form: "Since (YYYY-MM-DD)" is "Since").
const named = (spec: ParamSpec) => ({ name: spec.name, label: spec.labelZh, labelEn: spec.labelEn.replace(/\s*\([^)]*\)$/, '') });

/**
 * Checks the parameters of a claim against its kind; returns the canonical values or the
 * reason they are wrong. Only the input is looked at, never a record.
 *
 * @example
 * checkParams(PREDICATE_KINDS.months_insured!, { months: 36, from: '2023-07', to: '2026-06' }); // { ok: true, … }
 */
export function checkParams(kind: PredicateKind, raw: Record<string, unknown>): { ok: true; params: Record<string, string | number> } | ParamsWrong {
  const params: Record<string, string | number> = {};
  const known = new Set(kind.params.map((p) => p.name));
  const extra = Object.keys(raw).filter((k) => !known.has(k));
  if (extra.length > 0) return wrong(sbMessage('sb.param.unknown', { names: extra.join(', ') }));
  for (const spec of kind.params) {
    const value = raw[spec.name];
    if (value === undefined || value === null || value === '') return wrong(sbMessage('sb.param.required', named(spec)));
    const text = String(value).trim();
    switch (spec.type) {
      case 'integer': {
        const n = typeof value === 'number' ? value : Number(text);
        if (!Number.isInteger(n) || n < 1 || n > 1200) return wrong(sbMessage('sb.param.integer', named(spec)));
        params[spec.name] = n;
        break;
      }
      case 'month':
        if (!MONTH.test(text)) return wrong(sbMessage('sb.param.month', named(spec)));
        params[spec.name] = text;
        break;
      case 'date':
        if (!DAY.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)) || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) {
          return wrong(sbMessage('sb.param.date', named(spec)));
        }
        // Every date a claim takes is a "since": one after today holds for no one, and would
        // only be answered "no match".
        if (text > chinaDay(new Date())) return wrong(sbMessage('sb.param.future', named(spec)));
        params[spec.name] = text;
        break;
      case 'resident_id':
        if (!isValidResidentId(text.toUpperCase())) return wrong(sbMessage('sb.param.residentId', named(spec)));
        params[spec.name] = text.toUpperCase();
        break;
      case 'credit_code':
        if (!isValidCreditCode(text.toUpperCase())) return wrong(sbMessage('sb.param.creditCode', named(spec)));
        params[spec.name] = text.toUpperCase();
        break;
      case 'bank_account': {
        const digits = text.replace(/\s+/g, '');
        if (!ACCOUNT.test(digits)) return wrong(sbMessage('sb.param.account', named(spec)));
        params[spec.name] = digits;
        break;
      }
      case 'district':
        if (!CITY_DISTRICTS.includes(text)) return wrong(sbMessage('sb.param.district', { ...named(spec), codes: CITY_DISTRICTS.join(', ') }));
        params[spec.name] = text;
        break;
    }
  }
  if (kind.kind === 'months_insured' && String(params.from) > String(params.to)) return wrong(sbMessage('sb.param.fromAfterTo'));
  return { ok: true, params };
}
