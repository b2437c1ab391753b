import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import { RecordSink } from '../../crawlers/runner/sink.ts';
import type { ListingRecord, ShopRecord } from '../../src/core/domain/records.ts';
import type { Queryable } from '../../src/core/db/types.ts';
import type { SyntheticData } from './synthetic.ts';

const RUN = { adapter: 'bench', marketplace: 'tiki', mode: 'query', target: 'bench', crawlerVersion: 'bench' } as const;

/** Records per page handed to the sink: a marketplace search page lists about 40 items. */
const PAGE_SIZE = 40;

/** Pages handed to the sink at once, as a crawl's concurrent requests (lanes) hand theirs over. */
export const INGEST_LANES = 4;

/**
 * Our path: the crawl's own writer (RecordSink, as the crawl engine uses it), fed page by page from
 * {@link INGEST_LANES} concurrent lanes, shops first, then listings; each `add` waits for the batch it
 * filled to be written, as a crawl's page handler does, and a last flush writes the rest.
 */
export async function ingestBatched(db: Queryable, data: SyntheticData, batchSize: number): Promise<void> {
  const runId = await startCrawlRun(db, RUN);
  const sink = new RecordSink(db, { runId, batchSize });
  const pages: Array<{ shops: ShopRecord[]; listings: ListingRecord[]; removed: [] }> = [];
  for (let i = 0; i < data.shops.length; i += PAGE_SIZE)
    pages.push({ shops: data.shops.slice(i, i + PAGE_SIZE), listings: [], removed: [] });
  for (let i = 0; i < data.listings.length; i += PAGE_SIZE)
    pages.push({ shops: [], listings: data.listings.slice(i, i + PAGE_SIZE), removed: [] });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < pages.length) await sink.add(pages[next++]!);
  };
  await Promise.all(Array.from({ length: INGEST_LANES }, lane));
  await sink.flush();
}

/**
 * The baseline: what a first draft does. One `INSERT … ON CONFLICT` per shop, per listing and per
 * observation, each its own autocommitted statement, the same columns and conflict rules.
 */
export async function ingestNaive(db: Queryable, data: SyntheticData): Promise<void> {
  const crawlRunId = await startCrawlRun(db, RUN);
  const seenAt = new Date().toISOString();
  const shopIds = new Map<string, number>();
  for (const shop of data.shops) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO shops AS s (marketplace, external_id, name, url, raw_address, declared_location, phone, email, tax_code,
          is_official, is_verified, joined_at, follower_count, rating, listing_count, raw, first_seen_at, last_seen_at, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz, $13, $14, $15, $16::jsonb, $17, $17, $17)
       ON CONFLICT (marketplace, external_id) DO UPDATE SET
          name = EXCLUDED.name, url = COALESCE(EXCLUDED.url, s.url), raw_address = COALESCE(EXCLUDED.raw_address, s.raw_address),
          declared_location = COALESCE(EXCLUDED.declared_location, s.declared_location), phone = COALESCE(EXCLUDED.phone, s.phone),
          last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at)
       RETURNING id`,
      [
        shop.marketplace,
        shop.externalId,
        shop.name,
        shop.url,
        shop.rawAddress,
        shop.declaredLocation,
        shop.phone,
        shop.email,
        shop.taxCode,
        shop.isOfficial,
        shop.isVerified,
        shop.joinedAt,
        shop.followerCount,
        shop.rating,
        shop.listingCount,
        shop.raw === undefined ? null : JSON.stringify(shop.raw),
        seenAt,
      ],
    );
    shopIds.set(shop.externalId, rows[0]!.id);
  }
  for (const listing of data.listings) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO listings AS l (marketplace, external_id, shop_id, shop_external_id, title, description, brand, category,
          price_vnd, original_price_vnd, sold_count, rating, images, url, status, raw, first_seen_at, last_seen_at, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15, $16::jsonb, $17, $17, $17)
       ON CONFLICT (marketplace, external_id) DO UPDATE SET
          shop_id = COALESCE(EXCLUDED.shop_id, l.shop_id), title = EXCLUDED.title, price_vnd = COALESCE(EXCLUDED.price_vnd, l.price_vnd),
          sold_count = COALESCE(EXCLUDED.sold_count, l.sold_count), status = EXCLUDED.status,
          last_seen_at = GREATEST(l.last_seen_at, EXCLUDED.last_seen_at)
       RETURNING id`,
      [
        listing.marketplace,
        listing.externalId,
        listing.shopExternalId === null ? null : (shopIds.get(listing.shopExternalId) ?? null),
        listing.shopExternalId,
        listing.title,
        listing.description,
        listing.brand,
        listing.category,
        listing.priceVnd,
        listing.originalPriceVnd,
        listing.soldCount,
        listing.rating,
        listing.images,
        listing.url,
        listing.status,
        listing.raw === undefined ? null : JSON.stringify(listing.raw),
        seenAt,
      ],
    );
    await db.query(
      `INSERT INTO listing_observations (listing_id, crawl_run_id, observed_at, price_vnd, original_price_vnd, sold_count, available)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (listing_id, crawl_run_id) DO NOTHING`,
      [rows[0]!.id, crawlRunId, seenAt, listing.priceVnd, listing.originalPriceVnd, listing.soldCount, listing.status === 'active'],
    );
  }
}
