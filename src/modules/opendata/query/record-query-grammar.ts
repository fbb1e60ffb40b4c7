/**
 * The grammar of the records API's select, where, group_by and order_by parameters: a small
 * tokenizer and recursive-descent parsers that check every name against the dataset's columns
 * and every literal against its column's type, and return plain syntax trees (no SQL here;
 * record-query.ts compiles them).
 */

import { renderMessage, type Message, type MessageParams } from '../../../platform/i18n/messages';
import { odMessage, type OdCode } from '../messages';

/**
 * The column types of a published dataset's row table (bigint, numeric, date, timestamptz,
 * boolean, jsonb and text in SQL).
 *
 * @example
 * const type: QueryColumnType = 'decimal';
 */
export type QueryColumnType = 'text' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'boolean' | 'json';

/**
 * One queryable column (never `_id` or `_search`).
 *
 * @example
 * const column: QueryColumn = { name: 'district', type: 'text' };
 */
export interface QueryColumn {
  name: string;
  type: QueryColumnType;
  /** Known to hold no nulls (lets cursors after an ascending key use the index alone). */
  notNull?: boolean;
}

/**
 * A query the caller got wrong (the routes answer 400). `reason` says what, worded in the
 * reader's language by whoever answers (its English words are the error's message); `token`
 * is the offending text, `position` its 0-based character offset in the parameter when known,
 * `parameter` the query parameter it came from.
 *
 * @example
 * new QueryError(odMessage('od.q.unexpected.token.none', { parameter: 'where', token: 'adn', pos: 12 }), 'adn', 12, 'where');
 */
export class QueryError extends Error {
  override name = 'QueryError';

  constructor(
    readonly reason: Message,
    readonly token: string,
    readonly position: number | null,
    readonly parameter: string,
  ) {
    super(renderMessage(reason, 'en'));
  }
}

/** What a parser expected where it found something else (said at the end of its message). */
type Expected =
  | { kind: 'symbol'; symbol: string }
  | { kind: 'word'; word: string }
  | { kind: 'column' | 'alias' | 'pattern' | 'inLikeBetween' | 'comparison' }
  | { kind: 'value'; column: string };

const MAX_CONDITIONS = 50;
const MAX_DEPTH = 20;
const MAX_IN_ITEMS = 100;
const MAX_SELECT_ITEMS = 100;
const MAX_TERMS = 10; // group_by and order_by
const ALIAS = /^[a-z][a-z0-9_]{0,62}$/;

// ---------------------------------------------------------------------------------------------
// Tokens

interface Token {
  /** word: unquoted name or keyword (value lower-cased); name: "quoted" name, never a keyword. */
  kind: 'word' | 'name' | 'string' | 'number' | 'symbol' | 'end';
  text: string;
  value: string;
  pos: number;
}

