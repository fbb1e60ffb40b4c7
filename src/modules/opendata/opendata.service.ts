import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely, type Transaction } from 'kysely';
import { auditActor, hashSecret, hasPermission, newSecret, requirePermission, type Principal } from '../../platform/access';
import type { AuditLog } from '../../platform/audit';
import type { CoherentCache } from '../../platform/db/coherent-cache';
import type { Database } from '../../platform/db/database';
import { Problem } from '../../platform/http/problem';
import type { RecordReader } from '../datacentre';
import { exportStream, EXPORT_MEDIA_TYPES, type ExportFormat } from './export/export-formats';
import type { Dataset, DatasetField, DatasetMeta, DatasetSearch, DatasetSearchQuery, DatasetVersion, Pipeline, PublishFromResourceBody, RecordPage, ReviewBody } from './opendata.contract';
import * as store from './opendata.store';
import { PersonalDataRefusal } from './personal-data';
import { LICENCES, scoreQuality, THEMES } from './portal-terms';
import { odMessage, quote } from './messages';
import { chinaDay } from '../../platform/china-time';
import type { Admission } from './portal-access';
import { deriveRows, loadRows, spool, type RowSource } from './publishing';
import { compileRecordQuery, QueryError, type RecordQueryInput } from './query/record-query';
import { tsqueryLiteral, tsvectorLiteral, type Segmenter } from './segmenter';
import { readUpload, UploadError } from './upload';

/** What the service needs. */
export interface OpenDataDeps {
  db: Kysely<object>;
  database: Pick<Database, 'bulk' | 'engine'>;
  audit: AuditLog;
  transaction<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T>;
  reader: RecordReader;
  segmenter: Segmenter;
  /** Organisation names by code (the identity module's directory). */
  orgs(): Promise<Map<string, { name: string; nameEn: string }>>;
  /** Published datasets by id, withdrawn on every change (NOTIFY). */
  cache: CoherentCache<store.DatasetWithVersion | undefined>;
  /** Developer keys by id, withdrawn on revocation (NOTIFY). */
  keyCache: CoherentCache<store.KeyRow | undefined>;
  /** Longest a records query may run. */
  statementTimeoutMs: number;
  /** Calls a new developer key may make per China day. */
  defaultDailyQuota: number;
}

/** A developer's API key (its secret is shown once, at creation). */
export interface DeveloperKey {
  id: string;
  name: string;
  dailyQuota: number;
  usedToday: number;
  datasets: string[] | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

const MAX_KEYS = 10;

function presentKey(k: store.KeyRow, usedToday: number): DeveloperKey {
  return {
    id: k.id,
    name: k.name,
    dailyQuota: k.daily_quota,
    usedToday,
    datasets: k.datasets,
    createdAt: k.created_at.toISOString(),
    expiresAt: k.expires_at?.toISOString() ?? null,
    revokedAt: k.revoked_at?.toISOString() ?? null,
  };
}

/** An uploaded file for a new dataset or version. */
export interface UploadInput {
  meta: DatasetMeta;
  input: Readable;
  fileName: string;
  contentType?: string;
  changelog: string;
}

/** What the catalogue can be searched by. */
export interface CatalogueQuery {
  q?: string;
  org?: string;
  theme?: string;
  tags?: string[];
  licence?: string;
  openType?: 'unconditional' | 'conditional';
  geo?: boolean;
  modifiedFrom?: string;
  modifiedTo?: string;
  sort?: 'relevance' | 'modified' | 'downloads' | 'title';
  limit: number;
  offset: number;
}

// A filter value must read as the column's type (else the database would fail on the cast).
function checkLiteral(type: string, value: string, name: string): void {
  const ok =
    type === 'integer'
      ? /^-?\d{1,18}$/.test(value)
      : type === 'decimal'
        ? /^-?\d+(\.\d+)?$/.test(value)
        : type === 'date'
          ? /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
          : type === 'timestamp'
            ? !Number.isNaN(Date.parse(value))
            : type === 'boolean'
              ? /^(true|false)$/i.test(value)
              : type !== 'json';
  if (!ok) throw new QueryError(odMessage('od.q.filterValue', { value, type, column: name }), value, null, 'filters');
}

/** An export ready to stream. */
export interface ExportResult {
  stream: Readable;
  mediaType: string;
  fileName: string;
  etag: string;
  lastModified: Date | null;
}

/** The audit action of a dataset version published by review. */
export const PUBLISHED_ACTION = 'opendata.version.publish';
const EXPORT_PAGE = 5000;

// A dataset belongs to a department when its org is that department or one of its units
// ('xm.hrss.si' belongs to 'xm.hrss'), the rule the exchange applies too.
function belongsTo(org: string, caller: string | null): boolean {
  return caller !== null && (org === caller || org.startsWith(`${caller}.`));
}

/**
 * The open-data portal: publishing through the personal-data guard and review, versions,
 * the catalogue with Chinese search and facets, the records query API and exports, and the
 * usage it counts. Reads are public; the data of conditional datasets needs a scoped key.
 */
export class OpenDataService {
  constructor(private readonly deps: OpenDataDeps) {}

