import type { Reason } from '../src/domain/reasons.ts';
import type { LeadCandidate } from '../src/leads/types.ts';
import { resolveAddress, resolveLocationLabel, type AddressResolution } from './address/index.ts';
import { extendCatalog, isAuthorised, statedBrand, type CompiledCatalog, type CompiledReferencePrice } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import { clampScore, makeReason, sortReasons } from './reason.ts';
import { addressReasons } from './signals/address.ts';
import { accessoryTokenIndex, brandReasons, detectBrands, type BrandMention } from './signals/brand.ts';
import { identityReasons } from './signals/identity.ts';
import { hasKind, lexiconReasons, scanLexicon, type LexiconHit } from './signals/lexicon.ts';
import { buildNetworks, type Network } from './signals/networks.ts';
import { checkPrice, matchReference, peerStats, priceReasons, type PeerStats } from './signals/price.ts';
import { foldText, tokenize } from './text/normalize.ts';
import { shopKey, type ScoringListing, type ScoringShop } from './types.ts';

/** Stored with every score; bump when weights, thresholds or signals change. */
export const SCORING_VERSION = 'v1.0.0';

/** What one listing's text says, computed once per listing. */
export interface ListingFeatures {
  mentions: BrandMention[];
  /** The listing's own brand: first non-compatibility mention, else the stated brand; -1 if none. */
  brand: number;
  statedBrand: number;
  hits: LexiconHit[];
  claims: string[];
  legitimatelyCheap: boolean;
  reference: CompiledReferencePrice | null;
  /** Peer group: brand + product group; null when the listing has no brand. */
  peerGroup: string | null;
  /** The title had zero-width characters or Cyrillic/Greek letters. */
  maybeObfuscated: boolean;
}

/** Folds the title once and runs the text detectors (brands, lexicon, reference-price group). */
export function analyseListing(listing: ScoringListing, catalog: CompiledCatalog): ListingFeatures {
  const folded = foldText(listing.title);
  const tokens = tokenize(folded.text);
  const hits = scanLexicon(folded.text);
  const accessoryAt = accessoryTokenIndex(folded.text, hits);
  const mentions = detectBrands(listing.title, { tokens, zeroWidth: folded.zeroWidth, lookalikes: folded.lookalikes }, catalog, accessoryAt);
  const stated = statedBrand(catalog, listing.brand);
  let brand = -1;
  for (const m of mentions) {
    if (!m.compatibility) {
      brand = m.brand;
      break;
    }
  }
  const allCompat = mentions.length > 0 && brand < 0;
  if (brand < 0 && !allCompat) brand = stated;
  const claims: string[] = [];
  let used = false;
  let decant = false;
  for (const hit of hits) {
    if (hit.kind === 'claim') claims.push(hit.term);
    else if (hit.kind === 'used') used = true;
    else if (hit.kind === 'decant') decant = true;
  }
  let reference: CompiledReferencePrice | null = null;
  let peerGroup: string | null = null;
  if (brand >= 0) {
    const compiled = catalog.brands[brand]!;
    reference = matchReference(` ${tokens.join(' ')} `, compiled.referencePrices, compiled.fallbackPrice);
    peerGroup = `${brand}|${reference ? reference.match : (listing.category ?? '')}`;
  }
  return { mentions, brand, statedBrand: stated, hits, claims, legitimatelyCheap: used || decant, reference, peerGroup, maybeObfuscated: folded.zeroWidth || folded.lookalikes };
}

/** Shop-level facts computed once per shop. */
export interface ShopProfile {
  shop: ScoringShop;
  resolution: AddressResolution;
  /** Address and identity reasons, shop risk capped at shopRiskCap. */
  reasons: Reason[];
  /** Sum of `reasons` weights. */
  points: number;
}

/** Resolves the address and builds the shop's address and identity reasons. */
export function profileShop(shop: ScoringShop, premiumBrandCount: number, nowMs: number): ShopProfile {
  const resolution = resolveAddress(shop.address, { declaredLocation: shop.declaredLocation });
  const declared = shop.declaredLocation ? resolveLocationLabel(shop.declaredLocation) : null;
  const risk = [...addressReasons(shop.address, resolution, declared), ...identityReasons(shop, { nowMs, premiumBrandCount })];
  sortReasons(risk);
  // Shop-level facts alone must not make a listing a lead: cap their positive total.
  let budget: number = SCORING_CONFIG.identity.shopRiskCap;
  const reasons: Reason[] = [];
  let points = 0;
  for (const reason of risk) {
    if (reason.weight > 0) {
      const weight = Math.min(reason.weight, budget);
      budget -= weight;
      reasons.push(weight === reason.weight ? reason : { ...reason, weight });
      points += weight;
    } else {
      reasons.push(reason);
      points += reason.weight;
    }
  }
  return { shop, resolution, reasons, points };
}

