
/** Stable problem types (RFC 9457 `type`); clients may switch on them. */
export const PROBLEM_TYPES = {
  validation: 'urn:ludao:problem:validation',
  malformed: 'urn:ludao:problem:malformed-body',
  tooLarge: 'urn:ludao:problem:body-too-large',
  unsupportedMedia: 'urn:ludao:problem:unsupported-media-type',
  unauthenticated: 'urn:ludao:problem:unauthenticated',
  forbidden: 'urn:ludao:problem:forbidden',
  notFound: 'urn:ludao:problem:not-found',
  conflict: 'urn:ludao:problem:conflict',
  rateLimited: 'urn:ludao:problem:rate-limited',
  notReady: 'urn:ludao:problem:not-ready',
  internal: 'urn:ludao:problem:internal',
} as const;

/** One field a request got wrong. */
export interface FieldError {
  /** JSON pointer into the request part, e.g. `/body/username`. */
  field: string;
  message: string;
}

/**
 * An error that becomes an RFC 9457 response. Services throw these; the HTTP layer presents them.
 *
 * @example
 * throw Problem.forbidden('Only operators may verify the audit log');
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }

  /** 400: the request's content is wrong. */
  static validation(detail: string, errors?: FieldError[]): Problem {
    return new Problem(400, PROBLEM_TYPES.validation, 'Invalid request', detail, errors);
  }
  /** 401: who is asking is not known. */
  static unauthenticated(detail = 'Sign in, or call with a valid API key'): Problem {
    return new Problem(401, PROBLEM_TYPES.unauthenticated, 'Not authenticated', detail);
  }
  /** 403: known, but not allowed. */
  static forbidden(detail: string): Problem {
    return new Problem(403, PROBLEM_TYPES.forbidden, 'Forbidden', detail);
  }
  /** 404. */
  static notFound(detail: string): Problem {
    return new Problem(404, PROBLEM_TYPES.notFound, 'Not found', detail);
  }
  /** 409: conflicts with what is stored. */
  static conflict(detail: string): Problem {
    return new Problem(409, PROBLEM_TYPES.conflict, 'Conflict', detail);
  }
  /** 429, with Retry-After in seconds. */
  static rateLimited(detail: string, retryAfterSeconds: number): Problem {
    return new Problem(429, PROBLEM_TYPES.rateLimited, 'Too many requests', detail, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}
