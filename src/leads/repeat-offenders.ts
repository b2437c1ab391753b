import { relistingMatches, type RelistingLink, type RelistingMatch } from '../core/db/stores/repeat-offenders.ts';
import type { Queryable } from '../core/db/types.ts';
import type { Reason } from '../core/domain/reasons.ts';
import type { LeadCandidate } from './types.ts';

const LINK_TEXT: Record<RelistingLink, { en: string; vi: string }> = {
  phone: { en: 'same phone as', vi: 'cùng số điện thoại với' },
  tax_code: { en: 'same tax code as', vi: 'cùng mã số thuế với' },
  same_photos: { en: 'same product photo as', vi: 'cùng ảnh sản phẩm với' },
  same_shop: { en: 'same shop as', vi: 'cùng cửa hàng với' },
  same_item: { en: 'same item re-listed as', vi: 'đăng lại đúng sản phẩm của' },
};

/**
 * The `repeat_offender` reason: it names the earlier lead and what the two share. It weighs nothing
 * in the score (the score stays the scorer's); it puts the lead among the digest's relistings and in
 * front of the analyst who confirmed the earlier one.
 */
export function repeatOffenderReason(match: RelistingMatch): Reason {
  const text = LINK_TEXT[match.link];
  const shared = match.shared ? `: ${match.shared}` : '';
  return {
    code: 'repeat_offender',
    weight: 0,
    detail: `lead #${match.earlier_lead_id} (${match.link}${shared})`,
    en: `Seller came back after an earlier lead was confirmed or taken down (${text.en} lead #${match.earlier_lead_id})`,
    vi: `Người bán quay lại sau khi lead trước đã bị xác nhận hoặc gỡ (${text.vi} lead #${match.earlier_lead_id})`,
  };
}

/** Adds `repeat_offender` to each listing candidate that relists an earlier confirmed or removed lead's goods or identity. */
export async function withRepeatOffenders(db: Queryable, candidates: readonly LeadCandidate[]): Promise<LeadCandidate[]> {
  const listingIds = candidates.flatMap((c) => (c.kind === 'listing' && c.listingId !== undefined ? [c.listingId] : []));
  const matches = new Map((await relistingMatches(db, listingIds)).map((m) => [m.listing_id, m]));
  if (matches.size === 0) return [...candidates];
  return candidates.map((candidate) => {
    const match = candidate.kind === 'listing' && candidate.listingId !== undefined ? matches.get(candidate.listingId) : undefined;
    if (!match || candidate.reasons.some((r) => r.code === 'repeat_offender')) return candidate;
    // The caller's precomputed JSON and hash describe the old reasons; the upsert recomputes both.
    return { ...candidate, reasons: [...candidate.reasons, repeatOffenderReason(match)], reasonsJson: undefined, reasonsHash: undefined };
  });
}
