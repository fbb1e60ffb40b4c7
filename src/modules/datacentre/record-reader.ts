import type { Kysely, RawBuilder } from 'kysely';
import { CoherentCache } from '../../platform/db/coherent-cache';
import type { Database } from '../../platform/db/database';
import * as store from './datacentre.store';
import { storedSubject } from './field-types';

/** How long a resource's definition is reused without reading it again (changes are pushed). */
const RESOURCE_CACHE_MS = 60_000;

/** What a consuming module may know of a resource: its sharing terms and current fields. */
export interface SharedResource {
  code: string;
  name: string;
  nameEn: string;
  providerOrgCode: string;
  sharingType: 'unconditional' | 'conditional' | 'not_shared';
  sharingCondition: string | null;
  /** The condition in English, where the provider wrote one. */
  sharingConditionEn: string | null;
  legalBasis: string | null;
  /** Whether the public may see data derived from it (open data). */
  openType: 'unconditional' | 'conditional' | 'not_open';
  subjectKind: string | null;
  keyFields: string[];
  /** Current fields; deprecated ones are kept (marked) so old grants still name them. */
  fields: { name: string; labelZh: string; labelEn: string; type: string; sensitivity: number; deprecated: boolean }[];
}

/** One current record, with only the fields asked for. */
export interface SharedRecord {
  key: string;
  subject: string | null;
  validFrom: string;
  values: Record<string, unknown>;
}

/** One version a batch wrote: a new or changed record, or (deleted) a deletion. */
export interface SharedChange {
  /** The row of the batch that wrote it (orders the changes of one batch). */
  row: number;
  key: string;
  subject: string | null;
  deleted: boolean;
  validFrom: string;
  values: Record<string, unknown>;
}

/** An equality condition on a field of the resource. */
export interface FieldCondition {
  field: string;
  value: string;
}

/**
 * Reads current records for modules that enforce access themselves (the exchange, the
 * sandbox): no principal, no audit, no masking. The caller decides which fields may leave and
 * records the use; this only guarantees that nothing else is selected from the table.
 *
 * @example
 * const reader = new RecordReader(database);
 * await reader.start();
 * const rows = await reader.byKey('population.person', '350203…', ['name', 'birth_date']);
 */
export class RecordReader {
  private readonly resources: CoherentCache<store.ResourceWithFields | undefined>;
  private readonly described = new WeakMap<store.ResourceWithFields, SharedResource>();

  constructor(private readonly database: Pick<Database, 'db' | 'listen'>) {
    this.resources = new CoherentCache(database, store.RESOURCE_CHANGED_CHANNEL, RESOURCE_CACHE_MS);
  }

  private get db(): Kysely<object> {
    return this.database.db;
  }

  /** Starts caching resource definitions (until then each call reads the catalogue). */
  start(): Promise<void> {
    return this.resources.start();
  }

  /** Stops caching. */
  stop(): Promise<void> {
    return this.resources.stop();
  }

  /** A resource's sharing terms and fields, or undefined when the catalogue has no such code. */
  async describe(code: string): Promise<SharedResource | undefined> {
    const r = await this.resource(code);
    if (!r) return undefined;
    // Built once per cached definition: the data plane describes its resource on every call.
    let described = this.described.get(r);
    if (!described) {
      described = {
        code: r.code,
        name: r.name,
        nameEn: r.name_en,
        providerOrgCode: r.provider_org_code,
        sharingType: r.sharing_type as SharedResource['sharingType'],
        sharingCondition: r.sharing_condition,
        sharingConditionEn: r.sharing_condition_en,
        legalBasis: r.legal_basis,
        openType: r.open_type as SharedResource['openType'],
        subjectKind: r.subject_kind,
        keyFields: r.key_fields,
        fields: r.fields.map((f) => ({ name: f.name, labelZh: f.labelZh, labelEn: f.labelEn, type: f.type, sensitivity: f.sensitivity, deprecated: f.deprecated === true })),
      };
      this.described.set(r, described);
    }
    return described;
  }

  /** The current record with this key (at most one). */
  byKey(code: string, key: string, fields: readonly string[]): Promise<SharedRecord[]> {
    return this.select(code, fields, [{ column: '_key', value: key }], { limit: 1 });
  }

  /**
   * A subject as this resource's records store it: an ID number or credit code in capitals, a
   * place's code as written; null when none of its records can be about it (or no such resource).
   */
  async storedSubject(code: string, subject: string): Promise<string | null> {
    const resource = await this.resource(code);
    return resource ? storedSubject(resource, subject.trim()) : null;
  }

