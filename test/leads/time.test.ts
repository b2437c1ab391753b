import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/core/time.ts';
import { cellText, toCsv } from '../../src/leads/format.ts';
import { exportColumns } from '../../src/leads/export-columns.ts';

describe('one time format', () => {
  it('shows Asia/Ho_Chi_Minh wall-clock time with its offset, or UTC when asked', () => {
    const instant = new Date('2026-12-01T18:09:46.105Z');
    expect(formatInstant(instant)).toBe('2026-12-02 01:09:46 +07:00');
    expect(formatInstant(instant, { zone: 'utc' })).toBe('2026-12-01 18:09:46 +00:00');
    expect(formatInstant(new Date('2024-12-31T17:30:00Z'))).toBe('2025-01-01 00:30:00 +07:00');
    expect(formatInstant(new Date(Number.NaN))).toBe('');
  });

  it('is what tables, CSV and the exports print', () => {
    const instant = new Date('2026-12-01T18:09:46Z');
    expect(cellText(instant)).toBe('2026-12-02 01:09:46 +07:00');
    expect(cellText(instant, { zone: 'utc' })).toBe('2026-12-01 18:09:46 +00:00');
    expect(toCsv(['t'], [[instant]], { bom: false })).toBe('t\r\n2026-12-02 01:09:46 +07:00\r\n');
    const first = exportColumns().find((c) => c.header.includes('First flagged'))!;
    const firstUtc = exportColumns('utc').find((c) => c.header.includes('First flagged'))!;
    const row = { first_flagged_at: instant } as Parameters<typeof first.value>[0];
    expect(first.value(row)).toBe('2026-12-02 01:09:46 +07:00');
    expect(firstUtc.value(row)).toBe('2026-12-01 18:09:46 +00:00');
  });

  it('reads back as the same instant for any date (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true, min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z') }),
        fc.constantFrom('hcm', 'utc' as const),
        (date, zone) => {
          const text = formatInstant(date, { zone: zone });
          const [day, time, offset] = text.split(' ');
          const back = new Date(`${day}T${time}${offset}`);
          expect(back.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
    );
  });
});
