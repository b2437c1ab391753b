import type { ProvinceSource } from '../core/domain/province-source.ts';
import type { Reason } from '../core/domain/reasons.ts';

export type LeadKind = 'listing' | 'shop' | 'network';
export const LEAD_KINDS = ['listing', 'shop', 'network'] as const satisfies readonly LeadKind[];
export const LEAD_STATUSES = ['new', 'reviewing', 'confirmed', 'dismissed', 'referred'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export { PROVINCE_SOURCES, ROUTING_SOURCES, type ProvinceSource, type RoutingSource } from '../core/domain/province-source.ts';

/** What every lead candidate carries, whatever it is about. */
interface LeadCandidateBase {
  score: number;
  scoringVersion: string;
  /** Strongest first. */
  reasons: Reason[];
  provinceCode: number | null;
  provinceName: string | null;
  /**
   * What placed the subject in `provinceCode`.
   * @default 'address' when provinceCode is set, else null
   */
  provinceSource?: ProvinceSource | null;
  /**
   * `JSON.stringify(reasons)`, when the caller already made it (scoring writes the same JSON into
   * listing_scores). Used only if `reasons` are already strongest first, so it is the stored form.
   */
  reasonsJson?: string;
  /** MD5 hex of `reasonsJson` (see `reasonsHash` in upsert.ts), when the caller already has it. */
  reasonsHash?: string;
}

export interface ListingLeadCandidate extends LeadCandidateBase {
  kind: 'listing';
  listingId: number;
}

export interface ShopLeadCandidate extends LeadCandidateBase {
  kind: 'shop';
  shopId: number;
}

export interface NetworkLeadCandidate extends LeadCandidateBase {
  kind: 'network';
  networkId: number;
}

/** What scoring hands to the leads module for each listing, shop or network above the threshold. */
export type LeadCandidate = ListingLeadCandidate | ShopLeadCandidate | NetworkLeadCandidate;

/** The id of what a candidate is about: its listing, shop or network. */
export function candidateSubject(candidate: LeadCandidate): number {
  switch (candidate.kind) {
    case 'listing':
      return candidate.listingId;
    case 'shop':
      return candidate.shopId;
    case 'network':
      return candidate.networkId;
  }
}

export interface UpsertLeadsResult {
  created: number;
  reflagged: number;
  /** Dismissed leads re-opened because the score rose materially or new evidence arrived. */
  reopened: number;
}
