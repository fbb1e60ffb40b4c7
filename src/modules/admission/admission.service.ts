import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditActor, hasPermission, orgWithin, requirePermission, type Principal } from '../../platform/access';
import { chinaDay } from '../../platform/china-time';
import type { AuditLog } from '../../platform/audit';
import { Problem } from '../../platform/http/problem';
import { isValidResidentId } from '../../platform/ids';
import { checkParams, PREDICATE_KINDS, type BatchVerification, type SandboxService, type Template } from '../sandbox';
import type { Application, BatchOutcome, MyApplication, NewApplicationBody, NewRoundBody, Ranking, Round, RulesBody, RulesVersion } from './admission.contract';
import * as store from './admission.store';
import { admMessage, fromParams, statusParams } from './messages';

/** Dependencies of the admission service. */
export interface AdmissionDeps {
  db: Kysely<object>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  /** The sandbox: consent, guards, evaluation, receipts and evidence are all its. */
  sandbox: SandboxService;
}

/** Days a round runs after its application window when the bureau does not say (consents last as long). */
const DEFAULT_ROUND_DAYS_AFTER_WINDOW = 60;

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** A resident ID as a parent sees their child's: enough to recognise, not to copy. */
const maskId = (id: string) => `${id.slice(0, 6)}**********${id.slice(16)}`;

/** The claims one application asks, with the parameters each is checked with. */
function claimsOf(rules: RulesBody, declared: Record<string, Record<string, string | number>>, child: string): { template: string; params: Record<string, string | number> }[] {
  return rules.claims
    .filter((c) => c.required || declared[c.template] !== undefined)
    .map((c) => ({ template: c.template, params: { ...(declared[c.template] ?? {}), ...(c.params ?? {}), ...childParam(c.template, child) } }));
}

// A claim about a child (birth.parent_of_child) is about the child the application is for.
function childParam(template: string, child: string): Record<string, string> {
  return template === 'birth.parent_of_child' ? { child } : {};
}

/**
 * Points of one application under the rules: each matched claim earns its points; a
 * required claim that does not match makes the application ineligible (no points).
 *
 * @example
 * score(rules, [{ template: 'si.months_insured', result: 'match' }]); // { eligible: true, points: 30, results: […] }
 */
export function score(rules: RulesBody, results: readonly { template: string; result: 'match' | 'no_match' | 'unverifiable' }[]): { eligible: boolean; points: number; results: store.StoredResult[] } {
  const byTemplate = new Map(rules.claims.map((c) => [c.template, c]));
  const scored = results.map((r) => ({ template: r.template, result: r.result, points: r.result === 'match' ? (byTemplate.get(r.template)?.points ?? 0) : 0 }));
  const eligible = rules.claims.filter((c) => c.required).every((c) => scored.some((r) => r.template === c.template && r.result === 'match'));
  return { eligible, points: eligible ? scored.reduce((n, r) => n + r.points, 0) : 0, results: scored };
}

/**
 * Orders one zone's eligible applications: points, then the bureau's tie-breaks in order
 * (earlier application; more points from a template), then the application id, so the
 * order is total and the same on every run.
 */
