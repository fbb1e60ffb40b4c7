import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import { AccountBody, Claim, ClaimChecks, DecisionBody, NewClaimBody, Rules, RulesBody } from './maternity.contract';
import type { MaternityService } from './maternity.service';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
const QueueQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('pending_review'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('verifying'), Type.Literal('all')])) },
  { additionalProperties: false },
);

/**
 * The maternity quick claim under /api/maternity: the checks and rules (read; the bureau sets
 * rules), the parent's claims (file, list, read, correct the account), and the bureau's
 * queue and decisions.
 */
export function registerMaternityRoutes(app: HttpApp, service: MaternityService): void {
  const tags = ['maternity'];
  const one = { 200: Claim, ...problemResponses(400, 401, 403, 404, 409) };

  app.get('/api/maternity/checks', { schema: { tags, summary: 'The checks a claim makes (what the parent consents to) and the allowance rules in force', response: { 200: ClaimChecks, ...problemResponses(401) } } }, async (request) =>
    service.checks(await getPrincipal(request)),
  );
  app.put(
    '/api/maternity/rules',
    { schema: { tags, summary: 'Set the allowance rules: average wage, leave days, months insured, claim period (the healthcare security bureau)', body: RulesBody, response: { 200: Rules, ...problemResponses(400, 401, 403) } } },
    async (request) => service.setRules(await getPrincipal(request), request.body, request.id),
  );
  app.post(
    '/api/maternity/claims',
    { schema: { tags, summary: 'File a claim: spouse, child, social-security card account, consent to the checks; checked at once', body: NewClaimBody, response: { 201: Claim, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await service.apply(await getPrincipal(request), request.body, request.id)),
  );
  app.get('/api/maternity/claims', { schema: { tags, summary: 'My claims', response: { 200: Type.Array(Claim), ...problemResponses(401, 403) } } }, async (request) => service.mine(await getPrincipal(request)));
  app.get('/api/maternity/claims/:id', { schema: { tags, summary: 'A claim: status, checks, amount', params: Id, response: one } }, async (request) => service.get(await getPrincipal(request), request.params.id));
  app.post(
    '/api/maternity/claims/:id/account',
    { schema: { tags, summary: 'Correct the account of a claim whose account check failed (checked again)', params: Id, body: AccountBody, response: one } },
    async (request) => service.correctAccount(await getPrincipal(request), request.params.id, request.body, request.id),
  );
  app.get('/api/maternity/queue', { schema: { tags, summary: 'The bureau’s claims in review (or with another status)', querystring: QueueQuery, response: { 200: Type.Array(Claim), ...problemResponses(401, 403) } } }, async (request) =>
    service.queue(await getPrincipal(request), request.query.status),
  );
  app.post(
    '/api/maternity/claims/:id/decision',
    { schema: { tags, summary: 'Approve a claim in review after checking a paper proof, or reject it with a reason', params: Id, body: DecisionBody, response: one } },
    async (request) => service.decide(await getPrincipal(request), request.params.id, request.body, request.id),
  );
}
