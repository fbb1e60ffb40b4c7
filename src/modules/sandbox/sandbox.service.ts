import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import { auditActor, hasPermission, orgWithin, requirePermission, type Principal } from '../../platform/access';
import { chinaDay } from '../../platform/china-time';
import { canonicalJson, type AuditLog } from '../../platform/audit';
import { Problem } from '../../platform/http/problem';
import { isValidResidentId } from '../../platform/ids';
import type { RecordReader } from '../datacentre';
import { callReason, type CallLog } from '../exchange';
import type { Aggregate, AggregateBody, BatchVerification, CaseClaims, CaseType, Consent, NewCaseTypeBody, NewConsentBody, NewTemplateBody, Refusal, StoredVerification, Template, Verification } from './sandbox.contract';
import * as store from './sandbox.store';
import { claimDigest, type PublicReceiptKey, type Receipt, type ReceiptSigner } from './receipts';
import { sbMessage } from './messages';
import { renderMessage } from '../../platform/i18n';
import { checkParams, PREDICATE_KINDS } from './templates';

/** The problem type of every refusal: one shape, whatever the reason. */
export const REFUSED_PROBLEM_TYPE = 'urn:ludao:problem:verification-refused';
/** How far back a sweep of parameters over one subject is looked for. */
export const SWEEP_WINDOW_DAYS = 365;
/**
 * Distinct parameter sets one template may be answered with for one subject within the window
 * (from any case): two lets a person apply for two services with different thresholds; a
 * third is refused, since each answer tells a little more of the value.
 */
export const SWEEP_MAX_DISTINCT = 2;
/** Longest a consent may run. */
const CONSENT_MAX_DAYS = 731;
/** Disclosure control of aggregates (DOMAIN.md): counts up to this are withheld. */
const SUPPRESS_AT_MOST = 7;
/** Fields of the population registry an aggregate may group applicants by. */
const GROUP_FIELDS = { street: 'residence_street_code', district: 'residence_district_code' } as const;

/** The diagnostics channel each verification run reports its phases on (only while someone subscribes). */
export const SANDBOX_PHASES_CHANNEL = 'ludao:sandbox:phases';

/** How long each phase of one verification run took, in milliseconds (bench/sandbox prints them). */
export interface SandboxPhases {
  batchId: string;
  cases: number;
  claims: number;
  /** Parsing and checking the claims' parameters. */
  validation: number;
  /** Reading the history, consents and cases, and judging every claim. */
  guards: number;
  /** One statement per predicate kind. */
  evaluation: number;
  /** Building the attempts' rows. */
  rows: number;
  /** The one transaction: attempts, receipts (signed meanwhile), audit entries. */
  storing: number;
  /** One call per case into the exchange's call log. */
  callLog: number;
}

const phasesChannel = channel(SANDBOX_PHASES_CHANNEL);
/** Receipts signed between two turns of the event loop (each ~50 µs): the inserts go on in between. */
const SIGN_SLICE = 200;

/** Throttles of a case type declared without them: a counter's day, not a batch's. */
export const DEFAULT_THROTTLES = { perCasePerDay: 20, perApplicantPerDay: 20, perHandlerPerDay: 500 } as const;

/** Dependencies of the sandbox service. */
export interface SandboxDeps {
  db: Kysely<object>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  reader: RecordReader;
  signer: ReceiptSigner;
  /** The exchange's call log: every claim, answered or refused, lands in "who used my data". */
  callLog: CallLog;
  /** Departments' names by code (the identity module's directory), so citizens read names, not codes. */
  orgNames?: () => Promise<ReadonlyMap<string, { name: string; nameEn: string }>>;
}

/** One case of a request as the guards judge it. */
interface CaseOutcome {
  caseId: string;
  subject: string;
  claims: { template: string; params: Record<string, string | number>; digest: string; reason: Refusal | null; result?: store.ClaimResult }[];
  refused: boolean;
  receipt?: Receipt;
}

// Thrown in the storing transaction when the guards, judged again, come out otherwise (what the
// caller is told, if it happens twice, is `sb.guardsMoved`).
class GuardsMoved extends Error {}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const chinaDayStart = (at: Date) => new Date(Date.parse(`${chinaDay(at)}T00:00:00+08:00`));

/** Disclosure control: ≤ 7 withheld, others rounded to the nearest 5. */
export function controlCount(n: number): number | null {
  return n <= SUPPRESS_AT_MOST ? null : Math.round(n / 5) * 5;
}

/**
 * The sandbox (system 3): verification without disclosure. A case handler's claims about an
 * applicant are checked against the data centre inside Ludao and answered `match`,
 * `no_match` or `unverifiable`, never with a value — after the guards: the handler's
 * department owns the case type, the case type whitelists the claim, the applicant consented,
 * each claim once per case, throttles per case, applicant and handler, and no sweep of
 * parameters over one subject. Requests that arrive together are guarded as if one came after
 * the other: a request judged on a history that others have since added to is judged again
 * when it is stored; if the outcome changed, nothing is stored and it runs again on the
 * history as it now is (a conflict if that happens twice).
 * Every attempt is stored, audited and logged in the exchange's call log (the citizen's "who
 * used my data"); every answer is signed.
 */
export class SandboxService {
  constructor(private readonly deps: SandboxDeps) {}

  // ------------------------------------------------------------ templates and case types

  /** Every verification template, with its parameters. */
  async listTemplates(who: Principal | null): Promise<Template[]> {
    if (!who) throw Problem.unauthenticated();
    return (await store.listTemplates(this.deps.db)).map(presentTemplate);
  }

