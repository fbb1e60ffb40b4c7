import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { orgWithinSql } from '../../platform/access';
import { storeMessage, type Message, type MessageParams } from '../../platform/i18n';

/**
 * Every query on the exchange's tables: requests and their steps, channels, the call log
 * (partitioned by day of receipt) and misuse reports.
 */

type AnyDb = Kysely<object> | Transaction<object>;

// A row belongs to a department when its org is that department or one of its units
// ('xm.hrss.si' belongs to 'xm.hrss'), the rule the service applies to single records too.
const eitherSide = (org: string) => sql`(${orgWithinSql('consumer_org', org)} or ${orgWithinSql('provider_org', org)})`;

/** A request row. */
export interface RequestRow {
  id: string;
  resource_code: string;
  provider_org: string;
  consumer_org: string;
  consumer_system: string | null;
  purpose: string;
  legal_basis: string;
  fields: string[];
  expected_calls_per_day: number;
  requested_until: string;
  status: 'pending' | 'approved' | 'refused' | 'withdrawn';
  submitted_by: string;
  submitted_at: Date;
  due_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  approved_fields: string[] | null;
  approved_until: string | null;
  rate_limit_per_minute: number | null;
  reason: string | null;
  channel_id: string | null;
}

/** A step in a request's life. */
export interface RequestStepRow {
  at: Date;
  actor_id: string;
  actor_org: string | null;
  action: string;
  note: string | null;
}