/** One listing's result. */
export interface ScoredListing {
  score: number;
  flagged: boolean;
  /** Strongest first. */
  reasons: Reason[];
  referencePriceVnd: number | null;
}

export interface ScoreContext {
  catalog: CompiledCatalog;
  /** Peer stats by ListingFeatures.peerGroup. */
  peers: Map<string, PeerStats>;
  threshold: number;
}

/** Combines the signals for one listing (before the network boost). */
export function scoreListing(listing: ScoringListing, features: ListingFeatures, shop: ShopProfile | null, ctx: ScoreContext): ScoredListing {
  const catalog = ctx.catalog;
  const brandName = features.brand >= 0 ? catalog.brands[features.brand]!.name : null;
  const authorised = features.brand >= 0 && shop !== null && isAuthorised(catalog, features.brand, shop.shop.marketplace, shop.shop.id);
  const trusted = authorised || (shop?.shop.isOfficial ?? false);
  const price = priceReasons({
    priceVnd: listing.priceVnd,
    originalPriceVnd: listing.originalPriceVnd,
    reference: features.reference,
    brandName,
    peers: features.peerGroup ? (ctx.peers.get(features.peerGroup) ?? null) : null,
    legitimatelyCheap: features.legitimatelyCheap,
  });
  const reasons: Reason[] = lexiconReasons(features.hits, { brandMentioned: features.brand >= 0 });
  for (const reason of price.reasons) reasons.push(reason);
  const brand = brandReasons({
    catalog,
    mentions: features.mentions,
    statedBrand: features.statedBrand,
    statedBrandText: listing.brand,
    trustedSeller: trusted,
    claims: features.claims,
    priceBelowReference: price.belowReference,
    used: features.legitimatelyCheap,
    rawTitle: features.maybeObfuscated ? listing.title : null,
  });
  for (const reason of brand) reasons.push(reason);
  if (authorised && !(shop?.shop.isOfficial ?? false)) {
    reasons.push(makeReason('identity.authorised_seller', SCORING_CONFIG.identity.authorisedSeller, `authorised ${brandName} seller`, 'Authorised seller of this brand', 'Đại lý ủy quyền của thương hiệu'));
  }
  if (shop) for (const reason of shop.reasons) reasons.push(reason);
  let points = 0;
  for (const reason of reasons) points += reason.weight;
  const score = clampScore(points);
  sortReasons(reasons);
  return { score, flagged: score >= ctx.threshold, reasons, referencePriceVnd: features.reference?.typicalVnd ?? null };
}

/** Peer statistics from (group, price) pairs; implausible prices are left out. */
export class PeerAccumulator {
  private readonly groups = new Map<string, number[]>();

  add(group: string | null, priceVnd: number | null): void {
    if (group === null || !checkPrice(priceVnd).ok) return;
    let list = this.groups.get(group);
    if (!list) this.groups.set(group, (list = []));
    list.push(Math.log(priceVnd!));
  }

  finish(): Map<string, PeerStats> {
    const out = new Map<string, PeerStats>();
    for (const [group, logs] of this.groups) {
      const stats = peerStats(logs);
      if (stats) out.set(group, stats);
    }
    return out;
  }
}

/** A network with its best member score, for boosting the other members. */
export interface NetworkRisk {
  network: Network;
  /** Highest and second-highest shop maxima, so a shop can see "the best of the others". */
  best: { shop: number; score: number };
  second: { shop: number; score: number };
}

/** The network reason for a listing of `shopIndex`, if another member of its network is risky. */
export function networkReason(risk: NetworkRisk | undefined, shopIndex: number, shops: readonly ScoringShop[], threshold: number): Reason | null {
  if (!risk) return null;
  const other = risk.best.shop === shopIndex ? risk.second : risk.best;
  if (other.shop < 0 || other.score < threshold) return null;
  const shop = shops[other.shop]!;
  return makeReason(
    'network.risky_member',
    SCORING_CONFIG.network.riskyMember,
    `linked by ${risk.network.linkKinds.join('/')} to ${shop.marketplace} shop "${shop.name}" (score ${other.score})`,
    'Linked to a shop with high-risk listings',
    'Liên kết với shop có tin đăng rủi ro cao',
  );
}

/** Applies a network reason to a scored listing (returns a new result). */
export function withNetworkReason(scored: ScoredListing, reason: Reason | null, threshold: number): ScoredListing {
  if (!reason) return scored;
  const reasons = sortReasons([...scored.reasons, reason]);
  let points = 0;
  for (const r of reasons) points += r.weight;
  const score = clampScore(points);
  return { ...scored, reasons, score, flagged: score >= threshold };
}

