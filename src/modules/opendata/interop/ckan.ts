import type { Dataset } from '../opendata.contract';
import { EXPORT_FORMATS, exportFormats, exportUrl, trimSlash } from './formats';

/**
 * The catalogue in the shapes of CKAN's action API (v3, as CKAN 2.10/2.11 answers), so existing
 * clients (ckanapi, ckanext-harvest, ckanr, OpenRefine) read it unchanged. Pure functions: the
 * routes fetch, these dress. Shapes follow ckan/lib/dictization/model_dictize.py,
 * ckan/logic/action/get.py, ckan/logic/schema.py and ckanext/datastore/backend/postgres.py.
 *
 * Identifiers: a package's id and name are the dataset id (CKAN names are slugs too); an
 * organization's and a group's id and name are the org or theme code; a resource's id is
 * `${datasetId}.${ext}`, and the CSV one is the DataStore resource that datastore_search reads.
 */

/**
 * The body of a successful action.
 *
 * @example
 * const body: CkanSuccess = { help: 'https://data.xm.gov.cn/api/3/action/help_show?name=status_show', success: true, result: {} };
 */
export interface CkanSuccess {
  help: string;
  success: true;
  result: unknown;
}

/**
 * The body of a failed action: `error.__type` names the kind, the rest says what.
 *
 * @example
 * const body: CkanFailure = { help, success: false, error: { __type: 'Not Found Error', message: 'Not found' } };
 */
export interface CkanFailure {
  help: string;
  success: false;
  error: { __type: string; message?: string; [k: string]: unknown };
}

/**
 * The error kinds the routes raise, as CKAN names them.
 *
 * @example
 * const kind: CkanErrorType = 'Authorization Error';
 */
export type CkanErrorType = 'Validation Error' | 'Not Found Error' | 'Authorization Error' | 'Search Query Error';

/**
 * The HTTP status CKAN's API blueprint answers each error kind with (ckan/views/api.py).
 *
 * @example
 * reply.code(CKAN_ERROR_STATUS['Not Found Error']).send(ckanError(help, 'Not Found Error', 'Dataset not found'));
 */
export const CKAN_ERROR_STATUS: Readonly<Record<CkanErrorType, number>> = {
  'Validation Error': 409,
  'Not Found Error': 404,
  'Authorization Error': 403,
  'Search Query Error': 400,
};

/**
 * A successful action's body.
 *
 * @example
 * ckanSuccess('https://data.xm.gov.cn/api/3/action/help_show?name=package_show', ckanPackage(d, base));
 * // { help: '…', success: true, result: { id: 'siming-bus-stops', … } }
 */
export function ckanSuccess(helpUrl: string, result: unknown): CkanSuccess {
  return { help: helpUrl, success: true, result };
}

/**
 * A failed action's body. A Validation Error takes CKAN's error dict (field → messages), which
 * is spread into `error` as CKAN does; the other kinds take a message, prefixed the way CKAN
 * prefixes it ("Not found: …", "Access denied: …").
 *
 * @example
 * ckanError(help, 'Validation Error', { rows: ['Invalid integer'] });
 * // { help, success: false, error: { __type: 'Validation Error', rows: ['Invalid integer'] } }
 * ckanError(help, 'Not Found Error', 'Dataset not found');
 * // { help, success: false, error: { __type: 'Not Found Error', message: 'Not found: Dataset not found' } }
 */
export function ckanError(helpUrl: string, type: CkanErrorType, message: string | Record<string, string[]>): CkanFailure {
  if (typeof message !== 'string') return { help: helpUrl, success: false, error: { ...message, __type: type } };
  const prefix = { 'Validation Error': '', 'Not Found Error': 'Not found', 'Authorization Error': 'Access denied', 'Search Query Error': 'Search Query is invalid' }[type];
  const text = !prefix ? message : message ? `${prefix}: ${message}` : prefix;
  return { help: helpUrl, success: false, error: { __type: type, message: text } };
}

/**
 * A timestamp the way CKAN writes one: UTC, no zone, six fraction digits (Python's
 * `datetime.isoformat()` of a naive UTC value). Unparseable input is returned unchanged.
 */
function ckanTime(value: string): string {
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? value : `${t.toISOString().slice(0, 23)}000`;
}

const STATE: Record<Dataset['status'], string> = { published: 'active', draft: 'draft', review: 'draft', withdrawn: 'deleted' };

