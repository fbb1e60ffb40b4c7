import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLudao } from '../../app';
import { openDatabase } from '../../platform/db/database';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';
import { DEMO_PASSWORD, DEMO_USERS } from './identity.seed';

describe('identity over HTTP', () => {
  let ludao: TestLudao;
  beforeAll(async () => {
    ludao = await startTestLudao();
  });
  afterAll(() => ludao.close());

  const inject = (opts: InjectOptions) => ludao.app.inject(opts);
  const countRows = async (table: string) =>
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(ludao.ctx.db)).rows[0]!.n;

  it('seeds one demo account per role, each able to sign in and see its areas', async () => {
    const roles = new Set(DEMO_USERS.flatMap((u) => u.roles));
    expect(roles.size).toBeGreaterThanOrEqual(12);
    const cookie = await signIn(ludao, 'operator', DEMO_PASSWORD);
    const me = await inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'operator', displayName: '林运维', roles: ['operator'], org: { code: 'xm.ic', name: '厦门市信息中心' } });
    expect(me.json().areas).toContain('operator');

    const citizen = await inject({ method: 'GET', url: '/api/me', headers: { cookie: await signIn(ludao, 'citizen', DEMO_PASSWORD) } });
    expect(citizen.json().areas).toEqual(['citizen', 'open-data']);
  });

  it('sets an httpOnly session cookie and ends it on logout', async () => {
    const res = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'hrss.staff', password: DEMO_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'ludao_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const header = `ludao_session=${cookie.value}`;
    expect((await inject({ method: 'GET', url: '/api/me', headers: { cookie: header } })).statusCode).toBe(200);
    expect((await inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: header } })).statusCode).toBe(204);
    const after = await inject({ method: 'GET', url: '/api/me', headers: { cookie: header } });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toMatch(/problem\+json/);
  });

  it('says the same thing for an unknown user and a wrong password', async () => {
    const wrongPassword = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'auditor', password: 'nope-nope' }, remoteAddress: '10.0.0.2' });
    const unknownUser = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'nope-nope' }, remoteAddress: '10.0.0.2' });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrongPassword.json())).toEqual(strip(unknownUser.json()));
    expect(wrongPassword.cookies).toHaveLength(0);
    // In the reader's language: Chinese unless asked otherwise.
    expect(wrongPassword.json()).toMatchObject({ title: '未认证', detail: '用户名或密码不正确', code: 'id.loginFailed' });
    const english = await inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en' }, payload: { username: 'nobody', password: 'nope-nope' }, remoteAddress: '10.0.0.3' });
    expect(english.json()).toMatchObject({ title: 'Not authenticated', detail: 'The username or password is incorrect', code: 'id.loginFailed' });
  });

  it('holds an account after five failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'community', password: `wrong-${i}` }, remoteAddress: `10.1.0.${i}` });
      expect(r.statusCode).toBe(401);
    }
    const held = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'community', password: DEMO_PASSWORD }, remoteAddress: '10.1.1.1' });
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toBe('60');
    expect(held.json()).toMatchObject({ type: 'urn:ludao:problem:rate-limited' });
  });

  it('holds an address that fails across many accounts, but not other addresses', async () => {
    for (let i = 0; i < 30; i++) {
      await inject({ method: 'POST', url: '/api/auth/login', payload: { username: `guess${i}`, password: 'x' }, remoteAddress: '10.9.9.9' });
    }
    const fromThere = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'property', password: DEMO_PASSWORD }, remoteAddress: '10.9.9.9' });
    expect(fromThere.statusCode).toBe(429);
    const fromElsewhere = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'property', password: DEMO_PASSWORD }, remoteAddress: '10.9.9.10' });
    expect(fromElsewhere.statusCode).toBe(200);
  });

  it('refuses a login body with wrong types or unknown fields, naming the field', async () => {
    const wrongType = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 123, password: 'x' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors).toContainEqual({ field: '/body/username', message: '应为文本', code: 'schema.type' });
    const extra = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'b', admin: true } });
    expect(extra.json().errors).toContainEqual({ field: '/body/admin', message: '不是已知字段', code: 'http.field.unknown' });
  });

  it('answers 401 without a session and 403 for a role without the permission', async () => {
    expect((await inject({ method: 'GET', url: '/api/orgs' })).statusCode).toBe(401);
    const citizen = await signIn(ludao, 'citizen', DEMO_PASSWORD);
    const res = await inject({ method: 'GET', url: '/api/keys', headers: { cookie: citizen } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ type: 'urn:ludao:problem:forbidden' });
  });

  it('lists the organisation tree with the six districts under the city', async () => {
    const res = await inject({ method: 'GET', url: '/api/orgs', headers: { cookie: await signIn(ludao, 'hrss.staff', DEMO_PASSWORD) } });
    const orgs = res.json() as { id: string; code: string; kind: string; parentId: string | null; areaCode: string | null }[];
    const city = orgs.find((o) => o.code === 'xm')!;
    const districts = orgs.filter((o) => o.kind === 'district');
    expect(districts.map((d) => d.areaCode).sort()).toEqual(['350203', '350205', '350206', '350211', '350212', '350213']);
    expect(districts.every((d) => d.parentId === city.id)).toBe(true);
    const si = orgs.find((o) => o.code === 'xm.hrss.si')!;
    expect(si.parentId).toBe(orgs.find((o) => o.code === 'xm.hrss')!.id);
  });

  describe('API keys', () => {
    let admin: string;
    let key: string;
    let keyId: string;
    beforeAll(async () => {
      admin = await signIn(ludao, 'hrss.admin', DEMO_PASSWORD);
    });

    it('issues a key for the admin’s own department, shown once, stored hashed', async () => {
      const res = await inject({ method: 'POST', url: '/api/keys', headers: { cookie: admin }, payload: { systemName: '社保核验系统', expiresInDays: 30 } });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ orgCode: 'xm.hrss', systemName: '社保核验系统', roles: ['dept_system'], revokedAt: null });
      expect(body.key).toMatch(/^ldk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/);
      key = body.key;
      keyId = body.id;
      const { rows } = await sql<{ secret_hash: string }>`select secret_hash from api_key where id = ${keyId}`.execute(ludao.ctx.db);
      expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(rows[0]!.secret_hash);
      const list = await inject({ method: 'GET', url: '/api/keys', headers: { cookie: admin } });
      // The secret is everything after `ldk_<id>_`; base64url may hold '_' itself, and a
      // fragment as short as "pi" would be found in "expiresAt".
      expect(JSON.stringify(list.json())).not.toContain(key.split('_').slice(2).join('_'));
    });

    it('lets the system call with the key, as Bearer or X-API-Key', async () => {
      expect((await inject({ method: 'GET', url: '/api/orgs', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
      expect((await inject({ method: 'GET', url: '/api/orgs', headers: { 'x-api-key': key } })).statusCode).toBe(200);
      const forged = key.slice(0, -3) + (key.endsWith('AAA') ? 'BBB' : 'AAA');
      expect((await inject({ method: 'GET', url: '/api/orgs', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
    });

    it('refuses a key for another department, and writes nothing', async () => {
      const keysBefore = await countRows('api_key');
      const auditBefore = await ludao.ctx.audit.verify();
      const res = await inject({ method: 'POST', url: '/api/keys', headers: { cookie: admin }, payload: { systemName: 'x系统', orgCode: 'xm.psb' } });
      expect(res.statusCode).toBe(403);
      expect(await countRows('api_key')).toBe(keysBefore);
      expect((await ludao.ctx.audit.verify()).entries).toBe(auditBefore.entries);
    });

    it('refuses an expired key', async () => {
      const res = await inject({ method: 'POST', url: '/api/keys', headers: { cookie: admin }, payload: { systemName: '临时系统' } });
      const { id, key: shortLived } = res.json();
      await sql`update api_key set expires_at = now() - interval '1 second' where id = ${id}`.execute(ludao.ctx.db);
      expect((await inject({ method: 'GET', url: '/api/orgs', headers: { authorization: `Bearer ${shortLived}` } })).statusCode).toBe(401);
    });

    it('does not let another department revoke the key, and revocation bites on the next call', async () => {
      const operatorKey = await inject({
        method: 'POST',
        url: '/api/keys',
        headers: { cookie: await signIn(ludao, 'operator', DEMO_PASSWORD) },
        payload: { systemName: '公安人口库', orgCode: 'xm.psb' },
      });
      expect(operatorKey.statusCode).toBe(201);
      const psbKeyId = operatorKey.json().id;
      expect((await inject({ method: 'DELETE', url: `/api/keys/${psbKeyId}`, headers: { cookie: admin } })).statusCode).toBe(404);

      const revoked = await inject({ method: 'DELETE', url: `/api/keys/${keyId}`, headers: { cookie: admin } });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect((await inject({ method: 'GET', url: '/api/orgs', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
    });

    it('refuses a key revoked through another process on its next call there', async () => {
      // A second Ludao on the same database stands for a second server process; it has
      // just used (and so cached) the key when the first one revokes it.
      const database = ludao.tdb.url ? await openDatabase({ url: ludao.tdb.url }) : ludao.tdb;
      const second = await createLudao(ludao.ctx.config, { database });
      try {
        const created = await inject({ method: 'POST', url: '/api/keys', headers: { cookie: admin }, payload: { systemName: '就业登记系统' } });
        const { id, key: busyKey } = created.json();
        const call = () => second.app.inject({ method: 'GET', url: '/api/orgs', headers: { authorization: `Bearer ${busyKey}` } });
        expect((await call()).statusCode).toBe(200);
        expect((await call()).statusCode).toBe(200);
        expect((await inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: { cookie: admin } })).statusCode).toBe(200);
        expect((await call()).statusCode).toBe(401);
      } finally {
        await second.close();
        if (database !== ludao.tdb) await database.close();
      }
    });
  });

  it('audits sign-ins, refusals and key changes in an intact chain', async () => {
    const result = await ludao.ctx.audit.verify();
    expect(result.ok).toBe(true);
    const { rows } = await sql<{ action: string; outcome: string }>`select action, outcome from audit_entry`.execute(ludao.ctx.db);
    const has = (action: string, outcome: string) => rows.some((r) => r.action === action && r.outcome === outcome);
    expect(has('identity.login', 'ok')).toBe(true);
    expect(has('identity.login', 'denied')).toBe(true);
    expect(has('identity.api_key.create', 'ok')).toBe(true);
    expect(has('identity.api_key.revoke', 'ok')).toBe(true);
    expect(has('identity.user.create', 'ok')).toBe(true);
  });

  it('publishes user and key events through the outbox, numbered after commit', async () => {
    await ludao.ctx.events.drain();
    const { rows } = await sql<{ type: string; seq: number | null }>`select type, seq from event_outbox order by id`.execute(ludao.ctx.db);
    const types = new Set(rows.map((r) => r.type));
    expect(types).toEqual(new Set(['identity.user.created', 'identity.api_key.created', 'identity.api_key.revoked']));
    expect(rows.filter((r) => r.type === 'identity.user.created')).toHaveLength(DEMO_USERS.length);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
  });
});