  /** Every case type, with its whitelist and throttles. */
  async listCaseTypes(who: Principal | null): Promise<CaseType[]> {
    if (!who) throw Problem.unauthenticated();
    const [rows, orgs] = await Promise.all([store.listCaseTypes(this.deps.db), this.orgNames()]);
    return rows.map((c) => ({ ...presentCaseType(c), ownerName: orgLabels(orgs, c.owner_org) }));
  }

  /**
   * A provider department declares a template on its own resources: a predicate kind,
   * under a code and name of its choosing. Only the provider of every resource the kind reads
   * first (or its parent department) may.
   */
  async declareTemplate(who: Principal | null, body: NewTemplateBody, requestId?: string): Promise<Template> {
    const caller = requirePermission(who, 'sandbox:declare');
    const kind = PREDICATE_KINDS[body.kind];
    if (!kind) throw Problem.validation(undefined, [{ field: '/body/kind', message: sbMessage('sb.unknownKind', { kind: body.kind, kinds: Object.keys(PREDICATE_KINDS).join(', ') }) }]);
    const primary = await this.deps.reader.describe(kind.resources[0]!.code);
    if (!primary) throw Problem.notFound(sbMessage('sb.kindNotInCatalogue', { resource: kind.resources[0]!.code, kind: body.kind }));
    if (!orgWithin(primary.providerOrgCode, caller.orgCode)) throw Problem.forbidden(sbMessage('sb.onlyProviderDeclares', { provider: primary.providerOrgCode, resource: primary.code }));
    const row = { code: body.code, kind: kind.kind, name: body.name, name_en: body.nameEn, description: body.description, provider_org: primary.providerOrgCode, resources: kind.resources.map((r) => r.code), declared_by: caller.id };
    await this.deps.transaction(async (trx) => {
      if (!(await store.insertTemplate(trx, row))) throw Problem.conflict(sbMessage('sb.templateExists', { code: body.code }));
      await this.deps.audit.append(trx, { action: 'sandbox.template.declare', actor: auditActor(caller), subject: { type: 'sb_template', id: body.code }, requestId: requestId ?? null, detail: { kind: kind.kind, provider: primary.providerOrgCode } });
    });
    return presentTemplate((await store.listTemplates(this.deps.db)).find((t) => t.code === body.code)!);
  }

  /** A consuming department declares a case type for its cases: purpose, legal basis, whitelist, throttles. */
  async declareCaseType(who: Principal | null, body: NewCaseTypeBody, requestId?: string): Promise<CaseType> {
    const caller = requirePermission(who, 'sandbox:declare');
    if (!caller.orgCode) throw Problem.forbidden(sbMessage('sb.onlyDepartmentDeclares'));
    const templates = await this.templatesByCode();
    const unknown = body.templates.filter((t) => !templates.has(t));
    if (unknown.length > 0) throw Problem.validation(undefined, [{ field: '/body/templates', message: sbMessage('sb.noTemplates', { templates: unknown.join(', ') }) }]);
    const row = {
      code: body.code,
      name: body.name,
      name_en: body.nameEn,
      owner_org: caller.orgCode,
      purpose: body.purpose,
      legal_basis: body.legalBasis,
      templates: body.templates,
      per_case_per_day: body.perCasePerDay ?? DEFAULT_THROTTLES.perCasePerDay,
      per_applicant_per_day: body.perApplicantPerDay ?? DEFAULT_THROTTLES.perApplicantPerDay,
      per_handler_per_day: body.perHandlerPerDay ?? DEFAULT_THROTTLES.perHandlerPerDay,
      created_by: caller.id,
    };
    await this.deps.transaction(async (trx) => {
      if (!(await store.insertCaseType(trx, row))) throw Problem.conflict(sbMessage('sb.caseTypeExists', { code: body.code }));
      await this.deps.audit.append(trx, { action: 'sandbox.case_type.declare', actor: auditActor(caller), subject: { type: 'sb_case_type', id: body.code }, purpose: body.purpose, requestId: requestId ?? null, detail: { templates: body.templates } });
    });
    return presentCaseType((await store.findCaseType(this.deps.db, body.code))!);
  }

  // ------------------------------------------------------------ consent

  /** A citizen authorises a case type to check some of its claims about them, until a date. */
  async createConsent(who: Principal | null, body: NewConsentBody, requestId?: string): Promise<Consent> {
    const caller = requirePermission(who, 'sandbox:consent');
    const subject = this.requireSubject(caller);
    const caseType = await this.caseType(body.caseType);
    const outside = body.templates.filter((t) => !caseType.templates.includes(t));
    if (outside.length > 0) {
      throw Problem.validation(undefined, [{ field: '/body/templates', message: sbMessage('sb.notOnWhitelist', { caseType: caseType.code, templates: outside.join(', ') }) }]);
    }
    const today = chinaDay(new Date());
    const latest = chinaDay(new Date(Date.now() + CONSENT_MAX_DAYS * 86_400_000));
    if (!(body.validUntil >= today && body.validUntil <= latest)) {
      throw Problem.validation(undefined, [{ field: '/body/validUntil', message: sbMessage('sb.validUntil', { latest }) }]);
    }
    const id = `SC-${randomUUID().slice(0, 13)}`;
    await this.deps.transaction(async (trx) => {
      await store.insertConsent(trx, { id, subject, case_type: caseType.code, templates: body.templates, valid_until: new Date(Date.parse(`${body.validUntil}T23:59:59.999+08:00`)), created_by: caller.id });
      await this.deps.audit.append(trx, {
        action: 'sandbox.consent.create',
        actor: auditActor(caller),
        subject: { type: 'sb_consent', id },
        dataSubject: subject,
        requestId: requestId ?? null,
        detail: { caseType: caseType.code, templates: body.templates, validUntil: body.validUntil },
      });
    });
    return (await this.listConsents(caller)).find((c) => c.id === id)!;
  }

