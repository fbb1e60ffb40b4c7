import { connect, type AddressInfo } from 'node:net';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, problemResponses, type HttpApp } from './app';
import { Problem } from './problem';

describe('http app', () => {
  let app: HttpApp;
  let ready = false;
  const stored: unknown[] = [];

  beforeAll(async () => {
    app = await createHttpApp({ bodyLimit: 1024, logLevel: 'silent', version: '0.0.0-test', isReady: async () => ready });
    app.post(
      '/api/things',
      {
        schema: {
          body: Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
          response: { 201: Type.Object({ name: Type.String() }), ...problemResponses(400, 409) },
        },
      },
      async (request, reply) => {
        if (request.body.name === 'taken') throw Problem.conflict('A thing named "taken" exists');
        stored.push(request.body);
        return reply.code(201).send({ name: request.body.name, secret: 'never serialised' } as { name: string });
      },
    );
    app.get(
      '/api/things/:name',
      {
        schema: {
          params: Type.Object({ name: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0 })), near: Type.Optional(Type.Number()), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])) }),
        },
      },
      async (request) => ({ name: request.params.name, offset: request.query.offset ?? 0 }),
    );
    app.get('/api/boom', async () => {
      throw new Error('database password is hunter2');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.inject({ method: 'POST', url: '/api/things', payload, headers });

  it('accepts a valid body and serialises only the response schema’s fields', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 1 }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ name: 'a' });
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await post('{"name": "a",');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:malformed-body', status: 400 });
  });

  it('names the field with the wrong type, and does not coerce it', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: '3' }));
    expect(res.statusCode).toBe(400);
    // The rule in words a form's reader knows, in Chinese unless the reader asks for English.
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:validation', title: '请求无效', detail: '/body/count: 应为整数' });
    expect(res.json().errors).toEqual([{ field: '/body/count', message: '应为整数', code: 'schema.type' }]);
    const en = await post(JSON.stringify({ name: 'a', count: '3' }), { 'content-type': 'application/json', 'accept-language': 'en' });
    expect(en.json()).toMatchObject({ title: 'Invalid request', detail: '/body/count: must be a whole number', errors: [{ field: '/body/count', message: 'must be a whole number', code: 'schema.type' }] });
  });

  it('names unknown and missing fields', async () => {
    const res = await post(JSON.stringify({ name: 'a', colour: 'red' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { field: '/body/colour', message: '不是已知字段', code: 'http.field.unknown' },
        { field: '/body/count', message: '必填', code: 'http.field.required' },
      ]),
    );
    const en = await post(JSON.stringify({ name: 'a', colour: 'red' }), { 'content-type': 'application/json', 'accept-language': 'en' });
    expect(en.json().errors).toEqual(
      expect.arrayContaining([
        { field: '/body/colour', message: 'is not a known field', code: 'http.field.unknown' },
        { field: '/body/count', message: 'is required', code: 'http.field.required' },
      ]),
    );
  });

  it('answers an oversize body with 413', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(2000), count: 1 }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:body-too-large', status: 413 });
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await post('name=a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
  });

  it('stores nothing from rejected requests', async () => {
    const before = stored.length;
    await post(JSON.stringify({ name: 'taken', count: 1 }));
    await post(JSON.stringify({ name: '', count: 1 }));
    expect(stored.length).toBe(before);
  });

  it('presents a service Problem with its status and type, its title in the reader’s language', async () => {
    const res = await post(JSON.stringify({ name: 'taken', count: 1 }), { 'content-type': 'application/json', 'accept-language': 'en-US,en;q=0.9' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:conflict', title: 'Conflict', detail: 'A thing named "taken" exists', instance: '/api/things' });
    // Chinese by default; a detail the service wrote as text stays as written.
    expect((await post(JSON.stringify({ name: 'taken', count: 1 }))).json()).toMatchObject({ title: '冲突', detail: 'A thing named "taken" exists' });
  });

  it('words the platform’s own details in the reader’s language, with their code', async () => {
    const zh = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(zh.json()).toMatchObject({ title: '未找到', detail: '没有 GET /api/nothing-here 这一接口', code: 'http.noRoute' });
    const en = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { 'accept-language': 'en' } });
    expect(en.json()).toMatchObject({ title: 'Not found', detail: 'No route GET /api/nothing-here', code: 'http.noRoute' });
    const malformed = await post('{"name": "x",', { 'content-type': 'application/json', 'accept-language': 'zh-CN' });
    expect(malformed.json()).toMatchObject({ title: '请求体格式错误', detail: '请求体不是有效的 JSON' });
    expect(malformed.json().errors).toEqual([{ field: '/body', message: '不是有效的 JSON', code: 'http.field.notJson' }]);
  });

  it('refuses text the database cannot hold (NUL, a lone surrogate) anywhere in a request, naming where', async () => {
    const before = stored.length;
    const nul = await post(JSON.stringify({ name: 'a\u0000b', count: 1 }));
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ type: 'urn:ludao:problem:validation', code: 'http.unstorable', errors: [{ field: '/body/name', code: 'http.field.unstorable' }] });
    expect(nul.json().detail).toBe('/body/name 含有无法保存的字符（空字符 U+0000 或不成对的代理项）');
    // JSON's escape of half a surrogate pair is not a character; the key of an object is text too.
    const lone = await post('{"name": "a\\ud800b", "count": 1}');
    expect(lone.json()).toMatchObject({ status: 400, errors: [{ field: '/body/name' }] });
    const key = await post('{"name": "a", "count": 1, "x\\u0000": 1}');
    expect(key.json().errors).toEqual([expect.objectContaining({ field: '/body/x\u0000' })]);
    expect(stored.length).toBe(before);
    // A whole pair is a character like any other.
    expect((await post(JSON.stringify({ name: '𠀋', count: 1 }))).statusCode).toBe(201);
    const inPath = await app.inject({ method: 'GET', url: '/api/things/a%00b', headers: { 'accept-language': 'en' } });
    expect(inPath.json()).toMatchObject({ status: 400, detail: '/params/name contains a character that cannot be stored (U+0000 or a lone surrogate)' });
    const inQuery = await app.inject({ method: 'GET', url: '/api/things/a?offset=1&x=%00' });
    expect(inQuery.json()).toMatchObject({ status: 400, errors: [{ field: '/querystring/x' }] });
  });

  it('bounds every number a request carries, so the schema refuses what the database would fail on', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/things/a?offset=2147483647' })).json()).toEqual({ name: 'a', offset: 2147483647 });
    const huge = await app.inject({ method: 'GET', url: '/api/things/a?offset=99999999999999999999999' });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().errors).toEqual([{ field: '/querystring/offset', message: '不能大于 2147483647', code: 'schema.maximum' }]);
    // 1e309 is Infinity, which Ajv's integer and number types would otherwise let through.
    expect((await app.inject({ method: 'GET', url: '/api/things/a?near=1e309' })).json().errors).toEqual([expect.objectContaining({ field: '/querystring/near', code: 'schema.maximum' })]);
    expect((await post('{"name": "a", "count": 1e309}')).statusCode).toBe(400);
  });

  it('names the values a field takes when it is none of them, once', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/things/a?status=ajar' });
    expect(res.json().errors).toEqual([{ field: '/querystring/status', message: '应为以下之一：open, closed', code: 'schema.enum' }]);
    const en = await app.inject({ method: 'GET', url: '/api/things/a?status=ajar', headers: { 'accept-language': 'en' } });
    expect(en.json().detail).toBe('/querystring/status: must be one of: open, closed');
  });

  it('answers a path the router cannot read as problem+json, in the reader’s language', async () => {
    const badUrl = await app.inject({ method: 'GET', url: '/api/things/%FF%FE' });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badUrl.json()).toMatchObject({ title: '错误请求', code: 'http.badUrl' });
    const long = await app.inject({ method: 'GET', url: `/api/things/${'a'.repeat(1001)}`, headers: { 'accept-language': 'en' } });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ type: 'urn:ludao:problem:uri-too-long', title: 'URI too long', code: 'http.paramTooLong' });
    // Under the router's limit, the route's own schema names the parameter.
    const overSchema = await app.inject({ method: 'GET', url: `/api/things/${'a'.repeat(41)}` });
    expect(overSchema.json()).toMatchObject({ status: 400, errors: [{ field: '/params/name', message: '最多 40 个字符', code: 'schema.maxLength' }] });
    const overSchemaEn = await app.inject({ method: 'GET', url: `/api/things/${'a'.repeat(41)}`, headers: { 'accept-language': 'en' } });
    expect(overSchemaEn.json().errors).toEqual([{ field: '/params/name', message: 'must be at most 40 characters long', code: 'schema.maxLength' }]);
  });

  it('answers what Node’s HTTP parser refuses (headers too large, a garbled request) as problem+json', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    // A query as long as an upload's metadata may be still reaches the route.
    const long = await raw(`GET /api/things/a?x=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(long).toMatch(/^HTTP\/1.1 200 /);
    const tooLarge = await raw(`GET /api/things/a?x=${'a'.repeat(200_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(tooLarge).toMatch(/^HTTP\/1.1 431 /);
    expect(tooLarge).toContain('Content-Type: application/problem+json');
    expect(bodyOf(tooLarge)).toMatchObject({ status: 431, title: '请求头过大', code: 'http.headersTooLarge' });
    const garbled = await raw('NOT A REQUEST\r\n\r\n');
    expect(garbled).toMatch(/^HTTP\/1.1 400 /);
    expect(bodyOf(garbled)).toMatchObject({ type: 'urn:ludao:problem:bad-request', status: 400, code: 'http.unreadable' });
  });

  it('hides the text of unexpected errors', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:internal', requestId: res.headers['x-request-id'] });
  });

  it('gives every response a request id, keeping a sane one the client sent', async () => {
    const a = await app.inject({ method: 'GET', url: '/health/live' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const b = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'trace-42' } });
    expect(b.headers['x-request-id']).toBe('trace-42');
    const c = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id\nwith newline' } });
    // Replaced by a fresh id (a UUID may itself contain the letters b, a, d: compare the shape).
    expect(c.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:not-found', status: 404 });
  });

  it('is live at once and ready only when told', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const notReady = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ type: 'urn:ludao:problem:not-ready' });
    ready = true;
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({ status: 'ready' });
  });

  it('publishes OpenAPI 3.1 and a browsable page', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.paths['/api/things'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'count']);
    // The problems every route may give are listed, beside those the route named.
    expect(Object.keys(spec.paths['/api/things'].post.responses).sort()).toEqual(['201', '400', '409', '413', '415']);
    expect(Object.keys(spec.paths['/api/things/{name}'].get.responses)).toEqual(['400', '414']);
    expect(spec.paths['/api/things/{name}'].get.parameters.find((p: { name: string }) => p.name === 'offset').schema).toMatchObject({ minimum: 0, maximum: 2147483647 });
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
  });
});
