import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertListings, markListingsRemoved } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import type { Db } from '../../src/core/db/types.ts';
import { dbTargets } from '../helpers/db.ts';
import { listing, shop } from '../helpers/records.ts';

describe.each(await dbTargets())('batched upserts on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
  });
  afterAll(async () => cleanup?.());

  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  it('upserting the same 10,000 listings twice leaves 10,000 rows and moves last_seen_at', async () => {
    const shops = Array.from({ length: 100 }, (_, i) => shop({ externalId: `s${i}`, rawAddress: `${i} Lê Lợi, Quận 1, TP.HCM` }));
    const listings = Array.from({ length: 10_000 }, (_, i) =>
      listing({
        externalId: `l${i}`,
        shopExternalId: `s${i % 100}`,
        title: `Giày thể thao ${i}`,
        images: [`img-${i}`, 'quote"and\\slash'],
      }),
    );
    const runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'query', target: 'giày', crawlerVersion: 'test' });
    const firstSeen = new Date('2026-11-01T00:00:00Z');
    await upsertShops(db, shops, firstSeen);
    for (let i = 0; i < listings.length; i += 2_000) {
      const inserted = await upsertListings(db, listings.slice(i, i + 2_000), { crawlRunId: runId, seenAt: firstSeen });
      expect(inserted.every((row) => row.inserted)).toBe(true);
    }
    expect(await count('listings')).toBe(10_000);

    const secondSeen = new Date('2026-11-02T00:00:00Z');
    await upsertShops(db, shops, secondSeen);
    for (let i = 0; i < listings.length; i += 2_000) {
      const again = await upsertListings(db, listings.slice(i, i + 2_000), { crawlRunId: runId, seenAt: secondSeen });
      expect(again.some((row) => row.inserted)).toBe(false);
    }
    expect(await count('listings')).toBe(10_000);
    expect(await count('shops')).toBe(100);
    // Same run: the replay adds no observation.
    expect(await count('listing_observations')).toBe(10_000);

    const { rows } = await db.query<{
      first_seen_at: Date;
      last_seen_at: Date;
      changed_at: Date;
      shop_id: number | null;
      images: string[];
    }>(`SELECT first_seen_at, last_seen_at, changed_at, shop_id, images FROM listings WHERE external_id = 'l42'`);
    const row = rows[0]!;
    expect(new Date(row.first_seen_at).toISOString()).toBe(firstSeen.toISOString());
    expect(new Date(row.last_seen_at).toISOString()).toBe(secondSeen.toISOString());
    // Nothing changed in the content, so incremental scoring has nothing to redo.
    expect(new Date(row.changed_at).toISOString()).toBe(firstSeen.toISOString());
    expect(row.shop_id).not.toBeNull();
    expect(row.images).toEqual(['img-42', 'quote"and\\slash']);
  });

  it('moves changed_at and appends an observation when the price changes in a new run', async () => {
    const runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'query', target: 'giày', crawlerVersion: 'test' });
    const seen = new Date('2026-11-03T00:00:00Z');
    await upsertListings(db, [listing({ externalId: 'l7', shopExternalId: 's7', title: 'Giày thể thao 7', priceVnd: 90_000 })], {
      crawlRunId: runId,
      seenAt: seen,
    });
    const { rows } = await db.query<{ price_vnd: number; changed_at: Date }>(
      `SELECT price_vnd, changed_at FROM listings WHERE external_id = 'l7'`,
    );
    expect(rows[0]!.price_vnd).toBe(90_000);
    expect(new Date(rows[0]!.changed_at).toISOString()).toBe(seen.toISOString());
    const { rows: history } = await db.query<{ price_vnd: number }>(
      `SELECT o.price_vnd FROM listing_observations o JOIN listings l ON l.id = o.listing_id WHERE l.external_id = 'l7' ORDER BY o.observed_at`,
    );
    expect(history.map((h) => h.price_vnd)).toEqual([100_000, 90_000]);
  });

  it('keeps the last record when one batch repeats a key, and marks removal only on request', async () => {
    const rows = await upsertListings(db, [
      listing({ externalId: 'dup', title: 'first' }),
      listing({ externalId: 'dup', title: 'second' }),
    ]);
    expect(rows).toHaveLength(1);
    expect((await db.query<{ title: string }>(`SELECT title FROM listings WHERE external_id = 'dup'`)).rows[0]!.title).toBe('second');
    expect(await markListingsRemoved(db, [{ marketplace: 'tiki', externalId: 'dup' }])).toBe(1);
    expect(await markListingsRemoved(db, [{ marketplace: 'tiki', externalId: 'dup' }])).toBe(0);
    await upsertListings(db, [listing({ externalId: 'dup', title: 'second' })]);
    expect((await db.query<{ status: string }>(`SELECT status FROM listings WHERE external_id = 'dup'`)).rows[0]!.status).toBe('active');
  });
});
