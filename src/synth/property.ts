/**
 * Who lives in and who owns each unit. Units of estates finished in the last five years may
 * still belong to their developer (unsold); every other unit is either a household's home or
 * stands empty. A household owns its home or rents it; rented homes and empty units belong to
 * landlords, households that own their home and one or more units besides. So the city has
 * owner-occupiers, co-owners (spouses, decided when the household is written), people who own
 * several units, and developers' unsold units, and every unit has an owner.
 *
 * Kept as typed arrays: the home of each household, an unsold flag per unit, and the extra
 * units of each household in compressed rows (extraStart/extraUnits).
 */
import { yearOfDay } from './calendar';
import type { HouseholdPlan } from './households';
import type { Housing } from './housing';
import { shuffleInPlace, streamTag, type CitySeed } from './random';

const UNSOLD = streamTag('unsold');
const OCCUPANCY = streamTag('occupancy');
const LANDLORDS = streamTag('landlords');

/** Share of units a developer still holds in an estate finished in the last five years. */
const UNSOLD_SHARE = 0.2;
/** Share of owner-occupier households that also let or keep other units. */
const LANDLORD_SHARE = 0.3;

/** Occupancy and ownership of every unit. */
export interface PropertyPlan {
  /** The unit each household lives in. */
  homeUnit: Int32Array;
  /** 1 when the unit still belongs to its estate's developer. */
  unsold: Uint8Array;
  /** Units household h owns besides its home: extraUnits[extraStart[h] … extraStart[h+1]-1]. */
  extraStart: Int32Array;
  extraUnits: Int32Array;
}

/**
 * Plans occupancy and ownership. May set `plan.ownsHome` of household 0 when no household
 * owns its home, so that every unit has an owner.
 *
 * @example
 * const property = planProperty(seed, housing, plan, asOfDay);
 * property.homeUnit[0]; // the unit household 0 lives in
 */
export function planProperty(seed: CitySeed, housing: Housing, plan: HouseholdPlan, asOfDay: number): PropertyPlan {
  const units = housing.unitCount;
  const households = plan.count;
  if (units < households) throw new RangeError(`not enough units (${units}) for ${households} households`);
  const unsold = new Uint8Array(units);
  const asOfYear = yearOfDay(asOfDay);
  const maxUnsold = units - households;
  let unsoldCount = 0;
  let newest = 0;
  housing.estates.forEach((estate, e) => {
    if (estate.completedDay > housing.estates[newest]!.completedDay) newest = e;
    if (estate.completedYear < asOfYear - 5) return;
    const r = seed.random(UNSOLD, e);
    for (let u = estate.firstUnit; u < estate.firstUnit + estate.unitCount && unsoldCount < maxUnsold; u++) {
      if (r.chance(UNSOLD_SHARE)) {
        unsold[u] = 1;
        unsoldCount++;
      }
    }
  });
  if (unsoldCount === 0 && maxUnsold > 0) {
    const estate = housing.estates[newest]!;
    unsold[estate.firstUnit + estate.unitCount - 1] = 1;
    unsoldCount = 1;
  }

  const occupiable = new Int32Array(units - unsoldCount);
  for (let u = 0, i = 0; u < units; u++) if (!unsold[u]) occupiable[i++] = u;
  shuffleInPlace(occupiable, seed.random(OCCUPANCY, 0));
  const homeUnit = occupiable.slice(0, households);

  if (households > 0 && !plan.ownsHome.includes(1)) plan.ownsHome[0] = 1;
  const r = seed.random(LANDLORDS, 0);
  const landlords: number[] = [];
  for (let h = 0; h < households; h++) if (plan.ownsHome[h] && r.chance(LANDLORD_SHARE)) landlords.push(h);
  if (landlords.length === 0) for (let h = 0; h < households; h++) if (plan.ownsHome[h]) landlords.push(h);

  // Rented homes (in household order), then empty units (in shuffled order), each to a landlord.
  const toLet: number[] = [];
  for (let h = 0; h < households; h++) if (!plan.ownsHome[h]) toLet.push(homeUnit[h]!);
  for (let i = households; i < occupiable.length; i++) toLet.push(occupiable[i]!);
  const landlordOf = new Int32Array(toLet.length);
  const extraStart = new Int32Array(households + 1);
  for (let i = 0; i < toLet.length; i++) {
    const h = landlords[r.int(landlords.length)]!;
    landlordOf[i] = h;
    extraStart[h + 1]!++;
  }
  for (let h = 0; h < households; h++) extraStart[h + 1]! += extraStart[h]!;
  const fill = extraStart.slice(0, households);
  const extraUnits = new Int32Array(toLet.length);
  for (let i = 0; i < toLet.length; i++) extraUnits[fill[landlordOf[i]!]!++] = toLet[i]!;
  return { homeUnit, unsold, extraStart, extraUnits };
}
