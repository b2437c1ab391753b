import type { Queryable } from '../types.ts';

export interface SellerRiskInputRow {
  /** `network:ID` when the shop belongs to a network of accounts, else `shop:ID`. */
  seller_key: string;
  shop_ids: number[];
  /** Followers of all the seller's accounts; null when none is known. */
  followers: number | null;
  /** [{sold, at}] of each confirmed or referred lead: listing leads of the shop's listings, and the shop's own lead. */
  confirmed: { sold: number | null; at: string }[];
}

/**
 * Every seller (a network of accounts, or a shop outside any) with its confirmed and referred leads and when each was confirmed: the first
 * status change to confirmed or referred in `lead_events`, or the lead's last update when none was
 * recorded. Only confirmations up to `asOf` are returned, no older than `sinceDays` (of 24 hours, whatever the session's zone) before it.
 */
export async function sellerRiskInputs(db: Queryable, asOf: Date, sinceDays: number): Promise<SellerRiskInputRow[]> {
  const { rows } = await db.query<SellerRiskInputRow>(
    `WITH confirmed AS (
       SELECT coalesce(l.shop_id, li.shop_id) AS shop_id, li.sold_count AS sold,
              coalesce((SELECT min(e.at) FROM lead_events e WHERE e.lead_id = l.id AND e.to_status IN ('confirmed', 'referred')), l.updated_at) AS at
       FROM leads l LEFT JOIN listings li ON l.kind = 'listing' AND li.id = l.listing_id
       WHERE l.status IN ('confirmed', 'referred') AND l.kind IN ('listing', 'shop')
     )
     , sellers AS (
       SELECT CASE WHEN s.network_id IS NULL THEN 'shop:' || s.id ELSE 'network:' || s.network_id END AS seller_key, s.id, s.follower_count FROM shops s
     )
     SELECT k.seller_key, k.shop_ids, k.followers,
            coalesce((SELECT jsonb_agg(jsonb_build_object('sold', c.sold, 'at', c.at) ORDER BY c.at, c.sold)
                      FROM confirmed c WHERE c.shop_id = ANY(k.shop_ids) AND c.at <= $1::timestamptz AND c.at >= $2::timestamptz), '[]'::jsonb) AS confirmed
     FROM (SELECT seller_key, array_agg(id ORDER BY id) AS shop_ids, sum(follower_count)::bigint AS followers FROM sellers GROUP BY seller_key) k
     ORDER BY k.shop_ids[1]`,
    [asOf.toISOString(), new Date(asOf.getTime() - sinceDays * 86_400_000).toISOString()],
  );
  return rows.map((row) => ({
    ...row,
    shop_ids: row.shop_ids.map(Number),
    followers: row.followers === null ? null : Number(row.followers),
  }));
}

export interface SellerRiskRecord {
  sellerKey: string;
  shopIds: number[];
  confirmedLeads: number;
  weighted: number;
  percentile: number;
  version: string;
}

/** Stores each seller's figure on every one of its accounts, replacing this version's, in one statement. */
export async function saveSellerRisks(db: Queryable, risks: readonly SellerRiskRecord[], asOf: Date): Promise<void> {
  const rows = risks.flatMap((risk) => risk.shopIds.map((shopId) => ({ shopId, risk })));
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO seller_risk (shop_id, version, seller_key, as_of, confirmed_leads, weighted, percentile)
     SELECT shop_id, version, seller_key, $7::timestamptz, n, w, p
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::numeric[]) AS r(shop_id, version, seller_key, n, w, p)
     ON CONFLICT (shop_id, version) DO UPDATE SET seller_key = EXCLUDED.seller_key, as_of = EXCLUDED.as_of, confirmed_leads = EXCLUDED.confirmed_leads,
       weighted = EXCLUDED.weighted, percentile = EXCLUDED.percentile, computed_at = now()`,
    [
      rows.map((r) => r.shopId),
      rows.map((r) => r.risk.version),
      rows.map((r) => r.risk.sellerKey),
      rows.map((r) => r.risk.confirmedLeads),
      rows.map((r) => r.risk.weighted),
      rows.map((r) => r.risk.percentile),
      asOf.toISOString(),
    ],
  );
}

export interface SellerRiskListRow {
  shop_id: number;
  seller_key: string;
  marketplace: string;
  external_id: string;
  name: string;
  followers: number | null;
  confirmed_leads: number;
  weighted: number;
  percentile: number;
  version: string;
  as_of: Date;
}

/** The stored figures of one version, riskiest first; sellers without a counted lead only with `all`. */
export async function listSellerRisks(
  db: Queryable,
  version: string,
  options: { limit: number; all?: boolean; shopIds?: readonly number[] },
): Promise<SellerRiskListRow[]> {
  const { rows } = await db.query<SellerRiskListRow>(
    `SELECT r.shop_id, r.seller_key, s.marketplace, s.external_id, s.name, s.follower_count AS followers, r.confirmed_leads, r.weighted, r.percentile, r.version, r.as_of
     FROM seller_risk r JOIN shops s ON s.id = r.shop_id
     WHERE r.version = $1 AND ($3::boolean OR r.confirmed_leads > 0) AND ($4::bigint[] IS NULL OR r.shop_id = ANY($4::bigint[]))
     ORDER BY r.percentile DESC, r.weighted DESC, r.shop_id LIMIT $2`,
    [version, options.limit, options.all ?? false, options.shopIds ?? null],
  );
  return rows.map((row) => ({
    ...row,
    shop_id: Number(row.shop_id),
    followers: row.followers === null ? null : Number(row.followers),
    confirmed_leads: Number(row.confirmed_leads),
    weighted: Number(row.weighted),
    percentile: Number(row.percentile),
    as_of: new Date(row.as_of),
  }));
}
