import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  advanceCursor,
  ensureCursor,
  failCursor,
  insertEvent,
  leaseCursor,
  listEventsAfter,
  pruneDelivered,
  releaseCursor,
  sequenceEvents,
  type StoredEvent,
} from './events-store';

/** What a service publishes: something that happened to one aggregate. */
export interface DomainEvent {
  aggregateType: string;
  aggregateId: string;
  /** Dotted past tense, module first: `identity.user.created`. */
  type: string;
  payload?: unknown;
}

/** A subscriber's handler. Throwing means "not handled": the same event comes again later. */
export type EventHandler = (event: StoredEvent) => Promise<void>;

const LEASE_SECONDS = 30;
const BATCH = 200;
/** Delivered events are kept this long (for inspection and late redelivery), then deleted. */
const DEFAULT_RETENTION_SECONDS = 7 * 86_400;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * The transactional outbox and its in-process dispatcher.
 *
 * Guarantees, for each subscriber: every committed event is delivered at least once, after
 * its transaction committed, in one total order (so in order per aggregate). A crash between
 * commit and delivery loses nothing — the event waits in `event_outbox`. A handler that keeps
 * failing holds its subscriber back (with growing back-off) rather than skip an event.
 *
 * @example
 * bus.subscribe('exchange.on-user-created', async (e) => { … });
 * await db.transaction().execute(async (trx) => {
 *   await insertUser(trx, user);
 *   await bus.publish(trx, { aggregateType: 'user', aggregateId: user.id, type: 'identity.user.created' });
 * });
 * bus.kick();
 */
export class EventBus {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  // Rounds in one process run one at a time: two would hold the same lease and deliver twice.
  private exclusive: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(private readonly db: Kysely<object>) {}

  /** Adds an event to the outbox inside the change's transaction. */
  async publish(trx: Transaction<object>, event: DomainEvent): Promise<void> {
    await insertEvent(trx, event);
  }

  /** Registers a handler under a stable name (the name keys its cursor). Call before start(). */
  subscribe(name: string, handler: EventHandler): void {
    if (this.handlers.has(name)) throw new Error(`subscriber ${name} registered twice`);
    this.handlers.set(name, handler);
  }

  /**
   * Starts dispatching: soon after kick(), and every `intervalMs` for other processes' events.
   * Once an hour, events every subscriber has passed and older than `retentionSeconds` are
   * deleted, so the outbox does not grow forever.
   */
  async start(intervalMs = 500, retentionSeconds = DEFAULT_RETENTION_SECONDS): Promise<void> {
    for (const name of this.handlers.keys()) await ensureCursor(this.db, name);
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.prune(retentionSeconds).catch(() => undefined), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.kick();
  }

  /** Deletes delivered events older than `retentionSeconds`; returns how many went. */
  async prune(retentionSeconds: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await pruneDelivered(this.db, retentionSeconds, 10_000);
      total += n;
      if (n < 10_000) return total;
    }
  }

  /** Asks for a dispatch round soon (call after a transaction that published commits). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runRounds().finally(() => (this.running = undefined));
  }

  /** Stops dispatching and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.running;
  }

  /** Runs dispatch rounds until there is nothing new (for tests and the CLI). */
  async drain(): Promise<void> {
    while ((await this.dispatchOnce()) > 0) {
      /* keep going */
    }
  }

  private async runRounds(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
      } catch {
        // The database may be briefly away; the interval timer tries again.
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** One round: number new events, then deliver to each subscriber. Returns events delivered. */
  dispatchOnce(): Promise<number> {
    const round = this.exclusive.then(() => this.round());
    this.exclusive = round.catch(() => undefined);
    return round;
  }

  private async round(): Promise<number> {
    while ((await sequenceEvents(this.db, 1000)) > 0) {
      /* number everything committed so far */
    }
    let delivered = 0;
    for (const [name, handler] of this.handlers) delivered += await this.deliver(name, handler);
    return delivered;
  }

  private async deliver(name: string, handler: EventHandler): Promise<number> {
    const lease = await leaseCursor(this.db, name, this.owner, LEASE_SECONDS);
    if (!lease) return 0;
    let delivered = 0;
    try {
      const events = await listEventsAfter(this.db, lease.lastSeq, BATCH);
      for (const event of events) {
        try {
          await handler(event);
        } catch (error) {
          const backoff = Math.min(60_000, 100 * 2 ** Math.min(lease.failures, 10));
          await failCursor(this.db, name, this.owner, String((error as Error)?.message ?? error), backoff);
          return delivered;
        }
        await advanceCursor(this.db, name, this.owner, event.seq);
        delivered += 1;
      }
    } finally {
      await releaseCursor(this.db, name, this.owner);
    }
    return delivered;
  }
}
