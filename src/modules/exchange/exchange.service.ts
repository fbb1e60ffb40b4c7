import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditActor, hasPermission, orgWithin, requirePermission, type Principal } from '../../platform/access';
import type { AuditLog } from '../../platform/audit';
import { chinaDay } from '../../platform/china-time';
import type { CoherentCache } from '../../platform/db/coherent-cache';
import { Problem } from '../../platform/http/problem';
import { isStorableText, toStorableText } from '../../platform/storable-text';
import { unstorableText } from '../../platform/http/storable-text';
import { xcMessage } from './messages';
import { DEFAULT_LANG, renderMessage, renderStored, type Lang, type MessageParams } from '../../platform/i18n';
import type { FieldCondition, RecordReader, SharedRecord, SharedResource } from '../datacentre';
import { callReason, type CallLog, type CallRecord } from './call-log';
import type { ApproveBody, Call, Channel, DataUse, ExchangeStats, NewChannelBody, NewRequestBody, SharingRequest, Subscription } from './exchange.contract';
import * as store from './exchange.store';
import { formatCursor, parseCursor, readChanges } from './subscriptions';
import type { WorkingDayCalendar } from './working-days';

/** The headers every data-plane call carries (values may be percent-encoded UTF-8, for Chinese). */
export const CALL_HEADERS = {
  purpose: 'x-ludao-purpose',
  caseId: 'x-ludao-case-id',
  endUser: 'x-ludao-end-user',
  channel: 'x-ludao-channel',
} as const;

/** Working days a provider has to answer a request (DOMAIN.md). */
export const ANSWER_WITHIN_WORKING_DAYS = 10;
/** Rate limit of a channel when nobody set one. */
const DEFAULT_RATE_PER_MINUTE = 600;
/** Validity of a channel to an unconditional resource when none is asked. */
const DEFAULT_UNCONDITIONAL_DAYS = 365;
/** Longest page a query may ask for. */
const MAX_PAGE = 100;
/** Longest page of the change feed. */
const FEED_PAGE = 1000;
/**
 * Calls without valid credentials logged per address and minute; beyond it they are refused
 * with 429 unlogged, so that nobody can fill the call log without a key.
 */
const ANONYMOUS_PER_MINUTE = 30;

/** Dependencies of the exchange service. */
export interface ExchangeDeps {
  db: Kysely<object>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  reader: RecordReader;
  calendar: WorkingDayCalendar;
  callLog: CallLog;
  /** Live channels by `consumerOrg|resource`, dropped everywhere when one changes. */
  channelCache: CoherentCache<store.ChannelRow[]>;
  /** Organisations' names by code (the identity module's directory). */
  orgNames(): Promise<Map<string, { name: string; nameEn: string }>>;
  /** Called after a replay, to deliver at once. */
  onReplay?: () => void;
  /** Names what calls that read no one resource logged as their fields (set by the module that logs them). */
  callFieldNames?: { namer?: CallFieldNamer };
}

/**
 * Names of what a call that read no one resource logged as its fields, in both languages: the
 * sandbox's claims (a verification over several registries logs its templates' codes).
 */
export type CallFieldNamer = (names: readonly string[]) => Promise<ReadonlyMap<string, { zh: string; en: string }>>;

/** One data-plane call as the HTTP layer hands it over. */
export interface DataCall {
  principal: Principal | null;
  receivedAt: Date;
  resource: string;
  operation: 'key' | 'subject' | 'query' | 'changes';
  key?: string;
  subject?: string;
  conditions?: FieldCondition[];
  fields?: string[];
  after?: string;
  limit?: number;
  purpose?: string;
  caseId?: string;
  endUser?: string;
  channelId?: string;
  /** The caller's network address (limits calls without credentials). */
  ip?: string;
  /** Why the call is refused before the service looks at it (its schema, a field that is not a name): logged, then thrown. */
  refusal?: Problem;
}

// Where a call holds text that cannot be stored, as a field pointer of the request; null if nowhere.
function unstorablePart(input: DataCall): string | null {
  const parts: [string, string | undefined][] = [
    ['/params/resource', input.resource],
    ['/params/key', input.key],
    ['/params/subject', input.subject],
    [`/headers/${CALL_HEADERS.purpose}`, input.purpose],
    [`/headers/${CALL_HEADERS.caseId}`, input.caseId],
    [`/headers/${CALL_HEADERS.endUser}`, input.endUser],
    [`/headers/${CALL_HEADERS.channel}`, input.channelId],
    ['/querystring/after', input.after],
    ...(input.conditions ?? []).map((c): [string, string] => [`/querystring/${c.field}`, c.value]),
  ];
  for (const [field, text] of parts) if (text !== undefined && !isStorableText(text)) return field;
  return null;
}

/** A data-plane answer: the exact bytes sent, so the response hash can be checked against them. */
export interface DataAnswerOut {
  callId: string;
  body: string;
  requestHash: string;
  responseHash: string;
}


const sha256 = (text: string) => hash('sha256', text);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The exchange (system 2): catalogue-driven sharing between departments. Requests for
 * conditional resources run on the working-day calendar; approved requests and self-service
 * use of unconditional resources become channels; department systems call the data plane
 * through a channel, get only the granted fields, and every call — refused ones included — is
 * logged with its evidence. Deny by default: no channel, no data.
 */
export class ExchangeService {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly anonymous = new Map<string, { minute: number; count: number }>();

  constructor(private readonly deps: ExchangeDeps) {}

  // ------------------------------------------------------------ access and requests

