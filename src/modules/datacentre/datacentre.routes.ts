import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getPrincipal } from '../../platform/access';
import { problemResponses, requestLang, type HttpApp } from '../../platform/http';
import { LANGS } from '../../platform/i18n';
import { Batch, BatchError, FieldSpec, PushBatchBody, Resource, ResourceSpec, ResourceStats, StoredRecord } from './datacentre.contract';
import type { DatacentreService } from './datacentre.service';

const Code = Type.Object({ code: Type.String({ maxLength: 80 }) });
const CodeKey = Type.Object({ code: Type.String({ maxLength: 80 }), key: Type.String({ minLength: 1, maxLength: 500 }) });
const BatchOut = Type.Object({ batch: Batch, replayed: Type.Boolean() });
const UPLOAD_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];
/** Uploads stream to the database as they arrive; this only bounds one request. */
const UPLOAD_LIMIT = 8 * 1024 * 1024 * 1024;

/**
 * The data centre API under /api/dc: the catalogue, records and their history, subjects,
 * ingestion by API push and by file upload, batches and the dashboard figures.
 */
export function registerDatacentreRoutes(app: HttpApp, service: DatacentreService): void {
  const tags = ['datacentre'];

  app.get(
    '/api/dc/figures',
    {
      schema: {
        tags,
        summary: 'The data centre in figures: domains, resources, records, updates this month',
        response: {
          200: Type.Object({
            domains: Type.Integer(),
            resources: Type.Integer(),
            baseRegistries: Type.Integer(),
            fields: Type.Integer(),
            records: Type.Integer(),
            updatesThisMonth: Type.Integer(),
            batchesApplied: Type.Integer(),
            lastUpdate: Type.Union([Type.String(), Type.Null()]),
            byDomain: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), resources: Type.Integer(), records: Type.Integer() })),
            monthly: Type.Array(Type.Object({ month: Type.String(), updates: Type.Integer() })),
          }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => service.figures(await getPrincipal(request)),
  );

  app.get(
    '/api/dc/domains',
    { schema: { tags, summary: 'Domains of the catalogue', response: { 200: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), resources: Type.Integer() })), ...problemResponses(401, 403) } } },
    async (request) => service.listDomains(await getPrincipal(request)),
  );

  app.get(
    '/api/dc/resources',
    {
      schema: {
        tags,
        summary: 'Search the catalogue (Chinese or English words; by domain or provider)',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          domain: Type.Optional(Type.String({ maxLength: 50 })),
          provider: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Resource) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => service.searchResources(await getPrincipal(request), request.query),
  );

  app.post(
    '/api/dc/resources',
    { schema: { tags, summary: 'Define a resource (creates its record table)', body: ResourceSpec, response: { 201: Resource, ...problemResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await service.defineResource(await getPrincipal(request), request.body)),
  );

  app.get(
    '/api/dc/resources/:code',
    { schema: { tags, summary: 'A resource and its current schema', params: Code, response: { 200: Resource, ...problemResponses(401, 403, 404) } } },
    async (request) => service.getResource(await getPrincipal(request), request.params.code),
  );

  app.get(
    '/api/dc/resources/:code/versions',
    {
      schema: {
        tags,
        summary: 'Every schema version of a resource',
        params: Code,
        response: { 200: Type.Array(Type.Object({ version: Type.Integer(), fields: Type.Array(FieldSpec), change: Type.String(), createdAt: Type.String() })), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => service.listVersions(await getPrincipal(request), request.params.code),
  );

  app.post(
    '/api/dc/resources/:code/versions',
    {
      schema: {
        tags,
        summary: 'A new schema version: add fields or deprecate them (history is kept)',
        params: Code,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 500 }), add: Type.Optional(Type.Array(FieldSpec, { maxItems: 100 })), deprecate: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })) },
          { additionalProperties: false },
        ),
        response: { 201: Resource, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.evolveResource(await getPrincipal(request), request.params.code, request.body)),
  );

  app.get(
    '/api/dc/resources/:code/stats',
    { schema: { tags, summary: "A resource's records, updates and rejected-row rate", params: Code, response: { 200: ResourceStats, ...problemResponses(401, 403, 404) } } },
    async (request) => service.resourceStats(await getPrincipal(request), request.params.code),
  );

  app.get(
    '/api/dc/resources/:code/records',
    {
      schema: {
        tags,
        summary: 'Current records in key order (sensitive fields masked unless you provide them)',
        params: Code,
        querystring: Type.Object({ after: Type.Optional(Type.String({ maxLength: 500 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Object({ items: Type.Array(StoredRecord), next: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => service.listRecords(await getPrincipal(request), request.params.code, request.query),
  );

  app.get(
    '/api/dc/resources/:code/records/:key',
    { schema: { tags, summary: 'The current version of a record', params: CodeKey, response: { 200: StoredRecord, ...problemResponses(401, 403, 404) } } },
    async (request) => service.getRecord(await getPrincipal(request), request.params.code, request.params.key, request.id),
  );

  app.get(
    '/api/dc/resources/:code/records/:key/history',
    { schema: { tags, summary: 'Every version of a record, deletions included', params: CodeKey, response: { 200: Type.Array(StoredRecord), ...problemResponses(401, 403, 404) } } },
    async (request) => service.recordHistory(await getPrincipal(request), request.params.code, request.params.key),
  );

  app.get(
    '/api/dc/subjects/:subject',
    {
      schema: {
        tags,
        summary: 'All current data about a person, legal person or place, across the resources you may read',
        params: Type.Object({ subject: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Array(Type.Object({ resource: Type.String(), name: Type.String(), records: Type.Array(StoredRecord) })), ...problemResponses(401, 403) },
      },
    },
    async (request) => service.subjectRecords(await getPrincipal(request), request.params.subject, request.id),
  );

  app.post(
    '/api/dc/resources/:code/batches',
    {
      // Each row is validated on its own: a NUL in one is that row's error, not the batch's.
      config: { ownTextCheck: ['/body/records'] },
      schema: {
        tags,
        summary: 'Push a batch of records (upsert or delete), idempotent by key; applied whole or not at all',
        params: Code,
        body: PushBatchBody,
        response: { 200: BatchOut, 201: BatchOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
      bodyLimit: 32 * 1024 * 1024,
    },
    async (request, reply) => {
      const outcome = await service.pushBatch(await getPrincipal(request), request.params.code, request.body, requestLang(request));
      return reply.code(outcome.replayed ? 200 : 201).send(outcome);
    },
  );

  // File uploads stream straight from the socket into the batch: their own content types.
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(UPLOAD_TYPES, { bodyLimit: UPLOAD_LIMIT }, (_request, payload, done) => done(null, payload));
    scope.post(
      '/api/dc/resources/:code/uploads',
      {
        schema: {
          tags,
          summary: 'Upload a file (CSV in UTF-8/GBK/GB18030, NDJSON, XLSX) as one batch; streamed in constant memory',
          params: Code,
          querystring: Type.Object({
            idempotencyKey: Type.String({ minLength: 1, maxLength: 200 }),
            fileName: Type.String({ minLength: 1, maxLength: 255 }),
            operation: Type.Optional(Type.Union([Type.Literal('upsert'), Type.Literal('delete')])),
            onInvalid: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('reject')])),
          }),
          response: { 200: BatchOut, 201: BatchOut, ...problemResponses(400, 401, 403, 404, 409, 415) },
        },
        bodyLimit: UPLOAD_LIMIT,
      },
      async (request, reply) => {
        const outcome = await service.importFile(await getPrincipal(request), {
          code: request.params.code,
          input: request.body as Readable,
          fileName: request.query.fileName,
          contentType: request.headers['content-type'],
          idempotencyKey: request.query.idempotencyKey,
          operation: request.query.operation ?? 'upsert',
          onInvalid: request.query.onInvalid ?? 'skip',
          source: 'upload',
          lang: requestLang(request),
        });
        return reply.code(outcome.replayed ? 200 : 201).send(outcome);
      },
    );
  });

  app.get(
    '/api/dc/batches',
    {
      schema: {
        tags,
        summary: 'Recent batches (yours, or all for operators)',
        querystring: Type.Object({ resource: Type.Optional(Type.String({ maxLength: 80 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Array(Batch), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => service.listBatches(await getPrincipal(request), request.query, requestLang(request)),
  );

  app.get(
    '/api/dc/batches/:id',
    { schema: { tags, summary: 'A batch: status, progress and figures', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 200: Batch, ...problemResponses(401, 403, 404) } } },
    async (request) => service.getBatch(await getPrincipal(request), request.params.id, requestLang(request)),
  );

  app.get(
    '/api/dc/batches/:id/errors',
    {
      schema: {
        tags,
        summary: 'Rejected rows of a batch (JSON, or CSV with ?format=csv), the reasons in ?lang= or the Accept-Language',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          lang: Type.Optional(Type.Union(LANGS.map((l) => Type.Literal(l)))),
        }),
        response: { 200: Type.Array(BatchError), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const lang = requestLang(request);
      const errors = await service.batchErrors(await getPrincipal(request), request.params.id, {}, lang);
      if (request.query.format !== 'csv') return errors;
      const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const body = '\uFEFF' + [lang === 'en' ? 'row,field,reason' : '行号,字段,原因', ...errors.map((e) => `${e.rowNumber},${quote(e.field)},${quote(e.reason)}`)].join('\r\n') + '\r\n';
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="batch-${request.params.id}-errors.csv"`)
        .serializer((payload: unknown) => payload as string)
        .send(body as unknown as typeof errors);
    },
  );
}
