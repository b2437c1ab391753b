import type { Reason } from '../../src/core/domain/reasons.ts';
import type { CompiledReferencePrice } from '../catalog.ts';
import { SCORING_CONFIG } from '../config.ts';
import { formatVnd, makeReason } from '../reason.ts';
import { PRICE_GROUPS, USED_FLOOR_RATIO, USED_FLOOR_WEIGHT, USED_LUXURY_FLOOR_RATIO } from './price-groups.ts';

export type PriceCheck = { ok: true } | { ok: false; why: string };

/**
 * Rejects prices that cannot be real, so they are not scored: missing, below 1,000 ₫, absurdly
 * high, or not a round amount (marketplaces poison bot responses with random non-round prices).
 */
export function checkPrice(priceVnd: number | null | undefined): PriceCheck {
  const cfg = SCORING_CONFIG.price;
  if (priceVnd === null || priceVnd === undefined || !Number.isFinite(priceVnd)) return { ok: false, why: 'no price' };
  if (priceVnd < cfg.minPlausibleVnd) return { ok: false, why: `price ${formatVnd(priceVnd)} is a placeholder` };
  if (priceVnd > cfg.maxPlausibleVnd) return { ok: false, why: `price ${formatVnd(priceVnd)} is implausible` };
  if (priceVnd % cfg.priceGranularity !== 0) return { ok: false, why: `price ${priceVnd} is not a round amount (poisoned response?)` };
  return { ok: true };
}

/** Median and MAD of log-price for one peer group. */
export interface PeerStats {
  count: number;
  medianLog: number;
  madLog: number;
}

