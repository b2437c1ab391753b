import type { Reason } from '../core/domain/reasons.ts';

export type LeadKind = 'listing' | 'shop' | 'network';
export const LEAD_STATUSES = ['new', 'reviewing', 'confirmed', 'dismissed', 'referred'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/**
 * What scoring hands to the leads module for each subject above the threshold.
 * Exactly one of listingId / shopId / networkId is set, matching `kind`.
 */
export interface LeadCandidate {
  kind: LeadKind;
  listingId?: number;
  shopId?: number;
  networkId?: number;
  score: number;
  scoringVersion: string;
  /** Strongest first. */
  reasons: Reason[];
  provinceCode: number | null;
  provinceName: string | null;
  /**
   * `JSON.stringify(reasons)`, when the caller already made it (scoring writes the same JSON into
   * listing_scores). Used only if `reasons` are already strongest first, so it is the stored form.
   */
  reasonsJson?: string;
  /** MD5 hex of `reasonsJson` (see `reasonsHash` in upsert.ts), when the caller already has it. */
  reasonsHash?: string;
}

export interface UpsertLeadsResult {
  created: number;
  reflagged: number;
  /** Dismissed leads re-opened because the score rose materially or new evidence arrived. */
  reopened: number;
}