  /** The citizen's consents, newest first. */
  async listConsents(who: Principal | null): Promise<Consent[]> {
    const caller = requirePermission(who, 'sandbox:consent');
    const subject = this.requireSubject(caller);
    const [rows, caseTypes, templates, orgs] = await Promise.all([store.listConsents(this.deps.db, subject), this.caseTypesByCode(), this.templatesByCode(), this.orgNames()]);
    const now = Date.now();
    return rows.map((c) => {
      const ct = caseTypes.get(c.case_type);
      return {
        id: c.id,
        caseType: c.case_type,
        caseTypeName: { zh: ct?.name ?? c.case_type, en: ct?.name_en ?? c.case_type },
        department: ct?.owner_org ?? '',
        departmentName: orgLabels(orgs, ct?.owner_org),
        templates: c.templates.map((code) => ({ code, name: { zh: templates.get(code)?.name ?? code, en: templates.get(code)?.name_en ?? code } })),
        validUntil: chinaDay(c.valid_until),
        createdAt: c.created_at.toISOString(),
        withdrawnAt: c.withdrawn_at ? c.withdrawn_at.toISOString() : null,
        status: c.withdrawn_at ? 'withdrawn' : c.valid_until.getTime() <= now ? 'expired' : 'live',
      };
    });
  }

  /** The citizen withdraws a consent; checks after this are refused. */
  async withdrawConsent(who: Principal | null, id: string, requestId?: string): Promise<Consent> {
    const caller = requirePermission(who, 'sandbox:consent');
    const subject = this.requireSubject(caller);
    const consent = await store.findConsent(this.deps.db, id, subject);
    if (!consent) throw Problem.notFound(sbMessage('sb.noConsent', { id }));
    await this.deps.transaction(async (trx) => {
      if (!(await store.withdrawConsent(trx, id))) throw Problem.conflict(sbMessage('sb.consentWithdrawn', { id }));
      await this.deps.audit.append(trx, { action: 'sandbox.consent.withdraw', actor: auditActor(caller), subject: { type: 'sb_consent', id }, dataSubject: subject, requestId: requestId ?? null });
    });
    return (await this.listConsents(caller)).find((c) => c.id === id)!;
  }

  // ------------------------------------------------------------ verification

  /**
   * Verifies one case's claims. All or nothing: if any claim is refused, none is evaluated
   * and the answer is the one refusal problem (403), whatever the reasons.
   */
  async verify(who: Principal | null, body: { caseType: string } & CaseClaims, requestId?: string): Promise<Verification> {
    const { cases } = await this.run(who, body.caseType, [body], false, requestId);
    const outcome = cases[0]!;
    if (outcome.refused) throw refusal(outcome);
    return { caseType: body.caseType, caseId: outcome.caseId, results: outcome.claims.map((c) => ({ template: c.template, result: c.result! })), receipt: outcome.receipt! };
  }

  /** Verifies many cases of one case type in one call; each case is answered or refused whole. */
  async verifyBatch(who: Principal | null, body: { caseType: string; items: CaseClaims[] }, requestId?: string): Promise<BatchVerification> {
    const { batchId, cases } = await this.run(who, body.caseType, body.items, true, requestId);
    let answered = 0;
    let claims = 0;
    const items = cases.map((c) => {
      claims += c.claims.length;
      if (c.refused) return { caseId: c.caseId, status: 'refused' as const, refusals: c.claims.map((x, i) => ({ claim: i, template: x.template, reason: x.reason! })) };
      answered += 1;
      return { caseId: c.caseId, status: 'answered' as const, results: c.claims.map((x) => ({ template: x.template, result: x.result! })), receiptId: c.receipt!.id };
    });
    return { batchId, caseType: body.caseType, answered, refused: cases.length - answered, claims, items };
  }

  /**
   * The stored answers of given cases of a case type, one per answered request (oldest first),
   * from their signed receipts; cases never answered are absent. Only the case type's own
   * department reads them: a service built on the sandbox completes its own step from them when
   * storing its result failed after the sandbox answered (asking again would be `repeated`).
   * Nothing is evaluated and no guard is relaxed; reading is not a new use of anyone's data.
   *
   * @example
   * const [answer] = await sandbox.storedAnswers(system, 'maternity_claim', ['MC-1-1']);
   */
  async storedAnswers(who: Principal | null, caseTypeCode: string, caseIds: readonly string[]): Promise<StoredVerification[]> {
    const caller = requirePermission(who, 'sandbox:verify');
    const caseType = await this.caseType(caseTypeCode);
    if (!orgWithin(caller.orgCode, caseType.owner_org)) throw Problem.forbidden(sbMessage('sb.onlyOwnerReads', { owner: caseType.owner_org, caseType: caseType.code }));
    const rows = await store.findCaseReceipts(this.deps.db, caseType.code, caseIds);
    return rows.map((r) => {
      const receipt = r.body as unknown as Receipt;
      return { caseType: r.case_type, caseId: r.case_id, batchId: r.batch_id, results: receipt.claims.map((c) => ({ template: c.template, result: c.result })), receipt };
    });
  }

