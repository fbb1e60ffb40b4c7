import type { FieldSpec, ResourceSpec } from './datacentre.contract';
import type { FieldType } from './field-types';

/**
 * What a new city's data centre starts with: the article's kind of domains, and the base
 * registries and departmental resources as catalogue resources. Their fields are those of the
 * synthetic city's registries (src/synth/records.ts), so the demo city loads as it is.
 */

/** How often a provider updates a resource (the catalogue's update cycle, 更新周期). */
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;

/** A domain (数据领域) of the catalogue. */
export interface DomainSpec {
  code: string;
  name: string;
  nameEn: string;
}

/** The 14 key domains, in display order. */
export const DOMAINS: readonly DomainSpec[] = [
  { code: 'population', name: '人口', nameEn: 'Population' },
  { code: 'legal_person', name: '法人', nameEn: 'Legal persons' },
  { code: 'spatial', name: '空间地理', nameEn: 'Spatial and geographic' },
  { code: 'credit', name: '社会信用', nameEn: 'Social credit' },
  { code: 'video', name: '视频资源', nameEn: 'Video' },
  { code: 'social_security', name: '社会保障', nameEn: 'Social security' },
  { code: 'housing', name: '住房与不动产', nameEn: 'Housing and real estate' },
  { code: 'civil_affairs', name: '民政', nameEn: 'Civil affairs' },
  { code: 'health', name: '卫生健康', nameEn: 'Health' },
  { code: 'market', name: '市场监管', nameEn: 'Market regulation' },
  { code: 'education', name: '教育', nameEn: 'Education' },
  { code: 'public_services', name: '公共服务', nameEn: 'Public services' },
  { code: 'transport', name: '交通出行', nameEn: 'Transport' },
  { code: 'environment', name: '生态环境', nameEn: 'Environment' },
];

type FieldOptions = Partial<Pick<FieldSpec, 'required' | 'sensitivity' | 'values' | 'description'>>;

function f(name: string, labelZh: string, labelEn: string, type: FieldType, options: FieldOptions = {}): FieldSpec {
  return { name, labelZh, labelEn, type, required: options.required ?? false, sensitivity: options.sensitivity ?? 1, ...options };
}

const req = { required: true } as const;
const CODE = (name: string, zh: string, en: string, options: FieldOptions = {}) => f(name, zh, en, 'text', options);
const LAT = f('lat', '纬度', 'Latitude', 'decimal');
const LON = f('lon', '经度', 'Longitude', 'decimal');
const SEX = (name = 'sex') => f(name, '性别', 'Sex', 'enum', { values: ['male', 'female'], required: true });

const BASE = { baseRegistry: true, sharingType: 'unconditional', openType: 'not_open' } as const;
const CONDITIONAL = {
  sharingType: 'conditional',
  sharingCondition: '因履行法定职责需要，经提供部门审核同意后共享 (on request, for a statutory duty, approved by the provider)',
  openType: 'not_open',
} as const;

// Legal persons and business licences carry the same particulars (the licence is the market
// regulator's view of the same registration).
const COMPANY_FIELDS: FieldSpec[] = [
  f('credit_code', '统一社会信用代码', 'Unified social credit code', 'credit_code', req),
  f('name', '名称', 'Name', 'text', req),
  f('kind', '主体类型', 'Kind', 'enum', { values: ['organ', 'institution', 'enterprise', 'individual_business'], required: true }),
  CODE('industry_code', '行业门类', 'Industry section (GB/T 4754)'),
  f('industry', '行业', 'Industry', 'text'),
  CODE('district_code', '区代码', 'District code'),
  CODE('street_code', '街道代码', 'Street code'),
  f('address', '住所', 'Address', 'text'),
  f('established_on', '成立日期', 'Established on', 'date', req),
  f('registered_capital_fen', '注册资本（分）', 'Registered capital (fen)', 'integer'),
  f('legal_representative', '法定代表人', 'Legal representative', 'text', { sensitivity: 2 }),
  f('status', '登记状态', 'Status', 'enum', { values: ['active', 'revoked', 'cancelled'], required: true }),
];

