import { sql, type Kysely, type Transaction } from 'kysely';

type AnyDb = Kysely<object> | Transaction<object>;

/** An organisation row. */
export interface OrgRow {
  id: string;
  code: string;
  parent_id: string | null;
  kind: string;
  name: string;
  name_en: string;
  credit_code: string | null;
  area_code: string | null;
}

/** A user row with its roles. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  kind: string;
  org_id: string | null;
  password_hash: string;
  person_id_number: string | null;
  disabled_at: Date | null;
  roles: string[];
}

/** An API key row. */
export interface ApiKeyRow {
  id: string;
  org_id: string;
  org_code: string;
  system_name: string;
  secret_hash: string;
  roles: string[];
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Adds an organisation. */
export async function insertOrg(db: AnyDb, org: OrgRow): Promise<void> {
  await sql`insert into org (id, code, parent_id, kind, name, name_en, credit_code, area_code)
    values (${org.id}, ${org.code}, ${org.parent_id}, ${org.kind}, ${org.name}, ${org.name_en}, ${org.credit_code}, ${org.area_code})`.execute(db);
}

/** All organisations, parents before children where codes sort so. */
export async function listOrgs(db: AnyDb): Promise<OrgRow[]> {
  const { rows } = await sql<OrgRow>`select id, code, parent_id, kind, name, name_en, credit_code, area_code from org order by code`.execute(db);
  return rows;
}

/** One organisation by id or code. */
export async function findOrg(db: AnyDb, by: { id: string } | { code: string }): Promise<OrgRow | undefined> {
  const where = 'id' in by ? sql`id = ${by.id}` : sql`code = ${by.code}`;
  const { rows } = await sql<OrgRow>`select id, code, parent_id, kind, name, name_en, credit_code, area_code from org where ${where}`.execute(db);
  return rows[0];
}

/** How many organisations exist (0 means: first start). */
export async function countOrgs(db: AnyDb): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from org`.execute(db);
  return rows[0]?.n ?? 0;
}

const userColumns = sql`u.id, u.username, u.display_name, u.kind, u.org_id, u.password_hash, u.person_id_number, u.disabled_at,
  coalesce((select array_agg(r.role order by r.role) from user_role r where r.user_id = u.id), '{}') as roles`;

/** A user by (lower-case) username. */
export async function findUserByUsername(db: AnyDb, username: string): Promise<UserRow | undefined> {
  const { rows } = await sql<UserRow>`select ${userColumns} from app_user u where u.username = ${username}`.execute(db);
  return rows[0];
}

/** A user by id. */
export async function findUserById(db: AnyDb, id: string): Promise<UserRow | undefined> {
  const { rows } = await sql<UserRow>`select ${userColumns} from app_user u where u.id = ${id}`.execute(db);
  return rows[0];
}

/** Adds a user and their roles. */
export async function insertUser(db: AnyDb, user: Omit<UserRow, 'disabled_at'>): Promise<void> {
  await sql`insert into app_user (id, username, display_name, kind, org_id, password_hash, person_id_number)
    values (${user.id}, ${user.username}, ${user.display_name}, ${user.kind}, ${user.org_id}, ${user.password_hash}, ${user.person_id_number})`.execute(db);
  for (const role of user.roles) await sql`insert into user_role (user_id, role) values (${user.id}, ${role})`.execute(db);
}

/** Adds a session. */
export async function insertSession(
  db: AnyDb,
  s: { id: string; tokenHash: string; userId: string; expiresAt: Date; ip: string; userAgent: string | null },
): Promise<void> {
  await sql`insert into session (id, token_hash, user_id, expires_at, ip, user_agent)
    values (${s.id}, ${s.tokenHash}, ${s.userId}, ${s.expiresAt}, ${s.ip}, ${s.userAgent})`.execute(db);
}

/** The live session with this token hash, joined to its enabled user. */
export async function findLiveSession(db: AnyDb, tokenHash: string): Promise<(UserRow & { session_id: string; org_code: string | null }) | undefined> {
  const { rows } = await sql<UserRow & { session_id: string; org_code: string | null }>`
    select s.id as session_id, ${userColumns}, (select o.code from org o where o.id = u.org_id) as org_code
    from session s join app_user u on u.id = s.user_id
    where s.token_hash = ${tokenHash} and s.revoked_at is null and s.expires_at > now() and u.disabled_at is null`.execute(db);
  return rows[0];
}

/** Ends a session. */
export async function revokeSession(db: AnyDb, sessionId: string): Promise<void> {
  await sql`update session set revoked_at = now() where id = ${sessionId} and revoked_at is null`.execute(db);
}

/** Failed logins in the last `windowSeconds`, for the account and for the address. */
export async function countRecentFailures(db: AnyDb, username: string, ip: string, windowSeconds: number): Promise<{ byUser: number; byIp: number }> {
  const { rows } = await sql<{ by_user: number; by_ip: number }>`
    select
      (select count(*) from login_failure where username = ${username} and at > now() - make_interval(secs => ${windowSeconds})) as by_user,
      (select count(*) from login_failure where ip = ${ip} and at > now() - make_interval(secs => ${windowSeconds})) as by_ip`.execute(db);
  return { byUser: rows[0]?.by_user ?? 0, byIp: rows[0]?.by_ip ?? 0 };
}

/** Notes a failed login. */
export async function insertLoginFailure(db: AnyDb, username: string, ip: string): Promise<void> {
  await sql`insert into login_failure (username, ip) values (${username}, ${ip})`.execute(db);
}

/** Forgets an account's failures after it signs in. */
export async function clearLoginFailures(db: AnyDb, username: string): Promise<void> {
  await sql`delete from login_failure where username = ${username}`.execute(db);
}

/** Adds an API key. */
export async function insertApiKey(
  db: AnyDb,
  k: { id: string; orgId: string; systemName: string; secretHash: string; roles: string[]; createdBy: string; expiresAt: Date },
): Promise<void> {
  await sql`insert into api_key (id, org_id, system_name, secret_hash, roles, created_by, expires_at)
    values (${k.id}, ${k.orgId}, ${k.systemName}, ${k.secretHash}, ${k.roles}, ${k.createdBy}, ${k.expiresAt})`.execute(db);
}

const apiKeyColumns = sql`k.id, k.org_id, o.code as org_code, k.system_name, k.secret_hash, k.roles, k.created_at, k.expires_at, k.revoked_at`;

/** One API key by id. */
export async function findApiKey(db: AnyDb, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await sql<ApiKeyRow>`select ${apiKeyColumns} from api_key k join org o on o.id = k.org_id where k.id = ${id}`.execute(db);
  return rows[0];
}

/** API keys of one organisation, or of all when `orgId` is null. */
export async function listApiKeys(db: AnyDb, orgId: string | null): Promise<ApiKeyRow[]> {
  const where = orgId === null ? sql`true` : sql`k.org_id = ${orgId}`;
  const { rows } = await sql<ApiKeyRow>`select ${apiKeyColumns} from api_key k join org o on o.id = k.org_id where ${where} order by k.created_at desc`.execute(db);
  return rows;
}

/** Revokes a key; false when it was already revoked. */
export async function revokeApiKey(db: AnyDb, id: string, by: string): Promise<boolean> {
  const result = await sql`update api_key set revoked_at = now(), revoked_by = ${by} where id = ${id} and revoked_at is null`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Links a user to the person (resident ID number) they are. */
export async function setUserPerson(db: AnyDb, userId: string, idNumber: string): Promise<void> {
  await sql`update app_user set person_id_number = ${idNumber} where id = ${userId}`.execute(db);
}
