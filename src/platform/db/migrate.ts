import { Migrator, type Kysely, type Migration } from 'kysely';

/** The migrations one module owns, keyed `NNNN-verb-object` (sorted by key). */
export type MigrationSet = Record<string, Migration>;

/** A named owner of migrations: the platform itself, or a module. */
export interface MigrationOwner {
  readonly name: string;
  readonly migrations: MigrationSet;
}

/** What ran, per owner. */
export interface MigrationReport {
  owner: string;
  applied: string[];
}

/**
 * Brings every owner's tables up to date, in the order given (platform first, then modules).
 * Each owner keeps its own history table, `ludao_migration_<owner>`, so modules never share
 * migration state. Kysely takes an advisory lock, so several processes may start at once.
 *
 * @example
 * await migrateAll(db, [platformMigrations, identity]);
 */
export async function migrateAll(db: Kysely<object>, owners: readonly MigrationOwner[]): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const owner of owners) {
    if (!/^[a-z][a-z0-9_]*$/.test(owner.name)) throw new Error(`bad migration owner name: ${owner.name}`);
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => owner.migrations },
      migrationTableName: `ludao_migration_${owner.name}`,
      migrationLockTableName: `ludao_migration_${owner.name}_lock`,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new MigrationError(`migration ${owner.name}/${failed ?? '?'} failed: ${(error as Error).message}`, { cause: error });
    }
    reports.push({ owner: owner.name, applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) });
  }
  return reports;
}

/** A migration failed; nothing of that owner's pending batch was applied. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}