export function rankZone<T extends { id: string; points: number; submittedAt: Date; results: readonly store.StoredResult[] }>(apps: readonly T[], tieBreaks: readonly string[]): T[] {
  const pointsOf = (a: T, template: string) => a.results.find((r) => r.template === template)?.points ?? 0;
  return [...apps].sort((a, b) => {
    if (a.points !== b.points) return b.points - a.points;
    for (const t of tieBreaks) {
      if (t === 'earlier_application') {
        const d = a.submittedAt.getTime() - b.submittedAt.getTime();
        if (d !== 0) return d;
      } else if (t.startsWith('points:')) {
        const d = pointsOf(b, t.slice(7)) - pointsOf(a, t.slice(7));
        if (d !== 0) return d;
      }
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/**
 * Points-based school admission (积分入学, issue 5 part 6). A district education bureau sets a
 * round's rules as data (points per verified claim, the parameters it fixes, tie-breaks,
 * school zones and places); parents apply, declaring facts and consenting through the
 * sandbox; the bureau's handler verifies every application in one sandbox batch, ranks each
 * zone and publishes. Handlers see results, points and ranks, never a value; a parent sees
 * their own application only.
 */
export class AdmissionService {
  constructor(private readonly deps: AdmissionDeps) {}

  // ------------------------------------------------------------ rounds and rules (the bureau)

  /** A bureau opens a round in draft for one of its case types and a year. */
  async createRound(who: Principal | null, body: NewRoundBody, requestId?: string): Promise<Round> {
    const caller = requirePermission(who, 'admission:configure');
    const caseType = (await this.deps.sandbox.listCaseTypes(caller)).find((c) => c.code === body.caseType);
    if (!caseType || !orgWithin(caseType.ownerOrg, caller.orgCode)) throw Problem.notFound(admMessage('adm.noCaseType', { caseType: body.caseType }));
    if (body.applyFrom > body.applyUntil) throw Problem.validation(undefined, [{ field: '/body/applyUntil', message: admMessage('adm.applyUntil') }]);
    const endsOn = body.endsOn ?? addDays(body.applyUntil, DEFAULT_ROUND_DAYS_AFTER_WINDOW);
    if (endsOn < body.applyUntil) throw Problem.validation(undefined, [{ field: '/body/endsOn', message: admMessage('adm.endsOnBeforeUntil') }]);
    if (endsOn > addDays(chinaDay(), 720)) throw Problem.validation(undefined, [{ field: '/body/endsOn', message: admMessage('adm.endsOnTooFar') }]);
    const id = `AR-${body.year}-${randomUUID().slice(0, 8)}`;
    await this.deps.transaction(async (trx) => {
      const stored = await store.insertRound(trx, { id, org: caseType.ownerOrg, case_type: caseType.code, year: body.year, name: body.name, apply_from: body.applyFrom, apply_until: body.applyUntil, ends_on: endsOn, created_by: caller.id });
      if (!stored) throw Problem.conflict(admMessage('adm.roundExists', { caseType: caseType.code, year: body.year }));
      await this.deps.audit.append(trx, { action: 'admission.round.create', actor: auditActor(caller), subject: { type: 'adm_round', id }, requestId: requestId ?? null, detail: { caseType: caseType.code, year: body.year } });
    });
    return this.getRound(caller, id);
  }

  /** The rounds of the caller's department (bureau admins and handlers). */
  async listRounds(who: Principal | null): Promise<Round[]> {
    const caller = this.requireStaff(who);
    const rows = await store.listRounds(this.deps.db, { org: caller.orgCode ?? '-' });
    const templates = await this.templates(caller);
    return Promise.all(rows.map((r) => this.present(r, templates)));
  }

  /** One round of the caller's department. */
  async getRound(who: Principal | null, id: string): Promise<Round> {
    const caller = this.requireStaff(who);
    return this.present(await this.ownRound(caller, id), await this.templates(caller));
  }

  /** Every version of a round's rules, newest first. */
  async listRules(who: Principal | null, id: string): Promise<RulesVersion[]> {
    const caller = this.requireStaff(who);
    await this.ownRound(caller, id);
    return (await store.listRules(this.deps.db, id)).map((r) => ({ version: r.version, rules: r.body, createdBy: r.created_by, createdAt: r.created_at.toISOString() }));
  }

  /**
   * The bureau sets a round's rules: a new version, checked against the case type's
   * whitelist and each template's parameters. In draft anything goes; once open, the claims
   * parents consented to and the zones they applied for stay.
   */
  async setRules(who: Principal | null, id: string, body: RulesBody, requestId?: string): Promise<Round> {
    const caller = requirePermission(who, 'admission:configure');
    const round = await this.ownRound(caller, id);
    if (round.status !== 'draft' && round.status !== 'open') throw Problem.conflict(admMessage('adm.rulesFixed', { id, ...statusParams(round.status) }));
    const caseType = (await this.deps.sandbox.listCaseTypes(caller)).find((c) => c.code === round.case_type)!;
    const templates = await this.templates(caller);
    checkRules(body, caseType.templates, templates);
    if (round.status === 'open' && round.rules_version > 0) {
      const current = (await store.findRules(this.deps.db, id, round.rules_version))!.body;
      const shape = (r: RulesBody) => JSON.stringify(r.claims.map((c) => [c.template, !!c.required, Object.keys(c.params ?? {}).sort()]).sort());
      if (shape(current) !== shape(body)) throw Problem.conflict(admMessage('adm.claimsFixed'));
      const used = new Set((await store.listApplications(this.deps.db, id, ['submitted'])).map((a) => a.zone));
      const missing = [...used].filter((z) => !body.zones.some((x) => x.code === z));
      if (missing.length > 0) throw Problem.conflict(admMessage('adm.zonesApplied', { zones: missing.join(', ') }));
    }
    await this.deps.transaction(async (trx) => {
      const version = await store.insertRules(trx, id, body, caller.id);
      await this.deps.audit.append(trx, { action: 'admission.rules.set', actor: auditActor(caller), subject: { type: 'adm_round', id }, requestId: requestId ?? null, detail: { version, claims: body.claims.map((c) => c.template), zones: body.zones.length } });
    });
    return this.getRound(caller, id);
  }

  /** The bureau opens a round with rules for applications. */
  async openRound(who: Principal | null, id: string, requestId?: string): Promise<Round> {
    const caller = requirePermission(who, 'admission:configure');
    const round = await this.ownRound(caller, id);
    if (round.rules_version === 0) throw Problem.conflict(admMessage('adm.noRules', { id }));
    await this.step(caller, round, ['draft'], 'open', 'admission.round.open', requestId);
    return this.getRound(caller, id);
  }

  // ------------------------------------------------------------ applications (parents)

  /** Rounds open for applications now, with what each checks and its zones. */
  async openRounds(who: Principal | null): Promise<Round[]> {
    const caller = requirePermission(who, 'admission:apply');
    const today = chinaDay();
    const rows = (await store.listRounds(this.deps.db, { status: ['open'] })).filter((r) => r.apply_from <= today && today <= r.apply_until);
    const templates = await this.templates(caller);
    return Promise.all(rows.map((r) => this.present(r, templates, false)));
  }

  /**
   * A parent applies for a child: the zone, the claims they make with the facts they
   * declare, and consent — the sandbox consent for exactly those claims, until the round ends.
   */
  async apply(who: Principal | null, body: NewApplicationBody, requestId?: string): Promise<MyApplication> {
    const caller = requirePermission(who, 'admission:apply');
    if (!caller.subjectId) throw Problem.forbidden(admMessage('adm.notLinked'));
    const round = await store.findRound(this.deps.db, body.roundId);
    const today = chinaDay();
    if (!round || round.status !== 'open') throw Problem.notFound(admMessage('adm.noOpenRound', { id: body.roundId }));
    if (today < round.apply_from || today > round.apply_until) throw Problem.conflict(admMessage('adm.outsideWindow', { from: round.apply_from, until: round.apply_until }));
    const rules = (await store.findRules(this.deps.db, round.id, round.rules_version))!.body;
    const child = body.child.trim().toUpperCase();
    if (!isValidResidentId(child)) throw Problem.validation(undefined, [{ field: '/body/child', message: admMessage('adm.badChild') }]);
    if (child === caller.subjectId) throw Problem.validation(undefined, [{ field: '/body/child', message: admMessage('adm.ownNumber') }]);
    if (!rules.zones.some((z) => z.code === body.zone)) throw Problem.validation(undefined, [{ field: '/body/zone', message: admMessage('adm.notZone', { zones: rules.zones.map((z) => z.code).join(', ') }) }]);
    const declared = checkDeclared(rules, body.declared, child, await this.templates(caller));
    if (await store.childHasApplication(this.deps.db, round.id, child)) throw Problem.conflict(admMessage('adm.childApplied'));
    const claims = claimsOf(rules, declared, child);
    const consent = await this.deps.sandbox.createConsent(caller, { caseType: round.case_type, templates: claims.map((c) => c.template), validUntil: round.ends_on }, requestId);
    const id = `ADM-${randomUUID().slice(0, 18)}`;
    try {
      await this.deps.transaction(async (trx) => {
        if (!(await store.insertApplication(trx, { id, round_id: round.id, parent: caller.subjectId!, user_id: caller.id, child, zone: body.zone, declared, consent_id: consent.id }))) {
          throw Problem.conflict(admMessage('adm.childApplied'));
        }
        await this.deps.audit.append(trx, { action: 'admission.apply', actor: auditActor(caller), subject: { type: 'adm_application', id }, dataSubject: caller.subjectId!, caseId: id, requestId: requestId ?? null, detail: { round: round.id, zone: body.zone, claims: claims.map((c) => c.template), consent: consent.id } });
      });
    } catch (error) {
      // Undo: the consent was for this application only.
      await this.deps.sandbox.withdrawConsent(caller, consent.id, requestId);
      throw error;
    }
    return (await this.myApplications(caller)).find((a) => a.id === id)!;
  }

  /** The parent's applications, with points, rank and failed claims once published. */
  async myApplications(who: Principal | null): Promise<MyApplication[]> {
    const caller = requirePermission(who, 'admission:apply');
    const rows = await store.listUserApplications(this.deps.db, caller.id);
    const templates = await this.templates(caller);
    const rounds = new Map<string, { round: store.RoundRow; rules: RulesBody | null }>();
    for (const a of rows) {
      if (rounds.has(a.round_id)) continue;
      const round = (await store.findRound(this.deps.db, a.round_id))!;
      rounds.set(a.round_id, { round, rules: round.rules_version > 0 ? (await store.findRules(this.deps.db, round.id, round.verified_rules_version ?? round.rules_version))!.body : null });
    }
    return rows.map((a) => {
      const { round, rules } = rounds.get(a.round_id)!;
      const zone = rules?.zones.find((z) => z.code === a.zone);
      const published = round.status === 'published';
      const results = published ? a.results : null;
      return {
        id: a.id,
        roundId: round.id,
        roundName: round.name,
        year: round.year,
        roundStatus: round.status,
        zone: a.zone,
        zoneName: zone?.name ?? a.zone,
        child: maskId(a.child),
        status: a.status,
        submittedAt: a.submitted_at.toISOString(),
        published,
        results,
        failed: results ? results.filter((r) => r.result !== 'match').map((r) => ({ template: r.template, name: templateName(templates, r.template), result: r.result })) : null,
        eligible: published ? a.eligible : null,
        points: published ? a.points : null,
        rank: published ? a.rank : null,
        places: published ? (zone?.places ?? null) : null,
        admitted: published ? (a.admitted ?? (a.status === 'withdrawn' ? null : false)) : null,
      };
    });
  }

  /** The parent withdraws an application before verification; its consent is withdrawn too. */
  async withdraw(who: Principal | null, id: string, requestId?: string): Promise<MyApplication> {
    const caller = requirePermission(who, 'admission:apply');
    const a = await store.findApplication(this.deps.db, id);
    if (!a || a.user_id !== caller.id) throw Problem.notFound(admMessage('adm.noApplication', { id }));
    const round = (await store.findRound(this.deps.db, a.round_id))!;
    if (a.status !== 'submitted' || round.status !== 'open') throw Problem.conflict(admMessage('adm.notWithdrawable', { id }));
    await this.deps.transaction(async (trx) => {
      if (!(await store.withdrawApplication(trx, id))) throw Problem.conflict(admMessage('adm.noLongerSubmitted', { id }));
      await this.deps.audit.append(trx, { action: 'admission.withdraw', actor: auditActor(caller), subject: { type: 'adm_application', id }, dataSubject: a.parent, caseId: id, requestId: requestId ?? null });
    });
    const live = (await this.deps.sandbox.listConsents(caller)).find((c) => c.id === a.consent_id && c.status === 'live');
    if (live) await this.deps.sandbox.withdrawConsent(caller, a.consent_id, requestId);
    return (await this.myApplications(caller)).find((x) => x.id === id)!;
  }

  // ------------------------------------------------------------ verification, ranking, results (the handler)

  /** A round's applications as the handler sees them: results, points and ranks, no values. */
  async listApplications(who: Principal | null, roundId: string): Promise<Application[]> {
    const caller = this.requireStaff(who);
    await this.ownRound(caller, roundId);
    return (await store.listApplications(this.deps.db, roundId)).map(presentApplication);
  }

  /**
   * Verifies every submitted application of a round in one sandbox batch (case id = the
   * application, subject = the parent) and scores each; the round moves to `verifying`, so
   * no more applications come in.
   */
  async verifyBatch(who: Principal | null, roundId: string, requestId?: string): Promise<BatchOutcome> {
    const caller = requirePermission(who, 'admission:handle');
    const round = await this.ownRound(caller, roundId);
    if (round.status !== 'open' && round.status !== 'verifying') throw Problem.conflict(admMessage('adm.verifyWhen', { id: roundId, ...statusParams(round.status) }));
    if (round.status === 'open') await this.step(caller, round, ['open'], 'verifying', 'admission.round.close', requestId, { verifiedRulesVersion: round.rules_version });
    const version = round.verified_rules_version ?? round.rules_version;
    const rules = (await store.findRules(this.deps.db, roundId, version))!.body;
    const pending = await store.listApplications(this.deps.db, roundId, ['submitted']);
    if (pending.length === 0) return { batchId: null, verified: 0, refused: 0, claims: 0, round: await this.getRound(caller, roundId) };
    // Cases the sandbox answered while storing their scores failed are scored from its stored
    // answers (asking again would be refused as `repeated`); only the rest are asked.
    const stored = round.status === 'verifying' ? await this.deps.sandbox.storedAnswers(caller, round.case_type, pending.map((a) => a.id)) : [];
    const recovered = new Map(stored.map((s) => [s.caseId, s]));
    const items = pending.filter((a) => !recovered.has(a.id)).map((a) => ({ caseId: a.id, subject: a.parent, claims: claimsOf(rules, a.declared, a.child) }));
    const batch = items.length > 0 ? await this.deps.sandbox.verifyBatch(caller, { caseType: round.case_type, items }, requestId) : null;
    const outcomes: (store.VerifiedApplication & { batchId: string })[] = [
      ...[...recovered.values()].map((answer) => ({ ...scored(rules, answer.caseId, answer.results), batchId: answer.batchId })),
      ...(batch?.items ?? []).map((item) => ({ ...(item.status === 'refused' ? refusedOutcome(item) : scored(rules, item.caseId, item.results ?? [])), batchId: batch!.batchId })),
    ];
    const verified = outcomes.filter((o) => o.status === 'verified').length;
    const claims = (batch?.claims ?? 0) + stored.reduce((n, s) => n + s.results.length, 0);
    await this.deps.transaction(async (trx) => {
      for (const batchId of new Set(outcomes.map((o) => o.batchId))) await store.storeVerifications(trx, batchId, outcomes.filter((o) => o.batchId === batchId));
      await this.deps.audit.append(trx, {
        action: 'admission.verify',
        actor: auditActor(caller),
        subject: { type: 'adm_round', id: roundId },
        requestId: requestId ?? null,
        detail: { batch: batch?.batchId ?? null, recoveredFrom: [...new Set(stored.map((s) => s.batchId))], rulesVersion: version, applications: outcomes.length, verified, refused: outcomes.length - verified, claims },
      });
    });
    return { batchId: batch?.batchId ?? stored[0]!.batchId, verified, refused: outcomes.length - verified, claims, round: await this.getRound(caller, roundId) };
  }

  /** Ranks each zone's eligible applications by points, then the tie-breaks; the round is `ranked`. */
  async rank(who: Principal | null, roundId: string, requestId?: string): Promise<Ranking> {
    const caller = requirePermission(who, 'admission:handle');
    const round = await this.ownRound(caller, roundId);
    if (round.status !== 'verifying' && round.status !== 'ranked') throw Problem.conflict(admMessage('adm.rankWhen', { id: roundId, ...statusParams(round.status) }));
    const apps = await store.listApplications(this.deps.db, roundId, ['submitted', 'verified']);
    const pending = apps.filter((a) => a.status === 'submitted');
    if (pending.length > 0) throw Problem.conflict(admMessage('adm.notVerifiedYet', { n: pending.length }));
    const rules = (await store.findRules(this.deps.db, roundId, round.verified_rules_version ?? round.rules_version))!.body;
    const verified = apps.filter((a) => a.eligible);
    const ranks: { id: string; rank: number; admitted: boolean }[] = [];
    for (const zone of rules.zones) {
      const ordered = rankZone(
        verified.filter((a) => a.zone === zone.code).map((a) => ({ id: a.id, points: a.points ?? 0, submittedAt: a.submitted_at, results: a.results ?? [] })),
        rules.tieBreaks,
      );
      ordered.forEach((a, i) => ranks.push({ id: a.id, rank: i + 1, admitted: i < zone.places }));
    }
    await this.deps.transaction(async (trx) => {
      await store.storeRanks(trx, roundId, ranks);
      if (round.status === 'verifying' && !(await store.setRoundStatus(trx, roundId, ['verifying'], 'ranked'))) throw Problem.conflict(admMessage('adm.roundChanged', { id: roundId }));
      await this.deps.audit.append(trx, { action: 'admission.rank', actor: auditActor(caller), subject: { type: 'adm_round', id: roundId }, requestId: requestId ?? null, detail: { ranked: ranks.length, admitted: ranks.filter((r) => r.admitted).length } });
    });
    return this.ranking(caller, roundId);
  }

  /** The ranking of each zone (after ranking). */
  async ranking(who: Principal | null, roundId: string): Promise<Ranking> {
    const caller = this.requireStaff(who);
    const round = await this.ownRound(caller, roundId);
    const rules = round.rules_version > 0 ? (await store.findRules(this.deps.db, roundId, round.verified_rules_version ?? round.rules_version))!.body : { zones: [] as RulesBody['zones'] };
    const apps = await store.listApplications(this.deps.db, roundId);
    return {
      roundId,
      status: round.status,
      zones: rules.zones.map((z) => {
        const inZone = apps.filter((a) => a.zone === z.code && a.status !== 'withdrawn');
        const ranked = inZone.filter((a) => a.rank !== null).sort((a, b) => a.rank! - b.rank!);
        const admitted = ranked.filter((a) => a.admitted);
        return {
          code: z.code,
          name: z.name,
          places: z.places,
          applicants: inZone.length,
          eligible: inZone.filter((a) => a.eligible).length,
          admitted: admitted.length,
          cutoff: admitted.length > 0 ? admitted[admitted.length - 1]!.points : null,
          ranking: ranked.map((a) => ({ rank: a.rank!, applicationId: a.id, points: a.points ?? 0, admitted: !!a.admitted })),
        };
      }),
    };
  }

  /** Publishes a ranked round: each parent sees their points, rank, outcome and failed claims. */
  async publish(who: Principal | null, roundId: string, requestId?: string): Promise<Round> {
    const caller = requirePermission(who, 'admission:handle');
    const round = await this.ownRound(caller, roundId);
    await this.step(caller, round, ['ranked'], 'published', 'admission.publish', requestId);
    return this.getRound(caller, roundId);
  }

  // ------------------------------------------------------------ helpers

  // Bureau admins and handlers; which rounds is decided by their department.
  private requireStaff(who: Principal | null): Principal {
    return hasPermission(who, 'admission:configure') ? who! : requirePermission(who, 'admission:handle');
  }

  // A round of the caller's department; another district's round does not exist for them.
  private async ownRound(caller: Principal, id: string): Promise<store.RoundRow> {
    const round = await store.findRound(this.deps.db, id);
    if (!round || !orgWithin(round.org, caller.orgCode)) throw Problem.notFound(admMessage('adm.noRound', { id }));
    return round;
  }

  private async step(caller: Principal, round: store.RoundRow, from: readonly store.RoundRow['status'][], to: store.RoundRow['status'], action: string, requestId?: string, extra: { verifiedRulesVersion?: number } = {}): Promise<void> {
    await this.deps.transaction(async (trx) => {
      if (!(await store.setRoundStatus(trx, round.id, from, to, extra))) throw Problem.conflict(admMessage('adm.wrongStatus', { id: round.id, ...statusParams(round.status), ...fromParams(from) }));
      await this.deps.audit.append(trx, { action, actor: auditActor(caller), subject: { type: 'adm_round', id: round.id }, requestId: requestId ?? null, detail: { from: round.status, to } });
    });
  }

  private async templates(caller: Principal): Promise<Map<string, Template>> {
    return new Map((await this.deps.sandbox.listTemplates(caller)).map((t) => [t.code, t]));
  }

  // `withCounts` false: a parent's view, where the counts are all zero (and not queried).
  private async present(r: store.RoundRow, templates: Map<string, Template>, withCounts = true): Promise<Round> {
    const rules = r.rules_version > 0 ? (await store.findRules(this.deps.db, r.id, r.rules_version))!.body : null;
    const counts = withCounts ? await store.countApplications(this.deps.db, r.id) : {};
    return {
      id: r.id,
      org: r.org,
      caseType: r.case_type,
      year: r.year,
      name: r.name,
      applyFrom: r.apply_from,
      applyUntil: r.apply_until,
      endsOn: r.ends_on,
      status: r.status,
      rulesVersion: r.rules_version,
      verifiedRulesVersion: r.verified_rules_version,
      claims: (rules?.claims ?? []).map((c) => {
        const t = templates.get(c.template);
        const fixed = c.params ?? {};
        return {
          template: c.template,
          name: templateName(templates, c.template),
          points: c.points,
          required: !!c.required,
          fixed,
          declare: (t?.params ?? []).filter((p) => !(p.name in fixed) && !(c.template === 'birth.parent_of_child' && p.name === 'child')),
        };
      }),
      tieBreaks: rules?.tieBreaks ?? [],
      zones: rules?.zones ?? [],
      counts: { submitted: counts.submitted ?? 0, withdrawn: counts.withdrawn ?? 0, verified: counts.verified ?? 0, refused: counts.refused ?? 0 },
    };
  }
}

// An answered application, scored by the rules.
function scored(rules: RulesBody, id: string, results: readonly { template: string; result: 'match' | 'no_match' | 'unverifiable' }[]): store.VerifiedApplication {
  const s = score(rules, results);
  return { id, status: 'verified', results: s.results, refusals: null, eligible: s.eligible, points: s.points };
}

// A refused application: the reasons per claim, no points.
function refusedOutcome(item: BatchVerification['items'][number]): store.VerifiedApplication {
  return { id: item.caseId, status: 'refused', results: null, refusals: (item.refusals ?? []).map((r) => ({ template: r.template, reason: r.reason })), eligible: false, points: null };
}

function presentApplication(a: store.ApplicationRow): Application {
  return {
    id: a.id,
    zone: a.zone,
    status: a.status,
    submittedAt: a.submitted_at.toISOString(),
    verifiedAt: a.verified_at ? a.verified_at.toISOString() : null,
    results: a.results,
    refusals: a.refusals,
    eligible: a.eligible,
    points: a.points,
    rank: a.rank,
    admitted: a.admitted,
  };
}

function templateName(templates: Map<string, Template>, code: string) {
  const t = templates.get(code);
  return { zh: t?.name ?? code, en: t?.nameEn ?? code };
}

// Rules must name whitelisted templates once each, fix only parameters the template has (and
// valid ones), break ties on something the rules score, and name each zone once.
function checkRules(body: RulesBody, whitelist: readonly string[], templates: Map<string, Template>): void {
  const seen = new Set<string>();
  body.claims.forEach((c, i) => {
    const field = `/body/claims/${i}`;
    if (!whitelist.includes(c.template) || !templates.has(c.template)) throw Problem.validation(undefined, [{ field: `${field}/template`, message: admMessage('adm.notWhitelisted', { template: c.template }) }]);
    if (seen.has(c.template)) throw Problem.validation(undefined, [{ field: `${field}/template`, message: admMessage('adm.templateTwice', { template: c.template }) }]);
    seen.add(c.template);
    const kind = PREDICATE_KINDS[templates.get(c.template)!.kind]!;
    const fixed = c.params ?? {};
    if ('child' in fixed && c.template === 'birth.parent_of_child') throw Problem.validation(undefined, [{ field: `${field}/params`, message: admMessage('adm.childFixed') }]);
    const checked = checkParams({ ...kind, params: kind.params.filter((p) => p.name in fixed) }, fixed);
    if (!checked.ok) throw Problem.validation(undefined, [{ field: `${field}/params`, message: checked.why }]);
  });
  body.tieBreaks.forEach((t, i) => {
    if (t.startsWith('points:') && !seen.has(t.slice(7))) throw Problem.validation(undefined, [{ field: `/body/tieBreaks/${i}`, message: admMessage('adm.tieNotScored', { template: t.slice(7) }) }]);
  });
  const zones = new Set<string>();
  for (const z of body.zones) {
    if (zones.has(z.code)) throw Problem.validation(undefined, [{ field: '/body/zones', message: admMessage('adm.zoneTwice', { zone: z.code }) }]);
    zones.add(z.code);
  }
}

// The facts a parent declares: only claims of the rules, only the parameters the bureau left
// to them, each valid; returns them canonical (what the sandbox will be asked).
function checkDeclared(rules: RulesBody, declared: NewApplicationBody['declared'], child: string, templates: Map<string, Template>): Record<string, Record<string, string | number>> {
  const out: Record<string, Record<string, string | number>> = {};
  for (const template of Object.keys(declared)) {
    if (!rules.claims.some((c) => c.template === template)) throw Problem.validation(undefined, [{ field: `/body/declared/${template}`, message: admMessage('adm.notClaim') }]);
  }
  for (const c of rules.claims) {
    if (!c.required && declared[c.template] === undefined) continue;
    const kind = PREDICATE_KINDS[templates.get(c.template)?.kind ?? ''];
    const given = declared[c.template] ?? {};
    const fixed = c.params ?? {};
    const overlap = Object.keys(given).filter((k) => k in fixed || (c.template === 'birth.parent_of_child' && k === 'child'));
    if (overlap.length > 0) throw Problem.validation(undefined, [{ field: `/body/declared/${c.template}`, message: admMessage('adm.setByRound', { params: overlap.join(', ') }) }]);
    if (!kind) continue;
    const checked = checkParams(kind, { ...given, ...fixed, ...childParam(c.template, child) });
    if (!checked.ok) throw Problem.validation(undefined, [{ field: `/body/declared/${c.template}`, message: checked.why }]);
    out[c.template] = Object.fromEntries(Object.keys(given).map((k) => [k, checked.params[k]!]));
  }
  return out;
}
