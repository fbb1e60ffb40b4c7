/**
 * Writes a prepared city to a sink, registry by registry: the places and housing stock, the
 * companies, then household by household its people, marriages, births, jobs, contributions,
 * property and permits, and last the developers' unsold units, the companies' credit records
 * and the cameras. Each household draws from its own random stream and ID numbers are handed
 * out in household order, so the same options always give the same lines.
 */
import { addYears, dayFromYmd, formatDay, formatMonth, monthOfDay, yearOfDay } from './calendar';
import { prepareCity, type CityContext, type CityOptions } from './city-context';
import { companyName, companyRecord, pickEmployer } from './companies';
import { KIND, HOUSEHOLD_KINDS } from './households';
import { estateOfUnit, unitCode } from './housing';
import { givenName, pickSurname } from './names';
import { ORIGIN_AREAS } from './origins';
import { degrees, DISTRICTS, STREETS } from './places';
import { cumulativeWeights, streamTag, type Random } from './random';
import type { LineSink, LineWriter } from './sinks';
import { REGISTRY_NAMES, type RegistryName, type RegistryRecords } from './records';

const MEMBERS = streamTag('members');
const COMPANY_CREDIT = streamTag('company-credit');
const CAMERA = streamTag('camera');
const BANK_ACCOUNT = streamTag('si-bank-account');
// Bank codes of no real bank, and the start of every synthetic social-security card account.
const BANK_CODES = ['991', '992', '993', '994', '995'] as const;
const ACCOUNT_PREFIX = '629999';

/** Months of monthly contribution lines written per job (the periods registry covers all). */
export const CONTRIBUTION_MONTHS = 12;

const ORIGIN_WEIGHTS = cumulativeWeights(ORIGIN_AREAS.map((a) => a.weight));
const MINORITIES = ['回族', '畲族', '土家族', '苗族', '壮族', '满族', '高山族'] as const;
const OCCUPATIONS = ['办事人员', '专业技术人员', '商业服务人员', '生产操作人员', '单位负责人', '运输设备操作人员', '社会生产服务人员'] as const;
const BIRTH_CERTIFICATES_FROM = dayFromYmd(1996, 1, 1);
const PERMITS_FROM = dayFromYmd(2016, 1, 1);
const INSURANCE_FROM = dayFromYmd(1995, 1, 1);
// Contribution base limits in fen, and the employer's and employee's rates in basis points.
const BASE_MIN_FEN = 420_000;
const BASE_MAX_FEN = 2_500_000;
const EMPLOYER_BP = 2_430;
const EMPLOYEE_BP = 1_050;

/** Progress of a run: how many lines of the registry now being written. */
export interface CityProgress {
  registry: RegistryName;
  written: number;
}

/** What was written. */
export interface CitySummary {
  people: number;
  seed: string;
  asOf: string;
  /** Lines written per registry, in {@link REGISTRY_NAMES} order. */
  counts: Record<RegistryName, number>;
}

type Sex = 'male' | 'female';
type Relation = RegistryRecords['people']['relation_to_head'];
type Marital = RegistryRecords['people']['marital_status'];

interface Member {
  id: string;
  name: string;
  surname: string;
  sex: Sex;
  birth: number;
  relation: Relation;
  marital: Marital;
  /** Day the person came to Xiamen; -1 for Xiamen hukou. */
  arrived: number;
}

