import type { ErrorObject } from 'ajv';
import localizeZh from 'ajv-i18n/localize/zh/index.js';
import type { Message } from '../i18n/messages';
import { httpMessage } from './messages';
import type { FieldProblem } from './problem';

/**
 * Schema validation's errors as field problems, in the reader's words (ADR 0020): one per field
 * and rule, each with its code (`schema.<keyword>`). The rules a form's reader meets most are in
 * our words; the others are Ajv's, put into Chinese by ajv-i18n.
 *
 * @example
 * Problem.validation(undefined, schemaFieldProblems(error.validation, 'body'));
 */
export function schemaFieldProblems(errors: readonly ErrorObject[], part: string): FieldProblem[] {
  return withoutBranches(errors).map((v) => toFieldProblem(v, part));
}

// One error for a value none of a union's branches take (`anyOf`), not one per branch: a
// union of constants (an enum as TypeBox writes it) lists the values it takes.
function withoutBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((v) => v.keyword === 'anyOf');
  if (unions.length === 0) return [...errors];
  const inBranch = (v: ErrorObject) => unions.find((u) => u !== v && v.schemaPath.startsWith(`${u.schemaPath}/`));
  const out: ErrorObject[] = [];
  for (const v of errors) {
    if (inBranch(v)) continue;
    if (v.keyword !== 'anyOf') {
      out.push(v);
      continue;
    }
    const branches = errors.filter((b) => b.schemaPath.startsWith(`${v.schemaPath}/`));
    const allowed = branches.every((b) => b.keyword === 'const') ? branches.map((b) => (b.params as { allowedValue: unknown }).allowedValue) : null;
    out.push(allowed ? { ...v, keyword: 'enum', params: { allowedValues: allowed } } : v);
  }
  return out;
}

// JSON types and formats as a form's reader knows them.
const TYPE_WORDS: Readonly<Record<string, { zh: string; en: string }>> = {
  integer: { zh: '整数', en: 'a whole number' },
  number: { zh: '数字', en: 'a number' },
  string: { zh: '文本', en: 'text' },
  boolean: { zh: '是或否（true / false）', en: 'true or false' },
  object: { zh: '对象', en: 'an object' },
  array: { zh: '列表', en: 'a list' },
  null: { zh: '空值', en: 'null' },
};
const FORMAT_WORDS: Readonly<Record<string, { zh: string; en: string }>> = {
  date: { zh: '日期（YYYY-MM-DD）', en: 'a date (YYYY-MM-DD)' },
  'date-time': { zh: '时间（ISO 8601）', en: 'a time (ISO 8601)' },
  email: { zh: '电子邮箱地址', en: 'an email address' },
  uri: { zh: '网址', en: 'a URL' },
  url: { zh: '网址', en: 'a URL' },
};

// A schema rule in our words, where Ajv's read badly on a form; undefined for the others.
function ourWords(v: ErrorObject): Message | undefined {
  const params = v.params as { limit?: number; type?: string; format?: string };
  switch (v.keyword) {
    case 'type': {
      const words = TYPE_WORDS[String(params.type).split(',')[0]!];
      return words ? httpMessage('http.field.type', words) : undefined;
    }
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'maxItems':
      return httpMessage(`http.field.${v.keyword}`, { limit: params.limit ?? '?' });
    case 'pattern':
      return httpMessage('http.field.pattern');
    case 'format': {
      const words = FORMAT_WORDS[String(params.format)];
      return words ? httpMessage('http.field.format', words) : undefined;
    }
    default:
      return undefined;
  }
}

function toFieldProblem(v: ErrorObject, part: string): FieldProblem {
  const base = `/${part}${v.instancePath}`;
  if (v.keyword === 'enum') {
    const values = (v.params as { allowedValues: unknown[] }).allowedValues.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
    return { field: base, message: httpMessage('http.field.oneOf', { values }), code: 'schema.enum' };
  }
  if (v.keyword === 'additionalProperties') {
    return { field: `${base}/${(v.params as { additionalProperty: string }).additionalProperty}`, message: httpMessage('http.field.unknown') };
  }
  if (v.keyword === 'required') {
    return { field: `${base}/${(v.params as { missingProperty: string }).missingProperty}`, message: httpMessage('http.field.required') };
  }
  const code = `schema.${v.keyword}`;
  const ours = ourWords(v);
  if (ours) return { field: base, message: ours, code };
  if (!v.message) return { field: base, message: httpMessage('http.field.invalid'), code };
  // ajv-i18n words a copy: it rewrites the messages of the errors it is given.
  const chinese = { ...v };
  localizeZh([chinese]);
  return { field: base, message: httpMessage('http.field.schema', { en: v.message, zh: chinese.message ?? v.message }), code };
}
