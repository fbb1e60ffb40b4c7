/**
 * Text PostgreSQL can store: it refuses U+0000 in text and jsonb, and a lone UTF-16 surrogate
 * (`"\ud800"` in JSON) is not a character at all (jsonb refuses its escape; text columns
 * would silently turn it into U+FFFD).
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** The text with each NUL and lone surrogate replaced by U+FFFD, to keep what was sent as evidence. */
export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

// JSON.stringify writes a NUL and a lone surrogate as escapes, which jsonb refuses.
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** `value` as JSON that jsonb takes: strings holding a NUL or a lone surrogate get U+FFFD in their place. */
export function toStorableJson(value: unknown): string {
  const json = JSON.stringify(value);
  return UNSTORABLE_ESCAPE.test(json) ? JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? toStorableText(v) : v)) : json;
}
