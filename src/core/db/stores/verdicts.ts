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
