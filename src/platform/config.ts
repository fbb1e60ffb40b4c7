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
  };
}

/** A configuration value that cannot be used; the CLI prints its message as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
