import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/** The session cookie's name. */
export const SESSION_COOKIE = 'ludao_session';

/**
 * Turns credentials into a principal. The identity module provides it; the platform only
 * knows the shape (platform code imports no module).
 */
export interface PrincipalResolver {
  /** A principal for a session token, or null when unknown or expired. */
  fromSessionToken(token: string): Promise<Principal | null>;
  /** A principal for an API key, or null when unknown, expired or revoked. */
  fromApiKey(key: string): Promise<Principal | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    principalResolver: { current: PrincipalResolver | undefined };
  }
  interface FastifyRequest {
    principalCache: Promise<Principal | null> | null;
  }
}

/**
 * Prepares the app to answer "who is calling"; a module then sets the resolver with
 * `app.principalResolver.current = …`. Decorators on the root are seen by every route.
 *
 * @example
 * installAuthentication(app);
 * app.principalResolver.current = identity.resolver;
 */
export function installAuthentication(app: FastifyInstance): void {
  app.decorate('principalResolver', { current: undefined });
  app.decorateRequest('principalCache', null);
}

/**
 * The caller of this request, or null when it brought no valid credentials. Credentials: an
 * API key in `Authorization: Bearer …` or `X-API-Key`, else the session cookie. Resolved
 * once per request.
 *
 * @example
 * const principal = await getPrincipal(request);
 */
export function getPrincipal(request: FastifyRequest): Promise<Principal | null> {
  if (!request.principalCache) request.principalCache = resolve(request);
  return request.principalCache;
}

async function resolve(request: FastifyRequest): Promise<Principal | null> {
  const resolver = request.server.principalResolver?.current;
  if (!resolver) return null;
  const auth = request.headers.authorization;
  const header = request.headers['x-api-key'];
  const apiKey = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : typeof header === 'string' ? header : undefined;
  if (apiKey) return resolver.fromApiKey(apiKey);
  const token = request.cookies?.[SESSION_COOKIE];
  if (token) return resolver.fromSessionToken(token);
  return null;
}
