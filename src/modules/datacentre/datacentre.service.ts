import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { auditActor, hasPermission, requirePermission, type Principal } from '../../platform/access';
import { CoherentCache } from '../../platform/db/coherent-cache';
import type { ModuleContext } from '../../platform/module';
import { maskResidentId } from '../../platform/ids';
import { Problem, type FieldProblem } from '../../platform/http/problem';
import { DEFAULT_LANG, renderStored, type Lang } from '../../platform/i18n';
import { BUILTIN_RESOURCES, DOMAINS } from './catalogue';
import type { Batch, BatchError, FieldSpec, PushBatchBody, Resource, ResourceSpec, ResourceStats, StoredRecord } from './datacentre.contract';
import * as store from './datacentre.store';
import { runBatch, type BatchOutcome, type BatchProgress } from './ingest/batch';
import { readCsvInWorkers, readNdjsonInWorkers } from './ingest/parallel';
import { formatOf, readRows, type RawRow, type ReadInfo } from './ingest/readers';
import { readInThread } from './ingest/validate';
import { storedSubject } from './field-types';
import { dcMessage } from './messages';

/** How long a resource definition is reused without reading it again (changes are pushed). */
const RESOURCE_CACHE_MS = 60_000;
/** The key under which the codes of the resources about subjects are cached. */
const SUBJECT_CODES = 'subject-codes';

type Deps = Pick<ModuleContext, 'database' | 'db' | 'audit' | 'events' | 'transaction' | 'config'>;
type ResourceWithFields = store.ResourceWithFields;

/** What the dashboard shows of the data centre (the article's figures, for this city). */
export interface DatacentreFigures {
  domains: number;
  resources: number;
  baseRegistries: number;
  fields: number;
  records: number;
  updatesThisMonth: number;
  batchesApplied: number;
  lastUpdate: string | null;
  byDomain: { code: string; name: string; nameEn: string; resources: number; records: number }[];
  monthly: { month: string; updates: number }[];
}

/** A file upload or a CLI import. */
export interface FileImport {
  code: string;
  input: Readable;
  fileName: string | null;
  contentType?: string;
  idempotencyKey: string;
  operation: 'upsert' | 'delete';
  onInvalid: 'skip' | 'reject';
  source: 'upload' | 'cli' | 'demo';
  onProgress?: (progress: BatchProgress) => void;
  /** The language of the batch's message in the answer (default Chinese). */
  lang?: Lang;
}

const SEARCH_SPLIT = /[\s,，、]+/;

function searchText(spec: { code: string; name: string; nameEn: string; abstract: string; abstractEn?: string | null; category: string; item?: string | null }, fields: readonly FieldSpec[]): string {
  return [spec.code, spec.name, spec.nameEn, spec.abstract, spec.abstractEn ?? '', spec.category, spec.item ?? '', ...fields.flatMap((f) => [f.name, f.labelZh, f.labelEn])].join(' ').toLowerCase();
}

/** Masks a value of a sensitive field (level 3 and up) for display. */
export function maskValue(field: FieldSpec, value: unknown): unknown {
  if (value === null || value === undefined || field.sensitivity < 3) return value;
  if (field.type === 'resident_id') return maskResidentId(String(value));
  if (field.type === 'date') return `${String(value).slice(0, 4)}-**-**`;
  if (typeof value === 'string') {
    const chars = Array.from(value);
    return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(Math.min(chars.length - 1, 8));
  }
  return '***';
}

/**
 * The data centre: the resource catalogue, the record tables with every version, and
 * ingestion. Every method checks access first (policy table, then the provider scope:
 * departments read and write their own resources; operators all of them).
 */
export class DatacentreService {
  readonly processId = randomUUID();

  // Resource definitions by code, dropped in every process when one is defined or evolves;
  // derived from them (dropped with any of them), the codes of the resources about subjects.
  private readonly resources: CoherentCache<ResourceWithFields | undefined>;

  constructor(private readonly deps: Deps) {
    this.resources = new CoherentCache(deps.database, store.RESOURCE_CHANGED_CHANNEL, RESOURCE_CACHE_MS);
  }

