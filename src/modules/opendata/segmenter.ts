import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as JiebaModule from '@node-rs/jieba';
import type * as JiebaDict from '@node-rs/jieba/dict';
import { DISTRICTS, STREETS } from '../../synth';

// Words made only of punctuation, symbols or spaces are not search terms.
const NOT_A_WORD = /^[\s\p{P}\p{S}]*$/u;
// A user-dictionary word gets a high frequency so jieba keeps it whole (思明区, not 思明|区).
const CITY_WORD_FREQ = 100_000;

/**
 * Chinese word segmentation for search (jieba, with the city's place and department names in
 * a user dictionary). Text is segmented in the application and the words stored in a
 * `tsvector` with PostgreSQL's `simple` configuration: neither engine parses Chinese.
 *
 * @example
 * const seg = new Segmenter(['厦门市交通运输局']);
 * seg.words('思明区公交站点'); // ['思明区', '公交', '站点']
 */
export class Segmenter {
  private readonly jieba: JiebaModule.Jieba;

  constructor(cityWords: readonly string[] = [], dictionaryFile?: string) {
    // Required here, not imported: the dictionary module reads 5 MB when loaded, and most
    // processes that import the portal (the CLI's) never segment anything.
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as typeof JiebaModule;
    const { dict } = require('@node-rs/jieba/dict') as typeof JiebaDict;
    this.jieba = Jieba.withDict(dict);
    const words = new Set<string>(cityWords);
    for (const d of DISTRICTS) words.add(d.name).add(d.short);
    for (const s of STREETS) words.add(s.name);
    const extra = dictionaryFile ? fs.readFileSync(dictionaryFile, 'utf8').split(/\r?\n/) : [];
    for (const line of extra) {
      const word = line.trim().split(/\s+/)[0];
      if (word) words.add(word);
    }
    const lines = [...words].filter((w) => w.trim() && !/\s/.test(w)).map((w) => `${w} ${CITY_WORD_FREQ} n`);
    if (lines.length) this.jieba.loadDict(Buffer.from(lines.join('\n'), 'utf8'));
  }

  /** The words of a query, in order, lower-cased, without punctuation. */
  words(text: string): string[] {
    return clean(this.jieba.cut(text, false));
  }

  /** The words to index a text under: its words and, for long ones, their parts (厦门市 → 厦门). */
  indexWords(text: string): string[] {
    return [...new Set(clean(this.jieba.cutForSearch(text, true)))];
  }
}

function clean(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const word = w.trim().toLowerCase();
    if (word && !NOT_A_WORD.test(word)) out.push(word);
  }
  return out;
}

/**
 * A `tsvector` literal of words with one weight (A–D), for `::tsvector` (no parser runs on it).
 *
 * @example
 * tsvectorLiteral(['思明区', "o'neil"], 'A'); // "'思明区':1A 'o''neil':2A"
 */
export function tsvectorLiteral(words: readonly string[], weight: 'A' | 'B' | 'C' | 'D' = 'D', start = 1): string {
  return words.map((w, i) => `${quoteLexeme(w)}:${Math.min(start + i, 16383)}${weight === 'D' ? '' : weight}`).join(' ');
}

/**
 * A `tsquery` literal that every word must match (AND), for `::tsquery`.
 *
 * @example
 * tsqueryLiteral(['思明区', '公交']); // "'思明区' & '公交'"
 */
export function tsqueryLiteral(words: readonly string[]): string {
  return words.map(quoteLexeme).join(' & ');
}

function quoteLexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
