import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditActor, hasPermission, orgWithin, requirePermission, type Principal } from '../../platform/access';
import { chinaDay } from '../../platform/china-time';
import type { AuditLog } from '../../platform/audit';
import { Problem } from '../../platform/http/problem';
import { parseResidentId } from '../../platform/ids';
import { claimDigest, REFUSED_PROBLEM_TYPE, type SandboxService, type StoredVerification } from '../sandbox';
import type { AccountBody, Claim, ClaimChecks, DecisionBody, NewClaimBody, Rules, RulesBody } from './maternity.contract';
import * as store from './maternity.store';
import { matMessage } from './messages';

/** The sandbox case type the claims are verified under, and the bureau that owns it. */
export const MATERNITY_CASE_TYPE = 'maternity_claim';
/** The healthcare security bureau: its handlers review claims, its administrators set the rules. */
export const MATERNITY_BUREAU = 'xm.medsec';

/** The checks every claim makes, in order (templates of the sandbox), with the parent-facing names. */
export const MATERNITY_CHECKS = [
  { template: 'marriage.married_to', name: { zh: '结婚登记', en: 'Marriage registration' } },
  { template: 'birth.parent_of_child', name: { zh: '出生医学证明', en: 'Birth medical certificate' } },
  { template: 'si.months_insured', name: { zh: '生育保险缴费月数', en: 'Months insured' } },
  { template: 'si.bank_account_is', name: { zh: '社保卡金融账户', en: 'Social-security card bank account' } },
] as const;
const ACCOUNT_CHECK = 'si.bank_account_is';
const CHECK_NAMES = new Map<string, { zh: string; en: string }>(MATERNITY_CHECKS.map((x) => [x.template, x.name]));

/** The rules a new city starts with (the bureau sets its own through PUT /api/maternity/rules). */
export const DEFAULT_RULES: RulesBody = {
  wageYear: 2025,
  avgMonthlyWageFen: 890_000,
  baseDays: 98,
  difficultBirthDays: 15,
  extraBabyDays: 15,
  minMonths: 12,
  windowMonths: 12,
  claimWithinDays: 365,
};

/** A claim `verifying` for longer than this is stuck (its filing ends in seconds): a read completes it. */
export const STUCK_AFTER_MS = 60_000;
/** How long the parent's consent to the checks runs: long enough for corrections and review. */
const CONSENT_DAYS = 30;

/**
 * The bureau's own system: the claim service verifies on the bureau's behalf, so the sandbox's
 * guards (its case type, its throttles) and the citizen's "who used my data" name the bureau.
 */
const CLAIM_SYSTEM: Principal = Object.freeze({ kind: 'system' as const, id: 'maternity.quick-claim', name: '生育保险快速申领', orgId: null, orgCode: MATERNITY_BUREAU, roles: ['dept_system' as const] });