  /** What the caller's department may do with a resource: its terms, its channels, how to get access. */
  async resourceAccess(who: Principal | null, code: string, lang: Lang = DEFAULT_LANG) {
    const caller = requirePermission(who, 'exchange:request');
    const resource = await this.describe(code);
    const channels = (await store.listChannels(this.deps.db, { org: caller.orgCode, limit: 200 })).filter((c) => c.resource_code === code && orgWithin(c.consumer_org, caller.orgCode));
    const open = (await store.listRequests(this.deps.db, { org: caller.orgCode, side: 'consumer', status: 'pending', limit: 200 })).filter((r) => r.resource_code === code);
    const how =
      resource.sharingType === 'unconditional'
        ? xcMessage('xc.how.unconditional')
        : resource.sharingType === 'conditional'
          ? xcMessage('xc.how.conditional', { days: ANSWER_WITHIN_WORKING_DAYS })
          : resource.legalBasis
            ? xcMessage('xc.how.notShared', { basis: resource.legalBasis })
            : xcMessage('xc.how.notSharedNoBasis');
    return {
      resource: resource.code,
      name: resource.name,
      providerOrg: resource.providerOrgCode,
      sharingType: resource.sharingType,
      sharingCondition: resource.sharingCondition,
      sharingConditionEn: resource.sharingConditionEn,
      legalBasis: resource.legalBasis,
      fields: resource.fields,
      channels: channels.map(presentChannel),
      openRequests: open.map((r) => r.id),
      howToGetAccess: renderMessage(how, lang),
    };
  }

