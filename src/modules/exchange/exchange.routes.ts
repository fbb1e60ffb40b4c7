import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, requestLang, toProblem, type HttpApp } from '../../platform/http';
import { Problem } from '../../platform/http/problem';
import { xcMessage } from './messages';
import type { FieldCondition } from '../datacentre';
import {
  ApproveBody,
  Call,
  Channel,
  DataAnswer,
  Delivery,
  NewSubscriptionBody,
  Subscription,
  DataUse,
  ExchangeStats,
  NewChannelBody,
  NewRequestBody,
  ReasonBody,
  RefuseBody,
  ResourceAccess,
  SharingRequest,
} from './exchange.contract';
import { CALL_HEADERS, type DataCall, type ExchangeService } from './exchange.service';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });
const FIELD_NAME = /^[a-z][a-z0-9_]{0,47}$/;
/** Query parameters of the data plane that are not field filters. */
const RESERVED = new Set(['fields', 'after', 'limit']);

function header(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  try {
    return decodeURIComponent(value).trim() || undefined;
  } catch {
    return value.trim() || undefined;
  }
}

function fieldList(raw: unknown): string[] | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const fields = raw.split(',').map((f) => f.trim()).filter(Boolean);
  const bad = fields.find((f) => !FIELD_NAME.test(f));
  if (bad) throw Problem.validation(xcMessage('xc.badFieldName', { name: bad }), [{ field: '/querystring/fields', message: xcMessage('xc.field.badFieldName', { name: bad }) }]);
  return fields;
}

/**
 * The exchange API: management under /api/exchange (requests, channels, calls, statistics),
 * the data plane for department systems under /api/exchange/v1, and the citizen's view of who
 * used their data under /api/me/data-uses.
 */
