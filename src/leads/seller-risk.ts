import { saveSellerRisks, sellerRiskInputs } from '../core/db/stores/seller-risk.ts';
import type { Queryable } from '../core/db/types.ts';

/**
 * Seller risk, after Red Points' Seller Risk Score: how much confirmed infringement a seller had in the
 * last 180 days, weighted by how many buyers it reaches, as a percentile among all sellers.
 *
 * A seller is an identity: the network of accounts a shop belongs to (they pool their leads and
 * followers), or the shop alone.
 *
 * Formula (version {@link SELLER_RISK_VERSION}):
 * - a lead counts when an analyst confirmed (or referred) it at a time t with asOf − 180 days ≤ t ≤ asOf;
 * - each counted lead weighs `1 + log10(1 + sold)`, where sold is its listing's sold count (0 when unknown
 *   or for a shop lead): a listing that sold 1,000 weighs 4, one that sold nothing 1;
 * - the seller's sum is multiplied by its reach `1 + log10(1 + followers) / 2` (followers of all its
 *   accounts): 10,000 followers make 3;
 * - the percentile is the share of the other sellers whose weighted figure is strictly lower, × 100, to
 *   one decimal: ties share a percentile, and every seller without a counted lead is at 0.
 * Logarithms keep one viral listing from outweighing many confirmed ones.
 */
export const SELLER_RISK_VERSION = 'seller-risk-1';
export const SELLER_RISK_WINDOW_DAYS = 180;
const DAY_MS = 86_400_000;

export interface SellerRiskInput {
  /** `network:ID` or `shop:ID`. */
  sellerKey: string;
  shopIds: number[];
  followers: number | null;
  /** Every confirmed or referred lead of the seller, with when it was confirmed. */
  confirmed: { soldCount: number | null; confirmedAt: Date }[];
}

export interface SellerRisk {
  sellerKey: string;
  shopIds: number[];
  /** Leads confirmed inside the window. */
  confirmedLeads: number;
  weighted: number;
  /** 0–100, one decimal. */
  percentile: number;
  version: string;
}

export function leadReachWeight(soldCount: number | null): number {
  return 1 + Math.log10(1 + Math.max(0, soldCount ?? 0));
}

export function sellerReach(followers: number | null): number {
  return 1 + Math.log10(1 + Math.max(0, followers ?? 0)) / 2;
}

/** True when a confirmation at `confirmedAt` falls in the 180 days that end at `asOf` (both ends included). */
export function inRiskWindow(confirmedAt: Date, asOf: Date): boolean {
  const t = confirmedAt.getTime();
  return t <= asOf.getTime() && t >= asOf.getTime() - SELLER_RISK_WINDOW_DAYS * DAY_MS;
}

/** The risk of every given seller; the percentile ranks each among all of them. */
export function sellerRisks(inputs: readonly SellerRiskInput[], asOf: Date): SellerRisk[] {
  const figures = inputs.map((input) => {
    const counted = input.confirmed.filter((lead) => inRiskWindow(lead.confirmedAt, asOf));
    const weighted =
      counted.length === 0 ? 0 : counted.reduce((sum, lead) => sum + leadReachWeight(lead.soldCount), 0) * sellerReach(input.followers);
    return { sellerKey: input.sellerKey, shopIds: input.shopIds, confirmedLeads: counted.length, weighted };
  });
  const sorted = figures.map((f) => f.weighted).sort((a, b) => a - b);
  const others = Math.max(1, figures.length - 1);
  return figures.map((figure) => {
    const below = lowerBound(sorted, figure.weighted);
    const percentile = figures.length === 1 ? (figure.weighted > 0 ? 100 : 0) : Math.round((1000 * below) / others) / 10;
    return { ...figure, percentile, version: SELLER_RISK_VERSION };
  });
}

/** How many values of the ascending list are strictly below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Computes every seller's risk as of `asOf` from the database and stores it under this version. */
export async function refreshSellerRisks(db: Queryable, asOf = new Date()): Promise<SellerRisk[]> {
  const rows = await sellerRiskInputs(db, asOf, SELLER_RISK_WINDOW_DAYS);
  const risks = sellerRisks(
    rows.map((row) => ({
      sellerKey: row.seller_key,
      shopIds: row.shop_ids,
      followers: row.followers,
      confirmed: row.confirmed.map((c) => ({ soldCount: c.sold, confirmedAt: new Date(c.at) })),
    })),
    asOf,
  );
  await saveSellerRisks(db, risks, asOf);
  return risks;
}