interface Writers {
  write<K extends RegistryName>(registry: K, record: RegistryRecords[K]): void;
  counts: Record<RegistryName, number>;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A birth day for someone aged `minAge` … `maxAge` (whole years) on `asOfDay`. */
function birthForAge(r: Random, asOfDay: number, minAge: number, maxAge: number): number {
  const lo = addYears(asOfDay, -(maxAge + 1)) + 1;
  const hi = addYears(asOfDay, -minAge);
  return lo + r.int(hi - lo + 1);
}

/** A day in [lo, hi]; lo when the range is empty. */
function dayBetween(r: Random, lo: number, hi: number): number {
  return hi <= lo ? lo : lo + r.int(hi - lo + 1);
}

/**
 * `day` if it lies in [lo, hi], else a day drawn within three years of the bound it crossed:
 * clamping to the bound itself would pile people onto one birth date, and GB 11643 has room
 * for only 499 of each sex per area and day.
 */
function within(r: Random, day: number, lo: number, hi: number): number {
  if (hi - lo < 1096) return dayBetween(r, lo, hi);
  if (day < lo) return lo + r.int(1096);
  if (day > hi) return hi - r.int(1096);
  return day;
}

// The Luhn check digit of a card number's body (what bank card numbers end with).
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function ageOn(birth: number, day: number): number {
  let age = yearOfDay(day) - yearOfDay(birth);
  if (addYears(birth, age) > day) age--;
  return age;
}

// Permutes 0 … 10^digits - 1 (the multiplier is prime to 10), so counters turn into numbers
// that look scattered but never repeat.
function scatter(k: number, digits: number, salt: number): string {
  const modulus = 10 ** digits;
  return pad((k * 7_919 + (salt % modulus)) % modulus, digits);
}

/**
 * Generates a city into a sink and closes it.
 *
 * @example
 * const sink = createMemorySink();
 * const summary = await generateCity({ people: 1000, seed: 'xiamen' }, sink);
 * summary.counts.people; // 1000
 */
export async function generateCity(options: CityOptions & { onProgress?: (progress: CityProgress) => void }, sink: LineSink): Promise<CitySummary> {
  const ctx = prepareCity(options);
  const counts = Object.fromEntries(REGISTRY_NAMES.map((name) => [name, 0])) as Record<RegistryName, number>;
  const lineWriters = new Map<RegistryName, LineWriter>();
  for (const name of REGISTRY_NAMES) lineWriters.set(name, sink.open(name));
  const writers: Writers = {
    counts,
    write(registry, record) {
      lineWriters.get(registry)!(JSON.stringify(record));
      counts[registry]++;
    },
  };
  const progress = options.onProgress;
  let failed = true;
  try {
    await writePlaces(ctx, writers, sink);
    progress?.({ registry: 'units', written: counts.units });
    await writeCompanies(ctx, writers, sink);
    progress?.({ registry: 'companies', written: counts.companies });
    const state = new HouseholdWriter(ctx, writers);
    for (let h = 0; h < ctx.plan.count; h++) {
      state.write(h);
      if ((h & 255) === 255) {
        const wait = sink.ready();
        if (wait) await wait;
        if (progress && (h & 4095) === 4095) progress({ registry: 'people', written: counts.people });
      }
    }
    progress?.({ registry: 'people', written: counts.people });
    writeUnsold(ctx, state);
    writeCompanyCredit(ctx, state);
    writeCameras(ctx, writers);
    progress?.({ registry: 'cameras', written: counts.cameras });
    failed = false;
  } finally {
    // Close the files even when generation failed, then report the first error.
    const closing = sink.close();
    if (failed) await closing.catch(() => {});
    else await closing;
  }
  return { people: ctx.people, seed: options.seed, asOf: ctx.asOf, counts };
}

async function writePlaces(ctx: CityContext, out: Writers, sink: LineSink): Promise<void> {
  const { housing, companies } = ctx;
  for (const d of DISTRICTS) out.write('districts', { code: d.code, name: d.name, lat: degrees(d.latE6), lon: degrees(d.lonE6) });
  for (const s of STREETS) {
    out.write('streets', { code: s.code, name: s.name, kind: s.kind, district_code: DISTRICTS[s.district]!.code, lat: degrees(s.latE6), lon: degrees(s.lonE6) });
  }
  for (const c of housing.communities) {
    const street = STREETS[c.street]!;
    out.write('communities', {
      code: c.code,
      name: c.name,
      kind: c.village ? 'village' : 'community',
      street_code: street.code,
      district_code: DISTRICTS[street.district]!.code,
      lat: degrees(c.latE6),
      lon: degrees(c.lonE6),
    });
  }
  for (const e of housing.estates) {
    const community = housing.communities[e.community]!;
    const street = STREETS[community.street]!;
    out.write('estates', {
      code: e.code,
      name: e.name,
      community_code: community.code,
      street_code: street.code,
      district_code: DISTRICTS[street.district]!.code,
      address: e.address,
      lat: degrees(e.latE6),
      lon: degrees(e.lonE6),
      completed_year: e.completedYear,
      developer_credit_code: companies.creditCodes[e.developer]!,
      buildings: e.buildingCount,
      units: e.unitCount,
    });
  }
  housing.buildings.forEach((b, i) => {
    const estate = housing.estates[b.estate]!;
    out.write('buildings', {
      code: b.code,
      estate_code: estate.code,
      name: `${estate.name}${i - estate.firstBuilding + 1}号楼`,
      floors: b.floors,
      units: b.unitCount,
      lat: degrees(b.latE6),
      lon: degrees(b.lonE6),
    });
  });
  for (let u = 0; u < housing.unitCount; u++) {
    const room = housing.unitRoom[u]!;
    out.write('units', {
      code: unitCode(housing, u),
      building_code: housing.buildings[housing.unitBuilding[u]!]!.code,
      estate_code: housing.estates[estateOfUnit(housing, u)]!.code,
      floor: Math.floor(room / 100),
      room: pad(room, 4),
      use: 'residential',
      area_m2_x100: housing.unitArea[u]!,
    });
    if ((u & 4095) === 4095) {
      const wait = sink.ready();
      if (wait) await wait;
    }
  }
}

async function writeCompanies(ctx: CityContext, out: Writers, sink: LineSink): Promise<void> {
  for (let c = 0; c < ctx.companies.count; c++) {
    out.write('companies', companyRecord(ctx.seed, ctx.companies, c, ctx.asOfDay));
    if ((c & 4095) === 4095) {
      const wait = sink.ready();
      if (wait) await wait;
    }
  }
}

/** Writes one household after another, keeping the counters that number records. */
class HouseholdWriter {
  private readonly salt: number;
  private readonly asOfMonth: number;
  certificates = 0;
  private births = 0;
  private permits = 0;

