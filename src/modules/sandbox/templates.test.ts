import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../platform/i18n';
import { makeCreditCode, residentIdCheckChar } from '../../platform/ids';
import { checkParams, PREDICATE_KINDS } from './templates';

const kind = (name: string) => PREDICATE_KINDS[name]!;
const ID = `35020319900101123${residentIdCheckChar('35020319900101123')}`;

describe('template parameters', () => {
  it('takes well-formed parameters, in canonical form', () => {
    expect(checkParams(kind('months_insured'), { months: '36', from: '2023-07', to: '2026-06' })).toEqual({ ok: true, params: { months: 36, from: '2023-07', to: '2026-06' } });
    expect(checkParams(kind('married_to'), { spouse: ID.toLowerCase() })).toEqual({ ok: true, params: { spouse: ID } });
    const code = makeCreditCode('91350200MA2Y00001');
    expect(checkParams(kind('si_bank_account_is'), { account: '6299 9900 0000 0000 018' })).toEqual({ ok: true, params: { account: '6299990000000000018' } });
    expect(checkParams(kind('employed_by_since'), { creditCode: code, since: '2024-02-29' })).toEqual({ ok: true, params: { creditCode: code, since: '2024-02-29' } });
  });

  it('says what is wrong, looking only at the input', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['months_insured', { months: 0, from: '2023-07', to: '2026-06' }, /^At least months \(months\) must be a whole number/],
      ['months_insured', { months: 12, from: '2023-13', to: '2026-06' }, /^Window from \(from\) must be a month/],
      ['months_insured', { months: 12, from: '2026-07', to: '2026-06' }, /first month \(from\) must not be after the last \(to\)/],
      ['months_insured', { months: 12, from: '2023-07' }, /^Window to \(to\) is required/],
      ['months_insured', { months: 12, from: '2023-07', to: '2026-06', extra: 1 }, /unknown parameter extra/],
      ['married_to', { spouse: '350203199001011230' }, /not a valid resident ID/],
      ['employed_by_since', { creditCode: '91350200MA2Y000010', since: '2024-01-01' }, /not a valid unified social credit code/],
      ['residence_permit_since', { since: '2023-02-29' }, /^Since \(since\) must be a date/],
      ['residence_permit_since', { since: '2999-01-01' }, /^Since \(since\) must not be after today/],
      ['owns_residence_in_district', { district: '110101' }, /district codes/],
      ['si_bank_account_is', { account: '6299-9900' }, /account number of 12–30 digits/],
    ];
    for (const [name, params, message] of cases) {
      const result = checkParams(kind(name), params);
      expect(result.ok, `${name} ${JSON.stringify(params)}`).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
  });

  it('says it in the reader’s language too, naming the parameter by its label', () => {
    const months = checkParams(kind('months_insured'), { months: 0, from: '2023-07', to: '2026-06' });
    expect(months.ok).toBe(false);
    if (months.ok) return;
    expect(months.why).toEqual({ code: 'sb.param.integer', params: { name: 'months', label: '至少缴费月数', labelEn: 'At least months' } });
    expect(renderMessage(months.why, 'zh-CN')).toBe('至少缴费月数（months）须为 1–1200 之间的整数');
    expect(renderMessage(months.why, 'en')).toBe(months.message);
    expect(months.message).toBe('At least months (months) must be a whole number 1–1200');
    const district = checkParams(kind('owns_residence_in_district'), { district: '110101' });
    if (district.ok) throw new Error('accepted a district outside the city');
    expect(renderMessage(district.why, 'zh-CN')).toMatch(/^区划代码（district）须为本市的区划代码之一（350203, /);
  });
});
