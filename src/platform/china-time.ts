/** China keeps one time zone, UTC+8, without daylight saving. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * The calendar day in China time of an instant, as YYYY-MM-DD: validity dates, "today" in
 * predicates, the call log's partitions, quotas per day.
 *
 * @example
 * chinaDay(new Date('2026-11-25T17:00:00Z')); // '2026-11-26'
 */
export function chinaDay(at: Date | number = Date.now()): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Whole seconds from an instant to the next midnight in China (at least 1): when a daily
 * quota resets.
 *
 * @example
 * secondsToChinaMidnight(Date.parse('2026-11-25T15:59:00Z')); // 60
 */
export function secondsToChinaMidnight(at: Date | number = Date.now()): number {
  const local = (typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS;
  return Math.max(1, Math.ceil((86_400_000 - (local % 86_400_000)) / 1000));
}
