import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkingDayCalendar, WorkingDayCalendar } from './working-days';

let calendar: WorkingDayCalendar;
beforeAll(async () => {
  calendar = await loadWorkingDayCalendar();
});

describe('the shipped calendar', () => {
  it('covers 2024 to 2026', () => {
    expect(calendar.coveredYears()).toEqual([2024, 2025, 2026]);
  });

  // A cross-check on the data as a whole: every statutory holiday is either a weekday off or
  // is moved to one, and every other day taken off is paid back by a make-up weekend day, so
  // a year has (days − 104 weekend days − statutory days) working days. The law gave 11
  // statutory days until 2024 and 13 from 2025. All three years have exactly 104 weekend days.
  it.each([
    [2024, 366 - 104 - 11],
    [2025, 365 - 104 - 13],
    [2026, 365 - 104 - 13],
  ])('has the legal number of working days in %i (%i)', (year, expected) => {
    expect(calendar.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`)).toBe(expected);
  });
});

describe('isWorkingDay', () => {
  it('counts a make-up Sunday as a working day', () => {
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true); // Sun, worked for National Day 2025
    expect(calendar.isWorkingDay('2026-01-04')).toBe(true); // Sun, worked for New Year 2026
  });

  it('does not count a plain weekend', () => {
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Sat
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sun
  });

  it('does not count a weekday inside a holiday', () => {
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false); // Mon, 除夕
    expect(calendar.isWorkingDay('2025-10-08')).toBe(false); // Wed, last day of National Day + Mid-Autumn
  });

  it('counts 2024 New Year’s Eve (除夕 2024-02-09): the notice only encouraged a day off', () => {
    expect(calendar.isWorkingDay('2024-02-09')).toBe(true);
  });

  it('reads an instant as the date in Shanghai (UTC+8)', () => {
    // 17:00Z on Fri 13 Feb is 01:00 on Sat 14 Feb in Shanghai: a make-up working day.
    expect(calendar.isWorkingDay(new Date('2026-02-13T17:00:00Z'))).toBe(true);
    // 16:00Z on Sat 14 Feb is 00:00 on Sun 15 Feb in Shanghai: the first day of Spring Festival.
    expect(calendar.isWorkingDay(new Date('2026-02-14T16:00:00Z'))).toBe(false);
    // 15:59:59Z on Sat 28 Feb is still Saturday 23:59:59 in Shanghai (make-up); a second later is Sunday.
    expect(calendar.isWorkingDay(new Date('2026-02-28T15:59:59Z'))).toBe(true);
    expect(calendar.isWorkingDay(new Date('2026-02-28T16:00:00Z'))).toBe(false);
  });

  it('refuses strings that are not calendar dates and invalid Dates', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(/Not a calendar date/);
    expect(() => calendar.isWorkingDay('2026/02/13')).toThrow(/YYYY-MM-DD/);
    expect(() => calendar.isWorkingDay(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('addWorkingDays (the 10-working-day answer deadline)', () => {
  it('runs across Spring Festival 2026 and both make-up Saturdays', () => {
    // Submitted Thu 12 Feb (10:00 Shanghai); the 12th itself does not count.
    // 1 Fri 13, 2 Sat 14 (make-up), Sun 15 – Mon 23 off, 3 Tue 24, 4 Wed 25, 5 Thu 26, 6 Fri 27,
    // 7 Sat 28 (make-up), Sun 1 Mar off, 8 Mon 2, 9 Tue 3, 10 Wed 4 Mar → end of 4 Mar in Shanghai.
    const deadline = calendar.addWorkingDays(new Date('2026-02-12T02:00:00Z'), 10);
    expect(deadline.toISOString()).toBe('2026-03-04T15:59:59.999Z');
  });

  it('runs across National Day and Mid-Autumn 2025', () => {
    // Submitted Fri 26 Sep. Sat 27 off, 1 Sun 28 (make-up), 2 Mon 29, 3 Tue 30, 1–8 Oct off,
    // 4 Thu 9, 5 Fri 10, 6 Sat 11 (make-up), Sun 12 off, 7 Mon 13, 8 Tue 14, 9 Wed 15, 10 Thu 16.
    const deadline = calendar.addWorkingDays(new Date('2025-09-26T09:30:00+08:00'), 10);
    expect(deadline.toISOString()).toBe('2025-10-16T15:59:59.999Z');
  });

  it('starts counting from the Shanghai date of submission, not the UTC one', () => {
    // 2026-02-13T17:00Z is Sat 14 Feb 01:00 in Shanghai, so the 14th is the (uncounted) day of
    // submission: 1 Tue 24, 2 Wed 25, 3 Thu 26, 4 Fri 27, 5 Sat 28, 6 Mon 2, 7 Tue 3, 8 Wed 4,
    // 9 Thu 5, 10 Fri 6 Mar. Read in UTC (Fri 13) it would wrongly end on Thu 5 Mar.
    const deadline = calendar.addWorkingDays(new Date('2026-02-13T17:00:00Z'), 10);
    expect(deadline.toISOString()).toBe('2026-03-06T15:59:59.999Z');
  });

  it('does not count the day of submission even when submitted at the first minute', () => {
    // Mon 2 Mar 2026 00:00 Shanghai: the 1st working day after it is Tue 3 Mar.
    expect(calendar.addWorkingDays(new Date('2026-03-01T16:00:00Z'), 1).toISOString()).toBe('2026-03-03T15:59:59.999Z');
  });

  it('refuses a count that is not a positive whole number', () => {
    const start = new Date('2026-03-02T02:00:00Z');
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => calendar.addWorkingDays(start, n)).toThrow(RangeError);
    }
  });

  it('agrees with workingDaysBetween on every start day of 2025 and 2026', () => {
    for (let t = Date.parse('2025-01-01T02:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 86_400_000) {
      const start = new Date(t);
      const deadline = calendar.addWorkingDays(start, 10);
      expect(calendar.workingDaysBetween(start, deadline)).toBe(10);
      expect(calendar.isWorkingDay(deadline)).toBe(true);
    }
  });
});

describe('workingDaysBetween (overdue checks and "N working days left")', () => {
  it('counts days after the day of from, up to and including the day of to', () => {
    // After Thu 12 Feb 2026 up to Mon 23 Feb: Fri 13 and the make-up Sat 14 only.
    expect(calendar.workingDaysBetween(new Date('2026-02-12T02:00:00Z'), new Date('2026-02-23T08:00:00Z'))).toBe(2);
    // One more day, Tue 24 Feb, is the first working day after the holiday.
    expect(calendar.workingDaysBetween('2026-02-12', '2026-02-24')).toBe(3);
  });

  it('is 0 when to is on or before the day of from', () => {
    expect(calendar.workingDaysBetween(new Date('2026-03-02T01:00:00Z'), new Date('2026-03-02T09:00:00Z'))).toBe(0);
    expect(calendar.workingDaysBetween('2026-03-05', '2026-03-02')).toBe(0);
  });

  it('reads both ends in Shanghai time', () => {
    // to = 16:30Z on Mon 2 Mar is already Tue 3 Mar in Shanghai.
    expect(calendar.workingDaysBetween('2026-03-02', new Date('2026-03-02T16:30:00Z'))).toBe(1);
  });
});

describe('years the data does not cover', () => {
  it('falls back to Monday to Friday and says so through covers()', () => {
    expect(calendar.covers('2030-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2030-10-01')).toBe(true); // Tue, surely National Day, but no notice yet
    expect(calendar.isWorkingDay('2030-10-05')).toBe(false); // Sat
    expect(calendar.covers('2026-12-31')).toBe(true);
    // 16:00Z on 31 Dec 2026 is already 1 Jan 2027 in Shanghai.
    expect(calendar.covers(new Date('2026-12-31T16:00:00Z'))).toBe(false);
  });

  it('lets a deadline run into an uncovered year, which covers() then flags', () => {
    // Submitted Thu 24 Dec 2026: 1 Fri 25, 2 Mon 28, 3 Tue 29, 4 Wed 30, 5 Thu 31 Dec, then
    // plain Mon–Fri in 2027: 6 Fri 1 Jan, 7 Mon 4, 8 Tue 5, 9 Wed 6, 10 Thu 7 Jan.
    const deadline = calendar.addWorkingDays('2026-12-24', 10);
    expect(deadline.toISOString()).toBe('2027-01-07T15:59:59.999Z');
    expect(calendar.covers(deadline)).toBe(false);
  });
});

describe('malformed calendar data', () => {
  const year = (holidays: unknown[], workdays: unknown[]) => ({ years: { '2026': { holidays, workdays } } });

  it.each([
    ['a non-date', year(['2026-02-30'], []), 'years.2026.holidays[0] "2026-02-30" is not a real date'],
    ['a date in another form', year([], ['2026/02/14']), 'years.2026.workdays[0] "2026/02/14" is not a real date'],
    ['a date in both lists', year(['2026-02-14'], ['2026-02-14']), 'years.2026.workdays[0] "2026-02-14" is also listed as a holiday'],
    ['a weekday make-up day', year([], ['2026-02-13']), 'years.2026.workdays[0] "2026-02-13" is a Friday; a make-up working day (调休上班) must be a Saturday or Sunday'],
    ['a date under the wrong year', year(['2025-10-01'], []), 'years.2026.holidays[0] "2025-10-01" is not in 2026'],
    ['a missing list', { years: { '2026': { holidays: [] } } }, 'years.2026.workdays must be a list'],
    ['a misspelt key', { years: { '2026': { holidays: [], workdays: [], workday: [] } } }, 'years.2026: unknown key "workday"'],
    ['a bad year key', { years: { '26': { holidays: [], workdays: [] } } }, 'years: "26" is not a four-digit year'],
    ['no years at all', { holidays: [] }, 'expected an object with a "years" object'],
  ])('refuses %s', (_label, data, message) => {
    expect(() => WorkingDayCalendar.fromJson(data, 'test.json')).toThrow(`test.json: ${message}`);
  });

  describe('from a file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ludao-workdays-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('names the file and the bad entry', async () => {
      const file = join(dir, 'cn-workdays.json');
      await writeFile(file, JSON.stringify(year(['2026-02-17'], ['2026-02-14', '2026-02-16'])));
      await expect(loadWorkingDayCalendar(file)).rejects.toThrow(`${file}: years.2026.workdays[1] "2026-02-16" is a Monday`);
    });

    it('names the file when it is not JSON or cannot be read', async () => {
      const file = join(dir, 'broken.json');
      await writeFile(file, '{ "years": { "2026": ');
      await expect(loadWorkingDayCalendar(file)).rejects.toThrow(`${file}: not valid JSON`);
      await expect(loadWorkingDayCalendar(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read working-day calendar .*missing\.json/);
    });

    it('loads a valid file', async () => {
      const file = join(dir, 'good.json');
      await writeFile(file, JSON.stringify({ source: 'test', ...year(['2026-02-16'], ['2026-02-14']) }));
      const loaded = await loadWorkingDayCalendar(file);
      expect(loaded.source).toBe('test');
      expect(loaded.isWorkingDay('2026-02-14')).toBe(true);
      expect(loaded.isWorkingDay('2026-02-16')).toBe(false);
    });
  });
});
