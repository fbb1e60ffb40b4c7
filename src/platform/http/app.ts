import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { installAuthentication } from '../access/authenticate';
import { requestLang } from './lang';
import { httpMessage } from './messages';
import { Problem, PROBLEM_TYPES } from './problem';
import { ProblemSchema, type ProblemBody } from './problem-schema';
import { schemaFieldProblems } from './schema-errors';
import { completeRouteSchema } from './route-schemas';
import { refuseUnstorableText } from './storable-text';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived (set first thing, in onRequest). */
    receivedAt: Date | null;
  }
}

/** The Fastify instance Ludao's modules register routes on (TypeBox schemas give the types). */
export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Options of the HTTP app. */
export interface HttpAppOptions {
  bodyLimit: number;
  logLevel: string;
  /** Answers /health/ready: true once migrations ran and the database answers. */
  isReady: () => Promise<boolean>;
  version: string;
}

/** The longest path parameter the router passes on (schemas set each one's own, lower, limit). */
const MAX_PARAM_LENGTH = 1000;
/** The most bytes of request line and headers Node's parser takes (its default is 16 KiB). */
const MAX_HEADER_BYTES = 192 * 1024;

// A raw HTTP response with a problem, for a request Node's parser refused.
function clientErrorResponse(code: string | undefined): string {
  const problem =
    code === 'HPE_HEADER_OVERFLOW'
      ? new Problem(431, PROBLEM_TYPES.badRequest, httpMessage('http.title.headersTooLarge'), httpMessage('http.headersTooLarge', { limit: MAX_HEADER_BYTES }))
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new Problem(408, PROBLEM_TYPES.badRequest, httpMessage('http.title.timeout'), httpMessage('http.timeout'))
        : new Problem(400, PROBLEM_TYPES.badRequest, httpMessage('http.title.badRequest'), httpMessage('http.unreadable'));
  const words = problem.render('zh-CN');
  const body = JSON.stringify({ type: problem.type, title: words.title, status: problem.status, detail: words.detail, code: words.code });
  return `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Builds the HTTP app: request ids, strict validation (bodies are never coerced and unknown
 * fields are refused), RFC 9457 errors, OpenAPI 3.1 at /api/openapi.json with a browsable
 * page at /api/docs, and the health routes. Modules then register their routes.
 *
 * @example
 * const app = await createHttpApp({ bodyLimit: 1 << 20, logLevel: 'info', isReady, version });
 * await app.register(identityRoutes, { prefix: '/api' });
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    logger: { level: options.logLevel },
    bodyLimit: options.bodyLimit,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    },
    logController: new LogController({ disableRequestLogging: options.logLevel !== 'debug' && options.logLevel !== 'trace' }),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
    // Longer than any path parameter's schema allows, so the schema names the parameter (400).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Room for the longest query a route declares (an upload's metadata, percent-encoded).
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    // What Node's HTTP parser refuses (headers too large, a malformed request) never reaches
    // Fastify: answered here as a problem, in Chinese (no request to read a language from).
    clientErrorHandler: (error, socket) => {
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse((error as NodeJS.ErrnoException).code));
      socket.destroy(error);
    },
    // A path the router cannot decode, or a parameter longer still: problems like any other.
    frameworkErrors: (error, request, reply) => {
      const where = request.url.split('?')[0] ?? '/';
      const problem =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new Problem(414, PROBLEM_TYPES.uriTooLong, httpMessage('http.title.uriTooLong'), httpMessage('http.paramTooLong', { limit: MAX_PARAM_LENGTH }))
          : new Problem(400, PROBLEM_TYPES.badRequest, httpMessage('http.title.badRequest'), httpMessage('http.badUrl', { path: where.slice(0, 200) }));
      void sendProblem(request, reply, problem);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies: no coercion ("12" is not an integer), every error reported. Query, params and
  // headers arrive as text, so there the coercion of the default compiler stays.
  const strict = addFormats(new Ajv({ coerceTypes: false, removeAdditional: false, allErrors: true, useDefaults: true, strict: false }));
  const lenient = addFormats(new Ajv({ coerceTypes: 'array', removeAdditional: false, allErrors: true, useDefaults: true, strict: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));

  // Before any route is added: bounds for the numbers a request carries, and the problems every
  // route may answer with, for validation and for the OpenAPI document.
  app.addHook('onRoute', completeRouteSchema);

  // When the request arrived, before parsing and authentication: evidence logs record it.
  app.decorateRequest('receivedAt', null);
  app.addHook('onRequest', async (request, reply) => {
    request.receivedAt = new Date();
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  installAuthentication(app);
  app.addHook('preValidation', refuseUnstorableText);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ludao (鹭岛) API',
        version: options.version,
        description: 'The city data platform: identity, data centre, exchange, sandbox, open data and citizen services. Errors are RFC 9457 problem details.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ludao_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'A department system\'s API key (ldk_…)' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler((error: FastifyError | Problem, request, reply) => sendProblem(request, reply, toProblem(error, request)));
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, Problem.notFound(httpMessage('http.noRoute', { method: request.method, path: request.url.split('?')[0] ?? '/' }))));

  const Health = Type.Object({ status: Type.String() });
  app.get('/health/live', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({ status: 'live' }));
  app.get('/health/ready', { schema: { tags: ['health'], response: { 200: Health, 503: ProblemSchema } } }, async (request, reply) => {
    if (await options.isReady()) return { status: 'ready' };
    return sendProblem(request, reply, new Problem(503, PROBLEM_TYPES.notReady, httpMessage('http.title.notReady'), httpMessage('http.notReady')));
  });

  return app;
}

/**
 * Serves the built web app from `distDir`, with index.html for any path that is not an API
 * or health route (the web app routes in the browser).
 */
export async function serveWebApp(app: HttpApp, distDir: string): Promise<boolean> {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) return false;
  await app.register(fastifyStatic, { root: distDir, wildcard: false, index: false });
  // A catch-all GET route rather than a second not-found handler (createHttpApp has set the one
  // Fastify allows); other methods still reach that handler's 404 problem.
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || url.startsWith('/health/') || path.extname(url)) {
      return sendProblem(request, reply, Problem.notFound(httpMessage('http.noRoute', { method: request.method, path: url })));
    }
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return true;
}

/**
 * The problem an error stands for, as the error handler sends it: a route that takes its
 * validation errors itself (`attachValidation`) turns `request.validationError` into the same 400.
 */
export function toProblem(error: FastifyError | Problem, request: FastifyRequest): Problem {
  if (error instanceof Problem) return error;
  const e = error as FastifyError & { validation?: ErrorObject[]; validationContext?: string };
  if (e.validation) {
    const errors = schemaFieldProblems(e.validation, e.validationContext ?? 'body');
    // Without a detail, the problem lists its fields as its detail, in the reader's words.
    return Problem.validation(errors.length > 0 ? undefined : httpMessage('http.invalid'), errors);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      // Fastify's own words ("Body is not valid JSON but content-type is set to …") say no more.
      return new Problem(400, PROBLEM_TYPES.malformed, httpMessage('http.title.malformed'), httpMessage('http.notJson'), [{ field: '/body', message: httpMessage(e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'http.field.emptyBody' : 'http.field.notJson') }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, PROBLEM_TYPES.tooLarge, httpMessage('http.title.tooLarge'), httpMessage('http.tooLarge', { limit: request.routeOptions.bodyLimit ?? '?' }));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, PROBLEM_TYPES.unsupportedMedia, httpMessage('http.title.unsupportedMedia'), httpMessage('http.mediaType', { sent: request.headers['content-type'] ?? '-' }));
  }
  if (e instanceof SyntaxError) {
    return new Problem(400, PROBLEM_TYPES.malformed, httpMessage('http.title.malformed'), httpMessage('http.notJson'));
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new Problem(e.statusCode, PROBLEM_TYPES.validation, httpMessage('http.title.badRequest'), e.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return new Problem(500, PROBLEM_TYPES.internal, httpMessage('http.title.internal'), httpMessage('http.internal'));
}

/** Sends a problem as `application/problem+json`. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  // In the reader's words where the problem holds messages (ADR 0020), else as written.
  const words = problem.render(requestLang(request));
  const body: ProblemBody = {
    type: problem.type,
    title: words.title,
    status: problem.status,
    ...(words.detail ? { detail: words.detail } : {}),
    ...(words.code ? { code: words.code } : {}),
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(words.errors ? { errors: words.errors } : {}),
  };
  if (problem.headers) reply.headers(problem.headers);
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/** Response schemas for the errors a route can give, for OpenAPI. */
export function problemResponses(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}