  constructor(
    private readonly ctx: CityContext,
    private readonly out: Writers,
  ) {
    this.salt = ctx.seed.salt(MEMBERS);
    this.asOfMonth = monthOfDay(ctx.asOfDay);
  }

  /** A property certificate number, e.g. 闽(2019)厦门市不动产权第0123456号. */
  certificate(day: number): string {
    const k = this.certificates++;
    return `闽(${yearOfDay(day)})厦门市不动产权第${scatter(k, 7, this.salt)}号`;
  }

  write(h: number): void {
    const { ctx, out } = this;
    const { plan, housing, property, asOfDay } = ctx;
    const r = ctx.seed.random(MEMBERS, h);
    const kind = plan.kind[h]!;
    const migrant = plan.migrant[h] === 1;
    const size = plan.start[h + 1]! - plan.start[h]!;
    const home = property.homeUnit[h]!;
    const estate = housing.estates[estateOfUnit(housing, home)]!;
    const community = housing.communities[estate.community]!;
    const street = STREETS[community.street]!;
    const district = DISTRICTS[street.district]!;

    const origin = migrant ? ORIGIN_AREAS[r.weighted(ORIGIN_WEIGHTS)]! : null;
    const hukouArea = origin ? origin.code : r.chance(0.85) ? district.code : DISTRICTS[r.int(DISTRICTS.length)]!.code;
    const fujian = !origin || origin.code.startsWith('35');

    // The adults: head, and spouse for the kinds that have one.
    const couple = kind === KIND.couple || kind === KIND.family || kind === KIND.threeGeneration || kind === KIND.elderlyCouple;
    const [minAge, maxAge] = adultAges(kind, migrant);
    const headSex: Sex = couple ? (r.chance(0.8) ? 'male' : 'female') : r.chance(0.5) ? 'male' : 'female';
    const headBirth = birthForAge(r, asOfDay, minAge, maxAge);
    const headSurname = pickSurname(r, fujian);
    const members: Member[] = [];
    const head: Member = { id: '', name: '', surname: headSurname, sex: headSex, birth: headBirth, relation: 'head', marital: 'unmarried', arrived: -1 };
    members.push(head);
    let spouse: Member | null = null;
    if (couple && size >= 2) {
      const sex: Sex = headSex === 'male' ? 'female' : 'male';
      const offset = r.between(-1500, 2500) * (sex === 'female' ? 1 : -1);
      const birth = within(r, headBirth + offset, addYears(asOfDay, -(maxAge + 1)) + 1, addYears(asOfDay, -(sex === 'male' ? 22 : 20)));
      spouse = { id: '', name: '', surname: pickSurname(r, fujian), sex, birth, relation: 'spouse', marital: 'married', arrived: -1 };
      head.marital = 'married';
      members.push(spouse);
    } else if (kind === KIND.single) {
      head.marital = ageOn(headBirth, asOfDay) > 30 && r.chance(0.2) ? 'divorced' : 'unmarried';
    } else if (kind === KIND.elderlySingle) {
      head.marital = r.chance(0.75) ? 'widowed' : r.chance(0.5) ? 'divorced' : 'unmarried';
    } else if (kind === KIND.singleParent) {
      head.marital = r.chance(0.6) ? 'divorced' : r.chance(0.6) ? 'widowed' : 'unmarried';
    }
    const husband = head.sex === 'male' ? head : spouse;
    const wife = head.sex === 'female' ? head : spouse;
    const mother = wife;

    // Children, born when their mother (or the single parent) was 20–42.
    const childCount = plan.children[h]!;
    const parentOfChildren = mother ?? head;
    const childSurname = (husband ?? head).surname;
    for (let k = 0; k < childCount && members.length < size; k++) {
      const lo = Math.max(addYears(parentOfChildren.birth, 20), husband ? addYears(husband.birth, 20) : 0);
      const hi = Math.min(addYears(parentOfChildren.birth, 42), asOfDay);
      const birth = lo <= hi ? dayBetween(r, lo, hi) : within(r, lo, head.birth + 1, asOfDay);
      const sex: Sex = r.chance(0.515) ? 'male' : 'female';
      members.push({ id: '', name: '', surname: childSurname, sex, birth, relation: 'child', marital: 'unmarried', arrived: -1 });
    }
    // The head's parents.
    const grandparentCount = plan.grandparents[h]!;
    const grandparents: Member[] = [];
    for (let k = 0; k < grandparentCount && members.length < size; k++) {
      const sex: Sex = grandparentCount === 2 ? (k === 0 ? 'male' : 'female') : r.chance(0.35) ? 'male' : 'female';
      const birth = within(r, addYears(head.birth, -r.between(22, 35)), addYears(asOfDay, -100) + 1, addYears(asOfDay, -60));
      const surname = sex === 'male' ? head.surname : pickSurname(r, fujian);
      const member: Member = { id: '', name: '', surname, sex, birth, relation: 'parent', marital: grandparentCount === 2 ? 'married' : 'widowed', arrived: -1 };
      grandparents.push(member);
      members.push(member);
    }

    // Names and ID numbers; migrants came to Xiamen together, as adults, children born here
    // arriving at birth.
    const arrival = migrant ? dayBetween(r, Math.max(addYears(head.birth, 18), addYears(asOfDay, -20)), asOfDay - 30) : -1;
    for (const m of members) {
      m.name = m.surname + givenName(r, m.sex, yearOfDay(m.birth));
      m.id = ctx.ids.allocate(hukouArea, m.birth, m.sex);
      if (migrant) m.arrived = Math.max(arrival, m.birth);
    }

    const householdId = `H${pad(h + 1, 9)}`;
    const unit = unitCode(housing, home);
    for (const m of members) {
      out.write('people', {
        id: m.id,
        name: m.name,
        sex: m.sex,
        birth_date: formatDay(m.birth),
        ethnicity: r.chance(0.975) ? '汉族' : r.pick(MINORITIES),
        hukou_area_code: hukouArea,
        hukou_in_xiamen: !migrant,
        arrived_on: migrant ? formatDay(m.arrived) : null,
        household_id: householdId,
        relation_to_head: m.relation,
        marital_status: m.marital,
        residence_unit_code: unit,
        residence_community_code: community.code,
        residence_street_code: street.code,
        residence_district_code: district.code,
      });
    }
    out.write('households', {
      id: householdId,
      kind: HOUSEHOLD_KINDS[kind]!,
      head_id: head.id,
      members: members.length,
      hukou_kind: migrant ? 'migrant' : 'local',
      hukou_area_code: hukouArea,
      unit_code: unit,
      community_code: community.code,
      street_code: street.code,
      district_code: district.code,
      tenure: plan.ownsHome[h] ? 'owned' : 'rented',
    });

    // Marriages: the couple, registered before their first child; the head's parents.
    const children = members.filter((m) => m.relation === 'child');
    let marriedOn = -1;
    if (husband && wife) {
      const lo = Math.max(addYears(husband.birth, 22), addYears(wife.birth, 20));
      const firstChild = children.reduce((min, c) => Math.min(min, c.birth), asOfDay);
      marriedOn = dayBetween(r, lo, Math.max(lo, firstChild - 60));
      marriedOn = Math.min(marriedOn, asOfDay);
      this.marriage(r, husband, wife, marriedOn, migrant ? null : district.short);
    }
    if (grandparents.length === 2) {
      const [gf, gm] = grandparents as [Member, Member];
      const lo = Math.max(addYears(gf.birth, 22), addYears(gm.birth, 20));
      this.marriage(r, gf, gm, Math.min(dayBetween(r, lo, Math.max(lo, head.birth - 60)), asOfDay), null);
    }

    // Birth certificates of children born in Xiamen since 1996 whose mother lives here.
    const certifyingMother = mother ?? (head.sex === 'female' ? head : null);
    if (certifyingMother) {
      for (const child of children) {
        if (child.birth < BIRTH_CERTIFICATES_FROM || (migrant && child.birth < arrival)) continue;
        const father = husband && marriedOn >= 0 && marriedOn <= child.birth ? husband : null;
        const hospitalDistrict = r.chance(0.8) ? district : DISTRICTS[r.int(DISTRICTS.length)]!;
        const k = this.births++;
        out.write('births', {
          certificate_no: `${String.fromCharCode(65 + ((yearOfDay(child.birth) - 1996) % 26))}${scatter(k, 9, this.salt)}`,
          child_id: child.id,
          child_name: child.name,
          sex: child.sex,
          birth_date: formatDay(child.birth),
          hospital: r.pick(hospitalDistrict.hospitals),
          hospital_district_code: hospitalDistrict.code,
          mother_id: certifyingMother.id,
          mother_name: certifyingMother.name,
          father_id: father ? father.id : null,
          father_name: father ? father.name : null,
          weight_g: r.between(2500, 4200),
          gestational_weeks: r.between(37, 41),
        });
      }
    }

    for (const m of members) {
      const age = ageOn(m.birth, asOfDay);
      if (age >= 18) {
        const periods = this.out.counts.social_insurance_periods;
        this.jobs(r, m, age);
        if (this.out.counts.social_insurance_periods > periods) this.bankAccount(m);
      }
      if (migrant && age >= 16) this.residencePermit(r, m, hukouArea, unit, district.code, district.short);
      if (age >= 18) this.personCredit(r, m);
    }

    this.property(r, h, head, spouse, arrival);
  }

