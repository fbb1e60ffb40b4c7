/**
 * The prepared skeleton of a city, before any line is written: the household plan, the
 * companies, the housing stock and who lives in and owns each unit. Everything the registries
 * refer to across entities is here, in compact form; people themselves are drawn household by
 * household while writing.
 */
import { addYears, parseDay } from './calendar';
import { buildCompanies, companyCount, type CompanyTable } from './companies';
import { planHouseholds, type HouseholdPlan } from './households';
import { buildHousing, type Housing } from './housing';
import { planProperty, type PropertyPlan } from './property';
import { CitySeed } from './random';
import { ResidentIdAllocator } from './resident-ids';

/** The reference date used when none is given, so output never depends on the clock. */
export const DEFAULT_AS_OF = '2026-06-30';

/** The largest city the generator makes (ID sequence space and code widths). */
export const MAX_PEOPLE = 50_000_000;

/** What a city is made from. */
export interface CityOptions {
  /** Number of people (1 … 50,000,000). */
  people: number;
  /** Any text; the same seed gives the same city. */
  seed: string;
  /** Reference date YYYY-MM-DD (default {@link DEFAULT_AS_OF}): nobody is born after it. */
  asOf?: string;
}

/** The prepared city. */
export interface CityContext {
  seed: CitySeed;
  people: number;
  asOf: string;
  asOfDay: number;
  plan: HouseholdPlan;
  companies: CompanyTable;
  housing: Housing;
  property: PropertyPlan;
  ids: ResidentIdAllocator;
}

/**
 * Checks the options and prepares the city's skeleton.
 *
 * @example
 * const ctx = prepareCity({ people: 1000, seed: 'xiamen' });
 * ctx.plan.count; // number of households
 */
export function prepareCity(options: CityOptions): CityContext {
  const { people } = options;
  if (!Number.isInteger(people) || people < 1 || people > MAX_PEOPLE) throw new RangeError(`people must be a whole number from 1 to ${MAX_PEOPLE}: ${people}`);
  if (typeof options.seed !== 'string') throw new TypeError('seed must be a string');
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfDay = parseDay(asOf);
  if (asOf < '2000-01-01' || asOf > '2099-12-31') throw new RangeError(`asOf must be in 2000–2099: ${asOf}`);
  const seed = new CitySeed(options.seed);
  const plan = planHouseholds(seed, people);
  // Homes, plus empty units to let and the developers' unsold stock.
  const unitsWanted = Math.ceil(plan.count * 1.18) + 50;
  const developerCount = Math.max(2, Math.ceil(unitsWanted / 6000));
  const companies = buildCompanies(seed, companyCount(people, developerCount), developerCount, asOfDay);
  const housing = buildHousing(seed, unitsWanted, companies, asOfDay);
  const property = planProperty(seed, housing, plan, asOfDay);
  const ids = new ResidentIdAllocator(addYears(asOfDay, -101), asOfDay);
  return { seed, people, asOf, asOfDay, plan, companies, housing, property, ids };
}
