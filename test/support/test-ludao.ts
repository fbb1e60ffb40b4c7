import { createLudao, type Ludao } from '../../src/app';
import { loadConfig, type LudaoConfig } from '../../src/platform/config';
import { openTestDatabase, type TestDatabase } from '../../src/platform/db/testing';

/** A Ludao on a throwaway database, for tests that go through HTTP (app.inject). */
export interface TestLudao extends Ludao {
  readonly tdb: TestDatabase;
}

/**
 * Starts a whole Ludao (migrations, modules, demo organisations and accounts) on a fresh
 * test database — PGlite, or PostgreSQL when DATABASE_URL is set. Not listening: use
 * `ludao.app.inject(…)`, or `listen()` for a real socket.
 *
 * @example
 * const ludao = await startTestLudao();
 * const res = await ludao.app.inject({ method: 'GET', url: '/health/ready' });
 */
export async function startTestLudao(overrides: Partial<LudaoConfig> = {}): Promise<TestLudao> {
  const tdb = await openTestDatabase();
  const config = { ...loadConfig({ NODE_ENV: 'test' }), host: '127.0.0.1', port: 0, ...overrides };
  const ludao = await createLudao(config, { database: tdb });
  return {
    ...ludao,
    tdb,
    async close() {
      await ludao.close();
      await tdb.close();
    },
  };
}

/** Signs in through the API and returns the session cookie header to send. */
export async function signIn(ludao: Ludao, username: string, password: string): Promise<string> {
  const res = await ludao.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ludao_session');
  if (!cookie) throw new Error('no session cookie');
  return `ludao_session=${cookie.value}`;
}
