// The API client: same origin, session cookie, RFC 9457 problems turned into errors.
import { currentLang } from './i18n';

/** The web areas a user may enter, in menu order (the server's policy decides which). */
export const AREAS = ['operator', 'department', 'citizen', 'open-data', 'community', 'arena'] as const;
/** One web area. */
export type Area = (typeof AREAS)[number];

/** An organisation as GET /api/me shows it. */
export interface OrgSummary {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  kind: string;
}

/** The signed-in user (GET /api/me). */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: string;
  roles: string[];
  org: OrgSummary | null;
  areas: Area[];
  /** What the user's roles allow (the policy's names): pages show only what the user may use. */
  permissions: string[];
}

/** Whether the user's roles allow `permission` (the server still checks every call). */
export function may(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}

/** An RFC 9457 problem as the server sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** The detail's message code, when the server wrote the detail itself. */
  code?: string;
  /** Field messages: a JSON pointer into the request, and what is wrong there. */
  errors?: { field: string; message: string; code?: string }[];
}

/** A failed call: `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem: Problem | null = null,
    /** Seconds from Retry-After, when the server sent it. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Calls the API and returns the parsed JSON body (undefined for 204).
 *
 * @example
 * const me = await api<Me>('GET', '/api/me');
 */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  // The server words its messages (a batch's outcome, say) in the page's language.
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': currentLang() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(error instanceof Error ? error.message : 'Network error', 0);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!res.ok) throw problemError(res.status, res.statusText, text, res.headers.get('retry-after'));
  return parseJson(text) as T;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The error for a failed response: the problem's detail (or title) as its message. */
function problemError(status: number, statusText: string, text: string, retryAfter: string | null): ApiError {
  const json = parseJson(text);
  const problem = json && typeof json === 'object' ? (json as Problem) : null;
  const retry = Number(retryAfter);
  // A detail the server made from one field's message ("/body/child: …") is for programs; a
  // reader at a form needs only the message.
  const fields = Array.isArray(problem?.errors) ? problem.errors : [];
  const only = fields.length === 1 && !problem?.code && typeof fields[0]?.message === 'string' ? fields[0].message : undefined;
  return new ApiError(
    only ?? problem?.detail ?? problem?.title ?? `${status} ${statusText}`.trim(),
    status,
    problem,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

/** How far an upload has got: bytes sent, then `sent === total` while the server works on it. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * POSTs a file as the raw request body (not multipart) and returns the parsed JSON answer.
 * Uses XMLHttpRequest rather than fetch for its upload progress events.
 *
 * @example
 * const out = await uploadRaw<{ batch: Batch }>('/api/dc/resources/x/uploads?…', file, 'text/csv', (p) => show(p));
 */
export function uploadRaw<T>(path: string, body: Blob, contentType: string, onProgress?: (progress: UploadProgress) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('accept-language', currentLang());
    xhr.upload.onprogress = (event) => onProgress?.({ sent: event.loaded, total: event.lengthComputable ? event.total : body.size });
    xhr.upload.onload = () => onProgress?.({ sent: body.size, total: body.size });
    xhr.onerror = () => reject(new ApiError('Network error', 0));
    xhr.onabort = () => reject(new ApiError('Aborted', 0));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(parseJson(xhr.responseText) as T);
      else reject(problemError(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader('retry-after')));
    };
    xhr.send(body);
  });
}

/** Who is signed in, or null when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('GET', '/api/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs in; the server sets the session cookie. */
export async function login(username: string, password: string): Promise<Me> {
  const { user } = await api<{ user: Me }>('POST', '/api/auth/login', { username, password });
  return user;
}

/** Signs out; the server clears the session cookie. */
export async function logout(): Promise<void> {
  await api<void>('POST', '/api/auth/logout');
}
