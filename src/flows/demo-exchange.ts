import { sql } from 'kysely';
import type { Ludao } from '../app';
import { createIdentityService } from '../modules/identity';
import { PLATFORM_PRINCIPAL } from '../platform/access';
import { findDemoFamilies } from './demo-maternity';
import { demoSignIn } from './demo-support';

/**
 * Gives the demo city some exchange activity, through the same HTTP API a department would
 * use, so the workbench, the operator's exchange dashboard and the citizen's "who used my
 * data" have something to show: HR & social security opens a channel to the population
 * registry, asks civil affairs for marriage data (left pending for `ca.admin` to answer),
 * and its system makes a few dozen look-ups (and a few refused ones); the demo `citizen` is
 * one of the people looked up. Does nothing when the exchange has channels already.
 *
 * @example
 * await loadDemoCity(ludao.ctx, …);
 * await seedDemoExchange(ludao);
 */
export async function seedDemoExchange(ludao: Pick<Ludao, 'app' | 'ctx'>): Promise<boolean> {
  const { app, ctx } = ludao;
  const { rows: existing } = await sql<{ n: number }>`select count(*)::int as n from xc_channel`.execute(ctx.db);
  if (existing[0]!.n > 0) return false;
  const first = (await sql<{ id: string }>`select _subject as id from dcr_population__person where _valid_to is null order by _key limit 40`.execute(ctx.db)).rows;
  // The demo citizen (people[0]) is a mother whose maternity claim matches every check, when the city has one.
  const mother = (await findDemoFamilies(ctx.db, 1))[0]?.parent;
  const people = mother ? [{ id: mother }, ...first.filter((p) => p.id !== mother)].slice(0, 40) : first;
  if (people.length === 0) return false;

  const login = (username: string) => demoSignIn(app, username);
  const expect201 = (res: { statusCode: number; body: string }, what: string) => {
    if (res.statusCode !== 201) throw new Error(`demo exchange: ${what} failed (${res.statusCode}): ${res.body}`);
  };
  const hrss = await login('hrss.admin');
  expect201(
    await app.inject({ method: 'POST', url: '/api/exchange/channels', headers: { cookie: hrss }, payload: { resource: 'population.person', purpose: '社保参保登记核对身份信息', fields: ['name', 'birth_date', 'hukou_in_xiamen'] } }),
    'opening a channel',
  );
  const nextYear = `${new Date().getUTCFullYear() + 1}-12-31`;
  expect201(
    await app.inject({
      method: 'POST',
      url: '/api/exchange/requests',
      headers: { cookie: hrss },
      payload: {
        resource: 'civil_affairs.marriage',
        purpose: '生育保险待遇申领：核验婚姻登记',
        legalBasis: '《中华人民共和国社会保险法》第五十四条',
        fields: ['husband_id', 'wife_id', 'registered_on', 'status'],
        expectedCallsPerDay: 300,
        validUntil: nextYear,
      },
    }),
    'submitting a request',
  );

  const identity = createIdentityService(ctx);
  const { key } = await identity.createApiKey(PLATFORM_PRINCIPAL, { orgCode: 'xm.hrss', systemName: '社保经办系统（演示）' });
  const call = (url: string, caseId: string) =>
    app.inject({
      method: 'GET',
      url: `/api/exchange/v1/${url}`,
      headers: { authorization: `Bearer ${key}`, 'x-ludao-purpose': encodeURIComponent('社保待遇资格核验'), 'x-ludao-case-id': caseId, 'x-ludao-end-user': 'hrss.staff' },
    });
  for (const [i, person] of people.entries()) await call(`population.person/subjects/${person.id}`, `SB-DEMO-${String(i + 1).padStart(4, '0')}`);
  await call(`population.person/subjects/${people[0]!.id}?fields=marital_status`, 'SB-DEMO-9001'); // outside the grant: refused
  await call(`civil_affairs.marriage/subjects/${people[0]!.id}`, 'SB-DEMO-9002'); // no channel yet: refused
  await identity.linkPerson(PLATFORM_PRINCIPAL, 'citizen', people[0]!.id);
  return true;
}
