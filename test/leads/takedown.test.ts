import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { batches, exportTakedowns } from '../../src/leads/takedown.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { listingCandidate, seedShopsAndListings, type SeedListing } from './seed.ts';

function csvRows(file: string): string[][] {
  const text = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trimEnd();
  return text.split('\r\n').map((line) => line.split(','));
}

describe('takedown exports', () => {
  let db: PgliteDb;
  let out: string;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    out = mkdtempSync(path.join(tmpdir(), 'radar-takedown-'));
    const listings: SeedListing[] = Array.from({ length: 660 }, (_, i) => ({
      externalId: `l${i}`,
      shopExternalId: `s${i % 40}`,
      marketplace: 'lazada',
      brand: 'Nike',
      title: `Giày Nike Air Force ${i}`,
    }));
    listings.push({ externalId: 'tiki-1', shopExternalId: 'tiki-shop', marketplace: 'tiki', brand: 'Nike', title: 'Giày Nike Tiki' });
    const shops = [
      ...Array.from({ length: 40 }, (_, i) => ({ externalId: `s${i}`, marketplace: 'lazada' as const })),
      { externalId: 'tiki-shop', marketplace: 'tiki' as const },
    ];
    const { listingIds } = await seedShopsAndListings(db, shops, listings);
    await upsertLeads(
      db,
      [...listingIds.values()].map((id) => listingCandidate(id, 85)),
      new Date('2026-11-24T02:00:00Z'),
    );
    // 650 of the 660 Lazada leads confirmed by analysts, the rest still under review; the Tiki lead confirmed too.
    await db.query(`UPDATE leads SET status = 'confirmed' WHERE id IN (SELECT id FROM leads ORDER BY id LIMIT 650)`);
    await db.query(`UPDATE leads SET status = 'confirmed' WHERE listing_id = (SELECT id FROM listings WHERE external_id = 'tiki-1')`);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('splits 650 confirmed Lazada leads into files of 300, 300 and 50, leaving out other statuses and marketplaces', async () => {
    const files = await exportTakedowns(db, { format: 'takedown-lazada', outDir: path.join(out, 'lazada') });
    expect(files.map((f) => f.rows)).toEqual([300, 300, 50]);
    expect(files.map((f) => path.basename(f.path))).toEqual([
      expect.stringMatching(/^takedown-lazada-.*-nike-part-1-of-3\.csv$/),
      expect.stringMatching(/-part-2-of-3\.csv$/),
      expect.stringMatching(/-part-3-of-3\.csv$/),
    ]);
    const first = csvRows(files[0]!.path);
    expect(first[0]).toEqual(expect.arrayContaining(['Product URL', 'IP Registration Number', 'Infringement Type', 'Evidence Link']));
    expect(first).toHaveLength(301);
    const urls = files.flatMap((f) =>
      csvRows(f.path)
        .slice(1)
        .map((row) => row[0]),
    );
    expect(new Set(urls).size).toBe(650);
    expect(urls.every((url) => url?.startsWith('https://lazada.example/'))).toBe(true);
  });

  it('takes other statuses only when asked', async () => {
    const files = await exportTakedowns(db, { format: 'takedown-lazada', statuses: ['new'], outDir: path.join(out, 'new') });
    expect(files.map((f) => f.rows)).toEqual([10]);
  });

  it('cites the IP document given for the brand', async () => {
    const files = await exportTakedowns(db, {
      format: 'takedown-lazada',
      statuses: ['new'],
      outDir: path.join(out, 'ip'),
      ipDocuments: new Map([['nike', { type: 'Trademark', registration: 'VN-4-0012345' }]]),
    });
    const [header, row] = csvRows(files[0]!.path);
    expect(row![header!.indexOf('IP Registration Number')]).toBe('VN-4-0012345');
  });

  it('batches keep every row once, in order, none larger than the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 50 }), (rows, limit) => {
        const parts = batches(rows, limit);
        expect(parts.flat()).toEqual(rows);
        expect(parts.every((part) => part.length >= 1 && part.length <= limit)).toBe(true);
      }),
    );
  });
});
