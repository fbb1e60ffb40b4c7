/**
 * Calendar arithmetic on whole days, without `Date`: a day is the number of days since
 * 1970-01-01 (proleptic Gregorian), a month is `year * 12 + (month - 1)`. Formatting never
 * depends on the clock, the time zone or the locale, so the synthetic city is the same
 * everywhere.
 */

/**
 * The day number of a calendar date (days since 1970-01-01).
 *
 * @example
 * dayFromYmd(1970, 1, 1); // 0
 * dayFromYmd(2026, 6, 30); // 20634
 */
export function dayFromYmd(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The calendar date of a day number, as `[year, month, day]`.
 *
 * @example
 * ymdFromDay(20634); // [2026, 6, 30]
 */
export function ymdFromDay(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const FORMAT_FIRST_DAY = dayFromYmd(1900, 1, 1);
const FORMAT_LAST_DAY = dayFromYmd(2199, 12, 31);
// Filled on first use: formatting a date is a lookup on the hot path.
const dayStrings: string[] = [];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Formats a day number as `YYYY-MM-DD` (years 1900–2199).
 *
 * @example
 * formatDay(dayFromYmd(1990, 3, 7)); // '1990-03-07'
 */
export function formatDay(dayNumber: number): string {
  const i = dayNumber - FORMAT_FIRST_DAY;
  const cached = dayStrings[i];
  if (cached !== undefined) return cached;
  if (dayNumber < FORMAT_FIRST_DAY || dayNumber > FORMAT_LAST_DAY) throw new RangeError(`day ${dayNumber} is outside 1900–2199`);
  const [y, m, d] = ymdFromDay(dayNumber);
  const text = `${y}-${pad2(m)}-${pad2(d)}`;
  dayStrings[i] = text;
  return text;
}

/**
 * Parses `YYYY-MM-DD` into a day number; throws on anything that is not a real date.
 *
 * @example
 * parseDay('2026-06-30'); // 20634
 */
export function parseDay(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`not a date (YYYY-MM-DD): ${text}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const dayNumber = dayFromYmd(y, m, d);
  const [y2, m2, d2] = ymdFromDay(dayNumber);
  if (y2 !== y || m2 !== m || d2 !== d) throw new RangeError(`not a real date: ${text}`);
  return dayNumber;
}

/**
 * The same month and day `years` later (or earlier, when negative); 29 February becomes
 * 28 February in a common year. "The day someone turns 22" is `addYears(birth, 22)`.
 *
 * @example
 * formatDay(addYears(parseDay('2000-02-29'), 1)); // '2001-02-28'
 */
export function addYears(dayNumber: number, years: number): number {
  const [y, m, d] = ymdFromDay(dayNumber);
  const target = dayFromYmd(y + years, m, d);
  // dayFromYmd rolls 29 February over to 1 March in a common year: step back one day.
  return m === 2 && d === 29 && ymdFromDay(target)[1] === 3 ? target - 1 : target;
}

/**
 * The month number (`year * 12 + month - 1`) a day falls in.
 *
 * @example
 * formatMonth(monthOfDay(parseDay('2026-06-30'))); // '2026-06'
 */
export function monthOfDay(dayNumber: number): number {
  const [y, m] = ymdFromDay(dayNumber);
  return y * 12 + m - 1;
}

/**
 * The day number of the given day of a month number (`monthDay(month, 15)` is the 15th).
 *
 * @example
 * formatDay(monthDay(2026 * 12 + 5, 15)); // '2026-06-15'
 */
export function monthDay(month: number, day: number): number {
  return dayFromYmd(Math.floor(month / 12), (month % 12) + 1, day);
}

/**
 * Formats a month number as `YYYY-MM`.
 *
 * @example
 * formatMonth(2026 * 12 + 5); // '2026-06'
 */
export function formatMonth(month: number): string {
  return `${Math.floor(month / 12)}-${pad2((month % 12) + 1)}`;
}

/**
 * The calendar year of a day number.
 *
 * @example
 * yearOfDay(parseDay('2026-06-30')); // 2026
 */
export function yearOfDay(dayNumber: number): number {
  return ymdFromDay(dayNumber)[0];
}
