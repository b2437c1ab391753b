import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, slug, toCsv } from '../../src/leads/format.ts';
import { renderTable } from '../../src/leads/table.ts';

/** A strict RFC 4180 reader, to check that what we write reads back cell for cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('formula neutralisation and CSV', () => {
  it('prefixes every formula trigger and leaves other text alone', () => {
    for (const t of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(t)).toBe(`'${t}`);
    for (const t of ['', 'Giày Nike', "'=already", '1=1']) expect(neutraliseFormula(t)).toBe(t);
  });

  it('reads back every text cell exactly, neutralised, with a BOM and CRLF rows', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 2, maxLength: 2 }), { maxLength: 10 }), (rows) => {
        const csv = toCsv(['a', 'b'], rows);
        expect(csv.startsWith('\uFEFF')).toBe(true);
        const back = parseCsv(csv.slice(1));
        expect(back).toEqual([['a', 'b'], ...rows.map((r) => r.map(neutraliseFormula))]);
        for (const r of back.slice(1)) for (const c of r) expect(/^[=+\-@\t\r]/.test(c)).toBe(false);
      }),
    );
  });

  it('keeps numbers numeric (a negative number is data, not a formula)', () => {
    expect(toCsv(['n'], [[-5]], { bom: false })).toBe('n\r\n-5\r\n');
  });

  it('slugs any province name to ASCII file-name text', () => {
    expect(slug('Thành phố Hồ Chí Minh')).toBe('thanh-pho-ho-chi-minh');
    expect(slug('Tỉnh Đắk Lắk')).toBe('tinh-dak-lak');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(slug(text)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
    );
  });

  it('renders any cells as a table without throwing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.date({ noInvalidDate: true })), {
            minLength: 2,
            maxLength: 2,
          }),
          { maxLength: 5 },
        ),
        (rows) => {
          const table = renderTable(['x', 'y'], rows);
          expect(table.split('\n').length).toBe(rows.length + 3);
        },
      ),
    );
  });
});
