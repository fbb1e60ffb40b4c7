// The open-data portal's API (/api/open) as the portal pages use it: shapes, paths, the export
// links and the curl example, what a user may do there, and the search in the address.
import type { Me } from './api';
import type { Application, Dataset, DatasetVersion, DeveloperKey } from '../../src/modules/opendata';

// The shapes are the server's own contract (type-only imports: nothing of the server is bundled).
export type {
  Application,
  ApplicationDecisionBody,
  Dataset,
  DatasetField,
  DatasetMeta,
  DatasetSearch,
  DatasetVersion,
  DeveloperKey,
  NewApplicationBody,
  Pipeline,
  PublishFromResourceBody,
  RecordPage,
} from '../../src/modules/opendata';

/** A new developer key as POST /api/open/v1/keys answers it: the secret is in this answer only. */
export type CreatedKey = DeveloperKey & { key: string };

/** An application's status (有条件开放: submitted → checked → approved, or returned, refused, revoked, expired). */
export type ApplicationStatus = Application['status'];

/** What accepting an approved application's agreement answers: the application and its key, shown this once. */
export type AgreedApplication = Application & { key: string };

/** One day's use of a key on one dataset (GET /api/open/v1/keys/:id/usage). */
export interface KeyUsage {
  day: string;
  dataset: string;
  calls: number;
  downloads: number;
}

/** A theme of the portal, with how many published datasets it has (GET /api/open/v1/themes). */
export interface Theme {
  code: string;
  name: string;
  nameEn: string;
  datasets: number;
}

/** A publishing organisation (GET /api/open/v1/organizations). */
export interface PortalOrg {
  code: string;
  name: string;
  nameEn: string;
  datasets: number;
}

/** A licence datasets are published under (GET /api/open/v1/licences). */
export interface Licence {
  id: string;
  title: string;
  url: string;
}

/** What POST /api/open/manage/datasets and the uploads endpoint answer. */
export interface DraftCreated {
  dataset: Dataset;
  version: DatasetVersion;
}

/** A version waiting for review, with its dataset (GET /api/open/manage/reviews). */
export type ReviewItem = DraftCreated;

/** The export formats, as the export path names them. */
export type ExportFormat = 'csv' | 'json' | 'xlsx' | 'geojson';

/** The update frequencies a dataset may promise (the catalogue's update cycles). */
export const UPDATE_FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;

/** How the catalogue is sorted. */
export const SORTS = ['relevance', 'modified', 'downloads', 'title'] as const;
/** One way of sorting the catalogue. */
export type Sort = (typeof SORTS)[number];

/** The catalogue's filters, in the order the facets are listed. */
export const FACETS = ['org', 'theme', 'tag', 'format', 'openType'] as const;
/** One filter of the catalogue. */
export type FacetKey = (typeof FACETS)[number];

/** The catalogue search as the address keeps it: words, filters, sort and page (from 1). */
export interface CatalogueSearch {
  q: string;
  filters: Partial<Record<FacetKey, string>>;
  sort: Sort | '';
  page: number;
}

/** Results per page of the catalogue. */
export const PAGE_SIZE = 10;

const enc = encodeURIComponent;

/** The words, facets and sort of a catalogue search, shared by the API call and the address. */
function searchParams(s: CatalogueSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  for (const key of FACETS) {
    const value = s.filters[key];
    if (value) params.set(key, value);
  }
  if (s.sort) params.set('sort', s.sort);
  return params;
}