  /** Starts reusing resource definitions between calls (servers; a CLI run needs none). */
  async startCaching(): Promise<void> {
    await this.resources.start();
  }

  /** Stops the definition cache and its listening connection. */
  async stopCaching(): Promise<void> {
    await this.resources.stop();
  }

  // ------------------------------------------------------------ catalogue

  /** Creates the built-in domains and resources that are missing (first start). */
  async ensureCatalogue(actor: Principal): Promise<number> {
    const { db } = this.deps;
    for (const [i, d] of DOMAINS.entries()) await store.upsertDomain(db, { code: d.code, name: d.name, name_en: d.nameEn, sort: i });
    let created = 0;
    for (const builtin of BUILTIN_RESOURCES) {
      if (await store.findResource(db, builtin.spec.code)) continue;
      await this.defineResource(actor, builtin.spec);
      created++;
    }
    return created;
  }

  /** Defines a resource: catalogue entry, schema version 1, and its record table. */
  async defineResource(who: Principal | null, spec: ResourceSpec): Promise<Resource> {
    const caller = requirePermission(who, 'catalogue:manage');
    this.requireProvider(caller, spec.providerOrg, 'define');
    checkSpec(spec);
    const { db } = this.deps;
    if (await store.findResource(db, spec.code)) throw Problem.conflict(dcMessage('dc.resourceExists', { code: spec.code }));
    if (!(await store.domainExists(db, spec.domain))) throw Problem.validation(undefined, [{ field: '/body/domain', message: dcMessage('dc.noDomain', { domain: spec.domain }) }]);
    const id = randomUUID();
    const table = store.recordTableName(spec.code);
    const fields = spec.fields.map(storedField);
    await this.deps.transaction(async (trx) => {
      await store.insertResource(trx, {
        id,
        code: spec.code,
        table_name: table,
        name: spec.name,
        name_en: spec.nameEn,
        domain_code: spec.domain,
        provider_org_code: spec.providerOrg,
        category: spec.category,
        item: spec.item ?? null,
        sub_item: spec.subItem ?? null,
        abstract: spec.abstract,
        abstract_en: spec.abstractEn ?? null,
        format: spec.format ?? 'table',
        update_cycle: spec.updateCycle,
        sharing_type: spec.sharingType,
        sharing_condition: spec.sharingCondition ?? null,
        sharing_condition_en: spec.sharingConditionEn ?? null,
        sharing_method: spec.sharingMethod ?? 'api',
        legal_basis: spec.legalBasis ?? null,
        open_type: spec.openType,
        key_fields: spec.keyFields,
        subject_field: spec.subject?.field ?? null,
        subject_kind: spec.subject?.kind ?? null,
        related_codes: spec.relatedCodes ?? [],
        is_base_registry: spec.baseRegistry ?? false,
        version: 1,
        publish_date: spec.publishDate ?? new Date().toISOString().slice(0, 10),
        search_text: searchText(spec, spec.fields),
      });
      await store.insertResourceVersion(trx, { resourceId: id, version: 1, fields, change: 'Defined', createdBy: caller.id });
      await store.createRecordTable(trx, table, fields, { partitions: spec.partitions, subjectIsKey: store.subjectIsKey({ key_fields: spec.keyFields, subject_field: spec.subject?.field ?? null, subject_kind: spec.subject?.kind ?? null, fields }) });
      await this.resources.announce(trx, spec.code);
      await this.deps.audit.append(trx, { action: 'datacentre.resource.define', actor: auditActor(caller), subject: { type: 'dc_resource', id: spec.code }, detail: { fields: fields.length } });
    });
    await this.resources.withdrawn(spec.code);
    return this.getResource(caller, spec.code);
  }