/** What the maternity claim service needs. */
export interface MaternityDeps {
  db: Kysely<object>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  sandbox: SandboxService;
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const monthMinus = (month: string, n: number) => {
  const k = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
};
const maskId = (id: string) => `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
const maskAccount = (account: string) => `**** ${account.slice(-4)}`;

/**
 * The allowance (生育津贴) by the rules: the city's average monthly wage of the year ÷ 30 ×
 * leave days (base, plus the extra days for a difficult birth and for each further baby).
 * Its inputs are configuration and what the parent declared, never a record's value.
 *
 * @example
 * allowanceOf(rule, { difficult_birth: false, babies: 2 }); // { leaveDays: 113, amountFen: … }
 */
export function allowanceOf(rule: store.RuleRow, declared: { difficult_birth: boolean; babies: number }): { leaveDays: number; amountFen: number } {
  const leaveDays = rule.base_days + (declared.difficult_birth ? rule.difficult_birth_days : 0) + rule.extra_baby_days * (declared.babies - 1);
  return { leaveDays, amountFen: Math.round((rule.avg_monthly_wage_fen * leaveDays) / 30) };
}

/**
 * The maternity-insurance quick claim (生育险快速申领, issue 5 part 7). A parent declares the
 * spouse, the child and the social-security card account and consents to exactly four checks;
 * the bureau's system verifies them through the sandbox; all matching, the claim is approved at
 * once with the allowance the rules give; otherwise it waits for a handler, who sees which
 * checks failed (never the data), checks a paper proof offline and approves, or rejects with a
 * reason. Every step is audited.
 */
export class MaternityService {
  constructor(private readonly deps: MaternityDeps) {}

  /** Stores the default rules when none are configured (first start). */
  async ensureRules(): Promise<void> {
    if (await store.findCurrentRule(this.deps.db)) return;
    await this.deps.transaction(async (trx) => {
      if (await store.findCurrentRule(trx)) return;
      await store.insertRule(trx, { ...ruleColumns(DEFAULT_RULES), created_by: 'platform' });
    });
  }

  /** The checks a claim makes and the rules in force: what the parent consents to. */
  async checks(who: Principal | null): Promise<ClaimChecks> {
    if (!who) throw Problem.unauthenticated();
    return {
      caseType: MATERNITY_CASE_TYPE,
      department: MATERNITY_BUREAU,
      purpose: '生育保险待遇申领核验',
      checks: MATERNITY_CHECKS.map((c) => ({ template: c.template, name: { ...c.name } })),
      rules: presentRule(await this.currentRule()),
    };
  }

  /** The bureau's administrators set new rules; claims keep the version they were filed under. */
  async setRules(who: Principal | null, body: RulesBody, requestId?: string): Promise<Rules> {
    const caller = requirePermission(who, 'maternity:configure');
    if (!orgWithin(caller.orgCode, MATERNITY_BUREAU)) throw Problem.forbidden(matMessage('mat.onlyBureauSetsRules', { bureau: MATERNITY_BUREAU }));
    const version = await this.deps.transaction(async (trx) => {
      const v = await store.insertRule(trx, { ...ruleColumns(body), created_by: caller.id });
      await this.deps.audit.append(trx, { action: 'maternity.rules.set', actor: auditActor(caller), subject: { type: 'mt_rule', id: String(v) }, requestId: requestId ?? null, detail: { ...body } });
      return v;
    });
    return presentRule((await store.findRule(this.deps.db, version))!);
  }

  /**
   * A parent files a claim: the declaration is stored, the parent's consent to the four checks
   * given, and the checks run at once. 201 whatever they come to; a second claim for the child
   * is 409.
   */
  async apply(who: Principal | null, body: NewClaimBody, requestId?: string): Promise<Claim> {
    const caller = requirePermission(who, 'maternity:apply');
    if (!caller.subjectId) throw Problem.forbidden(matMessage('mat.notLinked'));
    const subject = caller.subjectId;
    const spouse = residentId(body.spouse, 'spouse');
    const child = residentId(body.child, 'child');
    const account = accountNumber(body.account);
    if (new Set([subject, spouse, child]).size < 3) throw Problem.validation(undefined, [{ field: '/body/child', message: matMessage('mat.threePeople') }]);
    const rule = await this.currentRule();
    const born = parseResidentId(child)!.birthDate;
    const today = chinaDay();
    if (born > today) throw Problem.validation(undefined, [{ field: '/body/child', message: matMessage('mat.bornInFuture') }]);
    if (addDays(born, rule.claim_within_days) < today) {
      throw Problem.validation(undefined, [{ field: '/body/child', message: matMessage('mat.tooLate', { days: rule.claim_within_days }) }]);
    }
    const id = `MC-${randomBytes(5).toString('hex').toUpperCase()}`;
    await this.deps.transaction(async (trx) => {
      const stored = await store.insertClaim(trx, { id, subject, user_id: caller.id, applicant_name: caller.name, spouse_id: spouse, child_id: child, account, difficult_birth: body.difficultBirth, babies: body.babies, rule_version: rule.version });
      if (!stored) throw Problem.conflict(matMessage('mat.childClaimed'));
      await this.deps.audit.append(trx, {
        action: 'maternity.claim.submit',
        actor: auditActor(caller),
        subject: { type: 'mt_claim', id },
        dataSubject: subject,
        purpose: '生育保险待遇申领',
        requestId: requestId ?? null,
        detail: { ruleVersion: rule.version, babies: body.babies, difficultBirth: body.difficultBirth },
      });
    });
    await this.deps.sandbox.createConsent(caller, { caseType: MATERNITY_CASE_TYPE, templates: MATERNITY_CHECKS.map((c) => c.template), validUntil: addDays(today, CONSENT_DAYS) }, requestId);
    const claim = (await store.findClaim(this.deps.db, id))!;
    await this.verify(claim, MATERNITY_CHECKS.map((c) => c.template), account, requestId);
    return this.present((await store.findClaim(this.deps.db, id))!);
  }

  /**
   * The parent corrects the account of a claim whose account check failed; only that check
   * runs again. A third distinct number is a sweep, refused by the sandbox (403), and the
   * claim keeps what it had.
   */
  async correctAccount(who: Principal | null, id: string, body: AccountBody, requestId?: string): Promise<Claim> {
    const caller = requirePermission(who, 'maternity:apply');
    const claim = await store.findClaim(this.deps.db, id);
    if (!claim || claim.subject !== caller.subjectId) throw Problem.notFound(matMessage('mat.noClaimOfYours', { id }));
    if (!canCorrectAccount(claim)) throw Problem.conflict(matMessage('mat.noNewAccount', { id, status: claim.status }));
    await this.verify(claim, [ACCOUNT_CHECK], accountNumber(body.account), requestId);
    return this.present((await store.findClaim(this.deps.db, id))!);
  }

  /**
   * Completes every claim left `verifying` (the process stopped, or storing its result failed,
   * after the sandbox answered or before it was asked): from the sandbox's stored answer when
   * its case was answered, else by verifying it now. Runs when the module starts; a parent's
   * or handler's read of a claim stuck for `STUCK_AFTER_MS` does the same for that claim.
   *
   * Returns how many were completed; one that fails again (the database still unreachable)
   * stays `verifying` for the next read, and does not keep the server from starting.
   *
   * @example
   * await maternity.resumeVerifying(); // 0 when nothing was stuck
   */
  async resumeVerifying(): Promise<number> {
    let completed = 0;
    for (const claim of await store.listClaimsByStatus(this.deps.db, 'verifying', 500)) {
      if ((await this.unstuck(claim, 0)).status !== 'verifying') completed += 1;
    }
    return completed;
  }

  /** The parent's own claims, newest first. */
  async mine(who: Principal | null): Promise<Claim[]> {
    const caller = requirePermission(who, 'maternity:apply');
    if (!caller.subjectId) return [];
    return this.presentAll(await store.listClaimsOf(this.deps.db, caller.subjectId));
  }

  /** One claim: its parent's, or any for the bureau's handlers; 404 for anyone else. */
  async get(who: Principal | null, id: string): Promise<Claim> {
    if (!who) throw Problem.unauthenticated();
    const handler = hasPermission(who, 'maternity:handle') && orgWithin(who.orgCode, MATERNITY_BUREAU);
    const caller = handler ? who : requirePermission(who, 'maternity:apply');
    const claim = await store.findClaim(this.deps.db, id);
    if (!claim || !(handler || claim.subject === caller.subjectId)) throw Problem.notFound(matMessage('mat.noClaimOfYours', { id }));
    return this.present(await this.unstuck(claim));
  }

  /** The bureau's queue: claims in review (oldest first), or with another status. */
  async queue(who: Principal | null, status: store.ClaimStatus | 'all' = 'pending_review'): Promise<Claim[]> {
    const caller = requirePermission(who, 'maternity:handle');
    if (!orgWithin(caller.orgCode, MATERNITY_BUREAU)) throw Problem.forbidden(matMessage('mat.onlyBureauHandles', { bureau: MATERNITY_BUREAU }));
    return this.presentAll(await store.listClaimsByStatus(this.deps.db, status === 'all' ? null : status, 500));
  }

  /** A handler approves a claim in review (after checking a paper proof offline) or rejects it with a reason. */
  async decide(who: Principal | null, id: string, body: DecisionBody, requestId?: string): Promise<Claim> {
    const caller = requirePermission(who, 'maternity:handle');
    if (!orgWithin(caller.orgCode, MATERNITY_BUREAU)) throw Problem.forbidden(matMessage('mat.onlyBureauHandles', { bureau: MATERNITY_BUREAU }));
    const claim = await store.findClaim(this.deps.db, id);
    if (!claim) throw Problem.notFound(matMessage('mat.noClaim', { id }));
    const note = body.note.trim();
    if (note.length < 2) throw Problem.validation(undefined, [{ field: '/body/note', message: matMessage('mat.noteRequired') }]);
    const approve = body.decision === 'approve';
    const rule = (await store.findRule(this.deps.db, claim.rule_version))!;
    const amountFen = approve ? allowanceOf(rule, claim).amountFen : null;
    await this.deps.transaction(async (trx) => {
      if (!(await store.decideClaim(trx, id, { status: approve ? 'approved' : 'rejected', amountFen, by: caller.name, note }))) {
        throw Problem.conflict(matMessage('mat.notInReview', { id, status: claim.status }));
      }
      await this.deps.audit.append(trx, {
        action: approve ? 'maternity.claim.approve' : 'maternity.claim.reject',
        actor: auditActor(caller),
        subject: { type: 'mt_claim', id },
        dataSubject: claim.subject,
        purpose: '生育保险待遇申领',
        requestId: requestId ?? null,
        detail: { note, amountFen, failed: failedChecks(claim.checks) },
      });
    });
    return this.present((await store.findClaim(this.deps.db, id))!, rule);
  }

  // Runs checks through the sandbox as the bureau's system, merges them into the claim's, and
  // decides: all four match → approved with the allowance; else in review. A refused
  // verification of a first filing puts the claim in review; of a correction it is passed on
  // (403) and the claim keeps what it had.
  private async verify(claim: store.ClaimRow, templates: readonly string[], account: string, requestId?: string): Promise<void> {
    const rule = (await store.findRule(this.deps.db, claim.rule_version))!;
    const birthMonth = parseResidentId(claim.child_id)!.birthDate.slice(0, 7);
    const params: Record<string, Record<string, string | number>> = {
      'marriage.married_to': { spouse: claim.spouse_id },
      'birth.parent_of_child': { child: claim.child_id },
      'si.months_insured': { months: rule.min_months, from: monthMinus(birthMonth, rule.window_months), to: monthMinus(birthMonth, 1) },
      'si.bank_account_is': { account },
    };
    const asked = templates.map((t) => ({ template: t, params: params[t]! }));
    // The first case of this claim not answered yet — or answered with exactly these claims
    // while storing the claim's result then failed: that answer completes the claim. A case
    // answered with other parameters (a correction that failed before it was stored, then given
    // differently) is passed over.
    let caseNo = claim.attempts + 1;
    let stored: StoredVerification | undefined = await this.storedAnswer(claim, caseNo);
    while (stored && !answersExactly(stored, claim.subject, asked)) stored = await this.storedAnswer(claim, ++caseNo);
    const caseId = `${claim.id}-${caseNo}`;
    let results: store.CheckRow[];
    let receiptId: string | null = null;
    if (stored) {
      results = stored.results;
      receiptId = stored.receipt.id;
    } else {
      try {
        const answer = await this.deps.sandbox.verify(CLAIM_SYSTEM, { caseType: MATERNITY_CASE_TYPE, caseId, subject: claim.subject, claims: asked }, requestId);
        results = answer.results;
        receiptId = answer.receipt.id;
      } catch (error) {
        if (!(error instanceof Problem && error.type === REFUSED_PROBLEM_TYPE)) throw error;
        // Refused as `repeated` because a concurrent recovery of this claim was answered meanwhile.
        const meanwhile = await this.storedAnswer(claim, caseNo);
        if (meanwhile && answersExactly(meanwhile, claim.subject, asked)) return this.verify(claim, templates, account, requestId);
        if (claim.status !== 'verifying') {
          const reasons = error.errors?.map((e) => e.message) ?? [];
          await this.deps.transaction((trx) => this.deps.audit.append(trx, { action: 'maternity.claim.refused', actor: auditActor(CLAIM_SYSTEM), subject: { type: 'mt_claim', id: claim.id }, dataSubject: claim.subject, requestId: requestId ?? null, detail: { caseId, templates, reasons } }));
          throw correctionRefused(error, reasons);
        }
        results = templates.map((template) => ({ template, result: 'refused' as const }));
      }
    }
    const fresh = new Map(results.map((r) => [r.template, r.result]));
    const previous = new Map(claim.checks.map((c) => [c.template, c.result]));
    const checks: store.CheckRow[] = MATERNITY_CHECKS.map((c) => ({ template: c.template, result: fresh.get(c.template) ?? previous.get(c.template) ?? 'refused' }));
    const approved = checks.every((c) => c.result === 'match');
    const amountFen = approved ? allowanceOf(rule, claim).amountFen : null;
    await this.deps.transaction(async (trx) => {
      // Only over what this verification started from: a concurrent one that stored first wins.
      if (!(await store.updateClaimChecks(trx, claim.id, { status: approved ? 'approved' : 'pending_review', checks, receiptId, attempts: caseNo, amountFen, ...(account !== claim.account ? { account } : {}) }, { status: claim.status, attempts: claim.attempts }))) return;
      await this.deps.audit.append(trx, {
        action: approved ? 'maternity.claim.approve' : 'maternity.claim.to_review',
        actor: auditActor(CLAIM_SYSTEM),
        subject: { type: 'mt_claim', id: claim.id },
        dataSubject: claim.subject,
        purpose: '生育保险待遇申领',
        requestId: requestId ?? null,
        detail: { caseId, receiptId, recovered: !!stored, checks: Object.fromEntries(checks.map((c) => [c.template, c.result])), amountFen, ruleVersion: rule.version },
      });
    });
  }

  // A claim read while stuck in `verifying` (not one being verified right now) is completed
  // first; if that fails, it is shown as it is and the next read tries again.
  private async unstuck(claim: store.ClaimRow, stuckAfterMs = STUCK_AFTER_MS): Promise<store.ClaimRow> {
    if (claim.status !== 'verifying' || Date.now() - claim.updated_at.getTime() < stuckAfterMs) return claim;
    try {
      await this.verify(claim, MATERNITY_CHECKS.map((c) => c.template), claim.account);
    } catch {
      return claim;
    }
    return (await store.findClaim(this.deps.db, claim.id)) ?? claim;
  }

  // The sandbox's stored answer of one case of a claim, if it was answered.
  private async storedAnswer(claim: store.ClaimRow, caseNo: number): Promise<StoredVerification | undefined> {
    const answers = await this.deps.sandbox.storedAnswers(CLAIM_SYSTEM, MATERNITY_CASE_TYPE, [`${claim.id}-${caseNo}`]);
    return answers[0];
  }

  private async currentRule(): Promise<store.RuleRow> {
    const rule = await store.findCurrentRule(this.deps.db);
    if (!rule) throw Problem.notFound(matMessage('mat.noRules'));
    return rule;
  }

  // Claims of a list, each completed first when stuck; each rule version they were filed under is read once.
  private async presentAll(claims: readonly store.ClaimRow[]): Promise<Claim[]> {
    const rules = new Map<number, Promise<store.RuleRow | undefined>>();
    return Promise.all(
      claims.map(async (c) => {
        const claim = await this.unstuck(c);
        if (!rules.has(claim.rule_version)) rules.set(claim.rule_version, store.findRule(this.deps.db, claim.rule_version));
        return this.present(claim, (await rules.get(claim.rule_version))!);
      }),
    );
  }

  private async present(c: store.ClaimRow, filedUnder?: store.RuleRow): Promise<Claim> {
    const rule = filedUnder ?? (await store.findRule(this.deps.db, c.rule_version))!;
    const { leaveDays, amountFen } = allowanceOf(rule, c);
    return {
      id: c.id,
      status: c.status,
      applicant: c.applicant_name,
      applicantId: maskId(c.subject),
      spouse: maskId(c.spouse_id),
      child: maskId(c.child_id),
      account: maskAccount(c.account),
      difficultBirth: c.difficult_birth,
      babies: c.babies,
      checks: c.checks.map((x) => ({ template: x.template, name: { ...(CHECK_NAMES.get(x.template) ?? { zh: x.template, en: x.template }) }, result: x.result })),
      failed: failedChecks(c.checks),
      allowance: { ruleVersion: rule.version, wageYear: rule.wage_year, avgMonthlyWageFen: rule.avg_monthly_wage_fen, leaveDays, amountFen },
      amountFen: c.amount_fen,
      canCorrectAccount: canCorrectAccount(c),
      submittedAt: c.created_at.toISOString(),
      decidedAt: c.decided_at ? c.decided_at.toISOString() : null,
      decidedBy: c.decided_by,
      note: c.decision_note,
    };
  }
}

// Whether a stored answer is the answer to exactly these claims about this subject: the
// receipt's digests bind subject, template and parameters (so a stored answer is never taken
// for claims it did not answer, e.g. another account number).
function answersExactly(answer: StoredVerification, subject: string, claims: readonly { template: string; params: Record<string, string | number> }[]): boolean {
  const digests = answer.receipt.claims;
  return digests.length === claims.length && claims.every((c, i) => digests[i]!.template === c.template && digests[i]!.digest === claimDigest(answer.receipt.nonce, { subject, ...c }));
}

function failedChecks(checks: readonly store.CheckRow[]): string[] {
  return checks.filter((c) => c.result !== 'match').map((c) => c.template);
}

function canCorrectAccount(c: store.ClaimRow): boolean {
  return c.status === 'pending_review' && c.checks.some((x) => x.template === ACCOUNT_CHECK && x.result !== 'match');
}

function residentId(raw: string, field: string): string {
  const id = raw.trim().toUpperCase();
  if (!parseResidentId(id)) throw Problem.validation(undefined, [{ field: `/body/${field}`, message: matMessage('mat.badResidentId') }]);
  return id;
}

function accountNumber(raw: string): string {
  const digits = raw.replace(/\s+/g, '');
  if (!/^\d{12,30}$/.test(digits)) throw Problem.validation(undefined, [{ field: '/body/account', message: matMessage('mat.badAccount') }]);
  return digits;
}

function ruleColumns(r: RulesBody): Omit<store.RuleRow, 'version' | 'created_at' | 'created_by'> {
  return {
    wage_year: r.wageYear,
    avg_monthly_wage_fen: r.avgMonthlyWageFen,
    base_days: r.baseDays,
    difficult_birth_days: r.difficultBirthDays,
    extra_baby_days: r.extraBabyDays,
    min_months: r.minMonths,
    window_months: r.windowMonths,
    claim_within_days: r.claimWithinDays,
  };
}

function presentRule(r: store.RuleRow): Rules {
  const yuan = (r.avg_monthly_wage_fen / 100).toFixed(2);
  return {
    version: r.version,
    wageYear: r.wage_year,
    avgMonthlyWageFen: r.avg_monthly_wage_fen,
    baseDays: r.base_days,
    difficultBirthDays: r.difficult_birth_days,
    extraBabyDays: r.extra_baby_days,
    minMonths: r.min_months,
    windowMonths: r.window_months,
    claimWithinDays: r.claim_within_days,
    formula: `生育津贴 = ${r.wage_year}年全市职工月平均工资 ${yuan} 元 ÷ 30 × 产假天数（${r.base_days}，难产加 ${r.difficult_birth_days}，多胞胎每多一婴加 ${r.extra_baby_days}）`,
  };
}

// The sandbox's refusal of a corrected account, as the parent reads it: what happened and what
// to do, not "each claim's reason is listed in errors" (the reasons stay there, for programs).
function correctionRefused(refused: Problem, reasons: readonly string[]): Problem {
  const detail = reasons.includes('sweep') ? matMessage('mat.accountSweep') : reasons.includes('throttled') ? matMessage('mat.accountThrottled') : matMessage('mat.accountRefused');
  return new Problem(refused.status, refused.type, matMessage('mat.title.accountRefused'), detail, refused.errors);
}