/** The organization as it is embedded in a package (no counts, no members). */
function embeddedOrganization(org: { code: string; name: string; description?: string }, created: string | null) {
  return {
    id: org.code,
    name: org.code,
    title: org.name,
    type: 'organization',
    description: org.description ?? '',
    image_url: '',
    created,
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
  };
}

/**
 * A dataset as package_show's result (also each item of package_search's `results`). Resources
 * are the export files, one per format; the CSV one (`${id}.csv`) is DataStore-active.
 *
 * @example
 * ckanPackage(dataset, 'https://data.xm.gov.cn');
 * // { id: 'siming-bus-stops', name: 'siming-bus-stops', title: '思明区公交站点', state: 'active',
 * //   organization: { name: 'xm.transport', … }, resources: [{ id: 'siming-bus-stops.csv',
 * //   format: 'CSV', datastore_active: true, … }, …], … }
 */
export function ckanPackage(d: Dataset, baseUrl: string): object {
  const base = trimSlash(baseUrl);
  const created = ckanTime(d.createdAt);
  const modified = ckanTime(d.modifiedAt);
  const resources = exportFormats(d.formats).map((f, position) => ({
    id: `${d.id}.${f.ext}`,
    package_id: d.id,
    name: `${d.title}（${f.label}）`,
    description: `${d.title}，${f.label} 格式`,
    format: f.label,
    mimetype: f.mediaType,
    mimetype_inner: null,
    url: exportUrl(base, d.id, f.ext),
    url_type: null,
    resource_type: null,
    position,
    created,
    last_modified: modified,
    metadata_modified: modified,
    state: 'active',
    size: null,
    hash: '',
    cache_url: null,
    cache_last_updated: null,
    datastore_active: f.ext === 'csv',
  }));
  const extras: Record<string, string | null> = {
    name_en: d.titleEn || null,
    open_type: d.openType,
    quality_score: String(d.quality.score),
    source_resource: d.sourceResource,
    update_frequency: d.updateFrequency,
  };
  return {
    id: d.id,
    name: d.id,
    title: d.title,
    notes: d.description,
    url: `${base}/open/datasets/${d.id}`,
    version: d.version === null ? null : String(d.version),
    state: STATE[d.status],
    private: false,
    type: 'dataset',
    // CKAN derives isopen from the licence; a conditional dataset is not open whatever its licence.
    isopen: d.openType === 'unconditional',
    license_id: d.licence.id,
    license_title: d.licence.title,
    license_url: d.licence.url,
    author: null,
    author_email: null,
    maintainer: null,
    maintainer_email: null,
    creator_user_id: null,
    // The dataset does not carry the organization's creation time.
    organization: embeddedOrganization(d.org, null),
    owner_org: d.org.code,
    groups: [{ id: d.theme.code, name: d.theme.code, title: d.theme.name, display_name: d.theme.name, description: '', image_display_url: '' }],
    tags: d.tags.map((t) => ({ id: t, name: t, display_name: t, state: 'active', vocabulary_id: null })),
    num_tags: d.tags.length,
    num_resources: resources.length,
    metadata_created: created,
    metadata_modified: modified,
    // CKAN lists extras sorted by key, each value a string.
    extras: Object.entries(extras)
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([key, value]) => ({ key, value })),
    relationships_as_object: [],
    relationships_as_subject: [],
    resources,
  };
}

/**
 * An organization as organization_show (and organization_list with all_fields) answers; with
 * `datasets`, their packages are listed under `packages` (organization_show include_datasets).
 *
 * @example
 * ckanOrganization({ code: 'xm.transport', name: '厦门市交通运输局', nameEn: 'Xiamen Transport Bureau', packageCount: 12, createdAt }, base);
 * // { id: 'xm.transport', name: 'xm.transport', title: '厦门市交通运输局', is_organization: true, package_count: 12, … }
 */
export function ckanOrganization(
  org: { code: string; name: string; nameEn: string; description?: string; packageCount: number; createdAt: string },
  baseUrl: string,
  options: { datasets?: Dataset[] } = {},
): object {
  return {
    ...embeddedOrganization(org, ckanTime(org.createdAt)),
    display_name: org.name,
    image_display_url: '',
    package_count: org.packageCount,
    extras: [{ key: 'name_en', value: org.nameEn }],
    tags: [],
    groups: [],
    users: [],
    ...(options.datasets ? { packages: options.datasets.map((d) => ckanPackage(d, baseUrl)) } : {}),
  };
}

