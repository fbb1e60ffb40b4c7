import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import type { Community } from './community';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Object({ id: Type.String({ maxLength: 80 }) });
const Feedback = Type.Object({
  id: Type.String(),
  dataset: Type.String(),
  kind: Type.Union([Type.Literal('error'), Type.Literal('comment')]),
  body: Type.String(),
  author: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  reply: Nullable(Type.String()),
  createdAt: Type.String(),
  repliedAt: Nullable(Type.String()),
});
const DataRequest = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  theme: Nullable(Type.String()),
  author: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('planned'), Type.Literal('fulfilled'), Type.Literal('declined')]),
  reply: Nullable(Type.String()),
  dataset: Nullable(Type.String()),
  createdAt: Type.String(),
});
const App = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  url: Type.String(),
  datasets: Type.Array(Type.String()),
  author: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('listed'), Type.Literal('rejected')]),
  createdAt: Type.String(),
});

/**
 * The community: feedback and error reports on datasets (answered by the provider), data
 * requests (answered by the portal), and the apps showcase.
 */
export function registerCommunityRoutes(app: HttpApp, community: Community): void {
  const tags = ['open data: community'];
  app.post(
    '/api/open/v1/datasets/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Report an error in a dataset (纠错) or comment on it; the provider replies',
        params: Id,
        body: Type.Object({ kind: Type.Union([Type.Literal('error'), Type.Literal('comment')]), body: Type.String({ minLength: 4, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Feedback, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await community.giveFeedback(await getPrincipal(request), request.params.id, request.body, request.id)),
  );
  app.get('/api/open/v1/datasets/:id/feedback', { schema: { tags, summary: 'Feedback on a dataset, with replies', params: Id, response: { 200: Type.Array(Feedback) } } }, async (request) =>
    community.datasetFeedback(request.params.id),
  );
  app.get('/api/open/manage/feedback', { schema: { tags, summary: 'Feedback on my department\'s datasets', response: { 200: Type.Array(Feedback), ...problemResponses(401, 403) } } }, async (request) =>
    community.providerFeedback(await getPrincipal(request)),
  );
  app.post(
    '/api/open/manage/feedback/:id/reply',
    { schema: { tags, summary: 'Reply to feedback (shown in public)', params: Id, body: Type.Object({ reply: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: Feedback, ...problemResponses(400, 401, 403, 404) } } },
    async (request) => community.reply(await getPrincipal(request), request.params.id, request.body.reply, request.id),
  );
  app.post(
    '/api/open/v1/requests',
    {
      schema: {
        tags,
        summary: 'Ask for data that is not open yet',
        body: Type.Object({ title: Type.String({ minLength: 2, maxLength: 200 }), description: Type.String({ minLength: 4, maxLength: 3000 }), theme: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        response: { 201: DataRequest, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await community.requestData(await getPrincipal(request), request.body, request.id)),
  );
  app.get('/api/open/v1/requests', { schema: { tags, summary: 'Data requests with their answers', response: { 200: Type.Array(DataRequest) } } }, async () => community.dataRequests());
  app.post(
    '/api/open/manage/requests/:id/answer',
    {
      schema: {
        tags,
        summary: 'Answer a data request: planned, fulfilled (with the dataset) or declined',
        params: Id,
        body: Type.Object({ status: Type.Union([Type.Literal('planned'), Type.Literal('fulfilled'), Type.Literal('declined')]), reply: Type.String({ minLength: 2, maxLength: 2000 }), dataset: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false }),
        response: { 200: DataRequest, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => community.answerRequest(await getPrincipal(request), request.params.id, request.body, request.id),
  );
  app.post(
    '/api/open/v1/apps',
    {
      schema: {
        tags,
        summary: 'Submit an app built on open datasets to the showcase',
        body: Type.Object(
          { name: Type.String({ minLength: 2, maxLength: 100 }), description: Type.String({ minLength: 4, maxLength: 2000 }), url: Type.String({ maxLength: 500 }), datasets: Type.Array(Type.String({ maxLength: 80 }), { minItems: 1, maxItems: 50, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: { 201: App, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await community.submitApp(await getPrincipal(request), request.body, request.id)),
  );
  app.get(
    '/api/open/v1/apps',
    { schema: { tags, summary: 'The apps showcase (apps using one dataset with ?dataset=)', querystring: Type.Object({ dataset: Type.Optional(Type.String({ maxLength: 80 })) }), response: { 200: Type.Array(App) } } },
    async (request) => community.apps(await getPrincipal(request), request.query.dataset),
  );
  app.post(
    '/api/open/manage/apps/:id/review',
    { schema: { tags, summary: 'List or reject a submitted app', params: Id, body: Type.Object({ list: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }), response: { 200: App, ...problemResponses(401, 403, 404) } } },
    async (request) => community.reviewApp(await getPrincipal(request), request.params.id, request.body, request.id),
  );
}
