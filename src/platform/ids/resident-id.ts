import { chinaDay, secondsToChinaMidnight } from '../china-time';

/**
 * Resident identity numbers (居民身份证号码, GB 11643-1999): 6-digit administrative area code,
 * 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male, even = female), check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Why a resident ID number was refused; `null` from {@link checkResidentId} means it is valid. */
export type ResidentIdProblem = 'length' | 'characters' | 'area' | 'birth_date' | 'sequence' | 'check';

/** What a valid resident ID number says about its holder. */
export interface ResidentIdFacts {
  areaCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  sequence: number;
}

/**
 * The check character for the first 17 digits.
 *
 * @example
 * residentIdCheckChar('35020319900307123'); // one of "0123456789X"
 */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1850 || m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1]! + (leap ? 1 : 0);
}

// Today in China (UTC+8) as YYYYMMDD, worked out once a day: an import checks a million
// numbers a minute.
let today = { compact: '', until: 0 };
function compact(date: Date | number): string {
  return chinaDay(date).replace(/-/g, '');
}
function compactDate(date?: Date): string {
  if (date) return compact(date);
  const now = Date.now();
  if (now >= today.until) today = { compact: compact(now), until: now + secondsToChinaMidnight(now) * 1000 };
  return today.compact;
}

/**
 * Checks a resident ID number: returns `null` when valid, or the first problem found.
 * Area codes are checked for form (a province prefix 11–82 and six digits), not against a list.
 * A lower-case `x` is not accepted: normalise with `toUpperCase()` first if the source allows it.
 *
 * @example
 * checkResidentId('11010519491231002X'); // null (the standard's own example)
 * checkResidentId('110105194912310021'); // 'check'
 */
export function checkResidentId(value: string, options: { today?: Date } = {}): ResidentIdProblem | null {
  if (value.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(value)) return 'characters';
  const province = Number(value.slice(0, 2));
  if (province < 11 || province > 82) return 'area';
  const birth = value.slice(6, 14);
  if (!isRealDate(birth)) return 'birth_date';
  if (birth > compactDate(options.today)) return 'birth_date';
  if (value.slice(14, 17) === '000') return 'sequence';
  if (residentIdCheckChar(value) !== value[17]) return 'check';
  return null;
}

/**
 * True when the resident ID number is valid.
 *
 * @example
 * isValidResidentId('11010519491231002X'); // true
 */
export function isValidResidentId(value: string): boolean {
  return checkResidentId(value) === null;
}

/**
 * Reads the facts a valid resident ID number carries; `null` for an invalid one.
 *
 * @example
 * parseResidentId('11010519491231002X'); // { areaCode: '110105', birthDate: '1949-12-31', sex: 'female', sequence: 2 }
 */
export function parseResidentId(value: string): ResidentIdFacts | null {
  if (checkResidentId(value) !== null) return null;
  const sequence = Number(value.slice(14, 17));
  return {
    areaCode: value.slice(0, 6),
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    sex: sequence % 2 === 1 ? 'male' : 'female',
    sequence,
  };
}

/**
 * Makes a valid resident ID number (synthetic data only).
 *
 * @example
 * makeResidentId({ areaCode: '350203', birthDate: '1990-03-07', sequence: 123 }); // '350203199003071231'…
 */
export function makeResidentId(facts: { areaCode: string; birthDate: string; sequence: number }): string {
  if (!/^\d{6}$/.test(facts.areaCode)) throw new RangeError(`area code must be 6 digits: ${facts.areaCode}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(facts.birthDate)) throw new RangeError(`birth date must be YYYY-MM-DD: ${facts.birthDate}`);
  if (!Number.isInteger(facts.sequence) || facts.sequence < 1 || facts.sequence > 999) throw new RangeError(`sequence must be 1–999: ${facts.sequence}`);
  const first17 = facts.areaCode + facts.birthDate.replaceAll('-', '') + String(facts.sequence).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

/**
 * Masks a resident ID number for display: area code and last four characters stay.
 *
 * @example
 * maskResidentId('35020319900307123X'); // '350203********123X'
 */
export function maskResidentId(value: string): string {
  if (value.length !== 18) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}********${value.slice(14)}`;
}
