import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import type { ConditionalAccess } from './applications';
import { Application, ApplicationDecisionBody, NewApplicationBody } from './opendata.contract';

const Id = Type.Object({ id: Type.String({ maxLength: 80 }) });
const Reason = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false });

/**
 * Conditional opening: developers apply under /api/open/v1 (apply, resubmit, accept the
 * agreement for the key); the portal's operators check completeness and providers decide or
 * revoke under /api/open/manage.
 */
export function registerApplicationRoutes(app: HttpApp, applications: ConditionalAccess): void {
  const tags = ['open data: conditional opening'];
  const one = { 200: Application, ...problemResponses(400, 401, 403, 404, 409) };
  app.post(
    '/api/open/v1/datasets/:id/applications',
    { schema: { tags, summary: 'Apply for a conditional dataset: purpose, scenario, security undertaking', params: Id, body: NewApplicationBody, response: { 201: Application, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await applications.apply(await getPrincipal(request), request.params.id, request.body, request.id)),
  );
  app.get('/api/open/v1/applications', { schema: { tags, summary: 'My applications', response: { 200: Type.Array(Application), ...problemResponses(401, 403) } } }, async (request) =>
    applications.list(await getPrincipal(request), 'mine'),
  );
  app.get('/api/open/v1/applications/:id', { schema: { tags, summary: 'An application with its timeline and its key\'s use', params: Id, response: one } }, async (request) =>
    applications.get(await getPrincipal(request), request.params.id),
  );
  app.post(
    '/api/open/v1/applications/:id/resubmit',
    { schema: { tags, summary: 'Send a returned application again', params: Id, body: Type.Object({ purpose: Type.Optional(Type.String({ minLength: 4, maxLength: 1000 })), scenario: Type.Optional(Type.String({ minLength: 4, maxLength: 2000 })) }, { additionalProperties: false }), response: one } },
    async (request) => applications.resubmit(await getPrincipal(request), request.params.id, request.body, request.id),
  );
  app.post(
    '/api/open/v1/applications/:id/agreement',
    { schema: { tags, summary: 'Accept the agreement of an approved application and receive its key (shown once)', params: Id, response: { 200: Type.Intersect([Application, Type.Object({ key: Type.String() })]), ...problemResponses(401, 403, 404, 409) } } },
    async (request) => applications.acceptAgreement(await getPrincipal(request), request.params.id, request.id),
  );
  app.get('/api/open/manage/applications', { schema: { tags, summary: 'Applications for my department\'s datasets (all, for operators)', response: { 200: Type.Array(Application), ...problemResponses(401, 403) } } }, async (request) =>
    applications.list(await getPrincipal(request), 'manage'),
  );
  app.post(
    '/api/open/manage/applications/:id/check',
    { schema: { tags, summary: 'Completeness check (within 5 working days): on to the provider, or returned with what is missing', params: Id, body: ApplicationDecisionBody, response: one } },
    async (request) => applications.check(await getPrincipal(request), request.params.id, request.body, request.id),
  );
  app.post(
    '/api/open/manage/applications/:id/decide',
    { schema: { tags, summary: 'The provider approves (possibly for fewer days) or refuses with a reason', params: Id, body: ApplicationDecisionBody, response: one } },
    async (request) => applications.decide(await getPrincipal(request), request.params.id, request.body, request.id),
  );
  app.post(
    '/api/open/manage/applications/:id/revoke',
    { schema: { tags, summary: 'Revoke an approval: its key is refused on its next call', params: Id, body: Reason, response: one } },
    async (request) => applications.revoke(await getPrincipal(request), request.params.id, request.body.reason, request.id),
  );
}