  // ------------------------------------------------------------ catalogue

  /**
   * Searches published datasets: words segmented with jieba (the city's names kept whole),
   * matched against each dataset's words, ranked; facets count all matches.
   */
  async search(query: DatasetSearchQuery): Promise<DatasetSearch> {
    const found = await this.searchCatalogue({
      q: query.q,
      org: query.org,
      theme: query.theme,
      tags: query.tag ? [query.tag] : undefined,
      openType: query.openType,
      geo: query.format?.toLowerCase() === 'geojson' ? true : undefined,
      sort: query.sort,
      limit: query.limit ?? 20,
      offset: query.offset ?? 0,
    });
    const { facets } = found;
    return { total: found.total, items: found.items, terms: found.terms, facets: { org: facets.org, theme: facets.theme, tags: facets.tags.slice(0, 30), format: facets.format, openType: facets.openType } };
  }

  /** The catalogue search behind the portal's search and CKAN's package_search. */
  async searchCatalogue(p: CatalogueQuery): Promise<{ total: number; items: Dataset[]; terms: string[]; facets: Record<'org' | 'theme' | 'tags' | 'format' | 'openType' | 'licence', { value: string; label: string; count: number }[]> }> {
    const terms = p.q ? this.deps.segmenter.words(p.q) : [];
    const filter: store.DatasetFilter = {
      statuses: ['published'],
      query: terms.length ? tsqueryLiteral(terms) : undefined,
      org: p.org,
      theme: p.theme,
      tags: p.tags,
      licence: p.licence,
      openType: p.openType,
      geo: p.geo,
      modifiedFrom: p.modifiedFrom,
      modifiedTo: p.modifiedTo,
    };
    const [counts, page, orgs] = await Promise.all([
      store.facetCounts(this.deps.db, filter),
      store.searchDatasets(this.deps.db, filter, p.sort ?? (terms.length ? 'relevance' : 'modified'), { limit: p.limit, offset: p.offset }),
      this.deps.orgs(),
    ]);
    const facet = (name: store.FacetCount['facet'], label: (v: string) => string) =>
      counts
        .filter((c) => c.facet === name)
        .sort((a, b) => b.n - a.n || a.value.localeCompare(b.value))
        .map((c) => ({ value: c.value, label: label(c.value), count: c.n }));
    const themeName = (code: string) => THEMES.find((t) => t.code === code)?.name ?? code;
    // Every dataset offers CSV, JSON and XLSX; those with geo columns GeoJSON too.
    const total = counts.filter((c) => c.facet === 'openType').reduce((n, c) => n + c.n, 0);
    const withGeo = counts.find((c) => c.facet === 'geo' && c.value === 'true')?.n ?? 0;
    const format = [...(total ? ['CSV', 'JSON', 'XLSX'].map((f) => ({ value: f, label: f, count: total })) : []), ...(withGeo ? [{ value: 'GeoJSON', label: 'GeoJSON', count: withGeo }] : [])];
    return {
      total,
      items: page.map((d) => this.present(d, orgs)),
      facets: {
        org: facet('org', (c) => orgs.get(c)?.name ?? c),
        theme: facet('theme', themeName),
        tags: facet('tag', (t) => t),
        format: format.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
        openType: facet('openType', (o) => (o === 'conditional' ? '有条件开放' : '无条件开放')),
        licence: facet('licence', (l) => LICENCES.find((x) => x.id === l)?.title ?? l),
      },
      terms,
    };
  }

  /** A dataset: published ones for everyone; drafts for their department and reviewers. */
  async getDataset(caller: Principal | null, id: string): Promise<Dataset> {
    return this.present(await this.visible(caller, id), await this.deps.orgs());
  }

  /** Every published dataset (DCAT, CKAN package_list), by id. */
  async publishedDatasets(): Promise<Dataset[]> {
    const orgs = await this.deps.orgs();
    const rows = await store.searchDatasets(this.deps.db, { statuses: ['published'] }, 'title', { limit: 100_000, offset: 0 });
    return rows.map((d) => this.present(d, orgs));
  }

  /** A dataset's versions, newest first (the public sees published and superseded ones). */
  async listVersions(caller: Principal | null, id: string): Promise<DatasetVersion[]> {
    const d = await this.visible(caller, id);
    const all = await store.listVersions(this.deps.db, id);
    const insider = this.isInsider(caller, d);
    return all.filter((v) => insider || v.status === 'published' || v.status === 'superseded').map(presentVersion);
  }

  /** The organisations that publish, with how many published datasets each has. */
  async organizations(): Promise<{ code: string; name: string; nameEn: string; datasets: number; since: string }[]> {
    const orgs = await this.deps.orgs();
    const { rows } = await sql<{ org_code: string; n: number; since: Date }>`select org_code, count(*)::int as n, min(created_at) as since
      from od_dataset where status = 'published' group by org_code order by org_code`.execute(this.deps.db);
    return rows.map((r) => ({ code: r.org_code, name: orgs.get(r.org_code)?.name ?? r.org_code, nameEn: orgs.get(r.org_code)?.nameEn ?? r.org_code, datasets: r.n, since: r.since.toISOString() }));
  }

