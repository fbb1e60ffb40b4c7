// The API client: same origin, session cookie, RFC 9457 problems turned into errors.

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
}

/** An RFC 9457 problem as the server sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
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
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
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
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const problem = json && typeof json === 'object' ? (json as Problem) : null;
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(
      problem?.detail ?? problem?.title ?? `${res.status} ${res.statusText}`.trim(),
      res.status,
      problem,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return json as T;
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
