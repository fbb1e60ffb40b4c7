import { runFirstStart } from './flows/first-start';
import { MODULES } from './modules';
import { AuditLog, auditMigrations } from './platform/audit';
import type { LudaoConfig } from './platform/config';
import { openDatabase, type Database } from './platform/db/database';
import { migrateAll, type MigrationOwner, type MigrationReport } from './platform/db/migrate';
import { EventBus, eventsMigrations } from './platform/events';
import { makeTransaction, type ModuleContext } from './platform/module';

/*
 * The platform without HTTP: the database, its migrations and first-start seeding. The CLI
 * opens only this (a module's routes, Fastify and the API schemas are loaded when `createLudao`
 * registers them), so a command like `ludao import` starts small.
 */

/** The platform's own tables, migrated before any module's. */
export const PLATFORM_MIGRATIONS: readonly MigrationOwner[] = [
  { name: 'audit', migrations: auditMigrations },
  { name: 'events', migrations: eventsMigrations },
];

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