const LEXEME = /(\s+)|([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"]|"")*)"|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|(<=|>=|<>|!=|[(),*=<>])/y;

function lex(text: string, parameter: string): Token[] {
  const tokens: Token[] = [];
  for (let pos = 0; pos < text.length; ) {
    LEXEME.lastIndex = pos;
    const m = LEXEME.exec(text);
    if (!m) {
      const ch = text[pos]!;
      const reason =
        ch === "'"
          ? odMessage('od.q.unterminatedString', { parameter, pos })
          : ch === '"'
            ? odMessage('od.q.unterminatedName', { parameter, pos })
            : odMessage('od.q.unexpectedCharacter', { parameter, pos, char: ch });
      throw new QueryError(reason, ch, pos, parameter);
    }
    const [whole, , word, quoted, string, number, symbol] = m;
    const push = (kind: Token['kind'], value: string) => tokens.push({ kind, text: whole, value, pos });
    if (word !== undefined) push('word', word.toLowerCase());
    else if (quoted !== undefined) push('name', quoted.replace(/""/g, '"'));
    else if (string !== undefined) push('string', string.replace(/''/g, "'"));
    else if (number !== undefined) push('number', number);
    else if (symbol !== undefined) push('symbol', symbol === '!=' ? '<>' : symbol);
    pos += whole.length;
  }
  tokens.push({ kind: 'end', text: '', value: '', pos: text.length });
  return tokens;
}

class Parser {
  private index = 0;
  private readonly tokens: Token[];

  constructor(
    text: string,
    readonly parameter: string,
  ) {
    this.tokens = lex(text, parameter);
  }

  get peek(): Token {
    return this.tokens[this.index]!;
  }

  /** The token after the next one. */
  get lookahead(): Token {
    return this.tokens[Math.min(this.index + 1, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  isWord(...words: string[]): boolean {
    return this.peek.kind === 'word' && words.includes(this.peek.value);
  }

  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index++;
    return true;
  }

  acceptSymbol(symbol: string): boolean {
    if (this.peek.kind !== 'symbol' || this.peek.value !== symbol) return false;
    this.index++;
    return true;
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected({ kind: 'symbol', symbol });
  }

  /** A column name or alias: an unquoted word or a "quoted" name. */
  name(what: 'column' | 'alias'): Token {
    if (this.peek.kind !== 'word' && this.peek.kind !== 'name') throw this.unexpected({ kind: what });
    return this.next();
  }

  end(): void {
    if (this.peek.kind !== 'end') throw this.unexpected();
  }

  unexpected(expected?: Expected): QueryError {
    const t = this.peek;
    const { kind, ...params } = expected ?? { kind: 'none' as const };
    return this.error(`od.q.unexpected.${t.kind === 'end' ? 'end' : 'token'}.${kind}`, { token: t.text, pos: t.pos, ...params }, t);
  }

  /** A QueryError at `token`; its message is given the parameter's name. */
  error(code: OdCode, params: MessageParams, token: Token): QueryError {
    return new QueryError(odMessage(code, { parameter: this.parameter, ...params }), token.text, token.pos, this.parameter);
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax trees (plain data: their JSON is also the query's shape for cursors)

/** The aggregate functions select and order_by know. */
export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';
const AGGREGATES: readonly string[] = ['count', 'sum', 'avg', 'min', 'max'];

/** A column, or an aggregate of a column (`col` null for count(*)). */
export interface Term {
  fn: AggregateFn | null;
  col: QueryColumn | null;
}

/** One output of select: its name (alias or default) and the type of its values. */
export interface SelectItem extends Term {
  name: string;
  type: QueryColumnType;
}

/** One order_by term. */
export interface OrderTerm extends Term {
  desc: boolean;
}

/** A comparison operator (`!=` arrives as `<>`). */
export type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A where condition; values are canonical text for the column type's cast (see canonicalValue). */
export type Condition =
  | { op: 'and' | 'or'; args: Condition[] }
  | { op: 'not'; arg: Condition }
  | { op: 'compare'; col: QueryColumn; cmp: Comparison; value: string }
  | { op: 'in'; col: QueryColumn; negated: boolean; values: string[] }
  | { op: 'null'; col: QueryColumn; negated: boolean }
  | { op: 'like'; col: QueryColumn; negated: boolean; pattern: string }
  | { op: 'between'; col: QueryColumn; negated: boolean; low: string; high: string };

/** A dataset's columns by name: the only names a query may use. */
export type Columns = ReadonlyMap<string, QueryColumn>;

function column(p: Parser, columns: Columns, token: Token): QueryColumn {
  const col = columns.get(token.value);
  if (!col) throw new QueryError(odMessage('od.q.noColumn', { parameter: p.parameter, column: token.value }), token.value, token.pos, p.parameter);
  return col;
}

function isAggregateAhead(p: Parser): boolean {
  return p.peek.kind === 'word' && AGGREGATES.includes(p.peek.value) && p.lookahead.kind === 'symbol' && p.lookahead.value === '(';
}

/** `col` or `fn(col)` / `count(*)`, checked against the column types. */
function parseTerm(p: Parser, columns: Columns): Term {
  if (!isAggregateAhead(p)) return { fn: null, col: column(p, columns, p.name('column')) };
  const fnToken = p.next();
  const fn = fnToken.value as AggregateFn;
  p.expectSymbol('(');
  if (fn === 'count' && p.acceptSymbol('*')) {
    p.expectSymbol(')');
    return { fn, col: null };
  }
  const colToken = p.name('column');
  const col = column(p, columns, colToken);
  p.expectSymbol(')');
  const numeric = col.type === 'integer' || col.type === 'decimal';
  if ((fn === 'sum' || fn === 'avg') && !numeric) throw p.error('od.q.needsNumber', { fn, column: col.name, type: col.type }, colToken);
  if ((fn === 'min' || fn === 'max') && (col.type === 'boolean' || col.type === 'json')) {
    throw p.error('od.q.cannotTake', { fn, column: col.name, type: col.type }, colToken);
  }
  return { fn, col };
}

function termType(t: Term): QueryColumnType {
  if (t.fn === 'count') return 'integer';
  if (t.fn === 'avg') return 'decimal';
  return t.col!.type;
}

function termName(t: Term): string {
  if (!t.fn) return t.col!.name;
  return t.col ? `${t.fn}_${t.col.name}` : t.fn;
}

/**
 * Parses select: columns, `*`, aggregates, each with an optional `as alias`.
 *
 * @example
 * parseSelect('district, count(*) as n', columns, all); // [{ fn: null, col: district, name: 'district', … }, { fn: 'count', col: null, name: 'n', … }]
 */
export function parseSelect(text: string, columns: Columns, all: readonly QueryColumn[]): SelectItem[] {
  const p = new Parser(text, 'select');
  const items: SelectItem[] = [];
  do {
    const start = p.peek;
    const star = p.acceptSymbol('*');
    const terms: Term[] = star ? all.map((col) => ({ fn: null, col })) : [parseTerm(p, columns)];
    let alias: string | undefined;
    if (p.acceptWord('as')) {
      const token = p.name('alias');
      if (!ALIAS.test(token.value)) throw p.error('od.q.badAlias', { alias: token.value }, token);
      if (star) throw p.error('od.q.starAlias', {}, token);
      alias = token.value;
    }
    for (const term of terms) {
      const name = alias ?? termName(term);
      if (items.some((i) => i.name === name)) throw p.error('od.q.selectedTwice', { name }, start);
      items.push({ ...term, name, type: termType(term) });
    }
  } while (p.acceptSymbol(','));
  p.end();
  if (items.length > MAX_SELECT_ITEMS) throw new QueryError(odMessage('od.q.tooManyOutputs', { max: MAX_SELECT_ITEMS }), '', null, 'select');
  return items;
}

/**
 * Parses group_by: a comma list of columns (repeats dropped).
 *
 * @example
 * parseGroupBy('district, active', columns); // [district, active]
 */
export function parseGroupBy(text: string, columns: Columns): QueryColumn[] {
  const p = new Parser(text, 'group_by');
  const group: QueryColumn[] = [];
  do {
    const col = column(p, columns, p.name('column'));
    if (!group.includes(col)) group.push(col);
  } while (p.acceptSymbol(','));
  p.end();
  if (group.length > MAX_TERMS) throw new QueryError(odMessage('od.q.tooManyGroupColumns', { max: MAX_TERMS }), '', null, 'group_by');
  return group;
}

/**
 * Parses order_by: `name [asc|desc]`, where a name is an output of select (aliases first, as in
 * SQL) or a column; aggregates and their names only when the query is grouped, and then plain
 * columns only from group_by.
 *
 * @example
 * parseOrderBy('n desc, district', columns, items, true, [district]);
 */
export function parseOrderBy(text: string, columns: Columns, items: readonly SelectItem[], grouped: boolean, group: readonly QueryColumn[]): OrderTerm[] {
  const p = new Parser(text, 'order_by');
  const order: OrderTerm[] = [];
  do {
    const start = p.peek;
    let term: Term;
    if (isAggregateAhead(p)) {
      if (!grouped) throw p.error('od.q.aggregateNeedsGroup', { fn: start.value }, start);
      term = parseTerm(p, columns);
    } else {
      const token = p.name('column');
      const item = items.find((i) => i.name === token.value);
      term = item ? { fn: item.fn, col: item.col } : { fn: null, col: column(p, columns, token) };
    }
    if (!term.fn && grouped && !group.includes(term.col!)) {
      throw p.error('od.q.notGroupedOrSelected', { name: start.value }, start);
    }
    if (!term.fn && term.col!.type === 'json') throw p.error('od.q.orderByJson', { column: term.col!.name }, start);
    const desc = p.acceptWord('desc');
    if (!desc) p.acceptWord('asc');
    order.push({ ...term, desc });
  } while (p.acceptSymbol(','));
  p.end();
  if (order.length > MAX_TERMS) throw new QueryError(odMessage('od.q.tooManyOrderTerms', { max: MAX_TERMS }), '', null, 'order_by');
  return order;
}

/**
 * Parses where into a condition tree, with at most 50 conditions nested at most 20 deep.
 *
 * @example
 * parseWhere("district = '思明区' and pop between 100 and 500", columns);
 */
export function parseWhere(text: string, columns: Columns): Condition {
  return new WhereParser(new Parser(text, 'where'), columns).parse();
}

// where := or; or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | '(' or ')' | predicate
class WhereParser {
  private conditions = 0;
  private depth = 0;

  constructor(
    private readonly p: Parser,
    private readonly columns: Columns,
  ) {}

  parse(): Condition {
    const condition = this.or();
    this.p.end();
    return condition;
  }

  private or(): Condition {
    const args = [this.and()];
    while (this.p.acceptWord('or')) args.push(this.and());
    return args.length === 1 ? args[0]! : { op: 'or', args };
  }

  private and(): Condition {
    const args = [this.unary()];
    while (this.p.acceptWord('and')) args.push(this.unary());
    return args.length === 1 ? args[0]! : { op: 'and', args };
  }

  private unary(): Condition {
    const p = this.p;
    if (++this.depth > MAX_DEPTH) throw p.error('od.q.tooDeep', { max: MAX_DEPTH }, p.peek);
    let condition: Condition;
    if (p.acceptWord('not')) {
      condition = { op: 'not', arg: this.unary() };
    } else if (p.acceptSymbol('(')) {
      condition = this.or();
      p.expectSymbol(')');
    } else {
      condition = this.predicate();
    }
    this.depth--;
    return condition;
  }

  private predicate(): Condition {
    const p = this.p;
    const colToken = p.name('column');
    if (++this.conditions > MAX_CONDITIONS) throw p.error('od.q.tooManyConditions', { max: MAX_CONDITIONS }, colToken);
    const col = column(p, this.columns, colToken);
    if (p.acceptWord('is')) {
      const negated = p.acceptWord('not');
      if (!p.acceptWord('null')) throw p.unexpected({ kind: 'word', word: 'null' });
      return { op: 'null', col, negated };
    }
    if (col.type === 'json') throw p.error('od.q.jsonOnlyNull', { column: col.name }, colToken);
    const negated = p.acceptWord('not');
    if (p.acceptWord('in')) {
      p.expectSymbol('(');
      const values: string[] = [];
      do {
        if (values.length === MAX_IN_ITEMS) throw p.error('od.q.tooManyIn', { max: MAX_IN_ITEMS }, p.peek);
        values.push(this.literal(col));
      } while (p.acceptSymbol(','));
      p.expectSymbol(')');
      return { op: 'in', col, negated, values };
    }
    if (p.acceptWord('like')) {
      if (p.peek.kind !== 'string') throw p.unexpected({ kind: 'pattern' });
      const token = p.next();
      if (col.type !== 'text') throw p.error('od.q.likeNotText', { column: col.name, type: col.type }, token);
      // PostgreSQL rejects a pattern ending in its escape character (a lone trailing backslash).
      if (/(^|[^\\])(\\\\)*\\$/.test(token.value)) throw p.error('od.q.likeEscape', { pattern: token.text }, token);
      return { op: 'like', col, negated, pattern: token.value };
    }
    if (p.acceptWord('between')) {
      const low = this.literal(col);
      if (!p.acceptWord('and')) throw p.unexpected({ kind: 'word', word: 'and' });
      return { op: 'between', col, negated, low, high: this.literal(col) };
    }
    if (negated) throw p.unexpected({ kind: 'inLikeBetween' });
    const op = p.peek;
    if (op.kind !== 'symbol' || !['=', '<>', '<', '<=', '>', '>='].includes(op.value)) throw p.unexpected({ kind: 'comparison' });
    p.next();
    return { op: 'compare', col, cmp: op.value as Comparison, value: this.literal(col) };
  }

  /** A literal checked against the column's type, in the canonical text its cast accepts. */
  private literal(col: QueryColumn): string {
    const p = this.p;
    const token = p.peek;
    if (token.kind === 'word' && token.value === 'null') throw p.error('od.q.nullCompare', {}, token);
    const boolean = token.kind === 'word' && (token.value === 'true' || token.value === 'false');
    if (token.kind !== 'string' && token.kind !== 'number' && !boolean) throw p.unexpected({ kind: 'value', column: col.name });
    p.next();
    const fits = token.kind === 'string' || (token.kind === 'number' ? col.type === 'integer' || col.type === 'decimal' : col.type === 'boolean');
    const params = { value: token.text, column: col.name, type: col.type };
    if (!fits) throw p.error(col.type === 'text' ? 'od.q.notTextValue' : col.type === 'integer' ? 'od.q.notIntegerValue' : 'od.q.notTypeValue', params, token);
    const value = canonicalValue(col.type, token.value);
    if (value === null) throw p.error(INVALID[col.type] ?? 'od.q.invalidValue', params, token);
    return value;
  }
}

// A value that does not read as its column's type, said with how to write one where that helps.
const INVALID: Partial<Record<QueryColumnType, OdCode>> = {
  date: 'od.q.invalidDate',
  timestamp: 'od.q.invalidTimestamp',
  integer: 'od.q.invalidInteger',
  decimal: 'od.q.invalidDecimal',
};

// ---------------------------------------------------------------------------------------------
// Values

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return y >= 1 && days !== undefined && d >= 1 && d <= days;
}

/**
 * The text a value of `type` is bound as (its SQL cast parses it the same on every server), or
 * null when it is not one. Timestamps without an offset are UTC.
 *
 * @example
 * canonicalValue('timestamp', '2024-01-31 08:00'); // '2024-01-31T08:00:00Z'
 * canonicalValue('integer', 'abc'); // null
 */
export function canonicalValue(type: QueryColumnType, text: string): string | null {
  switch (type) {
    case 'text':
      return text;
    case 'integer': {
      if (!/^-?\d{1,19}$/.test(text)) return null;
      const n = BigInt(text);
      return n >= INT8_MIN && n <= INT8_MAX ? n.toString() : null;
    }
    case 'decimal':
      return /^-?\d+(\.\d+)?$/.test(text) || ['NaN', 'Infinity', '-Infinity'].includes(text) ? text : null;
    case 'date':
      return isDate(text) ? text : null;
    case 'timestamp': {
      const m = TIMESTAMP.exec(text);
      if (!m || !isDate(m[1]!)) return null;
      const [, day, hh = '00', mi = '00', ss = '00', fraction = '', zone = 'Z'] = m;
      const offsetHours = zone.length > 1 ? Number(zone.slice(1, 3)) : 0;
      const offsetMinutes = zone.length > 3 ? Number(zone.slice(-2)) : 0;
      if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59 || offsetHours > 14 || offsetMinutes > 59) return null;
      return `${day}T${hh}:${mi}:${ss}${fraction}${zone.toUpperCase()}`;
    }
    case 'boolean':
      return text === 'true' || text === 'false' ? text : null;
    case 'json':
      return null;
  }
}
