import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../platform/i18n';
import { makeResidentId } from '../../platform/ids';
import type { SharedResource } from '../datacentre';
import { checkPipeline, controlCount, findPersonalValue, isPersonalColumn, PersonalDataRefusal } from './personal-data';

// A resource about people that is open (none of the built-in ones is): the guard alone must hold.
const people: SharedResource = {
  code: 'test.people',
  name: '测试人员',
  nameEn: 'Test people',
  providerOrgCode: 'xm.test',
  sharingType: 'unconditional',
  sharingCondition: null,
  sharingConditionEn: null,
  legalBasis: null,
  openType: 'unconditional',
  subjectKind: 'person',
  keyFields: ['id'],
  fields: [
    { name: 'id', labelZh: '公民身份号码', labelEn: 'Resident ID number', type: 'resident_id', sensitivity: 4, deprecated: false },
    { name: 'name', labelZh: '姓名', labelEn: 'Name', type: 'text', sensitivity: 1, deprecated: false },
    { name: 'district_code', labelZh: '区代码', labelEn: 'District code', type: 'text', sensitivity: 1, deprecated: false },
    { name: 'registered_on', labelZh: '登记日期', labelEn: 'Registered on', type: 'date', sensitivity: 1, deprecated: false },
    { name: 'months', labelZh: '缴费月数', labelEn: 'Months', type: 'integer', sensitivity: 1, deprecated: false },
  ],
};

describe('personal-data guard', () => {
  it('never publishes rows about people, even of an open resource', () => {
    expect(() => checkPipeline(people, { kind: 'select', fields: ['district_code'] })).toThrow(/raw personal rows are never published/);
  });

  it('refuses to group people by identifiers, names or exact dates, and min/max of one person', () => {
    expect(() => checkPipeline(people, { kind: 'aggregate', groupBy: ['id'] })).toThrow(PersonalDataRefusal);
    expect(() => checkPipeline(people, { kind: 'aggregate', groupBy: ['name'] })).toThrow(/cannot group by "name"/);
    expect(() => checkPipeline(people, { kind: 'aggregate', groupBy: ['registered_on'] })).toThrow(/exact date/);
    expect(() => checkPipeline(people, { kind: 'aggregate', groupBy: ['district_code'], measures: [{ fn: 'max', field: 'months' }] })).toThrow(/one person's value/);
    expect(() => checkPipeline(people, { kind: 'aggregate', groupBy: ['district_code'], measures: [{ fn: 'avg', field: 'months' }] })).not.toThrow();
  });

  it('gives its reason in Chinese and English, the English as the error\'s message (which the audit log keeps)', () => {
    const refusal = (() => {
      try {
        checkPipeline(people, { kind: 'aggregate', groupBy: ['registered_on'] });
      } catch (error) {
        return error as PersonalDataRefusal;
      }
      throw new Error('not refused');
    })();
    expect(refusal.reason.code).toBe('od.guard.groupExactDate');
    expect(renderMessage(refusal.reason, 'zh-CN')).toBe('涉及个人的记录不能按精确日期“registered_on”分组，这会识别出特定个人');
    expect(refusal.message).toBe('cannot group records about people by the exact date "registered_on": it singles people out');
    expect(refusal.field).toBe('registered_on');
  });

  it('withholds counts of 7 or fewer and rounds the others to 5', () => {
    expect([0, 1, 7, 8, 12, 13, 1002].map(controlCount)).toEqual([null, null, null, 10, 10, 15, 1000]);
  });

  it('finds resident ID numbers with a valid check character and mobile numbers, not look-alikes', () => {
    const id = makeResidentId({ areaCode: '350203', birthDate: '1990-05-17', sequence: 123 });
    const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(findPersonalValue({ note: `申请人 ${id}` })).toEqual({ field: 'note', kind: 'resident ID number' });
    expect(findPersonalValue({ note: `编号 ${wrongCheck}` })).toBeNull();
    expect(findPersonalValue({ note: '热线 12345，电话 0592-1234567' })).toBeNull();
    expect(findPersonalValue({ contact: '13812345678' })).toEqual({ field: 'contact', kind: 'mobile number' });
  });

  it('tells personal columns by name and label, and a place name from a person name', () => {
    expect(isPersonalColumn({ name: 'legal_representative', labelZh: '法定代表人' }, false)).toBe(true);
    expect(isPersonalColumn({ name: 'c3', labelZh: '联系电话' }, false)).toBe(true);
    expect(isPersonalColumn({ name: 'name', labelZh: '站点名称' }, false)).toBe(false);
    expect(isPersonalColumn({ name: 'name', labelZh: '姓名' }, false)).toBe(true);
  });
});
