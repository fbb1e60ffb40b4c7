import type { Kysely } from 'kysely';
import type { LudaoModule, ModuleContext } from '../../platform/module';
import { RecordReader } from '../datacentre';
import { provisionKey } from '../../platform/provisions';
import { CALL_FIELD_NAMER, CALL_LOG, CallLog } from '../exchange';
import { createIdentityService } from '../identity';
import { createSandbox } from './migrations/0001-create-sandbox';
import { maternityClaimBankAccount } from './migrations/0002-maternity-claim-bank-account';
import { guardSerial } from './migrations/0003-guard-serial';
import { ReceiptSigner } from './receipts';
import { SandboxService, type SandboxDeps } from './sandbox.service';
import * as store from './sandbox.store';
import { BUILTIN_TEMPLATES, DEMO_CASE_TYPES, PREDICATE_KINDS } from './templates';

export type {
  Aggregate,
  AggregateBody,
  BatchVerification,
  CaseType,
  Consent,
  MyVerification,
  NewConsentBody,
  ReceiptKey,
  ReceiptKeys,
  Template,
  StoredVerification,
  Verification,
  VerificationAttempt,
  VerifyBody,
} from './sandbox.contract';
export { checkReceipt, claimDigest, RECEIPT_ALGORITHM, RECEIPT_KEY_CHANNEL, ReceiptSigner, type PublicReceiptKey, type Receipt, type ReceiptCheck } from './receipts';
export { controlCount, REFUSED_PROBLEM_TYPE, SANDBOX_PHASES_CHANNEL, SandboxService, SWEEP_MAX_DISTINCT, SWEEP_WINDOW_DAYS, type SandboxPhases } from './sandbox.service';
export { BUILTIN_TEMPLATES, checkParams, CITY_DISTRICTS, DEMO_CASE_TYPES, PREDICATE_KINDS, type ParamsWrong } from './templates';

/** The sandbox's service, provided to the services built on it (school admission, maternity claims). */
export const SANDBOX_SERVICE = provisionKey<SandboxService>('sandbox.service');

/** A running sandbox: the service and what must be stopped with it. */
export interface Sandbox {
  service: SandboxService;
  stop(): Promise<void>;
}

/**
 * Stores the built-in templates (declared on behalf of their providers) and, for a demo city,
 * the demo case types; leaves existing ones as they are.
 *
 * @example
 * await seedSandbox(db, { demo: true });
 */
export async function seedSandbox(db: Kysely<object>, options: { demo: boolean }): Promise<void> {
  for (const t of BUILTIN_TEMPLATES) {
    const kind = PREDICATE_KINDS[t.kind]!;
    await store.insertTemplate(db, { code: t.code, kind: t.kind, name: t.name, name_en: t.nameEn, description: t.description, provider_org: t.providerOrg, resources: kind.resources.map((r) => r.code), declared_by: `org:${t.providerOrg}` });
  }
  if (!options.demo) return;
  for (const c of DEMO_CASE_TYPES) {
    await store.insertCaseType(db, {
      code: c.code,
      name: c.name,
      name_en: c.nameEn,
      owner_org: c.ownerOrg,
      purpose: c.purpose,
      legal_basis: c.legalBasis,
      templates: c.templates,
      per_case_per_day: c.perCasePerDay,
      per_applicant_per_day: c.perApplicantPerDay,
      per_handler_per_day: c.perHandlerPerDay,
      created_by: `org:${c.ownerOrg}`,
    });
  }
}

/**
 * Builds the sandbox over a module context: seeds its templates, loads (or makes, on first
 * start) the signing key, and starts its reader and call log (stop it when done).
 *
 * @example
 * const sandbox = await startSandbox(ctx);
 * await sandbox.service.verify(principal, { caseType, caseId, subject, claims });
 * await sandbox.stop();
 */
export async function startSandbox(
  ctx: Pick<ModuleContext, 'database' | 'db' | 'audit' | 'transaction' | 'config'>,
  shared: { callLog?: CallLog; orgNames?: SandboxDeps['orgNames'] } = {},
): Promise<Sandbox> {
  await seedSandbox(ctx.db, { demo: ctx.config.seedDemo });
  const reader = new RecordReader(ctx.database);
  const signer = new ReceiptSigner(ctx.database);
  const ownCallLog = shared.callLog ? null : new CallLog(ctx.db, ctx.audit);
  const callLog = shared.callLog ?? ownCallLog!;
  await signer.start();
  await reader.start();
  const service = new SandboxService({ db: ctx.db, audit: ctx.audit, transaction: ctx.transaction, reader, signer, callLog, orgNames: shared.orgNames });
  return {
    service,
    async stop() {
      await ownCallLog?.drain();
      await reader.stop();
      await signer.stop();
    },
  };
}

/**
 * The sandbox (system 3): verification without disclosure (可用不可见) — templates, consent,
 * guards, signed receipts and planning aggregates over the data centre's records.
 */
export const sandboxModule: LudaoModule = {
  name: 'sandbox',
  migrations: { '0001-create-sandbox': createSandbox, '0002-maternity-claim-bank-account': maternityClaimBankAccount, '0003-guard-serial': guardSerial },
  async register(ctx) {
    const identity = createIdentityService(ctx);
    // One call log per process: the exchange's (its partitions and group commit are shared).
    const sandbox = await startSandbox(ctx, { callLog: ctx.provisions.use(CALL_LOG), orgNames: () => identity.orgDirectory() });
    ctx.http.addHook('onClose', () => sandbox.stop());
    const { registerSandboxRoutes } = await import('./sandbox.routes');
    registerSandboxRoutes(ctx.http, sandbox.service);
    ctx.provisions.provide(SANDBOX_SERVICE, sandbox.service);
    // A verification over several registries logs its claims' template codes as its fields.
    ctx.provisions.find(CALL_FIELD_NAMER)?.((codes) => sandbox.service.templateNames(codes));
  },
};
