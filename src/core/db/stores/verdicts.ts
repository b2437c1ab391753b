/** Analysts' verdicts on listing leads, as training data for `radar scoring fit`. */
import type { Reason } from '../../domain/reasons.ts';
import type { Queryable } from '../types.ts';

export interface VerdictRow {
  lead_id: string;
  listing_id: string;
  /** confirmed | referred (counterfeit) or dismissed (not). */
  status: 'confirmed' | 'referred' | 'dismissed';
  /** The version the lead's reasons were scored with. */
  scoring_version: string;
  reasons: Reason[];
}

/** Listing leads whose current status is a verdict, with the reasons the analyst saw; oldest lead first. */
export async function listingVerdicts(db: Queryable): Promise<VerdictRow[]> {
  const { rows } = await db.query<VerdictRow>(
    `SELECT id::text AS lead_id, listing_id::text AS listing_id, status, scoring_version, reasons
       FROM leads WHERE kind = 'listing' AND status IN ('confirmed', 'referred', 'dismissed') ORDER BY id`,
  );
  return rows;
}

/**
 * Reasons of listings scored under `scoringVersion` that carry no verdict, lowest listing id first:
 * what a fit's factors would do to listings nobody reviewed.
 */
export async function unreviewedListingReasons(
  db: Queryable,
  args: { scoringVersion: string; limit: number },
): Promise<{ listing_id: string; reasons: Reason[] }[]> {
  const { rows } = await db.query<{ listing_id: string; reasons: Reason[] }>(
    `SELECT ls.listing_id::text AS listing_id, ls.reasons FROM listing_scores ls
      WHERE ls.scoring_version = $1 AND NOT EXISTS (
        SELECT 1 FROM leads ld WHERE ld.kind = 'listing' AND ld.listing_id = ls.listing_id AND ld.status IN ('confirmed', 'referred', 'dismissed'))
      ORDER BY ls.listing_id LIMIT $2`,
    [args.scoringVersion, args.limit],
  );
  return rows;
}