  /** A receipt of the caller's department (operators: any). */
  async getReceipt(who: Principal | null, id: string): Promise<Receipt> {
    const caller = hasPermission(who, 'sandbox:oversee') ? who! : requirePermission(who, 'sandbox:verify');
    const row = await store.findReceipt(this.deps.db, id);
    if (!row || !(hasPermission(caller, 'sandbox:oversee') || orgWithin(row.consumer_org, caller.orgCode))) throw Problem.notFound(sbMessage('sb.noReceipt', { id }));
    return row.body as unknown as Receipt;
  }

  /** The public keys receipts are signed with. */
  async receiptKeys() {
    return { algorithm: 'Ed25519', keys: await this.deps.signer.publicKeys() };
  }

  /**
   * An operator rotates the receipt key (on a schedule, or when the old one may be known): the
   * new key signs from now on, and the old one stays published for the receipts it signed.
   */
  async rotateReceiptKey(who: Principal | null, requestId?: string): Promise<PublicReceiptKey> {
    const caller = requirePermission(who, 'sandbox:keys');
    return this.deps.signer.rotate((trx, keyId) =>
      this.deps.audit.append(trx, { action: 'sandbox.receipt_key.rotate', actor: auditActor(caller), subject: { type: 'sb_signing_key', id: keyId }, requestId: requestId ?? null, detail: {} }),
    );
  }

  /** Verification attempts of the caller's department's cases (operators, auditors: all). */
  async listVerifications(who: Principal | null, filter: { caseType?: string; caseId?: string; limit?: number }) {
    const overseer = hasPermission(who, 'sandbox:oversee');
    const caller = overseer ? who! : requirePermission(who, 'sandbox:verify');
    const rows = await store.listVerifications(this.deps.db, { org: overseer ? null : (caller.orgCode ?? '-'), ...filter, limit: filter.limit ?? 200 });
    return rows.map((r) => ({
      id: r.id,
      at: r.requested_at.toISOString(),
      caseType: r.case_type,
      caseId: r.case_id,
      template: r.template,
      department: r.consumer_org,
      handler: r.handler,
      outcome: r.outcome,
      result: r.result,
      refusal: r.refusal,
      receiptId: r.receipt_id,
    }));
  }

  /** Every verification about the signed-in citizen: who, when, which case, which claim, what it came to. */
  async myVerifications(who: Principal | null, limit = 200) {
    const caller = requirePermission(who, 'my_data:read');
    if (!caller.subjectId) return [];
    const [rows, caseTypes, templates, orgs] = await Promise.all([store.listSubjectVerifications(this.deps.db, caller.subjectId, limit), this.caseTypesByCode(), this.templatesByCode(), this.orgNames()]);
    return rows.map((r) => {
      const ct = caseTypes.get(r.case_type);
      const t = templates.get(r.template);
      return {
        id: r.id,
        at: r.requested_at.toISOString(),
        department: r.consumer_org,
        departmentName: orgLabels(orgs, r.consumer_org),
        caseType: r.case_type,
        caseTypeName: ct ? { zh: ct.name, en: ct.name_en } : null,
        caseId: r.case_id,
        template: r.template,
        templateName: t ? { zh: t.name, en: t.name_en } : null,
        outcome: r.outcome,
        result: r.result,
        refusal: r.refusal,
      };
    });
  }

  // ------------------------------------------------------------ aggregates

  /**
   * Counts a case type's applicants, and those for whom a claim holds, per street or district
   * of residence, under disclosure control: ≤ 7 withheld, others rounded to 5.
   */
  async aggregate(who: Principal | null, body: AggregateBody, requestId?: string): Promise<Aggregate> {
    const caller = requirePermission(who, 'sandbox:aggregate');
    const caseType = await this.caseType(body.caseType);
    if (!hasPermission(caller, 'sandbox:oversee') && !orgWithin(caller.orgCode, caseType.owner_org)) {
      throw Problem.forbidden(sbMessage('sb.onlyOwnerCounts', { owner: caseType.owner_org, caseType: caseType.code }));
    }
    if (!caseType.templates.includes(body.template)) throw Problem.forbidden(sbMessage('sb.notOnWhitelist', { caseType: caseType.code, templates: body.template }));
    const template = (await this.templatesByCode()).get(body.template)!;
    const kind = PREDICATE_KINDS[template.kind]!;
    // A count of applicants "married to S" is a question about S, not a statistic.
    if (kind.params.some((p) => p.person)) throw Problem.forbidden(sbMessage('sb.namesPerson', { template: body.template }));
    const checked = checkParams(kind, body.params);
    if (!checked.ok) throw Problem.validation(undefined, [{ field: '/body/params', message: checked.why }]);
    const relations = await this.relations(kind);
    const raw = relations
      ? await store.aggregateCaseTypeClaims(this.deps.db, {
          caseType: caseType.code,
          kind: kind.kind,
          relations: relations.records,
          primary: kind.resources[0]!.code,
          people: relations.people,
          groupField: GROUP_FIELDS[body.groupBy],
          params: checked.params,
          today: chinaDay(new Date()),
        })
      : [];
    await this.deps.audit.record({
      action: 'sandbox.aggregate',
      actor: auditActor(caller),
      subject: { type: 'sb_case_type', id: caseType.code },
      purpose: caseType.purpose,
      requestId: requestId ?? null,
      detail: { template: body.template, params: checked.params, groupBy: body.groupBy, groups: raw.length },
    });
    return {
      caseType: caseType.code,
      template: body.template,
      groupBy: body.groupBy,
      rule: `counts of ${SUPPRESS_AT_MOST} or fewer are withheld (null); others are rounded to the nearest 5`,
      groups: raw.map((g) => ({ group: g.group, applicants: controlCount(g.applicants), matched: controlCount(g.matched) })),
    };
  }

