import type { LudaoModule } from '../../platform/module';
import { SANDBOX_SERVICE } from '../sandbox';
import { MaternityService } from './maternity.service';
import { createMaternity } from './migrations/0001-create-maternity';

export type { Claim, ClaimChecks, Rules } from './maternity.contract';
export { MaternityService } from './maternity.service';

/**
 * The maternity-insurance quick claim (生育险, issue 5 part 7), built on the sandbox: a parent
 * files on a phone, four claims are verified without disclosure, a full match is approved at
 * once with the allowance the bureau's rules give, anything else goes to the bureau's handlers.
 */
export const maternityModule: LudaoModule = {
  name: 'maternity',
  migrations: { '0001-create-maternity': createMaternity },
  async register(ctx) {
    const service = new MaternityService({ db: ctx.db, audit: ctx.audit, transaction: ctx.transaction, sandbox: ctx.provisions.use(SANDBOX_SERVICE) });
    await service.ensureRules();
    // Claims a stopped process left `verifying` are completed before requests come in.
    await service.resumeVerifying();
    const { registerMaternityRoutes } = await import('./maternity.routes');
    registerMaternityRoutes(ctx.http, service);
  },
};
