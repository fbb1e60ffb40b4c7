import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidCreditCode, isValidResidentId, parseResidentId } from '../platform/ids';
import { createMemorySink, DISTRICTS, generateCity, MANIFEST_FILE, REGISTRIES, REGISTRY_NAMES, writeCity, type RegistryName, type RegistryRecords } from '.';

type Rows = { [K in RegistryName]: RegistryRecords[K][] };

async function city(people: number, seed: string, asOf?: string): Promise<{ lines: Record<RegistryName, readonly string[]>; rows: Rows }> {
  const sink = createMemorySink();
  await generateCity({ people, seed, ...(asOf ? { asOf } : {}) }, sink);
  const lines = Object.fromEntries(REGISTRY_NAMES.map((name) => [name, sink.lines(name)])) as Record<RegistryName, readonly string[]>;
  const rows = Object.fromEntries(REGISTRY_NAMES.map((name) => [name, sink.lines(name).map((line) => JSON.parse(line) as unknown)])) as Rows;
  return { lines, rows };
}

function byKey<T>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

const AS_OF = '2026-06-30';

describe('synthetic city', () => {
  let rows: Rows;
  let lines: Record<RegistryName, readonly string[]>;

  beforeAll(async () => {
    ({ rows, lines } = await city(6000, 'test-city'));
  });

  it('gives the same lines for the same seed and other lines for another seed', async () => {
    const again = await city(6000, 'test-city');
    for (const name of REGISTRY_NAMES) expect(again.lines[name], name).toEqual(lines[name]);
    const other = await city(6000, 'other-city');
    expect(other.lines.people).not.toEqual(lines.people);
  });

  it('has exactly the people asked for, even in tiny cities', async () => {
    expect(rows.people).toHaveLength(6000);
    for (const n of [1, 2, 3, 7]) {
      const small = await city(n, `tiny-${n}`);
      expect(small.rows.people).toHaveLength(n);
      expect(small.rows.households.reduce((sum, h) => sum + h.members, 0)).toBe(n);
    }
  });

  it('refuses sizes it cannot make', async () => {
    await expect(generateCity({ people: 0, seed: 'x' }, createMemorySink())).rejects.toThrow(/people must be a whole number/);
    await expect(generateCity({ people: 1.5, seed: 'x' }, createMemorySink())).rejects.toThrow(/people must be a whole number/);
    await expect(generateCity({ people: 10, seed: 'x', asOf: '2026-02-30' }, createMemorySink())).rejects.toThrow();
  });

  it('keeps every natural key unique', () => {
    for (const registry of REGISTRIES) {
      const keys = new Set((rows[registry.name] as unknown as Record<string, unknown>[]).map((row) => registry.key.map((k) => String(row[k])).join('|')));
      expect(keys.size, registry.name).toBe(rows[registry.name].length);
    }
  });

  it('uses the six districts with their real area codes', () => {
    expect(rows.districts.map((d) => `${d.code} ${d.name}`)).toEqual([
      '350203 思明区',
      '350205 海沧区',
      '350206 湖里区',
      '350211 集美区',
      '350212 同安区',
      '350213 翔安区',
    ]);
    const districts = new Set(DISTRICTS.map((d) => d.code));
    for (const s of rows.streets) expect(districts.has(s.district_code) && s.code.startsWith(s.district_code)).toBe(true);
    const streets = byKey(rows.streets, (s) => s.code);
    for (const c of rows.communities) expect(streets.get(c.street_code)?.district_code).toBe(c.district_code);
  });

  it('gives every person a valid ID number agreeing with birth date, sex and registration area', () => {
    for (const p of rows.people) {
      expect(isValidResidentId(p.id), p.id).toBe(true);
      const facts = parseResidentId(p.id)!;
      expect(facts.birthDate).toBe(p.birth_date);
      expect(facts.sex).toBe(p.sex);
      expect(p.id.slice(0, 6)).toBe(p.hukou_area_code);
      expect(p.birth_date <= AS_OF).toBe(true);
      expect(p.hukou_in_xiamen).toBe(p.hukou_area_code.startsWith('3502'));
      expect(p.arrived_on === null).toBe(p.hukou_in_xiamen);
      if (p.arrived_on) expect(p.arrived_on >= p.birth_date).toBe(true);
    }
  });

  it('gives every company a valid unified social credit code', () => {
    for (const c of rows.companies) expect(isValidCreditCode(c.credit_code), c.credit_code).toBe(true);
    expect(new Set(rows.companies.map((c) => c.kind))).toEqual(new Set(['enterprise', 'individual_business', 'organ', 'institution']));
  });

  it('houses every household in one unit of the right community, street and district', () => {
    const units = byKey(rows.units, (u) => u.code);
    const estates = byKey(rows.estates, (e) => e.code);
    const households = byKey(rows.households, (h) => h.id);
    const homes = new Set<string>();
    for (const h of rows.households) {
      const estate = estates.get(units.get(h.unit_code)!.estate_code)!;
      expect([estate.community_code, estate.street_code, estate.district_code]).toEqual([h.community_code, h.street_code, h.district_code]);
      expect(homes.has(h.unit_code), 'one household per unit').toBe(false);
      homes.add(h.unit_code);
    }
    const members = new Map<string, number>();
    for (const p of rows.people) {
      const h = households.get(p.household_id)!;
      expect(p.residence_unit_code).toBe(h.unit_code);
      expect(p.residence_district_code).toBe(h.district_code);
      members.set(h.id, (members.get(h.id) ?? 0) + 1);
      if (p.relation_to_head === 'head') expect(p.id).toBe(h.head_id);
    }
    for (const h of rows.households) expect(members.get(h.id)).toBe(h.members);
  });

  it('marries a man and a woman of legal age who live together', () => {
    const people = byKey(rows.people, (p) => p.id);
    expect(rows.marriages.length).toBeGreaterThan(500);
    for (const m of rows.marriages) {
      const husband = people.get(m.husband_id)!;
      const wife = people.get(m.wife_id)!;
      expect([husband.sex, wife.sex]).toEqual(['male', 'female']);
      expect(husband.household_id).toBe(wife.household_id);
      expect([husband.marital_status, wife.marital_status]).toEqual(['married', 'married']);
      expect(Number(m.registered_on.slice(0, 4)) - Number(husband.birth_date.slice(0, 4))).toBeGreaterThanOrEqual(22);
      expect(Number(m.registered_on.slice(0, 4)) - Number(wife.birth_date.slice(0, 4))).toBeGreaterThanOrEqual(20);
      expect(m.registered_on <= AS_OF).toBe(true);
    }
  });

  it('certifies births of children of mothers in the city, fathers only when married at the birth', () => {
    const people = byKey(rows.people, (p) => p.id);
    const marriages = byKey(rows.marriages, (m) => m.wife_id);
    expect(rows.births.length).toBeGreaterThan(300);
    for (const b of rows.births) {
      const child = people.get(b.child_id)!;
      const mother = people.get(b.mother_id)!;
      expect([child.birth_date, child.sex, child.name]).toEqual([b.birth_date, b.sex, b.child_name]);
      expect(b.birth_date >= '1996-01-01').toBe(true);
      expect(mother.sex).toBe('female');
      expect(child.household_id).toBe(mother.household_id);
      const marriage = marriages.get(mother.id);
      if (b.father_id) {
        expect(marriage?.husband_id).toBe(b.father_id);
        expect(marriage!.registered_on <= b.birth_date).toBe(true);
      } else {
        expect(marriage === undefined || marriage.registered_on > b.birth_date).toBe(true);
      }
    }
    expect(rows.births.some((b) => b.father_id === null)).toBe(true);
  });

  it('employs adults at companies that existed when the job began, and pays contributions only during jobs', () => {
    const people = byKey(rows.people, (p) => p.id);
    const companies = byKey(rows.companies, (c) => c.credit_code);
    const jobsOf = new Map<string, RegistryRecords['employment'][]>();
    for (const e of rows.employment) {
      const person = people.get(e.person_id)!;
      const employer = companies.get(e.employer_credit_code)!;
      expect(employer.established_on <= e.start_date).toBe(true);
      expect(Number(e.start_date.slice(0, 4)) - Number(person.birth_date.slice(0, 4))).toBeGreaterThanOrEqual(18);
      if (person.arrived_on) expect(e.start_date >= person.arrived_on).toBe(true);
      if (e.end_date) expect(e.end_date > e.start_date).toBe(true);
      jobsOf.set(e.person_id, [...(jobsOf.get(e.person_id) ?? []), e]);
    }
    for (const s of rows.social_insurance) {
      const job = jobsOf.get(s.person_id)!.find((j) => j.employer_credit_code === s.employer_credit_code && j.start_date.slice(0, 7) <= s.month && (j.end_date ?? AS_OF).slice(0, 7) >= s.month);
      expect(job, `${s.person_id} ${s.month}`).toBeDefined();
      expect(s.employer_fen).toBeGreaterThan(s.employee_fen);
    }
    for (const p of rows.social_insurance_periods) expect(p.months).toBeGreaterThan(0);
    expect(rows.social_insurance_periods.filter((p) => p.ongoing).length).toBe(rows.employment.filter((e) => e.end_date === null).length);
  });

  it('gives every unit owners whose shares add up to one, with co-owners, multi-unit owners and unsold stock', () => {
    const people = byKey(rows.people, (p) => p.id);
    const companies = byKey(rows.companies, (c) => c.credit_code);
    const estates = byKey(rows.estates, (e) => e.code);
    const units = byKey(rows.units, (u) => u.code);
    const shares = new Map<string, number>();
    const unitsOfOwner = new Map<string, number>();
    for (const o of rows.property_ownership) {
      shares.set(o.unit_code, (shares.get(o.unit_code) ?? 0) + o.share_numerator / o.share_denominator);
      unitsOfOwner.set(o.owner_id, (unitsOfOwner.get(o.owner_id) ?? 0) + 1);
      if (o.owner_kind === 'person') expect(people.get(o.owner_id)?.name).toBe(o.owner_name);
      else {
        expect(companies.get(o.owner_id)?.name).toBe(o.owner_name);
        expect(estates.get(units.get(o.unit_code)!.estate_code)!.developer_credit_code).toBe(o.owner_id);
      }
    }
    expect(shares.size).toBe(rows.units.length);
    for (const [unit, total] of shares) expect(total, unit).toBeCloseTo(1, 9);
    expect(rows.property_ownership.some((o) => o.ownership === 'joint')).toBe(true);
    expect([...unitsOfOwner].some(([id, n]) => n > 1 && people.has(id))).toBe(true);
    expect(rows.property_ownership.some((o) => o.owner_kind === 'company')).toBe(true);
  });

  it('issues residence permits only to people registered elsewhere', () => {
    const people = byKey(rows.people, (p) => p.id);
    expect(rows.residence_permits.length).toBeGreaterThan(100);
    for (const r of rows.residence_permits) {
      const p = people.get(r.person_id)!;
      expect(p.hukou_in_xiamen).toBe(false);
      expect(r.residence_unit_code).toBe(p.residence_unit_code);
      expect(r.first_issued_on > p.arrived_on!).toBe(true);
      expect(r.status).toBe(r.expires_on > AS_OF ? 'valid' : 'expired');
    }
  });

  it('keeps credit records and cameras on real subjects and places', () => {
    const subjects = new Set([...rows.people.map((p) => p.id), ...rows.companies.map((c) => c.credit_code)]);
    for (const c of rows.credit_records) expect(subjects.has(c.subject_id)).toBe(true);
    expect(new Set(rows.credit_records.map((c) => `${c.subject_kind}:${c.list}`)).size).toBe(4);
    const communities = byKey(rows.communities, (c) => c.code);
    for (const c of rows.cameras) {
      expect(communities.get(c.community_code)?.street_code).toBe(c.street_code);
      expect(c.device_id).toMatch(/^\d{20}$/);
      expect(c.device_id.slice(10, 13)).toBe('131');
    }
  });

  it('draws nobody born after the reference date', async () => {
    const early = await city(500, 'test-city', '2010-01-01');
    for (const p of early.rows.people) expect(p.birth_date <= '2010-01-01').toBe(true);
    for (const e of early.rows.employment) expect(e.start_date <= '2010-01-01').toBe(true);
  });
});