  /** The themes, with how many published datasets each has. */
  async themes(): Promise<{ code: string; name: string; nameEn: string; datasets: number }[]> {
    const { rows } = await sql<{ theme: string; n: number }>`select theme, count(*)::int as n from od_dataset where status = 'published' group by theme`.execute(this.deps.db);
    const counts = new Map(rows.map((r) => [r.theme, r.n]));
    return THEMES.map((t) => ({ ...t, datasets: counts.get(t.code) ?? 0 }));
  }

  /** Tags of published datasets with counts, most used first. */
  async tags(): Promise<{ tag: string; datasets: number }[]> {
    const { rows } = await sql<{ tag: string; n: number }>`select t as tag, count(*)::int as n from od_dataset, unnest(tags) t
      where status = 'published' group by t order by n desc, t`.execute(this.deps.db);
    return rows.map((r) => ({ tag: r.tag, datasets: r.n }));
  }

  /** A department's own datasets in every state, or all for reviewers. */
  async manageList(caller: Principal | null): Promise<Dataset[]> {
    const me = requirePermission(caller, 'opendata:publish');
    const all = hasPermission(me, 'opendata:review');
    if (!all && !me.orgCode) throw Problem.forbidden(odMessage('od.staffOnly'));
    const rows = await store.searchDatasets(this.deps.db, { statuses: ['draft', 'review', 'published', 'withdrawn'], orgPrefix: all ? undefined : me.orgCode! }, 'modified', { limit: 1000, offset: 0 });
    const orgs = await this.deps.orgs();
    return rows.map((d) => this.present(d, orgs));
  }

  /** Versions waiting for review, with their datasets. */
  async reviewQueue(caller: Principal | null): Promise<{ dataset: Dataset; version: DatasetVersion }[]> {
    requirePermission(caller, 'opendata:review');
    const versions = await store.listVersionsInReview(this.deps.db);
    const orgs = await this.deps.orgs();
    const out: { dataset: Dataset; version: DatasetVersion }[] = [];
    for (const v of versions) {
      const d = await store.findDataset(this.deps.db, v.dataset_id);
      if (d) out.push({ dataset: this.present({ ...d, version: v }, orgs), version: presentVersion(v) });
    }
    return out;
  }

  // ------------------------------------------------------------ publishing

  /**
   * Creates a draft version of a dataset derived from a catalogue resource. The department
   * must provide the resource, the resource must be open, and the pipeline must not publish
   * personal data (refused with the reason, before anything is stored).
   */
  async publishFromResource(caller: Principal | null, body: PublishFromResourceBody, requestId?: string): Promise<{ dataset: Dataset; version: DatasetVersion }> {
    const me = requirePermission(caller, 'opendata:publish');
    const resource = await this.deps.reader.describe(body.resource);
    if (!resource) throw Problem.notFound(odMessage('od.noResource', { resource: body.resource }));
    if (!hasPermission(me, 'opendata:review') && !belongsTo(resource.providerOrgCode, me.orgCode)) {
      throw Problem.forbidden(odMessage('od.onlyProvider', { provider: resource.providerOrgCode, resource: resource.code }));
    }
    // 不予开放 forbids opening the records; a statistical aggregate under disclosure control
    // describes no one and may be published (ADR 0013).
    if (resource.openType === 'not_open' && body.pipeline.kind !== 'aggregate') {
      throw Problem.forbidden(odMessage('od.notOpen', { name: resource.name, resource: resource.code }));
    }
    if (resource.openType === 'conditional' && body.meta.openType === 'unconditional') {
      throw Problem.validation(odMessage('od.conditionalOnly', { resource: resource.code }), [{ field: '/body/meta/openType', message: odMessage('od.mustBeConditional') }]);
    }
    let source: Awaited<ReturnType<typeof spool>>;
    try {
      source = await spool(await deriveRows(this.deps.reader, resource, body.pipeline));
    } catch (error) {
      throw this.refusal(error, me, body.meta.id, requestId);
    }
    try {
      return await this.createVersion(me, { meta: body.meta, org: resource.providerOrgCode, source: 'resource', resource: resource.code, pipeline: body.pipeline, changelog: body.changelog }, source, requestId);
    } finally {
      await source.cleanup();
    }
  }

  /** Creates a draft version of a dataset from an uploaded file (typed columns inferred). */
  async publishUpload(caller: Principal | null, upload: UploadInput, requestId?: string): Promise<{ dataset: Dataset; version: DatasetVersion }> {
    const me = requirePermission(caller, 'opendata:publish');
    if (!me.orgCode) throw Problem.forbidden(odMessage('od.staffOnly'));
    const publisher = upload.meta.publisher ?? me.orgCode;
    if (!belongsTo(publisher, me.orgCode) && !hasPermission(me, 'opendata:review')) throw Problem.forbidden(odMessage('od.publishForOwn', { org: me.orgCode, publisher }));
    if (!(await this.deps.orgs()).has(publisher)) throw Problem.validation(odMessage('od.noPublisher', { publisher }), [{ field: '/querystring/meta/publisher', message: odMessage('od.unknownOrg') }]);
    let source: Awaited<ReturnType<typeof readUpload>>;
    try {
      source = await readUpload(upload.input, upload.fileName, upload.contentType);
    } catch (error) {
      if (error instanceof UploadError) throw Problem.validation(odMessage('od.uploadRefused', { fileName: upload.fileName, ...quote('reason', error.reason) }), [{ field: '/body', message: error.reason }]);
      throw this.refusal(error, me, upload.meta.id, requestId);
    }
    try {
      return await this.createVersion(me, { meta: upload.meta, org: publisher, source: 'upload', resource: null, pipeline: null, changelog: upload.changelog }, source, requestId);
    } finally {
      await source.cleanup();
    }
  }

