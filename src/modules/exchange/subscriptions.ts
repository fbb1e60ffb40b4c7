import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Signals } from '../../platform/events/signals';
import { CHANGE_SUBJECT_PREFIX } from '../../platform/events/signals';
import type { RecordReader, SharedChange } from '../datacentre';
import { callReason, type CallLog } from './call-log';
import * as store from './exchange.store';
import { xcMessage } from './messages';
import type { Message } from '../../platform/i18n';

/** A position in a resource's change journal: after row `row` of journal entry `seq`. */
export interface ChangeCursor {
  seq: number;
  row: number;
}

/** One change as feeds and webhooks carry it. */
export interface FeedChange extends SharedChange {
  /** The journal entry (applied batch) it belongs to. */
  seq: number;
}

/** Encodes a cursor for clients (opaque to them). */
export function formatCursor(c: ChangeCursor): string {
  return `${c.seq}.${c.row}`;
}

/** Reads a client's cursor; undefined when malformed. */
export function parseCursor(text: string | undefined): ChangeCursor | undefined {
  if (text === undefined || text === '') return { seq: 0, row: 0 };
  const m = /^(\d{1,15})\.(\d{1,12})$/.exec(text);
  return m ? { seq: Number(m[1]), row: Number(m[2]) } : undefined;
}

/**
 * The changes after `cursor`, with only `fields`, up to `limit`, and the cursor to continue
 * from. Walks the journal (one applied batch per entry) and each batch's rows in order.
 */
export async function readChanges(
  db: Kysely<object>,
  reader: RecordReader,
  resource: string,
  fields: readonly string[],
  cursor: ChangeCursor,
  limit: number,
): Promise<{ changes: FeedChange[]; next: ChangeCursor }> {
  const changes: FeedChange[] = [];
  let next = cursor;
  // Start with the cursor's own entry when it stopped inside it, else the entry after it.
  const entries = await store.listChanges(db, resource, cursor.row > 0 ? cursor.seq : cursor.seq + 1, 100);
  for (const entry of entries) {
    const afterRow = entry.seq === cursor.seq ? cursor.row : 0;
    const page = await reader.batchChanges(resource, entry.batch_id, fields, { afterRow, limit: limit - changes.length });
    for (const change of page) changes.push({ ...change, seq: entry.seq });
    if (changes.length >= limit) {
      next = { seq: entry.seq, row: page[page.length - 1]!.row };
      return { changes, next };
    }
    next = { seq: entry.seq, row: 0 }; // the whole entry is read
  }
  return { changes, next };
}

/** Signs a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhook(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** How the delivery worker behaves (tests shorten the waits). */
export interface DeliveryOptions {
  /** First retry after this; doubling each time up to `maxRetryMs`. */
  retryBaseMs: number;
  maxRetryMs: number;
  /** Failed attempts in a row after which a subscription is parked until replayed. */
  maxAttempts: number;
  /** Changes per delivery. */
  pageSize: number;
  /** Besides signals, look for due work this often. */
  pollMs: number;
  /** A webhook that does not answer within this fails. */
  timeoutMs: number;
  /** False: this process journals and signals but delivers nothing (another one does). */
  deliver: boolean;
}

/** The defaults for a running city. */
export const DEFAULT_DELIVERY: DeliveryOptions = { retryBaseMs: 5_000, maxRetryMs: 3_600_000, maxAttempts: 8, pageSize: 500, pollMs: 5_000, timeoutMs: 10_000, deliver: true };

// A lease outlives the longest attempt, so a subscription is never delivered twice at once.
const LEASE_SECONDS = 60;

/**
 * Change journal and webhook delivery. The journal gets one entry per applied batch (from the
 * data centre's event, at least once, deduplicated); a signal then wakes the delivery workers
 * of every process (through NATS JetStream when configured). A worker leases one due
 * subscription at a time (`for update skip locked`), posts the next page of changes — granted
 * fields only — signed with the subscription's secret, and advances the cursor on 2xx. A
 * failure backs off exponentially; after `maxAttempts` failures the subscription is parked
 * until someone replays it. Every delivery is logged as a call, so it shows in the call log
 * and in each citizen's "who used my data".
 *
 * @example
 * const delivery = new ChangeDelivery({ db, reader, callLog, signals }, DEFAULT_DELIVERY);
 * events.subscribe('exchange.change-journal', (e) => delivery.journal(e.payload));
 * delivery.start();
 */