  /** A new schema version: fields added (never required: existing records lack them) or deprecated. */
  async evolveResource(who: Principal | null, code: string, change: { add?: FieldSpec[]; deprecate?: string[]; note: string }): Promise<Resource> {
    const caller = requirePermission(who, 'catalogue:manage');
    const resource = await this.resource(code, { fresh: true });
    this.requireProvider(caller, resource.provider_org_code, 'change');
    const fields = resource.fields.map((f) => ({ ...f }));
    const errors: FieldProblem[] = [];
    for (const [i, add] of (change.add ?? []).entries()) {
      if (fields.some((f) => f.name === add.name)) errors.push({ field: `/body/add/${i}/name`, message: dcMessage('dc.fieldExists', { name: add.name }) });
      if (add.required) errors.push({ field: `/body/add/${i}/required`, message: dcMessage('dc.addedRequired') });
      if (add.type === 'enum' && !add.values?.length) errors.push({ field: `/body/add/${i}/values`, message: dcMessage('dc.enumValues') });
      fields.push(storedField(add));
    }
    for (const [i, name] of (change.deprecate ?? []).entries()) {
      const field = fields.find((f) => f.name === name);
      if (!field) errors.push({ field: `/body/deprecate/${i}`, message: dcMessage('dc.noField', { name }) });
      else if (resource.key_fields.includes(name) || resource.subject_field === name) errors.push({ field: `/body/deprecate/${i}`, message: dcMessage('dc.keyOrSubject', { name }) });
      else {
        field.deprecated = true;
        field.required = false;
      }
    }
    if (!change.add?.length && !change.deprecate?.length) errors.push({ field: '/body', message: dcMessage('dc.nothingToChange') });
    if (errors.length > 0) throw Problem.validation(undefined, errors);
    const version = resource.version + 1;
    await this.deps.transaction(async (trx) => {
      for (const add of change.add ?? []) await store.addRecordColumn(trx, resource.table_name, storedField(add));
      await store.insertResourceVersion(trx, { resourceId: resource.id, version, fields, change: change.note, createdBy: caller.id });
      await store.setResourceVersion(trx, resource.id, version, searchText({ ...resource, nameEn: resource.name_en, abstractEn: resource.abstract_en }, fields));
      await this.resources.announce(trx, code);
      await this.deps.audit.append(trx, { action: 'datacentre.resource.evolve', actor: auditActor(caller), subject: { type: 'dc_resource', id: code }, detail: { version, add: change.add?.map((f) => f.name) ?? [], deprecate: change.deprecate ?? [] } });
    });
    await this.resources.withdrawn(code);
    return this.getResource(caller, code);
  }

