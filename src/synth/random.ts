/**
 * Seeded randomness for the synthetic city. Every entity draws from its own stream,
 * derived from (seed, stream name, index), so what one household, company or unit looks
 * like does not depend on how many numbers anything else drew before it.
 *
 * Only integer and basic floating-point arithmetic is used (no `Math.log`, `Math.pow`, …):
 * their last bits may differ between JavaScript engines, and the output must be byte-identical.
 */

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 128-bit hash (cyrb128) of a string's UTF-16 code units, as four unsigned 32-bit words.
 *
 * @example
 * hashString('xiamen'); // [4 numbers], the same on every machine
 */
export function hashString(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * A stream's name as a 32-bit tag; compute it once, at module load, not per draw.
 *
 * @example
 * const MEMBERS = streamTag('members');
 */
export function streamTag(name: string): number {
  return hashString(name)[0];
}

/**
 * A small fast generator (sfc32, 128-bit state). Create one through {@link CitySeed.random}.
 *
 * @example
 * const r = new CitySeed('xiamen').random(streamTag('demo'), 0);
 * r.int(6); // 0–5
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** An unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [0, n); 0 when n ≤ 0. */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi], both included. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** An index drawn with the weights whose running totals are `cumulative` (see {@link cumulativeWeights}). */
  weighted(cumulative: ArrayLike<number>): number {
    const n = cumulative.length;
    const target = this.float() * cumulative[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * The seed of a city: hashes the seed text once and hands out independent streams.
 *
 * @example
 * const seed = new CitySeed('xiamen');
 * seed.random(streamTag('household'), 42).int(100); // the same number on every run
 */
export class CitySeed {
  readonly words: readonly [number, number, number, number];

  constructor(readonly text: string) {
    this.words = hashString(`ludao-synth:${text}`);
  }

  /** The stream of entity `index` (a non-negative integer below 2^53) for a stream tag. */
  random(tag: number, index: number): Random {
    const [s0, s1, s2, s3] = this.words;
    const lo = index >>> 0;
    const hi = Math.floor(index / 4294967296) >>> 0;
    return new Random(
      fmix32(s0 ^ tag),
      fmix32(s1 ^ lo ^ Math.imul(tag, 0x27d4eb2f)),
      fmix32(s2 ^ Math.imul((lo + 0x9e3779b9) | 0, 0x165667b1) ^ hi),
      s3 ^ fmix32(lo ^ tag),
    );
  }

  /** A 32-bit number of this seed for a purpose (e.g. a salt), without a stream. */
  salt(tag: number): number {
    return fmix32(this.words[0] ^ fmix32(this.words[1] ^ tag));
  }
}

/**
 * Running totals of weights, for {@link Random.weighted}.
 *
 * @example
 * cumulativeWeights([1, 3]); // Float64Array [1, 4]
 */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!;
    out[i] = sum;
  }
  return out;
}

/**
 * Shuffles the first `length` items of an array in place (Fisher–Yates).
 *
 * @example
 * shuffleInPlace(Int32Array.from([0, 1, 2, 3]), seed.random(streamTag('occupancy'), 0));
 */
export function shuffleInPlace(items: Int32Array, random: Random, length = items.length): void {
  for (let i = length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}
