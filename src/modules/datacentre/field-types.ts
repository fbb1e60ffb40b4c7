import { findUnstorable } from '../../platform/storable-text';
import { checkCreditCode, checkResidentId } from '../../platform/ids';
import type { Message } from '../../platform/i18n';
import { dcMessage } from './messages';

/**
 * The types a catalogue field can have, how each is stored in PostgreSQL, and how a raw value
 * from a file or an API call becomes a stored one. Parsers return the normalised value or a
 * reason a person can act on (a message: `messages.ts`); they never guess (no silent truncation, no locale parsing).
 */
export const FIELD_TYPES = [
  'text',
  'integer',
  'decimal',
  'date',
  'timestamp',
  'boolean',
  'enum',
  'geo_point',
  'resident_id',
  'credit_code',
  'json',
] as const;
/** A field type name. */
export type FieldType = (typeof FIELD_TYPES)[number];

/** What a parser needs to know about its field beyond the type. */
export interface FieldRules {
  type: FieldType;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** Longest text, in characters. */
  maxLength?: number;
}

const INT_RE = /^[+-]?\d{1,18}$/;
const DECIMAL_RE = /^[+-]?(\d{1,20}(\.\d{0,10})?|\.\d{1,10})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TRUE = new Set(['true', '1', 'yes', 'y', 't', '是', '真']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f', '否', '假']);

/** Why a raw value was refused (`parseValue`'s result when it is not a value), as a message. */
export class Refused {
  constructor(readonly reason: Message) {}
}
const no = (...message: Parameters<typeof dcMessage>) => new Refused(dcMessage(...message));

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function realDate(y: string, m: string, d: string): string | null {
  const yy = Number(y);
  const mm = Number(m);
  const dd = Number(d);
  if (mm < 1 || mm > 12 || dd < 1) return null;
  const leap = mm === 2 && yy % 4 === 0 && (yy % 100 !== 0 || yy % 400 === 0);
  if (dd > DAYS_IN_MONTH[mm - 1]! + (leap ? 1 : 0)) return null;
  return `${y}-${m}-${d}`;
}

/**
 * Turns a raw value (a string from CSV, a JSON value from NDJSON or the API, a cell from XLSX)
 * into the stored value of a field, or a `Refused` saying why not (no result object per value:
 * it runs for every field of every row imported). Empty strings and nulls are `null`:
 * required-ness is checked by the caller.
 *
 * @example
 * parseValue({ type: 'integer' }, ' 42 ');          // 42
 * parseValue({ type: 'date' }, '2026-02-30');       // Refused { reason: { code: 'dc.row.notRealDate', params: { value: '2026-02-30' } } }
 * parseValue({ type: 'resident_id' }, '11010519491231002x'); // '11010519491231002X'
 */
export function parseValue(rules: FieldRules, raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') return null;
  switch (rules.type) {
    case 'text': {
      if (typeof raw === 'object') return no('dc.row.notText');
      const s = String(raw);
      if (rules.maxLength !== undefined && s.length > rules.maxLength) return no('dc.row.tooLong', { max: rules.maxLength });
      if (s.includes('\u0000')) return no('dc.row.nul');
      if (!s.isWellFormed()) return no('dc.row.loneSurrogate');
      // JSON's 1e309 is Infinity: not text anyone wrote.
      if (typeof raw === 'number' && !Number.isFinite(raw)) return no('dc.row.notText');
      return s;
    }
    case 'integer': {
      if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : no('dc.row.notInteger', { value: raw });
      const s = String(raw).trim();
      if (!INT_RE.test(s)) return no('dc.row.notInteger', { value: s });
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : no('dc.row.outOfRange', { value: s });
    }
    case 'decimal': {
      if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : no('dc.row.notNumber', { value: raw });
      const s = String(raw).trim();
      // Kept as text so that 0.1 stays 0.1 (stored as numeric).
      return DECIMAL_RE.test(s) ? s : no('dc.row.notDecimal', { value: s });
    }
    case 'date': {
      const s = String(raw).trim();
      const m = DATE_RE.exec(s) ?? COMPACT_DATE_RE.exec(s) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(s);
      if (!m) return no('dc.row.notDate', { value: s });
      return realDate(m[1]!, m[2]!.padStart(2, '0'), m[3]!.padStart(2, '0')) ?? no('dc.row.notRealDate', { value: s });
    }
    case 'timestamp': {
      const s = String(raw).trim();
      if (!TIMESTAMP_RE.test(s)) return no('dc.row.notTimestamp', { value: s });
      // Without a zone, the city's local time (UTC+8) is meant.
      const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}+08:00`;
      const t = new Date(withZone.replace(' ', 'T'));
      if (Number.isNaN(t.getTime()) || !realDate(s.slice(0, 4), s.slice(5, 7), s.slice(8, 10))) return no('dc.row.notRealTime', { value: s });
      return t.toISOString();
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      return no('dc.row.notBoolean', { value: s });
    }
    case 'enum': {
      const s = String(raw).trim();
      return rules.values?.includes(s) ? s : no('dc.row.notInEnum', { values: (rules.values ?? []).join(', '), value: s });
    }
    case 'geo_point':
      return parseGeoPoint(raw);
    case 'resident_id': {
      const s = String(raw).trim().toUpperCase();
      const problem = checkResidentId(s);
      return problem ? no(`dc.row.badResidentId.${problem}`) : s;
    }
    case 'credit_code': {
      const s = String(raw).trim().toUpperCase();
      const problem = checkCreditCode(s);
      return problem ? no(`dc.row.badCreditCode.${problem}`) : s;
    }
    case 'json': {
      let value = raw;
      if (typeof raw === 'string') {
        try {
          value = JSON.parse(raw);
        } catch {
          return no('dc.row.notJson');
        }
      }
      // jsonb holds no NUL and no lone surrogate, in a key or a value.
      return findUnstorable(value, '') === null ? value : no('dc.row.unstorable');
    }
  }
}

function parseGeoPoint(raw: unknown): unknown {
  let lon: number;
  let lat: number;
  if (Array.isArray(raw) && raw.length === 2) {
    [lon, lat] = raw.map(Number) as [number, number];
  } else if (typeof raw === 'object' && raw !== null && 'lon' in raw && 'lat' in raw) {
    lon = Number((raw as { lon: unknown }).lon);
    lat = Number((raw as { lat: unknown }).lat);
  } else {
    const m = /^\s*\(?\s*(-?\d+(?:\.\d+)?)\s*[,\s]\s*(-?\d+(?:\.\d+)?)\s*\)?\s*$/.exec(String(raw));
    if (!m) return no('dc.row.notPoint', { value: String(raw) });
    lon = Number(m[1]);
    lat = Number(m[2]);
  }
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    return no('dc.row.notOnEarth', { value: JSON.stringify(raw) });
  }
  return { lon, lat };
}

/**
 * A subject as a resource's records store it in `_subject`, or null when none of them can be
 * about it. People and legal persons are named by identifiers written in capitals (GB 11643's
 * check character X, GB 32100's letters), so their subjects are kept in capitals whatever the
 * field's type (`subjectValue`); a place's code is kept as written. A value the subject field's
 * type refuses (a company's credit code in a table of resident IDs, a person's ID in a table of
 * credit codes) is not there: the look-up skips that table (for a person, 2 of the city's 21;
 * for a company, 11).
 *
 * @example
 * storedSubject(population, '11010519491231002x'); // '11010519491231002X'
 */
export function storedSubject(resource: SubjectDefinition, subject: string): string | null {
  const field = resource.fields.find((f) => f.name === resource.subject_field);
  const value = field ? parseValue(field, subject) : subject;
  return value === null || value instanceof Refused ? null : subjectValue(resource, value);
}

/** What `storedSubject` and `subjectValue` need of a resource. */
export interface SubjectDefinition {
  fields: readonly (FieldRules & { name: string })[];
  subject_field: string | null;
  subject_kind: string | null;
}

/**
 * A subject field's stored value as the record's `_subject`: in capitals unless it names a place.
 *
 * @example
 * subjectValue({ subject_kind: 'mixed' }, '35020619851130044x'); // '35020619851130044X'
 */
export function subjectValue(resource: Pick<SubjectDefinition, 'subject_kind'>, value: unknown): string {
  const text = String(value);
  return resource.subject_kind === 'place' ? text : text.toUpperCase();
}

/**
 * The PostgreSQL column type of a field type.
 *
 * @example
 * columnType('decimal'); // 'numeric'
 */
export function columnType(type: FieldType): string {
  switch (type) {
    case 'integer':
      return 'bigint';
    case 'decimal':
      return 'numeric';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamptz';
    case 'boolean':
      return 'boolean';
    case 'json':
    case 'geo_point':
      return 'jsonb';
    default:
      return 'text';
  }
}
