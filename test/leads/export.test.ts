import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { exportWeeklyLeads } from '../../src/leads/export.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { listingCandidate, reason, seedShopsAndListings } from './seed.ts';

const PLANTED = '=HYPERLINK("http://x","y")';
const HCM = 'Thành phố Hồ Chí Minh';
const HANOI = 'Thành phố Hà Nội';

describe('weekly export', () => {
  let db: PgliteDb;
  let out: string;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    out = mkdtempSync(path.join(tmpdir(), 'radar-export-'));
    const { listingIds } = await seedShopsAndListings(
      db,
      [
        {
          externalId: 'hcm',
          name: 'Shop Giày Sài Gòn',
          rawAddress: '12 Lê Lợi, Phường Bến Thành, TP.HCM',
          provinceCode: 79,
          provinceName: HCM,
          wardName: 'Phường Bến Thành',
          addressQuality: 'complete',
        },
        {
          externalId: 'hn',
          name: 'Mỹ phẩm Hà Nội',
          rawAddress: 'Hà Nội',
          provinceCode: 1,
          provinceName: HANOI,
          addressQuality: 'province_only',
        },
        { externalId: 'nowhere', name: 'Kho hàng sỉ', rawAddress: 'toàn quốc', addressQuality: 'placeholder' },
      ],
      [
        { externalId: 'a', shopExternalId: 'hcm', title: PLANTED, brand: 'Nike' },
        { externalId: 'b', shopExternalId: 'hcm', title: 'Giày Nike Air Force 1 chính hãng giá rẻ', brand: 'Nike', priceVnd: 250_000 },
        { externalId: 'c', shopExternalId: 'hn', title: '@SUM(1+1) Son môi Dior', brand: 'Dior' },
        { externalId: 'd', shopExternalId: 'nowhere', title: '-Túi xách LV hàng xách tay', brand: 'Louis Vuitton' },
        { externalId: 'e', shopExternalId: 'hn', title: 'flagged the week before' },
      ],
    );
    const reasons = [
      reason('price.below_reference', 40, 'Price far below reference', 'Giá thấp bất thường so với giá tham chiếu'),
      reason('address.placeholder', 30, 'Placeholder address', 'Địa chỉ không rõ ràng'),
    ];
    const inWeek = new Date('2026-11-24T02:00:00Z');
    await upsertLeads(db, [listingCandidate(listingIds.get('e')!, 70, { reasons })], new Date('2026-11-16T02:00:00Z'));
    await upsertLeads(
      db,
      ['a', 'b', 'c', 'd'].map((key, i) => listingCandidate(listingIds.get(key)!, 60 + i * 10, { reasons })),
      inWeek,
    );
    // Flagged on Monday 00:30 local time of the next week (Sunday 17:30 UTC): not in W48.
    await seedShopsAndListings(db, [], [{ externalId: 'late', shopExternalId: 'hcm' }]);
    const late = (await db.query<{ id: number }>(`SELECT id FROM listings WHERE external_id = 'late'`)).rows[0]!.id;
    await upsertLeads(db, [listingCandidate(late, 99, { reasons })], new Date('2026-11-29T17:30:00Z'));
  });
  afterAll(async () => {
    await db?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('splits by province into week-named files, leads without a province in the national file', async () => {
    const result = await exportWeeklyLeads(db, { week: '2026-W48', splitBy: 'province', format: 'csv', outDir: path.join(out, 'csv') });
    expect(result.files.map((f) => path.basename(f.path)).sort()).toEqual([
      'leads-2026-W48-national.csv',
      'leads-2026-W48-thanh-pho-ha-noi.csv',
      'leads-2026-W48-thanh-pho-ho-chi-minh.csv',
    ]);
    // 'e' was first flagged in W47 and not since; 'late' belongs to W49.
    expect(result.rows).toBe(4);
  });

  it('writes CSV as UTF-8 with a BOM, Vietnamese intact and planted formulas inert', async () => {
    const { files } = await exportWeeklyLeads(db, { week: '2026-W48', format: 'csv', outDir: path.join(out, 'all') });
    const bytes = readFileSync(files[0]!.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('Giày Nike Air Force 1 chính hãng giá rẻ');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain("'@SUM(1+1) Son môi Dior");
    expect(text).toContain("'-Túi xách LV");
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('writes XLSX whose cells are plain strings, with frozen styled header, autofilter, links and summary sheets', async () => {
    const { files } = await exportWeeklyLeads(db, { week: '2026-W48', format: 'xlsx', outDir: path.join(out, 'xlsx') });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(files[0]!.path);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Leads', 'Summary', 'Networks']);
    const sheet = workbook.getWorksheet('Leads')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
    const planted = cells.find((c) => typeof c.value === 'string' && c.value.includes('HYPERLINK'))!;
    expect(planted.value).toBe(`'${PLANTED}`);
    expect(planted.type).toBe(ExcelJS.ValueType.String);
    const link = cells.find((c) => c.type === ExcelJS.ValueType.Hyperlink)!;
    expect((link.value as ExcelJS.CellHyperlinkValue).hyperlink).toMatch(/^https:\/\/tiki\.example\/p\//);
    const summary: string[] = [];
    workbook.getWorksheet('Summary')!.eachRow((row) => summary.push((row.values as unknown[]).join(',')));
    expect(summary.join('\n')).toContain(HCM);
    expect(summary.join('\n')).toContain('price.below_reference');
  });

  it('is reproducible: same data and week give the same rows in the same order and the same metadata', async () => {
    const first = await exportWeeklyLeads(db, { week: '2026-W48', format: 'csv', outDir: path.join(out, 'r1') });
    const second = await exportWeeklyLeads(db, { week: '2026-W48', format: 'csv', outDir: path.join(out, 'r2') });
    expect(readFileSync(second.files[0]!.path, 'utf8')).toBe(readFileSync(first.files[0]!.path, 'utf8'));
    const x1 = await exportWeeklyLeads(db, { week: '2026-W48', format: 'xlsx', outDir: path.join(out, 'x1') });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(x1.files[0]!.path);
    expect(book.created.toISOString()).toBe('2026-11-22T17:00:00.000Z');
    expect(book.creator).toBe('counterfeit-radar');
  });

  it('filters one province by name typed without accents', async () => {
    const result = await exportWeeklyLeads(db, { week: '2026-W48', province: 'ha noi', format: 'csv', outDir: path.join(out, 'hn') });
    expect(path.basename(result.files[0]!.path)).toBe('leads-2026-W48-thanh-pho-ha-noi.csv');
    expect(result.rows).toBe(1);
  });
});
