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

/**
 * `value` itself when all its text can be stored, else a copy (through JSON) in which each NUL
 * and lone surrogate is U+FFFD: what an audit entry quoting a caller's input keeps.
 */
export function toStorableValue<T>(value: T): T {
  // Looked through without a JSON text: every audit entry passes here.
  return findUnstorable(value, '') === null ? value : (JSON.parse(toStorableJson(value)) as T);
}

/** `value` as JSON that jsonb takes: strings holding a NUL or a lone surrogate get U+FFFD in their place. */
export function toStorableJson(value: unknown): string {
  const json = JSON.stringify(value);
  return UNSTORABLE_ESCAPE.test(json) ? JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? toStorableText(v) : v)) : json;
}

// What JSON.parse, the router and the query parser make; an upload's Buffer or stream is not
// looked into (its rows are checked as they are read).
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && typeof (value as { pipe?: unknown }).pipe !== 'function';
}

/**
 * The first string or key under `value` that cannot be stored, as a JSON pointer from `pointer`
 * (in document order); null if none. Walks without recursion: a body nested 10,000 deep is
 * the schema's to refuse, not a stack overflow. Parts at a pointer in `skip` are not looked into.
 *
 * @example
 * findUnstorable(JSON.parse(meta), '/querystring/meta'); // '/querystring/meta/title' for "a\u0000b"
 */
export function findUnstorable(value: unknown, pointer: string, skip: readonly string[] = []): string | null {
  const stack: [unknown, string][] = [[value, pointer]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (skip.length > 0 && skip.includes(at)) continue;
    if (typeof node === 'string') {
      if (!isStorableText(node)) return at;
      continue;
    }
    // Children pushed last first, so that they are looked at in document order.
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${at}/${i}`]);
    } else if (isPlainObject(node)) {
      const entries = Object.entries(node);
      for (const [key] of entries) if (!isStorableText(key)) return `${at}/${escapePointer(key)}`;
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], `${at}/${escapePointer(entries[i]![0])}`]);
    }
  }
  return null;
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
