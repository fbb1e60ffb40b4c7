import type { LudaoModule } from '../../platform/module';
import { SANDBOX_SERVICE } from '../sandbox';
import { AdmissionService } from './admission.service';
import { createAdmission } from './migrations/0001-create-admission';

export type { Application, BatchOutcome, MyApplication, NewApplicationBody, NewRoundBody, Ranking, Round, RulesBody, RulesVersion } from './admission.contract';
export { AdmissionService, rankZone, score } from './admission.service';

/**
 * Points-based school admission (积分入学, issue 5 part 6), built on the sandbox: rules as
 * data, applications with consent, one verification batch, ranking per school zone, results.
 */
export const admissionModule: LudaoModule = {
  name: 'admission',
  migrations: { '0001-create-admission': createAdmission },
  async register(ctx) {
    const { registerAdmissionRoutes } = await import('./admission.routes');
    const service = new AdmissionService({ db: ctx.db, audit: ctx.audit, transaction: ctx.transaction, sandbox: ctx.provisions.use(SANDBOX_SERVICE) });
    registerAdmissionRoutes(ctx.http, service);
  },
};