/** Paths of the open-data API. */
export const odPaths = {
  search: (s: CatalogueSearch) => {
    const params = searchParams(s);
    params.set('limit', String(PAGE_SIZE));
    params.set('offset', String((s.page - 1) * PAGE_SIZE));
    return `/api/open/v1/datasets?${params.toString()}`;
  },
  dataset: (id: string) => `/api/open/v1/datasets/${enc(id)}`,
  versions: (id: string) => `/api/open/v1/datasets/${enc(id)}/versions`,
  records: (id: string, query: Record<string, string | number | undefined> = {}) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const search = params.toString();
    return `/api/open/v1/datasets/${enc(id)}/records${search ? `?${search}` : ''}`;
  },
  export: (id: string, format: ExportFormat, options: { bom?: boolean; version?: number } = {}) => {
    const params = new URLSearchParams();
    if (options.bom) params.set('bom', 'true');
    if (options.version !== undefined) params.set('version', String(options.version));
    const search = params.toString();
    return `/api/open/v1/datasets/${enc(id)}/export.${format}${search ? `?${search}` : ''}`;
  },
  organizations: '/api/open/v1/organizations',
  themes: '/api/open/v1/themes',
  licences: '/api/open/v1/licences',
  keys: '/api/open/v1/keys',
  key: (id: string) => `/api/open/v1/keys/${enc(id)}`,
  keyUsage: (id: string) => `/api/open/v1/keys/${enc(id)}/usage`,
  apply: (id: string) => `/api/open/v1/datasets/${enc(id)}/applications`,
  myApplications: '/api/open/v1/applications',
  resubmit: (id: string) => `/api/open/v1/applications/${enc(id)}/resubmit`,
  agreement: (id: string) => `/api/open/v1/applications/${enc(id)}/agreement`,
  managedApplications: '/api/open/manage/applications',
  checkApplication: (id: string) => `/api/open/manage/applications/${enc(id)}/check`,
  decideApplication: (id: string) => `/api/open/manage/applications/${enc(id)}/decide`,
  revokeApplication: (id: string) => `/api/open/manage/applications/${enc(id)}/revoke`,
  manage: '/api/open/manage/datasets',
  upload: (fileName: string, changelog: string, meta: object) =>
    `/api/open/manage/uploads?${new URLSearchParams({ fileName: fileName.slice(-255), changelog, meta: JSON.stringify(meta) }).toString()}`,
  submit: (id: string, version: number) => `/api/open/manage/datasets/${enc(id)}/versions/${version}/submit`,
  review: (id: string, version: number) => `/api/open/manage/datasets/${enc(id)}/versions/${version}/review`,
  reviews: '/api/open/manage/reviews',
  withdraw: (id: string) => `/api/open/manage/datasets/${enc(id)}/withdraw`,
};

/** Where the portal lives in the web app (public: no sign-in needed for the catalogue). */
export const OPEN_PATH = '/open';

/** The web app's page of a dataset. */
export function datasetPath(id: string): string {
  return `${OPEN_PATH}/datasets/${enc(id)}`;
}

/**
 * The curl line that reads a dataset's first records, against the address the page was served
 * from; with `key`, the API key header a conditional dataset needs.
 *
 * @example
 * curlExample('https://data.xm.gov.cn', 'bus-stops'); // "curl 'https://data.xm.gov.cn/api/open/v1/datasets/bus-stops/records?limit=20'"
 */
export function curlExample(origin: string, id: string, key = false): string {
  const line = `curl '${origin}${odPaths.records(id, { limit: 20 })}'`;
  return key ? `${line} \\\n  -H 'X-API-Key: odk_…'` : line;
}

/** What a user may do on the portal; the server's policy decides, this only shapes the pages. */
export interface OpenDataAbilities {
  /** Create developer keys (opendata:develop). */
  develop: boolean;
  /** Publish datasets for a department (opendata:publish). */
  publish: boolean;
  /** Review versions and see every department's datasets (opendata:review). */
  review: boolean;
}

// The roles that hold each permission in the server's policy table (src/platform/access/policy.ts);
// GET /api/me names roles, not permissions.
const DEVELOP_ROLES = ['citizen', 'enterprise', 'competitor', 'developer'];
const PUBLISH_ROLES = ['operator', 'dept_admin', 'dept_staff'];
const REVIEW_ROLES = ['operator'];

/** What a user (or nobody, signed out) may do on the portal. */
export function openDataAbilities(me: Me | null): OpenDataAbilities {
  const roles = me?.roles ?? [];
  const holds = (wanted: readonly string[]) => roles.some((r) => wanted.includes(r));
  return { develop: holds(DEVELOP_ROLES), publish: me?.org != null && holds(PUBLISH_ROLES), review: holds(REVIEW_ROLES) };
}

/** Reads the catalogue search from an address's query string. */
export function readSearch(search: string): CatalogueSearch {
  const params = new URLSearchParams(search);
  const filters: CatalogueSearch['filters'] = {};
  for (const key of FACETS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  return {
    q: (params.get('q') ?? '').trim(),
    filters,
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : '',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string that keeps a catalogue search in the address ('' for the bare catalogue). */
export function writeSearch(s: CatalogueSearch): string {
  const params = searchParams(s);
  if (s.page > 1) params.set('page', String(s.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}
