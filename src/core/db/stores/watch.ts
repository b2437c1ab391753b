import type { Queryable } from '../types.ts';

export const WATCH_KINDS = ['shop', 'listing', 'phone', 'tax_code', 'keyword'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

export interface WatchItem {
  id: number;
  kind: WatchKind;
  value: string;
  marketplace: string | null;
  url: string | null;
  note: string | null;
  province_code: number | null;
  owner: string;
  created_at: Date;
}

export interface NewWatchItem {
  kind: WatchKind;
  value: string;
  marketplace: string | null;
  url: string | null;
  note: string | null;
  provinceCode: number | null;
  owner: string;
}

/** Adds an item, or returns the id of the same active item (watching twice is watching once). */
export async function addWatchItem(db: Queryable, item: NewWatchItem): Promise<{ id: number; added: boolean }> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO watch_items (kind, value, marketplace, url, note, province_code, owner)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (kind, value, coalesce(marketplace, '')) WHERE removed_at IS NULL DO NOTHING RETURNING id`,
    [item.kind, item.value, item.marketplace, item.url, item.note, item.provinceCode, item.owner],
  );
  if (rows[0]) return { id: Number(rows[0].id), added: true };
  const existing = await db.query<{ id: number }>(
    `SELECT id FROM watch_items WHERE kind = $1 AND value = $2 AND coalesce(marketplace, '') = coalesce($3, '') AND removed_at IS NULL`,
    [item.kind, item.value, item.marketplace],
  );
  return { id: Number(existing.rows[0]!.id), added: false };
}

export async function activeWatchItems(db: Queryable): Promise<WatchItem[]> {
  const { rows } = await db.query<WatchItem>(
    `SELECT id, kind, value, marketplace, url, note, province_code, owner, created_at FROM watch_items WHERE removed_at IS NULL ORDER BY id`,
  );
  return rows.map((row) => ({ ...row, id: Number(row.id), created_at: new Date(row.created_at) }));
}

export async function removeWatchItem(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE watch_items SET removed_at = now() WHERE id = $1 AND removed_at IS NULL`, [id]);
  return rowCount > 0;
}

/** A watched listing as it is now, beside the state the last check saw (null fields: not seen before). */
export interface WatchedListingState {
  watch_item_id: number;
  listing_id: number;
  shop_id: number | null;
  title: string;
  price_vnd: number | null;
  available: boolean;
  seen_before: boolean;
  /** The item has been checked before: what turns up under it now is new. */
  item_checked: boolean;
  old_title: string | null;
  old_price_vnd: number | null;
  old_available: boolean | null;
}

// A URL as the watchlist keeps it: no query, no fragment, no trailing slash, lower-case host.
const NORMALISED_URL = (column: string) => `lower(rtrim(split_part(split_part(${column}, '#', 1), '?', 1), '/'))`;

/**
 * Every listing each active item covers: the listing itself, a shop's listings, the listings of shops
 * that carry a watched phone or tax code, and listings whose title holds a watched keyword.
 */
export async function watchedListingStates(db: Queryable): Promise<WatchedListingState[]> {
  const { rows } = await db.query<WatchedListingState>(
    `WITH covered AS (
       SELECT w.id AS watch_item_id, li.id AS listing_id FROM watch_items w
         JOIN listings li ON w.kind = 'listing' AND ${NORMALISED_URL('li.url')} = w.value
         WHERE w.removed_at IS NULL
       UNION
       SELECT w.id, li.id FROM watch_items w
         JOIN shops s ON w.kind = 'shop' AND (${NORMALISED_URL('s.url')} = w.value OR (s.external_id = w.value AND s.marketplace = w.marketplace))
         JOIN listings li ON li.shop_id = s.id
         WHERE w.removed_at IS NULL
       UNION
       SELECT w.id, li.id FROM watch_items w
         JOIN shops s ON (w.kind = 'phone' AND s.phone_e164 = w.value) OR (w.kind = 'tax_code' AND s.tax_code = w.value)
         JOIN listings li ON li.shop_id = s.id
         WHERE w.removed_at IS NULL
       UNION
       SELECT w.id, li.id FROM watch_items w
         JOIN listings li ON w.kind = 'keyword' AND li.title ILIKE '%' || w.value || '%' AND (w.marketplace IS NULL OR li.marketplace = w.marketplace)
         WHERE w.removed_at IS NULL
     )
     SELECT c.watch_item_id, c.listing_id, li.shop_id, li.title, li.price_vnd, li.status = 'active' AS available,
            snap.listing_id IS NOT NULL AS seen_before, w.checked_at IS NOT NULL AS item_checked, snap.title AS old_title, snap.price_vnd AS old_price_vnd, snap.available AS old_available
     FROM covered c
     JOIN listings li ON li.id = c.listing_id
     JOIN watch_items w ON w.id = c.watch_item_id
     LEFT JOIN watch_snapshots snap ON snap.watch_item_id = c.watch_item_id AND snap.listing_id = c.listing_id
     ORDER BY c.watch_item_id, c.listing_id`,
  );
  return rows.map((row) => ({
    ...row,
    watch_item_id: Number(row.watch_item_id),
    listing_id: Number(row.listing_id),
    shop_id: row.shop_id === null ? null : Number(row.shop_id),
    price_vnd: row.price_vnd === null ? null : Number(row.price_vnd),
    old_price_vnd: row.old_price_vnd === null ? null : Number(row.old_price_vnd),
  }));
}

export interface WatchEventInput {
  watchItemId: number;
  listingId: number;
  shopId: number | null;
  change: 'new_listing' | 'price' | 'title' | 'stock' | 'removed' | 'reappeared';
  oldValue: string | null;
  newValue: string | null;
}

