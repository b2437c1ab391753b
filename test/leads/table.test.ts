import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitWidths, renderTable, terminalWidth, wrapText } from '../../src/leads/table.ts';
import { countLine } from '../../src/apps/cli/commands/leads.ts';

const URL = 'https://shopee.vn/Giay-Nike-Air-Force-1-rep-1-1-i.123456789.987654321?sp_atk=abcdef-0123-4567-89ab-cdef01234567';
const rows = [
  [1, 'listing', 100, 'Giày Nike Air Force 1 rep 1:1 full box full tag hàng Quảng Châu cao cấp', URL],
  [22, 'shop', 87, 'Shop Hàng Hiệu Giá Rẻ 247', null],
];
const columns = ['id', 'kind', 'score', 'subject', 'url'];
const lineWidths = (table: string) => table.trimEnd().split('\n').map(displayWidth);

describe('terminal tables', () => {
  it('fit the given width, narrowing the widest columns first', () => {
    for (const width of [60, 80, 120]) {
      const table = renderTable(columns, rows, { width });
      expect(Math.max(...lineWidths(table))).toBeLessThanOrEqual(width);
      // Short columns stay whole; the long subject and URL are the ones cut.
      expect(table).toContain('listing');
      expect(table).toContain('…');
    }
  });

  it('never cut a value with full, URLs included', () => {
    const table = renderTable(columns, rows, { width: 60, full: true });
    expect(table).toContain(URL);
    expect(table).toContain('Giày Nike Air Force 1 rep 1:1 full box full tag hàng Quảng Châu cao cấp');
    expect(table).not.toContain('…');
  });

  it('keep times whole when fitting', () => {
    const table = renderTable(['id', 'subject', 'at'], [[1, 'x'.repeat(200), new Date('2026-12-01T18:09:46Z')]], { width: 70 });
    expect(table).toContain('2026-12-02 01:09:46 +07:00');
    expect(Math.max(...lineWidths(table))).toBeLessThanOrEqual(70);
  });

  it('use the terminal width, or 120 when stdout is not a terminal', () => {
    expect(terminalWidth({ isTTY: true, columns: 93 })).toBe(93);
    expect(terminalWidth({ isTTY: false, columns: 93 })).toBe(120);
    expect(terminalWidth({})).toBe(120);
  });

  it('column widths never exceed the natural width and fill the target when cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 40, max: 300 }),
        (natural, width) => {
          const headers = natural.map((n) => Math.min(n, 10));
          const widths = fitWidths(natural, headers, width);
          widths.forEach((w, i) => expect(w).toBeLessThanOrEqual(natural[i]!));
          const total = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
          const naturalTotal = natural.reduce((a, b) => a + b, 0) + 2 * (natural.length - 1);
          if (naturalTotal <= width) expect(widths).toEqual(natural);
          const floors = natural.map((n, i) => Math.min(n, Math.max(8, Math.min(headers[i]!, 12))));
          const floorTotal = floors.reduce((a, b) => a + b, 0) + 2 * (floors.length - 1);
          if (floorTotal <= width) expect(total).toBeLessThanOrEqual(width);
        },
      ),
    );
  });

  it('wrap text at word boundaries without losing a word (property)', () => {
    const reasons =
      'Title suggests smuggled or grey-import goods ("noi dia trung"); Brand name spaced out or split to dodge filters ("g u c c i" → Gucci)';
    const lines = wrapText(reasons, 40);
    expect(lines.every((l) => displayWidth(l) <= 40)).toBe(true);
    expect(lines.join(' ')).toBe(reasons);
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zà-ỹ]{1,15}$/), { maxLength: 30 }), fc.integer({ min: 5, max: 50 }), (words, width) => {
        const text = words.join(' ');
        const wrapped = wrapText(text, width);
        wrapped.forEach((l) => expect(displayWidth(l)).toBeLessThanOrEqual(width));
        expect(wrapped.join(' ').replace(/\s+/g, '')).toBe(text.normalize('NFC').replace(/\s+/g, ''));
      }),
    );
  });

  it('print the total next to what is shown', () => {
    expect(countLine(500, 877, 'lead')).toBe('500 of 877 leads');
    expect(countLine(3, 3, 'lead')).toBe('3 leads');
    expect(countLine(1, 1, 'lead')).toBe('1 lead');
    expect(countLine(0, 0, 'row')).toBe('0 rows');
  });
});
