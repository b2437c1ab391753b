import type { Reason } from '../src/core/domain/reasons.ts';
import { resolveAddress, resolveLocationLabel, type AddressResolution } from './address/index.ts';
import { extendCatalog, isAuthorised, statedBrand, type CompiledCatalog, type CompiledReferencePrice } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import { independentSignals, makeReason, scoreFromEvidence, sortReasons } from './reason.ts';
import { addressReasons } from './signals/address.ts';
import { accessoryTokenIndex, brandReasons, detectBrands, type BrandMention } from './signals/brand.ts';
import { identityReasons } from './signals/identity.ts';
import { listingContext, supportedStatedBrand, type ListingContext } from './signals/context.ts';
import { lexiconReasons, scanLexicon, type LexiconHit } from './signals/lexicon.ts';
import { describeLink, findNetworks, type Network, type NetworkReview, type NetworkShop } from './signals/networks.ts';
import {
  belowPeers,
  checkPrice,
  listingPriceReasons,
  matchReference,
  PEER_REASON_WEIGHT,
  peerPriceReason,
  peerStats,
  type PeerStats,
} from './signals/price.ts';
import { foldText, tokenize } from './text/normalize.ts';
import { shopKey, type ScoringListing, type ScoringShop } from './types.ts';
import { reweigh, reweighAll, reweighing } from './weights.ts';

/**
 * Stored with every score: the built-in weights' version (bump it when weights, thresholds or signals
 * change), or the fitted weights' version `useScoringWeights` (scoring/weights.ts) made active.
 */
export { SCORING_VERSION } from './weights.ts';

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
  /** Condition, pack units and size, description-only evidence (signals/context.ts). */
  context: ListingContext;
}

/** Folds the title once and runs the text detectors (brands, lexicon, reference-price group). */
export function analyseListing(listing: ScoringListing, catalog: CompiledCatalog): ListingFeatures {
  const folded = foldText(listing.title);
  const tokens = tokenize(folded.text);
  const hits = scanLexicon(folded.text);
  const accessoryAt = accessoryTokenIndex(folded.text, hits);
  const mentions = detectBrands(
    listing.title,
    { tokens, zeroWidth: folded.zeroWidth, lookalikes: folded.lookalikes },
    catalog,
    accessoryAt,
    listing.category,
  );
  const stated = supportedStatedBrand(catalog, statedBrand(catalog, listing.brand), tokens, listing.category);
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
  const context = listingContext(listing, folded.text, tokens, hits, catalog, brand, reference);
  if (context.condition !== 'new') used = true;
  return {
    mentions,
    brand,
    statedBrand: stated,
    hits,
    claims,
    legitimatelyCheap: used || decant,
    reference,
    peerGroup,
    maybeObfuscated: folded.zeroWidth || folded.lookalikes,
    context,
  };
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
  // Fitted weights apply before the cap, so the cap still bounds what shop facts alone add.
  reweighAll(risk);
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
  /** `scoreFromEvidence(evidence)`: 0–100. */
  score: number;
  flagged: boolean;
  /** Strongest first. */
  reasons: Reason[];
  referencePriceVnd: number | null;
  /** Evidence points: the sum of `reasons` weights. */
  evidence: number;
  /** Independent signal families with positive evidence (ranks ties: see `compareRank`). */
  signals: number;
  /** The score without the network reason (what raises the other members of its network). */
  baseScore: number;
}

export interface ScoreContext {
  catalog: CompiledCatalog;
  /** Peer stats by ListingFeatures.peerGroup. */
  peers: Map<string, PeerStats>;
  threshold: number;
}

/** A listing's own reasons: everything except its peers' prices, its shop's profile and its network. */
export interface OwnScore {
  /** Lexicon, price, brand and authorised-seller reasons, in the order `scoreListing` lists them. */
  reasons: Reason[];
  /** Where a peer-price reason belongs in `reasons`. */
  peerSlot: number;
  /** The price is plausible and not legitimately cheap, so it may be compared with its peers. */
  peerComparable: boolean;
  /** Sum of `reasons` weights. */
  points: number;
}

