import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetContext } from '../../src/apps/cli/context.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { isoWeekOf } from '../../src/leads/week.ts';
import { runRadar } from '../helpers/cli.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

const adminUrl = await postgresAdminUrl();
const HCM = 'Thành phố Hồ Chí Minh';
const LONG_URL = 'https://shopee.vn/Giay-Nike-Air-Force-1-rep-1-1-full-box-i.123456789.987654321?sp_atk=abcdef-0123-4567-89ab-cdef01234567';

// The filters as investigators type them, against a real server (the library paths run on both in routing.test.ts).
describe.skipIf(!adminUrl)('radar leads filters, totals and times', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dir: string;
  const saved = { ...process.env };
  const week = isoWeekOf(new Date()).label;

  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-cli-filters-'));
    process.env.DATABASE_URL = scratch.url;
    process.env.RADAR_DATA_DIR = dir;
    const db = await new PostgresDb(scratch.url).connect();
    await migrate(db);
    const { listingIds } = await seedShopsAndListings(
      db,
      [
        { externalId: 'hcm', marketplace: 'shopee', provinceCode: 79, provinceName: HCM },
        { externalId: 'hn', marketplace: 'lazada', provinceCode: 1, provinceName: 'Thành phố Hà Nội' },
      ],
      [
        { externalId: 'a', shopExternalId: 'hcm', marketplace: 'shopee', title: 'Giày Nike Air Force 1 rep 1:1 full box' },
        { externalId: 'b', shopExternalId: 'hcm', marketplace: 'shopee', title: 'Túi Chanel siêu cấp' },
        { externalId: 'c', shopExternalId: 'hn', marketplace: 'lazada', title: 'Son Dior giá sỉ' },
      ],
    );
    await db.query(`UPDATE listings SET url = $1 WHERE external_id = 'a'`, [LONG_URL]);
    const now = new Date();
    await upsertLeads(
      db,
      [listingCandidate(listingIds.get('a')!, 90), listingCandidate(listingIds.get('b')!, 85), listingCandidate(listingIds.get('c')!, 80)],
      now,
    );
    await db.close();
  });
  afterAll(async () => {
    process.env = saved;
    resetContext();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['hcm', 'TP.HCM', 'Bình Dương', '79'])('leads export --province %s selects the 2025 TP. Hồ Chí Minh', async (province) => {
    const out = path.join(dir, `export-${province.replace(/\W/g, '_')}`);
    const result = await runRadar('leads', 'export', '--week', week, '--province', province, '--format', 'csv', '--out', out, '--json');
    expect(result.code).toBe(0);
    const { files } = JSON.parse(result.stdout) as { files: { path: string; rows: number; province: string }[] };
    expect(files).toEqual([{ path: path.join(out, `leads-${week}-thanh-pho-ho-chi-minh.csv`), rows: 2, province: HCM }]);
    expect(readFileSync(files[0]!.path, 'utf8')).not.toContain('Hà Nội');
  });

  it('stops with exit 2 and suggestions for an unknown province or marketplace, before touching the database', async () => {
    const province = await runRadar('leads', 'export', '--province', 'xyz', '--out', path.join(dir, 'none'));
    expect(province.code).toBe(2);
    expect(province.stderr).toMatch(/unknown --province "xyz"; did you mean /);
    const marketplace = await runRadar('leads', 'export', '--marketplace', 'shoppe', '--out', path.join(dir, 'none'));
    expect(marketplace.code).toBe(2);
    expect(marketplace.stderr).toMatch(/did you mean shopee\?/);
    const list = await runRadar('leads', 'list', '--marketplace', 'shoppe');
    expect(list.code).toBe(2);
    expect((await runRadar('leads', 'list', '--status', 'confimed')).stderr).toMatch(/did you mean confirmed\?/);
    expect((await runRadar('leads', 'list', '--kind', 'listings', '--json')).code).toBe(0);
    expect((await runRadar('leads', 'set-status', '1', 'confirmd')).stderr).toMatch(/did you mean confirmed\?/);
  });

  it('old names select their 2025 province in leads list too, and the total is printed', async () => {
    const list = await runRadar('leads', 'list', '--province', 'Bình Dương', '--limit', '1');
    expect(list.code).toBe(0);
    expect(list.stderr).toContain('(1 of 2 leads;');
    const all = await runRadar('leads', 'list', '--marketplace', 'Lazada');
    expect(all.stderr).toContain('(1 lead;');
  });

  it('shows times in Asia/Ho_Chi_Minh with the offset, or UTC with --utc, and whole URLs with --full', async () => {
    const local = await runRadar('leads', 'list', '--province', 'hcm');
    expect(local.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+07:00/);
    expect(local.stdout).not.toMatch(/T\d\d:\d\d:\d\d(\.\d+)?Z/);
    const utc = await runRadar('leads', 'list', '--province', 'hcm', '--utc');
    expect(utc.stdout).toMatch(/\+00:00/);
    const full = await runRadar('leads', 'list', '--full');
    expect(full.stdout).toContain(LONG_URL);
    for (const line of (await runRadar('leads', 'list')).stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    const sql = await runRadar('sql', 'SELECT url, first_flagged_at FROM flagged_listings ORDER BY score DESC', '--full');
    expect(sql.stdout).toContain(LONG_URL);
    expect(sql.stdout).toMatch(/\+07:00/);
    expect(sql.stderr).toContain('(3 rows)');
  });
});
