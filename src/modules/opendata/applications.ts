import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditActor, hashSecret, hasPermission, newSecret, requirePermission, type Principal } from '../../platform/access';
import type { AuditLog } from '../../platform/audit';
import type { CoherentCache } from '../../platform/db/coherent-cache';
import { Problem } from '../../platform/http/problem';
import type { WorkingDayCalendar } from '../exchange';
import { odMessage, quote } from './messages';
import type { Application, ApplicationDecisionBody, NewApplicationBody } from './opendata.contract';
import * as store from './opendata.store';

/** The completeness check of an application is due within this many working days (DOMAIN.md). */
export const CHECK_WITHIN_WORKING_DAYS = 5;

/** What the conditional-opening workflow needs. */
export interface ApplicationDeps {
  db: Kysely<object>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  calendar: WorkingDayCalendar;
  keyCache: CoherentCache<store.KeyRow | undefined>;
  /** Calls a key issued on an application may make per China day. */
  dailyQuota: number;
}

function belongsTo(org: string, caller: string | null): boolean {
  return caller !== null && (org === caller || org.startsWith(`${caller}.`));
}

// An application's state, quoted into a refusal that names it.
function state(a: store.ApplicationRow): Record<'stateZh' | 'stateEn', string> {
  return quote('state', odMessage(`od.state.application.${a.status}`));
}

function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Conditional opening (有条件开放, DOMAIN.md): a developer applies with purpose, scenario and a
 * signed security undertaking → the portal checks completeness within 5 working days (or
 * returns it) → the providing department approves (possibly for fewer days) or refuses with a
 * reason → the applicant accepts the agreement and receives a key scoped to that dataset,
 * expiring with the approval → both sides see its use → the provider can revoke it. Every step
 * is on the application's timeline and in the audit log.
 */
export class ConditionalAccess {
  constructor(private readonly deps: ApplicationDeps) {}

  /** A developer applies for a conditional dataset. */
  async apply(caller: Principal | null, datasetId: string, body: NewApplicationBody, requestId?: string): Promise<Application> {
    const me = requirePermission(caller, 'opendata:develop');
    const d = await store.findDataset(this.deps.db, datasetId);
    if (!d || d.status !== 'published') throw Problem.notFound(odMessage('od.noPublishedDataset', { id: datasetId }));
    if (d.open_type !== 'conditional') throw Problem.conflict(odMessage('od.application.unconditional', { id: datasetId }));
    const open = (await store.listApplications(this.deps.db, { userId: me.id })).find((a) => a.dataset_id === datasetId && ['submitted', 'returned', 'checked'].includes(a.status));
    if (open) throw Problem.conflict(odMessage('od.application.inProgress', { id: datasetId, application: open.id }));
    const id = randomUUID();
    const checkDue = chinaDate(this.deps.calendar.addWorkingDays(new Date(), CHECK_WITHIN_WORKING_DAYS));
    await this.deps.transaction(async (trx) => {
      await store.insertApplication(trx, {
        id,
        dataset_id: datasetId,
        provider_org: d.org_code,
        user_id: me.id,
        applicant: me.name,
        purpose: body.purpose,
        scenario: body.scenario,
        undertaking: body.undertaking,
        requested_days: body.requestedDays,
        check_due: checkDue,
      });
      await this.step(trx, me, id, 'submitted', null, requestId);
    });
    return this.present((await store.findApplication(this.deps.db, id))!);
  }

  /** The applicant corrects a returned application and sends it again. */
  async resubmit(caller: Principal | null, id: string, change: { purpose?: string; scenario?: string }, requestId?: string): Promise<Application> {
    const me = requirePermission(caller, 'opendata:develop');
    const a = await this.mine(me, id);
    if (a.status !== 'returned') throw Problem.conflict(odMessage('od.application.notReturned', { id, ...state(a) }));
    const checkDue = chinaDate(this.deps.calendar.addWorkingDays(new Date(), CHECK_WITHIN_WORKING_DAYS));
    await this.deps.transaction(async (trx) => {
      await store.updateApplication(trx, id, 'submitted', { purpose: change.purpose, scenario: change.scenario, checkDue });
      await this.step(trx, me, id, 'resubmitted', null, requestId);
    });
    return this.present((await store.findApplication(this.deps.db, id))!);
  }

