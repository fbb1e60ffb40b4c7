// The data centre API (/api/dc) as the operator console uses it: shapes, calls and a loading hook.
import { useCallback, useEffect, useState } from 'react';
import type { Batch } from '../../src/modules/datacentre';
import { api, ApiError, uploadRaw, type UploadProgress } from './api';
import { useI18n, type Lang } from './i18n';

/** A domain, provider or other named thing in both languages. */
export interface Named {
  code: string;
  name: string;
  nameEn: string;
}

// The shapes are the server's own contract (type-only imports: nothing of the server is bundled).
export type { Batch, FieldSpec, Resource, ResourceStats, StoredRecord } from '../../src/modules/datacentre';
export type { DatacentreFigures as Figures } from '../../src/modules/datacentre';

/** A domain of the catalogue (GET /api/dc/domains). */
export type Domain = Named & { resources: number };

/** What an upload or push answers. */
export interface BatchOutcome {
  batch: Batch;
  replayed: boolean;
}

/** What to do with rows that fail validation. */
export type OnInvalid = 'skip' | 'reject';

const enc = encodeURIComponent;

/** Paths of the data centre API. */
export const dcPaths = {
  figures: '/api/dc/figures',
  domains: '/api/dc/domains',
  resources: (q: string, domain: string, limit = 200) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (domain) params.set('domain', domain);
    params.set('limit', String(limit));
    return `/api/dc/resources?${params.toString()}`;
  },
  resource: (code: string) => `/api/dc/resources/${enc(code)}`,
  stats: (code: string) => `/api/dc/resources/${enc(code)}/stats`,
  records: (code: string, limit = 10) => `/api/dc/resources/${enc(code)}/records?limit=${limit}`,
  batches: (resource?: string, limit = 50) => `/api/dc/batches?${resource ? `resource=${enc(resource)}&` : ''}limit=${limit}`,
  batchErrorsCsv: (id: string, lang: Lang) => `/api/dc/batches/${enc(id)}/errors?format=csv&lang=${enc(lang)}`,
};

/** The MIME type the upload endpoint expects for a file name, or null when it takes no such file. */
export function uploadContentType(fileName: string): string | null {
  const ext = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1] ?? '';
  switch (ext) {
    case 'csv':
    case 'txt':
      return 'text/csv';
    case 'ndjson':
    case 'jsonl':
      return 'application/x-ndjson';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    default:
      return null;
  }
}

/** Uploads a file to a resource as one batch (the body is the file itself). */
export function uploadFile(
  code: string,
  file: File,
  options: { idempotencyKey: string; onInvalid: OnInvalid; contentType: string },
  onProgress?: (progress: UploadProgress) => void,
): Promise<BatchOutcome> {
  const params = new URLSearchParams({ idempotencyKey: options.idempotencyKey, fileName: file.name.slice(-255), onInvalid: options.onInvalid });
  return uploadRaw<BatchOutcome>(`/api/dc/resources/${enc(code)}/uploads?${params.toString()}`, file, options.contentType, onProgress);
}

/** A suggested idempotency key for an upload: the file's name and the time it was chosen. */
export function suggestIdempotencyKey(fileName: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${fileName.slice(0, 160)}@${stamp}`;
}

/** The console path of a resource (dots become slashes: the server treats a dotted last segment as a file). */
export function resourcePath(code: string): string {
  return `/operator/catalogue/${code.split('.').map(enc).join('/')}`;
}

/** What a GET returns over time: the last data (kept while reloading), the last error. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs a path and re-GETs it when the path or the page's language changes, or on `reload()`;
 * null path: nothing.
 *
 * @example
 * const figures = useApiGet<Figures>(dcPaths.figures);
 */
export function useApiGet<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ path: string | null; data: T | undefined; error: ApiError | null; loading: boolean }>({
    path,
    data: undefined,
    error: null,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  // What the server words (a batch's outcome, a refusal's reason) follows the page's language.
  const { lang } = useI18n();

  useEffect(() => {
    if (path === null) return;
    let current = true;
    // Another path's data is not this path's: drop it; a reload of the same path keeps it on screen.
    setState((s) => (s.path === path ? { ...s, loading: true } : { path, data: undefined, error: null, loading: true }));
    api<T>('GET', path).then(
      (data) => current && setState({ path, data, error: null, loading: false }),
      (error: unknown) => current && setState((s) => ({ ...s, path, error: error instanceof ApiError ? error : new ApiError(String(error), 0), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [path, generation, lang]);

  const fresh = state.path === path;
  return { data: fresh ? state.data : undefined, error: fresh ? state.error : null, loading: fresh ? state.loading : path !== null, reload };
}
