import { UserError } from '../core/errors.ts';
import type { Queryable } from '../core/db/types.ts';
import type { Reason } from '../core/domain/reasons.ts';
import { captureFailuresFor, type CaptureFailureRow } from '../core/db/stores/evidence.ts';
import {
  leadEventRows,
  leadEvidenceRows,
  leadListingRows,
  leadRow,
  leadShopRows,
  networkRow,
  type EvidenceRow,
} from '../core/db/stores/lead-details.ts';

export type { EvidenceRow };

export interface LeadDetails {
  lead: Record<string, unknown> & { id: number; kind: string; reasons: Reason[] };
  listings: Record<string, unknown>[];
  shops: Record<string, unknown>[];
  network: Record<string, unknown> | null;
  evidence: EvidenceRow[];
  /** Loads refused as evidence (error, block, captcha, login wall, empty page), newest first. */
  captureFailures: CaptureFailureRow[];
  /** "valid evidence", "no valid evidence" (only failed captures) or "no evidence". */
  evidenceStatus: 'valid evidence' | 'no valid evidence' | 'no evidence';
  events: Record<string, unknown>[];
}

/** How many listings `show` lists for a shop or network lead; the rest are counted, not printed. */
export const SHOW_LISTING_LIMIT = 50;

/** Evidence rows for a lead: its listing's, its shop(s)' and their listings', newest first. */
export async function leadEvidence(db: Queryable, leadId: number): Promise<EvidenceRow[]> {
  return leadEvidenceRows(db, leadId);
}

/** Everything an analyst needs to judge one lead. */
export async function leadDetails(db: Queryable, leadId: number): Promise<LeadDetails> {
  const lead = await leadRow<LeadDetails['lead']>(db, leadId);
  if (!lead) throw new UserError(`no lead with id ${leadId}; find ids with \`radar leads list\``);
  const shops = await leadShopRows(db, leadId);
  const listings = await leadListingRows(db, leadId, SHOW_LISTING_LIMIT);
  const networkId =
    (lead.network_id as number | null) ?? (shops.find((s) => s.network_id != null)?.network_id as number | undefined) ?? null;
  const network = networkId === null ? null : await networkRow(db, networkId);
  const evidence = await leadEvidence(db, leadId);
  const captureFailures = await captureFailuresFor(
    db,
    listings.map((l) => Number(l.id)),
    shops.map((s) => Number(s.id)),
  );
  const events = await leadEventRows(db, leadId);
  const evidenceStatus = evidence.length > 0 ? 'valid evidence' : captureFailures.length > 0 ? 'no valid evidence' : 'no evidence';
  return { lead, listings, shops, network, evidence, captureFailures, evidenceStatus, events };
}
