import { Type } from 'typebox';
import { getPrincipal, SESSION_COOKIE } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import { ApiKeyCreated, ApiKeySummary, CreateApiKeyBody, LoginBody, Me, OrgNode } from './identity.contract';
import type { IdentityService } from './identity.service';

/**
 * The identity API: sign in and out, who am I, the organisation tree, API keys.
 * Routes parse, ask the service (which checks access first) and present.
 */
export function registerIdentityRoutes(app: HttpApp, service: IdentityService, options: { secureCookies: boolean }): void {
  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['identity'],
        summary: 'Register as a developer of the open-data portal (then sign in and create API keys)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 2, maxLength: 64 }),
            displayName: Type.String({ minLength: 1, maxLength: 100 }),
            password: Type.String({ minLength: 8, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...problemResponses(400, 409, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.registerDeveloper({ ...request.body, ip: request.ip })),
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['identity'],
        summary: 'Sign in; sets an httpOnly session cookie',
        body: LoginBody,
        response: { 200: Type.Object({ user: Me }), ...problemResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const result = await service.login({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: '/',
        expires: result.expiresAt,
      });
      return { user: result.me };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['identity'], summary: 'Sign out', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await service.logout(await getPrincipal(request), request.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags: ['identity'], summary: 'The signed-in user and the areas open to them', response: { 200: Me, ...problemResponses(401) } } },
    async (request) => service.me(await getPrincipal(request)),
  );

  app.get(
    '/api/orgs',
    { schema: { tags: ['identity'], summary: 'The organisation tree (flat, with parent ids)', response: { 200: Type.Array(OrgNode), ...problemResponses(401, 403) } } },
    async (request) => service.listOrgs(await getPrincipal(request)),
  );

  app.get(
    '/api/keys',
    { schema: { tags: ['identity'], summary: 'API keys of your organisation (all, for operators)', response: { 200: Type.Array(ApiKeySummary), ...problemResponses(401, 403) } } },
    async (request) => service.listApiKeys(await getPrincipal(request)),
  );

  app.post(
    '/api/keys',
    {
      schema: {
        tags: ['identity'],
        summary: 'Issue an API key for a department system; the key is shown once',
        body: CreateApiKeyBody,
        response: { 201: ApiKeyCreated, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await service.createApiKey(await getPrincipal(request), request.body, request.id);
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke an API key; its next call is refused',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{20}$' }) }),
        response: { 200: ApiKeySummary, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => service.revokeApiKey(await getPrincipal(request), request.params.id, request.id),
  );
}
