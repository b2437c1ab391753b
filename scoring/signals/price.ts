import type { Reason } from '../../src/domain/reasons.ts';
import type { CompiledReferencePrice } from '../catalog.ts';
import { SCORING_CONFIG } from '../config.ts';
import { formatVnd, makeReason } from '../reason.ts';

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
}

export interface PriceOutcome {
  reasons: Reason[];
  /** Below the catalogue reference (feeds the "auth claim at a low price" reason). */
  belowReference: boolean;
}

/** Price reasons: against the catalogue reference, against robust peer stats, and inflated "original" prices. */
export function priceReasons(ctx: PriceContext): PriceOutcome {
  const cfg = SCORING_CONFIG.price;
  const reasons: Reason[] = [];
  const check = checkPrice(ctx.priceVnd);
  if (!check.ok) {
    if (ctx.priceVnd !== null && ctx.priceVnd !== undefined) {
      reasons.push(makeReason('price.rejected', 0, check.why, 'Price rejected as implausible, not scored', 'Giá bất thường, bị loại, không chấm điểm'));
    }
    return { reasons, belowReference: false };
  }
  const price = ctx.priceVnd!;
  let belowReference = false;
  if (ctx.reference && !ctx.legitimatelyCheap) {
    const ratio = price / ctx.reference.typicalVnd;
    const group = ctx.reference.match === '*' ? '' : ` ${ctx.reference.match.split('|')[0]}`;
    const detail = `${formatVnd(price)} vs ${ctx.brandName ?? 'brand'}${group} retail ${formatVnd(ctx.reference.typicalVnd)} (${Math.round(ratio * 100)}%)`;
    if (ratio < cfg.farBelowReferenceRatio) {
      reasons.push(makeReason('price.far_below_reference', cfg.farBelowReference, detail, 'Price is a small fraction of the brand\'s retail price', 'Giá chỉ bằng một phần nhỏ giá bán lẻ của hãng'));
      belowReference = true;
    } else if (ratio < cfg.belowReferenceRatio) {
      reasons.push(makeReason('price.below_reference', cfg.belowReference, detail, 'Price far below the brand\'s retail price', 'Giá thấp hơn nhiều so với giá bán lẻ của hãng'));
      belowReference = true;
    } else if (price < ctx.reference.minVnd * cfg.belowMinimumRatio) {
      reasons.push(
        makeReason('price.below_minimum', cfg.belowMinimum, `${formatVnd(price)} vs lowest genuine ${formatVnd(ctx.reference.minVnd)}`, 'Price below the lowest genuine price', 'Giá thấp hơn giá hàng thật thấp nhất'),
      );
      belowReference = true;
    }
  }
  if (ctx.peers && ctx.peers.count >= cfg.minPeers && !ctx.legitimatelyCheap) {
    const mad = Math.max(ctx.peers.madLog, cfg.madFloor) * 1.4826;
    const z = (Math.log(price) - ctx.peers.medianLog) / mad;
    const median = Math.exp(ctx.peers.medianLog);
    if (z <= cfg.peerZ && price <= median * cfg.peerMaxRatio) {
      reasons.push(
        makeReason('price.below_peers', cfg.belowPeers, `${formatVnd(price)} vs peer median ${formatVnd(median)} (n=${ctx.peers.count}, z=${z.toFixed(1)})`, 'Price far below similar listings', 'Giá thấp bất thường so với sản phẩm cùng loại'),
      );
    }
  }
  const original = ctx.originalPriceVnd;
  if (original !== null && original > price && checkPrice(original).ok) {
    const discount = 1 - price / original;
    if (discount >= cfg.inflatedDiscount) {
      const weight = discount >= cfg.extremeDiscount ? cfg.extremeOriginal : cfg.inflatedOriginal;
      reasons.push(
        makeReason('price.inflated_original', weight, `${Math.round(discount * 100)}% off ${formatVnd(original)}`, 'Claimed discount is implausibly deep (inflated original price)', 'Mức giảm giá quá sâu (giá gốc bị thổi phồng)'),
      );
    }
  }
  return { reasons, belowReference };
}

/** The most specific reference row whose keywords occur in the tokens (" a b c " form), else the brand fallback. */
export function matchReference(
  spacedTokens: string,
  referencePrices: readonly CompiledReferencePrice[],
  fallback: CompiledReferencePrice | null,
): CompiledReferencePrice | null {
  for (const row of referencePrices) {
    for (const keyword of row.keywords) {
      if (spacedTokens.includes(keyword)) return row;
    }
  }
  return fallback;
}
