import type { Queryable } from '../types.ts';

export type RelistingLink = 'phone' | 'tax_code' | 'same_photos' | 'same_shop' | 'same_item';

export interface RelistingMatch {
  listing_id: number;
  earlier_lead_id: number;
  link: RelistingLink;
  /** The phone, tax code or photo the two share; the title for a re-listed item. */
  shared: string | null;
}

/**
 * For each listing, the earliest lead of another listing that analysts confirmed or referred, or
 * whose listing was taken down, and that shares with it a strong identity (the shop's phone or tax
 * code), a photo, the shop itself, or the very title and brand. Strongest link first.
 */
export async function relistingMatches(db: Queryable, listingIds: readonly number[]): Promise<RelistingMatch[]> {
  if (listingIds.length === 0) return [];
  const { rows } = await db.query<RelistingMatch & { rank: number }>(
    `WITH target AS (
       SELECT li.id, li.shop_id, li.images, lower(li.title) AS title, lower(li.brand) AS brand, s.phone_e164, s.tax_code
       FROM listings li LEFT JOIN shops s ON s.id = li.shop_id WHERE li.id = ANY($1::bigint[])
     ), earlier AS (
       SELECT l.id AS lead_id, li.id AS listing_id, li.shop_id, li.images, lower(li.title) AS title, lower(li.brand) AS brand, s.phone_e164, s.tax_code
       FROM leads l JOIN listings li ON li.id = l.listing_id LEFT JOIN shops s ON s.id = li.shop_id
       WHERE l.kind = 'listing' AND (l.status IN ('confirmed', 'referred') OR (li.status = 'removed' AND l.status <> 'dismissed'))
     ), matched AS (
       SELECT t.id AS listing_id, e.lead_id AS earlier_lead_id,
         CASE WHEN t.phone_e164 IS NOT NULL AND t.phone_e164 = e.phone_e164 AND t.shop_id <> e.shop_id THEN 'phone'
              WHEN t.tax_code IS NOT NULL AND t.tax_code = e.tax_code AND t.shop_id <> e.shop_id THEN 'tax_code'
              WHEN t.images && e.images THEN 'same_photos'
              WHEN t.shop_id = e.shop_id THEN 'same_shop'
              ELSE 'same_item' END AS link,
         CASE WHEN t.phone_e164 IS NOT NULL AND t.phone_e164 = e.phone_e164 AND t.shop_id <> e.shop_id THEN t.phone_e164
              WHEN t.tax_code IS NOT NULL AND t.tax_code = e.tax_code AND t.shop_id <> e.shop_id THEN t.tax_code
              WHEN t.images && e.images THEN (SELECT i FROM unnest(t.images) AS i WHERE i = ANY(e.images) LIMIT 1)
              WHEN t.shop_id = e.shop_id THEN NULL
              ELSE t.title END AS shared
       FROM target t JOIN earlier e ON e.listing_id <> t.id AND (
            (t.phone_e164 IS NOT NULL AND t.phone_e164 = e.phone_e164)
         OR (t.tax_code IS NOT NULL AND t.tax_code = e.tax_code)
         OR t.images && e.images
         OR t.shop_id = e.shop_id
         OR (t.title = e.title AND t.brand IS NOT DISTINCT FROM e.brand))
     )
     SELECT DISTINCT ON (listing_id) listing_id, earlier_lead_id, link, shared,
       array_position(ARRAY['phone', 'tax_code', 'same_photos', 'same_shop', 'same_item'], link) AS rank
     FROM matched ORDER BY listing_id, rank, earlier_lead_id`,
    [listingIds],
  );
  return rows.map(({ rank: _rank, ...row }) => ({
    ...row,
    listing_id: Number(row.listing_id),
    earlier_lead_id: Number(row.earlier_lead_id),
  }));
}
