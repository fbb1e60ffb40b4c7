/**
 * The household plan: how the city's people group into households before anyone is drawn.
 * Each household's kind, size, migrant status and tenure come from its own random stream;
 * people are numbered household by household (household h holds people start[h] …
 * start[h+1]-1), and the last household is cut to fit so the city has exactly the people asked
 * for. The plan is a few typed arrays (about 9 bytes per household).
 */
import { cumulativeWeights, streamTag, type CitySeed, type Random } from './random';

const HOUSEHOLD = streamTag('household');

/**
 * Household kinds, as stored in {@link HouseholdPlan.kind} and written to households.ndjson.
 *
 * @example
 * HOUSEHOLD_KINDS[2]; // 'family'
 */
export const HOUSEHOLD_KINDS = ['single', 'couple', 'family', 'three_generation', 'single_parent', 'elderly_couple', 'elderly_single'] as const;

/** Index of a kind in {@link HOUSEHOLD_KINDS}. */
export const KIND = { single: 0, couple: 1, family: 2, threeGeneration: 3, singleParent: 4, elderlyCouple: 5, elderlySingle: 6 } as const;

// Shares of household kinds; migrants are younger and more often single.
const LOCAL_KINDS = cumulativeWeights([10, 12, 38, 14, 4, 14, 8]);
const MIGRANT_KINDS = cumulativeWeights([35, 20, 35, 3, 4, 2, 1]);
const LOCAL_OWNS = [0.35, 0.6, 0.8, 0.9, 0.55, 0.9, 0.85] as const;
const MIGRANT_OWNS = [0.05, 0.15, 0.25, 0.3, 0.1, 0.2, 0.1] as const;
/** About 40% of Xiamen's households are registered elsewhere. */
const MIGRANT_SHARE = 0.4;

/** The plan of every household. */
export interface HouseholdPlan {
  count: number;
  /** First person index of each household; start[count] is the number of people. */
  start: Int32Array;
  /** Index into {@link HOUSEHOLD_KINDS}. */
  kind: Uint8Array;
  /** 1 when the household is registered outside Xiamen. */
  migrant: Uint8Array;
  /** Children of the couple or single parent (0–4). */
  children: Uint8Array;
  /** Parents of the head living in (0–2). */
  grandparents: Uint8Array;
  /** 1 when the household owns the unit it lives in. */
  ownsHome: Uint8Array;
}

interface Draft {
  kind: number;
  migrant: boolean;
  children: number;
  grandparents: number;
}

function draft(r: Random): Draft {
  const migrant = r.chance(MIGRANT_SHARE);
  const kind = r.weighted(migrant ? MIGRANT_KINDS : LOCAL_KINDS);
  let children = 0;
  let grandparents = 0;
  if (kind === KIND.family) children = r.chance(0.55) ? 1 : r.chance(0.84) ? 2 : 3;
  else if (kind === KIND.threeGeneration) {
    children = r.chance(0.6) ? 1 : 2;
    grandparents = r.chance(0.45) ? 1 : 2;
  } else if (kind === KIND.singleParent) children = r.chance(0.8) ? 1 : 2;
  return { kind, migrant, children, grandparents };
}

function sizeOf(d: Draft): number {
  const adults = d.kind === KIND.single || d.kind === KIND.elderlySingle || d.kind === KIND.singleParent ? 1 : 2;
  return adults + d.children + d.grandparents;
}

// The last household takes whatever people are left.
function fitTo(d: Draft, people: number): Draft {
  if (people === 1) return { kind: d.kind === KIND.elderlySingle ? d.kind : KIND.single, migrant: d.migrant, children: 0, grandparents: 0 };
  if (people === 2) return { kind: KIND.couple, migrant: d.migrant, children: 0, grandparents: 0 };
  return { kind: KIND.family, migrant: d.migrant, children: people - 2, grandparents: 0 };
}

/**
 * Plans the households of a city of exactly `people` people.
 *
 * @example
 * const plan = planHouseholds(new CitySeed('x'), 1000);
 * plan.start[plan.count]; // 1000
 */
export function planHouseholds(seed: CitySeed, people: number): HouseholdPlan {
  let capacity = Math.max(16, Math.ceil(people / 2));
  let start = new Int32Array(capacity + 1);
  let kind = new Uint8Array(capacity);
  let migrant = new Uint8Array(capacity);
  let children = new Uint8Array(capacity);
  let grandparents = new Uint8Array(capacity);
  let ownsHome = new Uint8Array(capacity);
  let h = 0;
  let placed = 0;
  while (placed < people) {
    if (h === capacity) {
      capacity *= 2;
      start = grow(start, capacity + 1);
      kind = grow(kind, capacity);
      migrant = grow(migrant, capacity);
      children = grow(children, capacity);
      grandparents = grow(grandparents, capacity);
      ownsHome = grow(ownsHome, capacity);
    }
    const r = seed.random(HOUSEHOLD, h);
    let d = draft(r);
    if (placed + sizeOf(d) > people) d = fitTo(d, people - placed);
    start[h] = placed;
    kind[h] = d.kind;
    migrant[h] = d.migrant ? 1 : 0;
    children[h] = d.children;
    grandparents[h] = d.grandparents;
    ownsHome[h] = r.chance((d.migrant ? MIGRANT_OWNS : LOCAL_OWNS)[d.kind]!) ? 1 : 0;
    placed += sizeOf(d);
    h++;
  }
  start[h] = placed;
  return {
    count: h,
    start: start.slice(0, h + 1),
    kind: kind.slice(0, h),
    migrant: migrant.slice(0, h),
    children: children.slice(0, h),
    grandparents: grandparents.slice(0, h),
    ownsHome: ownsHome.slice(0, h),
  };
}

function grow<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