  /** Sends a draft version for review. */
  async submit(caller: Principal | null, id: string, version: number, requestId?: string): Promise<DatasetVersion> {
    const me = requirePermission(caller, 'opendata:publish');
    const d = await this.owned(me, id);
    const v = await store.findVersion(this.deps.db, id, version);
    if (!v) throw Problem.notFound(odMessage('od.noVersion', { id, version }));
    if (v.status !== 'draft' && v.status !== 'rejected') throw Problem.conflict(odMessage('od.notSubmittable', { version, ...quote('state', odMessage(`od.state.version.${v.status}`)) }));
    await this.deps.transaction(async (trx) => {
      await store.setVersionStatus(trx, id, version, 'review', me.id, null);
      if (d.status === 'draft') await store.setDatasetStatus(trx, id, 'review');
      await this.deps.audit.append(trx, { action: 'opendata.version.submit', actor: auditActor(me), subject: { type: 'dataset', id }, requestId, detail: { version } });
    });
    return presentVersion((await store.findVersion(this.deps.db, id, version))!);
  }

  /** The reviewer publishes a version (the one before it is superseded, still downloadable) or rejects it with a note. */
  async review(caller: Principal | null, id: string, version: number, body: ReviewBody, requestId?: string): Promise<DatasetVersion> {
    const me = requirePermission(caller, 'opendata:review');
    const d = await store.findDataset(this.deps.db, id);
    if (!d) throw Problem.notFound(odMessage('od.noDataset', { id }));
    const v = await store.findVersion(this.deps.db, id, version);
    if (!v) throw Problem.notFound(odMessage('od.noVersion', { id, version }));
    if (v.status !== 'review') throw Problem.conflict(odMessage('od.notInReview', { version, ...quote('state', odMessage(`od.state.version.${v.status}`)) }));
    if (body.decision === 'reject' && !body.note?.trim()) throw Problem.validation(odMessage('od.rejectNoteRequired'), [{ field: '/body/note', message: odMessage('od.requiredToReject') }]);
    await this.deps.transaction(async (trx) => {
      if (body.decision === 'publish') {
        await store.setVersionStatus(trx, id, version, 'published', me.id, body.note ?? null);
        await store.setDatasetStatus(trx, id, 'published', version);
      } else {
        await store.setVersionStatus(trx, id, version, 'rejected', me.id, body.note!);
        if (d.status === 'review') await store.setDatasetStatus(trx, id, 'draft');
      }
      await this.deps.cache.announce(trx, id);
      await this.deps.audit.append(trx, {
        action: body.decision === 'publish' ? PUBLISHED_ACTION : 'opendata.version.reject',
        actor: auditActor(me),
        subject: { type: 'dataset', id },
        requestId,
        detail: { version, note: body.note ?? null },
      });
    });
    await this.deps.cache.withdrawn(id);
    return presentVersion((await store.findVersion(this.deps.db, id, version))!);
  }

  /** Takes a dataset off the portal (its versions are kept); publishing a version again brings it back. */
  async withdraw(caller: Principal | null, id: string, reason: string, requestId?: string): Promise<Dataset> {
    const me = requirePermission(caller, 'opendata:publish');
    const d = hasPermission(me, 'opendata:review') ? await store.findDataset(this.deps.db, id) : await this.owned(me, id);
    if (!d) throw Problem.notFound(odMessage('od.noDataset', { id }));
    await this.deps.transaction(async (trx) => {
      await store.setDatasetStatus(trx, id, 'withdrawn');
      await this.deps.cache.announce(trx, id);
      await this.deps.audit.append(trx, { action: 'opendata.dataset.withdraw', actor: auditActor(me), subject: { type: 'dataset', id }, requestId, detail: { reason } });
    });
    await this.deps.cache.withdrawn(id);
    return this.getDataset(me, id);
  }

  // ------------------------------------------------------------ data