/**
 * A theme as group_show (and group_list with all_fields) answers: CKAN groups are our themes.
 * (The base URL is unused while groups have no image.)
 *
 * @example
 * ckanGroup({ code: 'transport', name: '交通出行', nameEn: 'Transport', packageCount: 30 }, base);
 * // { id: 'transport', name: 'transport', title: '交通出行', type: 'group', is_organization: false, package_count: 30, … }
 */
export function ckanGroup(theme: { code: string; name: string; nameEn: string; packageCount: number }, _baseUrl: string): object {
  return {
    id: theme.code,
    name: theme.code,
    title: theme.name,
    display_name: theme.name,
    type: 'group',
    description: '',
    image_url: '',
    image_display_url: '',
    is_organization: false,
    approval_status: 'approved',
    state: 'active',
    package_count: theme.packageCount,
    extras: [{ key: 'name_en', value: theme.nameEn }],
    tags: [],
    groups: [],
    users: [],
  };
}

/**
 * A bad package_search parameter; `field` is the parameter, for CKAN's Validation Error dict.
 *
 * @example
 * throw new CkanParamError('rows', 'Invalid integer'); // → { __type: 'Validation Error', rows: ['Invalid integer'] }
 */
export class CkanParamError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CkanParamError';
  }
}

/**
 * package_search's parameters, read into what our catalogue search can do.
 *
 * @example
 * const p: CkanSearchParams = { fq: { organization: 'xm.transport', tags: ['公交'] }, rows: 10, start: 0, sort: 'relevance', facetFields: [] };
 */
export interface CkanSearchParams {
  /** Free text (absent for `*:*`). */
  q?: string;
  fq: {
    organization?: string;
    /** A theme code. */
    groups?: string;
    /** Every tag must match. */
    tags?: string[];
    /** Our format label (`CSV`, `GeoJSON`) when known, else as given. */
    res_format?: string;
    license_id?: string;
    /** `metadata_modified:[2026-01-01T00:00:00Z TO *]`, as harvesters send it; ISO bounds, both inclusive. */
    metadata_modified?: { from?: string; to?: string };
  };
  rows: number;
  start: number;
  sort: 'relevance' | 'modified' | 'title' | 'downloads';
  facetFields: string[];
}

const ROWS_DEFAULT = 10;
/** CKAN's `ckan.search.rows_max` default; larger requests are cut to it, not refused. */
const ROWS_MAX = 1000;
const FACETABLE = new Set(['organization', 'groups', 'tags', 'res_format', 'license_id']);
const SINGLE_FQ = { organization: 'organization', owner_org: 'organization', groups: 'groups', res_format: 'res_format', license_id: 'license_id' } as const;

/** CKAN sort strings (normalised: lower case, one space, ", " between clauses) we can honour. */
const SORTS: Record<string, CkanSearchParams['sort']> = {
  'score desc, metadata_modified desc': 'relevance',
  'score desc': 'relevance',
  'metadata_modified desc': 'modified',
  'title_string asc': 'title',
  // Clients sort by name or id only for a stable order while paging (ckanext-harvest uses
  // "id asc"); our names are ids, and title order is as stable.
  'name asc': 'title',
  'id asc': 'title',
  'views_recent desc': 'downloads',
};

const SORT_NAMES: Record<CkanSearchParams['sort'], string> = {
  relevance: 'score desc, metadata_modified desc',
  modified: 'metadata_modified desc',
  title: 'title_string asc',
  downloads: 'views_recent desc',
};

/** One parameter as a string: a query-string value, or a JSON body's string or number. */
function scalar(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new CkanParamError(field, 'Must be a string');
}

/** CKAN's natural_number_validator: a whole number ≥ 0; empty means absent. */
function naturalNumber(value: unknown, field: string, fallback: number): number {
  const text = scalar(value, field)?.trim();
  if (!text) return fallback;
  if (!/^[+-]?\d+$/.test(text)) throw new CkanParamError(field, 'Invalid integer');
  const n = Number(text);
  if (n < 0) throw new CkanParamError(field, 'Must be a natural number');
  return n;
}