/** A channel row. */
export interface ChannelRow {
  id: string;
  resource_code: string;
  provider_org: string;
  consumer_org: string;
  consumer_system: string | null;
  fields: string[];
  purpose: string;
  basis: 'unconditional' | 'request';
  request_id: string | null;
  rate_limit_per_minute: number;
  valid_from: Date;
  valid_until: Date;
  status: 'active' | 'revoked';
  created_by: string;
  created_at: Date;
  revoked_by: string | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

/** A logged call. */
export interface CallRow {
  id: string;
  received_at: Date;
  authorised_at: Date | null;
  data_ready_at: Date | null;
  responded_at: Date;
  channel_id: string | null;
  consumer_org: string | null;
  consumer_system: string | null;
  provider_org: string | null;
  resource_code: string | null;
  operation: string;
  fields: string[];
  purpose: string | null;
  case_id: string | null;
  end_user: string | null;
  subjects: string[];
  record_count: number;
  outcome: 'ok' | 'not_found' | 'refused' | 'error';
  status_code: number;
  reason: string | null;
  request_hash: string;
  response_hash: string | null;
  log_batch: string;
  log_position: number;
  /** The reason as a message code (ADR 0020), for refusals worded per reader; null before migration 0003 and for reasons that are only text. */
  reason_code?: string | null;
  /** The reason's message parameters, as JSON text (hashed as stored). */
  reason_params?: string | null;
  row_hash: string;
}

const dateText = (column: string) => sql.raw(`to_char(${column}, 'YYYY-MM-DD') as ${column}`);
const requestColumns = sql`r.id, r.resource_code, r.provider_org, r.consumer_org, r.consumer_system, r.purpose, r.legal_basis, r.fields,
  r.expected_calls_per_day, ${dateText('requested_until')}, r.status, r.submitted_by, r.submitted_at, r.due_at, r.decided_by, r.decided_at,
  r.approved_fields, ${dateText('approved_until')}, r.rate_limit_per_minute, r.reason, r.channel_id`;

// ---------------------------------------------------------------- requests

/** Stores a new request. */
export async function insertRequest(db: AnyDb, r: Pick<RequestRow, 'id' | 'resource_code' | 'provider_org' | 'consumer_org' | 'consumer_system' | 'purpose' | 'legal_basis' | 'fields' | 'expected_calls_per_day' | 'requested_until' | 'submitted_by' | 'due_at'>): Promise<void> {
  await sql`insert into xc_request (id, resource_code, provider_org, consumer_org, consumer_system, purpose, legal_basis, fields, expected_calls_per_day, requested_until, status, submitted_by, due_at)
    values (${r.id}, ${r.resource_code}, ${r.provider_org}, ${r.consumer_org}, ${r.consumer_system}, ${r.purpose}, ${r.legal_basis}, ${r.fields},
            ${r.expected_calls_per_day}, ${r.requested_until}, 'pending', ${r.submitted_by}, ${r.due_at})`.execute(db);
}

/** One request. */
export async function findRequest(db: AnyDb, id: string): Promise<RequestRow | undefined> {
  const { rows } = await sql<RequestRow>`select ${requestColumns} from xc_request r where r.id = ${id}`.execute(db);
  return rows[0];
}

/** Requests a department made or received (or all, for `org` null), newest first. */
export async function listRequests(db: AnyDb, filter: { org: string | null; side: 'consumer' | 'provider' | 'either'; status?: string; limit: number }): Promise<RequestRow[]> {
  const where = [sql`true`];
  if (filter.org !== null) {
    if (filter.side === 'consumer') where.push(orgWithinSql('r.consumer_org', filter.org));
    else if (filter.side === 'provider') where.push(orgWithinSql('r.provider_org', filter.org));
    else where.push(sql`(${orgWithinSql('r.consumer_org', filter.org)} or ${orgWithinSql('r.provider_org', filter.org)})`);
  }
  if (filter.status) where.push(sql`r.status = ${filter.status}`);
  const { rows } = await sql<RequestRow>`select ${requestColumns} from xc_request r where ${sql.join(where, sql` and `)}
    order by r.submitted_at desc, r.id limit ${filter.limit}`.execute(db);
  return rows;
}

/** Pending requests a department made or received (or all, for `org` null), and how many are overdue. */
export async function countPendingRequests(db: AnyDb, org: string | null): Promise<{ pending: number; overdue: number }> {
  const scope = org === null ? sql`true` : eitherSide(org);
  const { rows } = await sql<{ pending: number; overdue: number }>`
    select count(*)::int as pending, count(*) filter (where due_at < now())::int as overdue
    from xc_request where status = 'pending' and ${scope}`.execute(db);
  return rows[0]!;
}

/** Decides a pending request; false when it was no longer pending. */
export async function decideRequest(
  db: AnyDb,
  id: string,
  d: { status: 'approved' | 'refused' | 'withdrawn'; by: string; approvedFields?: string[]; approvedUntil?: string; rateLimitPerMinute?: number; reason?: string | null; channelId?: string },
): Promise<boolean> {
  const result = await sql`update xc_request set status = ${d.status}, decided_by = ${d.by}, decided_at = now(),
      approved_fields = ${d.approvedFields ?? null}, approved_until = ${d.approvedUntil ?? null}, rate_limit_per_minute = ${d.rateLimitPerMinute ?? null},
      reason = ${d.reason ?? null}, channel_id = ${d.channelId ?? null}
    where id = ${id} and status = 'pending'`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Records a step of a request. */
export async function insertRequestStep(db: AnyDb, s: { requestId: string; actorId: string; actorOrg: string | null; action: string; note?: string | null }): Promise<void> {
  await sql`insert into xc_request_step (request_id, actor_id, actor_org, action, note) values (${s.requestId}, ${s.actorId}, ${s.actorOrg}, ${s.action}, ${s.note ?? null})`.execute(db);
}

/** The steps of a request, oldest first. */
export async function listRequestSteps(db: AnyDb, requestId: string): Promise<RequestStepRow[]> {
  const { rows } = await sql<RequestStepRow>`select at, actor_id, actor_org, action, note from xc_request_step where request_id = ${requestId} order by id`.execute(db);
  return rows;
}

// ---------------------------------------------------------------- channels

/** Stores a new channel. */
export async function insertChannel(db: AnyDb, c: Pick<ChannelRow, 'id' | 'resource_code' | 'provider_org' | 'consumer_org' | 'consumer_system' | 'fields' | 'purpose' | 'basis' | 'request_id' | 'rate_limit_per_minute' | 'valid_until' | 'created_by'>): Promise<void> {
  await sql`insert into xc_channel (id, resource_code, provider_org, consumer_org, consumer_system, fields, purpose, basis, request_id, rate_limit_per_minute, valid_until, status, created_by)
    values (${c.id}, ${c.resource_code}, ${c.provider_org}, ${c.consumer_org}, ${c.consumer_system}, ${c.fields}, ${c.purpose}, ${c.basis}, ${c.request_id},
            ${c.rate_limit_per_minute}, ${c.valid_until}, 'active', ${c.created_by})`.execute(db);
}

/** One channel. */
export async function findChannel(db: AnyDb, id: string): Promise<ChannelRow | undefined> {
  const { rows } = await sql<ChannelRow>`select * from xc_channel where id = ${id}`.execute(db);
  return rows[0];
}

/** The active, unexpired channels of a consumer department to one resource. */
export async function findLiveChannels(db: AnyDb, consumerOrg: string, resourceCode: string): Promise<ChannelRow[]> {
  const { rows } = await sql<ChannelRow>`select * from xc_channel
    where consumer_org = ${consumerOrg} and resource_code = ${resourceCode} and status = 'active' and valid_until > now()
    order by created_at`.execute(db);
  return rows;
}

/** Channels a department consumes or provides (or all, for `org` null), newest first. */
export async function listChannels(db: AnyDb, filter: { org: string | null; limit: number }): Promise<ChannelRow[]> {
  const where = filter.org === null ? sql`true` : eitherSide(filter.org);
  const { rows } = await sql<ChannelRow>`select * from xc_channel where ${where} order by created_at desc, id limit ${filter.limit}`.execute(db);
  return rows;
}

/** Revokes a channel; false when it was revoked already. */
export async function revokeChannel(db: AnyDb, id: string, by: string, reason: string): Promise<boolean> {
  const result = await sql`update xc_channel set status = 'revoked', revoked_by = ${by}, revoked_at = now(), revoke_reason = ${reason}
    where id = ${id} and status = 'active'`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** The NOTIFY channel that withdraws cached channels (payload: `consumerOrg|resourceCode`). */
export const CHANNEL_CHANGED = 'ludao_xc_channel_changed';

// ---------------------------------------------------------------- call log

/** Creates the day partitions of the call log that `days` (YYYY-MM-DD, days in China time) need. */
export async function ensureCallPartitions(db: AnyDb, days: readonly string[]): Promise<void> {
  for (const day of days) {
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const name = `xc_call_${day.replace(/-/g, '')}`;
    await sql`create table if not exists ${sql.id(name)} partition of xc_call
      for values from (${sql.lit(`${day} 00:00:00+08`)}) to (${sql.lit(`${next} 00:00:00+08`)})`.execute(db);
  }
}

/** The call log's columns in a fixed order (a row's hash covers them in it), with their SQL types. */
export const CALL_COLUMNS: readonly (readonly [keyof CallRow, string])[] = [
  ['id', 'text'],
  ['received_at', 'timestamptz'],
  ['authorised_at', 'timestamptz'],
  ['data_ready_at', 'timestamptz'],
  ['responded_at', 'timestamptz'],
  ['channel_id', 'text'],
  ['consumer_org', 'text'],
  ['consumer_system', 'text'],
  ['provider_org', 'text'],
  ['resource_code', 'text'],
  ['operation', 'text'],
  ['fields', 'text[]'],
  ['purpose', 'text'],
  ['case_id', 'text'],
  ['end_user', 'text'],
  ['subjects', 'text[]'],
  ['record_count', 'int'],
  ['outcome', 'text'],
  ['status_code', 'int'],
  ['reason', 'text'],
  ['request_hash', 'text'],
  ['response_hash', 'text'],
  ['log_batch', 'text'],
  ['log_position', 'int'],
  // Added by migration 0003; a row's hash covers them only when it has a code (call-log.ts).
  ['reason_code', 'text'],
  ['reason_params', 'text'],
  ['row_hash', 'text'],
];
const CALL_NAMES = CALL_COLUMNS.map(([column]) => column).join(', ');
// Each column taken by its position from a row sent as a JSON array.
const CALL_VALUES = CALL_COLUMNS.map(([, type], i) =>
  type === 'text[]' ? `array(select jsonb_array_elements_text(e->${i}))` : type === 'text' ? `e->>${i}` : `(e->>${i})::${type}`,
).join(', ');

/**
 * The statement that appends calls to the log, one short statement whatever the batch size:
 * `rows` is a JSON array of rows, each a JSON array of the values of `CALL_COLUMNS` in their
 * order (times as ISO 8601 text), and PostgreSQL unpacks it. One JSON parameter is serialised
 * natively, where per-column arrays cost a JS encoder per value; and a call row's hash covers
 * the same JSON array, so the log hashes each row's text once and sends that text.
 */
export function insertCallsStatement(rows: string): RawBuilder<unknown> {
  return sql`insert into xc_call (${sql.raw(CALL_NAMES)})
    select ${sql.raw(CALL_VALUES)} from jsonb_array_elements(${rows}::jsonb) as e`;
}

/** Calls of one log batch, in their order. */
export async function listCallBatch(db: AnyDb, batch: string): Promise<CallRow[]> {
  const { rows } = await sql<CallRow>`select * from xc_call where log_batch = ${batch} order by log_position`.execute(db);
  return rows;
}

/** Calls, newest first, filtered by who may see them and what is asked. */
export async function listCalls(
  db: AnyDb,
  filter: { org: string | null; channel?: string; subject?: string; outcome?: string; since?: Date; before?: Date; limit: number },
): Promise<CallRow[]> {
  const where = [sql`true`];
  if (filter.org !== null) where.push(eitherSide(filter.org));
  if (filter.channel) where.push(sql`channel_id = ${filter.channel}`);
  if (filter.subject) where.push(sql`subjects @> array[${filter.subject}]::text[]`);
  if (filter.outcome) where.push(sql`outcome = ${filter.outcome}`);
  if (filter.since) where.push(sql`received_at >= ${filter.since}`);
  if (filter.before) where.push(sql`received_at < ${filter.before}`);
  const { rows } = await sql<CallRow>`select * from xc_call where ${sql.join(where, sql` and `)}
    order by received_at desc, id limit ${filter.limit}`.execute(db);
  return rows;
}

/** One call. */
export async function findCall(db: AnyDb, id: string): Promise<CallRow | undefined> {
  const { rows } = await sql<CallRow>`select * from xc_call where id = ${id}`.execute(db);
  return rows[0];
}

/** Call statistics since a time, for one department (consumer or provider) or all. */
export async function callStatistics(db: AnyDb, filter: { org: string | null; since: Date }) {
  const scope = filter.org === null ? sql`true` : eitherSide(filter.org);
  const base = sql`from xc_call where received_at >= ${filter.since} and ${scope}`;
  const latency = sql`extract(epoch from (responded_at - received_at)) * 1000`;
  const totals = await sql<{ calls: number; ok: number; refused: number; errors: number; not_found: number; records: number; p50: number | null; p95: number | null; p99: number | null }>`
    select count(*)::int as calls,
           count(*) filter (where outcome = 'ok')::int as ok,
           count(*) filter (where outcome = 'refused')::int as refused,
           count(*) filter (where outcome = 'error')::int as errors,
           count(*) filter (where outcome = 'not_found')::int as not_found,
           coalesce(sum(record_count), 0)::int as records,
           percentile_cont(0.5) within group (order by ${latency}) as p50,
           percentile_cont(0.95) within group (order by ${latency}) as p95,
           percentile_cont(0.99) within group (order by ${latency}) as p99
    ${base}`.execute(db);
  const byDay = await sql<{ day: string; calls: number; refused: number; errors: number }>`
    select to_char(received_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as calls,
           count(*) filter (where outcome = 'refused')::int as refused, count(*) filter (where outcome = 'error')::int as errors
    ${base} group by 1 order by 1`.execute(db);
  const byChannel = await sql<{ channel_id: string; resource_code: string; consumer_org: string; calls: number; p95: number | null }>`
    select channel_id, min(resource_code) as resource_code, min(consumer_org) as consumer_org, count(*)::int as calls,
           percentile_cont(0.95) within group (order by ${latency}) as p95
    ${base} and channel_id is not null group by channel_id order by calls desc limit 50`.execute(db);
  const byDepartment = await sql<{ org: string; role: string; calls: number }>`
    select consumer_org as org, 'consumer' as role, count(*)::int as calls ${base} and consumer_org is not null group by consumer_org
    union all
    select provider_org as org, 'provider' as role, count(*)::int as calls ${base} and provider_org is not null group by provider_org
    order by calls desc`.execute(db);
  return { totals: totals.rows[0]!, byDay: byDay.rows, byChannel: byChannel.rows, byDepartment: byDepartment.rows };
}

/** Channels live now and ever opened (for one department, or all). */
export async function channelCounts(db: AnyDb, org: string | null): Promise<{ live: number; total: number }> {
  const scope = org === null ? sql`true` : eitherSide(org);
  const { rows } = await sql<{ live: number; total: number }>`
    select count(*) filter (where status = 'active' and valid_until > now())::int as live, count(*)::int as total from xc_channel where ${scope}`.execute(db);
  return rows[0]!;
}

// ---------------------------------------------------------------- misuse reports

/** Stores a citizen's report that a call misused their data. */
export async function insertMisuseReport(db: AnyDb, r: { id: string; callId: string; subject: string; reportedBy: string; reason: string }): Promise<void> {
  await sql`insert into xc_misuse_report (id, call_id, subject, reported_by, reason) values (${r.id}, ${r.callId}, ${r.subject}, ${r.reportedBy}, ${r.reason})`.execute(db);
}

/** Misuse reports, newest first (one subject's, or all). */
export async function listMisuseReports(db: AnyDb, filter: { subject?: string; limit: number }): Promise<{ id: string; call_id: string; subject: string; reason: string; status: string; created_at: Date }[]> {
  const where = filter.subject ? sql`subject = ${filter.subject}` : sql`true`;
  const { rows } = await sql<{ id: string; call_id: string; subject: string; reason: string; status: string; created_at: Date }>`
    select id, call_id, subject, reason, status, created_at from xc_misuse_report where ${where} order by created_at desc limit ${filter.limit}`.execute(db);
  return rows;
}

/** How many calls the log holds. */
export async function countCalls(db: AnyDb): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from xc_call`.execute(db);
  return rows[0]!.n;
}

// ---------------------------------------------------------------- change subscriptions

/** A journal entry: one applied batch of one resource. */
export interface ChangeRow {
  seq: number;
  resource_code: string;
  batch_id: string;
}

/** A webhook subscription. */
export interface SubscriptionRow {
  id: string;
  channel_id: string;
  consumer_org: string;
  resource_code: string;
  url: string;
  secret: string;
  status: 'active' | 'parked' | 'cancelled';
  cursor_seq: number;
  cursor_row: number;
  attempts: number;
  next_attempt_at: Date;
  /** The last attempt's error in English; its code and parameters beside (null before migration 0004). */
  last_error: string | null;
  last_error_code: string | null;
  last_error_params: MessageParams | null;
  delivered: number;
  created_by: string;
  created_at: Date;
}

/** Journals an applied batch (once: a repeated event changes nothing); returns its seq. */
export async function journalChange(db: AnyDb, resourceCode: string, batchId: string): Promise<number> {
  const { rows } = await sql<{ seq: number }>`insert into xc_change (resource_code, batch_id) values (${resourceCode}, ${batchId})
    on conflict (resource_code, batch_id) do update set resource_code = excluded.resource_code returning seq`.execute(db);
  return Number(rows[0]!.seq);
}

/** Journal entries of a resource from `fromSeq` on, in order. */
export async function listChanges(db: AnyDb, resourceCode: string, fromSeq: number, limit: number): Promise<ChangeRow[]> {
  const { rows } = await sql<ChangeRow>`select seq, resource_code, batch_id from xc_change
    where resource_code = ${resourceCode} and seq >= ${fromSeq} order by seq limit ${limit}`.execute(db);
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The last journal position of a resource (0 when none). */
export async function lastChangeSeq(db: AnyDb, resourceCode: string): Promise<number> {
  const { rows } = await sql<{ seq: number | null }>`select max(seq) as seq from xc_change where resource_code = ${resourceCode}`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}

/** Stores a new subscription. */
export async function insertSubscription(db: AnyDb, s: Pick<SubscriptionRow, 'id' | 'channel_id' | 'consumer_org' | 'resource_code' | 'url' | 'secret' | 'cursor_seq' | 'cursor_row' | 'created_by'>): Promise<void> {
  await sql`insert into xc_subscription (id, channel_id, consumer_org, resource_code, url, secret, status, cursor_seq, cursor_row, created_by)
    values (${s.id}, ${s.channel_id}, ${s.consumer_org}, ${s.resource_code}, ${s.url}, ${s.secret}, 'active', ${s.cursor_seq}, ${s.cursor_row}, ${s.created_by})`.execute(db);
}

const subscriptionColumns = sql`id, channel_id, consumer_org, resource_code, url, secret, status, cursor_seq::float8 as cursor_seq, cursor_row::float8 as cursor_row,
  attempts, next_attempt_at, last_error, last_error_code, last_error_params, delivered, created_by, created_at`;

/** One subscription. */
export async function findSubscription(db: AnyDb, id: string): Promise<SubscriptionRow | undefined> {
  const { rows } = await sql<SubscriptionRow>`select ${subscriptionColumns} from xc_subscription where id = ${id}`.execute(db);
  return rows[0];
}

/** Subscriptions of a department (or all), newest first. */
export async function listSubscriptions(db: AnyDb, org: string | null): Promise<SubscriptionRow[]> {
  const where = org === null ? sql`true` : orgWithinSql('consumer_org', org);
  const { rows } = await sql<SubscriptionRow>`select ${subscriptionColumns} from xc_subscription where ${where} order by created_at desc limit 500`.execute(db);
  return rows;
}

/**
 * Leases one due active subscription to this process for `seconds` (skipping ones another
 * process holds), or undefined when none is due.
 */
export async function leaseDueSubscription(db: AnyDb, processId: string, seconds: number): Promise<SubscriptionRow | undefined> {
  const { rows } = await sql<SubscriptionRow>`
    update xc_subscription set leased_by = ${processId}, leased_until = now() + make_interval(secs => ${seconds})
    where id = (select id from xc_subscription
                where status = 'active' and next_attempt_at <= now() and (leased_until is null or leased_until < now())
                order by next_attempt_at limit 1 for update skip locked)
    returning ${subscriptionColumns}`.execute(db);
  return rows[0];
}

/** After an attempt: the new cursor, counts and schedule; releases the lease. */
export async function settleSubscription(
  db: AnyDb,
  id: string,
  s: { status: SubscriptionRow['status']; cursorSeq: number; cursorRow: number; attempts: number; nextAttemptAt: Date; lastError: Message | null; deliveredMore: number },
): Promise<void> {
  const e = storeMessage(s.lastError);
  await sql`update xc_subscription set status = ${s.status}, cursor_seq = ${s.cursorSeq}, cursor_row = ${s.cursorRow}, attempts = ${s.attempts},
      next_attempt_at = ${s.nextAttemptAt}, last_error = ${e.text}, last_error_code = ${e.code}, last_error_params = ${e.params}::jsonb, delivered = delivered + ${s.deliveredMore}, leased_by = null, leased_until = null
    where id = ${id}`.execute(db);
}

/** Makes a resource's active subscriptions due now (a new batch was journaled). */
export async function wakeSubscriptions(db: AnyDb, resourceCode: string): Promise<void> {
  await sql`update xc_subscription set next_attempt_at = now() where resource_code = ${resourceCode} and status = 'active' and attempts = 0`.execute(db);
}

/** Records one delivery attempt. */
export async function insertDelivery(
  db: AnyDb,
  d: { subscriptionId: string; deliveryId: string | null; fromCursor: string; toCursor: string; changes: number; statusCode: number | null; outcome: 'delivered' | 'failed' | 'parked'; error: Message | null },
): Promise<void> {
  const e = storeMessage(d.error);
  await sql`insert into xc_delivery (subscription_id, delivery_id, from_cursor, to_cursor, changes, status_code, outcome, error, error_code, error_params)
    values (${d.subscriptionId}, ${d.deliveryId}, ${d.fromCursor}, ${d.toCursor}, ${d.changes}, ${d.statusCode}, ${d.outcome}, ${e.text}, ${e.code}, ${e.params}::jsonb)`.execute(db);
}

/** The latest delivery attempts of a subscription. */
export async function listDeliveries(db: AnyDb, subscriptionId: string, limit: number) {
  const { rows } = await sql<{
    delivery_id: string | null;
    attempted_at: Date;
    from_cursor: string;
    to_cursor: string;
    changes: number;
    status_code: number | null;
    outcome: string;
    error: string | null;
    error_code: string | null;
    error_params: MessageParams | null;
  }>`
    select delivery_id, attempted_at, from_cursor, to_cursor, changes, status_code, outcome, error, error_code, error_params from xc_delivery
    where subscription_id = ${subscriptionId} order by id desc limit ${limit}`.execute(db);
  return rows;
}

/** Sets where a subscription resumes, and makes it active and due (replay, unpark). */
export async function rewindSubscription(db: AnyDb, id: string, cursorSeq: number, cursorRow: number): Promise<void> {
  await sql`update xc_subscription set status = 'active', cursor_seq = ${cursorSeq}, cursor_row = ${cursorRow}, attempts = 0,
      next_attempt_at = now(), last_error = null, last_error_code = null, last_error_params = null where id = ${id} and status <> 'cancelled'`.execute(db);
}

/** Cancels a subscription. */
export async function cancelSubscription(db: AnyDb, id: string): Promise<void> {
  await sql`update xc_subscription set status = 'cancelled' where id = ${id}`.execute(db);
}