  private marriage(r: Random, husband: Member, wife: Member, day: number, districtShort: string | null): void {
    const office = districtShort ? `厦门市${districtShort}区民政局婚姻登记处` : r.chance(0.5) ? '厦门市民政局婚姻登记处' : '户籍地民政局婚姻登记处';
    this.out.write('marriages', {
      id: `M${pad(this.out.counts.marriages + 1, 9)}`,
      husband_id: husband.id,
      wife_id: wife.id,
      registered_on: formatDay(day),
      registration_office: office,
      status: 'married',
    });
  }

  // A current job for most people of working age, sometimes an earlier one; a past job for
  // some of the unemployed and the retired. Jobs in Xiamen only start after arrival.
  private jobs(r: Random, m: Member, age: number): void {
    const { asOfDay } = this.ctx;
    const retirement = m.sex === 'male' ? 60 : 55;
    const careerStart = Math.max(addYears(m.birth, r.between(18, 24)), m.arrived >= 0 ? m.arrived : 0);
    if (careerStart >= asOfDay - 60) return;
    const student = age < 23 && r.chance(0.7);
    if (age < retirement && !student) {
      const employed = r.chance(m.arrived >= 0 ? 0.88 : 0.8);
      if (employed) {
        const start = dayBetween(r, Math.max(careerStart, addYears(asOfDay, -15)), asOfDay - 30);
        const previousEnd = start - r.between(40, 400);
        if (previousEnd - careerStart > 365 && r.chance(0.5)) this.job(r, m, dayBetween(r, careerStart, previousEnd - 200), previousEnd);
        this.job(r, m, start, null);
      } else if (r.chance(0.5)) {
        const end = asOfDay - r.between(30, 720);
        if (end - careerStart > 200) this.job(r, m, dayBetween(r, careerStart, end - 180), end);
      }
    } else if (age >= retirement && r.chance(0.6)) {
      const end = Math.min(addYears(m.birth, retirement), asOfDay - 30);
      if (end - careerStart > 365) this.job(r, m, dayBetween(r, Math.max(careerStart, end - 365 * 25), end - 365), end);
    }
  }