/** Builds per-network top-two maxima from per-shop maxima. */
export function networkRisks(networks: readonly Network[], shopMax: ArrayLike<number>): Map<number, NetworkRisk> {
  const byShop = new Map<number, NetworkRisk>();
  for (const network of networks) {
    const risk: NetworkRisk = { network, best: { shop: -1, score: -1 }, second: { shop: -1, score: -1 } };
    for (const member of network.members) {
      const score = shopMax[member] ?? 0;
      if (score > risk.best.score) {
        risk.second = risk.best;
        risk.best = { shop: member, score };
      } else if (score > risk.second.score) risk.second = { shop: member, score };
      byShop.set(member, risk);
    }
  }
  return byShop;
}

/** One line of input: a listing and its shop. */
export interface ScoringItem {
  listing: ScoringListing;
  shop: ScoringShop | null;
}

export interface BatchOptions {
  catalog: CompiledCatalog;
  /** Lead threshold; default SCORING_CONFIG.leadThreshold. */
  threshold?: number;
  /** "Now" for shop ages; default Date.now(). */
  nowMs?: number;
}

export interface BatchResult {
  listings: ScoredListing[];
  shops: ScoringShop[];
  /** Index into `shops` for each listing, or -1. */
  listingShop: Int32Array;
  networks: Network[];
  /** Shop and network leads (listing leads are the flagged listings). */
  shopScores: Float64Array;
}

/**
 * Scores a whole set in memory (score-file, eval): peer statistics and networks use every item,
 * and one risky network member raises the others.
 */
export function scoreBatch(items: readonly ScoringItem[], options: BatchOptions): BatchResult {
  const threshold = options.threshold ?? SCORING_CONFIG.leadThreshold;
  const nowMs = options.nowMs ?? Date.now();
  const catalog = extendCatalog(options.catalog, items.map((item) => item.listing.brand));
  const shopIndex = new Map<string, number>();
  const shops: ScoringShop[] = [];
  const listingShop = new Int32Array(items.length).fill(-1);
  const premium: Set<number>[] = [];
  const features: ListingFeatures[] = new Array(items.length);
  const peers = new PeerAccumulator();
  items.forEach((item, i) => {
    const f = analyseListing(item.listing, catalog);
    features[i] = f;
    peers.add(f.peerGroup, item.listing.priceVnd);
    if (item.shop) {
      const key = shopKey(item.shop);
      let index = shopIndex.get(key);
      if (index === undefined) {
        index = shops.length;
        shopIndex.set(key, index);
        shops.push(item.shop);
        premium.push(new Set());
      }
      listingShop[i] = index;
      if (f.brand >= 0 && catalog.brands[f.brand]!.premium) premium[index]!.add(f.brand);
    }
  });
  const profiles = shops.map((shop, i) => profileShop(shop, premium[i]!.size, nowMs));
  const ctx: ScoreContext = { catalog, peers: peers.finish(), threshold };
  const base = items.map((item, i) => scoreListing(item.listing, features[i]!, listingShop[i]! >= 0 ? profiles[listingShop[i]!]! : null, ctx));
  const shopMax = new Float64Array(shops.length);
  base.forEach((scored, i) => {
    const s = listingShop[i]!;
    if (s >= 0 && scored.score > shopMax[s]!) shopMax[s] = scored.score;
  });
  const networks = buildNetworks(
    profiles.map((profile) => ({
      marketplace: profile.shop.marketplace,
      id: profile.shop.id,
      name: profile.shop.name,
      phone: profile.shop.phone,
      taxCode: profile.shop.taxCode,
      linkableAddress: linkableAddress(profile),
    })),
  );
  const risks = networkRisks(networks, shopMax);
  const listings = base.map((scored, i) => {
    const s = listingShop[i]!;
    if (s < 0 || scored.score === 0) return scored;
    return withNetworkReason(scored, networkReason(risks.get(s), s, shops, threshold), threshold);
  });
  const shopScores = new Float64Array(shops.length);
  listings.forEach((scored, i) => {
    const s = listingShop[i]!;
    if (s >= 0 && scored.score > shopScores[s]!) shopScores[s] = scored.score;
  });
  return { listings, shops, listingShop, networks, shopScores };
}

/** Only addresses that locate a real place may link shops; "Toàn quốc" must never join two shops. */
export function linkableAddress(profile: ShopProfile): string | null {
  const q = profile.resolution.quality;
  return (q === 'complete' || q === 'ward_province') && profile.shop.address ? profile.shop.address : null;
}

/** Lead candidate for a listing. */
export function listingCandidate(listingId: number, scored: ScoredListing, profile: { provinceCode: number | null; provinceName: string | null }): LeadCandidate {
  return {
    kind: 'listing',
    listingId,
    score: scored.score,
    scoringVersion: SCORING_VERSION,
    reasons: scored.reasons,
    provinceCode: profile.provinceCode,
    provinceName: profile.provinceName,
  };
}
