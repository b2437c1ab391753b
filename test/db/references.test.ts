// Migration 0050 replaced the row-level foreign keys on the ingest tables with statement-level
// checks; a write or delete that would leave a dangling reference must still fail and roll back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import type { Db } from '../../src/core/db/types.ts';
import { dbTargets } from '../helpers/db.ts';
import { listing, shop } from '../helpers/records.ts';

describe.each(await dbTargets())('reference checks on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let runId: number;
  let shopId: number;
  let listingId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'query', target: 'refs', crawlerVersion: 'test' });
    shopId = (await upsertShops(db, [shop({ externalId: 'ref-shop' })]))[0]!.id;
    listingId = (await upsertListings(db, [listing({ externalId: 'ref-listing', shopExternalId: 'ref-shop' })], { crawlRunId: runId }))[0]!
      .id;
  });
  afterAll(async () => cleanup?.());

  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]!.n;
  const violation = expect.objectContaining({ code: '23503' });

  it('accepts rows whose references exist', async () => {
    expect(await count(`SELECT count(*)::int AS n FROM listings WHERE id = ${listingId} AND shop_id = ${shopId}`)).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM listing_observations WHERE listing_id = ${listingId} AND crawl_run_id = ${runId}`),
    ).toBe(1);
  });

  it('refuses a listing with an unknown marketplace or shop, and keeps none of its statement', async () => {
    await expect(
      db.query(`INSERT INTO listings (marketplace, external_id, title) VALUES ('tiki', 'ok-1', 't'), ('ebay', 'bad-1', 't')`),
    ).rejects.toEqual(violation);
    await expect(
      db.query(`INSERT INTO listings (marketplace, external_id, title, shop_id) VALUES ('tiki', 'bad-2', 't', 987654321)`),
    ).rejects.toEqual(violation);
    await expect(db.query(`UPDATE listings SET shop_id = 987654321 WHERE id = $1`, [listingId])).rejects.toEqual(violation);
    expect(await count(`SELECT count(*)::int AS n FROM listings WHERE external_id IN ('ok-1', 'bad-1', 'bad-2')`)).toBe(0);
  });

  it('refuses a shop with an unknown marketplace', async () => {
    await expect(db.query(`INSERT INTO shops (marketplace, external_id, name) VALUES ('ebay', 'bad-shop', 'x')`)).rejects.toEqual(
      violation,
    );
  });

  it('refuses an observation of an unknown listing or crawl run', async () => {
    await expect(db.query(`INSERT INTO listing_observations (listing_id, crawl_run_id) VALUES (987654321, $1)`, [runId])).rejects.toEqual(
      violation,
    );
    await expect(
      db.query(`INSERT INTO listing_observations (listing_id, crawl_run_id) VALUES ($1, 987654321)`, [listingId]),
    ).rejects.toEqual(violation);
  });

  it('refuses to delete a marketplace, shop, listing or crawl run that is still referenced', async () => {
    await expect(db.query(`DELETE FROM marketplaces WHERE id = 'tiki'`)).rejects.toEqual(violation);
    await expect(db.query(`DELETE FROM shops WHERE id = $1`, [shopId])).rejects.toEqual(violation);
    await expect(db.query(`DELETE FROM listings WHERE id = $1`, [listingId])).rejects.toEqual(violation);
    await expect(db.query(`DELETE FROM crawl_runs WHERE id = $1`, [runId])).rejects.toEqual(violation);
    // An unreferenced row still goes.
    const spare = (await upsertShops(db, [shop({ externalId: 'spare-shop' })]))[0]!.id;
    await db.query(`DELETE FROM shops WHERE id = $1`, [spare]);
    expect(await count(`SELECT count(*)::int AS n FROM shops WHERE id = ${spare}`)).toBe(0);
  });
});
