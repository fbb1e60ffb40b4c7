/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): registration authority (1),
 * entity type (1), area code (6), organisation code (9), check (1), from an alphabet of 31
 * characters without I, O, S, V and Z.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// 3^(i-1) mod 31 for positions 1–17.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Why a credit code was refused; `null` from {@link checkCreditCode} means it is valid. */
export type CreditCodeProblem = 'length' | 'characters' | 'area' | 'check';

/**
 * The check character for the first 17 characters.
 *
 * @example
 * creditCodeCheckChar('91350200MA2XN0TQ7'); // one character of the alphabet
 */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError(`not a credit-code character: ${first17[i]}`);
    sum += v * WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return ALPHABET[c === 31 ? 0 : c]!;
}

/**
 * Checks a unified social credit code: `null` when valid, or the first problem found.
 *
 * @example
 * checkCreditCode('91350100M000100Y43'); // null
 * checkCreditCode('91350100M000100Y44'); // 'check'
 */
export function checkCreditCode(value: string): CreditCodeProblem | null {
  if (value.length !== 18) return 'length';
  for (const ch of value) if (!ALPHABET.includes(ch)) return 'characters';
  if (!/^\d{6}$/.test(value.slice(2, 8))) return 'area';
  if (creditCodeCheckChar(value) !== value[17]) return 'check';
  return null;
}

/**
 * True when the unified social credit code is valid.
 *
 * @example
 * isValidCreditCode('91350100M000100Y43'); // true
 */
export function isValidCreditCode(value: string): boolean {
  return checkCreditCode(value) === null;
}

/**
 * Completes 17 characters into a valid credit code (synthetic data only).
 *
 * @example
 * makeCreditCode('91350203MA0000017'); // '91350203MA0000017' + check character
 */
export function makeCreditCode(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`need 17 characters, got ${first17.length}: ${first17}`);
  return first17 + creditCodeCheckChar(first17);
}

/** The 31 characters a credit code is written in. */
export const CREDIT_CODE_ALPHABET = ALPHABET;

const ORG_CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * The check character of an organisation code (组织机构代码, GB 11714-1997): 8 digits or
 * capital letters (A = 10 … Z = 35), then `11 - (Σ value × weight mod 11)`, 10 written X and
 * 11 written 0. Positions 9–17 of a credit code are such a code.
 *
 * @example
 * organisationCodeCheckChar('12345678'); // '8'
 */
export function organisationCodeCheckChar(first8: string): string {
  if (first8.length !== 8) throw new RangeError(`need 8 characters, got ${first8.length}: ${first8}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = ORG_CODE_CHARS.indexOf(first8[i]!);
    if (v < 0) throw new RangeError(`not an organisation-code character: ${first8[i]}`);
    sum += v * ORG_CODE_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Completes 8 characters into a 9-character organisation code (synthetic data only).
 *
 * @example
 * makeOrganisationCode('12345678'); // '123456788'
 */
export function makeOrganisationCode(first8: string): string {
  return first8 + organisationCodeCheckChar(first8);
}
