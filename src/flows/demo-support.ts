import type { Ludao } from '../app';
import { DEMO_PASSWORD } from '../modules/identity';

/**
 * Signs a demo account in through the API (demo flows act as their users would) and returns
 * the session cookie header to send.
 *
 * @example
 * const cookie = await demoSignIn(ludao.app, 'edu.admin');
 */
export async function demoSignIn(app: Ludao['app'], username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  const cookie = res.cookies.find((c) => c.name === 'ludao_session');
  if (!cookie) throw new Error(`demo sign-in as ${username} failed (${res.statusCode})`);
  return `ludao_session=${cookie.value}`;
}
