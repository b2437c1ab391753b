import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScore } from '../../scoring/db/run.ts';
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import type { Db } from '../../src/core/db/types.ts';
import { exportWeeklyLeads } from '../../src/leads/export.ts';
import { listLeadsPage } from '../../src/leads/list.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { dbTargets } from '../helpers/db.ts';
import { listing, shop } from '../helpers/records.ts';
import { listingCandidate } from './seed.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';

const SEEN = new Date('2026-11-24T03:00:00Z');

// One shop per routing source, plus the two the national committee gets: overseas, and no location at all.
const SHOPS = [
  shop({ externalId: 'addr', marketplace: 'shopee', rawAddress: '12 Lê Lợi, Phường Bến Thành, TP.HCM', declaredLocation: 'Hà Nội' }),
  // The sandbox decoy: a clean shop with a declared location and no address.
  shop({ externalId: 'decl', marketplace: 'shopee', declaredLocation: 'Bình Dương' }),
  shop({ externalId: 'phone', marketplace: 'lazada', rawAddress: 'Toàn quốc', phone: '024 3825 1234' }),
  shop({ externalId: 'wh', marketplace: 'sendo', declaredLocation: 'TP.HCM' }),
  shop({ externalId: 'abroad', marketplace: 'tiktok', rawAddress: 'Quảng Châu, Trung Quốc', declaredLocation: 'Nước ngoài' }),
  // A mobile number carries no place, and an empty label none either.
  shop({ externalId: 'nowhere', marketplace: 'lazada', rawAddress: 'Inbox shop', declaredLocation: '', phone: '0903 123 456' }),
];