/**
 * The part of a listing's score that needs nothing from other listings. A batch computes it in the
 * same pass as the text analysis, so the analysis can be garbage at once instead of held until
 * every listing's price is known.
 */
export function ownScore(listing: ScoringListing, features: ListingFeatures, shop: ScoringShop | null, catalog: CompiledCatalog): OwnScore {
  const brandName = features.brand >= 0 ? catalog.brands[features.brand]!.name : null;
  const authorised = features.brand >= 0 && shop !== null && isAuthorised(catalog, features.brand, shop.marketplace, shop.id);
  const official = shop?.isOfficial ?? false;
  const reasons: Reason[] = lexiconReasons(features.hits, { brandMentioned: features.brand >= 0 });
  const lexiconCount = reasons.length;
  const price = listingPriceReasons({
    priceVnd: listing.priceVnd,
    originalPriceVnd: listing.originalPriceVnd,
    reference: features.reference,
    brandName,
    legitimatelyCheap: features.legitimatelyCheap,
    used: features.context.condition !== 'new',
    decant: features.context.decant,
    units: features.context.units,
    sizeAmount: features.context.sizeAmount,
    sizeUnit: features.context.sizeUnit,
  });
  for (const reason of price.reasons) reasons.push(reason);
  const brand = brandReasons({
    catalog,
    mentions: features.mentions,
    statedBrand: features.statedBrand,
    statedBrandText: listing.brand,
    trustedSeller: authorised || official,
    claims: features.claims,
    priceBelowReference: price.belowReference,
    used: features.legitimatelyCheap,
    rawTitle: features.maybeObfuscated ? listing.title : null,
  });
  for (const reason of brand) reasons.push(reason);
  for (const reason of features.context.reasons) reasons.push(reason);
  if (authorised && !official) {
    reasons.push(
      makeReason(
        'identity.authorised_seller',
        SCORING_CONFIG.identity.authorisedSeller,
        `authorised ${brandName} seller`,
        'Authorised seller of this brand',
        'Đại lý ủy quyền của thương hiệu',
      ),
    );
  }
  reweighAll(reasons);
  let points = 0;
  for (const reason of reasons) points += reason.weight;
  return { reasons, peerSlot: lexiconCount + price.peerSlot, peerComparable: price.peerComparable, points };
}

/**
 * All of a listing's reasons, strongest first: its own (with the peer reason in its slot), then
 * its shop's, then its network's. Sorting is stable, so equal weights keep this order.
 */
export function combineReasons(
  own: Pick<OwnScore, 'reasons' | 'peerSlot'>,
  peer: Reason | null,
  shop: ShopProfile | null,
  network: Reason | null,
): Reason[] {
  const reasons: Reason[] = [];
  for (let i = 0; i < own.reasons.length; i++) {
    if (i === own.peerSlot && peer) reasons.push(peer);
    reasons.push(own.reasons[i]!);
  }
  if (peer && own.peerSlot >= own.reasons.length) reasons.push(peer);
  if (shop) for (const reason of shop.reasons) reasons.push(reason);
  if (network) reasons.push(network);
  return sortReasons(reasons);
}

/** What the rest of the corpus contributes to one listing's score. */
export interface CorpusParts {
  /** The peer-price reason, when its price is far below its peers'. */
  peer: Reason | null;
  /** Its shop's profile (address and identity reasons). */
  shop: ShopProfile | null;
  /** Its shop's network reason (`networkReason`), when another member of the network is a lead. */
  network: Reason | null;
}

/** Evidence points of a listing before its network: own, peer and shop evidence. */
export function baseEvidence(own: Pick<OwnScore, 'points'>, parts: Pick<CorpusParts, 'peer' | 'shop'>): number {
  return own.points + (parts.peer?.weight ?? 0) + (parts.shop?.points ?? 0);
}

