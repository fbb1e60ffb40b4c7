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
    // Ajv's rule, worded in Chinese by ajv-i18n unless the reader asks for English.
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:validation', title: '请求无效', detail: '/body/count: 应当是 integer 类型' });
    expect(res.json().errors).toEqual([{ field: '/body/count', message: '应当是 integer 类型', code: 'schema.type' }]);
    const en = await post(JSON.stringify({ name: 'a', count: '3' }), { 'content-type': 'application/json', 'accept-language': 'en' });
    expect(en.json()).toMatchObject({ title: 'Invalid request', detail: '/body/count: must be integer', errors: [{ field: '/body/count', message: 'must be integer', code: 'schema.type' }] });
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
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
  });
});
