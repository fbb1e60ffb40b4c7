import { CoherentCache } from '../../platform/db/coherent-cache';
import type { LudaoModule, ModuleContext } from '../../platform/module';
import { RecordReader } from '../datacentre';
import { createIdentityService } from '../identity';
import { provisionKey } from '../../platform/provisions';
import { CallLog } from './call-log';
import { ExchangeService, type CallFieldNamer } from './exchange.service';
import { CHANNEL_CHANGED, type ChannelRow } from './exchange.store';
import { createExchange } from './migrations/0001-create-exchange';
import { createSubscriptions } from './migrations/0002-create-subscriptions';
import { addCallReasonCode } from './migrations/0003-add-call-reason-code';
import { addDeliveryErrorCode } from './migrations/0004-add-delivery-error-code';
import { ChangeDelivery, DEFAULT_DELIVERY } from './subscriptions';
import { natsSignals, processSignals } from '../../platform/events/signals';
import { loadWorkingDayCalendar } from './working-days';

export { CALLS_LOGGED_ACTION, CallLog, callReason, type CallLogVerification } from './call-log';
export type {
  ApproveBody,
  Call,
  Channel,
  DataUse,
  Delivery,
  ExchangeStats,
  NewChannelBody,
  NewRequestBody,
  NewSubscriptionBody,
  ReasonBody,
  ResourceAccess,
  SharingRequest,
  Subscription,
} from './exchange.contract';
export { ANSWER_WITHIN_WORKING_DAYS, CALL_HEADERS, ExchangeService, type CallFieldNamer } from './exchange.service';
export { loadWorkingDayCalendar, WorkingDayCalendar } from './working-days';
export { ChangeDelivery, formatCursor, parseCursor, signWebhook, type FeedChange } from './subscriptions';

/** How long a consumer's live channels are reused without reading them again (changes are pushed). */
const CHANNEL_CACHE_MS = 60_000;

/** The exchange's call log, provided to modules registered after it (one writer per process). */
export const CALL_LOG = provisionKey<CallLog>('exchange.call-log');

/**
 * Where a module that logs calls reading no one resource (the sandbox) says how to name what
 * they logged as fields, for the citizen's "who used my data".
 */
export const CALL_FIELD_NAMER = provisionKey<(namer: CallFieldNamer) => void>('exchange.call-field-namer');

/** A running exchange: the service and what must be stopped with it. */
export interface Exchange {
  service: ExchangeService;
  callLog: CallLog;
  delivery: ChangeDelivery;
  /** Sets how calls that read no one resource have their fields named. */
  nameCallFields(namer: CallFieldNamer): void;
  stop(): Promise<void>;
}

/**
 * Builds the exchange over a module context, with its caches listening (stop it when done).
 *
 * @example
 * const exchange = await startExchange(ctx);
 * await exchange.service.listChannels(principal);
 * await exchange.stop();
 */
export async function startExchange(ctx: Pick<ModuleContext, 'database' | 'db' | 'audit' | 'events' | 'transaction' | 'config'>): Promise<Exchange> {
  const { config } = ctx;
  const reader = new RecordReader(ctx.database);
  const channelCache = new CoherentCache<ChannelRow[]>(ctx.database, CHANNEL_CHANGED, CHANNEL_CACHE_MS);
  const callLog = new CallLog(ctx.db, ctx.audit);
  const calendar = await loadWorkingDayCalendar(ctx.config.calendarFile ?? undefined);
  await reader.start();
  await channelCache.start();
  const identity = createIdentityService(ctx);
  const signals = config.natsUrl ? await natsSignals(config.natsUrl) : processSignals();
  const delivery = new ChangeDelivery(
    { db: ctx.db, reader, callLog, signals },
    { ...DEFAULT_DELIVERY, retryBaseMs: config.webhookRetryMs, maxAttempts: config.webhookMaxAttempts, deliver: config.deliverChanges, pollMs: config.deliveryPollMs },
  );
  // Every applied batch enters the change journal (at least once; the journal deduplicates).
  ctx.events.subscribe('exchange.change-journal', async (event) => {
    if (event.type !== 'datacentre.batch.applied') return;
    const payload = event.payload as { resource: string; batchId: string };
    await delivery.journal({ resource: payload.resource, batchId: payload.batchId });
  });
  const callFieldNames: { namer?: CallFieldNamer } = {};
  const service = new ExchangeService({
    db: ctx.db,
    audit: ctx.audit,
    transaction: ctx.transaction,
    reader,
    calendar,
    callLog,
    channelCache,
    orgNames: () => identity.orgDirectory(),
    onReplay: () => delivery.kick(),
    callFieldNames,
  });
  delivery.start();
  return {
    service,
    callLog,
    delivery,
    nameCallFields(namer) {
      callFieldNames.namer = namer;
    },
    async stop() {
      await delivery.stop();
      await signals.close();
      await callLog.drain();
      await channelCache.stop();
      await reader.stop();
    },
  };
}

/**
 * The exchange (system 2): sharing between departments driven by the catalogue's sharing
 * types — requests, channels, the audited data plane, the call log, statistics, and the
 * citizen's view of who used their data.
 */
export const exchangeModule: LudaoModule = {
  name: 'exchange',
  migrations: { '0001-create-exchange': createExchange, '0002-create-subscriptions': createSubscriptions, '0003-add-call-reason-code': addCallReasonCode, '0004-add-delivery-error-code': addDeliveryErrorCode },
  async register(ctx) {
    const exchange = await startExchange(ctx);
    ctx.http.addHook('onClose', () => exchange.stop());
    const { registerExchangeRoutes } = await import('./exchange.routes');
    registerExchangeRoutes(ctx.http, exchange.service);
    ctx.provisions.provide(CALL_LOG, exchange.callLog);
    ctx.provisions.provide(CALL_FIELD_NAMER, (namer) => exchange.nameCallFields(namer));
  },
};
