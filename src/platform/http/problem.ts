import { renderMessage, type Message } from '../i18n/messages';
import { httpMessage } from './messages';

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
 * Title and detail are English text, or messages (ADR 0020) that the response puts into the
 * reader's words; `title` and `detail` are always the English text (logs, the CLI).
 *
 * @example
 * throw Problem.forbidden('Only operators may verify the audit log');
 */
export class Problem extends Error {
  readonly title: string;
  readonly detail?: string;
  /** The title as a message, when it is one (every factory's is). */
  readonly titleMessage?: Message;
  /** The detail as a message, when it is one. */
  readonly detailMessage?: Message;

  constructor(
    readonly status: number,
    readonly type: string,
    title: string | Message,
    detail?: string | Message,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    const english = (text: string | Message) => (typeof text === 'string' ? text : renderMessage(text, 'en'));
    super(english(detail ?? title));
    this.name = 'Problem';
    this.title = english(title);
    if (detail !== undefined) this.detail = english(detail);
    if (typeof title !== 'string') this.titleMessage = title;
    if (detail !== undefined && typeof detail !== 'string') this.detailMessage = detail;
  }

  /** 400: the request's content is wrong. */
  static validation(detail: string | Message, errors?: FieldError[]): Problem {
    return new Problem(400, PROBLEM_TYPES.validation, httpMessage('http.title.validation'), detail, errors);
  }
  /** 401: who is asking is not known. */
  static unauthenticated(detail: string | Message = httpMessage('http.signIn')): Problem {
    return new Problem(401, PROBLEM_TYPES.unauthenticated, httpMessage('http.title.unauthenticated'), detail);
  }
  /** 403: known, but not allowed. */
  static forbidden(detail: string | Message): Problem {
    return new Problem(403, PROBLEM_TYPES.forbidden, httpMessage('http.title.forbidden'), detail);
  }
  /** 404. */
  static notFound(detail: string | Message): Problem {
    return new Problem(404, PROBLEM_TYPES.notFound, httpMessage('http.title.notFound'), detail);
  }
  /** 409: conflicts with what is stored. */
  static conflict(detail: string | Message): Problem {
    return new Problem(409, PROBLEM_TYPES.conflict, httpMessage('http.title.conflict'), detail);
  }
  /** 429, with Retry-After in seconds. */
  static rateLimited(detail: string | Message, retryAfterSeconds: number): Problem {
    return new Problem(429, PROBLEM_TYPES.rateLimited, httpMessage('http.title.rateLimited'), detail, undefined, { 'retry-after': String(retryAfterSeconds) });
  }
}