/** A Solr date bound as ISO; CKAN writes naive UTC times, so a time without a zone is UTC. */
function dateBound(value: string): string | undefined {
  if (value === '*') return undefined;
  const zoned = /T[^Z+-]*$/.test(value) ? `${value}Z` : value;
  const t = Date.parse(zoned);
  if (Number.isNaN(t)) throw new CkanParamError('fq', `Invalid date "${value}" in metadata_modified range`);
  return new Date(t).toISOString();
}

const unescape = (value: string) => value.replace(/\\(.)/g, '$1');
const FQ_TERM = /([+-]?)([A-Za-z_][\w.]*):("(?:[^"\\]|\\.)*"|\[[^\]]*\]|(?:[^\s\\]|\\.)+)/y;

/**
 * Reads a Solr-ish filter (`organization:xm.transport tags:"公交" res_format:CSV`) into `fq`.
 * Terms are ANDed; `+` is allowed, `AND` between terms is skipped; negation, OR and grouping
 * are refused rather than silently ignored. In `q`, words that are not a known `field:value`
 * term are free text and returned; in `fq` they are refused.
 */
function readFilters(text: string, fq: CkanSearchParams['fq'], field: 'fq' | 'q'): string[] {
  const rest: string[] = [];
  let at = 0;
  while (at < text.length) {
    const space = /\s+/y;
    space.lastIndex = at;
    if (space.exec(text)) {
      at = space.lastIndex;
      continue;
    }
    FQ_TERM.lastIndex = at;
    const m = FQ_TERM.exec(text);
    const word = /\S+/y;
    word.lastIndex = at;
    const token = word.exec(text)?.[0] ?? '';
    if (!m || !applyFilter(m, fq, field)) {
      if (field === 'fq' && token !== 'AND') throw new CkanParamError('fq', `Cannot read the filter at "${text.slice(at, at + 40)}"`);
      if (field === 'q') rest.push(token);
      at += token.length;
      continue;
    }
    at = FQ_TERM.lastIndex;
  }
  return rest;
}

/** Applies one `field:value` term; false when it is not a filter we know (left to free text in q). */
function applyFilter(m: RegExpExecArray, fq: CkanSearchParams['fq'], where: 'fq' | 'q'): boolean {
  const [, sign = '', name = '', raw = ''] = m;
  const value = raw.startsWith('"') ? unescape(raw.slice(1, -1)) : raw.startsWith('[') ? raw : unescape(raw);
  const known = name in SINGLE_FQ || ['tags', 'metadata_modified', 'dataset_type', 'capacity'].includes(name);
  if (!known) {
    if (where === 'q') return false;
    throw new CkanParamError('fq', `Unsupported filter field "${name}"`);
  }
  if (sign === '-') throw new CkanParamError(where, `Negated filters are not supported ("${m[0]}")`);
  if (name === 'dataset_type' || name === 'capacity') {
    // Every package here is a public dataset: these filters match everything or nothing.
    if (value === (name === 'capacity' ? 'public' : 'dataset')) return true;
    throw new CkanParamError(where, `Only ${name}:${name === 'capacity' ? 'public' : 'dataset'} exists here`);
  }
  if (name === 'tags') {
    fq.tags = [...(fq.tags ?? []), value];
    return true;
  }
  if (name === 'metadata_modified') {
    const range = /^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$/.exec(value);
    if (!range) throw new CkanParamError(where, 'metadata_modified takes a range: [2026-01-01T00:00:00Z TO *]');
    const from = dateBound(range[1] ?? '*');
    const to = dateBound(range[2] ?? '*');
    fq.metadata_modified = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    return true;
  }
  const key = SINGLE_FQ[name as keyof typeof SINGLE_FQ];
  const normal = key === 'res_format' ? (EXPORT_FORMATS[value.toLowerCase()]?.label ?? value) : value;
  const before = fq[key];
  if (before !== undefined && before !== normal) throw new CkanParamError(where, `Only one ${key} filter is supported`);
  fq[key] = normal;
  return true;
}

/** `facet.field`: a JSON list of strings (or, from a JSON body, the list itself). */
function facetFields(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new CkanParamError('facet.field', 'Must be a JSON list of strings');
    }
  }
  if (!Array.isArray(list) || !list.every((f): f is string => typeof f === 'string')) {
    throw new CkanParamError('facet.field', 'Must be a JSON list of strings');
  }
  const unknown = list.filter((f) => !FACETABLE.has(f));
  if (unknown.length > 0) throw new CkanParamError('facet.field', `Unsupported facet field(s): ${unknown.join(', ')}`);
  return [...new Set(list)];
}

