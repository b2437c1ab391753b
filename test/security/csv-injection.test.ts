// Issue 16, high: CSV exports neutralised only the start of a cell. Excel and LibreOffice in a
// Vietnamese locale split on `;`, so a title `Giày Nike;=1+2;` became a live formula, and so did
// an embedded newline followed by `=`.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { neutraliseCsvText } from '../../src/leads/csv-cell.ts';
import { exportWeeklyLeads } from '../../src/leads/export.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { servicesRequired } from '../helpers/services.ts';
import { listingCandidate, seedShopsAndListings } from '../leads/seed.ts';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
const SEPARATORS = [';', ',', '\t', '\r', '\n'];

describe('neutraliseCsvText', () => {
  it('leaves no cell beginning with a trigger under any separator (property)', () => {
    const piece = fc.string({ unit: fc.constantFrom(...TRIGGERS, ...SEPARATORS, ' ', '\u00A0', 'a', 'Đ', '1', '"', "'"), maxLength: 30 });
    fc.assert(
      fc.property(piece, (text) => {
        const safe = neutraliseCsvText(text);
        for (const separator of SEPARATORS) {
          for (const cell of safe.split(separator)) {
            const start = cell.replace(/^[ \u00A0]+/, '');
            // A cell may begin with a separator character of another dialect (e.g. `\n` when split on `\r`); judge what follows.
            expect(TRIGGERS.includes(start[0] ?? '') && !SEPARATORS.includes(start[0]!) ? start : 'ok').toBe('ok');
            if (start[0] === '\t' || start[0] === '\r') expect(SEPARATORS.includes(start[0])).toBe(true);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('changes only what could begin a cell', () => {
    expect(neutraliseCsvText('Giày Nike;=1+2;')).toBe("Giày Nike;'=1+2;");
    expect(neutraliseCsvText('Áo\n=3*4')).toBe("Áo\n'=3*4");
    expect(neutraliseCsvText('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutraliseCsvText('a, -5%')).toBe("a, '-5%");
    expect(neutraliseCsvText('＝1+2')).toBe("'＝1+2");
    expect(neutraliseCsvText('Giảm 50% - freeship')).toBe('Giảm 50% - freeship');
    expect(neutraliseCsvText('a=b+c@d')).toBe('a=b+c@d');
  });
});

const libreoffice = ['libreoffice', 'soffice'].find((bin) => spawnSync('which', [bin]).status === 0);
if (!libreoffice && servicesRequired) throw new Error('libreoffice is required (REQUIRE_SERVICES=1)');

describe.skipIf(!libreoffice)('a CSV export opened in LibreOffice holds no formula, with `;` or `,` as separator', () => {
  let db: PgliteDb;
  let out: string;
  let csvFile: string;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    out = mkdtempSync(path.join(tmpdir(), 'radar-csv-lo-'));
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'hcm', name: 'Shop;=1+2;\n=3*4', provinceCode: 79, provinceName: 'Thành phố Hồ Chí Minh' }],
      [
        { externalId: 'a', shopExternalId: 'hcm', title: 'Giày Nike;=1+2;', brand: 'Nike' },
        { externalId: 'b', shopExternalId: 'hcm', title: 'Áo khoác\n=3*4', brand: 'Nike' },
        { externalId: 'c', shopExternalId: 'hcm', title: 'Túi, =HYPERLINK("http://x";"y");＝1+1;\t+5', brand: 'Nike' },
      ],
    );
    await upsertLeads(
      db,
      [...listingIds.values()].map((id) => listingCandidate(id, 80)),
      new Date('2026-11-24T02:00:00Z'),
    );
    const { files } = await exportWeeklyLeads(db, { week: '2026-W48', format: 'csv', outDir: out });
    csvFile = files[0]!.path;
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  // Field separator, text delimiter '"', UTF-8 (76), from line 1, …, token 13: evaluate formulas.
  it.each([
    ['semicolon', '59'],
    ['comma', '44'],
  ])(
    '%s',
    (name, separator) => {
      const dir = path.join(out, name);
      const input = path.join(out, `${name}.csv`);
      copyFileSync(csvFile, input);
      const filter = `CSV:${separator},34,76,1,,1066,false,false,false,false,false,-1,true`;
      execFileSync(
        libreoffice!,
        [
          `-env:UserInstallation=file://${path.join(out, `profile-${name}`)}`,
          '--headless',
          `--infilter=${filter}`,
          '--convert-to',
          'ods',
          '--outdir',
          dir,
          input,
        ],
        {
          stdio: 'pipe',
          timeout: 90_000,
        },
      );
      const ods = readdirSync(dir).find((f) => f.endsWith('.ods'))!;
      const content = execFileSync('unzip', ['-p', path.join(dir, ods), 'content.xml'], { encoding: 'utf8' });
      // The import really split the rows (so the test would see a formula if one were there).
      expect(content).toContain('Giày Nike');
      expect(content).not.toMatch(/table:formula=/);
    },
    120_000,
  );
});
