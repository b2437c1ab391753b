import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { exportWeeklyLeads } from '../../src/leads/export.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { servicesRequired } from '../helpers/services.ts';
import { listingCandidate, reason, seedShopsAndListings } from './seed.ts';

const libreoffice = ['libreoffice', 'soffice'].find((bin) => spawnSync('which', [bin]).status === 0);
const pdftotext = spawnSync('which', ['pdftotext']).status === 0;
const missing = !libreoffice || !pdftotext;
if (missing && servicesRequired)
  throw new Error('libreoffice and pdftotext are required (REQUIRE_SERVICES=1): apt-get install libreoffice-calc-nogui poppler-utils');
if (missing)
  process.stderr.write(
    '[skip] LibreOffice test skipped: libreoffice or pdftotext not installed (apt-get install libreoffice-calc-nogui poppler-utils)\n',
  );

describe.skipIf(missing)('the exported workbook in LibreOffice', () => {
  let db: PgliteDb;
  let out: string;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    out = mkdtempSync(path.join(tmpdir(), 'radar-lo-'));
    const { listingIds } = await seedShopsAndListings(
      db,
      [
        {
          externalId: 'hcm',
          name: 'Shop Giày Sài Gòn',
          rawAddress: '12 Lê Lợi, Phường Bến Thành',
          provinceCode: 79,
          provinceName: 'Thành phố Hồ Chí Minh',
          wardName: 'Phường Bến Thành',
        },
      ],
      [{ externalId: 'a', shopExternalId: 'hcm', title: 'Giày Nike Air Force 1 chính hãng', brand: 'Nike' }],
    );
    await upsertLeads(
      db,
      [
        listingCandidate(listingIds.get('a')!, 80, {
          reasons: [reason('price.below_reference', 40, 'Price far below reference', 'Giá thấp bất thường')],
        }),
      ],
      new Date('2026-11-24T02:00:00Z'),
    );
  });
  afterAll(async () => {
    await db?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('converts to PDF with the Vietnamese text and the headers intact', async () => {
    const { files } = await exportWeeklyLeads(db, { week: '2026-W48', splitBy: 'province', format: 'xlsx', outDir: out });
    expect(files).toHaveLength(1);
    const profile = path.join(out, 'lo-profile');
    execFileSync(
      libreoffice!,
      [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, files[0]!.path],
      {
        stdio: 'pipe',
        timeout: 50_000,
      },
    );
    const pdf = readdirSync(out).find((f) => f.endsWith('.pdf'));
    expect(pdf).toBe('leads-2026-W48-thanh-pho-ho-chi-minh.pdf');
    const text = execFileSync('pdftotext', [path.join(out, pdf!), '-'], { encoding: 'utf8' }).normalize('NFC');
    // Headers wrap inside their cells, so check each header's words rather than the whole line.
    for (const word of ['Điểm', 'Score', 'Tiêu đề', 'Title', 'Tỉnh/Thành', 'Province', 'Cửa hàng', 'Lý do chính'])
      expect(text).toContain(word);
    for (const value of ['Shop Giày Sài Gòn', 'Giày Nike Air Force 1 chính hãng', 'Thành phố Hồ Chí Minh', 'Giá thấp bất thường'])
      expect(text).toContain(value);
  }, 55_000);
});