  /**
   * A page of records of a published dataset (or, for its department and reviewers, of any
   * version). The grammar is compiled to parameterised SQL over the dataset's columns only,
   * under a statement timeout.
   */
  async records(caller: Principal | null, admission: Admission | null, id: string, input: RecordQueryInput & { version?: number }): Promise<RecordPage & { lastModified: Date | null; etagBase: string }> {
    const { dataset, version } = await this.dataVersion(caller, admission, id, input.version);
    let compiled;
    try {
      const columns = version.fields.map((f) => ({ name: f.name, type: f.type, notNull: version.not_null.includes(f.name) }));
      compiled = compileRecordQuery(version.table_name, columns, input, { tokenize: (q) => this.deps.segmenter.words(q) });
    } catch (error) {
      if (error instanceof QueryError) throw Problem.validation(error.reason, [{ field: `/querystring/${error.parameter}`, message: error.reason }]);
      throw error;
    }
    const rows = await this.withTimeout((trx) => compiled.query.execute(trx));
    const page = compiled.page(rows.rows);
    return {
      dataset: dataset.id,
      version: version.version,
      fields: compiled.columns,
      records: page.records,
      next: page.next,
      lastModified: version.published_at,
      etagBase: `${dataset.id}-v${version.version}`,
    };
  }

  /**
   * Records as CKAN's datastore_search pages them (offset and limit, equality filters, `q`,
   * `sort`), for CKAN clients; same access rules and column allowlist as the query API.
   */
  async datastoreSearch(
    caller: Principal | null,
    admission: Admission | null,
    id: string,
    p: { filters: Record<string, unknown>; q?: string; fields?: string[]; sort?: string; limit: number; offset: number },
  ): Promise<{ fields: { name: string; type: string }[]; records: Record<string, unknown>[]; total: number }> {
    const { version } = await this.dataVersion(caller, admission, id);
    const byName = new Map(version.fields.map((f) => [f.name, f]));
    const known = (name: string, param: string) => {
      const f = byName.get(name);
      if (!f) throw new QueryError(odMessage('od.q.noColumn', { parameter: param, column: name }), name, null, param);
      return f;
    };
    const filters = Object.entries(p.filters).map(([name, value]) => {
      const field = known(name, 'filters');
      const values = (Array.isArray(value) ? value : [value]).map((v) => String(v));
      if (values.length === 0 || values.length > 100) throw new QueryError(odMessage('od.q.filterCount', { column: name }), name, null, 'filters');
      for (const v of values) checkLiteral(field.type, v, name);
      return { field, values };
    });
    const sort = (p.sort ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const [name, dir, extra] = s.split(/\s+/);
        if (extra !== undefined || (dir && !/^(asc|desc)$/i.test(dir))) throw new QueryError(odMessage('od.q.badSort', { sort: s }), s, null, 'sort');
        if (name !== '_id') known(name!, 'sort');
        return { field: name!, desc: /^desc$/i.test(dir ?? '') };
      });
    const shown = p.fields?.length ? p.fields.filter((f) => f !== '_id').map((f) => known(f, 'fields')) : version.fields;
    const terms = p.q ? this.deps.segmenter.words(p.q) : [];
    const page = await this.withTimeout((trx) => store.datastoreRows(trx, version.table_name, shown, { filters, query: terms.length ? tsqueryLiteral(terms) : undefined, sort, limit: p.limit, offset: p.offset }));
    return { fields: shown.map((f) => ({ name: f.name, type: f.type })), records: page.rows, total: page.total };
  }

  /** A whole version of a dataset as a file, streamed page by page (no row limit). */
  async exportRows(caller: Principal | null, admission: Admission | null, id: string, format: ExportFormat, options: { bom?: boolean; version?: number }): Promise<ExportResult> {
    const { dataset, version } = await this.dataVersion(caller, admission, id, options.version);
    if (format === 'geojson' && !version.geo) throw Problem.validation(odMessage('od.noGeo', { id }), [{ field: '/params/format', message: odMessage('od.noGeoColumns') }]);
    const fields = version.fields;
    const result = { mediaType: EXPORT_MEDIA_TYPES[format], fileName: `${dataset.id}-v${version.version}.${format}`, etag: `"${dataset.id}-v${version.version}-${format}${options.bom ? '-bom' : ''}"`, lastModified: version.published_at };
    if (format === 'csv' && this.deps.database.engine === 'postgres') return { ...result, stream: this.copyCsv(version.table_name, fields, options.bom === true) };
    const db = this.deps.db;
    async function* batches(): AsyncGenerator<Record<string, unknown>[]> {
      let after = 0;
      for (;;) {
        const rows = await store.selectRows(db, version.table_name, fields, { afterId: after, limit: EXPORT_PAGE });
        if (rows.length === 0) return;
        after = Number(rows[rows.length - 1]!._id);
        for (const r of rows) delete r._id;
        yield rows;
        if (rows.length < EXPORT_PAGE) return;
      }
    }
    const stream = exportStream(format, fields.map((f) => ({ name: f.name, label: f.labelZh, type: f.type })), batches(), { bom: options.bom, geo: version.geo, sheetName: dataset.title.slice(0, 31) });
    return { ...result, stream };
  }

  // On PostgreSQL a CSV export is the server's own COPY … TO STDOUT, streamed through with
  // back-pressure on a connection of its own (released, or closed if cut short, at the end).
  private copyCsv(table: string, fields: readonly DatasetField[], bom: boolean): Readable {
    const out = new PassThrough();
    if (bom) out.write('\uFEFF');
    void this.deps.database
      .bulk(async (session) => {
        await pipeline(session.copyOut!(store.csvExportQuery(table, fields), 'format csv, header'), out);
      })
      .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
    return out;
  }