  private job(r: Random, m: Member, start: number, end: number | null): void {
    const { ctx, out } = this;
    const c = pickEmployer(r, ctx.companies, start);
    const employer = ctx.companies.creditCodes[c]!;
    const wage = r.between(2_800, 12_000) * 100 + (r.chance(0.15) ? r.between(0, 20_000) * 100 : 0);
    out.write('employment', {
      id: `E${pad(out.counts.employment + 1, 10)}`,
      person_id: m.id,
      employer_credit_code: employer,
      start_date: formatDay(start),
      end_date: end === null ? null : formatDay(end),
      occupation: r.pick(OCCUPATIONS),
      contract: r.chance(0.55) ? 'open_ended' : 'fixed_term',
      monthly_wage_fen: wage,
    });
    // Contributions, from the month the job started (not before 1995) to the month it ended.
    if (start < INSURANCE_FROM && (end ?? ctx.asOfDay) < INSURANCE_FROM) return;
    const first = monthOfDay(Math.max(start, INSURANCE_FROM));
    const last = end === null ? this.asOfMonth : monthOfDay(end);
    if (last < first) return;
    out.write('social_insurance_periods', {
      id: `S${pad(out.counts.social_insurance_periods + 1, 10)}`,
      person_id: m.id,
      employer_credit_code: employer,
      first_month: formatMonth(first),
      last_month: formatMonth(last),
      months: last - first + 1,
      ongoing: end === null,
    });
    const base = Math.min(BASE_MAX_FEN, Math.max(BASE_MIN_FEN, wage));
    const employerFen = Math.floor((base * EMPLOYER_BP) / 10_000);
    const employeeFen = Math.floor((base * EMPLOYEE_BP) / 10_000);
    for (let month = Math.max(first, this.asOfMonth - CONTRIBUTION_MONTHS + 1); month <= last; month++) {
      out.write('social_insurance', {
        person_id: m.id,
        month: formatMonth(month),
        employer_credit_code: employer,
        base_fen: base,
        employer_fen: employerFen,
        employee_fen: employeeFen,
      });
    }
  }

