import { CoherentCache } from '../../platform/db/coherent-cache';
import type { LudaoModule, ModuleContext } from '../../platform/module';
import { RecordReader } from '../datacentre';
import { loadWorkingDayCalendar } from '../exchange';
import { createIdentityService } from '../identity';
import { ConditionalAccess } from './applications';
import { Community } from './community';
import { createPortal } from './migrations/0001-create-portal';
import { createCommunity } from './migrations/0002-create-community';
import { versionNotNull } from './migrations/0003-version-not-null';
import { searchIndexFastupdateOff } from './migrations/0004-search-index-fastupdate-off';
import { OpenDataService } from './opendata.service';
import type { DatasetWithVersion, KeyRow } from './opendata.store';
import { PortalAccess } from './portal-access';
import { Segmenter } from './segmenter';

export type { Application, ApplicationDecisionBody, Dataset, DatasetField, DatasetMeta, DatasetSearch, DatasetVersion, NewApplicationBody, Pipeline, PublishFromResourceBody, RecordPage } from './opendata.contract';
export { CHECK_WITHIN_WORKING_DAYS, ConditionalAccess } from './applications';
export { Community, type DataRequest, type Feedback, type ShowcaseApp } from './community';
export { OpenDataService, PUBLISHED_ACTION, type DeveloperKey, type ExportResult, type UploadInput } from './opendata.service';
export { controlCount, findPersonalValue, isPersonalColumn, PersonalDataRefusal } from './personal-data';
export { KEY_PATTERN, PortalAccess, rateLimitHeaders, type Admission } from './portal-access';
export { LICENCES, THEMES } from './portal-terms';
export { Segmenter } from './segmenter';
export { streamOf } from './upload';

/** Published datasets and developer keys are reused this long without reading them again (changes are pushed). */
const CACHE_MS = 60_000;
/** Counted usage is written this often. */
const USAGE_FLUSH_MS = 5_000;
/** NOTIFY channels of the portal's caches. */
const DATASET_CHANGED = 'ludao_open_dataset_changed';
const KEY_CHANGED = 'ludao_open_key_changed';

/** A running portal: the service, its access check, and what must be stopped with it. */
export interface OpenData {
  service: OpenDataService;
  access: PortalAccess;
  applications: ConditionalAccess;
  stop(): Promise<void>;
}

/**
 * Builds the open-data portal over a module context, with its caches listening and usage
 * flushed every few seconds (stop it when done).
 *
 * @example
 * const portal = await startOpenData(ctx);
 * await portal.service.search({ q: '公交' });
 * await portal.stop();
 */
export async function startOpenData(ctx: Pick<ModuleContext, 'database' | 'db' | 'audit' | 'events' | 'transaction' | 'config'>): Promise<OpenData> {
  const identity = createIdentityService(ctx);
  const reader = new RecordReader(ctx.database);
  const datasets = new CoherentCache<DatasetWithVersion | undefined>(ctx.database, DATASET_CHANGED, CACHE_MS);
  const keys = new CoherentCache<KeyRow | undefined>(ctx.database, KEY_CHANGED, CACHE_MS);
  await reader.start();
  await datasets.start();
  await keys.start();
  const orgs = await identity.orgDirectory();
  const segmenter = new Segmenter(
    [...orgs.values()].map((o) => o.name),
    ctx.config.segmentDictionary,
  );
  const access = new PortalAccess(ctx.db, keys, { anonymousPerMinute: ctx.config.openAnonymousPerMinute, signedInPerMinute: ctx.config.openSignedInPerMinute, defaultDailyQuota: ctx.config.openDailyQuota });
  const service = new OpenDataService({
    db: ctx.db,
    database: ctx.database,
    audit: ctx.audit,
    transaction: ctx.transaction,
    reader,
    segmenter,
    orgs: remembered(ORG_DIRECTORY_TTL_MS, () => identity.orgDirectory()),
    cache: datasets,
    keyCache: keys,
    statementTimeoutMs: ctx.config.openStatementTimeoutMs,
    defaultDailyQuota: ctx.config.openDailyQuota,
  });
  const applications = new ConditionalAccess({
    db: ctx.db,
    audit: ctx.audit,
    transaction: ctx.transaction,
    calendar: await loadWorkingDayCalendar(ctx.config.calendarFile ?? undefined),
    keyCache: keys,
    dailyQuota: ctx.config.openDailyQuota,
  });
  const timer = setInterval(() => void access.flush().catch(() => undefined), USAGE_FLUSH_MS);
  timer.unref();
  return {
    service,
    access,
    applications,
    async stop() {
      clearInterval(timer);
      await access.flush().catch(() => undefined);
      await keys.stop();
      await datasets.stop();
      await reader.stop();
    },
  };
}

/**
 * The open-data portal (system 8): publishing from the catalogue or from files through the
 * personal-data guard and review, versions, Chinese search, the query API and exports,
 * developer keys with quotas.
 */
export const opendataModule: LudaoModule = {
  name: 'opendata',
  migrations: { '0001-create-portal': createPortal, '0002-create-community': createCommunity, '0003-version-not-null': versionNotNull, '0004-search-index-fastupdate-off': searchIndexFastupdateOff },
  async register(ctx) {
    const portal = await startOpenData(ctx);
    ctx.http.addHook('onClose', () => portal.stop());
    const [{ registerOpenDataRoutes }, { registerInteropRoutes }, { registerApplicationRoutes }, { registerCommunityRoutes }] = await Promise.all([
      import('./opendata.routes'),
      import('./interop.routes'),
      import('./applications.routes'),
      import('./community.routes'),
    ]);
    registerOpenDataRoutes(ctx.http, portal.service, portal.access);
    registerInteropRoutes(ctx.http, portal.service, portal.access, ctx.config.publicUrl);
    registerApplicationRoutes(ctx.http, portal.applications);
    registerCommunityRoutes(ctx.http, new Community(ctx));
  },
};

// Every catalogue search names organisations: their directory is read again after this long
// (a renamed department shows under its new name within seconds).
const ORG_DIRECTORY_TTL_MS = 5_000;

/** `load`, called at most once per `ttlMs` (concurrent callers share one call; a failure is not kept). */
function remembered<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let kept: { value: Promise<T>; at: number } | undefined;
  return () => {
    const now = Date.now();
    if (!kept || now - kept.at > ttlMs) {
      const value = load();
      const entry = { value, at: now };
      kept = entry;
      value.catch(() => {
        if (kept === entry) kept = undefined;
      });
    }
    return kept.value;
  };
}
