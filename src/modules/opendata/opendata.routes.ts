import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { getPrincipal } from '../../platform/access';
import { problemResponses, type HttpApp } from '../../platform/http';
import { Problem } from '../../platform/http/problem';
import { Dataset, DatasetMeta, DatasetSearch, DatasetSearchQuery, DatasetVersion, PublishFromResourceBody, RecordPage, ReviewBody } from './opendata.contract';
import type { ExportFormat, OpenDataService } from './opendata.service';
import type { PortalAccess} from './portal-access';
import { rateLimitHeaders, type Admission } from './portal-access';
import { LICENCES } from './portal-terms';
import { odMessage } from './messages';
import { findUnstorable, unstorableText } from '../../platform/http/storable-text';

const UPLOAD_TYPES = ['text/csv', 'application/x-ndjson', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'application/json', 'application/geo+json'];
const UPLOAD_LIMIT = 2 * 1024 * 1024 * 1024;
const Id = Type.Object({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,79}$' }) });
const IdVersion = Type.Object({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,79}$' }), version: Type.Integer({ minimum: 1 }) });
const RecordsQuery = Type.Object(
  {
    select: Type.Optional(Type.String({ maxLength: 2000 })),
    where: Type.Optional(Type.String({ maxLength: 2000 })),
    group_by: Type.Optional(Type.String({ maxLength: 500 })),
    order_by: Type.Optional(Type.String({ maxLength: 500 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.String({ maxLength: 10 })),
    cursor: Type.Optional(Type.String({ maxLength: 16_000 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
const Key = Type.Object({
  id: Type.String(),
  name: Type.String(),
  dailyQuota: Type.Integer(),
  usedToday: Type.Integer(),
  datasets: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const metaCheck = Compile(DatasetMeta);

/** The open-data API's access: the portal's key and quota check, run before a data call. */
export async function admit(access: PortalAccess, request: FastifyRequest, reply: FastifyReply): Promise<Admission> {
  const admission = await access.admit(request.headers, request.ip, Date.now(), (await getPrincipal(request))?.id);
  void reply.headers(rateLimitHeaders(admission));
  return admission;
}

/** ETag of a response derived from immutable version data and the query that shaped it. */
function etagOf(base: string, query: unknown): string {
  return `W/"${base}-${createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16)}"`;
}

function notModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  return typeof header === 'string' && header.split(',').some((t) => t.trim() === etag || t.trim() === '*');
}

/**
 * The open-data API: the public catalogue and data under /api/open/v1 (search, datasets,
 * records, exports, keys), and publishing under /api/open/manage (departments, reviewers).
 */
export function registerOpenDataRoutes(app: HttpApp, service: OpenDataService, access: PortalAccess): void {
  const tags = ['open data'];

  app.get(
    '/api/open/v1/datasets',
    { schema: { tags, summary: 'Search published datasets (Chinese words segmented), with facets', querystring: DatasetSearchQuery, response: { 200: DatasetSearch, ...problemResponses(400, 401, 429) } } },
    async (request, reply) => {
      await admit(access, request, reply);
      return service.search(request.query);
    },
  );

  app.get(
    '/api/open/v1/datasets/:id',
    { schema: { tags, summary: 'A dataset: metadata, fields, quality, counts', params: Id, response: { 200: Dataset, ...problemResponses(404) } } },
    async (request) => service.getDataset(await getPrincipal(request), request.params.id),
  );

  app.get(
    '/api/open/v1/datasets/:id/versions',
    { schema: { tags, summary: 'Versions of a dataset with their changelogs (old ones stay downloadable)', params: Id, response: { 200: Type.Array(DatasetVersion), ...problemResponses(404) } } },
    async (request) => service.listVersions(await getPrincipal(request), request.params.id),
  );

  app.get(
    '/api/open/v1/datasets/:id/records',
    {
      schema: {
        tags,
        summary: 'Records: select, where, group_by, order_by, q, limit ≤ 100, cursor',
        description:
          'A safe query grammar compiled to parameterised SQL over the dataset\'s columns, e.g. `select=district,count(*)&group_by=district&order_by=count desc` or `where=line = \'1\' and stops > 10`. Malformed input is a 400 naming the bad token. Pass `next` as `cursor` for the next page.',
        params: Id,
        querystring: RecordsQuery,
        response: { 200: RecordPage, 304: Type.Null(), ...problemResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const admission = await admit(access, request, reply);
      const page = await service.records(await getPrincipal(request), admission, request.params.id, request.query);
      access.count(admission, request.params.id, 'call');
      const etag = etagOf(page.etagBase, request.query);
      void reply.header('etag', etag).header('cache-control', 'public, max-age=60');
      if (page.lastModified) void reply.header('last-modified', page.lastModified.toUTCString());
      if (notModified(request, etag)) return reply.code(304).send(null);
      return { dataset: page.dataset, version: page.version, fields: page.fields, records: page.records, next: page.next };
    },
  );

  app.get(
    '/api/open/v1/datasets/:id/export.:format',
    {
      schema: {
        tags,
        summary: 'The whole dataset as CSV (bom=true for Excel), JSON, XLSX or GeoJSON, streamed',
        params: Type.Object({ id: Id.properties.id, format: Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('geojson')]) }),
        querystring: Type.Object({ bom: Type.Optional(Type.Boolean()), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Type.Unknown({ description: 'The file' }), 304: Type.Null(), ...problemResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const admission = await admit(access, request, reply);
      const result = await service.exportRows(await getPrincipal(request), admission, request.params.id, request.params.format as ExportFormat, request.query);
      access.count(admission, request.params.id, 'download');
      void reply.header('etag', result.etag).header('content-type', result.mediaType).header('content-disposition', `attachment; filename="${result.fileName}"`);
      if (result.lastModified) void reply.header('last-modified', result.lastModified.toUTCString());
      if (notModified(request, result.etag)) {
        result.stream.destroy();
        return reply.code(304).send(null);
      }
      return reply.send(result.stream);
    },
  );

  app.get('/api/open/v1/organizations', { schema: { tags, summary: 'Publishing organisations with dataset counts' } }, async () => service.organizations());
  app.get('/api/open/v1/themes', { schema: { tags, summary: 'Themes with dataset counts' } }, async () => service.themes());
  app.get('/api/open/v1/tags', { schema: { tags, summary: 'Tags with dataset counts' } }, async () => service.tags());
  app.get('/api/open/v1/licences', { schema: { tags, summary: 'Licences datasets are published under' } }, async () => LICENCES);

  // -------------------------------------------------------------- developer keys
  app.post(
    '/api/open/v1/keys',
    {
      schema: {
        tags,
        summary: 'Create an API key for yourself (the secret is shown once)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: Type.Intersect([Key, Type.Object({ key: Type.String() })]), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createKey(await getPrincipal(request), request.body.name, request.id)),
  );
  app.get('/api/open/v1/keys', { schema: { tags, summary: 'Your API keys with today\'s use', response: { 200: Type.Array(Key), ...problemResponses(401, 403) } } }, async (request) => service.listKeys(await getPrincipal(request)));
  app.get(
    '/api/open/v1/keys/:id/usage',
    { schema: { tags, summary: 'A key\'s use per day and dataset', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), response: { 200: Type.Array(Type.Object({ day: Type.String(), dataset: Type.String(), calls: Type.Integer(), downloads: Type.Integer() })), ...problemResponses(401, 403, 404) } } },
    async (request) => service.keyUsage(await getPrincipal(request), request.params.id),
  );
  app.delete(
    '/api/open/v1/keys/:id',
    { schema: { tags, summary: 'Revoke one of your keys (refused on its next call)', params: Type.Object({ id: Type.String({ maxLength: 40 }) }), response: { 200: Key, ...problemResponses(401, 403, 404) } } },
    async (request) => service.revokeKey(await getPrincipal(request), request.params.id, request.id),
  );

  // -------------------------------------------------------------- publishing
  const manage = ['open data: publishing'];
  app.get('/api/open/manage/datasets', { schema: { tags: manage, summary: 'My department\'s datasets in every state (all, for reviewers)', response: { 200: Type.Array(Dataset), ...problemResponses(401, 403) } } }, async (request) =>
    service.manageList(await getPrincipal(request)),
  );
  app.post(
    '/api/open/manage/datasets',
    {
      schema: {
        tags: manage,
        summary: 'Derive a draft version from a catalogue resource (aggregated or selected; personal data refused)',
        body: PublishFromResourceBody,
        response: { 201: Type.Object({ dataset: Dataset, version: DatasetVersion }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.publishFromResource(await getPrincipal(request), request.body, request.id)),
  );
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser(UPLOAD_TYPES, { bodyLimit: UPLOAD_LIMIT }, (_request, payload, done) => done(null, payload));
    scope.post(
      '/api/open/manage/uploads',
      {
        schema: {
          tags: manage,
          summary: 'Upload a file (CSV in UTF-8/GBK/GB18030, XLSX, NDJSON, JSON, GeoJSON) as a draft version',
          querystring: Type.Object({
            fileName: Type.String({ minLength: 1, maxLength: 255 }),
            changelog: Type.String({ minLength: 2, maxLength: 2000 }),
            meta: Type.String({ minLength: 2, maxLength: 20_000, description: 'The dataset\'s metadata (DatasetMeta) as JSON' }),
          }),
          response: { 201: Type.Object({ dataset: Dataset, version: DatasetVersion }), ...problemResponses(400, 401, 403, 409, 415) },
        },
        bodyLimit: UPLOAD_LIMIT,
      },
      async (request, reply) => {
        let meta: unknown;
        try {
          meta = JSON.parse(request.query.meta);
        } catch {
          throw Problem.validation(odMessage('od.metaNotJson'), [{ field: '/querystring/meta', message: odMessage('od.notJson') }]);
        }
        // JSON's escapes can make what the query could not hold: a NUL, a lone surrogate.
        const unstorable = findUnstorable(meta, '/querystring/meta');
        if (unstorable !== null) throw unstorableText(unstorable);
        if (!metaCheck.Check(meta)) {
          const first = [...metaCheck.Errors(meta)][0];
          // The schema's words are TypeBox's (English), as schema validation's are everywhere.
          const path = first?.instancePath ?? '';
          const error = first?.message ?? 'invalid';
          throw Problem.validation(odMessage('od.metaInvalid', { path, error }), [{ field: `/querystring/meta${path}`, message: error }]);
        }
        const result = await service.publishUpload(
          await getPrincipal(request),
          { meta, input: request.body as Readable, fileName: request.query.fileName, contentType: request.headers['content-type'], changelog: request.query.changelog },
          request.id,
        );
        return reply.code(201).send(result);
      },
    );
  });
  app.post(
    '/api/open/manage/datasets/:id/versions/:version/submit',
    { schema: { tags: manage, summary: 'Send a draft version for review', params: IdVersion, response: { 200: DatasetVersion, ...problemResponses(401, 403, 404, 409) } } },
    async (request) => service.submit(await getPrincipal(request), request.params.id, request.params.version, request.id),
  );
  app.post(
    '/api/open/manage/datasets/:id/versions/:version/review',
    { schema: { tags: manage, summary: 'Publish or reject a version in review', params: IdVersion, body: ReviewBody, response: { 200: DatasetVersion, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request) => service.review(await getPrincipal(request), request.params.id, request.params.version, request.body, request.id),
  );
  app.get(
    '/api/open/manage/reviews',
    { schema: { tags: manage, summary: 'Versions waiting for review', response: { 200: Type.Array(Type.Object({ dataset: Dataset, version: DatasetVersion })), ...problemResponses(401, 403) } } },
    async (request) => service.reviewQueue(await getPrincipal(request)),
  );
  app.post(
    '/api/open/manage/datasets/:id/withdraw',
    { schema: { tags: manage, summary: 'Take a dataset off the portal', params: Id, body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: Dataset, ...problemResponses(401, 403, 404) } } },
    async (request) => service.withdraw(await getPrincipal(request), request.params.id, request.body.reason, request.id),
  );
}