  // The insured hold a social-security card whose bank account benefits are paid into. Its
  // own random stream per account, so adding accounts left every other registry as it was.
  private bankAccount(m: Member): void {
    const k = this.out.counts.si_bank_accounts;
    const r = this.ctx.seed.random(BANK_ACCOUNT, k);
    const body = `${ACCOUNT_PREFIX}${scatter(k, 12, this.salt)}`;
    const roll = r.int(100);
    this.out.write('si_bank_accounts', {
      person_id: m.id,
      bank_code: r.pick(BANK_CODES),
      account_number: `${body}${luhnDigit(body)}`,
      status: roll < 94 ? 'active' : roll < 98 ? 'suspended' : 'closed',
      opened_on: formatDay(Math.max(addYears(m.birth, 18), this.ctx.asOfDay - r.between(30, 3650))),
    });
  }

  // Residence permits since 2016, after six months in the city, renewed yearly by most.
  private residencePermit(r: Random, m: Member, hukouArea: string, unit: string, districtCode: string, districtShort: string): void {
    const { asOfDay } = this.ctx;
    const eligible = Math.max(m.arrived + 183, addYears(m.birth, 16), PERMITS_FROM);
    if (eligible > asOfDay - 14) return;
    const firstIssued = dayBetween(r, eligible, Math.min(eligible + 120, asOfDay - 14));
    let issued = firstIssued;
    while (addYears(issued, 1) <= asOfDay) issued = addYears(issued, 1);
    if (issued > firstIssued && r.chance(0.12)) issued = addYears(issued, -1); // did not renew
    const expires = addYears(issued, 1);
    const k = this.permits++;
    this.out.write('residence_permits', {
      permit_no: `3502${yearOfDay(firstIssued)}${scatter(k, 8, this.salt)}`,
      person_id: m.id,
      hukou_area_code: hukouArea,
      residence_unit_code: unit,
      residence_district_code: districtCode,
      issuing_authority: `厦门市公安局${districtShort}分局`,
      first_issued_on: formatDay(firstIssued),
      issued_on: formatDay(issued),
      expires_on: formatDay(expires),
      status: expires > asOfDay ? 'valid' : 'expired',
    });
  }