describe.each(await dbTargets())('province routing on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let out: string;
  const listingIds = new Map<string, number>();

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    out = mkdtempSync(path.join(tmpdir(), 'radar-routing-'));
    await upsertShops(db, SHOPS, SEEN);
    const rows = await upsertListings(
      db,
      SHOPS.map((s) =>
        listing({
          externalId: `l-${s.externalId}`,
          marketplace: s.marketplace,
          shopExternalId: s.externalId,
          title: `Áo thun basic ${s.externalId}`,
        }),
      ),
      { seenAt: SEEN },
    );
    for (const row of rows) listingIds.set(row.external_id.slice(2), Number(row.id));
    // Nothing becomes a lead here (the leads below are planted for a fixed week); only the shops are routed.
    await runScore(db, { all: true, now: SEEN, threshold: 1000 });
  });
  afterAll(async () => {
    await cleanup?.();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('routes each shop by address, declared location, landline and warehouse city, in that order, else nationally with the reason', async () => {
    const { rows } = await db.query<{ external_id: string; province_code: number | null; province_source: string | null }>(
      'SELECT external_id, province_code, province_source FROM shops ORDER BY external_id',
    );
    expect(Object.fromEntries(rows.map((r) => [r.external_id, [r.province_code, r.province_source]]))).toEqual({
      addr: [79, 'address'],
      decl: [79, 'declared'],
      phone: [1, 'phone'],
      wh: [79, 'warehouse'],
      abroad: [null, 'overseas'],
      nowhere: [null, 'none'],
    });
  });

  it('gives flagged_listings, the lead list and the exports the province and its source', async () => {
    await upsertLeads(
      db,
      SHOPS.map((s) => listingCandidate(listingIds.get(s.externalId)!, 80, { provinceCode: null, provinceName: null })),
      new Date('2026-11-25T03:00:00Z'),
    );
    const view = await db.query<{ shop_external_id: string; province_name: string | null; province_source: string | null }>(
      'SELECT shop_external_id, province_name, province_source FROM flagged_listings ORDER BY shop_external_id',
    );
    expect(view.rows.find((r) => r.shop_external_id === 'decl')).toEqual({
      shop_external_id: 'decl',
      province_name: 'Thành phố Hồ Chí Minh',
      province_source: 'declared',
    });
    expect(view.rows.find((r) => r.shop_external_id === 'abroad')).toMatchObject({ province_name: null, province_source: 'overseas' });
    expect(view.rows.find((r) => r.shop_external_id === 'nowhere')).toMatchObject({ province_name: null, province_source: 'none' });
    // province_source stays the view's last column, and the view still reads as the querying role (0086).
    const columns = await db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'flagged_listings' ORDER BY ordinal_position DESC LIMIT 1",
    );
    expect(columns.rows[0]!.column_name).toBe('province_source');
    const options = await db.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = 'flagged_listings'");
    expect(options.rows[0]!.reloptions).toContain('security_invoker=true');

    const declared = await listLeadsPage(db, { provinceSource: 'declared' });
    expect(declared.rows.map((r) => r.subject)).toEqual(['Áo thun basic decl']);
    // The lead list finds the national ones by their reason, and shows no province for them.
    const overseas = await listLeadsPage(db, { provinceSource: 'overseas' });
    expect(overseas.rows.map((r) => [r.subject, r.province_name, r.province_source])).toEqual([['Áo thun basic abroad', null, 'overseas']]);
    expect((await listLeadsPage(db, { provinceSource: 'none' })).rows.map((r) => r.subject)).toEqual(['Áo thun basic nowhere']);
    const hcm = await listLeadsPage(db, { province: '79', limit: 2 });
    expect(hcm).toMatchObject({ total: 3 });
    expect(hcm.rows).toHaveLength(2);

    const csv = await exportWeeklyLeads(db, { week: '2026-W48', format: 'csv', outDir: path.join(out, 'csv') });
    const text = readFileSync(csv.files[0]!.path, 'utf8');
    expect(text.split('\r\n')[0]).toContain('Nguồn tỉnh / Province source');
    expect(text).toMatch(/Thành phố Hồ Chí Minh,declared,/);
    // No province: an empty province cell, the reason as the source, the national committee as addressee.
    expect(text).toMatch(/,overseas,.*,Ban Chỉ đạo 389 quốc gia \/ national\r\n/);
    expect(text).toMatch(/,none,.*,Ban Chỉ đạo 389 quốc gia \/ national\r\n/);

    const split = await exportWeeklyLeads(db, { week: '2026-W48', format: 'csv', splitBy: 'province', outDir: path.join(out, 'split') });
    const national = split.files.find((f) => path.basename(f.path) === 'leads-2026-W48-national.csv');
    expect(national).toMatchObject({ rows: 2, province: 'Ban Chỉ đạo 389 quốc gia / national' });
    expect(split.files.map((f) => path.basename(f.path))).not.toContain('leads-2026-W48-unknown-province.csv');

    const xlsx = await exportWeeklyLeads(db, { week: '2026-W48', format: 'xlsx', outDir: path.join(out, 'xlsx') });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx.files[0]!.path);
    const summary: string[] = [];
    workbook.getWorksheet('Summary')!.eachRow((row) => summary.push((row.values as unknown[]).slice(1).join('|')));
    for (const line of [
      'Nguồn tỉnh / Province source|địa chỉ / address|1',
      'Nguồn tỉnh / Province source|vị trí sàn công bố / declared|1',
      'Nguồn tỉnh / Province source|mã vùng điện thoại / phone|1',
      'Nguồn tỉnh / Province source|kho hàng / warehouse|1',
      'Nguồn tỉnh / Province source|người bán nước ngoài / overseas|1',
      'Nguồn tỉnh / Province source|không có thông tin vị trí / none|1',
      'Chuyển đến / Routed to|ban chỉ đạo tỉnh/thành / province|4',
      'Chuyển đến / Routed to|Ban Chỉ đạo 389 quốc gia / national|2',
    ])
      expect(summary).toContain(line);
    expect(summary.filter((line) => /^(Tỉnh\/Thành|Nguồn tỉnh|Chuyển đến)/u.test(line) && line.includes('unknown'))).toEqual([]);
  });
});
