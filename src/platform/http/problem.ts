import { renderMessage, type Lang, type Message } from '../i18n/messages';
import { httpMessage } from './messages';

/** Stable problem types (RFC 9457 `type`); clients may switch on them. */
export const PROBLEM_TYPES = {
  validation: 'urn:ludao:problem:validation',
  malformed: 'urn:ludao:problem:malformed-body',
  badRequest: 'urn:ludao:problem:bad-request',
  tooLarge: 'urn:ludao:problem:body-too-large',
  uriTooLong: 'urn:ludao:problem:uri-too-long',
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
  /** The message's stable code, when the server words it per reader (ADR 0020). */
  code?: string;
}

/** One field a request got wrong, its message as text or as a message (ADR 0020). */
export interface FieldProblem {
  field: string;
  message: string | Message;
  /** The code clients read, when it is not the message's own (schema rules: `schema.<keyword>`). */
  code?: string;
}

/** A problem's words in one language, as the response carries them. */
export interface ProblemWords {
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** The detail's code, when the detail is a message. */
  code?: string;
}

const fieldCode = (e: FieldProblem) => {
  const code = e.code ?? (typeof e.message === 'string' ? undefined : e.message.code);
  return code === undefined ? {} : { code };
};
const inWords = (text: string | Message, lang: Lang) => (typeof text === 'string' ? text : renderMessage(text, lang));

/**
 * An error that becomes an RFC 9457 response. Services throw these; the HTTP layer presents them
 * in the reader's language (`render`). Title, detail and field messages are English text or
 * messages (ADR 0020); a validation problem without a detail lists its fields as its detail.
 * `title`, `detail` and `errors` are the English words (logs, the CLI).
 *
 * @example
 * throw Problem.forbidden('Only operators may verify the audit log');
 * throw Problem.validation(undefined, [{ field: '/body/domain', message: dcMessage('dc.noDomain', { domain }) }]);
 */
export class Problem extends Error {
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];

  constructor(
    readonly status: number,
    readonly type: string,
    private readonly titleText: string | Message,
    private readonly detailText?: string | Message,
    private readonly fieldTexts?: readonly FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super('');
    this.name = 'Problem';
    const english = this.render('en');
    this.message = english.detail ?? english.title;
    this.title = english.title;
    if (english.detail !== undefined) this.detail = english.detail;
    if (english.errors) this.errors = english.errors;
  }

  /** The detail, when it is a message (to store it as one). */
  get detailMessage(): Message | undefined {
    return this.detailText !== undefined && typeof this.detailText !== 'string' ? this.detailText : undefined;
  }

  /** The problem's words in `lang`. */
  render(lang: Lang): ProblemWords {
    const errors = this.fieldTexts?.map((e): FieldError => ({ field: e.field, message: inWords(e.message, lang), ...fieldCode(e) }));
    const detail = this.detailText !== undefined ? inWords(this.detailText, lang) : errors?.length ? errors.map((e) => `${e.field}: ${e.message}`).join('; ') : undefined;
    return {
      title: inWords(this.titleText, lang),
      ...(detail !== undefined && { detail }),
      ...(errors && { errors }),
      ...(this.detailMessage && { code: this.detailMessage.code }),
    };
  }

  /** 400: the request's content is wrong (without a detail: its fields, listed). */
  static validation(detail: string | Message | undefined, errors?: readonly FieldProblem[]): Problem {
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
