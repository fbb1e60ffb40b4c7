import path from 'node:path';

/** Everything Ludao reads from its environment, parsed once. */
export interface LudaoConfig {
  /** PostgreSQL server URL; when absent Ludao runs on embedded PGlite. */
  databaseUrl: string | undefined;
  /** Where embedded PGlite keeps its files (ignored with `databaseUrl`). */
  dataDir: string;
  host: string;
  port: number;
  /** Max request body in bytes; larger bodies get 413. */
  bodyLimit: number;
  /** Session lifetime in seconds. */
  sessionTtlSeconds: number;
  /** Cookie `Secure` flag; on by default outside development. */
  secureCookies: boolean;
  /** Log level for pino. */
  logLevel: string;
  /** Load demo organisations and users on first start. */
  seedDemo: boolean;
  /** People in the demo city `ludao start` loads into an empty data centre (0: none; tests: 0 by default). */
  demoPeople: number;
  /**
   * On PostgreSQL, seconds without a heartbeat after which an open ingestion batch counts as
   * abandoned by a dead process and may be taken over (PGlite: at once; one process owns it).
   */
  batchStaleSeconds: number;
  /**
   * The working-day calendar (public holidays and make-up workdays) for deadlines; unset: the
   * shipped one (src/modules/exchange/calendar/cn-workdays.json). Operators add each year.
   */
  calendarFile: string | undefined;
  /** NATS server with JetStream; set, change signals reach every process through it. */
  natsUrl: string | undefined;
  /** Change webhooks: first retry after this many ms (doubling), parked after `webhookMaxAttempts` failures. */
  webhookRetryMs: number;
  webhookMaxAttempts: number;
  /** Whether this process delivers change webhooks (several processes may; one is enough). */
  deliverChanges: boolean;
  /** How often a delivering process looks for due webhooks besides being signalled, ms. */
  deliveryPollMs: number;
  /** The address the public reaches Ludao at (DCAT and CKAN links); unset: taken from each request. */
  publicUrl: string | undefined;
  /** Open-data calls without a key: per address per minute. */
  openAnonymousPerMinute: number;
  /** Open-data calls without a key by a signed-in user (the web app's pages): per user per minute. */
  openSignedInPerMinute: number;
  /** Open-data calls a new developer key may make per China day. */
  openDailyQuota: number;
  /** Longest an open-data records query may run, ms. */
  openStatementTimeoutMs: number;
  /** Extra words for Chinese segmentation (one per line), besides the city's places and departments. */
  segmentDictionary: string | undefined;
}

/**
 * Reads the configuration from environment variables.
 *
 * @example
 * const config = loadConfig({ ...process.env, PORT: '9090' });
 * config.port; // 9090
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LudaoConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer 0–65535, got "${env.PORT}"`);
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.LUDAO_DATA_DIR ?? './data'),
    host: env.HOST ?? '0.0.0.0',
    port,
    bodyLimit: Number(env.LUDAO_BODY_LIMIT ?? 1024 * 1024),
    sessionTtlSeconds: Number(env.LUDAO_SESSION_TTL ?? 8 * 3600),
    secureCookies: env.LUDAO_SECURE_COOKIES === '1',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    seedDemo: env.LUDAO_DEMO !== '0',
    demoPeople: env.LUDAO_DEMO === '0' ? 0 : demoPeople(env),
    batchStaleSeconds: Number(env.LUDAO_BATCH_STALE_SECONDS ?? 120),
    calendarFile: env.LUDAO_CALENDAR_FILE ? path.resolve(env.LUDAO_CALENDAR_FILE) : undefined,
    natsUrl: env.NATS_URL || undefined,
    webhookRetryMs: positive(env, 'LUDAO_WEBHOOK_RETRY_MS', 5000),
    webhookMaxAttempts: positive(env, 'LUDAO_WEBHOOK_MAX_ATTEMPTS', 8),
    deliverChanges: env.LUDAO_DELIVER_CHANGES !== '0',
    deliveryPollMs: positive(env, 'LUDAO_DELIVERY_POLL_MS', 5000),
    publicUrl: env.LUDAO_PUBLIC_URL ? env.LUDAO_PUBLIC_URL.replace(/\/+$/, '') : undefined,
    openAnonymousPerMinute: positive(env, 'LUDAO_OPEN_ANONYMOUS_PER_MINUTE', 60),
    openSignedInPerMinute: positive(env, 'LUDAO_OPEN_SIGNED_IN_PER_MINUTE', 600),
    openDailyQuota: positive(env, 'LUDAO_OPEN_DAILY_QUOTA', 10_000),
    openStatementTimeoutMs: positive(env, 'LUDAO_OPEN_QUERY_TIMEOUT_MS', 5000),
    segmentDictionary: env.LUDAO_SEGMENT_DICT ? path.resolve(env.LUDAO_SEGMENT_DICT) : undefined,
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a whole number of at least 1, got "${raw}"`);
  return n;
}

function demoPeople(env: NodeJS.ProcessEnv): number {
  const raw = env.LUDAO_DEMO_PEOPLE ?? (env.NODE_ENV === 'test' ? '0' : '20000');
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 5_000_000) throw new ConfigError(`LUDAO_DEMO_PEOPLE must be a whole number 0–5000000, got "${raw}"`);
  return n;
}

/** A configuration value that cannot be used; the CLI prints its message as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
