import type { ListingRecord } from '../../domain/records.ts';
import type { Queryable } from '../types.ts';
import { contentHash } from './hash.ts';
import { numberArrayLiteral, textArrayLiteral } from './pg-arrays.ts';
import { lastPerKey, type PreparedUpsert, type UpsertedRow, type UpsertReturning } from './shops.ts';

export interface UpsertListingsOptions {
  /** When set, one price/sales observation per listing is appended for this run (idempotent per run). Without it, no observation is recorded. */
  crawlRunId?: number;
  /** When the listings were seen (last_seen_at, the observation's time). @default new Date() */
  seenAt?: Date;
}

/**
 * Upserts listings and appends their observations in one statement. Keyed on
 * (marketplace, external_id): replaying a batch adds no rows and only moves last_seen_at.
 * The shop link is resolved from (marketplace, shop_external_id), so shops go first.
 * A listing is "removed" only when its own page said so; seeing it again re-activates it.
 */
export async function upsertListings(
  db: Queryable,
  records: readonly ListingRecord[],
  options: UpsertListingsOptions = {},
): Promise<UpsertedRow[]> {
  const statement = prepareListingUpsert(records, options);
  if (!statement) return [];
  const { rows } = await db.query<UpsertedRow>(statement.text, statement.values);
  return rows;
}

/**
 * The statement {@link upsertListings} runs, built without touching the database: a writer that
 * keeps statements in order (the crawl's RecordSink) builds batch N+1 on the client while batch N
 * runs on the server. Null for an empty batch.
 */
export function prepareListingUpsert(
  records: readonly ListingRecord[],
  options: UpsertListingsOptions = {},
  returning: UpsertReturning = 'rows',
): PreparedUpsert | null {
  const rows = lastPerKey(records);
  if (rows.length === 0) return null;
  const seenAt = (options.seenAt ?? new Date()).toISOString();
  const text = (key: 'marketplace' | 'externalId' | 'shopExternalId' | 'title' | 'description' | 'brand' | 'category' | 'url' | 'status') =>
    textArrayLiteral(rows.map((row) => row[key]));
  const number = (key: 'priceVnd' | 'originalPriceVnd' | 'soldCount' | 'rating') => numberArrayLiteral(rows.map((row) => row[key]));
  return {
    text: `WITH input AS (
       SELECT u.*, s.id AS shop_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                   $9::bigint[], $10::integer[], $11::real[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
         AS u(marketplace, external_id, shop_external_id, title, description, brand, category, price_vnd,
              original_price_vnd, sold_count, rating, images, url, status, raw, content_hash)
       LEFT JOIN shops s ON s.marketplace = u.marketplace AND s.external_id = u.shop_external_id
     ), upserted AS (
       INSERT INTO listings AS l (marketplace, external_id, shop_id, shop_external_id, title, description, brand, category,
          price_vnd, original_price_vnd, sold_count, rating, images, url, status, raw, content_hash,
          first_seen_at, last_seen_at, changed_at)
       SELECT marketplace, external_id, shop_id, shop_external_id, title, description, brand, category,
          price_vnd, original_price_vnd, sold_count, rating, COALESCE(images::text[], '{}'), url, status, raw::jsonb, content_hash,
          $17::timestamptz, $17::timestamptz, $17::timestamptz
       FROM input
       ON CONFLICT (marketplace, external_id) DO UPDATE SET
          shop_id = COALESCE(EXCLUDED.shop_id, l.shop_id),
          shop_external_id = COALESCE(EXCLUDED.shop_external_id, l.shop_external_id),
          title = EXCLUDED.title,
          description = COALESCE(EXCLUDED.description, l.description),
          brand = COALESCE(EXCLUDED.brand, l.brand),
          category = COALESCE(EXCLUDED.category, l.category),
          price_vnd = COALESCE(EXCLUDED.price_vnd, l.price_vnd),
          original_price_vnd = COALESCE(EXCLUDED.original_price_vnd, l.original_price_vnd),
          sold_count = COALESCE(EXCLUDED.sold_count, l.sold_count),
          rating = COALESCE(EXCLUDED.rating, l.rating),
          images = CASE WHEN cardinality(EXCLUDED.images) > 0 THEN EXCLUDED.images ELSE l.images END,
          url = COALESCE(EXCLUDED.url, l.url),
          status = EXCLUDED.status,
          raw = COALESCE(EXCLUDED.raw, l.raw),
          content_hash = EXCLUDED.content_hash,
          last_seen_at = GREATEST(l.last_seen_at, EXCLUDED.last_seen_at),
          changed_at = CASE WHEN l.content_hash IS DISTINCT FROM EXCLUDED.content_hash THEN EXCLUDED.changed_at ELSE l.changed_at END
       RETURNING l.id, l.marketplace, l.external_id, (xmax = 0) AS inserted, l.price_vnd, l.original_price_vnd, l.sold_count, l.status
     ), observed AS (
       INSERT INTO listing_observations (listing_id, crawl_run_id, observed_at, price_vnd, original_price_vnd, sold_count, available)
       SELECT id, $18::bigint, $17::timestamptz, price_vnd, original_price_vnd, sold_count, status = 'active'
       FROM upserted WHERE $18::bigint IS NOT NULL
       ON CONFLICT (listing_id, crawl_run_id) DO NOTHING
     )
     ${returning === 'rows' ? 'SELECT id, marketplace, external_id, inserted FROM upserted' : 'SELECT count(*)::int AS upserted FROM upserted'}`,
    values: [
      text('marketplace'),
      text('externalId'),
      text('shopExternalId'),
      text('title'),
      text('description'),
      text('brand'),
      text('category'),
      number('priceVnd'),
      number('originalPriceVnd'),
      number('soldCount'),
      number('rating'),
      // text[][] cannot be unnested into rows of arrays, so each row's images travel as one array literal.
      textArrayLiteral(rows.map((row) => textArrayLiteral(row.images))),
      text('url'),
      text('status'),
      textArrayLiteral(rows.map((row) => (row.raw === undefined ? null : JSON.stringify(row.raw)))),
      textArrayLiteral(rows.map(listingContentHash)),
      seenAt,
      options.crawlRunId ?? null,
    ],
  };
}

/** Marks listings removed, but only those whose own page said they are gone (never on a block). */
export async function markListingsRemoved(
  db: Queryable,
  keys: readonly { marketplace: string; externalId: string }[],
  seenAt = new Date(),
): Promise<number> {
  if (keys.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE listings l SET status = 'removed', last_seen_at = $3::timestamptz, changed_at = $3::timestamptz
     FROM unnest($1::text[], $2::text[]) AS k(marketplace, external_id)
     WHERE l.marketplace = k.marketplace AND l.external_id = k.external_id AND l.status <> 'removed'`,
    [keys.map((key) => key.marketplace), keys.map((key) => key.externalId), seenAt.toISOString()],
  );
  return rowCount;
}

function listingContentHash(row: ListingRecord): string {
  return contentHash([
    row.shopExternalId,
    row.title,
    row.description,
    row.brand,
    row.category,
    row.priceVnd,
    row.originalPriceVnd,
    row.status,
  ]);
}
