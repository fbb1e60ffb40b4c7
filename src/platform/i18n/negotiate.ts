import Negotiator from 'negotiator';
import { DEFAULT_LANG, type Lang } from './messages';

/**
 * The reader's language from an Accept-Language header (RFC 9110 §12.5.4), negotiated by
 * `negotiator`: the listed language of highest weight that is Chinese (any region) or English;
 * Chinese when the header names neither.
 *
 * @example
 * langFromAcceptLanguage('en-GB,en;q=0.9,zh-CN;q=0.8'); // 'en'
 * langFromAcceptLanguage(undefined);                    // 'zh-CN'
 */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  return new Negotiator({ headers: { 'accept-language': header } }).language(NEGOTIATED) === 'en' ? 'en' : DEFAULT_LANG;
}

// What negotiation picks from: a region of Chinese matches `zh`, of English `en`.
const NEGOTIATED = ['zh-CN', 'zh', 'en'];
