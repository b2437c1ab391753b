/** Reading one lead with everything around it (`radar leads show`, evidence packs). */
import type { Queryable } from '../types.ts';

/** One evidence capture as stored by the evidence engineer's capture step. */
export interface EvidenceRow {
  id: number;
  listing_id: number | null;
  shop_id: number | null;
  url: string;
  captured_at: Date;
  captured_at_local: string;
  crawler_version: string;
  files: unknown;
  /** HTTP status of the captured document (null for captures older than one-load capture). */
  http_status: number | null;
  final_url: string | null;
  /** Capture metadata: browser and version, operator, machine, headers, redirects. */
  metadata: Record<string, unknown> | null;
}

/** Ids of the shops a lead is about: its own shop, its listing's shop, or every shop in its network. */
const LEAD_SHOPS_SQL = `
  SELECT s.id FROM leads ld
  JOIN shops s ON s.id = ld.shop_id
    OR s.id = (SELECT shop_id FROM listings WHERE id = ld.listing_id)
    OR (ld.network_id IS NOT NULL AND s.network_id = ld.network_id)
  WHERE ld.id = $1`;

/**
 * Evidence rows for a lead: its listing's, its shop(s)' and their listings', newest first. The two
 * ways in are separate index lookups joined by UNION: one OR across both would scan the whole table.
 */
export async function leadEvidenceRows(db: Queryable, leadId: number): Promise<EvidenceRow[]> {
  const { rows } = await db.query<EvidenceRow>(
    `WITH lead_shops AS (${LEAD_SHOPS_SQL}),
     lead_listings AS (
       SELECT listing_id AS id FROM leads WHERE id = $1 AND listing_id IS NOT NULL
       UNION SELECT l.id FROM listings l JOIN leads ld ON ld.id = $1
        WHERE ld.kind <> 'listing' AND l.shop_id IN (SELECT id FROM lead_shops)),
     ids AS (
       SELECT id FROM evidence WHERE listing_id IN (SELECT id FROM lead_listings)
       UNION SELECT id FROM evidence WHERE shop_id IN (SELECT id FROM lead_shops))
     SELECT e.id, e.listing_id, e.shop_id, e.url, e.captured_at, e.captured_at_local, e.crawler_version, e.files, e.http_status, e.final_url, e.metadata
     FROM evidence e
     WHERE e.id IN (SELECT id FROM ids)
     ORDER BY e.captured_at DESC, e.id`,
    [leadId],
  );
  return rows;
}

/** The lead's whole row, or undefined when there is no such lead. */
export async function leadRow<R extends object>(db: Queryable, leadId: number): Promise<R | undefined> {
  const { rows } = await db.query<R>('SELECT * FROM leads WHERE id = $1', [leadId]);
  return rows[0];
}

/** The shops a lead is about, by id. */
export async function leadShopRows(db: Queryable, leadId: number): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(
    `SELECT id, marketplace, external_id, name, url, raw_address, province_name, ward_name, address_quality, phone_e164,
              tax_code, is_official, joined_at, network_id
       FROM shops WHERE id IN (${LEAD_SHOPS_SQL}) ORDER BY id`,
    [leadId],
  );
  return rows;
}

/**
 * The lead's listing, or (shop and network leads) the first `limit` listings of its shops, by id. Each
 * case is its own index lookup (listing by id; listings by shop, first `limit` only): an OR of the two
 * made PostgreSQL walk every listing.
 */
export async function leadListingRows(db: Queryable, leadId: number, limit: number): Promise<Record<string, unknown>[]> {
  const columns = 'l.id, l.marketplace, l.external_id, l.title, l.brand, l.price_vnd, l.original_price_vnd, l.url, l.status, l.shop_id';
  const { rows } = await db.query(
    `SELECT * FROM (
       (SELECT ${columns} FROM listings l WHERE l.id = (SELECT listing_id FROM leads WHERE id = $1))
       UNION
       (SELECT ${columns} FROM listings l
         WHERE (SELECT kind FROM leads WHERE id = $1) <> 'listing' AND l.shop_id IN (${LEAD_SHOPS_SQL})
         ORDER BY l.id LIMIT ${limit})
     ) lead_listings
     ORDER BY id LIMIT ${limit}`,
    [leadId],
  );
  return rows;
}

/** A network's whole row, or null. */
export async function networkRow(db: Queryable, networkId: number): Promise<Record<string, unknown> | null> {
  return (await db.query('SELECT * FROM networks WHERE id = $1', [networkId])).rows[0] ?? null;
}

/** The lead's history, oldest first. */
export async function leadEventRows(db: Queryable, leadId: number): Promise<Record<string, unknown>[]> {
  return (
    await db.query('SELECT at, actor, event, from_status, to_status, note, data FROM lead_events WHERE lead_id = $1 ORDER BY at, id', [
      leadId,
    ])
  ).rows;
}
