/**
 * The built city below the streets: communities, estates, buildings and units, sized to the
 * number of units the population needs and spread over the streets by population share.
 * Each street is built from its own random stream.
 *
 * Codes: community = street code + 3 digits; estate = community code + 3 digits; building =
 * estate code + 2 digits; unit = `<building code>-<room>` with room = floor × 100 + door
 * ('1203'). Units of one door position share a floor area across an estate's floors, as in
 * real buildings. Units live in typed arrays; the few thousand communities, estates and
 * buildings are plain objects.
 */
import { dayFromYmd, yearOfDay } from './calendar';
import type { CompanyTable } from './companies';
import { communityName, estateName, roadName } from './names';
import { STREET_SHARES, STREETS } from './places';
import { streamTag, type CitySeed, type Random } from './random';

const STREET_HOUSING = streamTag('street-housing');

/** A community (社区) or village (村). */
export interface Community {
  code: string;
  name: string;
  village: boolean;
  /** Index into STREETS. */
  street: number;
  latE6: number;
  lonE6: number;
}

/** A residential estate; its buildings and units are contiguous ranges. */
export interface Estate {
  code: string;
  name: string;
  community: number;
  address: string;
  latE6: number;
  lonE6: number;
  completedDay: number;
  completedYear: number;
  /** Company index of the developer. */
  developer: number;
  firstBuilding: number;
  buildingCount: number;
  firstUnit: number;
  unitCount: number;
}

/** A building of an estate. */
export interface Building {
  code: string;
  estate: number;
  floors: number;
  doors: number;
  firstUnit: number;
  unitCount: number;
  latE6: number;
  lonE6: number;
}

/** Everything built. */
export interface Housing {
  communities: Community[];
  estates: Estate[];
  buildings: Building[];
  /** Community indices of each street, in STREETS order. */
  communitiesOfStreet: number[][];
  unitCount: number;
  unitBuilding: Int32Array;
  /** floor × 100 + door */
  unitRoom: Uint16Array;
  /** Floor area in 0.01 m². */
  unitArea: Int32Array;
}

const UNITS_PER_COMMUNITY = 2600;