export function registerExchangeRoutes(app: HttpApp, service: ExchangeService): void {
  const tags = ['exchange'];

  app.get(
    '/api/exchange/resources/:code/access',
    { schema: { tags, summary: 'What my department may do with a resource, and how to get access', params: Type.Object({ code: Type.String({ maxLength: 80 }) }), response: { 200: ResourceAccess, ...problemResponses(401, 403, 404) } } },
    async (request) => service.resourceAccess(await getPrincipal(request), request.params.code, requestLang(request)),
  );

  app.post(
    '/api/exchange/requests',
    { schema: { tags, summary: 'Ask for a conditional resource (the provider answers within 10 working days)', body: NewRequestBody, response: { 201: SharingRequest, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await service.submitRequest(await getPrincipal(request), request.body, request.id)),
  );

  app.get(
    '/api/exchange/requests',
    {
      schema: {
        tags,
        summary: 'Requests my department made or received (operators: all)',
        querystring: Type.Object({
          side: Type.Optional(Type.Union([Type.Literal('consumer'), Type.Literal('provider')])),
          status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('refused'), Type.Literal('withdrawn')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Array(SharingRequest), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.listRequests(await getPrincipal(request), request.query),
  );

  app.get(
    '/api/exchange/requests/:id',
    { schema: { tags, summary: 'One request with its steps', params: Id, response: { 200: SharingRequest, ...problemResponses(401, 403, 404) } } },
    async (request) => service.getRequest(await getPrincipal(request), request.params.id),
  );

  app.post(
    '/api/exchange/requests/:id/approve',
    { schema: { tags, summary: 'Approve (possibly fewer fields, shorter validity); opens the channel', params: Id, body: ApproveBody, response: { 200: SharingRequest, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request) => service.approveRequest(await getPrincipal(request), request.params.id, request.body, request.id),
  );

  app.post(
    '/api/exchange/requests/:id/refuse',
    { schema: { tags, summary: 'Refuse, with the reason', params: Id, body: RefuseBody, response: { 200: SharingRequest, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request) => service.refuseRequest(await getPrincipal(request), request.params.id, request.body.reason, request.id),
  );

  app.post(
    '/api/exchange/requests/:id/withdraw',
    { schema: { tags, summary: 'Withdraw my pending request', params: Id, body: ReasonBody, response: { 200: SharingRequest, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request) => service.withdrawRequest(await getPrincipal(request), request.params.id, request.body.reason, request.id),
  );

  app.post(
    '/api/exchange/channels',
    { schema: { tags, summary: 'Open a channel to an unconditional resource (granted at once)', body: NewChannelBody, response: { 201: Channel, ...problemResponses(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await service.openChannel(await getPrincipal(request), request.body, request.id)),
  );

  app.get(
    '/api/exchange/channels',
    { schema: { tags, summary: 'Channels my department consumes or provides (operators: all)', response: { 200: Type.Array(Channel), ...problemResponses(401, 403) } } },
    async (request) => service.listChannels(await getPrincipal(request)),
  );

  app.post(
    '/api/exchange/channels/:id/revoke',
    { schema: { tags, summary: 'Revoke a channel; its next call is refused', params: Id, body: ReasonBody, response: { 200: Channel, ...problemResponses(400, 401, 403, 404) } } },
    async (request) => service.revokeChannel(await getPrincipal(request), request.params.id, request.body.reason, request.id),
  );

  app.post(
    '/api/exchange/subscriptions',
    {
      schema: {
        tags,
        summary: "Subscribe a channel to its resource's changes by webhook (the signing secret is shown once)",
        body: NewSubscriptionBody,
        response: { 201: Type.Object({ subscription: Subscription, secret: Type.String({ description: 'HMAC-SHA256 key of X-Ludao-Signature; shown once' }) }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createSubscription(await getPrincipal(request), request.body, request.id, requestLang(request))),
  );

  app.get(
    '/api/exchange/subscriptions',
    { schema: { tags, summary: "My department's change subscriptions (operators: all)", response: { 200: Type.Array(Subscription), ...problemResponses(401, 403) } } },
    async (request) => service.listSubscriptions(await getPrincipal(request), requestLang(request)),
  );

  app.get(
    '/api/exchange/subscriptions/:id/deliveries',
    { schema: { tags, summary: 'The latest delivery attempts of a subscription', params: Id, response: { 200: Type.Array(Delivery), ...problemResponses(401, 403, 404) } } },
    async (request) => service.listDeliveries(await getPrincipal(request), request.params.id, requestLang(request)),
  );

  app.post(
    '/api/exchange/subscriptions/:id/replay',
    {
      schema: {
        tags,
        summary: 'Deliver again from a cursor ("0.0": the start; default: where it stopped); unparks a parked subscription',
        params: Id,
        body: Type.Object({ from: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        response: { 200: Subscription, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => service.replaySubscription(await getPrincipal(request), request.params.id, request.body, request.id, requestLang(request)),
  );

  app.post(
    '/api/exchange/subscriptions/:id/cancel',
    { schema: { tags, summary: 'Cancel a subscription', params: Id, response: { 200: Subscription, ...problemResponses(401, 403, 404) } } },
    async (request) => service.cancelSubscription(await getPrincipal(request), request.params.id, request.id, requestLang(request)),
  );

  app.get(
    '/api/exchange/calls',
    {
      schema: {
        tags,
        summary: 'The call log: calls my department made or served (operators: all), newest first',
        querystring: Type.Object({
          channel: Type.Optional(Type.String({ maxLength: 80 })),
          outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('not_found'), Type.Literal('refused'), Type.Literal('error')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: Type.Array(Call), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.listCalls(await getPrincipal(request), request.query, requestLang(request)),
  );

  app.get(
    '/api/exchange/stats',
    {
      schema: {
        tags,
        summary: 'Channels, calls per day / channel / department, latency and refusals',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }),
        response: { 200: ExchangeStats, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.stats(await getPrincipal(request), request.query.days),
  );

  app.get(
    '/api/me/data-uses',
    { schema: { tags: ['citizen'], summary: 'Every use of my data through the exchange: when, which department, purpose, case', response: { 200: Type.Array(DataUse), ...problemResponses(401, 403) } } },
    async (request) => service.myDataUses(await getPrincipal(request)),
  );

  app.post(
    '/api/me/data-uses/:id/report',
    {
      schema: {
        tags: ['citizen'],
        summary: 'Report a use of my data as misuse',
        params: Id,
        body: Type.Object({ reason: Type.String({ minLength: 4, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.reportMisuse(await getPrincipal(request), request.params.id, request.body.reason, request.id)),
  );

  // ---------------------------------------------------------------- data plane
  const planeHeaders = Type.Object({
    [CALL_HEADERS.purpose]: Type.Optional(Type.String({ maxLength: 1500, description: 'Purpose of the call (percent-encode Chinese)' })),
    [CALL_HEADERS.caseId]: Type.Optional(Type.String({ maxLength: 200, description: 'The case (办件) the call serves' })),
    [CALL_HEADERS.endUser]: Type.Optional(Type.String({ maxLength: 200, description: 'The official on whose behalf the system calls' })),
    [CALL_HEADERS.channel]: Type.Optional(Type.String({ maxLength: 80, description: 'Which channel, if the department has several' })),
  });
  const answer = { 200: DataAnswer, ...problemResponses(400, 401, 403, 404, 429) };
  // Every call is logged, refused ones included: a request the schema refuses, or whose fields
  // or filters are not names, still reaches the service, which logs it and refuses it.
  const config = { ownTextCheck: 'route' as const };
  type PlaneParts = Omit<DataCall, 'principal' | 'receivedAt' | 'purpose' | 'caseId' | 'endUser' | 'channelId' | 'resource' | 'operation' | 'refusal'>;
  const send = async (request: FastifyRequest<{ Params: { resource: string } }>, reply: FastifyReply, operation: DataCall['operation'], parts: () => PlaneParts, given: PlaneParts = {}) => {
    let refusal = request.validationError ? toProblem(request.validationError as FastifyError, request) : undefined;
    let more: PlaneParts = {};
    if (!refusal) {
      try {
        more = parts();
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        refusal = error;
      }
    }
    const out = await service.call({
      ...given,
      ...more,
      resource: String(request.params.resource),
      operation,
      principal: await getPrincipal(request),
      receivedAt: request.receivedAt ?? new Date(),
      purpose: header(request, CALL_HEADERS.purpose),
      caseId: header(request, CALL_HEADERS.caseId),
      endUser: header(request, CALL_HEADERS.endUser),
      channelId: header(request, CALL_HEADERS.channel),
      ip: request.ip,
      ...(refusal && { refusal }),
    });
    // The body goes out exactly as hashed: X-Ludao-Response-Hash = SHA-256(request hash ‖ "\n" ‖ body).
    return reply
      .header('x-ludao-call-id', out.callId)
      .header('x-ludao-request-hash', out.requestHash)
      .header('x-ludao-response-hash', out.responseHash)
      .type('application/json; charset=utf-8')
      .send(out.body);
  };

  app.get(
    '/api/exchange/v1/:resource/records/:key',
    {
      config,
      attachValidation: true,
      schema: {
        tags: ['exchange data plane'],
        summary: 'A record by key (granted fields only)',
        headers: planeHeaders,
        params: Type.Object({ resource: Type.String({ maxLength: 80 }), key: Type.String({ minLength: 1, maxLength: 500 }) }),
        querystring: Type.Object({ fields: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: answer,
      },
    },
    async (request, reply) => send(request, reply, 'key', () => ({ fields: fieldList(request.query.fields) }), { key: String(request.params.key) }),
  );

  app.get(
    '/api/exchange/v1/:resource/subjects/:subject',
    {
      config,
      attachValidation: true,
      schema: {
        tags: ['exchange data plane'],
        summary: "A subject's records (by resident ID, credit code or place code)",
        headers: planeHeaders,
        params: Type.Object({ resource: Type.String({ maxLength: 80 }), subject: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ fields: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: answer,
      },
    },
    async (request, reply) => send(request, reply, 'subject', () => ({ fields: fieldList(request.query.fields) }), { subject: String(request.params.subject) }),
  );

  app.get(
    '/api/exchange/v1/:resource/changes',
    {
      config,
      attachValidation: true,
      schema: {
        tags: ['exchange data plane'],
        summary: 'The change feed: records written and deleted since `after` (a cursor this feed gave out; none: from the start)',
        headers: planeHeaders,
        params: Type.Object({ resource: Type.String({ maxLength: 80 }) }),
        querystring: Type.Object({ after: Type.Optional(Type.String({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), fields: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 200: Type.Object({ callId: Type.String(), requestHash: Type.String(), resource: Type.String(), fields: Type.Array(Type.String()), changes: Type.Array(Type.Unknown()), next: Type.String() }), ...problemResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => send(request, reply, 'changes', () => ({ after: request.query.after, limit: request.query.limit, fields: fieldList(request.query.fields) })),
  );

  app.get(
    '/api/exchange/v1/:resource/records',
    {
      config,
      attachValidation: true,
      schema: {
        tags: ['exchange data plane'],
        summary: 'Records filtered by field values (?district=350203&…), in key order, paged with `after`',
        headers: planeHeaders,
        params: Type.Object({ resource: Type.String({ maxLength: 80 }) }),
        querystring: Type.Object(
          { fields: Type.Optional(Type.String({ maxLength: 2000 })), after: Type.Optional(Type.String({ maxLength: 500 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
          { additionalProperties: Type.String({ maxLength: 500 }) },
        ),
        response: answer,
      },
    },
    async (request, reply) =>
      send(request, reply, 'query', () => {
        const query = request.query as Record<string, unknown>;
        const conditions: FieldCondition[] = [];
        for (const [name, value] of Object.entries(query)) {
          if (RESERVED.has(name)) continue;
          if (!FIELD_NAME.test(name)) throw Problem.validation(xcMessage('xc.badConditionName', { name }), [{ field: `/querystring/${name}`, message: xcMessage('xc.field.notAFieldName') }]);
          conditions.push({ field: name, value: String(value) });
        }
        return { conditions, fields: fieldList(query.fields), after: query.after as string | undefined, limit: query.limit as number | undefined };
      }),
  );
}