  /** A consumer department asks for a conditional resource; the deadline runs from now. */
  async submitRequest(who: Principal | null, body: NewRequestBody, requestId?: string): Promise<SharingRequest> {
    const caller = requirePermission(who, 'exchange:request');
    const consumerOrg = this.requireOrg(caller);
    const resource = await this.describe(body.resource);
    if (resource.sharingType === 'not_shared') throw notShared(resource);
    if (resource.sharingType === 'unconditional') {
      throw Problem.conflict(xcMessage('xc.unconditionalNoRequest', { resource: resource.code }));
    }
    if (orgWithin(consumerOrg, resource.providerOrgCode)) throw Problem.conflict(xcMessage('xc.ownResource', { resource: resource.code }));
    this.checkFields(resource, body.fields, '/body/fields');
    const validUntil = this.checkFutureDate(body.validUntil, '/body/validUntil');
    const now = new Date();
    const id = `XR-${chinaDay(now).replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;
    const dueAt = this.deps.calendar.addWorkingDays(now, ANSWER_WITHIN_WORKING_DAYS);
    await this.deps.transaction(async (trx) => {
      await store.insertRequest(trx, {
        id,
        resource_code: resource.code,
        provider_org: resource.providerOrgCode,
        consumer_org: consumerOrg,
        consumer_system: body.systemName ?? null,
        purpose: body.purpose,
        legal_basis: body.legalBasis,
        fields: body.fields,
        expected_calls_per_day: body.expectedCallsPerDay,
        requested_until: validUntil,
        submitted_by: caller.id,
        due_at: dueAt,
      });
      await store.insertRequestStep(trx, { requestId: id, actorId: caller.id, actorOrg: consumerOrg, action: 'submitted', note: body.purpose });
      await this.deps.audit.append(trx, {
        action: 'exchange.request.submit',
        actor: auditActor(caller),
        subject: { type: 'xc_request', id },
        purpose: body.purpose,
        requestId: requestId ?? null,
        detail: { resource: resource.code, provider: resource.providerOrgCode, fields: body.fields, dueAt: dueAt.toISOString() },
      });
    });
    return this.getRequest(caller, id);
  }

  /** Requests the caller's department made or received; operators and auditors see all. */
  async listRequests(who: Principal | null, filter: { side?: 'consumer' | 'provider'; status?: string; limit?: number }): Promise<SharingRequest[]> {
    const org = this.scope(this.requireReader(who));
    const rows = await store.listRequests(this.deps.db, { org, side: filter.side ?? 'either', status: filter.status, limit: filter.limit ?? 100 });
    return Promise.all(rows.map((r) => this.presentRequest(r, false)));
  }

  /** One request with its steps, for either side (or an operator). */
  async getRequest(who: Principal | null, id: string): Promise<SharingRequest> {
    const caller = this.requireReader(who);
    const row = await this.visibleRequest(caller, id);
    return this.presentRequest(row, true);
  }

  /** The provider approves, possibly narrowing fields and validity; a channel opens at once. */
  async approveRequest(who: Principal | null, id: string, body: ApproveBody, requestId?: string): Promise<SharingRequest> {
    const caller = requirePermission(who, 'exchange:review');
    const row = await this.visibleRequest(caller, id);
    this.requireProviderSide(caller, row);
    if (row.status !== 'pending') throw notPending(row);
    const fields = body.fields ?? row.fields;
    const beyond = fields.filter((f) => !row.fields.includes(f));
    if (beyond.length > 0) {
      throw Problem.validation(xcMessage('xc.approveOnlyRequested', { fields: beyond.join(', ') }), [{ field: '/body/fields', message: xcMessage('xc.field.notRequested', { fields: beyond.join(', ') }) }]);
    }
    const until = body.validUntil ? this.checkFutureDate(body.validUntil, '/body/validUntil') : row.requested_until;
    if (until > row.requested_until) {
      throw Problem.validation(xcMessage('xc.approveNotLonger', { until: row.requested_until }), [{ field: '/body/validUntil', message: xcMessage('xc.field.laterThanRequested') }]);
    }
    const rate = body.rateLimitPerMinute ?? DEFAULT_RATE_PER_MINUTE;
    const channelId = `XC-${randomUUID().slice(0, 13)}`;
    await this.deps.transaction(async (trx) => {
      if (!(await store.decideRequest(trx, id, { status: 'approved', by: caller.id, approvedFields: fields, approvedUntil: until, rateLimitPerMinute: rate, channelId }))) {
        throw Problem.conflict(xcMessage('xc.requestDecidedMeanwhile', { id }));
      }
      await store.insertChannel(trx, {
        id: channelId,
        resource_code: row.resource_code,
        provider_org: row.provider_org,
        consumer_org: row.consumer_org,
        consumer_system: row.consumer_system,
        fields,
        purpose: row.purpose,
        basis: 'request',
        request_id: id,
        rate_limit_per_minute: rate,
        valid_until: endOfChinaDay(until),
        created_by: caller.id,
      });
      await store.insertRequestStep(trx, { requestId: id, actorId: caller.id, actorOrg: caller.orgCode, action: 'approved', note: body.note ?? null });
      await this.deps.channelCache.announce(trx, channelKey(row.consumer_org, row.resource_code));
      await this.deps.audit.append(trx, {
        action: 'exchange.request.approve',
        actor: auditActor(caller),
        subject: { type: 'xc_request', id },
        requestId: requestId ?? null,
        detail: { channel: channelId, fields, validUntil: until, narrowed: fields.length < row.fields.length || until < row.requested_until },
      });
    });
    // A consumer's cached "no channel" must go now, in every process, not in a minute.
    await this.deps.channelCache.withdrawn(channelKey(row.consumer_org, row.resource_code));
    return this.getRequest(caller, id);
  }

  /** The provider refuses, with its reason. */
  async refuseRequest(who: Principal | null, id: string, reason: string, requestId?: string): Promise<SharingRequest> {
    const caller = requirePermission(who, 'exchange:review');
    const row = await this.visibleRequest(caller, id);
    this.requireProviderSide(caller, row);
    await this.decide(caller, row, { status: 'refused', reason }, 'exchange.request.refuse', requestId);
    return this.getRequest(caller, id);
  }

  /** The consumer withdraws its pending request. */
  async withdrawRequest(who: Principal | null, id: string, reason: string, requestId?: string): Promise<SharingRequest> {
    const caller = requirePermission(who, 'exchange:request');
    const row = await this.visibleRequest(caller, id);
    if (!orgWithin(row.consumer_org, caller.orgCode)) throw Problem.forbidden(xcMessage('xc.onlyAskerWithdraws'));
    await this.decide(caller, row, { status: 'withdrawn', reason }, 'exchange.request.withdraw', requestId);
    return this.getRequest(caller, id);
  }

  // ------------------------------------------------------------ channels

  /** Opens a channel to an unconditional resource: no approval, but it names its purpose and fields. */
  async openChannel(who: Principal | null, body: NewChannelBody, requestId?: string): Promise<Channel> {
    const caller = requirePermission(who, 'exchange:request');
    const consumerOrg = this.requireOrg(caller);
    const resource = await this.describe(body.resource);
    if (resource.sharingType === 'not_shared') throw notShared(resource);
    if (resource.sharingType === 'conditional') {
      throw Problem.forbidden(
        resource.sharingCondition
          ? xcMessage('xc.conditionalNeedsRequest', { resource: resource.code, condition: resource.sharingCondition, conditionEn: resource.sharingConditionEn ?? resource.sharingCondition })
          : xcMessage('xc.conditionalNeedsRequestNoCondition', { resource: resource.code }),
      );
    }
    this.checkFields(resource, body.fields, '/body/fields');
    const until = body.validUntil ? this.checkFutureDate(body.validUntil, '/body/validUntil') : chinaDay(new Date(Date.now() + DEFAULT_UNCONDITIONAL_DAYS * 86_400_000));
    const id = `XC-${randomUUID().slice(0, 13)}`;
    await this.deps.transaction(async (trx) => {
      await store.insertChannel(trx, {
        id,
        resource_code: resource.code,
        provider_org: resource.providerOrgCode,
        consumer_org: consumerOrg,
        consumer_system: body.systemName ?? null,
        fields: body.fields,
        purpose: body.purpose,
        basis: 'unconditional',
        request_id: null,
        rate_limit_per_minute: DEFAULT_RATE_PER_MINUTE,
        valid_until: endOfChinaDay(until),
        created_by: caller.id,
      });
      await this.deps.channelCache.announce(trx, channelKey(consumerOrg, resource.code));
      await this.deps.audit.append(trx, {
        action: 'exchange.channel.open',
        actor: auditActor(caller),
        subject: { type: 'xc_channel', id },
        purpose: body.purpose,
        requestId: requestId ?? null,
        detail: { resource: resource.code, fields: body.fields, validUntil: until },
      });
    });
    await this.deps.channelCache.withdrawn(channelKey(consumerOrg, resource.code));
    return presentChannel((await store.findChannel(this.deps.db, id))!);
  }

  /** Channels the caller's department consumes or provides; operators and auditors see all. */
  async listChannels(who: Principal | null): Promise<Channel[]> {
    const org = this.scope(this.requireReader(who));
    return (await store.listChannels(this.deps.db, { org, limit: 500 })).map(presentChannel);
  }

  /** Revokes a channel (its consumer, its provider, or an operator); the next call through it is refused. */
  async revokeChannel(who: Principal | null, id: string, reason: string, requestId?: string): Promise<Channel> {
    const caller = this.requireReader(who);
    const channel = await store.findChannel(this.deps.db, id);
    const mayRevoke =
      channel &&
      (caller.roles.includes('operator') ||
        (hasPermission(caller, 'exchange:request') && orgWithin(channel.consumer_org, caller.orgCode)) ||
        (hasPermission(caller, 'exchange:review') && orgWithin(channel.provider_org, caller.orgCode)));
    if (!channel || !mayRevoke) throw Problem.notFound(xcMessage('xc.noChannelToRevoke', { id }));
    const key = channelKey(channel.consumer_org, channel.resource_code);
    const revoked = await this.deps.transaction(async (trx) => {
      if (!(await store.revokeChannel(trx, id, caller.id, reason))) return false;
      await this.deps.channelCache.announce(trx, key);
      await this.deps.audit.append(trx, { action: 'exchange.channel.revoke', actor: auditActor(caller), subject: { type: 'xc_channel', id }, requestId: requestId ?? null, detail: { reason } });
      return true;
    });
    if (revoked) await this.deps.channelCache.withdrawn(key);
    return presentChannel((await store.findChannel(this.deps.db, id))!);
  }

  // ------------------------------------------------------------ call log, statistics, my data

  /** Logged calls the caller's department made or served (operators: all), newest first. */
  async listCalls(who: Principal | null, filter: { channel?: string; outcome?: string; limit?: number }, lang: Lang = DEFAULT_LANG): Promise<Call[]> {
    const org = this.scope(this.requireReader(who));
    const rows = await store.listCalls(this.deps.db, { org, channel: filter.channel, outcome: filter.outcome, limit: filter.limit ?? 100 });
    return rows.map((row) => presentCall(row, lang));
  }

  /** Channels, calls, latency and refusals over the last `days` days (the caller's department, or all). */
  async stats(who: Principal | null, days = 30): Promise<ExchangeStats> {
    const org = this.scope(this.requireReader(who));
    const since = new Date(Date.now() - days * 86_400_000);
    const [calls, channels, open] = await Promise.all([
      store.callStatistics(this.deps.db, { org, since }),
      store.channelCounts(this.deps.db, org),
      store.countPendingRequests(this.deps.db, org),
    ]);
    const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
    return {
      since: since.toISOString(),
      channels,
      calls: calls.totals.calls,
      ok: calls.totals.ok,
      notFound: calls.totals.not_found,
      refused: calls.totals.refused,
      errors: calls.totals.errors,
      records: calls.totals.records,
      latencyMs: { p50: round(calls.totals.p50), p95: round(calls.totals.p95), p99: round(calls.totals.p99) },
      byDay: calls.byDay,
      byChannel: calls.byChannel.map((c) => ({ channelId: c.channel_id, resource: c.resource_code, consumerOrg: c.consumer_org, calls: c.calls, p95: round(c.p95) })),
      byDepartment: calls.byDepartment,
      overdueRequests: open.overdue,
      pendingRequests: open.pending,
    };
  }

  /** Every call that touched the signed-in citizen's data: when, which department, purpose, case. */
  async myDataUses(who: Principal | null, limit = 200): Promise<DataUse[]> {
    const caller = requirePermission(who, 'my_data:read');
    const subject = caller.subjectId;
    if (!subject) return [];
    const [calls, reports] = await Promise.all([store.listCalls(this.deps.db, { org: null, subject, limit }), store.listMisuseReports(this.deps.db, { subject, limit: 1000 })]);
    const reported = new Set(reports.map((r) => r.call_id));
    const orgs = await this.deps.orgNames();
    const orgName = (code: string | null) => {
      const o = code ? orgs.get(code) : undefined;
      return o ? { zh: o.name, en: o.nameEn } : null;
    };
    const resources = new Map<string, SharedResource | undefined>();
    for (const code of new Set(calls.map((c) => c.resource_code).filter((c): c is string => !!c))) resources.set(code, await this.deps.reader.describe(code));
    const unnamed = [...new Set(calls.filter((c) => !c.resource_code).flatMap((c) => c.fields))];
    const namer = this.deps.callFieldNames?.namer;
    const named = unnamed.length > 0 && namer ? await namer(unnamed) : new Map<string, { zh: string; en: string }>();
    return calls.map((c) => {
      const resource = c.resource_code ? resources.get(c.resource_code) : undefined;
      return {
        callId: c.id,
        at: c.received_at.toISOString(),
        department: c.consumer_org,
        departmentName: orgName(c.consumer_org),
        system: c.consumer_system,
        provider: c.provider_org,
        providerName: orgName(c.provider_org),
        resource: c.resource_code,
        resourceName: resource ? { zh: resource.name, en: resource.nameEn } : null,
        fields: c.fields,
        fieldLabels: c.fields.map((name) => {
          const f = resource?.fields.find((x) => x.name === name);
          const n = c.resource_code ? undefined : named.get(name);
          return { name, zh: f?.labelZh ?? n?.zh ?? name, en: f?.labelEn ?? n?.en ?? name };
        }),
        purpose: c.purpose,
        caseId: c.case_id,
        outcome: c.outcome,
        reported: reported.has(c.id),
      };
    });
  }

  /** A citizen reports that a call misused their data; operators see the report. */
  async reportMisuse(who: Principal | null, callId: string, reason: string, requestId?: string): Promise<{ id: string }> {
    const caller = requirePermission(who, 'my_data:read');
    const subject = caller.subjectId;
    const call = subject ? await store.findCall(this.deps.db, callId) : undefined;
    if (!call || !call.subjects.includes(subject!)) throw Problem.notFound(xcMessage('xc.noCallOnYourData', { id: callId }));
    const id = `XM-${randomUUID().slice(0, 13)}`;
    await this.deps.transaction(async (trx) => {
      await store.insertMisuseReport(trx, { id, callId, subject: subject!, reportedBy: caller.id, reason });
      await this.deps.audit.append(trx, { action: 'exchange.misuse.report', actor: auditActor(caller), subject: { type: 'xc_call', id: callId }, dataSubject: subject, requestId: requestId ?? null, detail: { report: id, reason } });
    });
    return { id };
  }

  // ------------------------------------------------------------ data plane

  /**
   * One data-plane call by a department system. Checks, in order: the caller is a department
   * system; purpose, case id and end user are given; the resource exists and is shared; the
   * department has a live channel to it (for this system); the channel's rate; every field
   * asked for or filtered on is granted. Then reads only granted fields, and logs the call —
   * refused or not — before it answers.
   */
  async call(input: DataCall): Promise<DataAnswerOut> {
    const callId = randomUUID();
    const principal = input.principal;
    if (!principal) this.limitAnonymous(input.ip ?? 'unknown');
    const consumerOrg = principal?.orgCode ?? null;
    const consumerSystem = principal?.kind === 'system' ? principal.name : null;
    // The call as received, as a JSON array in a fixed order (cheaper than sorting keys).
    const requestHash = sha256(
      JSON.stringify([
        callId,
        input.receivedAt.toISOString(),
        consumerOrg,
        consumerSystem,
        input.resource,
        input.operation,
        input.key ?? null,
        input.subject ?? null,
        (input.conditions ?? []).map((c) => [c.field, c.value]),
        input.fields ?? null,
        input.purpose ?? null,
        input.caseId ?? null,
        input.endUser ?? null,
      ]),
    );
    // What the caller sent goes into the log as evidence, so text the database cannot hold (a
    // NUL, a lone surrogate) is kept with U+FFFD in its place; the call is refused below.
    const unstorable = unstorablePart(input);
    // (Only when the check found something: every logged part is among those it looked at.)
    const asLogged = (text: string | undefined) => (text === undefined ? null : unstorable ? toStorableText(text) : text);
    const log: CallRecord = {
      id: callId,
      received_at: input.receivedAt,
      authorised_at: null,
      data_ready_at: null,
      responded_at: input.receivedAt,
      channel_id: null,
      consumer_org: consumerOrg,
      consumer_system: consumerSystem,
      provider_org: null,
      resource_code: asLogged(input.resource)!,
      operation: input.operation,
      fields: [],
      purpose: asLogged(input.purpose),
      case_id: asLogged(input.caseId),
      end_user: asLogged(input.endUser),
      subjects: input.subject ? [asLogged(input.subject)!.trim().toUpperCase()] : [],
      record_count: 0,
      outcome: 'refused',
      status_code: 0,
      reason: null,
      request_hash: requestHash,
      response_hash: null,
    };
    try {
      if (!principal) throw Problem.unauthenticated(xcMessage('xc.callWithKey'));
      if (principal.kind !== 'system' || !hasPermission(principal, 'exchange:call')) throw Problem.forbidden(xcMessage('xc.systemsOnly'));
      if (unstorable) throw unstorableText(unstorable);
      if (input.refusal) throw input.refusal;
      const missing = [!input.purpose && 'X-Ludao-Purpose', !input.caseId && 'X-Ludao-Case-Id', !input.endUser && 'X-Ludao-End-User'].filter(Boolean) as string[];
      if (missing.length > 0) {
        throw Problem.validation(
          xcMessage('xc.callNeedsContext', { headers: missing.join(', ') }),
          missing.map((h) => ({ field: `/headers/${h.toLowerCase()}`, message: xcMessage('xc.field.required') })),
        );
      }
      const resource = await this.deps.reader.describe(input.resource);
      if (!resource) throw Problem.notFound(xcMessage('xc.noResource', { resource: input.resource }));
      log.provider_org = resource.providerOrgCode;
      // Logged as the resource stores it (a place's code as written), so that a subject's calls
      // are found by the same value as its records; until the resource is known, in capitals.
      const stored = input.subject ? await this.deps.reader.storedSubject(resource.code, input.subject) : null;
      if (stored !== null) log.subjects = [stored];
      if (resource.sharingType === 'not_shared') throw notShared(resource);
      const channel = await this.liveChannel(principal, resource, input.channelId);
      log.channel_id = channel.id;
      this.takeToken(channel);
      const fields = input.fields && input.fields.length > 0 ? input.fields : channel.fields;
      log.fields = fields;
      const ungranted = [...fields, ...(input.conditions ?? []).map((c) => c.field)].filter((f) => !channel.fields.includes(f));
      if (ungranted.length > 0) throw Problem.forbidden(xcMessage('xc.notGranted', { id: channel.id, fields: [...new Set(ungranted)].join(', ') }));
      for (const c of input.conditions ?? []) checkConditionValue(resource, c);
      log.authorised_at = new Date();

      if (input.operation === 'changes') {
        const cursor = parseCursor(input.after);
        if (!cursor) throw Problem.validation(xcMessage('xc.notACursor'), [{ field: '/querystring/after', message: xcMessage('xc.field.malformedCursor') }]);
        const { changes, next } = await readChanges(this.deps.db, this.deps.reader, resource.code, fields, cursor, Math.min(input.limit ?? MAX_PAGE, FEED_PAGE));
        log.data_ready_at = new Date();
        log.record_count = changes.length;
        log.subjects = [...new Set(changes.map((c) => c.subject).filter((x): x is string => !!x))].slice(0, 1000);
        const body = JSON.stringify({ callId, requestHash, resource: resource.code, fields, changes, next: formatCursor(next) });
        return await this.answer(log, body, requestHash);
      }
      let records: SharedRecord[];
      let next: string | null = null;
      if (input.operation === 'key') records = await this.deps.reader.byKey(resource.code, input.key!, fields);
      else if (input.operation === 'subject') records = await this.deps.reader.bySubject(resource.code, input.subject!, fields, MAX_PAGE);
      else {
        const limit = Math.min(input.limit ?? 20, MAX_PAGE);
        records = await this.deps.reader.query(resource.code, input.conditions ?? [], fields, { after: input.after, limit: limit + 1 });
        if (records.length > limit) {
          records = records.slice(0, limit);
          next = records[limit - 1]!.key;
        }
      }
      log.data_ready_at = new Date();
      log.record_count = records.length;
      const subjects = new Set(log.subjects);
      for (const r of records) if (r.subject) subjects.add(r.subject);
      log.subjects = [...subjects].slice(0, 1000);
      if (input.operation === 'key' && records.length === 0) throw Problem.notFound(xcMessage('xc.noCurrentRecord', { key: input.key!, resource: resource.code }));

      const body = JSON.stringify({ callId, requestHash, resource: resource.code, fields, records, next });
      return await this.answer(log, body, requestHash);
    } catch (error) {
      const problem = error instanceof Problem ? error : undefined;
      log.outcome = problem ? (problem.status === 404 ? 'not_found' : 'refused') : 'error';
      log.status_code = problem?.status ?? 500;
      // Where the problem's detail is a message, its code too (the English is its detail).
      Object.assign(log, problem?.detailMessage ? callReason(problem.detailMessage) : { reason: problem ? (problem.detail ?? problem.title) : 'internal error' });
      log.responded_at = new Date();
      await this.deps.callLog.write(log);
      throw error;
    }
  }

  // ------------------------------------------------------------ change subscriptions

  /**
   * Subscribes a consumer's channel to its resource's changes by webhook. The secret that
   * signs every delivery is shown once. `from: 'start'` replays the journal from its start.
   */
  async createSubscription(who: Principal | null, body: { channelId: string; url: string; from?: 'now' | 'start' }, requestId?: string, lang: Lang = DEFAULT_LANG): Promise<{ subscription: Subscription; secret: string }> {
    const caller = requirePermission(who, 'exchange:request');
    const channel = await store.findChannel(this.deps.db, body.channelId);
    if (!channel || !orgWithin(channel.consumer_org, caller.orgCode)) throw Problem.notFound(xcMessage('xc.noOwnChannel', { id: body.channelId }));
    if (channel.status !== 'active' || channel.valid_until.getTime() <= Date.now()) throw Problem.conflict(xcMessage('xc.channelNotLive', { id: channel.id }));
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      throw Problem.validation(xcMessage('xc.notAUrl'), [{ field: '/body/url', message: xcMessage('xc.field.notAUrl') }]);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw Problem.validation(xcMessage('xc.httpOnly'), [{ field: '/body/url', message: xcMessage('xc.field.httpOnly') }]);
    const id = `XS-${randomUUID().slice(0, 13)}`;
    const secret = randomBytes(32).toString('base64url');
    const start = body.from === 'start' ? 0 : await store.lastChangeSeq(this.deps.db, channel.resource_code);
    await this.deps.transaction(async (trx) => {
      await store.insertSubscription(trx, { id, channel_id: channel.id, consumer_org: channel.consumer_org, resource_code: channel.resource_code, url: url.toString(), secret, cursor_seq: start, cursor_row: 0, created_by: caller.id });
      await this.deps.audit.append(trx, { action: 'exchange.subscription.create', actor: auditActor(caller), subject: { type: 'xc_subscription', id }, requestId: requestId ?? null, detail: { channel: channel.id, url: url.origin, from: body.from ?? 'now' } });
    });
    return { subscription: presentSubscription((await store.findSubscription(this.deps.db, id))!, lang), secret };
  }

  /** Subscriptions of the caller's department (operators: all). */
  async listSubscriptions(who: Principal | null, lang: Lang = DEFAULT_LANG): Promise<Subscription[]> {
    const rows = await store.listSubscriptions(this.deps.db, this.scope(this.requireReader(who)));
    return rows.map((row) => presentSubscription(row, lang));
  }

  /** The latest delivery attempts of a subscription. */
  async listDeliveries(who: Principal | null, id: string, lang: Lang = DEFAULT_LANG) {
    const caller = this.requireReader(who);
    await this.visibleSubscription(caller, id);
    return (await store.listDeliveries(this.deps.db, id, 100)).map((d) => ({
      id: d.delivery_id,
      attemptedAt: d.attempted_at.toISOString(),
      fromCursor: d.from_cursor,
      toCursor: d.to_cursor,
      changes: d.changes,
      statusCode: d.status_code,
      outcome: d.outcome,
      error: d.error === null ? null : renderStored(d.error_code, d.error_params, d.error, lang),
      errorCode: d.error_code,
    }));
  }

  /** Replays from a cursor (default: where it stopped), unparking a parked subscription. */
  async replaySubscription(who: Principal | null, id: string, body: { from?: string }, requestId?: string, lang: Lang = DEFAULT_LANG): Promise<Subscription> {
    const caller = requirePermission(who, 'exchange:request');
    const sub = await this.visibleSubscription(caller, id);
    if (sub.status === 'cancelled') throw Problem.conflict(xcMessage('xc.subscriptionCancelled', { id }));
    const cursor = body.from === undefined ? { seq: sub.cursor_seq, row: sub.cursor_row } : parseCursor(body.from);
    if (!cursor) throw Problem.validation(xcMessage('xc.notAReplayCursor'), [{ field: '/body/from', message: xcMessage('xc.field.malformedCursor') }]);
    await this.deps.transaction(async (trx) => {
      await store.rewindSubscription(trx, id, cursor.seq, cursor.row);
      await this.deps.audit.append(trx, { action: 'exchange.subscription.replay', actor: auditActor(caller), subject: { type: 'xc_subscription', id }, requestId: requestId ?? null, detail: { from: formatCursor(cursor) } });
    });
    this.deps.onReplay?.();
    return presentSubscription((await store.findSubscription(this.deps.db, id))!, lang);
  }

  /** Cancels a subscription: nothing more is sent. */
  async cancelSubscription(who: Principal | null, id: string, requestId?: string, lang: Lang = DEFAULT_LANG): Promise<Subscription> {
    const caller = requirePermission(who, 'exchange:request');
    await this.visibleSubscription(caller, id);
    await this.deps.transaction(async (trx) => {
      await store.cancelSubscription(trx, id);
      await this.deps.audit.append(trx, { action: 'exchange.subscription.cancel', actor: auditActor(caller), subject: { type: 'xc_subscription', id }, requestId: requestId ?? null });
    });
    return presentSubscription((await store.findSubscription(this.deps.db, id))!, lang);
  }

  // ------------------------------------------------------------ helpers

  // Logs an answered call and returns the exact body with its evidence.
  private async answer(log: CallRecord, body: string, requestHash: string): Promise<DataAnswerOut> {
    const responseHash = sha256(`${requestHash}\n${body}`);
    log.outcome = 'ok';
    log.status_code = 200;
    log.response_hash = responseHash;
    log.responded_at = new Date();
    await this.deps.callLog.write(log);
    return { callId: log.id, body, requestHash, responseHash };
  }

  private async visibleSubscription(caller: Principal, id: string): Promise<store.SubscriptionRow> {
    const sub = await store.findSubscription(this.deps.db, id);
    if (!sub || !(hasPermission(caller, 'exchange:oversee') || orgWithin(sub.consumer_org, caller.orgCode))) throw Problem.notFound(xcMessage('xc.noSubscription', { id }));
    return sub;
  }

  private async liveChannel(principal: Principal, resource: SharedResource, wanted: string | undefined): Promise<store.ChannelRow> {
    const org = principal.orgCode!;
    const cacheKey = channelKey(org, resource.code);
    const channels = await this.deps.channelCache.get(cacheKey, () => store.findLiveChannels(this.deps.db, org, resource.code));
    const now = Date.now();
    const usable = channels.filter((c) => c.status === 'active' && c.valid_until.getTime() > now && (c.consumer_system === null || c.consumer_system === principal.name));
    const channel = wanted ? usable.find((c) => c.id === wanted) : usable[0];
    if (!channel) {
      const open = resource.sharingType === 'unconditional';
      throw Problem.forbidden(
        wanted
          ? xcMessage(open ? 'xc.noChannelWithIdOpen' : 'xc.noChannelWithIdAsk', { org, resource: resource.code, id: wanted })
          : xcMessage(open ? 'xc.noChannelOpen' : 'xc.noChannelAsk', { org, resource: resource.code }),
      );
    }
    return channel;
  }

  // Counts calls without credentials per address and minute (per process); throws past the limit.
  private limitAnonymous(ip: string): void {
    const minute = Math.floor(Date.now() / 60_000);
    const seen = this.anonymous.get(ip);
    const count = seen && seen.minute === minute ? seen.count + 1 : 1;
    if (this.anonymous.size > 10_000) this.anonymous.clear();
    this.anonymous.set(ip, { minute, count });
    if (count > ANONYMOUS_PER_MINUTE) throw Problem.rateLimited(xcMessage('xc.tooManyAnonymous'), 60 - (Math.floor(Date.now() / 1000) % 60));
  }

  // A token bucket per channel and process: `rate_limit_per_minute` calls, refilled evenly.
  private takeToken(channel: store.ChannelRow): void {
    const capacity = channel.rate_limit_per_minute;
    const now = Date.now();
    const bucket = this.buckets.get(channel.id) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 60_000) * capacity);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(channel.id, bucket);
      throw Problem.rateLimited(xcMessage('xc.rateLimited', { id: channel.id, capacity }), Math.ceil(((1 - bucket.tokens) / capacity) * 60));
    }
    bucket.tokens -= 1;
    this.buckets.set(channel.id, bucket);
  }

  private async decide(caller: Principal, row: store.RequestRow, d: { status: 'refused' | 'withdrawn'; reason: string }, action: string, requestId?: string): Promise<void> {
    if (row.status !== 'pending') throw notPending(row);
    await this.deps.transaction(async (trx) => {
      if (!(await store.decideRequest(trx, row.id, { status: d.status, by: caller.id, reason: d.reason }))) throw Problem.conflict(xcMessage('xc.requestDecidedMeanwhile', { id: row.id }));
      await store.insertRequestStep(trx, { requestId: row.id, actorId: caller.id, actorOrg: caller.orgCode, action: d.status, note: d.reason });
      await this.deps.audit.append(trx, { action, actor: auditActor(caller), subject: { type: 'xc_request', id: row.id }, requestId: requestId ?? null, detail: { reason: d.reason } });
    });
  }

  private async describe(code: string): Promise<SharedResource> {
    const resource = await this.deps.reader.describe(code);
    if (!resource) throw Problem.notFound(xcMessage('xc.noResource', { resource: code }));
    return resource;
  }

  private checkFields(resource: SharedResource, fields: readonly string[], pointer: string): void {
    const known = new Set(resource.fields.filter((f) => !f.deprecated).map((f) => f.name));
    const unknown = fields.filter((f) => !known.has(f));
    if (unknown.length > 0) throw Problem.validation(xcMessage('xc.unknownFields', { resource: resource.code, fields: unknown.join(', ') }), [{ field: pointer, message: xcMessage('xc.field.unknown', { fields: unknown.join(', ') }) }]);
  }

  private checkFutureDate(date: string, pointer: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) throw Problem.validation(xcMessage('xc.notADate', { name: pointer.split('/').pop()! }), [{ field: pointer, message: xcMessage('xc.field.useDate') }]);
    if (date <= chinaDay(new Date())) throw Problem.validation(xcMessage('xc.notAfterToday', { name: pointer.split('/').pop()! }), [{ field: pointer, message: xcMessage('xc.field.future') }]);
    return date;
  }

  private requireOrg(caller: Principal): string {
    if (!caller.orgCode) throw Problem.forbidden(xcMessage('xc.departmentsOnly'));
    return caller.orgCode;
  }

  // Whose rows a reader sees: everyone's (null) for operators and auditors, else their
  // department's and its units' (the store applies it in SQL).
  private scope(caller: Principal): string | null {
    return hasPermission(caller, 'exchange:oversee') ? null : this.requireOrg(caller);
  }

  private requireReader(who: Principal | null): Principal {
    if (hasPermission(who, 'exchange:oversee')) return who!;
    return requirePermission(who, 'exchange:request');
  }

  private async visibleRequest(caller: Principal, id: string): Promise<store.RequestRow> {
    const row = await store.findRequest(this.deps.db, id);
    const visible = row && (hasPermission(caller, 'exchange:oversee') || orgWithin(row.consumer_org, caller.orgCode) || orgWithin(row.provider_org, caller.orgCode));
    if (!row || !visible) throw Problem.notFound(xcMessage('xc.noRequest', { id }));
    return row;
  }

  private requireProviderSide(caller: Principal, row: store.RequestRow): void {
    if (!orgWithin(row.provider_org, caller.orgCode)) throw Problem.forbidden(xcMessage('xc.onlyProviderDecides', { provider: row.provider_org }));
  }

  private async presentRequest(row: store.RequestRow, withSteps: boolean): Promise<SharingRequest> {
    const now = new Date();
    const pending = row.status === 'pending';
    const resource = await this.deps.reader.describe(row.resource_code);
    return {
      id: row.id,
      resource: row.resource_code,
      resourceName: resource?.name ?? row.resource_code,
      providerOrg: row.provider_org,
      consumerOrg: row.consumer_org,
      consumerSystem: row.consumer_system,
      purpose: row.purpose,
      legalBasis: row.legal_basis,
      fields: row.fields,
      expectedCallsPerDay: row.expected_calls_per_day,
      requestedUntil: row.requested_until,
      status: row.status,
      submittedAt: row.submitted_at.toISOString(),
      dueAt: row.due_at.toISOString(),
      workingDaysLeft: pending ? this.deps.calendar.workingDaysBetween(now, row.due_at) : null,
      overdue: pending && row.due_at.getTime() < now.getTime(),
      decidedAt: iso(row.decided_at),
      approvedFields: row.approved_fields,
      approvedUntil: row.approved_until,
      rateLimitPerMinute: row.rate_limit_per_minute,
      reason: row.reason,
      channelId: row.channel_id,
      ...(withSteps
        ? { steps: (await store.listRequestSteps(this.deps.db, row.id)).map((s) => ({ at: s.at.toISOString(), actor: s.actor_id, actorOrg: s.actor_org, action: s.action, note: s.note })) }
        : {}),
    };
  }
}

// The channel cache's key: a consumer department's channels to one resource.
const channelKey = (consumerOrg: string, resourceCode: string) => `${consumerOrg}|${resourceCode}`;

// A request already decided: its status, said per reader.
function notPending(row: store.RequestRow): Problem {
  const code = row.status === 'approved' ? 'xc.requestApproved' : row.status === 'refused' ? 'xc.requestRefused' : 'xc.requestWithdrawn';
  return Problem.conflict(xcMessage(code, { id: row.id }));
}

function notShared(resource: SharedResource): Problem {
  return Problem.forbidden(resource.legalBasis ? xcMessage('xc.notShared', { resource: resource.code, basis: resource.legalBasis }) : xcMessage('xc.notSharedNoBasis', { resource: resource.code }));
}

// A filter value must fit its field's type, or PostgreSQL would refuse it with a 500.
function checkConditionValue(resource: SharedResource, c: FieldCondition): void {
  const field = resource.fields.find((f) => f.name === c.field);
  const ok =
    !field ||
    (field.type === 'integer'
      ? /^-?\d{1,18}$/.test(c.value)
      : field.type === 'decimal'
        ? /^-?\d{1,20}(\.\d{1,10})?$/.test(c.value)
        : field.type === 'date'
          ? /^\d{4}-\d{2}-\d{2}$/.test(c.value) && !Number.isNaN(Date.parse(c.value))
          : field.type === 'boolean'
            ? /^(true|false)$/.test(c.value)
            : field.type === 'timestamp'
              ? !Number.isNaN(Date.parse(c.value))
              : field.type !== 'json' && field.type !== 'geo_point');
  if (!ok) throw Problem.validation(xcMessage('xc.badConditionValue', { field: c.field, value: c.value, type: field!.type }), [{ field: `/querystring/${c.field}`, message: xcMessage('xc.field.notOfType', { type: field!.type }) }]);
}

// A validity date ends at midnight China time.
function endOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T23:59:59.999+08:00`));
}

