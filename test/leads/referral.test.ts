import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { evidenceDigest } from '../../src/leads/evidence-ref.ts';
import { writeReferralLetter } from '../../src/leads/referral.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { parseIsoWeek } from '../../src/leads/week.ts';
import { chromiumPath } from '../helpers/services.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

const HCM = 'Thành phố Hồ Chí Minh';

function docxText(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.readEntry();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'word/document.xml') return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error('no word/document.xml')));
    });
  });
}

describe.runIf(chromiumPath() !== null)('referral letter', () => {
  let db: PgliteDb;
  let out: string;
  const week = parseIsoWeek('2026-W48');
  const files = [
    { kind: 'screenshot', path: 'a/screenshot.png', sha256: 'a'.repeat(64) },
    { kind: 'page', path: 'a/page.html', sha256: 'b'.repeat(64) },
  ];

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    out = mkdtempSync(path.join(tmpdir(), 'radar-referral-'));
    const { listingIds } = await seedShopsAndListings(
      db,
      [
        { externalId: 'hcm', name: 'Shop Giày Sài Gòn', provinceCode: 79, provinceName: HCM, addressQuality: 'complete' },
        { externalId: 'hn', name: 'Mỹ phẩm Hà Nội', provinceCode: 1, provinceName: 'Thành phố Hà Nội', addressQuality: 'complete' },
      ],
      [
        { externalId: 'a1', shopExternalId: 'hcm', title: 'Giày Nike Air Force 1 rep 1:1', brand: 'Nike' },
        { externalId: 'a2', shopExternalId: 'hcm', title: 'Túi LV hàng loại 1', brand: 'Louis Vuitton' },
        { externalId: 'b1', shopExternalId: 'hn', title: 'Son Dior giá sỉ', brand: 'Dior' },
      ],
    );
    await upsertLeads(
      db,
      [
        listingCandidate(listingIds.get('a1')!, 90, { provinceCode: 79, provinceName: HCM }),
        listingCandidate(listingIds.get('a2')!, 80, { provinceCode: 79, provinceName: HCM }),
        listingCandidate(listingIds.get('b1')!, 85, { provinceCode: 1, provinceName: 'Thành phố Hà Nội' }),
      ],
      new Date('2026-11-24T02:00:00Z'),
    );
    await db.query(
      `INSERT INTO evidence (listing_id, url, captured_at, captured_at_local, crawler_version, files)
       VALUES ($1, 'https://tiki.example/p/a1', now(), 'local', 'test', $2::jsonb)`,
      [listingIds.get('a1'), JSON.stringify(files)],
    );
  });
  afterAll(async () => {
    await db?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('holds the province, the week, every lead URL and its pack hash, in PDF and DOCX', async () => {
    const leadIds = (
      await db.query<{ id: number; url: string }>(`SELECT l.id, li.url FROM leads l JOIN listings li ON li.id = l.listing_id ORDER BY l.id`)
    ).rows;
    // The second HCM lead's pack was written by `radar leads pack`: the letter cites that file's hash.
    const packs = path.join(out, 'packs');
    execFileSync('mkdir', ['-p', packs]);
    const packBytes = Buffer.from('pack bytes');
    writeFileSync(path.join(packs, `evidence-lead-${leadIds[1]!.id}.zip`), packBytes);

    const result = await writeReferralLetter(db, {
      week,
      province: '79',
      outDir: out,
      packsDir: packs,
      letterhead: { sender: 'Đội QLTT số 3', number: '125/CV-QLTT' },
      date: new Date('2026-12-01T03:00:00Z'),
    });
    expect(result.leads).toBe(2);
    const pdf = execFileSync('pdftotext', ['-layout', result.pdf, '-'], { encoding: 'utf8' });
    for (const needle of [
      HCM,
      '2026-W48',
      'Số: 125/CV-QLTT',
      'ngày 01 tháng 12 năm 2026',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Nơi nhận',
    ]) {
      expect(pdf).toContain(needle);
    }
    expect(pdf).toContain(leadIds[0]!.url);
    expect(pdf).toContain(leadIds[1]!.url);
    expect(pdf).toContain(evidenceDigest(files)!);
    expect(pdf).toContain(createHash('sha256').update(packBytes).digest('hex'));
    expect(pdf).not.toContain(leadIds[2]!.url);

    const docx = await docxText(result.docx);
    expect(docx).toContain(leadIds[0]!.url);
    expect(docx).toContain(evidenceDigest(files)!);
    expect(readFileSync(result.pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
