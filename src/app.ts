import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFirstStart } from './flows/first-start';
import { MODULES } from './modules';
import { migrateLudao, openConfiguredDatabase } from './core';
import { AuditLog } from './platform/audit';
import type { LudaoConfig } from './platform/config';
import { pingDatabase, type Database } from './platform/db/database';
import { EventBus } from './platform/events';
import { createHttpApp, serveWebApp, type HttpApp } from './platform/http';
import { makeTransaction, type ModuleContext } from './platform/module';
import { Provisions } from './platform/provisions';
import { VERSION } from './platform/version';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
export { migrateLudao, openConfiguredDatabase, openLudaoCore, PLATFORM_MIGRATIONS, type LudaoCore } from './core';

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
