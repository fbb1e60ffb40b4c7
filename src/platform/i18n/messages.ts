import { toStorableJson, toStorableText } from '../storable-text';

/**
 * Messages the server stores or sends for people to read, kept as a code with parameters and
 * put into words only when they go out, in the reader's language (ADR 0020). A module defines
 * its codes once, with the Chinese and the English text; what it stores (a rejected row's
 * reason, a batch's outcome) is the code and the parameters, so the same report reads in
 * Chinese for one operator and in English for another, and a client can switch on the code.
 */

/** The languages the server writes in: zh-CN first, English on request. */
export const LANGS = ['zh-CN', 'en'] as const;
/** A language the server writes in. */
export type Lang = (typeof LANGS)[number];
/** The language when the reader names none. */
export const DEFAULT_LANG: Lang = 'zh-CN';

/** What a message's text is filled in with (`{name}` in the text). */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A message as stored and passed around: its code and parameters, no words yet. */
export interface Message {
  code: string;
  params: MessageParams;
}

/** A module's messages: for each code, its text in every language, with `{name}` placeholders. */
export type MessageCatalogue = Readonly<Record<string, Readonly<Record<Lang, string>>>>;

const registered = new Map<string, Readonly<Record<Lang, string>>>();

/**
 * Registers a module's catalogue and returns a maker of its messages, typed by its codes.
 * Codes are unique across modules (prefix them with the module's short name).
 *
 * @example
 * const m = defineMessages({ 'dc.row.required': { 'zh-CN': '必填', en: 'is required' } });
 * renderMessage(m('dc.row.required'), 'en'); // 'is required'
 */
export function defineMessages<C extends MessageCatalogue>(catalogue: C): (code: keyof C & string, params?: MessageParams) => Message {
  for (const [code, texts] of Object.entries(catalogue)) {
    const known = registered.get(code);
    if (known && known !== texts) throw new Error(`message ${code} is defined twice`);
    for (const lang of LANGS) if (typeof texts[lang] !== 'string') throw new Error(`message ${code} has no ${lang} text`);
    registered.set(code, texts);
  }
  return (code, params = {}) => ({ code, params });
}

/**
 * A message in words, in `lang`. A code no catalogue defines (stored by a later version, say)
 * comes out as the code with its parameters rather than not at all.
 */
export function renderMessage(message: Message, lang: Lang): string {
  const texts = registered.get(message.code);
  if (!texts) {
    const params = Object.entries(message.params);
    return params.length === 0 ? message.code : `${message.code} (${params.map(([k, v]) => `${k}: ${v}`).join(', ')})`;
  }
  return texts[lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in message.params ? String(message.params[name]) : whole));
}

/**
 * A message as a row stores it (ADR 0020): its English words, for whoever reads the table with
 * SQL, beside its code and its parameters as JSON text; all null for no message. `renderStored`
 * puts it back into words for a reader.
 *
 * @example
 * const { text, code, params } = storeMessage(m('dc.row.required'));
 * sql`update t set reason = ${text}, reason_code = ${code}, reason_params = ${params}::jsonb`;
 */
export function storeMessage(message: Message | null): { text: string | null; code: string | null; params: string | null } {
  // A parameter may quote what a caller sent, NUL and all: kept with U+FFFD in its place.
  return message ? { text: toStorableText(renderMessage(message, 'en')), code: message.code, params: toStorableJson(message.params) } : { text: null, code: null, params: null };
}

/**
 * A message stored as a code with parameters beside its English words, in `lang`; a row stored
 * before its module kept codes (no code) is shown in the words it has.
 *
 * @example
 * renderStored(row.reason_code, row.reason_params, row.reason, 'zh-CN');
 */
export function renderStored(code: string | null, params: MessageParams | null, text: string, lang: Lang): string {
  return code ? renderMessage({ code, params: params ?? {} }, lang) : text;
}

/** Whether `value` names a language the server writes in. */
export function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}