/**
 * THE scoring formula: a listing's final score and reasons from its own reasons and what the corpus
 * (peers, shop, network) adds. Every path calls it: score-file, eval, `radar score --all` and
 * incremental `radar score`. The network reason counts only for a listing with some risk of its
 * own, so a network never makes a clean listing of a linked shop a lead.
 */
export function finalScore(
  own: Pick<OwnScore, 'reasons' | 'peerSlot' | 'points'>,
  parts: CorpusParts,
  referencePriceVnd: number | null,
  threshold: number,
): ScoredListing {
  const base = baseEvidence(own, parts);
  const baseScore = scoreFromEvidence(base);
  const network = baseScore > 0 ? parts.network : null;
  const evidence = base + (network?.weight ?? 0);
  const score = scoreFromEvidence(evidence);
  const reasons = combineReasons(own, parts.peer, parts.shop, network);
  return { score, flagged: score >= threshold, reasons, referencePriceVnd, evidence, signals: independentSignals(reasons), baseScore };
}

/** The peer-price reason of a listing whose price may be judged against its group's statistics. */
export function peerReasonFor(own: Pick<OwnScore, 'peerComparable'>, priceVnd: number | null, peers: PeerStats | null): Reason | null {
  const reason = own.peerComparable && peers && priceVnd !== null ? peerPriceReason(priceVnd, peers, false) : null;
  return reason && reweigh(reason);
}

/** One listing scored in its corpus, network reason included when given. */
export function scoreListing(
  listing: ScoringListing,
  features: ListingFeatures,
  shop: ShopProfile | null,
  ctx: ScoreContext,
  network: Reason | null = null,
): ScoredListing {
  const own = ownScore(listing, features, shop?.shop ?? null, ctx.catalog);
  const peers = features.peerGroup ? (ctx.peers.get(features.peerGroup) ?? null) : null;
  return finalScore(
    own,
    { peer: peerReasonFor(own, listing.priceVnd, peers), shop, network },
    features.reference?.typicalVnd ?? null,
    ctx.threshold,
  );
}

/** Peer statistics from (group, price) pairs; implausible prices are left out. */
export class PeerAccumulator {
  private readonly ids = new Map<string, number>();
  private readonly logPrices: number[][] = [];

  /** Counts a listing's price in its group; returns the group's id, or -1 when it has none. */
  add(group: string | null, priceVnd: number | null): number {
    if (group === null) return -1;
    let id = this.ids.get(group);
    if (id === undefined) {
      id = this.logPrices.length;
      this.ids.set(group, id);
      this.logPrices.push([]);
    }
    // Every plausible price counts among the peers, even one that is not itself judged.
    if (checkPrice(priceVnd).ok) this.logPrices[id]!.push(Math.log(priceVnd!));
    return id;
  }

  /** Statistics by the ids `add` returned (null for a group without a plausible price). Call once. */
  statsById(): (PeerStats | null)[] {
    return this.logPrices.map((logs) => peerStats(logs));
  }