  private personCredit(r: Random, m: Member): void {
    const { asOfDay } = this.ctx;
    if (r.chance(0.004)) {
      const decided = asOfDay - r.between(30, 1500);
      this.credit('person', m.id, 'black', '失信被执行人', r.chance(0.5) ? '厦门市中级人民法院' : '厦门市思明区人民法院', decided, addYears(decided, 3));
    } else if (r.chance(0.01)) {
      const decided = asOfDay - r.between(30, 1500);
      this.credit('person', m.id, 'red', r.chance(0.5) ? '无偿献血奉献奖' : '厦门市优秀志愿者', r.chance(0.5) ? '厦门市卫生健康委员会' : '厦门市文明办', decided, null);
    }
  }

  credit(kind: 'company' | 'person', subject: string, list: 'red' | 'black', reason: string, authority: string, decided: number, until: number | null): void {
    this.out.write('credit_records', {
      id: `CR${pad(this.out.counts.credit_records + 1, 9)}`,
      subject_kind: kind,
      subject_id: subject,
      list,
      reason,
      authority,
      decided_on: formatDay(decided),
      valid_until: until === null ? null : formatDay(until),
    });
  }

  // The home, owned by the head alone or jointly with the spouse, and any other units the
  // household owns (let or empty), in the head's name.
  private property(r: Random, h: number, head: Member, spouse: Member | null, arrival: number): void {
    const { ctx } = this;
    const { plan, property, housing, asOfDay } = ctx;
    const registered = (u: number): number => {
      const estate = housing.estates[estateOfUnit(housing, u)]!;
      const lo = Math.min(Math.max(estate.completedDay, addYears(head.birth, 22), arrival), asOfDay - 30);
      return dayBetween(r, lo, asOfDay - 30);
    };
    if (plan.ownsHome[h]) {
      const u = property.homeUnit[h]!;
      const day = registered(u);
      const certificate = this.certificate(day);
      const joint = spouse !== null && r.chance(0.7);
      for (const owner of joint ? [head, spouse] : [head]) this.ownership(u, 'person', owner.id, owner.name, joint, day, certificate);
    }
    for (let i = property.extraStart[h]!; i < property.extraStart[h + 1]!; i++) {
      const u = property.extraUnits[i]!;
      const day = registered(u);
      this.ownership(u, 'person', head.id, head.name, false, day, this.certificate(day));
    }
  }