  /** The domains with their resource counts. */
  async listDomains(caller: Principal | null): Promise<{ code: string; name: string; nameEn: string; resources: number }[]> {
    requirePermission(caller, 'catalogue:read');
    return (await store.listDomains(this.deps.db)).map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en, resources: d.resources }));
  }

  /** Resources by domain, provider and words (Chinese or English, any part of a word). */
  async searchResources(caller: Principal | null, query: { q?: string; domain?: string; provider?: string; limit?: number; offset?: number }): Promise<{ total: number; items: Resource[] }> {
    requirePermission(caller, 'catalogue:read');
    const terms = (query.q ?? '').split(SEARCH_SPLIT).filter(Boolean).slice(0, 8);
    const { rows, total } = await store.searchResources(this.deps.db, { domain: query.domain, provider: query.provider, terms, limit: query.limit ?? 50, offset: query.offset ?? 0 });
    const orgs = await this.orgNames();
    const domains = await this.domainNames();
    return { total, items: rows.map((r) => present(r, orgs, domains)) };
  }

  /** One resource with its current schema. */
  async getResource(caller: Principal | null, code: string): Promise<Resource> {
    requirePermission(caller, 'catalogue:read');
    return present(await this.resource(code), await this.orgNames(), await this.domainNames());
  }

  /** Every schema version of a resource. */
  async listVersions(caller: Principal | null, code: string): Promise<{ version: number; fields: FieldSpec[]; change: string; createdAt: string }[]> {
    requirePermission(caller, 'catalogue:read');
    const resource = await this.resource(code);
    return (await store.listResourceVersions(this.deps.db, resource.id)).map((v) => ({ version: v.version, fields: v.fields as FieldSpec[], change: v.change, createdAt: v.created_at.toISOString() }));
  }

  /** Record count, updates this month, last update, rejected-row rate. */
  async resourceStats(caller: Principal | null, code: string): Promise<ResourceStats> {
    requirePermission(caller, 'catalogue:read');
    const resource = await this.resource(code);
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 8 * 3600_000);
    const stats = await store.recordTableStats(this.deps.db, resource.table_name, monthStart);
    const totals = await store.batchTotals(this.deps.db, resource.id);
    return {
      records: Number(stats.records),
      versions: Number(stats.versions),
      updatesThisMonth: Number(stats.recent),
      lastUpdate: stats.last ? stats.last.toISOString() : null,
      rowsRead: Number(totals.rows_read),
      rowsRejected: Number(totals.rows_invalid),
      rejectedRate: Number(totals.rows_read) === 0 ? 0 : Number(totals.rows_invalid) / Number(totals.rows_read),
    };
  }

  // ------------------------------------------------------------ records

  /** A page of current records in key order; sensitive fields masked unless the caller provides them. */
  async listRecords(caller: Principal | null, code: string, page: { after?: string; limit?: number }): Promise<{ items: StoredRecord[]; next: string | null }> {
    const resource = await this.resource(code);
    const masked = this.readAccess(caller, resource);
    const limit = page.limit ?? 20;
    const rows = await store.listCurrentRecords(this.deps.db, resource.table_name, resource.fields, { afterKey: page.after, limit: limit + 1 });
    const items = rows.slice(0, limit).map((r) => presentRecord(r, resource, masked));
    return { items, next: rows.length > limit ? rows[limit - 1]!._key : null };
  }

  /** The current version of one record. */
  async getRecord(caller: Principal | null, code: string, key: string, requestId?: string): Promise<StoredRecord> {
    const resource = await this.resource(code);
    const masked = this.readAccess(caller, resource);
    // Read and audited in one statement: no entry when there is no record.
    const event = { action: 'datacentre.record.read', actor: auditActor(caller), subject: { type: 'dc_record', id: `${code}/${key}` }, requestId: requestId ?? null };
    const [row] = await this.deps.audit.readWith(this.deps.db, store.currentRecordQuery(resource.table_name, resource.fields, key), event, { subjectColumn: '_subject' });
    if (!row) throw Problem.notFound(dcMessage('dc.noCurrentRecord', { key, code }));
    return presentRecord(row, resource, masked);
  }

  /** Every version of one record, oldest first, deletions included. */
  async recordHistory(caller: Principal | null, code: string, key: string): Promise<StoredRecord[]> {
    const resource = await this.resource(code);
    const masked = this.readAccess(caller, resource);
    const rows = await store.listRecordHistory(this.deps.db, resource.table_name, resource.fields, key);
    if (rows.length === 0) throw Problem.notFound(dcMessage('dc.noRecord', { key, code }));
    return rows.map((r) => presentRecord(r, resource, masked));
  }

  /** All current data about one subject (ID number, credit code or place code) across the resources the caller may read. */
  async subjectRecords(caller: Principal | null, subject: string, requestId?: string): Promise<{ resource: string; name: string; records: StoredRecord[] }[]> {
    requirePermission(caller, 'records:read');
    const wanted = subject.trim();
    const readable: ResourceWithFields[] = [];
    const stored: string[] = [];
    for (const r of await this.subjectResources()) {
      const value = this.mayRead(caller!, r) ? storedSubject(r, wanted) : null;
      if (value === null) continue;
      readable.push(r);
      stored.push(value);
    }
    const event = { action: 'datacentre.subject.read', actor: auditActor(caller), dataSubject: subject, requestId: requestId ?? null, detail: { resources: [] } };
    if (readable.length === 0) {
      await this.deps.audit.record(event);
      return [];
    }
    // Read and audited in one statement; the entry names the resources that had records.
    const query = store.subjectRecordsQuery(
      readable.map((r, i) => ({ code: r.code, table: r.table_name, fields: r.fields, subjectIsKey: store.subjectIsKey(r), subject: stored[i]! })),
      100,
    );
    const rows = await this.deps.audit.readWith(this.deps.db, query, event, { detail: store.subjectReadDetail, evenWhenEmpty: true });
    const found = readable.map((resource) => ({ resource, records: rows.filter((r) => r._resource === resource.code).map((r) => fromJsonRow(r._row, resource)) }));
    return found
      .filter((f) => f.records.length > 0)
      .map(({ resource, records }) => ({ resource: resource.code, name: resource.name, records: records.map((r) => presentRecord(r, resource, this.masks(caller!, resource))) }));
  }

  // ------------------------------------------------------------ ingestion

  /** An API push: a batch of records as JSON, idempotent by key. */
  async pushBatch(caller: Principal | null, code: string, body: PushBatchBody, lang: Lang = DEFAULT_LANG): Promise<{ batch: Batch; replayed: boolean }> {
    requirePermission(caller, 'records:write');
    const resource = await this.resource(code);
    this.requireProvider(caller!, resource.provider_org_code, 'write', code);
    async function* rows(): AsyncGenerator<RawRow> {
      for (const [i, values] of body.records.entries()) yield { row: i + 1, values };
    }
    return presentOutcome(await runBatch(this.batchDeps(), {
      resource,
      operation: body.operation,
      idempotencyKey: body.idempotencyKey,
      onInvalid: body.onInvalid ?? 'skip',
      source: 'api',
      fileName: null,
      actor: caller!,
      read: readInThread(rows()),
    }), lang);
  }

  /** A file (CSV in UTF-8/GBK/GB18030, NDJSON or XLSX), streamed. */
  async importFile(caller: Principal | null, file: FileImport): Promise<{ batch: Batch; replayed: boolean }> {
    requirePermission(caller, 'records:write');
    const resource = await this.resource(file.code);
    this.requireProvider(caller!, resource.provider_org_code, 'write', file.code);
    const format = formatOf(file.fileName, file.contentType);
    if (!format) {
      file.input.resume();
      throw Problem.validation(dcMessage('dc.fileFormat'));
    }
    const info: ReadInfo = { encoding: null, bytes: 0 };
    return presentOutcome(await runBatch(this.batchDeps(), {
      resource,
      operation: file.operation,
      idempotencyKey: file.idempotencyKey,
      onInvalid: file.onInvalid,
      source: file.source,
      fileName: file.fileName,
      actor: caller!,
      read: format === 'ndjson' ? readNdjsonInWorkers(file.input, info) : format === 'csv' ? readCsvInWorkers(file.input, info) : readInThread(readRows(file.input, format, info)),
      info,
      onProgress: file.onProgress,
    }), file.lang ?? DEFAULT_LANG);
  }

  /** One batch with its figures. */
  async getBatch(caller: Principal | null, id: string, lang: Lang = DEFAULT_LANG): Promise<Batch> {
    const batch = await this.batch(caller, id);
    return presentBatch(batch, lang);
  }

  /** Recent batches, of one resource or all the caller may see. */
  async listBatches(caller: Principal | null, filter: { resource?: string; limit?: number }, lang: Lang = DEFAULT_LANG): Promise<Batch[]> {
    requirePermission(caller, 'catalogue:read');
    const resourceId = filter.resource ? (await this.resource(filter.resource)).id : undefined;
    const providerOrg = seesAllBatches(caller!) ? undefined : (caller!.orgCode ?? '-');
    const rows = await store.listBatches(this.deps.db, { resourceId, providerOrg, limit: Math.min(filter.limit ?? 50, 500) });
    return rows.map((b) => presentBatch(b, lang));
  }

  /** The rejected rows of a batch. */
  async batchErrors(caller: Principal | null, id: string, page: { limit?: number; offset?: number } = {}, lang: Lang = DEFAULT_LANG): Promise<BatchError[]> {
    await this.batch(caller, id);
    return (await store.listBatchErrors(this.deps.db, id, { limit: page.limit ?? 10_000, offset: page.offset ?? 0 })).map((e) => ({
      rowNumber: Number(e.row_number),
      field: e.field,
      reason: renderStored(e.reason_code, e.reason_params, e.reason, lang),
      code: e.reason_code,
    }));
  }

  /** Marks open batches of a dead process interrupted and drops leftover staging tables (start). */
  async recoverBatches(): Promise<string[]> {
    const { db, database } = this.deps;
    const ids = await store.interruptStaleBatches(db, { olderThanSeconds: database.engine === 'pglite' ? null : this.deps.config.batchStaleSeconds, exceptProcess: this.processId });
    const open = new Set((await sql<{ id: string }>`select id from dc_batch where status in ('receiving', 'applying')`.execute(db)).rows.map((r) => r.id.replace(/-/g, '')));
    for (const stage of await store.listStages(db)) if (!open.has(stage.slice(4))) await store.dropStage(db, stage);
    return ids;
  }

  /** The article's figures for this city. */
  async figures(caller: Principal | null): Promise<DatacentreFigures> {
    requirePermission(caller, 'catalogue:read');
    const { db } = this.deps;
    const totals = await store.catalogueTotals(db);
    const { rows: resources } = await sql<{ code: string; table_name: string; domain_code: string; fields: number }>`
      select r.code, r.table_name, r.domain_code, jsonb_array_length(v.fields)::int as fields
      from dc_resource r join dc_resource_version v on v.resource_id = r.id and v.version = r.version`.execute(db);
    const recordsByDomain = new Map<string, number>();
    let records = 0;
    let fields = 0;
    for (const r of resources) {
      const { rows } = await sql<{ n: number }>`select count(*)::bigint as n from ${sql.id(r.table_name)} where _valid_to is null and not _deleted`.execute(db);
      const n = Number(rows[0]!.n);
      records += n;
      fields += r.fields;
      recordsByDomain.set(r.domain_code, (recordsByDomain.get(r.domain_code) ?? 0) + n);
    }
    const { rows: monthly } = await sql<{ month: string; updates: number }>`
      select to_char(date_trunc('month', finished_at at time zone 'Asia/Shanghai'), 'YYYY-MM') as month, sum(inserted + updated + deleted)::bigint as updates
      from dc_batch where status = 'applied' and finished_at > now() - interval '12 months' group by 1 order by 1`.execute(db);
    const { rows: last } = await sql<{ at: Date | null }>`select max(finished_at) as at from dc_batch where status = 'applied'`.execute(db);
    const thisMonth = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const domains = await store.listDomains(db);
    return {
      domains: Number(totals.domains),
      resources: Number(totals.resources),
      baseRegistries: Number(totals.baseRegistries),
      fields,
      records,
      updatesThisMonth: Number(monthly.find((m) => m.month === thisMonth)?.updates ?? 0),
      batchesApplied: Number(totals.batches),
      lastUpdate: last[0]?.at ? last[0].at.toISOString() : null,
      byDomain: domains.map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en, resources: d.resources, records: recordsByDomain.get(d.code) ?? 0 })),
      monthly: monthly.map((m) => ({ month: m.month, updates: Number(m.updates) })),
    };
  }

  // ------------------------------------------------------------ helpers

  private batchDeps() {
    return { database: this.deps.database, audit: this.deps.audit, events: this.deps.events, processId: this.processId, staleSeconds: this.deps.config.batchStaleSeconds };
  }

  // The resources about subjects, each as currently defined (from the cache).
  private async subjectResources(): Promise<ResourceWithFields[]> {
    const codes = await this.resources.derived(SUBJECT_CODES, async () => (await store.listSubjectResources(this.deps.db)).map((r) => r.code));
    return Promise.all(codes.map((code) => this.resource(code)));
  }

  private async resource(code: string, options: { fresh?: boolean } = {}): Promise<ResourceWithFields> {
    const resource = options.fresh ? await store.findResource(this.deps.db, code) : await this.resources.get(code, () => store.findResource(this.deps.db, code));
    if (!resource) throw Problem.notFound(dcMessage('dc.noResource', { code }));
    return resource;
  }

  private async batch(caller: Principal | null, id: string): Promise<store.BatchRow> {
    requirePermission(caller, 'catalogue:read');
    const batch = /^[0-9a-f-]{36}$/.test(id) ? await store.findBatch(this.deps.db, id) : undefined;
    if (!batch) throw Problem.notFound(dcMessage('dc.noBatch', { id }));
    if (!seesAllBatches(caller!) && batch.created_by_org !== caller!.orgCode) throw Problem.notFound(dcMessage('dc.noBatch', { id }));
    return batch;
  }

  private requireProvider(caller: Principal, providerOrg: string, what: 'define' | 'change' | 'write', code = ''): void {
    if (caller.kind === 'platform' || caller.roles.includes('operator')) return;
    if (caller.orgCode !== providerOrg) throw Problem.forbidden(dcMessage(`dc.onlyProvider.${what}`, { provider: providerOrg, code }));
  }

  private mayRead(caller: Principal, resource: ResourceWithFields): boolean {
    return hasPermission(caller, 'records:read') && (caller.kind === 'platform' || caller.roles.includes('operator') || caller.orgCode === resource.provider_org_code);
  }

  // Providers see their own data in full; everyone else (operators included) masked.
  private masks(caller: Principal, resource: ResourceWithFields): boolean {
    return caller.orgCode !== resource.provider_org_code;
  }

  private readAccess(caller: Principal | null, resource: ResourceWithFields): boolean {
    requirePermission(caller, 'records:read');
    if (!this.mayRead(caller!, resource)) throw Problem.forbidden(dcMessage('dc.onlyProvider.read', { provider: resource.provider_org_code, code: resource.code }));
    return this.masks(caller!, resource);
  }

  private async orgNames(): Promise<Map<string, { name: string; nameEn: string }>> {
    const { rows } = await sql<{ code: string; name: string; name_en: string }>`select code, name, name_en from org`.execute(this.deps.db);
    return new Map(rows.map((r) => [r.code, { name: r.name, nameEn: r.name_en }]));
  }

  private async domainNames(): Promise<Map<string, { name: string; nameEn: string }>> {
    return new Map((await store.listDomains(this.deps.db)).map((d) => [d.code, { name: d.name, nameEn: d.name_en }]));
  }
}