  /** Statistics by group. Call once, instead of `statsById`. */
  finish(): Map<string, PeerStats> {
    const byId = this.statsById();
    const out = new Map<string, PeerStats>();
    for (const [group, id] of this.ids) {
      const stats = byId[id];
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
export function networkReason(
  risk: NetworkRisk | undefined,
  shopIndex: number,
  shops: readonly ScoringShop[],
  threshold: number,
): Reason | null {
  if (!risk) return null;
  const other = risk.best.shop === shopIndex ? risk.second : risk.best;
  if (other.shop < 0 || other.score < threshold) return null;
  const shop = shops[other.shop]!;
  const reason = makeReason(
    'network.risky_member',
    SCORING_CONFIG.network.riskyMember,
    `linked to ${shop.marketplace} shop "${shop.name}" (score ${other.score}) by ${linkEvidence(risk.network, shops, shopIndex)}`,
    'Linked to a shop with high-risk listings',
    'Liên kết với shop có tin đăng rủi ro cao',
  );
  return reweigh(reason);
}

/** The links that make a network, as evidence text: those touching `shopIndex` first, at most three. */
export function linkEvidence(network: Network, shops: readonly { marketplace: string; id: string }[], shopIndex = -1, limit = 3): string {
  const own = network.links.filter((l) => l.a === shopIndex || l.b === shopIndex);
  const rest = network.links.filter((l) => l.a !== shopIndex && l.b !== shopIndex);
  const shown = [...own, ...rest].slice(0, limit).map((l) => describeLink(l, shops));
  const more = network.links.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; +${more} more link(s)` : ''}`;
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
  /** Each shop's profile (address resolution, shop reasons), by shop index. */
  profiles: ShopProfile[];
  /** Index into `shops` for each listing, or -1. */
  listingShop: Int32Array;
  networks: Network[];
  /** Linked groups larger than the network size limit, for review. */
  networkReview: NetworkReview[];
}

/**
 * Scores a whole set in memory (score-file, eval): peer statistics and networks use every item,
 * and one risky network member raises the others.
 */
export function scoreBatch(items: readonly ScoringItem[], options: BatchOptions): BatchResult {
  const batch = scoreBatchLazily(items, options);
  const listings: ScoredListing[] = new Array<ScoredListing>(items.length);
  for (let i = 0; i < items.length; i++) listings[i] = batch.listing(i);
  return {
    shops: batch.shops,
    profiles: batch.profiles,
    listingShop: batch.listingShop,
    networks: batch.networks,
    networkReview: batch.networkReview,
    listings,
  };
}

const NO_REASONS: Reason[] = [];

/** A scored batch whose per-listing results are built on request. */
export interface LazyBatchResult extends Omit<BatchResult, 'listings'> {
  /** The result of item `index`: built anew on each call, so a caller that writes it out can drop it. */
  listing(index: number): ScoredListing;
}

/**
 * `scoreBatch` without the array of results. Between its passes it holds per listing only its own
 * reasons and a few numbers in typed arrays, and a listing's reasons are put together only when
 * asked for, so a caller writing them out (score-file) lets them die young. Holding every listing's
 * analysis and result until the end made the young-generation collector copy them all: a third of
 * the time it took.
 */
export function scoreBatchLazily(items: readonly ScoringItem[], options: BatchOptions): LazyBatchResult {
  const threshold = options.threshold ?? SCORING_CONFIG.leadThreshold;
  const nowMs = options.nowMs ?? Date.now();
  const catalog = extendCatalog(
    options.catalog,
    items.map((item) => item.listing.brand),
  );
  const n = items.length;
  const shopIndex = new Map<string, number>();
  const shopIndexByObject = new Map<ScoringShop, number>();
  const shops: ScoringShop[] = [];
  const listingShop = new Int32Array(n).fill(-1);
  const premium: Set<number>[] = [];

  // Pass 1: analyse each listing and score what it says on its own.
  const ownReasons: Reason[][] = new Array<Reason[]>(n);
  const ownPoints = new Float64Array(n);
  const peerSlot = new Int32Array(n);
  /** Peer group id, or -1; `peerComparable` says whether the listing's own price is judged against it. */
  const peerGroup = new Int32Array(n).fill(-1);
  const peerComparable = new Uint8Array(n);
  const referencePrice = new Float64Array(n).fill(Number.NaN);
  const peers = new PeerAccumulator();
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    const features = analyseListing(item.listing, catalog);
    if (item.shop) {
      // Lines of one shop usually share its object (score-file does): look that up before the key.
      let index = shopIndexByObject.get(item.shop);
      if (index === undefined) {
        const key = shopKey(item.shop);
        index = shopIndex.get(key);
        if (index === undefined) {
          index = shops.length;
          shopIndex.set(key, index);
          shops.push(item.shop);
          premium.push(new Set());
        }
        shopIndexByObject.set(item.shop, index);
      }
      listingShop[i] = index;
      if (features.brand >= 0 && catalog.brands[features.brand]!.premium) premium[index]!.add(features.brand);
    }
    const own = ownScore(item.listing, features, item.shop, catalog);
    ownReasons[i] = own.reasons.length > 0 ? own.reasons : NO_REASONS;
    ownPoints[i] = own.points;
    peerSlot[i] = own.peerSlot;
    peerComparable[i] = own.peerComparable ? 1 : 0;
    if (features.reference) referencePrice[i] = features.reference.typicalVnd;
    peerGroup[i] = peers.add(features.peerGroup, item.listing.priceVnd);
  }

  // Pass 2: peers, shops and base scores (no network yet).
  const groupStats = peers.statsById();
  // The peer reason's weight, fitted or built-in, resolved once per batch.
  const peerWeight = reweighing() ? reweigh(makeReason('price.below_peers', PEER_REASON_WEIGHT, '', '', '')).weight : PEER_REASON_WEIGHT;
  const profiles = shops.map((shop, i) => profileShop(shop, premium[i]!.size, nowMs));
  const belowPeerGroup = new Uint8Array(n);
  const shopMax = new Float64Array(shops.length);
  for (let i = 0; i < n; i++) {
    const group = peerGroup[i]!;
    // Only whether the peer reason applies is kept: its text is built when the listing is written.
    if (peerComparable[i] === 1 && group >= 0 && belowPeers(items[i]!.listing.priceVnd!, groupStats[group] ?? null)) belowPeerGroup[i] = 1;
    const s = listingShop[i]!;
    if (s < 0) continue;
    const score = scoreFromEvidence(ownPoints[i]! + (belowPeerGroup[i] === 1 ? peerWeight : 0) + profiles[s]!.points);
    if (score > shopMax[s]!) shopMax[s] = score;
  }

  // Pass 3: networks, which raise the listings of a risky member's partners.
  const found = findNetworks(profiles.map(networkShop));
  const networks = found.networks;
  const risks = networkRisks(networks, shopMax);
  const networkReasons: (Reason | null | undefined)[] = new Array<Reason | null | undefined>(shops.length);
  const networkReasonOfShop = (s: number): Reason | null => {
    let reason = networkReasons[s];
    if (reason === undefined) networkReasons[s] = reason = networkReason(risks.get(s), s, shops, threshold);
    return reason;
  };

  const listing = (i: number): ScoredListing => {
    const s = listingShop[i]!;
    const own = { reasons: ownReasons[i]!, peerSlot: peerSlot[i]!, points: ownPoints[i]! };
    const peerRaw = belowPeerGroup[i] === 1 ? peerPriceReason(items[i]!.listing.priceVnd!, groupStats[peerGroup[i]!]!, false) : null;
    const peer = peerRaw && reweigh(peerRaw);
    const reference = referencePrice[i]!;
    const parts = { peer, shop: s >= 0 ? profiles[s]! : null, network: s >= 0 ? networkReasonOfShop(s) : null };
    return finalScore(own, parts, Number.isNaN(reference) ? null : reference, threshold);
  };
  return { shops, profiles, listingShop, networks, networkReview: found.review, listing };
}

/** What network linking reads of a profiled shop. */
export function networkShop(profile: ShopProfile): NetworkShop {
  const shop = profile.shop;
  return {
    marketplace: shop.marketplace,
    id: shop.id,
    name: shop.name,
    phone: shop.phone,
    taxCode: shop.taxCode,
    email: shop.email ?? null,
    bankAccount: shop.bankAccount ?? null,
    linkableAddress: linkableAddress(profile),
  };
}

/**
 * Only a located street address may link shops: a complete address names a house on a street. A ward
 * and province alone are shared by thousands of shops, and "Toàn quốc" must never join two.
 */
export function linkableAddress(profile: ShopProfile): string | null {
  return profile.resolution.quality === 'complete' && profile.shop.address ? profile.shop.address : null;
}
