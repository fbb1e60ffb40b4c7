import type { FastifyRequest } from 'fastify';
import { findUnstorable } from '../storable-text';
import { httpMessage } from './messages';
import { Problem } from './problem';

export { findUnstorable };

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Parts of the request this route checks for unstorable text itself, as JSON pointers
     * (`/body/records`: a batch's rows, each refused on its own); `'route'`: all of it (the
     * exchange's data plane, which logs the refused call).
     */
    ownTextCheck?: 'route' | readonly string[];
    /**
     * The route answers its errors in a body of its own (CKAN's action API envelope), so the
     * problem+json answers every route may give are not added to its responses (`route-schemas.ts`).
     */
    ownErrorBodies?: boolean;
  }
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
    findUnstorable(request.params, '/params', skip) ??
    findUnstorable(request.query, '/querystring', skip) ??
    findUnstorable(request.body, '/body', skip);
  if (found !== null) throw unstorableText(found);
}
