import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import { Application, BatchOutcome, MyApplication, NewApplicationBody, NewRoundBody, Ranking, Round, RulesBody, RulesVersion } from './admission.contract';
import type { AdmissionService } from './admission.service';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });

/**
 * The admission API under /api/admission: the bureau's rounds and rules, the handler's
 * applications, batch verification, ranking and publication, and the parents' open rounds,
 * applications and withdrawals.
 */
export function registerAdmissionRoutes(app: HttpApp, service: AdmissionService): void {
  const tags = ['admission'];
  const round = { 200: Round, ...problemResponses(400, 401, 403, 404, 409) };

  app.get('/api/admission/rounds', { schema: { tags, summary: 'Rounds of my department', response: { 200: Type.Array(Round), ...problemResponses(401, 403) } } }, async (request) =>
    service.listRounds(await getPrincipal(request)),
  );
  app.post(
    '/api/admission/rounds',
    { schema: { tags, summary: 'Create a round in draft: case type, year, application window', body: NewRoundBody, response: { 201: Round, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await service.createRound(await getPrincipal(request), request.body, request.id)),
  );
  app.get('/api/admission/rounds/:id', { schema: { tags, summary: 'A round: its rules, zones and counts', params: Id, response: round } }, async (request) =>
    service.getRound(await getPrincipal(request), request.params.id),
  );
  app.get('/api/admission/rounds/:id/rules', { schema: { tags, summary: 'Every version of a round’s rules, newest first', params: Id, response: { 200: Type.Array(RulesVersion), ...problemResponses(401, 403, 404) } } }, async (request) =>
    service.listRules(await getPrincipal(request), request.params.id),
  );
  app.put(
    '/api/admission/rounds/:id/rules',
    { schema: { tags, summary: 'Set the rules (a new version): points per claim, fixed parameters, tie-breaks, zones and places', params: Id, body: RulesBody, response: round } },
    async (request) => service.setRules(await getPrincipal(request), request.params.id, request.body, request.id),
  );
  app.post('/api/admission/rounds/:id/open', { schema: { tags, summary: 'Open a round for applications', params: Id, response: round } }, async (request) =>
    service.openRound(await getPrincipal(request), request.params.id, request.id),
  );
  app.get(
    '/api/admission/rounds/:id/applications',
    { schema: { tags, summary: 'A round’s applications: per-claim results, points and ranks (never a value)', params: Id, response: { 200: Type.Array(Application), ...problemResponses(401, 403, 404) } } },
    async (request) => service.listApplications(await getPrincipal(request), request.params.id),
  );
  app.post(
    '/api/admission/rounds/:id/verify-batch',
    { schema: { tags, summary: 'Verify every submitted application in one sandbox batch and score it', params: Id, response: { 200: BatchOutcome, ...problemResponses(401, 403, 404, 409) } } },
    async (request) => service.verifyBatch(await getPrincipal(request), request.params.id, request.id),
  );
  app.post('/api/admission/rounds/:id/rank', { schema: { tags, summary: 'Rank each zone by points, then the tie-breaks', params: Id, response: { 200: Ranking, ...problemResponses(401, 403, 404, 409) } } }, async (request) =>
    service.rank(await getPrincipal(request), request.params.id, request.id),
  );
  app.get('/api/admission/rounds/:id/ranking', { schema: { tags, summary: 'The ranking of each zone', params: Id, response: { 200: Ranking, ...problemResponses(401, 403, 404) } } }, async (request) =>
    service.ranking(await getPrincipal(request), request.params.id),
  );
  app.post('/api/admission/rounds/:id/publish', { schema: { tags, summary: 'Publish a ranked round’s results to the parents', params: Id, response: round } }, async (request) =>
    service.publish(await getPrincipal(request), request.params.id, request.id),
  );

  const citizen = ['admission', 'citizen'];
  app.get('/api/admission/open-rounds', { schema: { tags: citizen, summary: 'Rounds taking applications now, with what they check', response: { 200: Type.Array(Round), ...problemResponses(401, 403) } } }, async (request) =>
    service.openRounds(await getPrincipal(request)),
  );
  app.post(
    '/api/admission/applications',
    { schema: { tags: citizen, summary: 'Apply for my child: zone, declared facts, consent to the listed checks', body: NewApplicationBody, response: { 201: MyApplication, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await service.apply(await getPrincipal(request), request.body, request.id)),
  );
  app.get('/api/admission/my-applications', { schema: { tags: citizen, summary: 'My applications: points, rank, outcome and failed claims once published', response: { 200: Type.Array(MyApplication), ...problemResponses(401, 403) } } }, async (request) =>
    service.myApplications(await getPrincipal(request)),
  );
  app.post(
    '/api/admission/my-applications/:id/withdraw',
    { schema: { tags: citizen, summary: 'Withdraw my application before verification (its consent too)', params: Id, response: { 200: MyApplication, ...problemResponses(401, 403, 404, 409) } } },
    async (request) => service.withdraw(await getPrincipal(request), request.params.id, request.id),
  );
}