describe('writeCity', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ludao-synth-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  async function digests(outDir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of (await fs.readdir(outDir)).sort()) out[name] = createHash('sha256').update(await fs.readFile(path.join(outDir, name))).digest('hex');
    return out;
  }

  it('writes byte-identical files for the same seed, with a manifest counting the lines', async () => {
    const a = await writeCity({ people: 3000, seed: 'files', outDir: path.join(dir, 'a') });
    await writeCity({ people: 3000, seed: 'files', outDir: path.join(dir, 'b') });
    const digestsA = await digests(path.join(dir, 'a'));
    expect(Object.keys(digestsA)).toEqual([MANIFEST_FILE, ...REGISTRY_NAMES.map((n) => `${n}.ndjson`)].sort());
    expect(await digests(path.join(dir, 'b'))).toEqual(digestsA);
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'a', MANIFEST_FILE), 'utf8')) as typeof a;
    expect(manifest).toEqual(a);
    for (const name of REGISTRY_NAMES) {
      const text = await fs.readFile(path.join(dir, 'a', `${name}.ndjson`), 'utf8');
      expect(text.endsWith('\n') || text === '').toBe(true);
      expect(text === '' ? 0 : text.split('\n').length - 1, name).toBe(manifest.counts[name]);
    }
  });
});
