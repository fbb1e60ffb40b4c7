import type { Kysely, Transaction } from 'kysely';
import type { AuditLog } from './audit';
import type { LudaoConfig } from './config';
import type { Database } from './db/database';
import type { MigrationSet } from './db/migrate';
import type { EventBus } from './events';
import type { HttpApp } from './http';
import type { Provisions } from './provisions';

/** What the platform hands a module when it registers (Backstage-style explicit deps). */
export interface ModuleContext {
  readonly config: LudaoConfig;
  readonly database: Database;
  readonly db: Kysely<object>;
  readonly audit: AuditLog;
  readonly events: EventBus;
  /** The HTTP app; register routes under `/api`. */
  readonly http: HttpApp;
  /** What modules registered earlier provide to later ones (typed keys from their `index.ts`). */
  readonly provisions: Provisions;
  /**
   * Runs `work` in one transaction; after it commits, the audit chainer and the event
   * dispatcher are nudged so entries and events move on at once.
   */
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
}

/** A module: owns its tables (migrations) and registers its routes. Entered only via its index.ts. */
export interface LudaoModule {
  /** Lower-case name; keys its migration history table. */
  readonly name: string;
  readonly migrations: MigrationSet;
  register(ctx: ModuleContext): Promise<void> | void;
}

/**
 * Builds the `transaction` helper of a module context.
 *
 * @example
 * const transaction = makeTransaction(db, audit, events);
 * await transaction(async (trx) => { … });
 */
export function makeTransaction(db: Kysely<object>, audit: AuditLog, events: EventBus): ModuleContext['transaction'] {
  return async (work) => {
    const result = await db.transaction().execute(work);
    audit.kick();
    events.kick();
    return result;
  };
}
