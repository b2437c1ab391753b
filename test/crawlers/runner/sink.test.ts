import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldPerKey, RecordSink } from '../../../crawlers/runner/sink.ts';
import { ShopRecordSchema, ListingRecordSchema } from '../../../src/domain/records.ts';
import { PgliteDb } from '../../../src/db/pglite.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { startCrawlRun } from '../../../src/db/repositories/crawl-runs.ts';
import type { Db } from '../../../src/db/types.ts';

const detailed = ShopRecordSchema.parse({ marketplace: 'shopee', externalId: 's1', name: 'Shop One', rawAddress: '12 Lê Lợi, Quận 1, TP.HCM', phone: '0901234567', followerCount: 1200, isOfficial: true });
const fromSearch = ShopRecordSchema.parse({ marketplace: 'shopee', externalId: 's1', name: 'Shop One (renamed)', declaredLocation: 'TP. Hồ Chí Minh' });

describe('foldPerKey', () => {
  it('lets a later value win, keeps earlier values a later record lacks, and ORs flags', () => {
    const [shop, ...rest] = foldPerKey([detailed, fromSearch], ['isOfficial', 'isVerified']);
    expect(rest).toEqual([]);
    expect(shop).toMatchObject({ name: 'Shop One (renamed)', rawAddress: detailed.rawAddress, phone: detailed.phone, followerCount: 1200, declaredLocation: 'TP. Hồ Chí Minh', isOfficial: true });
  });

  it('keeps a listing’s images and description when a later search record of it has none', () => {
    const pdp = ListingRecordSchema.parse({ marketplace: 'shopee', externalId: 'i1', title: 'Giày', description: 'mô tả', images: ['https://x/1.jpg'], priceVnd: 100_000 });
    const search = ListingRecordSchema.parse({ marketplace: 'shopee', externalId: 'i1', title: 'Giày', priceVnd: 90_000 });
    const other = ListingRecordSchema.parse({ marketplace: 'shopee', externalId: 'i2', title: 'Áo' });
    const folded = foldPerKey([pdp, other, search], []);
    expect(folded.map((listing) => listing.externalId)).toEqual(['i1', 'i2']);
    expect(folded[0]).toMatchObject({ description: 'mô tả', images: ['https://x/1.jpg'], priceVnd: 90_000 });
  });
});

describe('RecordSink', () => {
  let db: Db;
  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('does not let a bare search record erase a shop’s details buffered in the same batch', async () => {
    const runId = await startCrawlRun(db, { adapter: 'shopee', marketplace: 'shopee', mode: 'query', target: 'x', crawlerVersion: 'test' });
    const sink = new RecordSink(db, { runId, batchSize: 100 });
    await sink.add({ shops: [detailed], listings: [], removed: [] });
    await sink.add({ shops: [fromSearch], listings: [], removed: [] });
    await sink.flush();
    const { rows } = await db.query<{ phone: string | null; follower_count: number | null; raw_address: string | null }>(
      `SELECT phone, follower_count, raw_address FROM shops WHERE marketplace = 'shopee' AND external_id = 's1'`,
    );
    expect(rows).toEqual([{ phone: detailed.phone, follower_count: 1200, raw_address: detailed.rawAddress }]);
  });
});