  /** The portal's operators check completeness: on to the provider, or back to the applicant with what is missing. */
  async check(caller: Principal | null, id: string, body: ApplicationDecisionBody, requestId?: string): Promise<Application> {
    const me = requirePermission(caller, 'opendata:review');
    const a = await this.find(id);
    if (a.status !== 'submitted') throw Problem.conflict(odMessage('od.application.notSubmitted', { id, ...state(a) }));
    if (!body.approve && !body.note?.trim()) throw Problem.validation(odMessage('od.application.returnNoteRequired'), [{ field: '/body/note', message: odMessage('od.application.requiredToReturn') }]);
    await this.deps.transaction(async (trx) => {
      await store.updateApplication(trx, id, body.approve ? 'checked' : 'returned', { reason: body.approve ? null : body.note! });
      await this.step(trx, me, id, body.approve ? 'checked_complete' : 'returned', body.note ?? null, requestId);
    });
    return this.present((await store.findApplication(this.deps.db, id))!);
  }

  /** The providing department approves (possibly for fewer days) or refuses with a reason. */
  async decide(caller: Principal | null, id: string, body: ApplicationDecisionBody, requestId?: string): Promise<Application> {
    const me = requirePermission(caller, 'opendata:publish');
    const a = await this.find(id);
    if (!belongsTo(a.provider_org, me.orgCode)) throw Problem.forbidden(odMessage('od.application.onlyProviderDecides', { provider: a.provider_org }));
    if (a.status !== 'checked') throw Problem.conflict(odMessage('od.application.notChecked', { id, ...state(a) }));
    if (!body.approve && !body.note?.trim()) throw Problem.validation(odMessage('od.application.refuseNoteRequired'), [{ field: '/body/note', message: odMessage('od.application.requiredToRefuse') }]);
    if (body.days !== undefined && body.days > a.requested_days) {
      throw Problem.validation(odMessage('od.application.tooManyDays', { days: a.requested_days }), [{ field: '/body/days', message: odMessage('od.application.longerThanAsked') }]);
    }
    const days = body.days ?? a.requested_days;
    await this.deps.transaction(async (trx) => {
      await store.updateApplication(trx, id, body.approve ? 'approved' : 'refused', { reason: body.approve ? null : body.note!, validUntil: body.approve ? new Date(Date.now() + days * 86_400_000) : undefined });
      await this.step(trx, me, id, body.approve ? 'approved' : 'refused', body.note ?? (body.approve ? `valid ${days} days` : null), requestId);
    });
    return this.present((await store.findApplication(this.deps.db, id))!);
  }

  /** The applicant accepts the agreement and receives the key (shown once), scoped to the dataset and expiring with the approval. */
  async acceptAgreement(caller: Principal | null, id: string, requestId?: string): Promise<Application & { key: string }> {
    const me = requirePermission(caller, 'opendata:develop');
    const a = await this.mine(me, id);
    if (a.status !== 'approved') throw Problem.conflict(odMessage('od.application.notApproved', { id, ...state(a) }));
    if (a.key_id) throw Problem.conflict(odMessage('od.application.keyIssued'));
    const keyId = randomBytes(10).toString('hex');
    const secret = newSecret();
    await this.deps.transaction(async (trx) => {
      await store.insertKey(trx, { id: keyId, user_id: me.id, name: `application ${id}`, secret_hash: hashSecret(secret), daily_quota: this.deps.dailyQuota, datasets: [a.dataset_id], application_id: id, expires_at: a.valid_until });
      await store.updateApplication(trx, id, 'approved', { keyId });
      await this.step(trx, me, id, 'agreement_accepted', null, requestId);
    });
    return { ...(await this.present((await store.findApplication(this.deps.db, id))!)), key: `odk_${keyId}_${secret}` };
  }

  /** The provider (or an operator) revokes an approval: its key is refused on the next call. */
  async revoke(caller: Principal | null, id: string, reason: string, requestId?: string): Promise<Application> {
    const me = requirePermission(caller, 'opendata:publish');
    const a = await this.find(id);
    if (!belongsTo(a.provider_org, me.orgCode) && !hasPermission(me, 'opendata:review')) throw Problem.forbidden(odMessage('od.application.onlyProviderRevokes', { provider: a.provider_org }));
    if (a.status !== 'approved') throw Problem.conflict(odMessage('od.application.notApproved', { id, ...state(a) }));
    await this.deps.transaction(async (trx) => {
      await store.updateApplication(trx, id, 'revoked', { reason });
      if (a.key_id) {
        await store.revokeKey(trx, a.key_id, me.id);
        await this.deps.keyCache.announce(trx, a.key_id);
      }
      await this.step(trx, me, id, 'revoked', reason, requestId);
    });
    if (a.key_id) await this.deps.keyCache.withdrawn(a.key_id);
    return this.present((await store.findApplication(this.deps.db, id))!);
  }

