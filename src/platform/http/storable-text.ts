import type { FastifyRequest } from 'fastify';
import { isStorableText } from '../storable-text';
import { httpMessage } from './messages';
import { Problem } from './problem';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Parts of the request this route checks for unstorable text itself, as JSON pointers
     * (`/body/records`: a batch's rows, each refused on its own); `'route'`: all of it (the
     * exchange's data plane, which logs the refused call).
     */
    ownTextCheck?: 'route' | readonly string[];
  }
}

// What JSON.parse, the router and the query parser make; an upload's Buffer or stream is not
// looked into (its rows are checked as they are read).
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && typeof (value as { pipe?: unknown }).pipe !== 'function';
}

// The first string (or key) under `value` that cannot be stored, as a JSON pointer; null if none.
function firstUnstorable(value: unknown, pointer: string, skip: readonly string[]): string | null {
  if (skip.includes(pointer)) return null;
  if (typeof value === 'string') return isStorableText(value) ? null : pointer;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUnstorable(value[i], `${pointer}/${i}`, skip);
      if (found !== null) return found;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!isStorableText(key)) return at;
      const found = firstUnstorable(inner, at, skip);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The 400 for text that cannot be stored at `field` (a JSON pointer into the request). */
export function unstorableText(field: string): Problem {
  return Problem.validation(httpMessage('http.unstorable', { field }), [{ field, message: httpMessage('http.field.unstorable') }]);
}

/**
 * Refuses a request whose path, query or JSON body holds text that cannot be stored (a NUL, a
 * lone surrogate) with a 400 naming the field, before validation and before anything is read
 * or written: otherwise the database refuses it halfway, as a 500. Runs as a preValidation hook.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const own = request.routeOptions.config.ownTextCheck;
  if (own === 'route') return;
  const skip = own ?? [];
  const found =
    firstUnstorable(request.params, '/params', skip) ??
    firstUnstorable(request.query, '/querystring', skip) ??
    firstUnstorable(request.body, '/body', skip);
  if (found !== null) throw unstorableText(found);
}
