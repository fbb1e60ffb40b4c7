import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  areasFor,
  permissionsFor,
  auditActor,
  digestsEqual,
  hasPermission,
  hashSecret,
  isRole,
  newSecret,
  PLATFORM_PRINCIPAL,
  requirePermission,
  type Principal,
  type PrincipalResolver,
  type Role,
} from '../../platform/access';
import type { AuditLog } from '../../platform/audit';
import type { CoherentCache } from '../../platform/db/coherent-cache';
import type { EventBus } from '../../platform/events';
import { Problem } from '../../platform/http/problem';
import { isValidResidentId } from '../../platform/ids';
import type { ApiKeyCreated, ApiKeySummary, CreateApiKeyBody, Me, OrgNode } from './identity.contract';
import * as store from './identity.store';
import { idMessage } from './messages';

// Loaded when a password is hashed or checked: a command-line tool that never does is spared it.
const argon2 = () => import('@node-rs/argon2');

/** Login throttling: failures counted over this window… */
const FAILURE_WINDOW_SECONDS = 15 * 60;
/** …allowed per account before it is held… */
const MAX_FAILURES_PER_ACCOUNT = 5;
/** …and per client address (covers one address guessing many accounts). */
const MAX_FAILURES_PER_IP = 30;
/** The one message every failed login gets, whichever part was wrong. */
const LOGIN_FAILED = idMessage('id.loginFailed');
const API_KEY_PREFIX = 'ldk';
// Developer sign-ups per address per hour (in this process).
const SIGN_UPS_PER_WINDOW = 10;
const SIGN_UP_WINDOW_MS = 3600_000;
const signUps = new Map<string, number[]>();

/** A user to create (CLI `users add`, seeding, operators). */
export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  kind: 'staff' | 'citizen' | 'enterprise' | 'team';
  orgCode?: string | null;
  roles: string[];
  personIdNumber?: string | null;
}

/** What a successful login gives the HTTP layer. */
export interface LoginResult {
  token: string;
  expiresAt: Date;
  me: Me;
}

/** Dependencies of the identity service. */
export interface IdentityDeps {
  db: Kysely<object>;
  audit: AuditLog;
  events: EventBus;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  sessionTtlSeconds: number;
  /** API keys by id, dropped in every process on revocation; it caches only once started. */
  apiKeyCache: CoherentCache<store.ApiKeyRow | undefined>;
}

/**
 * Organisations, users, sessions and API keys: who someone is and what they may do.
 * Every method that acts for a caller checks the caller's permission first.
 */
