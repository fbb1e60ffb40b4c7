import type { FastifyRequest } from 'fastify';
import { isLang, langFromAcceptLanguage, type Lang } from '../i18n';

/**
 * The language to answer a request in: its `lang` query parameter when the route takes one (a
 * link the browser follows sends the browser's Accept-Language, not the page's language), else
 * its Accept-Language header, else Chinese.
 */
export function requestLang(request: FastifyRequest): Lang {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  return isLang(asked) ? asked : langFromAcceptLanguage(request.headers['accept-language']);
}
