import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFirstStart } from './flows/first-start';
import { MODULES } from './modules';
import { AuditLog, auditMigrations } from './platform/audit';
import type { LudaoConfig } from './platform/config';
import { openDatabase, pingDatabase, type Database } from './platform/db/database';
import { migrateAll, type MigrationOwner, type MigrationReport } from './platform/db/migrate';
import { EventBus, eventsMigrations } from './platform/events';
import { createHttpApp, serveWebApp, type HttpApp } from './platform/http';
import { makeTransaction, type ModuleContext } from './platform/module';
import { Provisions } from './platform/provisions';
import { VERSION } from './platform/version';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The platform's own tables, migrated before any module's. */
export const PLATFORM_MIGRATIONS: readonly MigrationOwner[] = [
  { name: 'audit', migrations: auditMigrations },
  { name: 'events', migrations: eventsMigrations },
];

/** A running (or ready to run) Ludao. */
export interface Ludao {
  readonly app: HttpApp;
  readonly ctx: ModuleContext;
  /** Whether the web app was found in web/dist and is served. */
  readonly servesWeb: boolean;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export { VERSION } from './platform/version';

/**
 * Opens the database named by the configuration, on PGlite or PostgreSQL.
 *
 * @example
 * const database = await openConfiguredDatabase(loadConfig());
 */
export function openConfiguredDatabase(config: LudaoConfig): Promise<Database> {
  return config.databaseUrl ? openDatabase({ url: config.databaseUrl }) : openDatabase({ dataDir: config.dataDir });
}

/**
 * Brings every table up to date: the platform's, then each module's.
 *
 * @example
 * await migrateLudao(database.db);
 */
export function migrateLudao(db: Database['db']): Promise<MigrationReport[]> {
  return migrateAll(db, [...PLATFORM_MIGRATIONS, ...MODULES]);
}

/** The platform without HTTP: what the CLI needs to migrate, seed and administer. */
export interface LudaoCore {
  readonly ctx: Omit<ModuleContext, 'http' | 'provisions'>;
  close(): Promise<void>;
}

/**
 * Opens the database, brings it up to date and runs first-start seeding, without HTTP and
 * without background workers (CLI commands; `createLudao` builds on the same steps).
 *
 * @example
 * const core = await openLudaoCore(loadConfig());
 * await core.ctx.audit.verify();
 * await core.close();
 */
export async function openLudaoCore(config: LudaoConfig, options: { seed?: boolean } = {}): Promise<LudaoCore> {
  const database = await openConfiguredDatabase(config);
  try {
    const db = database.db;
    const audit = new AuditLog(db);
    const events = new EventBus(db);
    const ctx = { config, database, db, audit, events, transaction: makeTransaction(db, audit, events) };
    await migrateLudao(db);
    if (options.seed ?? true) await runFirstStart(ctx);
    return {
      ctx,
      async close() {
        await audit.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The composition root: database → migrations → HTTP app → modules → first-start data →
 * background workers. Pass `database` to run on one you opened (tests do).
 *
 * @example
 * const ludao = await createLudao(loadConfig());
 * console.log(await ludao.listen());
 */
export async function createLudao(config: LudaoConfig, options: { database?: Database; webDir?: string } = {}): Promise<Ludao> {
  const database = options.database ?? (await openConfiguredDatabase(config));
  let migrated = false;
  const db = database.db;
  const audit = new AuditLog(db);
  const events = new EventBus(db);
  const http = await createHttpApp({
    bodyLimit: config.bodyLimit,
    logLevel: config.logLevel,
    version: VERSION,
    isReady: async () => migrated && (await pingDatabase(db)),
  });
  const ctx: ModuleContext = { config, database, db, audit, events, http, provisions: new Provisions(), transaction: makeTransaction(db, audit, events) };

  await migrateLudao(db);
  migrated = true;
  for (const module of MODULES) await module.register(ctx);
  await runFirstStart(ctx);
  const servesWeb = await serveWebApp(http, options.webDir ?? path.join(ROOT, 'web', 'dist'));
  audit.start();
  await events.start();

  return {
    app: http,
    ctx,
    servesWeb,
    async listen() {
      return http.listen({ host: config.host, port: config.port });
    },
    async close() {
      // Events first: a round in progress calls the modules' handlers, which need the modules
      // (stopped by http.close) alive; it used to wait forever for a stopped one.
      await events.stop();
      await http.close();
      await audit.stop();
      if (!options.database) await database.close();
    },
  };
}
