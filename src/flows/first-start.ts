import type { ModuleContext } from '../platform/module';
import { createDatacentreService } from '../modules/datacentre';
import { createIdentityService, seedIdentity } from '../modules/identity';
import { PLATFORM_PRINCIPAL } from '../platform/access';

/**
 * What an empty platform gets on its first start: the city's organisations, the data
 * centre's domains and built-in resources (empty), and, unless
 * switched off (`LUDAO_DEMO=0`), one demo account per role. Safe to run on every start:
 * each step does nothing when its data is already there.
 *
 * @example
 * await runFirstStart(ctx); // true the first time, false after
 */
export async function runFirstStart(ctx: Pick<ModuleContext, 'database' | 'db' | 'audit' | 'events' | 'transaction' | 'config'>): Promise<boolean> {
  const identity = createIdentityService(ctx);
  const seeded = await seedIdentity(ctx.db, ctx.transaction, identity, { demoUsers: ctx.config.seedDemo });
  const created = await createDatacentreService(ctx).ensureCatalogue(PLATFORM_PRINCIPAL);
  return seeded || created > 0;
}
