import type { Queryable } from '../types.ts';

/** A stored record's natural key: the marketplace and its own id there. */
export interface RecordKey {
  marketplace: string;
  externalId: string;
}

/** The `listings.id` of a stored listing, or null when it is not stored (yet). */
export async function findListingId(db: Queryable, key: RecordKey): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(`SELECT id FROM listings WHERE marketplace = $1 AND external_id = $2`, [
    key.marketplace,
    key.externalId,
  ]);
  return rows[0] ? Number(rows[0].id) : null;
}

/** The `shops.id` of a stored shop, or null when it is not stored (yet). */
export async function findShopId(db: Queryable, key: RecordKey): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(`SELECT id FROM shops WHERE marketplace = $1 AND external_id = $2`, [
    key.marketplace,
    key.externalId,
  ]);
  return rows[0] ? Number(rows[0].id) : null;
}
