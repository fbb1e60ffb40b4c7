import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { signIn, startTestLudao, type TestLudao } from '../../../test/support/test-ludao';
import { loadDemoCity } from '../../flows/demo-city';
import { PLATFORM_PRINCIPAL, type Principal } from '../../platform/access';
import { createIdentityService, DEMO_PASSWORD } from '../identity';
import { startSandbox, type Sandbox } from './index';

/** Facts of the synthetic city a test verifies against, read with bare SQL. */
export interface CityFacts {
  marriage: { husband: string; wife: string };
  birth: { child: string; mother: string; father: string | null };
  job: { person: string; employer: string; since: string };
  owner: { person: string; district: string };
  permit: { person: string; firstIssued: string };
  /** A person's active social-security card account, and a person whose account is not active. */
  account: { person: string; number: string };
  inactiveAccount: { person: string; number: string };
  /** People with contribution periods, and their periods. */
  periods: Map<string, { first: string; last: string }[]>;
  /** Every person of the population registry. */
  people: string[];
}

/** A Ludao with a small synthetic city, the sandbox service, and sign-ins. */
export interface SandboxCity {
  ludao: TestLudao;
  sandbox: Sandbox;
  facts: CityFacts;
  /** Session cookies: the Siming education handler, a maternity handler, a handler of another district, an operator. */
  cookies: { edu: string; medsec: string; otherDistrict: string; operator: string };
  /** Every response body the test saw (the red team scans them). */
  bodies: string[];
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The China day today, as the predicates see it. */
export const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A citizen principal for a person (consents are the citizen's own act). */
export function citizen(subject: string): Principal {
  return { kind: 'user', id: `u-${subject}`, name: subject, orgId: null, orgCode: null, roles: ['citizen'], subjectId: subject };
}

/**
 * Starts Ludao on a test database with a synthetic city of `people`, and collects facts.
 *
 * @example
 * const city = await startSandboxCity('sandbox-test', 600);
 */
export async function startSandboxCity(seed: string, people: number): Promise<SandboxCity> {
  const ludao = await startTestLudao();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ludao-sb-'));
  await loadDemoCity(ludao.ctx, { people, seed, dir });
  const identity = createIdentityService(ludao.ctx);
  await identity.createUser(PLATFORM_PRINCIPAL, { username: 'huli.handler', displayName: '湖里经办', password: DEMO_PASSWORD, kind: 'staff', orgCode: 'xm.hl', roles: ['case_handler'] });
  const cookies = {
    edu: await signIn(ludao, 'edu.handler', DEMO_PASSWORD),
    medsec: await signIn(ludao, 'medsec.handler', DEMO_PASSWORD),
    otherDistrict: await signIn(ludao, 'huli.handler', DEMO_PASSWORD),
    operator: await signIn(ludao, 'operator', DEMO_PASSWORD),
  };
  const db = ludao.ctx.db;
  const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows[0]!;
  const marriage = await one(sql<{ husband: string; wife: string }>`select husband_id as husband, wife_id as wife from dcr_civil_affairs__marriage
    where _valid_to is null and not _deleted and status = 'married' order by _key limit 1`);
  const birth = await one(sql<{ child: string; mother: string; father: string | null }>`select child_id as child, mother_id as mother, father_id as father
    from dcr_health__birth_certificate where _valid_to is null and not _deleted order by _key limit 1`);
  const job = await one(sql<{ person: string; employer: string; since: string }>`select person_id as person, employer_credit_code as employer, to_char(start_date, 'YYYY-MM-DD') as since
    from dcr_social_security__employment where _valid_to is null and not _deleted and end_date is null order by _key limit 1`);
  const owner = await one(sql<{ person: string; district: string }>`select o.owner_id as person, e.district_code as district
    from dcr_housing__property_ownership o join dcr_spatial__unit u on u.code = o.unit_code and u._valid_to is null
    join dcr_spatial__estate e on e.code = u.estate_code and e._valid_to is null
    where o._valid_to is null and not o._deleted and o.owner_kind = 'person' order by o._key limit 1`);
  const permit = await one(sql<{ person: string; firstIssued: string }>`select person_id as person, to_char(first_issued_on, 'YYYY-MM-DD') as "firstIssued"
    from dcr_population__residence_permit where _valid_to is null and not _deleted and status = 'valid' and expires_on >= ${today()}::date order by _key limit 1`);
  const account = await one(sql<{ person: string; number: string }>`select person_id as person, account_number as number from dcr_social_security__bank_account
    where _valid_to is null and not _deleted and status = 'active' order by _key limit 1`);
  const inactiveAccount = await one(sql<{ person: string; number: string }>`select person_id as person, account_number as number from dcr_social_security__bank_account
    where _valid_to is null and not _deleted and status <> 'active' order by _key limit 1`);
  const periods = new Map<string, { first: string; last: string }[]>();
  const { rows } = await sql<{ person: string; first: string; last: string }>`select person_id as person, first_month as first, last_month as last
    from dcr_social_security__contribution_period where _valid_to is null and not _deleted order by person_id, first_month`.execute(db);
  for (const r of rows) periods.set(r.person, [...(periods.get(r.person) ?? []), { first: r.first, last: r.last }]);
  const persons = (await sql<{ id: string }>`select id from dcr_population__person where _valid_to is null and not _deleted order by id`.execute(db)).rows.map((r) => r.id);
  const sandbox = await startSandbox(ludao.ctx);
  const bodies: string[] = [];
  return {
    ludao,
    sandbox,
    facts: { marriage, birth, job, owner, permit, account, inactiveAccount, periods, people: persons },
    cookies,
    bodies,
    async inject(opts) {
      const res = await ludao.app.inject(opts);
      bodies.push(res.body);
      return res;
    },
    async close() {
      await sandbox.stop();
      await ludao.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Months of contributions within [from, to] (YYYY-MM), computed the plain way: month by month. */
export function monthsInWindow(periods: readonly { first: string; last: string }[], from: string, to: string): number {
  const n = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  const months = new Set<number>();
  for (const p of periods) for (let m = Math.max(n(p.first), n(from)); m <= Math.min(n(p.last), n(to)); m++) months.add(m);
  return months.size;
}

/** A valid resident ID number that no one in a small synthetic city has (born 1901). */
export const NOBODY = '350203190101010014';