// Operators and auditors see every department's batches; others their own organisation's.
function seesAllBatches(caller: Principal): boolean {
  return caller.kind === 'platform' || caller.roles.includes('operator') || caller.roles.includes('auditor');
}

function storedField(f: FieldSpec): store.StoredField {
  return {
    name: f.name,
    labelZh: f.labelZh,
    labelEn: f.labelEn,
    type: f.type,
    required: f.required ?? false,
    sensitivity: f.sensitivity ?? 1,
    ...(f.description ? { description: f.description } : {}),
    ...(f.values ? { values: f.values } : {}),
    ...(f.maxLength ? { maxLength: f.maxLength } : {}),
    ...(f.deprecated ? { deprecated: true } : {}),
  };
}

function checkSpec(spec: ResourceSpec): void {
  const errors: FieldProblem[] = [];
  const names = new Set<string>();
  spec.fields.forEach((f, i) => {
    if (names.has(f.name)) errors.push({ field: `/body/fields/${i}/name`, message: dcMessage('dc.appearsTwice', { name: f.name }) });
    names.add(f.name);
    if (f.name.startsWith('_')) errors.push({ field: `/body/fields/${i}/name`, message: dcMessage('dc.reservedName') });
    if (f.type === 'enum' && !f.values?.length) errors.push({ field: `/body/fields/${i}/values`, message: dcMessage('dc.enumValues') });
  });
  spec.keyFields.forEach((k, i) => {
    if (!names.has(k)) errors.push({ field: `/body/keyFields/${i}`, message: dcMessage('dc.noField', { name: k }) });
  });
  if (spec.subject && !names.has(spec.subject.field)) errors.push({ field: '/body/subject/field', message: dcMessage('dc.noField', { name: spec.subject.field }) });
  if (spec.sharingType === 'not_shared' && !spec.legalBasis?.trim()) {
    errors.push({ field: '/body/legalBasis', message: dcMessage('dc.legalBasis') });
  }
  if (spec.sharingType === 'conditional' && !spec.sharingCondition?.trim()) errors.push({ field: '/body/sharingCondition', message: dcMessage('dc.condition') });
  if (errors.length > 0) throw Problem.validation(undefined, errors);
}