  /** The current records about one subject (ID number, credit code or place code). */
  async bySubject(code: string, subject: string, fields: readonly string[], limit = 100): Promise<SharedRecord[]> {
    const resource = await this.resource(code);
    const value = resource ? storedSubject(resource, subject.trim()) : null;
    if (value === null) return [];
    const where = [{ column: '_subject', value }];
    if (store.subjectIsKey(resource!)) where.push({ column: '_key', value });
    return this.select(code, fields, where, { limit });
  }

  /** Current records matching every condition, in key order after `after`. */
  query(code: string, conditions: readonly FieldCondition[], fields: readonly string[], page: { after?: string; limit: number }): Promise<SharedRecord[]> {
    return this.select(
      code,
      fields,
      conditions.map((c) => ({ column: c.field, value: c.value })),
      page,
    );
  }

  /** The changes one applied batch made, with only `fields`, in row order after `afterRow`. */
  async batchChanges(code: string, batch: string, fields: readonly string[], page: { afterRow: number; limit: number }): Promise<SharedChange[]> {
    const resource = await this.resource(code);
    if (!resource) throw new Error(`no resource ${code}`);
    const projection = this.project(resource, code, fields);
    const rows = await store.selectBatchVersions(this.db, resource.table_name, projection, batch, page);
    return rows.map((row) => ({
      row: row._row,
      key: row._key,
      subject: row._subject,
      deleted: row._deleted,
      validFrom: row._valid_from.toISOString(),
      values: row._deleted ? {} : Object.fromEntries(projection.map((f) => [f.name, row[f.name] ?? null])),
    }));
  }

  /**
   * Current records counted by the values of `groupBy`, with measures of numeric fields
   * (named `sum_x`, `avg_x`, …). The caller applies disclosure control to small counts.
   *
   * @example
   * await reader.aggregate('population.person', ['gender'], []); // [{ gender: 'F', count: 10210 }, …]
   */
  async aggregate(code: string, groupBy: readonly string[], measures: readonly { fn: 'sum' | 'avg' | 'min' | 'max'; field: string }[]): Promise<store.AggregateRow[]> {
    const resource = await this.resource(code);
    if (!resource) throw new Error(`no resource ${code}`);
    const groups = this.project(resource, code, groupBy);
    const fields = this.project(resource, code, measures.map((m) => m.field));
    return store.aggregateCurrentRecords(this.db, resource.table_name, groups, measures.map((m, i) => ({ fn: m.fn, field: fields[i]! })));
  }

  /**
   * The current records of a resource as a SQL relation with `_key`, `_subject` and `fields`
   * (stored types: dates as `date`), for a module that evaluates its own set-based predicates
   * (the sandbox). Nothing but these columns can be read through it.
   *
   * @example
   * const periods = await reader.currentRelation('social_security.contribution_period', ['first_month', 'last_month']);
   * await sql`select count(*) from ${periods} r where r._subject = ${id}`.execute(db);
   */
  async currentRelation(code: string, fields: readonly string[]): Promise<RawBuilder<unknown>> {
    const resource = await this.resource(code);
    if (!resource) throw new Error(`no resource ${code}`);
    return store.currentRecordsRelation(resource.table_name, this.project(resource, code, fields));
  }

  private project(resource: store.ResourceWithFields, code: string, fieldNames: readonly string[]): store.StoredField[] {
    const byName = new Map(resource.fields.map((f) => [f.name, f]));
    return fieldNames.map((name) => {
      const field = byName.get(name);
      if (!field) throw new Error(`${code} has no field ${name}`);
      return field;
    });
  }

  private async select(code: string, fieldNames: readonly string[], where: { column: string; value: string }[], page: { after?: string; limit: number }): Promise<SharedRecord[]> {
    const resource = await this.resource(code);
    if (!resource) throw new Error(`no resource ${code}`);
    const projection = this.project(resource, code, fieldNames);
    for (const w of where) {
      if (!w.column.startsWith('_') && !resource.fields.some((f) => f.name === w.column)) throw new Error(`${code} has no field ${w.column}`);
    }
    const rows = await store.selectCurrentRecords(this.db, resource.table_name, projection, where, page);
    return rows.map((row) => ({
      key: row._key,
      subject: row._subject,
      validFrom: row._valid_from.toISOString(),
      values: Object.fromEntries(projection.map((f) => [f.name, row[f.name] ?? null])),
    }));
  }

  private resource(code: string): Promise<store.ResourceWithFields | undefined> {
    return this.resources.get(code, () => store.findResource(this.db, code));
  }
}
