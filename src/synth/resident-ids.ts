/**
 * Hands out unique resident ID numbers. GB 11643 leaves 499 odd sequence numbers (men) and 499
 * even ones (women) per area code and birth date; the allocator counts how many of each it
 * has given and maps the count through a bijection of 0…498 chosen per (area, date), so the
 * sequences look scattered yet can never repeat. Numbers are allocated in person order, so the
 * same city always gets the same numbers.
 */
import { makeResidentId } from '../platform/ids';
import { formatDay } from './calendar';
import { hashString } from './random';

const SLOTS = 499; // prime: k ↦ (a·k + b) mod 499 is a bijection for any a in 1…498

interface AreaCounters {
  hash: number;
  /** Per day since `firstDay`, two counters: [male, female]. */
  counts: Uint16Array;
}

/**
 * The allocator of one city.
 *
 * @example
 * const ids = new ResidentIdAllocator(parseDay('1900-01-01'), parseDay('2026-06-30'));
 * ids.allocate('350203', parseDay('1990-03-07'), 'male'); // '350203199003071…'
 */
export class ResidentIdAllocator {
  private readonly areas = new Map<string, AreaCounters>();

  constructor(
    private readonly firstDay: number,
    private readonly lastDay: number,
  ) {}

  /** A new ID number for someone of this area, birth day and sex. */
  allocate(areaCode: string, birthDay: number, sex: 'male' | 'female'): string {
    if (birthDay < this.firstDay || birthDay > this.lastDay) throw new RangeError(`birth day outside ${formatDay(this.firstDay)}…${formatDay(this.lastDay)}`);
    let area = this.areas.get(areaCode);
    if (!area) {
      area = { hash: hashString(areaCode)[0], counts: new Uint16Array((this.lastDay - this.firstDay + 1) * 2) };
      this.areas.set(areaCode, area);
    }
    const slot = (birthDay - this.firstDay) * 2 + (sex === 'male' ? 0 : 1);
    const k = area.counts[slot]!;
    if (k >= SLOTS) throw new RangeError(`more than ${SLOTS} ${sex} people born on ${formatDay(birthDay)} in ${areaCode}: the city is too large`);
    area.counts[slot] = k + 1;
    const mix = Math.imul(area.hash ^ Math.imul(birthDay + 0x7f4a7c15, 0x9e3779b1), 0x85ebca6b) >>> 0;
    const a = 1 + (mix % (SLOTS - 1));
    const b = (mix >>> 11) % SLOTS;
    const scattered = (a * k + b) % SLOTS;
    const sequence = sex === 'male' ? 2 * scattered + 1 : 2 * scattered + 2;
    return makeResidentId({ areaCode, birthDate: formatDay(birthDay), sequence });
  }
}