function present(r: ResourceWithFields, orgs: Map<string, { name: string; nameEn: string }>, domains: Map<string, { name: string; nameEn: string }>): Resource {
  const org = orgs.get(r.provider_org_code) ?? { name: r.provider_org_code, nameEn: r.provider_org_code };
  const domain = domains.get(r.domain_code) ?? { name: r.domain_code, nameEn: r.domain_code };
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    domain: { code: r.domain_code, ...domain },
    provider: { code: r.provider_org_code, ...org },
    category: r.category,
    item: r.item,
    subItem: r.sub_item,
    abstract: r.abstract,
    abstractEn: r.abstract_en,
    format: r.format,
    updateCycle: r.update_cycle,
    sharingType: r.sharing_type,
    sharingCondition: r.sharing_condition,
    sharingConditionEn: r.sharing_condition_en,
    sharingMethod: r.sharing_method,
    legalBasis: r.legal_basis,
    openType: r.open_type,
    keyFields: r.key_fields,
    subject: r.subject_field ? { field: r.subject_field, kind: r.subject_kind ?? 'person' } : null,
    relatedCodes: r.related_codes,
    baseRegistry: r.is_base_registry,
    version: r.version,
    publishDate: r.publish_date,
    updatedAt: new Date(r.updated_at).toISOString(),
    fields: r.fields as FieldSpec[],
  };
}

