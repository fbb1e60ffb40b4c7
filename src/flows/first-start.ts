import type { ModuleContext } from '../platform/module';
import { createIdentityService, seedIdentity } from '../modules/identity';

/**
 * What an empty platform gets on its first start: the city's organisations and, unless
 * switched off (`LUDAO_DEMO=0`), one demo account per role. Safe to run on every start:
 * each step does nothing when its data is already there.
 *
 * @example
 * await runFirstStart(ctx); // true the first time, false after
 */
export async function runFirstStart(ctx: Pick<ModuleContext, 'db' | 'audit' | 'events' | 'transaction' | 'config'>): Promise<boolean> {
  const identity = createIdentityService(ctx);
  return seedIdentity(ctx.db, ctx.transaction, identity, { demoUsers: ctx.config.seedDemo });
}
