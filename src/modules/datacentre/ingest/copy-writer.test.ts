import { describe, expect, it } from 'vitest';
import { CopyWriter } from './copy-writer';

// COPY text as PostgreSQL reads it, made the plain way: escape, then let Buffer encode UTF-8.
function expected(values: unknown[]): Buffer {
  const text = values
    .map((v) => (v === null ? '\\N' : (typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')))
    .join('\t');
  return Buffer.from(`${text}\n`);
}

function written(values: unknown[], size = 64): Buffer {
  const out = new CopyWriter(size);
  values.forEach((v, i) => {
    if (i > 0) out.tab();
    out.value(v);
  });
  out.newline();
  return Buffer.from(out.ownBytes());
}

describe('CopyWriter', () => {
  it('writes values as COPY text in UTF-8, byte for byte as escaping and Buffer.from would', () => {
    const hard = [
      '厦门市思明区',
      'a\tb\nc\rd\\e',
      '𠮷野家 😀', // characters outside the BMP: surrogate pairs, 4 bytes each
      'end with a lone high \ud842',
      '\udfb7 a lone low one first',
      'é ß ☃ ‰', // 2- and 3-byte characters
      '',
      'x'.repeat(500), // longer than the writer's first buffer: it grows
    ];
    const values = [...hard, null, 42, -0.5, true, false, { lon: 118.1, lat: 24.5, note: '鹭岛\t' }, ['a', 1]];
    expect(written(values)).toEqual(expected(values));
    for (const v of hard) expect(written([v], 4)).toEqual(expected([v]));
  });

  it('cuts chunks from two buffers that take turns, each valid until the cut after next', () => {
    const out = new CopyWriter(16);
    out.text('first');
    const first = out.cut();
    out.text('second');
    const second = out.cut();
    expect(Buffer.from(first).toString()).toBe('first');
    expect(Buffer.from(second).toString()).toBe('second');
    out.text('third, longer than the buffer was');
    const third = out.cut();
    expect(Buffer.from(third).toString()).toBe('third, longer than the buffer was');
    expect(Buffer.from(second).toString()).toBe('second'); // the other buffer is untouched
    expect(out.used).toBe(0);
  });
});
