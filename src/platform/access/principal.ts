import { sql, type RawBuilder } from 'kysely';
import { Problem } from '../http/problem';
import { httpMessage } from '../http/messages';
import { rolesAllow, type Permission, type Role } from './policy';

/** Who is calling: a signed-in user, a department system with an API key, or Ludao itself (CLI, seeding). */
export interface Principal {
  kind: 'user' | 'system' | 'platform';
  /** User id, or API key id for systems. */
  id: string;
  /** Display name (user) or system name (API key). */
  name: string;
  /** The organisation acted for, if any. */
  orgId: string | null;
  /** The code of that organisation (e.g. 'xm.hrss'), if any. */
  orgCode: string | null;
  roles: readonly Role[];
  /**
   * The person (resident ID number) or legal person (credit code) a citizen or enterprise
   * user is: whose data "my data" shows. Null for staff and systems.
   */
  subjectId?: string | null;
  /** The session behind a user principal (for logout). */
  sessionId?: string;
}

/**
 * The access check a service makes first: throws 401 without a principal, 403 without
 * the permission, and returns the principal narrowed to non-null.
 *
 * @example
 * const me = requirePermission(principal, 'api_key:manage_own_org');
 */
export function requirePermission(principal: Principal | null, permission: Permission): Principal {
  if (!principal) throw Problem.unauthenticated();
  if (!rolesAllow(principal.roles, permission)) {
    throw Problem.forbidden(httpMessage('http.rolesDoNotAllow', { roles: principal.roles.join(', ') || '-', permission }));
  }
  return principal;
}

/** Whether a principal holds a permission, without throwing. */
export function hasPermission(principal: Principal | null, permission: Permission): boolean {
  return principal !== null && rolesAllow(principal.roles, permission);
}

/** The principal as the audit log records it. */
export function auditActor(principal: Principal | null): { type: 'user' | 'system' | 'platform' | 'anonymous'; id: string | null; org: string | null } {
  return principal ? { type: principal.kind, id: principal.id, org: principal.orgId } : { type: 'anonymous', id: null, org: null };
}

/**
 * Ludao acting on its own behalf: the CLI on the server, first-start seeding. It holds the
 * operator role; the audit log records it as `platform`, with the OS user in `name`.
 */
export const PLATFORM_PRINCIPAL: Principal = Object.freeze({
  kind: 'platform',
  id: 'platform',
  name: 'ludao',
  orgId: null,
  orgCode: null,
  roles: Object.freeze(['operator'] as Role[]),
});

/**
 * Whether an organisation is `parent` or one of its units, by code ('xm.hrss.si' is within
 * 'xm.hrss'); false when either is missing.
 *
 * @example
 * orgWithin('xm.hrss.si', 'xm.hrss'); // true
 */
export function orgWithin(org: string | null | undefined, parent: string | null | undefined): boolean {
  return !!org && !!parent && (org === parent || org.startsWith(`${parent}.`));
}

/**
 * `orgWithin` as a SQL condition: the organisation code in `column` is `parent` or one of its
 * units (the code's `%`, `_` and `\` are escaped in the LIKE pattern).
 *
 * @example
 * sql`select * from xc_channel where ${orgWithinSql('consumer_org', 'xm.hrss')}`;
 */
export function orgWithinSql(column: string, parent: string): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(column)} = ${parent} or ${sql.ref(column)} like ${`${parent.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`})`;
}