export class IdentityService {
  // A real argon2id hash of a random password: verifying against it when the account does not
  // exist makes "no such user" take as long as "wrong password".
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: IdentityDeps) {}

  /** Starts reusing verified API keys (servers; a CLI run never needs it). */
  startCaching(): Promise<void> {
    return this.deps.apiKeyCache.start();
  }

  /** Stops the API-key cache and its listening connection. */
  stopCaching(): Promise<void> {
    return this.deps.apiKeyCache.stop();
  }

  /** Resolves session tokens and API keys to principals (installed into the HTTP layer). */
  readonly resolver: PrincipalResolver = {
    fromSessionToken: (token) => this.principalForSession(token),
    fromApiKey: (key) => this.principalForApiKey(key),
  };

  /**
   * Signs a user in. Failures never say which part was wrong; after too many failures for the
   * account or from the address, even a right password is refused for a while (429).
   */
  async login(input: { username: string; password: string; ip: string; userAgent: string | null; requestId: string }): Promise<LoginResult> {
    const username = input.username.trim().toLowerCase();
    const { db, audit } = this.deps;
    const failures = await store.countRecentFailures(db, username, input.ip, FAILURE_WINDOW_SECONDS);
    if (failures.byUser >= MAX_FAILURES_PER_ACCOUNT || failures.byIp >= MAX_FAILURES_PER_IP) {
      await audit.record({
        action: 'identity.login',
        actor: { type: 'anonymous' },
        outcome: 'denied',
        requestId: input.requestId,
        detail: { username, ip: input.ip, reason: failures.byUser >= MAX_FAILURES_PER_ACCOUNT ? 'account_throttled' : 'ip_throttled' },
      });
      throw Problem.rateLimited(idMessage('id.tooManySignIns'), 60);
    }
    const user = await store.findUserByUsername(db, username);
    const passwordOk = await (await argon2()).verify(user?.password_hash ?? (await this.getDummyHash()), input.password).catch(() => false);
    if (!user || !passwordOk || user.disabled_at) {
      await store.insertLoginFailure(db, username, input.ip);
      await audit.record({
        action: 'identity.login',
        actor: { type: 'anonymous' },
        subject: user ? { type: 'user', id: user.id } : undefined,
        outcome: 'denied',
        requestId: input.requestId,
        // For operators reading the log; the caller only ever sees LOGIN_FAILED.
        detail: { username, ip: input.ip, reason: !user ? 'unknown_user' : user.disabled_at ? 'disabled' : 'bad_password' },
      });
      throw Problem.unauthenticated(LOGIN_FAILED);
    }
    const token = newSecret();
    const expiresAt = new Date(Date.now() + this.deps.sessionTtlSeconds * 1000);
    const sessionId = randomUUID();
    await this.deps.transaction(async (trx) => {
      await store.insertSession(trx, { id: sessionId, tokenHash: hashSecret(token), userId: user.id, expiresAt, ip: input.ip, userAgent: input.userAgent });
      await store.clearLoginFailures(trx, username);
      await audit.append(trx, {
        action: 'identity.login',
        actor: { type: 'user', id: user.id, org: user.org_id },
        subject: { type: 'session', id: sessionId },
        requestId: input.requestId,
        detail: { ip: input.ip },
      });
    });
    return { token, expiresAt, me: await this.presentMe(user) };
  }

  /** Ends the caller's session. */
  async logout(principal: Principal | null, requestId: string): Promise<void> {
    if (!principal?.sessionId) return;
    const sessionId = principal.sessionId;
    await this.deps.transaction(async (trx) => {
      await store.revokeSession(trx, sessionId);
      await this.deps.audit.append(trx, { action: 'identity.logout', actor: auditActor(principal), subject: { type: 'session', id: sessionId }, requestId });
    });
  }

  /** The signed-in user, with the areas the policy opens. */
  async me(principal: Principal | null): Promise<Me> {
    if (!principal || principal.kind !== 'user') throw Problem.unauthenticated(idMessage('id.signInForAccount'));
    const user = await store.findUserById(this.deps.db, principal.id);
    if (!user) throw Problem.unauthenticated(idMessage('id.signInForAccount'));
    return this.presentMe(user);
  }

  /**
   * Every organisation's names by code. Names of public bodies are public, so this needs no
   * principal: a citizen's "who used my data" names the departments.
   */
  async orgDirectory(): Promise<Map<string, { name: string; nameEn: string }>> {
    return new Map((await store.listOrgs(this.deps.db)).map((o) => [o.code, { name: o.name, nameEn: o.name_en }]));
  }

  /** The organisation tree, flat with parent ids. */
  async listOrgs(principal: Principal | null): Promise<OrgNode[]> {
    requirePermission(principal, 'org:read');
    return (await store.listOrgs(this.deps.db)).map(presentOrgNode);
  }

  /**
   * Issues an API key for a department system. Department admins issue keys for their own
   * organisation; operators for any. The secret is returned once and stored only as a hash.
   */
  async createApiKey(principal: Principal | null, input: CreateApiKeyBody, requestId?: string): Promise<ApiKeyCreated> {
    const caller = this.requireKeyManager(principal);
    const org = await this.resolveKeyOrg(caller, input.orgCode);
    const id = randomUUID().replace(/-/g, '').slice(0, 20);
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + (input.expiresInDays ?? 90) * 86_400_000);
    const roles: Role[] = ['dept_system'];
    await this.deps.transaction(async (trx) => {
      await store.insertApiKey(trx, { id, orgId: org.id, systemName: input.systemName, secretHash: hashSecret(secret), roles, createdBy: caller.id, expiresAt });
      await this.deps.audit.append(trx, {
        action: 'identity.api_key.create',
        actor: auditActor(caller),
        subject: { type: 'api_key', id },
        requestId,
        detail: { org: org.code, systemName: input.systemName, expiresAt: expiresAt.toISOString() },
      });
      await this.deps.events.publish(trx, { aggregateType: 'api_key', aggregateId: id, type: 'identity.api_key.created', payload: { org: org.code } });
    });
    const row = await store.findApiKey(this.deps.db, id);
    return { ...presentApiKey(row!), key: `${API_KEY_PREFIX}_${id}_${secret}` };
  }

  /** API keys the caller may manage: their organisation's, or all for operators. */
  async listApiKeys(principal: Principal | null): Promise<ApiKeySummary[]> {
    const caller = this.requireKeyManager(principal);
    const all = hasPermission(caller, 'api_key:manage_any_org');
    return (await store.listApiKeys(this.deps.db, all ? null : caller.orgId)).map(presentApiKey);
  }

  /** Revokes a key; the next call with it is refused. */
  async revokeApiKey(principal: Principal | null, id: string, requestId?: string): Promise<ApiKeySummary> {
    const caller = this.requireKeyManager(principal);
    const key = await store.findApiKey(this.deps.db, id);
    if (!key || (!hasPermission(caller, 'api_key:manage_any_org') && key.org_id !== caller.orgId)) {
      throw Problem.notFound(idMessage('id.noApiKey', { id }));
    }
    const revoked = await this.deps.transaction(async (trx) => {
      if (!(await store.revokeApiKey(trx, id, caller.id))) return false;
      await this.deps.audit.append(trx, { action: 'identity.api_key.revoke', actor: auditActor(caller), subject: { type: 'api_key', id }, requestId });
      // Consumers caching anything about this key drop it on this event.
      await this.deps.events.publish(trx, { aggregateType: 'api_key', aggregateId: id, type: 'identity.api_key.revoked', payload: { org: key.org_code } });
      await this.deps.apiKeyCache.announce(trx, id);
      return true;
    });
    if (revoked) await this.deps.apiKeyCache.withdrawn(id);
    return presentApiKey((await store.findApiKey(this.deps.db, id))!);
  }

  /**
   * Says which person (resident ID number) a citizen account is, so "my data" can show that
   * person's data. Operators only (in a real city, real-name verification does this).
   */
  async linkPerson(principal: Principal | null, username: string, idNumber: string): Promise<void> {
    const caller = requirePermission(principal, 'user:manage');
    const user = await store.findUserByUsername(this.deps.db, username.trim().toLowerCase());
    if (!user) throw Problem.notFound(idMessage('id.noUser', { username }));
    if (!isValidResidentId(idNumber)) throw Problem.validation(undefined, [{ field: '/body/idNumber', message: idMessage('id.badResidentId') }]);
    await this.deps.transaction(async (trx) => {
      await store.setUserPerson(trx, user.id, idNumber);
      await this.deps.audit.append(trx, { action: 'identity.user.link_person', actor: auditActor(caller), subject: { type: 'user', id: user.id }, dataSubject: idNumber });
    });
  }

  /**
   * A developer registers themself for the open-data portal (then signs in and creates API
   * keys). The account holds only the `developer` role; sign-ups are limited per address.
   */
  async registerDeveloper(input: { username: string; displayName: string; password: string; ip: string }): Promise<{ id: string }> {
    const now = Date.now();
    const window = signUps.get(input.ip);
    const recent = (window ?? []).filter((t) => now - t < SIGN_UP_WINDOW_MS);
    if (recent.length >= SIGN_UPS_PER_WINDOW) throw Problem.rateLimited(idMessage('id.tooManySignUps'), 3600);
    recent.push(now);
    if (signUps.size > 100_000) signUps.clear();
    signUps.set(input.ip, recent);
    return this.createUser(PLATFORM_PRINCIPAL, { username: input.username, displayName: input.displayName, password: input.password, kind: 'citizen', roles: ['developer'] });
  }

  /** Creates a user (operators, the CLI, seeding). */
  async createUser(principal: Principal | null, input: NewUser): Promise<{ id: string }> {
    const caller = requirePermission(principal, 'user:manage');
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) {
      throw Problem.validation(undefined, [{ field: '/body/username', message: idMessage('id.badUsername') }]);
    }
    const badRole = input.roles.find((r) => !isRole(r));
    if (badRole) throw Problem.validation(undefined, [{ field: '/body/roles', message: idMessage('id.unknownRole', { role: badRole }) }]);
    if (input.password.length < 8) throw Problem.validation(undefined, [{ field: '/body/password', message: idMessage('id.shortPassword') }]);
    const org = input.orgCode ? await store.findOrg(this.deps.db, { code: input.orgCode }) : undefined;
    if (input.orgCode && !org) throw Problem.validation(undefined, [{ field: '/body/orgCode', message: idMessage('id.noOrg', { org: input.orgCode }) }]);
    if (await store.findUserByUsername(this.deps.db, username)) throw Problem.conflict(idMessage('id.userExists', { username }));
    const id = randomUUID();
    const passwordHash = await (await argon2()).hash(input.password);
    await this.deps.transaction(async (trx) => {
      await store.insertUser(trx, {
        id,
        username,
        display_name: input.displayName,
        kind: input.kind,
        org_id: org?.id ?? null,
        password_hash: passwordHash,
        person_id_number: input.personIdNumber ?? null,
        roles: [...new Set(input.roles)].sort(),
      });
      await this.deps.audit.append(trx, {
        action: 'identity.user.create',
        actor: auditActor(caller),
        subject: { type: 'user', id },
        detail: { username, roles: input.roles, org: input.orgCode ?? null },
      });
      await this.deps.events.publish(trx, { aggregateType: 'user', aggregateId: id, type: 'identity.user.created', payload: { kind: input.kind, org: input.orgCode ?? null } });
    });
    return { id };
  }

  private requireKeyManager(principal: Principal | null): Principal {
    if (hasPermission(principal, 'api_key:manage_any_org')) return principal!;
    return requirePermission(principal, 'api_key:manage_own_org');
  }

  private async resolveKeyOrg(caller: Principal, orgCode: string | undefined): Promise<store.OrgRow> {
    const any = hasPermission(caller, 'api_key:manage_any_org');
    if (orgCode) {
      const org = await store.findOrg(this.deps.db, { code: orgCode });
      if (!org) throw Problem.validation(undefined, [{ field: '/body/orgCode', message: idMessage('id.noOrg', { org: orgCode }) }]);
      if (!any && org.id !== caller.orgId) throw Problem.forbidden(idMessage('id.ownOrgKeys'));
      return org;
    }
    if (!caller.orgId) throw Problem.validation(undefined, [{ field: '/body/orgCode', message: idMessage('id.keyOrgRequired') }]);
    return (await store.findOrg(this.deps.db, { id: caller.orgId }))!;
  }

  private async principalForSession(token: string): Promise<Principal | null> {
    if (token.length > 100) return null;
    const row = await store.findLiveSession(this.deps.db, hashSecret(token));
    if (!row) return null;
    return {
      kind: 'user',
      id: row.id,
      name: row.display_name,
      orgId: row.org_id,
      orgCode: row.org_code,
      roles: row.roles.filter(isRole),
      subjectId: row.person_id_number,
      sessionId: row.session_id,
    };
  }

  private async principalForApiKey(key: string): Promise<Principal | null> {
    const match = /^ldk_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/.exec(key);
    if (!match) return null;
    const id = match[1]!;
    const row = await this.deps.apiKeyCache.get(id, () => store.findApiKey(this.deps.db, id));
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) return null;
    if (!digestsEqual(row.secret_hash, hashSecret(match[2]!))) return null;
    return { kind: 'system', id: row.id, name: row.system_name, orgId: row.org_id, orgCode: row.org_code, roles: row.roles.filter(isRole) };
  }

  private async presentMe(user: store.UserRow): Promise<Me> {
    const org = user.org_id ? await store.findOrg(this.deps.db, { id: user.org_id }) : undefined;
    const roles = user.roles.filter(isRole);
    return {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      kind: user.kind,
      roles,
      org: org ? { id: org.id, code: org.code, name: org.name, nameEn: org.name_en, kind: org.kind } : null,
      areas: areasFor(roles),
      permissions: permissionsFor(roles),
    };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= argon2().then((a) => a.hash(newSecret()));
    return this.dummyHash;
  }
}

function presentOrgNode(o: store.OrgRow): OrgNode {
  return { id: o.id, code: o.code, name: o.name, nameEn: o.name_en, kind: o.kind, parentId: o.parent_id, creditCode: o.credit_code, areaCode: o.area_code };
}

function presentApiKey(k: store.ApiKeyRow): ApiKeySummary {
  return {
    id: k.id,
    orgCode: k.org_code,
    systemName: k.system_name,
    roles: k.roles,
    createdAt: k.created_at.toISOString(),
    expiresAt: k.expires_at.toISOString(),
    revokedAt: k.revoked_at ? k.revoked_at.toISOString() : null,
  };
}