  // ------------------------------------------------------------ the verification run

  // Guards every claim, evaluates the admitted ones set-based, signs, stores and logs.
  // A request whose guards come out otherwise once others stored meanwhile are counted is
  // run again, once, on the history as it now is; a second such change is a conflict (409).
  private async run(who: Principal | null, caseTypeCode: string, items: readonly CaseClaims[], batch: boolean, requestId?: string): Promise<{ batchId: string; cases: CaseOutcome[] }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(who, caseTypeCode, items, batch, requestId);
      } catch (error) {
        if (!(error instanceof GuardsMoved)) throw error;
        if (attempt === 2) throw Problem.conflict(sbMessage('sb.guardsMoved'));
      }
    }
  }

  private async runOnce(who: Principal | null, caseTypeCode: string, items: readonly CaseClaims[], batch: boolean, requestId?: string): Promise<{ batchId: string; cases: CaseOutcome[] }> {
    const caller = requirePermission(who, 'sandbox:verify');
    const receivedAt = new Date();
    const clock = [performance.now()];
    const caseType = await this.caseType(caseTypeCode);
    const templates = await this.templatesByCode();
    const cases = this.validate(items, caseType, templates, batch);
    clock.push(performance.now());
    const caseIds = [...new Set(cases.map((c) => c.caseId))];
    const subjects = [...new Set(cases.map((c) => c.subject))];
    const historyQuery = {
      caseType: caseType.code,
      caseIds,
      subjects,
      handler: caller.id,
      dayStart: chinaDayStart(receivedAt),
      sweepSince: new Date(receivedAt.getTime() - SWEEP_WINDOW_DAYS * 86_400_000),
    };
    // Read before the history: if it has moved when this request is stored, others were stored
    // after the history was read, and the guards are judged again (in the storing transaction).
    const serial = await store.readGuardSerial(this.deps.db);
    // The guards' reads are independent of each other: they run side by side.
    const [history, consents, caseSubjects] = await Promise.all([
      store.readGuardHistory(this.deps.db, historyQuery),
      store.findLiveConsents(this.deps.db, caseType.code, subjects),
      store.findCaseSubjects(this.deps.db, caseType.code, caseIds),
    ]);
    const boundBefore = new Set(caseSubjects.keys());
    const ownDepartment = orgWithin(caller.orgCode, caseType.owner_org);
    const sweeps: { subject: string; template: string }[] = [];
    // The guards set each claim's reason; what validation set is kept to judge them again.
    const validated = cases.map((c) => c.claims.map((x) => x.reason));
    const judge = (on: CaseOutcome[], history: store.GuardHistory, caseSubjects: Map<string, string>, found: typeof sweeps) => {
      for (const c of on) this.guard(c, { caseType, ownDepartment, history, consents, caseSubjects, sweeps: found });
    };
    judge(cases, history, caseSubjects, sweeps);
    const authorisedAt = new Date();
    clock.push(performance.now());

    await this.evaluate(cases, templates);
    const dataReadyAt = new Date();
    clock.push(performance.now());

    // Ids in batch order (a random batch key, then the position, zero-padded so that text order
    // is batch order): inserts append to the indexes instead of splitting pages all over them.
    const batchKey = randomBytes(8).toString('hex');
    const position = (n: number) => String(n).padStart(7, '0');
    const batchId = `SB-${batchKey}`;
    const consumerOrg = caller.orgCode ?? '-';
    const verifications: store.VerificationRow[] = [];
    const firstRow: number[] = [];
    for (const [n, c] of cases.entries()) {
      firstRow.push(verifications.length);
      const receiptId = c.refused ? null : `SR-${batchKey}-${position(n)}`;
      for (const x of c.claims) {
        verifications.push({
          id: `SV-${batchKey}-${position(verifications.length)}`,
          batch_id: batchId,
          receipt_id: receiptId,
          case_type: caseType.code,
          case_id: c.caseId,
          subject: c.subject,
          template: x.template,
          params: x.params,
          params_digest: x.digest,
          consumer_org: consumerOrg,
          handler: caller.id,
          requested_at: receivedAt,
          outcome: c.refused ? 'refused' : 'answered',
          result: c.refused ? null : x.result!,
          refusal: c.refused ? x.reason : null,
        });
      }
    }
    const receipts: store.ReceiptRow[] = [];
    // Signing is work for this process, storing the attempts work for the database: the
    // receipts are signed in slices while the attempts' inserts go on between them.
    const signReceipts = async () => {
      for (const [n, c] of cases.entries()) {
        if (n % SIGN_SLICE === SIGN_SLICE - 1) await new Promise<void>((resolve) => setImmediate(resolve));
        if (c.refused) continue;
        const nonce = randomBytes(12).toString('base64url');
        c.receipt = this.deps.signer.sign({
          id: `SR-${batchKey}-${position(n)}`,
          issuedAt: dataReadyAt.toISOString(),
          caseType: caseType.code,
          caseId: c.caseId,
          consumerOrg,
          nonce,
          claims: c.claims.map((x) => ({ template: x.template, digest: claimDigest(nonce, { subject: c.subject, template: x.template, params: x.params }), result: x.result! })),
        });
        receipts.push({ id: c.receipt.id, batch_id: batchId, case_type: caseType.code, case_id: c.caseId, consumer_org: consumerOrg, issued_at: dataReadyAt, body: c.receipt as unknown as Record<string, unknown> });
      }
    };
    clock.push(performance.now());
    const count = (pick: (v: store.VerificationRow) => string | null) =>
      verifications.reduce<Record<string, number>>((acc, v) => {
        const key = pick(v);
        if (key) acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      }, {});
    try {
      await this.deps.transaction(async (trx) => {
        if ((await store.bumpGuardSerial(trx)) !== serial) {
          // Requests stored since this one's guards read the history count too: judged on the
          // history as it now is, the cases must come out as they did, or nothing is stored.
          const [now, boundNow] = await Promise.all([store.readGuardHistory(trx, historyQuery), store.findCaseSubjects(trx, caseType.code, caseIds)]);
          const again = cases.map((c, n) => ({ ...c, refused: false, claims: c.claims.map((x, j) => ({ ...x, reason: validated[n]?.[j] ?? null })) }));
          judge(again, now, boundNow, []);
          if (again.some((c, n) => c.claims.some((x, j) => x.reason !== cases[n]!.claims[j]!.reason))) {
            throw new GuardsMoved('the guards, judged again on the history as it now is, come out otherwise');
          }
        }
        const attemptsStored = (async () => {
          await store.insertCases(trx, cases.filter((c) => !c.refused && !boundBefore.has(c.caseId)).map((c) => ({ case_type: caseType.code, case_id: c.caseId, subject: c.subject, consumer_org: consumerOrg })));
          await store.insertVerifications(trx, { batch_id: batchId, case_type: caseType.code, consumer_org: consumerOrg, handler: caller.id, requested_at: receivedAt }, verifications);
        })();
        attemptsStored.catch(() => undefined); // awaited below; failing while receipts are signed is not an unhandled rejection
        await signReceipts();
        await attemptsStored;
        await store.insertReceipts(trx, receipts);
        await this.deps.audit.append(trx, {
          action: 'sandbox.verify',
          actor: auditActor(caller),
          subject: { type: 'sb_batch', id: batchId },
          purpose: caseType.purpose,
          requestId: requestId ?? null,
          detail: { caseType: caseType.code, cases: cases.length, claims: verifications.length, results: count((v) => v.result), refusals: count((v) => v.refusal) },
        });
        for (const s of sweeps) {
          await this.deps.audit.append(trx, {
            action: 'sandbox.sweep.refused',
            actor: auditActor(caller),
            subject: { type: 'sb_batch', id: batchId },
            dataSubject: s.subject,
            requestId: requestId ?? null,
            detail: { caseType: caseType.code, template: s.template, distinctAllowed: SWEEP_MAX_DISTINCT, windowDays: SWEEP_WINDOW_DAYS },
          });
        }
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw Problem.conflict(sbMessage('sb.answeredConcurrently'));
      throw error;
    }
    clock.push(performance.now());
    // Evidence before answers: the calls are in the exchange's log (and so in every data
    // subject's "who used my data") before the handler sees a result.
    const callContext = { caller, caseType, templates, receivedAt, authorisedAt, dataReadyAt };
    const calls = cases.map((c, n) => this.callRecord(c, verifications.slice(firstRow[n], firstRow[n]! + c.claims.length), callContext));
    await Promise.all(calls.map((call) => this.deps.callLog.write(call)));
    clock.push(performance.now());
    if (phasesChannel.hasSubscribers) {
      const took = (i: number) => clock[i + 1]! - clock[i]!;
      const phases: SandboxPhases = { batchId, cases: cases.length, claims: verifications.length, validation: took(0), guards: took(1), evaluation: took(2), rows: took(3), storing: took(4), callLog: took(5) };
      phasesChannel.publish(phases);
    }
    return { batchId, cases };
  }

  // Checks the shape of every claim (400 for the whole request when one is malformed); claims
  // outside the whitelist are not checked here but refused by the guards.
  private validate(items: readonly CaseClaims[], caseType: store.CaseTypeRow, templates: Map<string, store.TemplateRow>, batch: boolean): CaseOutcome[] {
    return items.map((item, i) => {
      const at = batch ? `/body/items/${i}` : '/body';
      const subject = item.subject.trim().toUpperCase();
      if (!isValidResidentId(subject)) throw Problem.validation(undefined, [{ field: `${at}/subject`, message: sbMessage('sb.badResidentId') }]);
      const claims = item.claims.map((claim, j) => {
        const template = templates.get(claim.template);
        if (!template || !caseType.templates.includes(claim.template)) return { template: claim.template, params: {}, digest: '', reason: 'not_whitelisted' as Refusal };
        const checked = checkParams(PREDICATE_KINDS[template.kind]!, claim.params);
        if (!checked.ok) throw Problem.validation(undefined, [{ field: `${at}/claims/${j}/params`, message: checked.why }]);
        return { template: claim.template, params: checked.params, digest: paramsDigest(checked.params), reason: null };
      });
      return { caseId: item.caseId, subject, claims, refused: false };
    });
  }

  // The guards, in order, on one case; mutates the history with what this request adds.
  private guard(
    c: CaseOutcome,
    g: {
      caseType: store.CaseTypeRow;
      ownDepartment: boolean;
      history: store.GuardHistory;
      consents: Map<string, Set<string>>;
      caseSubjects: Map<string, string>;
      sweeps: { subject: string; template: string }[];
    },
  ): void {
    const { caseType, history } = g;
    const bound = g.caseSubjects.get(c.caseId);
    const answered = history.answered.get(c.caseId) ?? new Set<string>();
    const inThisCase = new Set<string>();
    const newDigests = new Map<string, string>();
    for (const x of c.claims) {
      const attempts = (history.attemptsPerCase.get(c.caseId) ?? 0) + 1;
      const subjectClaims = (history.claimsPerSubject.get(c.subject) ?? 0) + 1;
      const handlerClaims = history.handlerClaims + 1;
      history.attemptsPerCase.set(c.caseId, attempts);
      history.claimsPerSubject.set(c.subject, subjectClaims);
      history.handlerClaims = handlerClaims;
      if (x.reason) continue;
      const sweepKey = `${c.subject}|${x.template}`;
      const seen = history.paramsSeen.get(sweepKey) ?? new Set<string>();
      const digest = x.digest;
      if (!g.ownDepartment) x.reason = 'wrong_department';
      else if (bound !== undefined && bound !== c.subject) x.reason = 'case_subject_mismatch';
      else if (!g.consents.get(c.subject)?.has(x.template)) x.reason = 'no_consent';
      else if (answered.has(x.template) || inThisCase.has(x.template)) x.reason = 'repeated';
      else if (attempts > caseType.per_case_per_day || subjectClaims > caseType.per_applicant_per_day || handlerClaims > caseType.per_handler_per_day) x.reason = 'throttled';
      else if (!seen.has(digest) && seen.size >= SWEEP_MAX_DISTINCT) {
        x.reason = 'sweep';
        g.sweeps.push({ subject: c.subject, template: x.template });
      }
      inThisCase.add(x.template);
      if (!x.reason) newDigests.set(sweepKey, digest);
    }
    const first = c.claims.find((x) => x.reason)?.reason;
    if (first) {
      c.refused = true;
      for (const x of c.claims) x.reason ??= first;
      return;
    }
    // Admitted: what it is answered with becomes history for the cases after it.
    history.answered.set(c.caseId, new Set([...answered, ...inThisCase]));
    g.caseSubjects.set(c.caseId, c.subject);
    for (const [key, digest] of newDigests) history.paramsSeen.set(key, (history.paramsSeen.get(key) ?? new Set()).add(digest));
  }

  // Evaluates the admitted claims: one statement per template kind, for all cases at once.
  private async evaluate(cases: CaseOutcome[], templates: Map<string, store.TemplateRow>): Promise<void> {
    const byKind = new Map<string, { claim: CaseOutcome['claims'][number]; input: store.ClaimInput }[]>();
    for (const c of cases) {
      if (c.refused) continue;
      for (const claim of c.claims) {
        const kind = templates.get(claim.template)!.kind;
        const list = byKind.get(kind) ?? [];
        list.push({ claim, input: { idx: list.length, subject: c.subject, p: claim.params } });
        byKind.set(kind, list);
      }
    }
    const today = chinaDay(new Date());
    // One statement per kind, each on its own connection: the kinds are evaluated side by side.
    await Promise.all(
      [...byKind].map(async ([kindName, list]) => {
        const kind = PREDICATE_KINDS[kindName]!;
        const relations = await this.relations(kind);
        const results = relations
          ? await store.evaluateClaims(this.deps.db, kind.kind, relations.records, kind.resources[0]!.code, relations.people, list.map((l) => l.input), today)
          : new Map<number, store.ClaimResult>();
        for (const l of list) l.claim.result = results.get(l.input.idx) ?? 'unverifiable';
      }),
    );
  }

  // The data centre's current records a kind reads, or null when a resource is not in the catalogue.
  private async relations(kind: (typeof PREDICATE_KINDS)[string]): Promise<{ records: store.Relations; people: RawBuilder<unknown> } | null> {
    const records: Record<string, RawBuilder<unknown>> = {};
    for (const r of kind.resources) {
      if (!(await this.deps.reader.describe(r.code))) return null;
      records[r.code] = await this.deps.reader.currentRelation(r.code, r.fields);
    }
    if (!(await this.deps.reader.describe('population.person'))) return null;
    const people = await this.deps.reader.currentRelation('population.person', Object.values(GROUP_FIELDS));
    return { records, people };
  }

  // One call per case in the exchange's log: its claims, the applicant and every person named
  // in a parameter (a spouse, a child) as subjects, so each sees it in "who used my data".
  // A case of one provider's resource names it and the fields read; a case spanning several
  // names its templates instead (the sandbox's own view has each claim).
  private callRecord(
    c: CaseOutcome,
    rows: readonly store.VerificationRow[],
    ctx: { caller: Principal; caseType: store.CaseTypeRow; templates: Map<string, store.TemplateRow>; receivedAt: Date; authorisedAt: Date; dataReadyAt: Date },
  ) {
    const kinds = c.claims.map((x) => {
      const template = ctx.templates.get(x.template);
      return { template, kind: template ? PREDICATE_KINDS[template.kind] : undefined, params: x.params };
    });
    const resources = new Set(kinds.map((k) => k.kind?.resources[0]!.code ?? null));
    const providers = new Set(kinds.map((k) => k.template?.provider_org ?? null));
    const single = resources.size === 1 ? kinds[0]!.kind : undefined;
    const named = kinds.flatMap((k) => (k.kind ? k.kind.params.filter((p) => p.person).map((p) => String(k.params[p.name])) : []));
    const requestHash = sha256(canonicalJson({ ids: rows.map((r) => r.id), receivedAt: ctx.receivedAt.toISOString(), consumer: rows[0]!.consumer_org, caseType: ctx.caseType.code, caseId: c.caseId, subject: c.subject, claims: c.claims.map((x) => ({ template: x.template, params: x.params })) }));
    return {
      id: `${rows[0]!.id}-call`,
      received_at: ctx.receivedAt,
      authorised_at: c.refused ? null : ctx.authorisedAt,
      data_ready_at: c.refused ? null : ctx.dataReadyAt,
      responded_at: new Date(),
      channel_id: null,
      consumer_org: rows[0]!.consumer_org,
      consumer_system: ctx.caller.kind === 'system' ? ctx.caller.name : null,
      provider_org: providers.size === 1 ? [...providers][0]! : null,
      resource_code: single ? single.resources[0]!.code : null,
      operation: 'verify',
      fields: single ? single.resources[0]!.fields : c.claims.map((x) => x.template),
      purpose: ctx.caseType.purpose,
      case_id: c.caseId,
      end_user: ctx.caller.kind === 'user' ? ctx.caller.name : null,
      subjects: [...new Set([c.subject, ...named])],
      record_count: 0,
      outcome: c.refused ? ('refused' as const) : ('ok' as const),
      status_code: c.refused ? 403 : 200,
      ...(c.refused ? refusedCall([...new Set(c.claims.map((x) => x.reason).filter((x): x is Refusal => x !== null))]) : { reason: null }),
      request_hash: requestHash,
      response_hash: c.receipt ? sha256(`${requestHash}\n${c.receipt.signature}`) : null,
    };
  }

  // ------------------------------------------------------------ helpers

  private requireSubject(caller: Principal): string {
    if (!caller.subjectId) throw Problem.forbidden(sbMessage('sb.notLinked'));
    return caller.subjectId;
  }

  private async caseType(code: string): Promise<store.CaseTypeRow> {
    const row = await store.findCaseType(this.deps.db, code);
    if (!row) throw Problem.notFound(sbMessage('sb.noCaseType', { code }));
    return row;
  }

  /** The names of templates by code, in both languages (for the exchange's "who used my data"). */
  async templateNames(codes: readonly string[]): Promise<ReadonlyMap<string, { zh: string; en: string }>> {
    const templates = await this.templatesByCode();
    return new Map(codes.flatMap((code) => {
      const t = templates.get(code);
      return t ? [[code, { zh: t.name, en: t.name_en }] as const] : [];
    }));
  }

  private async templatesByCode(): Promise<Map<string, store.TemplateRow>> {
    return new Map((await store.listTemplates(this.deps.db)).map((t) => [t.code, t]));
  }

  private async orgNames(): Promise<ReadonlyMap<string, { name: string; nameEn: string }>> {
    return this.deps.orgNames ? this.deps.orgNames() : new Map();
  }

  private async caseTypesByCode(): Promise<Map<string, store.CaseTypeRow>> {
    return new Map((await store.listCaseTypes(this.deps.db)).map((c) => [c.code, c]));
  }
}

// The parameters' fingerprint: equal parameters, equal digest (sweeps compare these).
function paramsDigest(params: Record<string, string | number>): string {
  return sha256(canonicalJson(params));
}

// A refused case's reason in the call log: the English with the reasons' codes, as it always
// read, and a message that words them in Chinese for the department's call log.
function refusedCall(reasons: readonly Refusal[]) {
  return callReason(sbMessage('sb.callRefused', { reasons: reasons.join(', '), reasonsZh: reasons.map((r) => renderMessage(sbMessage(`sb.reason.${r}`), 'zh-CN')).join('；') }));
}

// One refusal problem for every reason: the same type, title, status and sentence (in the
// reader's language); the reason of each claim (which depends only on the request and its
// history) in `errors`, as its code in every language: clients and the web switch on it.
function refusal(outcome: CaseOutcome): Problem {
  return new Problem(
    403,
    REFUSED_PROBLEM_TYPE,
    sbMessage('sb.title.refused'),
    sbMessage('sb.refused'),
    outcome.claims.map((c, i) => ({ field: `/body/claims/${i}`, message: c.reason! })),
  );
}

// A department's names in both languages, or null when the directory does not know it.
function orgLabels(orgs: ReadonlyMap<string, { name: string; nameEn: string }>, code: string | undefined): { zh: string; en: string } | null {
  const org = code ? orgs.get(code) : undefined;
  return org ? { zh: org.name, en: org.nameEn } : null;
}

function presentTemplate(t: store.TemplateRow): Template {
  const kind = PREDICATE_KINDS[t.kind];
  return {
    code: t.code,
    kind: t.kind,
    name: t.name,
    nameEn: t.name_en,
    description: t.description,
    providerOrg: t.provider_org,
    resources: t.resources,
    params: (kind?.params ?? []).map((p) => ({ name: p.name, type: p.type, labelZh: p.labelZh, labelEn: p.labelEn })),
    declaredAt: t.declared_at.toISOString(),
  };
}

function presentCaseType(c: store.CaseTypeRow): CaseType {
  return {
    code: c.code,
    name: c.name,
    nameEn: c.name_en,
    ownerOrg: c.owner_org,
    purpose: c.purpose,
    legalBasis: c.legal_basis,
    templates: c.templates,
    perCasePerDay: c.per_case_per_day,
    perApplicantPerDay: c.per_applicant_per_day,
    perHandlerPerDay: c.per_handler_per_day,
  };
}