// A record row read back as JSON (subjectRecordsQuery): timestamps arrive as text.
function fromJsonRow(row: store.RecordVersionRow, resource: ResourceWithFields): store.RecordVersionRow {
  for (const field of resource.fields) {
    const value = row[field.name];
    if (field.type === 'timestamp' && typeof value === 'string') row[field.name] = new Date(value);
  }
  return row;
}

function presentRecord(row: store.RecordVersionRow, resource: ResourceWithFields, masked: boolean): StoredRecord {
  const values: Record<string, unknown> = {};
  for (const field of resource.fields) {
    const value = row[field.name] ?? null;
    values[field.name] = masked ? maskValue(field as FieldSpec, value) : value;
  }
  return {
    key: masked ? row._key.replace(/\d{17}[\dX]/g, (id) => maskResidentId(id)) : row._key,
    subject: row._subject === null ? null : masked ? String(maskValue(resource.fields.find((f) => f.name === resource.subject_field) as FieldSpec, row._subject)) : row._subject,
    validFrom: new Date(row._valid_from).toISOString(),
    validTo: row._valid_to ? new Date(row._valid_to).toISOString() : null,
    deleted: row._deleted,
    batchId: row._batch,
    values,
  };
}

function presentOutcome(outcome: BatchOutcome, lang: Lang): { batch: Batch; replayed: boolean } {
  return { batch: presentBatch(outcome.batch, lang), replayed: outcome.replayed };
}

function presentBatch(b: store.BatchRow, lang: Lang): Batch {
  return {
    id: b.id,
    resource: b.resource_code ?? b.resource_id,
    idempotencyKey: b.idempotency_key,
    operation: b.operation,
    source: b.source,
    fileName: b.file_name,
    encoding: b.encoding,
    status: b.status,
    onInvalid: b.on_invalid,
    rowsRead: Number(b.rows_read),
    rowsValid: Number(b.rows_valid),
    rowsInvalid: Number(b.rows_invalid),
    bytesRead: Number(b.bytes_read),
    inserted: Number(b.inserted),
    updated: Number(b.updated),
    unchanged: Number(b.unchanged),
    deleted: Number(b.deleted),
    message: b.message === null ? null : renderStored(b.message_code, b.message_params, b.message, lang),
    messageCode: b.message_code,
    createdBy: b.created_by,
    startedAt: new Date(b.started_at).toISOString(),
    finishedAt: b.finished_at ? new Date(b.finished_at).toISOString() : null,
  };
}