/** Robust peer statistics from log-prices; sorts the array in place. */
export function peerStats(logPrices: Float64Array | number[]): PeerStats | null {
  const n = logPrices.length;
  if (n === 0) return null;
  const sorted = logPrices instanceof Float64Array ? logPrices.sort() : Float64Array.from(logPrices).sort();
  const median = medianOfSorted(sorted);
  const deviations = new Float64Array(n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(sorted[i]! - median);
  deviations.sort();
  return { count: n, medianLog: median, madLog: medianOfSorted(deviations) };
}

function medianOfSorted(values: Float64Array): number {
  const n = values.length;
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

export interface PriceContext {
  priceVnd: number | null;
  originalPriceVnd: number | null;
  reference: CompiledReferencePrice | null;
  brandName: string | null;
  peers: PeerStats | null;
  /** Used goods and decanted perfume are legitimately cheap: no below-price reasons. */
  legitimatelyCheap: boolean;
  /**
   * Second-hand (from a condition field or title cues): compared with a used-price band instead of
   * the new retail price. Only read when `legitimatelyCheap`; a decant stays exempt.
   * @default false
   */
  used?: boolean;
  /** Decanted perfume, tester, sample, mini size. @default false */
  decant?: boolean;
  /** Units in the listing ("combo 3 hộp", "thùng 12 chai"): the price is compared per unit. @default 1 */
  units?: number;
  /** The listing's pack size in ml or g, compared pro rata with the row's size when both are known. */
  sizeAmount?: number | null;
  /** The unit of `sizeAmount`; without both, prices are compared per item. */
  sizeUnit?: 'ml' | 'g' | null;
}

export interface PriceOutcome {
  reasons: Reason[];
  /** Below the catalogue reference (feeds the "auth claim at a low price" reason). */
  belowReference: boolean;
}

/** Price reasons: against the catalogue reference, against robust peer stats, and inflated "original" prices. */
export function priceReasons(ctx: PriceContext): PriceOutcome {
  const outcome = listingPriceReasons(ctx);
  const peer = checkPrice(ctx.priceVnd).ok ? peerPriceReason(ctx.priceVnd!, ctx.peers, ctx.legitimatelyCheap) : null;
  if (peer) outcome.reasons.splice(outcome.peerSlot, 0, peer);
  return { reasons: outcome.reasons, belowReference: outcome.belowReference };
}

/** The price reasons a listing has on its own, and where the peer reason belongs among them. */
export interface ListingPriceOutcome extends PriceOutcome {
  /** Index in `reasons` of a peer reason (after the reference reason, before the original-price one). */
  peerSlot: number;
  /** The price may be compared with its peers: plausible and not legitimately cheap. */
  peerComparable: boolean;
}

/**
 * `priceReasons` without the peer comparison, which needs every listing's price first: a batch
 * scores each listing's own reasons in one pass and adds `peerPriceReason` once peers are known.
 */
export function listingPriceReasons(ctx: Omit<PriceContext, 'peers'>): ListingPriceOutcome {
  const cfg = SCORING_CONFIG.price;
  const reasons: Reason[] = [];
  const check = checkPrice(ctx.priceVnd);
  if (!check.ok) {
    if (ctx.priceVnd !== null && ctx.priceVnd !== undefined) {
      reasons.push(
        makeReason('price.rejected', 0, check.why, 'Price rejected as implausible, not scored', 'Giá bất thường, bị loại, không chấm điểm'),
      );
    }
    return { reasons, belowReference: false, peerSlot: reasons.length, peerComparable: false };
  }
  const price = ctx.priceVnd!;
  let belowReference = false;
  const reference = ctx.reference;
  if (reference && (!ctx.legitimatelyCheap || (ctx.used === true && ctx.decant !== true))) {
    const units = ctx.units !== undefined && ctx.units > 1 ? ctx.units : 1;
    const scale = sizeScale(reference, ctx.sizeAmount ?? null, ctx.sizeUnit ?? null);
    const unitPrice = price / units;
    const typical = reference.typicalVnd * scale;
    const ratio = unitPrice / typical;
    const group = reference.group ? PRICE_GROUPS[reference.group] : null;
    // The detail is built by a direct call per reason: a closure here costs a defineProperty per listing under tsx (keepNames).
    const brandName = ctx.brandName;
    if (ctx.legitimatelyCheap) {
      // Used: a fair used price is far below retail; a few percent of it is not a fair used price.
      if (ratio < (reference.group === 'luxury' ? USED_LUXURY_FLOOR_RATIO : USED_FLOOR_RATIO)) {
        reasons.push(
          makeReason(
            'price.far_below_used',
            USED_FLOOR_WEIGHT,
            referenceDetail(price, units, scale, ratio, reference, brandName),
            "Price is far below even a used item's value",
            'Giá thấp hơn nhiều so với cả giá hàng đã qua sử dụng',
          ),
        );
        belowReference = true;
      }
    } else if (group && reference.group !== 'luxury' && ratio < group.floorRatio) {
      reasons.push(
        makeReason(
          'price.below_group_floor',
          group.weight,
          `${referenceDetail(price, units, scale, ratio, reference, brandName)} [${reference.group}]`,
          'Consumable or regulated product far below the distributor price: genuine stock cannot sell this cheap',
          'Hàng tiêu dùng/hàng điều kiện rẻ hơn nhiều so với giá nhà phân phối: hàng thật không thể bán giá này',
        ),
      );
      belowReference = true;
    } else if (group && reference.group === 'luxury' && ratio < group.floorRatio) {
      reasons.push(
        makeReason(
          'price.luxury_fraction',
          group.weight,
          referenceDetail(price, units, scale, ratio, reference, brandName),
          'Luxury item at a few percent of retail',
          'Hàng xa xỉ với giá chỉ bằng vài phần trăm giá bán lẻ',
        ),
      );
      belowReference = true;
    } else if (ratio < cfg.farBelowReferenceRatio) {
      reasons.push(
        makeReason(
          'price.far_below_reference',
          cfg.farBelowReference,
          referenceDetail(price, units, scale, ratio, reference, brandName),
          "Price is a small fraction of the brand's retail price",
          'Giá chỉ bằng một phần nhỏ giá bán lẻ của hãng',
        ),
      );
      belowReference = true;
    } else if (ratio < cfg.belowReferenceRatio) {
      reasons.push(
        makeReason(
          'price.below_reference',
          cfg.belowReference,
          referenceDetail(price, units, scale, ratio, reference, brandName),
          "Price far below the brand's retail price",
          'Giá thấp hơn nhiều so với giá bán lẻ của hãng',
        ),
      );
      belowReference = true;
    } else if (unitPrice < reference.minVnd * scale * cfg.belowMinimumRatio) {
      reasons.push(
        makeReason(
          'price.below_minimum',
          cfg.belowMinimum,
          `${formatVnd(price)}${units > 1 ? ` (${units} units)` : ''} vs lowest genuine ${formatVnd(Math.round(reference.minVnd * scale))}`,
          'Price below the lowest genuine price',
          'Giá thấp hơn giá hàng thật thấp nhất',
        ),
      );
      belowReference = true;
    }
  }
  const peerSlot = reasons.length;
  const original = ctx.originalPriceVnd;
  if (original !== null && original > price && checkPrice(original).ok) {
    const discount = 1 - price / original;
    if (discount >= cfg.inflatedDiscount) {
      const weight = discount >= cfg.extremeDiscount ? cfg.extremeOriginal : cfg.inflatedOriginal;
      reasons.push(
        makeReason(
          'price.inflated_original',
          weight,
          `${Math.round(discount * 100)}% off ${formatVnd(original)}`,
          'Claimed discount is implausibly deep (inflated original price)',
          'Mức giảm giá quá sâu (giá gốc bị thổi phồng)',
        ),
      );
    }
  }
  return { reasons, belowReference, peerSlot, peerComparable: !ctx.legitimatelyCheap };
}

/** A row's size against the listing's: the typical price pro rata, within sane bounds; 1 when unknown. */
function sizeScale(reference: CompiledReferencePrice, amount: number | null, unit: 'ml' | 'g' | null): number {
  if (reference.sizeAmount === null || amount === null || unit !== reference.sizeUnit) return 1;
  return Math.min(20, Math.max(0.05, amount / reference.sizeAmount));
}

/** The evidence: price (per unit when a pack), the row that matched the title (by its keyword), and the ratio. */
function referenceDetail(
  price: number,
  units: number,
  scale: number,
  ratio: number,
  reference: CompiledReferencePrice,
  brandName: string | null,
): string {
  const group = reference.matched === '*' ? '' : ` ${reference.matched}`;
  const each = units > 1 ? ` (${units} units, ${formatVnd(Math.round(price / units))} each)` : '';
  const sized = scale !== 1 ? ` × ${Math.round(scale * 100) / 100} for size` : '';
  return `${formatVnd(price)}${each} vs ${brandName ?? 'brand'}${group} retail ${formatVnd(reference.typicalVnd)}${sized} (${Math.round(ratio * 100)}%)`;
}

/** Robust z-score of a plausible price against its peers, when they are enough and it is far below them; else null. */
export function belowPeers(priceVnd: number, peers: PeerStats | null): { z: number; medianVnd: number } | null {
  const cfg = SCORING_CONFIG.price;
  if (!peers || peers.count < cfg.minPeers) return null;
  const mad = Math.max(peers.madLog, cfg.madFloor) * 1.4826;
  const z = (Math.log(priceVnd) - peers.medianLog) / mad;
  const medianVnd = Math.exp(peers.medianLog);
  return z <= cfg.peerZ && priceVnd <= medianVnd * cfg.peerMaxRatio ? { z, medianVnd } : null;
}

/** Weight of the peer reason, as `makeReason` rounds it. */
export const PEER_REASON_WEIGHT = Math.round(SCORING_CONFIG.price.belowPeers);

/** The peer reason for a plausible price, or null. */
export function peerPriceReason(priceVnd: number, peers: PeerStats | null, legitimatelyCheap: boolean): Reason | null {
  if (legitimatelyCheap) return null;
  const below = belowPeers(priceVnd, peers);
  if (!below) return null;
  return makeReason(
    'price.below_peers',
    SCORING_CONFIG.price.belowPeers,
    `${formatVnd(priceVnd)} vs peer median ${formatVnd(below.medianVnd)} (n=${peers!.count}, z=${below.z.toFixed(1)})`,
    'Price far below similar listings',
    'Giá thấp bất thường so với sản phẩm cùng loại',
  );
}

/**
 * The reference row whose keyword that occurs in the tokens (" a b c " form) is the longest (the
 * first such row in file order on a tie), else the brand fallback. The row comes back with
 * `matched` set to that keyword, so the reason's detail names what matched.
 */
export function matchReference(
  spacedTokens: string,
  referencePrices: readonly CompiledReferencePrice[],
  fallback: CompiledReferencePrice | null,
): CompiledReferencePrice | null {
  // Every (row, keyword) pair, longest keyword first: the first that occurs is the answer.
  const byLength = keywordsByLength(referencePrices);
  for (let k = 0; k < byLength.length; k++) {
    const variant = byLength[k]!;
    if (spacedTokens.includes(variant.keyword)) return variant.row;
  }
  return fallback;
}

/** The reference-price equivalent of `matchReference` without the precomputed order: the test oracle. */
export function matchReferenceReference(
  spacedTokens: string,
  referencePrices: readonly CompiledReferencePrice[],
  fallback: CompiledReferencePrice | null,
): CompiledReferencePrice | null {
  let best: CompiledReferencePrice | null = null;
  let bestLength = 0;
  for (const row of referencePrices) {
    row.keywords.forEach((keyword, k) => {
      if (keyword.length > bestLength && spacedTokens.includes(keyword)) {
        best = row.byKeyword[k] ?? row;
        bestLength = keyword.length;
      }
    });
  }
  return best ?? fallback;
}

const keywordOrder = new WeakMap<readonly CompiledReferencePrice[], { keyword: string; row: CompiledReferencePrice }[]>();

function keywordsByLength(rows: readonly CompiledReferencePrice[]): { keyword: string; row: CompiledReferencePrice }[] {
  let order = keywordOrder.get(rows);
  if (order === undefined) {
    order = [];
    for (const row of rows) row.keywords.forEach((keyword, k) => order!.push({ keyword, row: row.byKeyword[k] ?? row }));
    // Stable sort: equal lengths keep file order, as the oracle's strict ">" does.
    order.sort((a, b) => b.keyword.length - a.keyword.length);
    keywordOrder.set(rows, order);
  }
  return order;
}
