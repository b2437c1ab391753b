/** Reading stored listing scores back (the scorer writes them through scoring.ts). */
import type { Queryable } from '../types.ts';

/** Which of `listingIds` are flagged under `scoringVersion`, ascending. */
export async function flaggedListingIdsAmong(db: Queryable, scoringVersion: string, listingIds: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ listing_id: string | number }>(
    `SELECT listing_id FROM listing_scores WHERE scoring_version = $1 AND flagged AND listing_id = ANY($2::bigint[]) ORDER BY listing_id`,
    [scoringVersion, listingIds],
  );
  return rows.map((r) => Number(r.listing_id));
}

/** Every listing with whether `scoringVersion` flagged it (false when it was not scored). */
export async function listingFlags(
  db: Queryable,
  scoringVersion: string,
): Promise<{ marketplace: string; external_id: string; flagged: boolean }[]> {
  const { rows } = await db.query<{ marketplace: string; external_id: string; flagged: boolean }>(
    `SELECT l.marketplace, l.external_id, COALESCE(s.flagged, false) AS flagged
     FROM listings l LEFT JOIN listing_scores s ON s.listing_id = l.id AND s.scoring_version = $1`,
    [scoringVersion],
  );
  return rows;
}
