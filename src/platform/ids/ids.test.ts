import { describe, expect, it } from 'vitest';
import { checkCreditCode, checkResidentId, isValidCreditCode, isValidResidentId, makeCreditCode, makeOrganisationCode, makeResidentId, maskResidentId, organisationCodeCheckChar, parseResidentId } from './index';

describe('resident ID numbers (GB 11643-1999)', () => {
  it('accepts known-valid numbers, including the standard’s own example with check X', () => {
    expect(checkResidentId('11010519491231002X')).toBeNull();
    expect(checkResidentId('440524188001010014')).toBeNull();
  });

  it('reads area, birth date and sex (odd sequence = male)', () => {
    expect(parseResidentId('11010519491231002X')).toEqual({ areaCode: '110105', birthDate: '1949-12-31', sex: 'female', sequence: 2 });
    expect(parseResidentId('440524188001010014')?.sex).toBe('male');
  });

  it.each([
    ['11010519491231002', 'length'],
    ['11010519491231002X1', 'length'],
    ['11010519491231002x', 'characters'],
    ['1101051949123100XX', 'characters'],
    ['00010519491231002X', 'area'],
    ['110105194902300021', 'birth_date'],
    ['110105209901010021', 'birth_date'],
    ['110105194912310001', 'sequence'],
    ['110105194912310021', 'check'],
    ['11010519491231002Y', 'characters'],
  ] as const)('refuses %s (%s)', (value, problem) => {
    expect(checkResidentId(value, { today: new Date('2026-11-25') })).toBe(problem);
  });

  it('takes "today" in China: born on the 26th is no future birth at 01:00 on the 26th in Xiamen', () => {
    const born = makeResidentId({ areaCode: '350203', birthDate: '2026-11-26', sequence: 1 });
    expect(checkResidentId(born, { today: new Date('2026-11-25T17:00:00Z') })).toBeNull();
    expect(checkResidentId(born, { today: new Date('2026-11-25T15:59:00Z') })).toBe('birth_date');
  });

  it('catches every single-digit change in a valid number', () => {
    const id = makeResidentId({ areaCode: '350203', birthDate: '1990-03-07', sequence: 123 });
    for (let i = 14; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[i]) continue;
        const changed = id.slice(0, i) + d + id.slice(i + 1);
        if (changed.slice(14, 17) === '000') continue;
        expect(isValidResidentId(changed)).toBe(false);
      }
    }
  });

  it('makes valid numbers that carry the facts they were made from', () => {
    for (const [areaCode, birthDate, sequence] of [['350203', '1990-03-07', 123], ['350213', '2016-02-29', 998], ['350211', '1950-12-31', 1]] as const) {
      const id = makeResidentId({ areaCode, birthDate, sequence });
      expect(parseResidentId(id)).toEqual({ areaCode, birthDate, sex: sequence % 2 ? 'male' : 'female', sequence });
    }
    expect(() => makeResidentId({ areaCode: '3502', birthDate: '1990-03-07', sequence: 1 })).toThrow(RangeError);
  });

  it('masks all but the area code and the last four characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });
});

describe('unified social credit codes (GB 32100-2015)', () => {
  it('accepts known-valid codes of real companies', () => {
    for (const code of ['914403001922038216', '9144030071526726XG', '91330100716105852F']) expect(checkCreditCode(code)).toBeNull();
  });

  it.each([
    ['91440300192203821', 'length'],
    ['914403001922038217', 'check'],
    ['91440300192203821I', 'characters'],
    ['9144O3001922038216', 'characters'],
    ['91A403001922038216', 'area'],
  ] as const)('refuses %s (%s)', (value, problem) => {
    expect(checkCreditCode(value)).toBe(problem);
  });

  it('completes 17 characters into a valid code, and any changed character breaks it', () => {
    const code = makeCreditCode('91350203MA2Y0K8P1');
    expect(isValidCreditCode(code)).toBe(true);
    expect(isValidCreditCode(code.slice(0, 10) + (code[10] === 'Y' ? 'X' : 'Y') + code.slice(11))).toBe(false);
  });

  it('computes GB 11714 organisation-code checks, including X and 0', () => {
    expect(makeOrganisationCode('12345678')).toBe('123456788'); // 201 mod 11 = 3, 11 - 3 = 8
    expect(organisationCodeCheckChar('00000001')).toBe('9'); // 2 mod 11 = 2
    expect(organisationCodeCheckChar('00000006')).toBe('X'); // 12 mod 11 = 1, 11 - 1 = 10
    expect(organisationCodeCheckChar('00000000')).toBe('0'); // 11 - 0 = 11
    // The organisation code inside a real credit code, 91350100M000100Y43: M = 22, Y = 34.
    expect(makeOrganisationCode('M000100Y')).toBe('M000100Y4');
    expect(() => organisationCodeCheckChar('1234567')).toThrow(RangeError);
    expect(() => organisationCodeCheckChar('1234567-')).toThrow(RangeError);
  });
});