function jitter(random: Random, radius: number): number {
  return Math.round((random.float() * 2 - 1) * radius);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * The code of unit `u`.
 *
 * @example
 * unitCode(housing, 0); // e.g. '350203001001001001-0101'
 */
export function unitCode(housing: Housing, u: number): string {
  return `${housing.buildings[housing.unitBuilding[u]!]!.code}-${pad(housing.unitRoom[u]!, 4)}`;
}

/**
 * The estate index of unit `u`.
 *
 * @example
 * housing.estates[estateOfUnit(housing, u)]!.name;
 */
export function estateOfUnit(housing: Housing, u: number): number {
  return housing.buildings[housing.unitBuilding[u]!]!.estate;
}

function pickDeveloper(random: Random, companies: CompanyTable, completedDay: number): number {
  for (let attempt = 0; attempt < 8; attempt++) {
    const c = random.int(companies.developerCount);
    if (companies.established[c]! <= completedDay - 365) return c;
  }
  return 0;
}

// Older districts (思明, 湖里) were built earlier; the outer ones keep building.
function completionYear(random: Random, district: number, asOfYear: number): number {
  if (district !== 0 && random.chance(0.15)) return random.between(asOfYear - 5, asOfYear - 1);
  if (district === 0) return random.between(1986, Math.min(2020, asOfYear - 1));
  if (district === 2) return random.between(1988, Math.min(2022, asOfYear - 1));
  return random.between(1995, asOfYear - 1);
}

/**
 * Builds communities, estates, buildings and about `unitsWanted` units.
 *
 * @example
 * const housing = buildHousing(seed, 1200, companies, parseDay('2026-06-30'));
 * housing.unitCount; // about 1200
 */
export function buildHousing(seed: CitySeed, unitsWanted: number, companies: CompanyTable, asOfDay: number): Housing {
  const asOfYear = yearOfDay(asOfDay);
  const unitsOfStreet = STREET_SHARES.map((share) => Math.max(1, Math.round(unitsWanted * share)));
  const unitCount = unitsOfStreet.reduce((a, b) => a + b, 0);
  const housing: Housing = {
    communities: [],
    estates: [],
    buildings: [],
    communitiesOfStreet: STREETS.map(() => []),
    unitCount,
    unitBuilding: new Int32Array(unitCount),
    unitRoom: new Uint16Array(unitCount),
    unitArea: new Int32Array(unitCount),
  };
  let nextUnit = 0;
  STREETS.forEach((street, s) => {
    const r = seed.random(STREET_HOUSING, s);
    const streetUnits = unitsOfStreet[s]!;
    const communityCount = Math.min(999, Math.max(1, Math.round(streetUnits / UNITS_PER_COMMUNITY)));
    const weights = Array.from({ length: communityCount }, () => 0.6 + 0.8 * r.float());
    const total = weights.reduce((a, b) => a + b, 0);
    let cut = 0;
    let before = 0;
    for (let k = 0; k < communityCount; k++) {
      cut += weights[k]!;
      const upTo = k === communityCount - 1 ? streetUnits : Math.round((streetUnits * cut) / total);
      const communityUnits = upTo - before;
      before = upTo;
      if (communityUnits <= 0) continue;
      const village = street.kind === 'town' && r.chance(0.5);
      const community: Community = {
        code: street.code + pad(housing.communitiesOfStreet[s]!.length + 1, 3),
        name: communityName(r, village),
        village,
        street: s,
        latE6: street.latE6 + jitter(r, street.radiusE6),
        lonE6: street.lonE6 + jitter(r, Math.round(street.radiusE6 * 1.1)),
      };
      const c = housing.communities.length;
      housing.communities.push(community);
      housing.communitiesOfStreet[s]!.push(c);
      nextUnit = buildEstates(r, housing, companies, c, communityUnits, nextUnit, street.district, asOfDay, asOfYear);
    }
  });
  return housing;
}

function buildEstates(
  r: Random,
  housing: Housing,
  companies: CompanyTable,
  c: number,
  communityUnits: number,
  firstUnit: number,
  district: number,
  asOfDay: number,
  asOfYear: number,
): number {
  const community = housing.communities[c]!;
  let remaining = communityUnits;
  let nextUnit = firstUnit;
  let serial = 0;
  while (remaining > 0) {
    serial++;
    const year = completionYear(r, district, asOfYear);
    let size = year < 2000 ? r.between(60, 600) : r.between(150, 1400);
    if (remaining - size < 40 || serial === 999) size = remaining;
    remaining -= size;
    const completedDay = Math.min(dayFromYmd(year, 1, 1) + r.int(365), asOfDay - 60);
    const doors = year < 2000 ? 2 : r.between(2, 4);
    let floors = year < 2000 ? r.between(6, 8) : year < 2010 ? (r.chance(0.5) ? r.between(6, 11) : r.between(11, 18)) : r.between(18, 33);
    if (Math.ceil(size / (floors * doors)) > 99) floors = Math.ceil(Math.ceil(size / 99) / doors);
    const perBuilding = floors * doors;
    // Newer flats are larger; each door position has its own floor plan.
    const doorAreas = Array.from({ length: doors }, () => (year < 2000 ? r.between(4500, 9500) : r.between(6500, 14500)));
    const estate: Estate = {
      code: community.code + pad(serial, 3),
      name: estateName(r),
      community: c,
      address: `${STREETS[community.street]!.name}${roadName(r)}${r.between(1, 999)}号`,
      latE6: community.latE6 + jitter(r, 4000),
      lonE6: community.lonE6 + jitter(r, 4000),
      completedDay,
      completedYear: yearOfDay(completedDay),
      developer: pickDeveloper(r, companies, completedDay),
      firstBuilding: housing.buildings.length,
      buildingCount: 0,
      firstUnit: nextUnit,
      unitCount: size,
    };
    const e = housing.estates.length;
    housing.estates.push(estate);
    let left = size;
    while (left > 0) {
      const count = Math.min(perBuilding, left);
      left -= count;
      const b = housing.buildings.length;
      housing.buildings.push({
        code: estate.code + pad(estate.buildingCount + 1, 2),
        estate: e,
        floors: Math.ceil(count / doors),
        doors,
        firstUnit: nextUnit,
        unitCount: count,
        latE6: estate.latE6 + jitter(r, 800),
        lonE6: estate.lonE6 + jitter(r, 800),
      });
      estate.buildingCount++;
      for (let k = 0; k < count; k++) {
        const door = (k % doors) + 1;
        housing.unitBuilding[nextUnit] = b;
        housing.unitRoom[nextUnit] = (Math.floor(k / doors) + 1) * 100 + door;
        housing.unitArea[nextUnit] = doorAreas[door - 1]!;
        nextUnit++;
      }
    }
  }
  return nextUnit;
}
