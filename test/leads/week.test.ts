import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hcmLocalTime, isoWeekOf, parseIsoWeek } from '../../src/leads/week.ts';

describe('ISO weeks in Asia/Ho_Chi_Minh', () => {
  it('starts 2026-W48 on Monday 23 November 00:00 in Hanoi, which is Sunday 17:00 UTC', () => {
    const week = parseIsoWeek('2026-W48');
    expect(week.start.toISOString()).toBe('2026-11-22T17:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-11-29T17:00:00.000Z');
  });

  it('puts Sunday 23:30 local in the old week and Monday 00:00 local in the new one', () => {
    expect(isoWeekOf(new Date('2026-11-22T16:30:00Z')).label).toBe('2026-W47');
    expect(isoWeekOf(new Date('2026-11-22T16:59:59.999Z')).label).toBe('2026-W47');
    expect(isoWeekOf(new Date('2026-11-22T17:00:00Z')).label).toBe('2026-W48');
  });

  it('handles year boundaries and 53-week years', () => {
    // 1 Jan 2027 (Friday) belongs to 2026-W53; 2026 has 53 ISO weeks.
    expect(isoWeekOf(new Date('2027-01-01T05:00:00Z')).label).toBe('2026-W53');
    expect(parseIsoWeek('2026-W53').end.toISOString()).toBe(parseIsoWeek('2027-W01').start.toISOString());
    expect(() => parseIsoWeek('2027-W53')).toThrow(/52 ISO weeks/);
    // 31 Dec 2024 17:30 UTC is already 1 Jan 2025 in Hanoi, still 2025-W01.
    expect(isoWeekOf(new Date('2024-12-31T17:30:00Z')).label).toBe('2025-W01');
    expect(hcmLocalTime(new Date('2024-12-31T17:30:00Z'))).toBe('2025-01-01 00:30:00');
  });

  it('every instant lies inside the week it is assigned to, and weeks round-trip through their label', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (instant) => {
        const week = isoWeekOf(instant);
        expect(week.start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(week.end.getTime()).toBeGreaterThan(instant.getTime());
        expect(week.end.getTime() - week.start.getTime()).toBe(7 * 86_400_000);
        expect(parseIsoWeek(week.label).start.getTime()).toBe(week.start.getTime());
      }),
    );
  });

  it('arbitrary text never throws anything but a clear error', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseIsoWeek(text);
        } catch (error) {
          expect((error as Error).message).toMatch(/ISO week|ISO weeks/);
        }
      }),
    );
  });
});