export class ChangeDelivery {
  readonly processId = randomUUID();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly deps: { db: Kysely<object>; reader: RecordReader; callLog: CallLog; signals: Signals },
    private readonly options: DeliveryOptions,
  ) {}

  /** Journals an applied batch and signals every process. */
  async journal(payload: { resource: string; batchId: string }): Promise<void> {
    const seq = await store.journalChange(this.deps.db, payload.resource, payload.batchId);
    await store.wakeSubscriptions(this.deps.db, payload.resource);
    await this.deps.signals.publish(`${CHANGE_SUBJECT_PREFIX}.${payload.resource}`, { resource: payload.resource, seq });
  }

  /** Starts delivering: on every signal, and every `pollMs`. */
  start(): void {
    if (!this.options.deliver) return;
    this.stopped = false;
    this.deps.signals.subscribe(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops after the delivery in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Delivers what is due now (runs once at a time; a kick during a run runs it again). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (!this.stopped && (await this.deliverOne())) {
            // next due subscription
          }
        } catch {
          // the database may be briefly away; the timer tries again
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
  }

  /** Waits for the run in progress (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async deliverOne(): Promise<boolean> {
    const sub = await store.leaseDueSubscription(this.deps.db, this.processId, LEASE_SECONDS);
    if (!sub) return false;
    const from: ChangeCursor = { seq: sub.cursor_seq, row: sub.cursor_row };
    const channel = await store.findChannel(this.deps.db, sub.channel_id);
    const now = Date.now();
    if (!channel || channel.status !== 'active' || channel.valid_until.getTime() <= now) {
      const error = xcMessage(channel?.status === 'revoked' ? 'xc.hook.channelRevoked' : 'xc.hook.channelExpired', { channel: sub.channel_id });
      await store.settleSubscription(this.deps.db, sub.id, { status: 'parked', cursorSeq: from.seq, cursorRow: from.row, attempts: sub.attempts, nextAttemptAt: new Date(), lastError: error, deliveredMore: 0 });
      await store.insertDelivery(this.deps.db, { subscriptionId: sub.id, deliveryId: null, fromCursor: formatCursor(from), toCursor: formatCursor(from), changes: 0, statusCode: null, outcome: 'parked', error });
      return true;
    }
    const { changes, next } = await readChanges(this.deps.db, this.deps.reader, sub.resource_code, channel.fields, from, this.options.pageSize);
    if (changes.length === 0) {
      // Nothing new: wait for the next journal entry (which makes it due again) or a long poll.
      await store.settleSubscription(this.deps.db, sub.id, { status: 'active', cursorSeq: next.seq, cursorRow: next.row, attempts: 0, nextAttemptAt: new Date(now + 3_600_000), lastError: null, deliveredMore: 0 });
      return true;
    }
    const deliveryId = randomUUID();
    const receivedAt = new Date();
    const body = JSON.stringify({ subscription: sub.id, delivery: deliveryId, resource: sub.resource_code, fields: channel.fields, changes, cursor: formatCursor(next) });
    let status: number | null = null;
    let error: Message | null = null;
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ludao-signature': signWebhook(sub.secret, body), 'x-ludao-subscription': sub.id, 'x-ludao-delivery': deliveryId },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = xcMessage('xc.hook.answered', { status });
    } catch (e) {
      error = xcMessage('xc.hook.unreachable', { error: (e as Error).message });
    }
    const ok = error === null;
    const attempts = ok ? 0 : sub.attempts + 1;
    const park = !ok && attempts >= this.options.maxAttempts;
    const wait = Math.min(this.options.maxRetryMs, this.options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    await this.deps.callLog.write({
      id: deliveryId,
      received_at: receivedAt,
      authorised_at: receivedAt,
      data_ready_at: receivedAt,
      responded_at: new Date(),
      channel_id: channel.id,
      consumer_org: channel.consumer_org,
      consumer_system: `webhook ${sub.id}`,
      provider_org: channel.provider_org,
      resource_code: sub.resource_code,
      operation: 'push',
      fields: channel.fields,
      purpose: channel.purpose,
      case_id: `subscription:${sub.id}`,
      end_user: null,
      subjects: [...new Set(changes.map((c) => c.subject).filter((s): s is string => !!s))].slice(0, 1000),
      record_count: ok ? changes.length : 0,
      outcome: ok ? 'ok' : 'error',
      status_code: status ?? 0,
      ...callReason(error),
      request_hash: createHash('sha256').update(body).digest('hex'),
      response_hash: null,
    });
    await store.settleSubscription(this.deps.db, sub.id, {
      status: park ? 'parked' : 'active',
      cursorSeq: ok ? next.seq : from.seq,
      cursorRow: ok ? next.row : from.row,
      attempts,
      nextAttemptAt: ok ? new Date() : new Date(Date.now() + wait),
      lastError: error,
      deliveredMore: ok ? changes.length : 0,
    });
    // A retry due before the next poll gets a wake-up of its own.
    if (!ok && !park && wait < this.options.pollMs) setTimeout(() => this.kick(), wait + 5).unref();
    await store.insertDelivery(this.deps.db, {
      subscriptionId: sub.id,
      deliveryId,
      fromCursor: formatCursor(from),
      toCursor: formatCursor(ok ? next : from),
      changes: changes.length,
      statusCode: status,
      outcome: ok ? 'delivered' : park ? 'parked' : 'failed',
      error,
    });
    return true;
  }
}
