import { CoherentCache } from '../../platform/db/coherent-cache';
import type { LudaoModule, ModuleContext } from '../../platform/module';
import type { ApiKeyRow } from './identity.store';
import { IdentityService } from './identity.service';
import { createIdentity } from './migrations/0001-create-identity';

export type { ApiKeyCreated, Me, OrgNode } from './identity.contract';
export { IdentityService, type NewUser } from './identity.service';
export { seedIdentity, DEMO_PASSWORD, DEMO_USERS, type DemoUser } from './identity.seed';

/** How long a verified API key may be reused without reading it again (revocation is pushed). */
const API_KEY_CACHE_MS = 60_000;
/** The NOTIFY channel that carries revoked key ids to every process. */
const API_KEY_REVOKED_CHANNEL = 'ludao_api_key_revoked';

/**
 * Builds the identity service over a module context (the CLI uses it without HTTP). Its API-key
 * cache stays off until `service.startCaching()`; revocations are announced either way, so a
 * key revoked from the CLI is refused by running servers too.
 */
export function createIdentityService(ctx: Pick<ModuleContext, 'db' | 'database' | 'audit' | 'events' | 'transaction' | 'config'>): IdentityService {
  return new IdentityService({
    db: ctx.db,
    audit: ctx.audit,
    events: ctx.events,
    transaction: ctx.transaction,
    sessionTtlSeconds: ctx.config.sessionTtlSeconds,
    apiKeyCache: new CoherentCache<ApiKeyRow | undefined>(ctx.database, API_KEY_REVOKED_CHANNEL, API_KEY_CACHE_MS),
  });
}

/**
 * The identity module: organisations, users, roles, sessions and API keys. It resolves
 * credentials for the whole platform.
 */
export const identityModule: LudaoModule = {
  name: 'identity',
  migrations: { '0001-create-identity': createIdentity },
  async register(ctx) {
    const service = createIdentityService(ctx);
    // Department systems call with the same key thousands of times a second; reading it once
    // a minute is enough because revocation reaches every process by NOTIFY (ADR 0010).
    await service.startCaching();
    ctx.http.addHook('onClose', () => service.stopCaching());
    ctx.http.principalResolver.current = service.resolver;
    const { registerIdentityRoutes } = await import('./identity.routes');
    registerIdentityRoutes(ctx.http, service, { secureCookies: ctx.config.secureCookies });
  },
};