  ownership(u: number, kind: 'person' | 'company', ownerId: string, ownerName: string, joint: boolean, day: number, certificate: string): void {
    this.out.write('property_ownership', {
      id: `PO${pad(this.out.counts.property_ownership + 1, 9)}`,
      unit_code: unitCode(this.ctx.housing, u),
      owner_kind: kind,
      owner_id: ownerId,
      owner_name: ownerName,
      ownership: joint ? 'joint' : 'sole',
      share_numerator: 1,
      share_denominator: joint ? 2 : 1,
      registered_on: formatDay(day),
      certificate_no: certificate,
    });
  }
}

function adultAges(kind: number, migrant: boolean): [number, number] {
  switch (kind) {
    case KIND.single:
      return migrant ? [20, 45] : [22, 60];
    case KIND.couple:
      return migrant ? [23, 40] : [23, 45];
    case KIND.family:
      return [27, 55];
    case KIND.threeGeneration:
      return [28, 52];
    case KIND.singleParent:
      return [27, 55];
    case KIND.elderlyCouple:
      return [60, 88];
    default:
      return [65, 95];
  }
}

// Units a developer has not sold stay registered to it since the estate was finished.
function writeUnsold(ctx: CityContext, state: HouseholdWriter): void {
  const { housing, property, companies } = ctx;
  const names = new Map<number, string>();
  for (let u = 0; u < housing.unitCount; u++) {
    if (!property.unsold[u]) continue;
    const estate = housing.estates[estateOfUnit(housing, u)]!;
    let name = names.get(estate.developer);
    if (name === undefined) {
      name = companyName(ctx.seed, companies, estate.developer, ctx.asOfDay);
      names.set(estate.developer, name);
    }
    state.ownership(u, 'company', companies.creditCodes[estate.developer]!, name, false, estate.completedDay, state.certificate(estate.completedDay));
  }
}

function writeCompanyCredit(ctx: CityContext, state: HouseholdWriter): void {
  const { companies, asOfDay } = ctx;
  for (let c = 0; c < companies.count; c++) {
    const r = ctx.seed.random(COMPANY_CREDIT, c);
    const decided = Math.max(companies.established[c]! + 365, asOfDay - r.between(30, 1800));
    if (decided > asOfDay - 1) continue;
    if (r.chance(0.03)) state.credit('company', companies.creditCodes[c]!, 'red', '纳税信用A级纳税人', '国家税务总局厦门市税务局', decided, addYears(decided, 1));
    else if (r.chance(0.01)) {
      const market = r.chance(0.6);
      state.credit('company', companies.creditCodes[c]!, 'black', market ? '严重违法失信主体' : '重大税收违法失信主体', market ? '厦门市市场监督管理局' : '国家税务总局厦门市税务局', decided, addYears(decided, 3));
    }
  }
}

const CAMERA_PURPOSES = cumulativeWeights([45, 20, 25, 10]);
const PURPOSES = ['public_security', 'traffic', 'community', 'city_management'] as const;
const PURPOSE_OWNERS = ['厦门市公安局', '厦门市公安局交通警察支队', '', '厦门市城市管理行政执法局'] as const;
const PURPOSE_CODES = ['00', '05', '01', '06'] as const;

// About one camera per hundred people, at communities; device IDs follow the GB/T 28181 layout
// (area 8 digits, industry 2, type 3 = 131 camera, network 1, serial 6).
function writeCameras(ctx: CityContext, out: Writers): void {
  const { housing, asOfDay } = ctx;
  const count = Math.min(999_999, Math.max(12, Math.round(ctx.people / 100)));
  for (let k = 0; k < count; k++) {
    const r = ctx.seed.random(CAMERA, k);
    const community = housing.communities[r.int(housing.communities.length)]!;
    const street = STREETS[community.street]!;
    const district = DISTRICTS[street.district]!;
    const p = r.weighted(CAMERA_PURPOSES);
    const streetNo = street.code.slice(6, 9);
    const status = r.float();
    out.write('cameras', {
      device_id: `${district.code}${streetNo.slice(1)}${PURPOSE_CODES[p]}131${r.int(2)}${pad(k + 1, 6)}`,
      name: `${community.name}${['路口', '出入口', '广场', '主干道', '停车场'][r.int(5)]}${r.between(1, 20)}号`,
      purpose: PURPOSES[p]!,
      owner_department: PURPOSE_OWNERS[p] || `${street.name}${community.name}居委会`,
      district_code: district.code,
      street_code: street.code,
      community_code: community.code,
      lat: degrees(community.latE6 + r.between(-3000, 3000)),
      lon: degrees(community.lonE6 + r.between(-3000, 3000)),
      status: status < 0.92 ? 'online' : status < 0.97 ? 'offline' : 'maintenance',
      installed_on: formatDay(dayBetween(r, dayFromYmd(2010, 1, 1), asOfDay - 30)),
    });
  }
}