/** A built-in resource and the synthetic-city registry its demo rows come from. */
export interface BuiltinResource {
  spec: ResourceSpec;
  /** The registry file (`<name>.ndjson`) of the synthetic city that fills it, if any. */
  demoRegistry: string | null;
}

/** The base registries and departmental resources every city starts with. */
export const BUILTIN_RESOURCES: readonly BuiltinResource[] = [
  {
    demoRegistry: 'people',
    spec: {
      ...BASE,
      code: 'population.person',
      name: '人口基础信息',
      nameEn: 'Population base registry',
      domain: 'population',
      providerOrg: 'xm.psb',
      category: '基础信息资源',
      item: '人口',
      abstract: '本市常住人口的身份、户籍、婚姻状况与居住地信息，以公民身份号码为主键。Residents with identity, household registration, marital status and residence.',
      updateCycle: 'daily',
      keyFields: ['id'],
      subject: { field: 'id', kind: 'person' },
      partitions: 8,
      fields: [
        f('id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        f('name', '姓名', 'Name', 'text', { required: true, sensitivity: 3 }),
        SEX(),
        f('birth_date', '出生日期', 'Date of birth', 'date', { required: true, sensitivity: 3 }),
        f('ethnicity', '民族', 'Ethnicity', 'text', { sensitivity: 3 }),
        CODE('hukou_area_code', '户籍地区划代码', 'Household registration area code', req),
        f('hukou_in_xiamen', '本市户籍', 'Registered in Xiamen', 'boolean', req),
        f('arrived_on', '来厦日期', 'Arrived in Xiamen on', 'date'),
        CODE('household_id', '户号', 'Household number', req),
        f('relation_to_head', '与户主关系', 'Relation to head', 'enum', { values: ['head', 'spouse', 'child', 'parent'], required: true }),
        f('marital_status', '婚姻状况', 'Marital status', 'enum', { values: ['unmarried', 'married', 'divorced', 'widowed'], required: true, sensitivity: 3 }),
        CODE('residence_unit_code', '居住房屋编码', 'Residence unit code', { sensitivity: 3 }),
        CODE('residence_community_code', '居住社区代码', 'Residence community code'),
        CODE('residence_street_code', '居住街道代码', 'Residence street code'),
        CODE('residence_district_code', '居住区代码', 'Residence district code', req),
      ],
    },
  },
  {
    demoRegistry: 'households',
    spec: {
      ...BASE,
      code: 'population.household',
      name: '户籍家庭信息',
      nameEn: 'Households',
      domain: 'population',
      providerOrg: 'xm.psb',
      category: '基础信息资源',
      item: '人口',
      abstract: '以户为单位的家庭构成与居住房屋。Households, their kind and the unit they live in.',
      updateCycle: 'daily',
      keyFields: ['id'],
      subject: { field: 'head_id', kind: 'person' },
      fields: [
        CODE('id', '户号', 'Household number', req),
        f('kind', '家庭类型', 'Kind', 'enum', { values: ['single', 'couple', 'family', 'three_generation', 'single_parent', 'elderly_couple', 'elderly_single'], required: true }),
        f('head_id', '户主公民身份号码', 'Head (resident ID)', 'resident_id', { required: true, sensitivity: 4 }),
        f('members', '人数', 'Members', 'integer', req),
        f('hukou_kind', '户籍类别', 'Registration', 'enum', { values: ['local', 'migrant'], required: true }),
        CODE('hukou_area_code', '户籍地区划代码', 'Registration area code', req),
        CODE('unit_code', '居住房屋编码', 'Unit code', { required: true, sensitivity: 3 }),
        CODE('community_code', '社区代码', 'Community code'),
        CODE('street_code', '街道代码', 'Street code'),
        CODE('district_code', '区代码', 'District code', req),
        f('tenure', '居住方式', 'Tenure', 'enum', { values: ['owned', 'rented'] }),
      ],
    },
  },
  {
    demoRegistry: 'companies',
    spec: {
      ...BASE,
      code: 'legal_person.entity',
      name: '法人基础信息',
      nameEn: 'Legal person base registry',
      domain: 'legal_person',
      providerOrg: 'xm.amr',
      category: '基础信息资源',
      item: '法人',
      abstract: '企业、个体工商户、机关和事业单位的登记信息，以统一社会信用代码为主键。Legal persons by unified social credit code.',
      updateCycle: 'daily',
      openType: 'unconditional',
      keyFields: ['credit_code'],
      subject: { field: 'credit_code', kind: 'legal_person' },
      fields: COMPANY_FIELDS,
    },
  },
  ...spatial(),
  {
    demoRegistry: 'credit_records',
    spec: {
      ...BASE,
      code: 'credit.record',
      name: '信用红黑名单',
      nameEn: 'Credit red and black lists',
      domain: 'credit',
      providerOrg: 'xm.credit',
      category: '基础信息资源',
      item: '信用',
      abstract: '守信联合激励（红名单）与失信联合惩戒（黑名单）对象。Red-list and black-list entries of legal persons and people.',
      updateCycle: 'daily',
      keyFields: ['id'],
      subject: { field: 'subject_id', kind: 'mixed' },
      fields: [
        CODE('id', '记录编号', 'Record number', req),
        f('subject_kind', '主体类型', 'Subject kind', 'enum', { values: ['company', 'person'], required: true }),
        CODE('subject_id', '主体标识', 'Subject (credit code or resident ID)', { required: true, sensitivity: 3 }),
        f('list', '名单', 'List', 'enum', { values: ['red', 'black'], required: true }),
        f('reason', '事由', 'Reason', 'text', req),
        f('authority', '认定部门', 'Decided by', 'text', req),
        f('decided_on', '认定日期', 'Decided on', 'date', req),
        f('valid_until', '有效期至', 'Valid until', 'date'),
      ],
    },
  },
  {
    demoRegistry: 'cameras',
    spec: {
      ...BASE,
      code: 'video.camera',
      name: '视频监控点位目录',
      nameEn: 'Camera index',
      domain: 'video',
      providerOrg: 'xm.psb',
      category: '基础信息资源',
      item: '视频',
      abstract: '公共视频监控设备的位置、权属与运行状态（GB/T 28181 设备编码）。Cameras: location, owner, status.',
      updateCycle: 'realtime',
      keyFields: ['device_id'],
      subject: { field: 'community_code', kind: 'place' },
      fields: [
        CODE('device_id', '设备编码', 'Device ID (GB/T 28181)', req),
        f('name', '点位名称', 'Name', 'text', req),
        f('purpose', '用途', 'Purpose', 'enum', { values: ['public_security', 'traffic', 'community', 'city_management'], required: true }),
        f('owner_department', '权属单位', 'Owner', 'text', req),
        CODE('district_code', '区代码', 'District code'),
        CODE('street_code', '街道代码', 'Street code'),
        CODE('community_code', '社区代码', 'Community code'),
        LAT,
        LON,
        f('status', '运行状态', 'Status', 'enum', { values: ['online', 'offline', 'maintenance'], required: true }),
        f('installed_on', '安装日期', 'Installed on', 'date'),
      ],
    },
  },
  {
    demoRegistry: 'social_insurance',
    spec: {
      ...CONDITIONAL,
      code: 'social_security.contribution',
      name: '社会保险缴费明细',
      nameEn: 'Social-insurance contributions (monthly)',
      domain: 'social_security',
      providerOrg: 'xm.hrss.si',
      category: '部门信息资源',
      item: '社会保险',
      abstract: '参保人按月缴费明细：缴费单位、缴费基数、单位与个人缴费金额（分）。Monthly contributions per insured person.',
      updateCycle: 'monthly',
      keyFields: ['person_id', 'month'],
      subject: { field: 'person_id', kind: 'person' },
      partitions: 8,
      fields: [
        f('person_id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        CODE('month', '费款所属期', 'Month (YYYY-MM)', req),
        f('employer_credit_code', '缴费单位统一社会信用代码', 'Employer credit code', 'credit_code', req),
        f('base_fen', '缴费基数（分）', 'Contribution base (fen)', 'integer', { required: true, sensitivity: 3 }),
        f('employer_fen', '单位缴费（分）', 'Employer part (fen)', 'integer', { sensitivity: 3 }),
        f('employee_fen', '个人缴费（分）', 'Employee part (fen)', 'integer', { sensitivity: 3 }),
      ],
    },
  },
  {
    demoRegistry: 'social_insurance_periods',
    spec: {
      ...CONDITIONAL,
      code: 'social_security.contribution_period',
      name: '社会保险参保缴费期间',
      nameEn: 'Social-insurance contribution periods',
      domain: 'social_security',
      providerOrg: 'xm.hrss.si',
      category: '部门信息资源',
      item: '社会保险',
      abstract: '参保人在各单位的连续缴费期间与月数。Contribution periods per person and employer.',
      updateCycle: 'monthly',
      keyFields: ['id'],
      subject: { field: 'person_id', kind: 'person' },
      fields: [
        CODE('id', '期间编号', 'Period number', req),
        f('person_id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        f('employer_credit_code', '缴费单位统一社会信用代码', 'Employer credit code', 'credit_code', req),
        CODE('first_month', '起始月份', 'First month', req),
        CODE('last_month', '截止月份', 'Last month', req),
        f('months', '缴费月数', 'Months', 'integer', req),
        f('ongoing', '正在缴费', 'Ongoing', 'boolean', req),
      ],
    },
  },
  {
    demoRegistry: 'si_bank_accounts',
    spec: {
      ...CONDITIONAL,
      code: 'social_security.bank_account',
      name: '社会保障卡金融账户信息',
      nameEn: 'Social-security card bank accounts',
      domain: 'social_security',
      providerOrg: 'xm.hrss.si',
      category: '部门信息资源',
      item: '社会保障卡',
      abstract: '参保人社会保障卡的金融账户：开户银行、账号与状态，社保待遇发放至该账户。The bank account of each insured person’s social-security card, into which benefits are paid.',
      updateCycle: 'daily',
      keyFields: ['person_id'],
      subject: { field: 'person_id', kind: 'person' },
      fields: [
        f('person_id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        CODE('bank_code', '开户银行代码', 'Bank code', req),
        CODE('account_number', '金融账号', 'Account number', { required: true, sensitivity: 4 }),
        f('status', '账户状态', 'Status', 'enum', { values: ['active', 'suspended', 'closed'], required: true }),
        f('opened_on', '开户日期', 'Opened on', 'date'),
      ],
    },
  },
  {
    demoRegistry: 'employment',
    spec: {
      ...CONDITIONAL,
      code: 'social_security.employment',
      name: '就业登记信息',
      nameEn: 'Employment registrations',
      domain: 'social_security',
      providerOrg: 'xm.hrss',
      category: '部门信息资源',
      item: '就业',
      abstract: '劳动者就业登记：用人单位、起止日期、岗位与合同类型。Jobs: person, employer, dates, occupation, contract.',
      updateCycle: 'daily',
      keyFields: ['id'],
      subject: { field: 'person_id', kind: 'person' },
      fields: [
        CODE('id', '登记编号', 'Registration number', req),
        f('person_id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        f('employer_credit_code', '用人单位统一社会信用代码', 'Employer credit code', 'credit_code', req),
        f('start_date', '就业日期', 'Start date', 'date', req),
        f('end_date', '终止日期', 'End date', 'date'),
        f('occupation', '职业', 'Occupation', 'text'),
        f('contract', '合同类型', 'Contract', 'enum', { values: ['open_ended', 'fixed_term'] }),
        f('monthly_wage_fen', '月工资（分）', 'Monthly wage (fen)', 'integer', { sensitivity: 3 }),
      ],
    },
  },
  {
    demoRegistry: 'property_ownership',
    spec: {
      ...CONDITIONAL,
      code: 'housing.property_ownership',
      name: '不动产权属登记信息',
      nameEn: 'Real-estate ownership register',
      domain: 'housing',
      providerOrg: 'xm.nr',
      category: '部门信息资源',
      item: '不动产登记',
      abstract: '房屋不动产权利人、共有方式、份额、登记日期与不动产权证书号。Registered owners of units and their shares.',
      updateCycle: 'realtime',
      keyFields: ['id'],
      subject: { field: 'owner_id', kind: 'mixed' },
      fields: [
        CODE('id', '登记编号', 'Registration number', req),
        CODE('unit_code', '不动产单元号', 'Unit code', req),
        f('owner_kind', '权利人类型', 'Owner kind', 'enum', { values: ['person', 'company'], required: true }),
        CODE('owner_id', '权利人证件号', 'Owner (resident ID or credit code)', { required: true, sensitivity: 4 }),
        f('owner_name', '权利人', 'Owner name', 'text', { required: true, sensitivity: 3 }),
        f('ownership', '共有情况', 'Ownership', 'enum', { values: ['sole', 'joint'], required: true }),
        f('share_numerator', '份额分子', 'Share numerator', 'integer', req),
        f('share_denominator', '份额分母', 'Share denominator', 'integer', req),
        f('registered_on', '登记日期', 'Registered on', 'date', req),
        f('certificate_no', '不动产权证书号', 'Certificate number', 'text', { sensitivity: 2 }),
      ],
    },
  },
  {
    demoRegistry: 'marriages',
    spec: {
      ...CONDITIONAL,
      code: 'civil_affairs.marriage',
      name: '婚姻登记信息',
      nameEn: 'Marriage registrations',
      domain: 'civil_affairs',
      providerOrg: 'xm.ca',
      category: '部门信息资源',
      item: '婚姻登记',
      abstract: '结婚登记：男方、女方、登记日期与登记机关。Marriage registrations.',
      updateCycle: 'daily',
      keyFields: ['id'],
      subject: { field: 'husband_id', kind: 'person' },
      fields: [
        CODE('id', '登记编号', 'Registration number', req),
        f('husband_id', '男方公民身份号码', 'Husband (resident ID)', 'resident_id', { required: true, sensitivity: 4 }),
        f('wife_id', '女方公民身份号码', 'Wife (resident ID)', 'resident_id', { required: true, sensitivity: 4 }),
        f('registered_on', '登记日期', 'Registered on', 'date', req),
        f('registration_office', '登记机关', 'Registration office', 'text'),
        f('status', '状态', 'Status', 'enum', { values: ['married', 'divorced'], required: true }),
      ],
    },
  },
  {
    demoRegistry: 'births',
    spec: {
      ...CONDITIONAL,
      code: 'health.birth_certificate',
      name: '出生医学证明信息',
      nameEn: 'Birth medical certificates',
      domain: 'health',
      providerOrg: 'xm.health',
      category: '部门信息资源',
      item: '妇幼健康',
      abstract: '出生医学证明：新生儿、父母、出生日期与助产机构。Birth medical certificates.',
      updateCycle: 'daily',
      keyFields: ['certificate_no'],
      subject: { field: 'child_id', kind: 'person' },
      fields: [
        CODE('certificate_no', '出生医学证明编号', 'Certificate number', req),
        f('child_id', '新生儿公民身份号码', 'Child (resident ID)', 'resident_id', { required: true, sensitivity: 4 }),
        f('child_name', '新生儿姓名', 'Child name', 'text', { required: true, sensitivity: 3 }),
        SEX(),
        f('birth_date', '出生日期', 'Date of birth', 'date', req),
        f('hospital', '助产机构', 'Hospital', 'text'),
        CODE('hospital_district_code', '助产机构所在区', 'Hospital district'),
        f('mother_id', '母亲公民身份号码', 'Mother (resident ID)', 'resident_id', { required: true, sensitivity: 4 }),
        f('mother_name', '母亲姓名', 'Mother name', 'text', { sensitivity: 3 }),
        f('father_id', '父亲公民身份号码', 'Father (resident ID)', 'resident_id', { sensitivity: 4 }),
        f('father_name', '父亲姓名', 'Father name', 'text', { sensitivity: 3 }),
        f('weight_g', '出生体重（克）', 'Weight (g)', 'integer', { sensitivity: 3 }),
        f('gestational_weeks', '孕周', 'Gestational weeks', 'integer', { sensitivity: 3 }),
      ],
    },
  },
  {
    demoRegistry: 'residence_permits',
    spec: {
      ...CONDITIONAL,
      code: 'population.residence_permit',
      name: '居住证信息',
      nameEn: 'Residence permits',
      domain: 'population',
      providerOrg: 'xm.psb',
      category: '部门信息资源',
      item: '流动人口',
      abstract: '非本市户籍人员居住证：居住地、签发与有效期。Residence permits of people registered elsewhere.',
      updateCycle: 'daily',
      keyFields: ['permit_no'],
      subject: { field: 'person_id', kind: 'person' },
      fields: [
        CODE('permit_no', '居住证号', 'Permit number', req),
        f('person_id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        CODE('hukou_area_code', '户籍地区划代码', 'Registration area code', req),
        CODE('residence_unit_code', '居住房屋编码', 'Residence unit code', { sensitivity: 3 }),
        CODE('residence_district_code', '居住区代码', 'Residence district code'),
        f('issuing_authority', '签发机关', 'Issuing authority', 'text'),
        f('first_issued_on', '首次签发日期', 'First issued on', 'date', req),
        f('issued_on', '签发日期', 'Issued on', 'date', req),
        f('expires_on', '有效期至', 'Expires on', 'date', req),
        f('status', '状态', 'Status', 'enum', { values: ['valid', 'expired'], required: true }),
      ],
    },
  },
  {
    demoRegistry: 'companies',
    spec: {
      ...CONDITIONAL,
      code: 'market.business_licence',
      name: '营业执照信息',
      nameEn: 'Business licences',
      domain: 'market',
      providerOrg: 'xm.amr',
      category: '部门信息资源',
      item: '登记注册',
      abstract: '市场主体营业执照登记事项。Business-licence particulars of market entities.',
      updateCycle: 'daily',
      sharingType: 'unconditional',
      sharingCondition: undefined,
      openType: 'unconditional',
      keyFields: ['credit_code'],
      subject: { field: 'credit_code', kind: 'legal_person' },
      fields: COMPANY_FIELDS,
    },
  },
  {
    demoRegistry: null,
    spec: {
      code: 'health.medical_record',
      name: '电子病历',
      nameEn: 'Electronic medical records',
      domain: 'health',
      providerOrg: 'xm.health',
      category: '部门信息资源',
      item: '医疗服务',
      abstract: '医疗机构诊疗记录，属个人健康隐私，不予共享。Clinical records: personal health data, not shared.',
      updateCycle: 'realtime',
      sharingType: 'not_shared',
      legalBasis: '《中华人民共和国基本医疗卫生与健康促进法》第九十二条：国家保护公民个人健康信息。',
      openType: 'not_open',
      keyFields: ['record_no'],
      subject: { field: 'person_id', kind: 'person' },
      fields: [
        CODE('record_no', '病历号', 'Record number', req),
        f('person_id', '公民身份号码', 'Resident ID number', 'resident_id', { required: true, sensitivity: 4 }),
        f('hospital', '医疗机构', 'Hospital', 'text'),
        f('visited_at', '就诊时间', 'Visited at', 'timestamp'),
        f('diagnosis', '诊断', 'Diagnosis', 'json', { sensitivity: 4 }),
      ],
    },
  },
];

function spatial(): BuiltinResource[] {
  const common = {
    ...BASE,
    domain: 'spatial',
    providerOrg: 'xm.nr',
    category: '基础信息资源',
    item: '空间地理',
    updateCycle: 'monthly' as const,
    openType: 'unconditional' as const,
  };
  const place = (code: string, name: string, nameEn: string, abstract: string, registry: string, fields: FieldSpec[]): BuiltinResource => ({
    demoRegistry: registry,
    spec: { ...common, code, name, nameEn, abstract, keyFields: ['code'], subject: { field: 'code', kind: 'place' }, fields },
  });
  const code = CODE('code', '代码', 'Code', req);
  const name = f('name', '名称', 'Name', 'text', req);
  return [
    place('spatial.district', '行政区', 'Districts', '本市六个行政区及其区划代码（GB/T 2260）。The six districts with their area codes.', 'districts', [code, name, LAT, LON]),
    place('spatial.street', '街道（镇）', 'Subdistricts and towns', '街道办事处与镇。Subdistricts (街道) and towns (镇).', 'streets', [
      code,
      name,
      f('kind', '类型', 'Kind', 'enum', { values: ['subdistrict', 'town'], required: true }),
      CODE('district_code', '区代码', 'District code', req),
      LAT,
      LON,
    ]),
    place('spatial.community', '社区（村）', 'Communities and villages', '社区居委会与村委会。Communities (社区) and villages (村).', 'communities', [
      code,
      name,
      f('kind', '类型', 'Kind', 'enum', { values: ['community', 'village'], required: true }),
      CODE('street_code', '街道代码', 'Street code', req),
      CODE('district_code', '区代码', 'District code', req),
      LAT,
      LON,
    ]),
    place('spatial.estate', '住宅小区', 'Residential estates', '住宅小区的位置、竣工年份与开发企业。Estates, their location, completion and developer.', 'estates', [
      code,
      name,
      CODE('community_code', '社区代码', 'Community code', req),
      CODE('street_code', '街道代码', 'Street code'),
      CODE('district_code', '区代码', 'District code'),
      f('address', '地址', 'Address', 'text'),
      LAT,
      LON,
      f('completed_year', '竣工年份', 'Completed in', 'integer'),
      f('developer_credit_code', '开发企业统一社会信用代码', 'Developer credit code', 'credit_code'),
      f('buildings', '楼栋数', 'Buildings', 'integer'),
      f('units', '户数', 'Units', 'integer'),
    ]),
    place('spatial.building', '楼栋', 'Buildings', '小区楼栋及层数。Buildings of the estates.', 'buildings', [
      code,
      CODE('estate_code', '小区代码', 'Estate code', req),
      name,
      f('floors', '层数', 'Floors', 'integer'),
      f('units', '户数', 'Units', 'integer'),
      LAT,
      LON,
    ]),
    place('spatial.unit', '房屋', 'Units', '房屋（专有部分）的楼层、房号与建筑面积。Units with floor and area.', 'units', [
      code,
      CODE('building_code', '楼栋代码', 'Building code', req),
      CODE('estate_code', '小区代码', 'Estate code', req),
      f('floor', '所在层', 'Floor', 'integer'),
      CODE('room', '房号', 'Room'),
      f('use', '用途', 'Use', 'enum', { values: ['residential', 'commercial', 'office'] }),
      f('area_m2_x100', '建筑面积（0.01平方米）', 'Floor area (0.01 m²)', 'integer', req),
    ]),
  ];
}
