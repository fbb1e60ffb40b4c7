/**
 * The shape of every registry the synthetic city writes: one NDJSON line per record, keys in
 * the order listed here, snake_case. Dates are `YYYY-MM-DD`, months `YYYY-MM`; money is in fen
 * (0.01 yuan) and floor areas in 0.01 m², both integers; coordinates in degrees (WGS 84-like,
 * 6 decimals).
 */

/** A district (区). */
export interface DistrictRecord {
  code: string;
  name: string;
  lat: number;
  lon: number;
}

/** A subdistrict (街道) or town (镇). */
export interface StreetRecord {
  code: string;
  name: string;
  kind: 'subdistrict' | 'town';
  district_code: string;
  lat: number;
  lon: number;
}

/** A community (社区) or village (村): street code + 3 digits. */
export interface CommunityRecord {
  code: string;
  name: string;
  kind: 'community' | 'village';
  street_code: string;
  district_code: string;
  lat: number;
  lon: number;
}

/** A residential estate (小区): community code + 3 digits. */
export interface EstateRecord {
  code: string;
  name: string;
  community_code: string;
  street_code: string;
  district_code: string;
  address: string;
  lat: number;
  lon: number;
  completed_year: number;
  developer_credit_code: string;
  buildings: number;
  units: number;
}

/** A building of an estate: estate code + 2 digits. */
export interface BuildingRecord {
  code: string;
  estate_code: string;
  name: string;
  floors: number;
  units: number;
  lat: number;
  lon: number;
}

/** A unit (专有部分) of a building: `<building code>-<room>`, room = floor × 100 + door. */
export interface UnitRecord {
  code: string;
  building_code: string;
  estate_code: string;
  floor: number;
  room: string;
  use: 'residential';
  /** Floor area in 0.01 m² (the register's area). */
  area_m2_x100: number;
}

/** A legal person or individual business with a unified social credit code. */
export interface CompanyRecord {
  credit_code: string;
  name: string;
  kind: 'organ' | 'institution' | 'enterprise' | 'individual_business';
  /** GB/T 4754 section letter. */
  industry_code: string;
  industry: string;
  district_code: string;
  street_code: string;
  address: string;
  established_on: string;
  /** Enterprises only. */
  registered_capital_fen: number | null;
  legal_representative: string;
  status: 'active';
}

/** A resident of the city. `id` is a valid resident ID number consistent with the fields. */
export interface PersonRecord {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  ethnicity: string;
  /** Household registration (户籍) area; equals the first six characters of `id`. */
  hukou_area_code: string;
  hukou_in_xiamen: boolean;
  /** When someone registered elsewhere came to live in Xiamen; null for Xiamen hukou. */
  arrived_on: string | null;
  household_id: string;
  relation_to_head: 'head' | 'spouse' | 'child' | 'parent';
  marital_status: 'unmarried' | 'married' | 'divorced' | 'widowed';
  residence_unit_code: string;
  residence_community_code: string;
  residence_street_code: string;
  residence_district_code: string;
}

/** A household living together in one unit. */
export interface HouseholdRecord {
  id: string;
  kind: 'single' | 'couple' | 'family' | 'three_generation' | 'single_parent' | 'elderly_couple' | 'elderly_single';
  head_id: string;
  members: number;
  hukou_kind: 'local' | 'migrant';
  /** The head's household registration area. */
  hukou_area_code: string;
  unit_code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  tenure: 'owned' | 'rented';
}

/** A current marriage; both spouses live in the same household. */
export interface MarriageRecord {
  id: string;
  husband_id: string;
  wife_id: string;
  registered_on: string;
  registration_office: string;
  status: 'married';
}

/** A birth medical certificate (出生医学证明) of a child born in Xiamen since 1996. */
export interface BirthRecord {
  certificate_no: string;
  child_id: string;
  child_name: string;
  sex: 'male' | 'female';
  birth_date: string;
  hospital: string;
  hospital_district_code: string;
  mother_id: string;
  mother_name: string;
  /** Null when the mother was not married at the birth. */
  father_id: string | null;
  father_name: string | null;
  weight_g: number;
  gestational_weeks: number;
}

/** A job: a person employed by a company between two dates (`end_date` null: still employed). */
export interface EmploymentRecord {
  id: string;
  person_id: string;
  employer_credit_code: string;
  start_date: string;
  end_date: string | null;
  occupation: string;
  contract: 'open_ended' | 'fixed_term';
  monthly_wage_fen: number;
}

/** One month of social-insurance contributions of one person, paid by the employer. */
export interface SocialInsuranceRecord {
  person_id: string;
  month: string;
  employer_credit_code: string;
  base_fen: number;
  employer_fen: number;
  employee_fen: number;
}

/** A contiguous run of monthly contributions with one employer (one per job). */
export interface SocialInsurancePeriodRecord {
  id: string;
  person_id: string;
  employer_credit_code: string;
  first_month: string;
  last_month: string;
  months: number;
  ongoing: boolean;
}

/**
 * The financial account of a social-security card (社保卡金融账户) that benefits are paid into.
 * Account numbers are synthetic (a bank code of no real bank, a Luhn check digit).
 */