  // ------------------------------------------------------------ developer keys

  /** A developer creates a key for themself (shown once); quota per China day. */
  async createKey(caller: Principal | null, name: string, requestId?: string): Promise<DeveloperKey & { key: string }> {
    const me = requirePermission(caller, 'opendata:develop');
    if (me.kind !== 'user') throw Problem.forbidden(odMessage('od.keysForUsers'));
    const mine = await store.listKeys(this.deps.db, me.id);
    if (mine.filter((k) => !k.revoked_at).length >= MAX_KEYS) throw Problem.conflict(odMessage('od.tooManyKeys', { max: MAX_KEYS }));
    const id = randomBytes(10).toString('hex');
    const secret = newSecret();
    const row = { id, user_id: me.id, name, secret_hash: hashSecret(secret), daily_quota: this.deps.defaultDailyQuota, datasets: null, application_id: null, expires_at: null };
    await this.deps.transaction(async (trx) => {
      await store.insertKey(trx, row);
      await this.deps.audit.append(trx, { action: 'opendata.key.create', actor: auditActor(me), subject: { type: 'open_key', id }, requestId, detail: { name } });
    });
    return { ...presentKey({ ...row, created_at: new Date(), revoked_at: null }, 0), key: `odk_${id}_${secret}` };
  }

  /** A developer's keys, with today's use of each. */
  async listKeys(caller: Principal | null): Promise<DeveloperKey[]> {
    const me = requirePermission(caller, 'opendata:develop');
    const keys = await store.listKeys(this.deps.db, me.id);
    const today = chinaDay();
    return Promise.all(keys.map(async (k) => presentKey(k, await store.keyCallsOn(this.deps.db, k.id, today))));
  }

  /** A key's use per day and dataset (its owner only). */
  async keyUsage(caller: Principal | null, id: string): Promise<{ day: string; dataset: string; calls: number; downloads: number }[]> {
    const me = requirePermission(caller, 'opendata:develop');
    const key = await store.findKey(this.deps.db, id);
    if (!key || key.user_id !== me.id) throw Problem.notFound(odMessage('od.noKey', { id }));
    return (await store.keyUsage(this.deps.db, id)).map((u) => ({ day: u.day, dataset: u.dataset_id, calls: u.calls, downloads: u.downloads }));
  }

  /** Revokes a key: refused on its next call, in every process. */
  async revokeKey(caller: Principal | null, id: string, requestId?: string): Promise<DeveloperKey> {
    const me = requirePermission(caller, 'opendata:develop');
    const key = await store.findKey(this.deps.db, id);
    if (!key || key.user_id !== me.id) throw Problem.notFound(odMessage('od.noKey', { id }));
    await this.deps.transaction(async (trx) => {
      await store.revokeKey(trx, id, me.id);
      await this.deps.keyCache.announce(trx, id);
      await this.deps.audit.append(trx, { action: 'opendata.key.revoke', actor: auditActor(me), subject: { type: 'open_key', id }, requestId });
    });
    await this.deps.keyCache.withdrawn(id);
    return presentKey((await store.findKey(this.deps.db, id))!, 0);
  }

  // ------------------------------------------------------------ internals