/**
 * Reads package_search's parameters (query string or JSON body) as CKAN validates them: `rows`
 * defaults to 10 and is cut to 1000, `rows` and `start` are natural numbers, `facet.field` is a
 * JSON list, `fq` (and `fq_list`) hold ANDed `field:value` terms, and known terms in `q` are
 * filters too (`q=tags:公交`). Throws CkanParamError on anything it cannot honour.
 *
 * @example
 * parseCkanSearch({ fq: 'organization:xm.transport tags:"公交"', rows: '1000', sort: 'metadata_modified desc' });
 * // { fq: { organization: 'xm.transport', tags: ['公交'] }, rows: 1000, start: 0, sort: 'modified', facetFields: [] }
 * try { parseCkanSearch(query); } catch (e) {
 *   if (e instanceof CkanParamError) reply.code(409).send(ckanError(help, 'Validation Error', { [e.field]: [e.message] }));
 * }
 */
export function parseCkanSearch(params: Record<string, unknown>): CkanSearchParams {
  const fq: CkanSearchParams['fq'] = {};
  const fqTexts = [params.fq, ...(Array.isArray(params.fq_list) ? params.fq_list : [params.fq_list])].flatMap((v) =>
    Array.isArray(v) ? v.map((x) => scalar(x, 'fq') ?? '') : [scalar(v, 'fq') ?? ''],
  );
  for (const text of fqTexts) readFilters(text, fq, 'fq');

  const qText = scalar(params.q, 'q')?.trim() ?? '';
  const words = qText === '*:*' ? [] : readFilters(qText, fq, 'q');
  const q = words.join(' ').trim();

  const sortText = (scalar(params.sort, 'sort') ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join(', ');
  const sort = sortText ? SORTS[sortText] : 'relevance';
  if (!sort) throw new CkanParamError('sort', `Unsupported sort "${String(params.sort)}"; use one of: ${Object.keys(SORTS).join('; ')}`);

  return {
    ...(q ? { q } : {}),
    fq,
    rows: Math.min(naturalNumber(params.rows, 'rows', ROWS_DEFAULT), ROWS_MAX),
    start: naturalNumber(params.start, 'start', 0),
    sort,
    facetFields: facetFields(params['facet.field']),
  };
}

/**
 * package_search's result. `facets` is CKAN's old `{field: {value: count}}`; `search_facets`
 * holds the items with display names, sorted by display name descending as CKAN sorts them.
 *
 * @example
 * ckanSearchResult(1, [dataset], { organization: [{ name: 'xm.transport', display_name: '厦门市交通运输局', count: 1 }] }, base, 'modified');
 * // { count: 1, facets: { organization: { 'xm.transport': 1 } }, results: [{ … }], sort: 'metadata_modified desc',
 * //   search_facets: { organization: { title: 'organization', items: [{ name: 'xm.transport', … }] } } }
 */
export function ckanSearchResult(
  count: number,
  datasets: Dataset[],
  facets: Record<string, { name: string; display_name: string; count: number }[]>,
  baseUrl: string,
  sort: CkanSearchParams['sort'] = 'relevance',
): object {
  const entries = Object.entries(facets);
  return {
    count,
    facets: Object.fromEntries(entries.map(([field, items]) => [field, Object.fromEntries(items.map((i) => [i.name, i.count]))])),
    results: datasets.map((d) => ckanPackage(d, baseUrl)),
    sort: SORT_NAMES[sort],
    search_facets: Object.fromEntries(
      entries.map(([field, items]) => [
        field,
        { title: field, items: items.map((i) => ({ name: i.name, display_name: i.display_name, count: i.count })).sort((a, b) => (a.display_name < b.display_name ? 1 : a.display_name > b.display_name ? -1 : 0)) },
      ]),
    ),
  };
}

/** Our column types as the DataStore names PostgreSQL types; CKAN names pass through. */
const DATASTORE_TYPES: Record<string, string> = {
  text: 'text',
  integer: 'int',
  decimal: 'numeric',
  date: 'date',
  timestamp: 'timestamp',
  boolean: 'bool',
  json: 'json',
};

/**
 * The dataset a datastore_search `resource_id` names: the CSV resource (`${id}.csv`) or, as a
 * convenience, the bare dataset id. Null for anything else (other formats are not DataStore
 * resources).
 *
 * @example
 * ckanDatastoreDatasetId('siming-bus-stops.csv'); // 'siming-bus-stops'
 * ckanDatastoreDatasetId('siming-bus-stops');     // 'siming-bus-stops'
 * ckanDatastoreDatasetId('siming-bus-stops.json'); // null
 */
export function ckanDatastoreDatasetId(resourceId: string): string | null {
  const id = resourceId.endsWith('.csv') ? resourceId.slice(0, -'.csv'.length) : resourceId;
  return /^[a-z0-9][a-z0-9-]{1,79}$/.test(id) ? id : null;
}

/** The path part of the base URL, for CKAN's path-only `_links`. */
function basePath(baseUrl: string): string {
  try {
    return trimSlash(new URL(baseUrl).pathname);
  } catch {
    return trimSlash(baseUrl);
  }
}

/**
 * datastore_search's result. `fields` start with `_id` (type int) and use the DataStore's type
 * names; each record gets `_id` (its 1-based row number unless it has one). `_links` are
 * path-only, as CKAN writes them: `start` is the request without `offset`, `next` moves
 * `offset` on by `limit`.
 *
 * @example
 * ckanDatastoreSearch('siming-bus-stops.csv', [{ name: 'stop_name', type: 'text' }], page.records, 512,
 *   { offset: 0, limit: 100 }, base, { resource_id: 'siming-bus-stops.csv', limit: '100' });
 * // { include_total: true, resource_id: 'siming-bus-stops.csv', fields: [{ id: '_id', type: 'int' },
 * //   { id: 'stop_name', type: 'text' }], records_format: 'objects', records: [{ _id: 1, … }], limit: 100, offset: 0,
 * //   _links: { start: '/api/3/action/datastore_search?resource_id=…&limit=100', next: '…&offset=100' }, total: 512, … }
 */
export function ckanDatastoreSearch(
  resourceId: string,
  fields: { name: string; type: string }[],
  records: Record<string, unknown>[],
  total: number,
  page: { offset: number; limit: number },
  baseUrl: string,
  query: Record<string, string>,
): object {
  const path = `${basePath(baseUrl)}/api/3/action/datastore_search`;
  const start = new URLSearchParams(query);
  if (!start.has('resource_id')) start.set('resource_id', resourceId);
  start.delete('offset');
  const next = new URLSearchParams(start);
  next.set('offset', String(page.offset + page.limit));
  return {
    include_total: true,
    resource_id: resourceId,
    fields: [
      { id: '_id', type: 'int' },
      ...fields.filter((f) => f.name !== '_id').map((f) => ({ id: f.name, type: DATASTORE_TYPES[f.type] ?? f.type })),
    ],
    records_format: 'objects',
    records: records.map((r, i) => ({ ...r, _id: r._id ?? page.offset + i + 1 })).map(({ _id, ...rest }) => ({ _id, ...rest })),
    limit: page.limit,
    offset: page.offset,
    _links: { start: `${path}?${start}`, next: `${path}?${next}` },
    total,
    total_was_estimated: false,
  };
}

/**
 * status_show's result: what a client reads to learn it is talking to a CKAN-compatible site.
 * `version` is the CKAN version whose API we follow (e.g. '2.10.4'). `extensions` is empty:
 * we are not running CKAN plugins, only answering some of their actions.
 *
 * @example
 * ckanStatus('https://data.xm.gov.cn', '2.10.4', { title: '厦门市公共数据开放平台' });
 * // { site_title: '厦门市公共数据开放平台', site_url: 'https://data.xm.gov.cn', ckan_version: '2.10.4',
 * //   locale_default: 'zh_Hans_CN', extensions: [], … }
 */
export function ckanStatus(siteUrl: string, version: string, site: { title?: string; description?: string } = {}): object {
  return {
    site_title: site.title ?? '鹭岛公共数据开放平台',
    site_description: site.description ?? '',
    site_url: trimSlash(siteUrl),
    ckan_version: version,
    error_emails_to: null,
    locale_default: 'zh_Hans_CN',
    extensions: [],
  };
}