export interface SocialSecurityBankAccountRecord {
  person_id: string;
  bank_code: string;
  account_number: string;
  status: 'active' | 'suspended' | 'closed';
  opened_on: string;
}

/** One owner's registered share of a unit (不动产权). */
export interface PropertyOwnershipRecord {
  id: string;
  unit_code: string;
  owner_kind: 'person' | 'company';
  /** Resident ID number or credit code. */
  owner_id: string;
  owner_name: string;
  ownership: 'sole' | 'joint';
  share_numerator: number;
  share_denominator: number;
  registered_on: string;
  certificate_no: string;
}

/** The current residence permit (居住证) of someone registered outside Xiamen. */
export interface ResidencePermitRecord {
  permit_no: string;
  person_id: string;
  hukou_area_code: string;
  residence_unit_code: string;
  residence_district_code: string;
  issuing_authority: string;
  first_issued_on: string;
  issued_on: string;
  expires_on: string;
  status: 'valid' | 'expired';
}

/** A red-list (守信) or black-list (失信) entry of a company or person. */
export interface CreditRecord {
  id: string;
  subject_kind: 'company' | 'person';
  subject_id: string;
  list: 'red' | 'black';
  reason: string;
  authority: string;
  decided_on: string;
  valid_until: string | null;
}

/** A video camera; `device_id` is laid out like a GB/T 28181 device code. */
export interface CameraRecord {
  device_id: string;
  name: string;
  purpose: 'public_security' | 'traffic' | 'community' | 'city_management';
  owner_department: string;
  district_code: string;
  street_code: string;
  community_code: string;
  lat: number;
  lon: number;
  status: 'online' | 'offline' | 'maintenance';
  installed_on: string;
}

/** Registry name → the record type of its lines. */
export interface RegistryRecords {
  districts: DistrictRecord;
  streets: StreetRecord;
  communities: CommunityRecord;
  estates: EstateRecord;
  buildings: BuildingRecord;
  units: UnitRecord;
  companies: CompanyRecord;
  people: PersonRecord;
  households: HouseholdRecord;
  marriages: MarriageRecord;
  births: BirthRecord;
  employment: EmploymentRecord;
  social_insurance: SocialInsuranceRecord;
  social_insurance_periods: SocialInsurancePeriodRecord;
  si_bank_accounts: SocialSecurityBankAccountRecord;
  property_ownership: PropertyOwnershipRecord;
  residence_permits: ResidencePermitRecord;
  credit_records: CreditRecord;
  cameras: CameraRecord;
}

/** The name of a registry; its file is `<name>.ndjson`. */
export type RegistryName = keyof RegistryRecords;

/** What a registry holds and which fields identify a record. */
export interface RegistryInfo {
  name: RegistryName;
  /** The fields whose values are unique per record (the natural key). */
  key: readonly string[];
  description: string;
}

/**
 * Every registry, in the order the summary lists them.
 *
 * @example
 * REGISTRIES.find((r) => r.name === 'social_insurance')!.key; // ['person_id', 'month']
 */
export const REGISTRIES: readonly RegistryInfo[] = [
  { name: 'districts', key: ['code'], description: 'The six districts of Xiamen' },
  { name: 'streets', key: ['code'], description: 'Subdistricts (街道) and towns (镇)' },
  { name: 'communities', key: ['code'], description: 'Communities (社区) and villages (村)' },
  { name: 'estates', key: ['code'], description: 'Residential estates and their developers' },
  { name: 'buildings', key: ['code'], description: 'Buildings of the estates' },
  { name: 'units', key: ['code'], description: 'Units with floor areas (0.01 m²)' },
  { name: 'companies', key: ['credit_code'], description: 'Legal persons and individual businesses' },
  { name: 'people', key: ['id'], description: 'Residents with resident ID numbers' },
  { name: 'households', key: ['id'], description: 'Households and the unit they live in' },
  { name: 'marriages', key: ['id'], description: 'Current marriages' },
  { name: 'births', key: ['certificate_no'], description: 'Birth medical certificates' },
  { name: 'employment', key: ['id'], description: 'Jobs: person, employer, dates' },
  { name: 'social_insurance', key: ['person_id', 'month'], description: 'Monthly contributions (recent months)' },
  { name: 'social_insurance_periods', key: ['id'], description: 'Contribution periods, one per job' },
  { name: 'si_bank_accounts', key: ['person_id'], description: 'Social-security card bank accounts of the insured (synthetic numbers)' },
  { name: 'property_ownership', key: ['id'], description: 'Registered owners of units and their shares' },
  { name: 'residence_permits', key: ['permit_no'], description: 'Residence permits of people registered elsewhere' },
  { name: 'credit_records', key: ['id'], description: 'Red and black list entries' },
  { name: 'cameras', key: ['device_id'], description: 'Video cameras and their owners' },
];

/**
 * The registry names, in order.
 *
 * @example
 * REGISTRY_NAMES[0]; // 'districts'
 */
export const REGISTRY_NAMES: readonly RegistryName[] = REGISTRIES.map((r) => r.name);
