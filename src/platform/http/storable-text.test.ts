import { describe, expect, it } from 'vitest';
import { findUnstorable } from './storable-text';

describe('findUnstorable', () => {
  it('names the first NUL or lone surrogate in document order, keys included', () => {
    expect(findUnstorable({ a: 'ok', b: ['x', 'y\u0000'], c: 'z\u0000' }, '/body')).toBe('/body/b/1');
    expect(findUnstorable({ 'a/b~': { c: '\ud800' } }, '/body')).toBe('/body/a~1b~0/c');
    expect(findUnstorable({ ok: 1, 'k\u0000': 2 }, '/body')).toBe('/body/k\u0000');
    // A surrogate pair is a character like any other.
    expect(findUnstorable({ name: '𠀋', n: 1, t: true, z: null }, '/body')).toBeNull();
  });

  it('walks a value nested far deeper than the stack goes, and skips what a route checks itself', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorable(deep, '/body')).toBe(`/body${'/0'.repeat(100_000)}`);
    expect(findUnstorable({ records: [{ v: '\u0000' }], key: 'k' }, '/body', ['/body/records'])).toBeNull();
  });
});