  /** One application, to its applicant, its provider and the portal's operators. */
  async get(caller: Principal | null, id: string): Promise<Application> {
    const a = await this.find(id);
    const me = caller;
    const allowed = (me && a.user_id === me.id) || hasPermission(me, 'opendata:review') || (hasPermission(me, 'opendata:publish') && belongsTo(a.provider_org, me!.orgCode));
    if (!allowed) throw Problem.notFound(odMessage('od.application.none', { id }));
    return this.present(a);
  }

  /** My applications (developers), or those for my department's datasets, or all (operators). */
  async list(caller: Principal | null, side: 'mine' | 'manage'): Promise<Application[]> {
    if (side === 'mine') {
      const me = requirePermission(caller, 'opendata:develop');
      return Promise.all((await store.listApplications(this.deps.db, { userId: me.id })).map((a) => this.present(a)));
    }
    const me = requirePermission(caller, 'opendata:publish');
    const rows = hasPermission(me, 'opendata:review') ? await store.listApplications(this.deps.db, {}) : await store.listApplications(this.deps.db, { providerOrg: me.orgCode ?? '-' });
    return Promise.all(rows.map((a) => this.present(a)));
  }

  private async find(id: string): Promise<store.ApplicationRow> {
    const a = /^[0-9a-f-]{36}$/.test(id) ? await store.findApplication(this.deps.db, id) : undefined;
    if (!a) throw Problem.notFound(odMessage('od.application.none', { id }));
    return a;
  }

  private async mine(me: Principal, id: string): Promise<store.ApplicationRow> {
    const a = await this.find(id);
    if (a.user_id !== me.id) throw Problem.notFound(odMessage('od.application.notYours', { id }));
    return a;
  }

  private async step(trx: Transaction<object>, me: Principal, id: string, action: string, note: string | null, requestId?: string): Promise<void> {
    await store.addApplicationStep(trx, id, { actor: me.name, actorOrg: me.orgCode, action, note });
    await this.deps.audit.append(trx, { action: `opendata.application.${action}`, actor: auditActor(me), subject: { type: 'open_application', id }, requestId, detail: note ? { note } : undefined });
  }

  private async present(a: store.ApplicationRow): Promise<Application> {
    const [dataset, steps, usage] = await Promise.all([
      store.findDataset(this.deps.db, a.dataset_id),
      store.applicationSteps(this.deps.db, a.id),
      a.key_id ? store.keyUsage(this.deps.db, a.key_id) : Promise.resolve([]),
    ]);
    const expired = a.status === 'approved' && a.valid_until !== null && a.valid_until.getTime() <= Date.now();
    const perDay = new Map<string, { day: string; calls: number; downloads: number }>();
    for (const u of usage) {
      const d = perDay.get(u.day) ?? { day: u.day, calls: 0, downloads: 0 };
      d.calls += u.calls;
      d.downloads += u.downloads;
      perDay.set(u.day, d);
    }
    return {
      id: a.id,
      dataset: { id: a.dataset_id, title: dataset?.title ?? a.dataset_id },
      providerOrg: a.provider_org,
      applicant: a.applicant,
      purpose: a.purpose,
      scenario: a.scenario,
      undertaking: a.undertaking,
      requestedDays: a.requested_days,
      status: expired ? 'expired' : a.status,
      checkDue: a.check_due,
      checkOverdue: a.status === 'submitted' && chinaDate(new Date()) > a.check_due,
      submittedAt: a.submitted_at.toISOString(),
      validUntil: a.valid_until?.toISOString() ?? null,
      reason: a.reason,
      keyIssued: a.key_id !== null,
      steps: steps.map((s) => ({ at: s.at.toISOString(), actor: s.actor, actorOrg: s.actor_org, action: s.action, note: s.note })),
      usage: [...perDay.values()],
    };
  }
}