  private async createVersion(
    me: Principal,
    p: { meta: DatasetMeta; org: string; source: 'resource' | 'upload'; resource: string | null; pipeline: Pipeline | null; changelog: string },
    source: RowSource,
    requestId?: string,
  ): Promise<{ dataset: Dataset; version: DatasetVersion }> {
    const { meta } = p;
    if (!THEMES.some((t) => t.code === meta.theme)) {
      throw Problem.validation(odMessage('od.noTheme', { theme: meta.theme, themes: THEMES.map((t) => t.code).join(', ') }), [{ field: '/body/meta/theme', message: odMessage('od.unknownTheme') }]);
    }
    const licence = meta.licence ?? LICENCES[0]!.id;
    if (!LICENCES.some((l) => l.id === licence)) {
      throw Problem.validation(odMessage('od.noLicence', { licence, licences: LICENCES.map((l) => l.id).join(', ') }), [{ field: '/body/meta/licence', message: odMessage('od.unknownLicence') }]);
    }
    const existing = await store.findDataset(this.deps.db, meta.id);
    if (existing) {
      if (!belongsTo(existing.org_code, me.orgCode) && !hasPermission(me, 'opendata:review')) throw Problem.conflict(odMessage('od.idTaken', { id: meta.id }));
      if (existing.source !== p.source || existing.source_resource !== p.resource) {
        throw Problem.conflict(existing.source_resource === null ? odMessage('od.otherSourceUpload', { id: meta.id }) : odMessage('od.otherSourceResource', { id: meta.id, resource: existing.source_resource }));
      }
      const open = (await store.listVersions(this.deps.db, meta.id)).find((v) => v.status === 'draft' || v.status === 'review');
      if (open) throw openVersion(meta.id, open);
    }
    const fields = source.fields.map((f) => ({ ...f, description: meta.fieldNotes?.[f.name]?.description ?? f.description, unit: meta.fieldNotes?.[f.name]?.unit ?? f.unit }));
    const orgs = await this.deps.orgs();
    const row = {
      title: meta.title,
      title_en: meta.titleEn ?? '',
      description: meta.description,
      theme: meta.theme,
      tags: meta.tags ?? [],
      licence,
      update_frequency: meta.updateFrequency,
      open_type: meta.openType,
      field_notes: meta.fieldNotes ?? {},
      search: this.searchVector(meta, orgs.get(p.org)?.name ?? p.org, fields),
    };
    const changelog = [p.changelog, ...source.notes].join('\n');
    // The whole version — dataset row, row table, rows, indexes, version row, audit entries —
    // is one transaction on one connection: a refusal, a crash or a kill leaves nothing behind,
    // and the lock makes publishers of one dataset take turns, in every process.
    let version = 0;
    try {
      await this.deps.database.bulk((session) =>
        session.db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(hashtext(${`opendata.dataset:${meta.id}`}))`.execute(trx);
          const current = await store.findDataset(trx, meta.id);
          const open = current ? (await store.listVersions(trx, meta.id)).find((v) => v.status === 'draft' || v.status === 'review') : undefined;
          if (open) throw openVersion(meta.id, open);
          let num = current?.num;
          if (num === undefined) {
            num = await store.insertDataset(trx, { id: meta.id, org_code: p.org, source: p.source, source_resource: p.resource, created_by: me.id, ...row });
            await this.deps.audit.append(trx, { action: 'opendata.dataset.create', actor: auditActor(me), subject: { type: 'dataset', id: meta.id }, requestId, detail: { source: p.resource ?? 'upload' } });
          } else {
            await store.updateDatasetMeta(trx, meta.id, row);
          }
          version = await store.nextVersion(trx, meta.id);
          const table = store.rowTableName(num, version);
          await store.createRowTable(trx, table, fields);
          const rows = await loadRows(session, table, { ...source, fields }, this.deps.segmenter);
          const notNull = await store.indexRowTable(trx, table, fields);
          // Words of the data itself (districts, kinds, …) let "思明区公交" find the bus stops of Siming.
          const values = await store.fewDistinctValues(trx, table, fields);
          await store.addSearchWords(trx, meta.id, tsvectorLiteral(this.deps.segmenter.indexWords(values.join(' ')), 'D'));
          await store.insertVersion(trx, { dataset_id: meta.id, version, changelog, pipeline: p.pipeline, table_name: table, fields, geo: source.geo, row_count: rows, not_null: notNull, created_by: me.id });
          await this.deps.audit.append(trx, { action: 'opendata.version.create', actor: auditActor(me), subject: { type: 'dataset', id: meta.id }, requestId, detail: { version, rows, source: p.resource ?? 'upload' } });
        }),
      );
    } catch (error) {
      throw this.refusal(error, me, meta.id, requestId);
    }
    this.deps.audit.kick();
    const d = (await store.findDataset(this.deps.db, meta.id))!;
    const v = (await store.findVersion(this.deps.db, meta.id, version))!;
    return { dataset: this.present({ ...d, version: v }, orgs), version: presentVersion(v) };
  }

  // A personal-data refusal becomes a 422-like validation problem with the reason, and is audited.
  private refusal(error: unknown, me: Principal, datasetId: string, requestId?: string): unknown {
    if (!(error instanceof PersonalDataRefusal)) return error;
    void this.deps.audit.record({ action: 'opendata.publish.refused', actor: auditActor(me), subject: { type: 'dataset', id: datasetId }, requestId, outcome: 'denied', detail: { reason: error.message } });
    return Problem.validation(odMessage('od.refused', quote('reason', error.reason)), [{ field: error.field ? `/field/${error.field}` : '/body', message: error.reason }]);
  }

  private searchVector(meta: DatasetMeta, orgName: string, fields: readonly { labelZh: string; labelEn: string; name: string }[]): string {
    const seg = this.deps.segmenter;
    const themeName = THEMES.find((t) => t.code === meta.theme);
    const a = seg.indexWords([meta.title, meta.titleEn ?? '', ...(meta.tags ?? [])].join(' '));
    const b = seg.indexWords([orgName, themeName?.name ?? '', themeName?.nameEn ?? '', ...fields.map((f) => `${f.labelZh} ${f.labelEn}`)].join(' '));
    const c = seg.indexWords(meta.description);
    return [tsvectorLiteral(a, 'A', 1), tsvectorLiteral(b, 'B', a.length + 1), tsvectorLiteral(c, 'C', a.length + b.length + 1)].filter(Boolean).join(' ');
  }

  private isInsider(caller: Principal | null, d: store.DatasetRow): boolean {
    return hasPermission(caller, 'opendata:review') || (hasPermission(caller, 'opendata:publish') && belongsTo(d.org_code, caller!.orgCode));
  }

  private async visible(caller: Principal | null, id: string): Promise<store.DatasetWithVersion> {
    const d = await store.findDataset(this.deps.db, id);
    if (!d || (d.status !== 'published' && !this.isInsider(caller, d))) throw Problem.notFound(odMessage('od.noPublishedDataset', { id }));
    return d;
  }

  private async owned(me: Principal, id: string): Promise<store.DatasetWithVersion> {
    const d = await store.findDataset(this.deps.db, id);
    if (!d) throw Problem.notFound(odMessage('od.noDataset', { id }));
    if (!belongsTo(d.org_code, me.orgCode) && !hasPermission(me, 'opendata:review')) throw Problem.forbidden(odMessage('od.belongsTo', { id, org: d.org_code }));
    return d;
  }

  // The version a data call reads, after the open-type check: conditional data needs a key scoped to it.
  private async dataVersion(caller: Principal | null, admission: Admission | null, id: string, wanted?: number): Promise<{ dataset: store.DatasetWithVersion; version: store.VersionRow }> {
    const cached = wanted === undefined ? await this.deps.cache.get(id, () => store.findDataset(this.deps.db, id)) : await store.findDataset(this.deps.db, id);
    const d = cached;
    const insider = d ? this.isInsider(caller, d) : false;
    if (!d || (d.status !== 'published' && !insider)) throw Problem.notFound(odMessage('od.noPublishedDataset', { id }));
    if (d.open_type === 'conditional' && !insider) {
      const key = admission?.key;
      if (!key) throw Problem.forbidden(odMessage('od.conditionalNeedsKey', { id }));
      if (!key.datasets?.includes(id)) throw Problem.forbidden(odMessage('od.keyNotApproved', { id }));
    }
    const number = wanted ?? d.published_version;
    const v = number === null ? null : number === d.version?.version ? d.version : await store.findVersion(this.deps.db, id, number);
    if (!v) throw Problem.notFound(wanted === undefined ? odMessage('od.noVersionYet', { id }) : odMessage('od.noVersion', { id, version: wanted }));
    if (!insider && v.status !== 'published' && v.status !== 'superseded') throw Problem.notFound(odMessage('od.noPublishedVersion', { id, version: v.version }));
    return { dataset: d, version: v };
  }

  private async withTimeout<T>(work: (trx: Transaction<object>) => Promise<T>): Promise<T> {
    return this.deps.db.transaction().execute(async (trx) => {
      await sql`select set_config('statement_timeout', ${String(this.deps.statementTimeoutMs)}, true)`.execute(trx);
      try {
        return await work(trx);
      } catch (error) {
        if ((error as { code?: string }).code === '57014') throw new Problem(503, 'about:blank', odMessage('od.title.queryTooLong'), odMessage('od.queryTooLong', { ms: this.deps.statementTimeoutMs }));
        throw error;
      }
    });
  }

  /** A dataset row as the API shows it. */
  present(d: store.DatasetWithVersion, orgs: Map<string, { name: string; nameEn: string }>): Dataset {
    const v = d.version;
    const theme = THEMES.find((t) => t.code === d.theme) ?? { code: d.theme, name: d.theme, nameEn: d.theme };
    const licence = LICENCES.find((l) => l.id === d.licence) ?? { id: d.licence, title: d.licence, url: '' };
    const fields = v?.fields ?? [];
    const geo = v?.geo ?? null;
    const publishedAt = d.published_version !== null ? d.modified_at : null;
    return {
      id: d.id,
      title: d.title,
      titleEn: d.title_en,
      description: d.description,
      org: { code: d.org_code, name: orgs.get(d.org_code)?.name ?? d.org_code, nameEn: orgs.get(d.org_code)?.nameEn ?? d.org_code },
      theme,
      tags: d.tags,
      licence,
      updateFrequency: d.update_frequency as Dataset['updateFrequency'],
      openType: d.open_type,
      source: d.source,
      sourceResource: d.source_resource,
      status: d.status,
      version: d.published_version,
      fields,
      geo,
      rows: v ? Number(v.row_count) : 0,
      formats: geo ? ['CSV', 'JSON', 'XLSX', 'GeoJSON'] : ['CSV', 'JSON', 'XLSX'],
      quality: scoreQuality({ description: d.description, titleEn: d.title_en, tags: d.tags, fields, geo: geo !== null, updateFrequency: d.update_frequency as Dataset['updateFrequency'], publishedAt, licence: d.licence }, new Date()),
      downloads: Number(d.downloads),
      apiCalls: Number(d.api_calls),
      createdAt: d.created_at.toISOString(),
      modifiedAt: (publishedAt ?? d.created_at).toISOString(),
    };
  }
}

// Another version of the dataset is still a draft or in review: one at a time.
function openVersion(id: string, open: store.VersionRow): Problem {
  return Problem.conflict(odMessage('od.openVersion', { id, version: open.version, ...quote('state', odMessage(`od.state.version.${open.status}`)) }));
}

function presentVersion(v: store.VersionRow): DatasetVersion {
  return {
    version: v.version,
    changelog: v.changelog,
    rows: Number(v.row_count),
    status: v.status,
    createdAt: v.created_at.toISOString(),
    publishedAt: v.published_at?.toISOString() ?? null,
    reviewNote: v.review_note,
  };
}

export type { ExportFormat };
