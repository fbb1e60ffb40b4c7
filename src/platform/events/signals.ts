import { EventEmitter } from 'node:events';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** The subjects change signals travel on: `ludao.changes.<resource code>`. */
export const CHANGE_SUBJECT_PREFIX = 'ludao.changes';
/** The JetStream stream that keeps them (a day's worth), so a process can see what it missed. */
export const CHANGE_STREAM = 'LUDAO_CHANGES';

/**
 * Small "something changed" signals between processes: the database holds what changed and
 * who has seen it; a signal only wakes the workers that act on it at once instead of at their
 * next poll. In one process an EventEmitter carries them; with `NATS_URL` they go through NATS
 * JetStream (stream `LUDAO_CHANGES`), so every Ludao process serving the city hears them.
 *
 * @example
 * const signals = config.natsUrl ? await natsSignals(config.natsUrl) : processSignals();
 * signals.subscribe((subject, data) => worker.kick());
 * await signals.publish('ludao.changes.population.person', { seq: 42 });
 */
export interface Signals {
  readonly transport: 'process' | 'nats';
  publish(subject: string, data: Record<string, unknown>): Promise<void>;
  /** Hears every change signal (subjects under `ludao.changes.`). */
  subscribe(handler: (subject: string, data: Record<string, unknown>) => void): void;
  close(): Promise<void>;
}

/** Signals within this process only. */
export function processSignals(): Signals {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    transport: 'process',
    async publish(subject, data) {
      emitter.emit('signal', subject, data);
    },
    subscribe(handler) {
      emitter.on('signal', handler);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Signals through NATS JetStream at `url`: published into the `LUDAO_CHANGES` stream (created
 * when missing), heard by every process subscribed to its subjects.
 */
export async function natsSignals(url: string): Promise<Signals> {
  const nc: NatsConnection = await connect({ servers: url, name: `ludao-${process.pid}`, maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(CHANGE_STREAM);
  } catch {
    await jsm.streams.add({ name: CHANGE_STREAM, subjects: [`${CHANGE_SUBJECT_PREFIX}.>`], max_age: 24 * 3600 * 1_000_000_000 });
  }
  const js = jetstream(nc);
  const handlers: ((subject: string, data: Record<string, unknown>) => void)[] = [];
  nc.subscribe(`${CHANGE_SUBJECT_PREFIX}.>`, {
    callback: (error, msg) => {
      if (error) return;
      let data: Record<string, unknown> = {};
      try {
        data = msg.json<Record<string, unknown>>();
      } catch {
        // a signal without a readable body still wakes the workers
      }
      for (const h of handlers) h(msg.subject, data);
    },
  });
  return {
    transport: 'nats',
    async publish(subject, data) {
      await js.publish(subject, JSON.stringify(data));
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    async close() {
      await nc.drain().catch(() => undefined);
    },
  };
}