function presentChannel(c: store.ChannelRow): Channel {
  return {
    id: c.id,
    resource: c.resource_code,
    providerOrg: c.provider_org,
    consumerOrg: c.consumer_org,
    consumerSystem: c.consumer_system,
    fields: c.fields,
    purpose: c.purpose,
    basis: c.basis,
    requestId: c.request_id,
    rateLimitPerMinute: c.rate_limit_per_minute,
    validFrom: c.valid_from.toISOString(),
    validUntil: c.valid_until.toISOString(),
    status: c.status,
    live: c.status === 'active' && c.valid_until.getTime() > Date.now(),
    revokedAt: iso(c.revoked_at),
    revokeReason: c.revoke_reason,
  };
}

function presentCall(c: store.CallRow, lang: Lang): Call {
  return {
    id: c.id,
    receivedAt: c.received_at.toISOString(),
    authorisedAt: iso(c.authorised_at),
    dataReadyAt: iso(c.data_ready_at),
    respondedAt: c.responded_at.toISOString(),
    channelId: c.channel_id,
    consumerOrg: c.consumer_org,
    consumerSystem: c.consumer_system,
    providerOrg: c.provider_org,
    resource: c.resource_code,
    operation: c.operation,
    fields: c.fields,
    purpose: c.purpose,
    caseId: c.case_id,
    endUser: c.end_user,
    recordCount: c.record_count,
    outcome: c.outcome,
    statusCode: c.status_code,
    reason: c.reason === null ? null : renderStored(c.reason_code ?? null, c.reason_code ? (JSON.parse(c.reason_params ?? '{}') as MessageParams) : null, c.reason, lang),
    reasonCode: c.reason_code ?? null,
    requestHash: c.request_hash,
    responseHash: c.response_hash,
  };
}

function presentSubscription(s: store.SubscriptionRow, lang: Lang): Subscription {
  return {
    id: s.id,
    channelId: s.channel_id,
    consumerOrg: s.consumer_org,
    resource: s.resource_code,
    url: s.url,
    status: s.status,
    cursor: formatCursor({ seq: s.cursor_seq, row: s.cursor_row }),
    attempts: s.attempts,
    nextAttemptAt: s.next_attempt_at.toISOString(),
    lastError: s.last_error === null ? null : renderStored(s.last_error_code, s.last_error_params, s.last_error, lang),
    lastErrorCode: s.last_error_code,
    delivered: s.delivered,
    createdAt: s.created_at.toISOString(),
  };
}
