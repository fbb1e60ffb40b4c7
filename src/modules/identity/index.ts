import type { LudaoModule, ModuleContext } from '../../platform/module';
import { registerIdentityRoutes } from './identity.routes';
import { IdentityService } from './identity.service';
import { createIdentity } from './migrations/0001-create-identity';

export type { ApiKeyCreated, Me, OrgNode } from './identity.contract';
export { IdentityService, type NewUser } from './identity.service';
export { seedIdentity, DEMO_PASSWORD, DEMO_USERS, type DemoUser } from './identity.seed';

/** Builds the identity service over a module context (the CLI uses it without HTTP). */
export function createIdentityService(ctx: Pick<ModuleContext, 'db' | 'audit' | 'events' | 'transaction' | 'config'>): IdentityService {
  return new IdentityService({ db: ctx.db, audit: ctx.audit, events: ctx.events, transaction: ctx.transaction, sessionTtlSeconds: ctx.config.sessionTtlSeconds });
}

/**
 * The identity module: organisations, users, roles, sessions and API keys. It resolves
 * credentials for the whole platform.
 */
export const identityModule: LudaoModule = {
  name: 'identity',
  migrations: { '0001-create-identity': createIdentity },
  register(ctx) {
    const service = createIdentityService(ctx);
    ctx.http.principalResolver.current = service.resolver;
    registerIdentityRoutes(ctx.http, service, { secureCookies: ctx.config.secureCookies });
  },
};
