import { describe, expect, it } from 'vitest';
import { chinaDay, secondsToChinaMidnight } from './china-time';

describe('China time', () => {
  it('gives the calendar day in China, eight hours ahead of UTC', () => {
    expect(chinaDay(new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
    expect(chinaDay(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
    expect(chinaDay(Date.parse('2026-12-31T20:00:00Z'))).toBe('2027-01-01');
  });

  it('counts the seconds to the next midnight in China, never zero', () => {
    expect(secondsToChinaMidnight(Date.parse('2026-11-25T15:59:00Z'))).toBe(60);
    expect(secondsToChinaMidnight(Date.parse('2026-11-25T15:59:59.500Z'))).toBe(1);
    expect(secondsToChinaMidnight(Date.parse('2026-11-25T16:00:00Z'))).toBe(86_400);
  });
});