/** Appends the events and moves the snapshots to what was seen, in one statement each. */
export async function recordWatchEvents(
  db: Queryable,
  events: readonly WatchEventInput[],
  seen: readonly WatchedListingState[],
  at: Date,
): Promise<void> {
  if (events.length > 0) {
    await db.query(
      `INSERT INTO watch_events (watch_item_id, listing_id, shop_id, change, old_value, new_value, at)
       SELECT * , $7::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[])`,
      [
        events.map((e) => e.watchItemId),
        events.map((e) => e.listingId),
        events.map((e) => e.shopId),
        events.map((e) => e.change),
        events.map((e) => e.oldValue),
        events.map((e) => e.newValue),
        at.toISOString(),
      ],
    );
  }
  if (seen.length > 0) {
    await db.query(
      `INSERT INTO watch_snapshots (watch_item_id, listing_id, title, price_vnd, available, seen_at)
       SELECT *, $6::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::boolean[])
       ON CONFLICT (watch_item_id, listing_id) DO UPDATE SET title = EXCLUDED.title, price_vnd = EXCLUDED.price_vnd,
         available = EXCLUDED.available, seen_at = EXCLUDED.seen_at`,
      [
        seen.map((s) => s.watch_item_id),
        seen.map((s) => s.listing_id),
        seen.map((s) => s.title),
        seen.map((s) => s.price_vnd),
        seen.map((s) => s.available),
        at.toISOString(),
      ],
    );
  }
}

/** Marks every active item checked: from now on, what turns up under it is a change. */
export async function markWatchItemsChecked(db: Queryable, at: Date): Promise<void> {
  await db.query(`UPDATE watch_items SET checked_at = $1 WHERE removed_at IS NULL`, [at.toISOString()]);
}

export interface WatchEventRow {
  id: number;
  watch_item_id: number;
  listing_id: number | null;
  change: string;
  old_value: string | null;
  new_value: string | null;
  at: Date;
}

export async function watchEvents(db: Queryable, watchItemId?: number, limit = 500): Promise<WatchEventRow[]> {
  const { rows } = await db.query<WatchEventRow>(
    `SELECT id, watch_item_id, listing_id, change, old_value, new_value, at FROM watch_events
     WHERE ($1::bigint IS NULL OR watch_item_id = $1) ORDER BY at, id LIMIT $2`,
    [watchItemId ?? null, limit],
  );
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    watch_item_id: Number(row.watch_item_id),
    listing_id: row.listing_id === null ? null : Number(row.listing_id),
    at: new Date(row.at),
  }));
}

/** One thing a watch re-crawl fetches: a shop's pages, a listing's own page, or a keyword search. */
export interface WatchCrawlRow {
  watch_item_id: number;
  mode: 'shop' | 'url' | 'query';
  /** Null for a keyword that is searched on every marketplace. */
  marketplace: string | null;
  /** The shop's external id, the listing URL, or the keyword. */
  value: string;
}

/**
 * What every active watch item asks to be fetched again. Watched shops (directly, or through a watched
 * phone or tax code) give their shop pages and the pages of up to `listingsPerShop` of their known
 * listings, most recently seen first: a listing gone from the shop page is only known as removed when
 * its own page says so, and a removed one is only seen to come back on its own page. A watched listing
 * gives its page; a keyword a search, on its marketplace or (null) on each.
 */
export async function watchCrawlRows(db: Queryable, listingsPerShop: number): Promise<WatchCrawlRow[]> {
  const { rows } = await db.query<WatchCrawlRow>(
    `WITH items AS (SELECT * FROM watch_items WHERE removed_at IS NULL),
     shop_hits AS (
       SELECT w.id AS watch_item_id, s.id AS shop_id, s.marketplace, s.external_id FROM items w
         JOIN shops s ON (w.kind = 'shop' AND (${NORMALISED_URL('s.url')} = w.value OR (s.external_id = w.value AND s.marketplace = w.marketplace)))
                      OR (w.kind = 'phone' AND s.phone_e164 = w.value) OR (w.kind = 'tax_code' AND s.tax_code = w.value)
     ),
     shop_listings AS (
       SELECT h.watch_item_id, li.marketplace, li.url,
              row_number() OVER (PARTITION BY h.watch_item_id, h.shop_id ORDER BY li.last_seen_at DESC, li.id) AS n
       FROM shop_hits h JOIN listings li ON li.shop_id = h.shop_id WHERE li.url IS NOT NULL
     )
     SELECT watch_item_id, 'shop' AS mode, marketplace, external_id AS value FROM shop_hits
     UNION
     -- A shop id watched before any crawl saw the shop: its marketplace says where to look.
     SELECT w.id, 'shop', w.marketplace, w.value FROM items w
       WHERE w.kind = 'shop' AND w.marketplace IS NOT NULL AND w.value !~ '^https?://' AND NOT EXISTS (SELECT 1 FROM shop_hits h WHERE h.watch_item_id = w.id)
     UNION
     SELECT watch_item_id, 'url', marketplace, url FROM shop_listings WHERE n <= $1
     UNION
     SELECT w.id, 'url', coalesce(li.marketplace, w.marketplace), coalesce(li.url, w.url) FROM items w
       LEFT JOIN listings li ON ${NORMALISED_URL('li.url')} = w.value
       WHERE w.kind = 'listing' AND coalesce(li.url, w.url) IS NOT NULL AND coalesce(li.marketplace, w.marketplace) IS NOT NULL
     UNION
     SELECT w.id, 'query', w.marketplace, w.value FROM items w WHERE w.kind = 'keyword'
     ORDER BY 1, 2, 3, 4`,
    [listingsPerShop],
  );
  return rows.map((row) => ({ ...row, watch_item_id: Number(row.watch_item_id) }));
}
