import { renderMessage, type Message } from '../../platform/i18n/messages';
import { isValidResidentId } from '../../platform/ids';
import type { SharedResource } from '../datacentre';
import { odMessage } from './messages';
import type { Pipeline } from './opendata.contract';

/**
 * The rule that personal data is never opened (DOMAIN.md, open data): registries about people
 * leave only as aggregates with small counts suppressed, no identifier or name column is ever
 * published, and every published value is scanned for resident ID and mobile numbers.
 */

/**
 * Why a dataset may not be published as asked: the reason (worded for the reader; its English
 * words are the error's message, which the audit log keeps), and the field or row at fault.
 */
export class PersonalDataRefusal extends Error {
  constructor(
    readonly reason: Message,
    readonly field: string | null = null,
    readonly row: number | null = null,
  ) {
    super(renderMessage(reason, 'en'));
  }
}

/** What a published value must never be. */
export type PersonalValueKind = 'mobile number' | 'resident ID number';

// Labels and names of columns that hold a person's identity or contact, whatever the resource.
const PERSONAL_LABEL = /姓名|名字|法定代表人|负责人|联系人|联系电话|电话|手机|身份证|证件号|住址|出生日期|生日/;
const PERSONAL_NAME = /(^|_)(person|people|resident|citizen|full_name|person_name|surname|given_name|legal_representative|representative|contact|phone|mobile|tel|id_number|id_card|idcard|birth_date|birthday|address_detail)($|_)/;
// A column name that is only 'name' is a person's name in a resource about people.
const NAME_ONLY = /^(name|xm|姓名)$/i;
// Mobile numbers of mainland China (11 digits, 1[3-9]…), standing alone.
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/;
// Candidates for resident ID numbers: 17 digits and a check character, standing alone.
const RESIDENT_ID = /(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])/g;

/** Counts at or below this are suppressed in aggregates of personal data (DOMAIN.md). */
export const SUPPRESS_AT_MOST = 7;
/** Other counts are rounded to a multiple of this. */
export const ROUND_TO = 5;

/**
 * Whether a column, by its name and labels, holds personal identity or contact data.
 *
 * @example
 * isPersonalColumn({ name: 'legal_representative', labelZh: '法定代表人' }, false); // true
 * isPersonalColumn({ name: 'name', labelZh: '站点名称' }, false); // false (a bus stop's name)
 * isPersonalColumn({ name: 'name', labelZh: '姓名' }, true);     // true
 */
export function isPersonalColumn(c: { name: string; labelZh?: string; labelEn?: string; type?: string; sensitivity?: number }, aboutPeople: boolean): boolean {
  if (c.type === 'resident_id') return true;
  if ((c.sensitivity ?? 1) >= 3) return true;
  if (PERSONAL_LABEL.test(c.labelZh ?? '') || PERSONAL_NAME.test(c.name)) return true;
  if (/\b(name of person|full name|phone|mobile|date of birth|id number)\b/i.test(c.labelEn ?? '')) return true;
  return aboutPeople && (NAME_ONLY.test(c.name) || NAME_ONLY.test(c.labelZh ?? ''));
}

/** Whether a resource's records are about people (a person or mixed subject). */
export function isAboutPeople(resource: Pick<SharedResource, 'subjectKind'>): boolean {
  return resource.subjectKind === 'person' || resource.subjectKind === 'mixed';
}

/**
 * Checks a derivation from a catalogue resource before any row is read. Throws a
 * PersonalDataRefusal saying why when it could publish personal data.
 *
 * @example
 * checkPipeline(person, { kind: 'select', fields: ['name'] }); // throws: rows about people
 */
export function checkPipeline(resource: SharedResource, pipeline: Pipeline): void {
  const byName = new Map(resource.fields.map((f) => [f.name, f]));
  const aboutPeople = isAboutPeople(resource);
  const named = (names: readonly string[]) =>
    names.map((name) => {
      const field = byName.get(name);
      if (!field) throw new PersonalDataRefusal(odMessage('od.guard.noField', { resource: resource.code, name }), name);
      return field;
    });
  if (pipeline.kind === 'select') {
    if (aboutPeople) {
      throw new PersonalDataRefusal(odMessage('od.guard.aboutPeople', { name: resource.name, resource: resource.code }));
    }
    for (const f of named(pipeline.fields)) {
      if (isPersonalColumn(f, false)) throw new PersonalDataRefusal(odMessage('od.guard.personalField', { name: f.name, label: f.labelZh }), f.name);
      if (f.type === 'geo_point') throw new PersonalDataRefusal(odMessage('od.guard.geoPoint', { name: f.name }), f.name);
    }
    return;
  }
  for (const f of named(pipeline.groupBy)) {
    if (isPersonalColumn(f, aboutPeople) || f.type === 'resident_id') {
      throw new PersonalDataRefusal(odMessage('od.guard.groupPersonal', { name: f.name, label: f.labelZh, level: f.sensitivity }), f.name);
    }
    if (f.type === 'json' || f.type === 'geo_point') throw new PersonalDataRefusal(odMessage('od.guard.groupType', { name: f.name, type: f.type }), f.name);
    if (aboutPeople && (f.type === 'timestamp' || f.type === 'date')) {
      throw new PersonalDataRefusal(odMessage(f.type === 'date' ? 'od.guard.groupExactDate' : 'od.guard.groupExactTimestamp', { name: f.name }), f.name);
    }
  }
  for (const m of pipeline.measures ?? []) {
    const [f] = named([m.field]);
    if (f!.type !== 'integer' && f!.type !== 'decimal') throw new PersonalDataRefusal(odMessage('od.guard.measureNotNumber', { fn: m.fn, field: m.field }), m.field);
    if ((m.fn === 'min' || m.fn === 'max') && aboutPeople) throw new PersonalDataRefusal(odMessage('od.guard.measureOnePerson', { fn: m.fn, field: m.field }), m.field);
  }
}

/**
 * Disclosure control for a count about people: counts ≤ 7 are suppressed (null), others
 * rounded to the nearest 5 (the rule OpenSAFELY uses; DOMAIN.md).
 *
 * @example
 * controlCount(6); // null
 * controlCount(12); // 10
 * controlCount(13); // 15
 */
export function controlCount(count: number): number | null {
  if (count <= SUPPRESS_AT_MOST) return null;
  return Math.round(count / ROUND_TO) * ROUND_TO;
}

/**
 * The first value in a row that is a resident ID number (valid check digit) or a mobile
 * number, or null. Every row of every dataset passes through this before it is stored.
 *
 * @example
 * findPersonalValue({ note: '联系 13812345678' }); // { field: 'note', kind: 'mobile number' }
 */
export function findPersonalValue(values: Record<string, unknown>): { field: string; kind: PersonalValueKind } | null {
  for (const [field, value] of Object.entries(values)) {
    if (typeof value !== 'string' || value.length < 11) continue;
    if (MOBILE.test(value)) return { field, kind: 'mobile number' };
    for (const m of value.matchAll(RESIDENT_ID)) {
      if (isValidResidentId(m[0].toUpperCase())) return { field, kind: 'resident ID number' };
    }
  }
  return null;
}
