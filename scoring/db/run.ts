import { hash } from 'node:crypto';
import type { Reason } from '../../src/core/domain/reasons.ts';
import type { Db } from '../../src/core/db/types.ts';
import {
  bestListingsOfTouchedShops,
  distinctStatedBrands,
  finishScoringRun,
  lastFinishedScoringRun,
  scoringListingPages,
  scoringListingsOfShops,
  scoringShops,
  setShopNetworks,
  startScoringRun,
  upsertNetworks,
  writeListingScores,
  writeShopResolutions,
  type ListingScoreRow,
  type ScoringListingRow,
  type ScoringShopRow,
} from '../../src/core/db/stores/scoring.ts';
import { compileCatalog, extendCatalog, loadStarterCatalog, type CompiledCatalog } from '../catalog.ts';
import { SCORING_CONFIG } from '../config.ts';
import {
  analyseListing,
  linkEvidence,
  networkReason,
  networkRisks,
  networkShop,
  PeerAccumulator,
  profileShop,
  scoreListing,
  SCORING_VERSION,
  type ListingFeatures,
  type ScoreContext,
  type ScoredListing,
  type ShopProfile,
} from '../pipeline.ts';
import { makeReason } from '../reason.ts';
import { normalizePhone } from '../signals/identity.ts';
import { routeProvince, routingSource, type RoutedProvince } from '../address/route.ts';
import { describeLink, findNetworks, type Network, type NetworkReview } from '../signals/networks.ts';
import type { LeadSink, LeadTotals, ScoringLead, ScoringListing, ScoringShop } from '../types.ts';
import { loadCompiledCatalogFromDb } from './brands.ts';

export interface RunScoreOptions {
  /** Score every listing, not only those changed since the last run (a scoring change needs this). @default false */
  all?: boolean;
  /** Score listings whose changed_at is after this instant. Without it (and without `all`), the last finished run's time; every listing on the first run. */
  since?: Date;
  /** Listings per write batch. @default 5000 */
  batch?: number;
  /** Listings per keyset read page; fewer, larger pages cost fewer round trips. @default 20_000, or `batch` if larger */
  readPage?: number;
  /** Lead threshold. @default SCORING_CONFIG.leadThreshold */
  threshold?: number;
  /** "Now" for shop ages; injectable so a test's ages do not drift. @default the run's start time */
  now?: Date;
  /** Progress lines for stderr. Without it, the run is silent. */
  onProgress?: (message: string) => void;
  /** Use this catalogue instead of the database's (tests). Without it, the brand catalogue is loaded from the database. */
  catalog?: CompiledCatalog;
  /**
   * Where listing, shop and network leads go (the application passes the leads module's upsert).
   * Without one, scores, shops and networks are written and no lead is.
   */
  leads?: LeadSink;
}

export interface RunScoreResult {
  scoringVersion: string;
  mode: 'all' | 'since' | 'incremental';
  since: string | null;
  listingsScored: number;
  /** Unchanged listings of networked shops an incremental run re-scored, so their network reason is current. */
  networkListingsRescored: number;
  listingsFlagged: number;
  shopsUpdated: number;
  networks: number;
  /** Linked groups larger than the network size limit: not merged, listed with their weakest links. */
  networkReview: { key: string; shops: number; linkKinds: string[]; weakestLinks: string[] }[];
  leads: { listing: number; shop: number; network: number; created: number; reflagged: number; reopened: number };
  catalogBrands: number;
}

/** A listing to score, with the features pass 1 already computed. */
interface Target {
  id: string;
  /** Index into the shops, or -1. */
  shop: number;
  listing: ScoringListing;
  features: ListingFeatures;
  hash: string | null;
  /** The stored row's result hash: equal to the new one means the row need not be written. */
  storedHash: string | null;
}

/** MD5 hex of a reasons JSON text: the same digest the leads module keeps as reasons_hash. */
export function reasonsMd5(reasonsJson: string): string {
  return hash('md5', reasonsJson, 'hex');
}

/**
 * MD5 over everything a score row stores for a listing, so an unchanged result can be recognised without
 * the row. The reasons enter by their own MD5 (computed once and handed on to the lead).
 */
function scoreRow(row: Omit<ListingScoreRow, 'resultHash'>): { row: ListingScoreRow; reasonsHash: string } {
  const reasonsHash = reasonsMd5(row.reasons);
  const resultHash = hash(
    'md5',
    `${row.score}|${row.base}|${row.boost}|${row.flagged ? 1 : 0}|${row.reference ?? ''}|${row.hash ?? ''}|${reasonsHash}`,
    'hex',
  );
  return { row: { ...row, resultHash }, reasonsHash };
}

/** Rows per keyset read page: big pages mean fewer round trips; each page is an index range scan. */
const READ_PAGE = 20_000;
const NO_LEADS: LeadSink = { batch: Number.MAX_SAFE_INTEGER, upsert: async () => ({ created: 0, reflagged: 0, reopened: 0 }) };

/**
 * `radar score`: scores new and changed listings (or all) from PostgreSQL/PGlite.
 *  1. one keyset pass over all listings for peer price statistics and each shop's premium brands,
 *     caching the target listings' features;
 *  2. shop profiles (address resolution written to the shops' parsed columns) and networks; an
 *     incremental run adds the other listings of networked shops, so every member's best score is known;
 *  3. every target scored by `finalScore` (through `scoreListing`), network reason included, each
 *     listing_scores row written once, final;
 *  4. leads handed to `options.leads`: each flagged listing, and shops and networks with a lead.
 */
export async function runScore(db: Db, options: RunScoreOptions = {}): Promise<RunScoreResult> {
  const batch = Math.max(100, options.batch ?? 5_000);
  const threshold = options.threshold ?? SCORING_CONFIG.leadThreshold;
  const progress = options.onProgress ?? (() => undefined);
  const sink = options.leads ?? NO_LEADS;
  const runAt = new Date();
  const nowMs = (options.now ?? runAt).getTime();

  let catalog = options.catalog;
  let catalogBrands = catalog?.brands.length ?? 0;
  if (!catalog) {
    const loaded = await loadCompiledCatalogFromDb(db);
    catalogBrands = loaded.brands;
    if (loaded.brands === 0) {
      progress('no brands in the database; using the starter catalogue (run `radar brands import catalog/brands.starter.yaml`)');
      catalog = compileCatalog(loadStarterCatalog());
      catalogBrands = catalog.brands.length;
    } else catalog = loaded.catalog;
  }
  catalog = extendCatalog(catalog, await distinctStatedBrands(db));

  let mode: RunScoreResult['mode'] = options.all ? 'all' : options.since ? 'since' : 'incremental';
  let since: Date | null = options.all ? null : (options.since ?? null);
  if (mode === 'incremental') {
    since = await lastFinishedScoringRun(db, SCORING_VERSION);
    if (!since) mode = 'all';
  }
  const runId = await startScoringRun(db, { scoringVersion: SCORING_VERSION, mode, since, startedAt: runAt });

  const shopRows = await scoringShops(db);
  const shopIndex = new Map<string, number>();
  const shops: ScoringShop[] = shopRows.map((row, i) => {
    shopIndex.set(row.id, i);
    return toShop(row);
  });

  // Pass 1: one read of every listing: peer statistics and premium brands per shop, and the
  // target listings' features cached so pass 2 neither re-reads nor re-analyses them.
  const peers = new PeerAccumulator();
  const premium = shops.map(() => new Set<number>());
  const targets: Target[] = [];
  let seen = 0;
  for await (const rows of scoringListingPages(db, {
    scoringVersion: SCORING_VERSION,
    since,
    page: Math.max(1, options.readPage ?? Math.max(batch, READ_PAGE)),
  })) {
    for (const row of rows) {
      const listing = toListing(row);
      const features = analyseListing(listing, catalog);
      const s = row.shop_id ? shopIndex.get(row.shop_id) : undefined;
      if (row.active) {
        peers.add(features.peerGroup, listing.priceVnd);
        if (s !== undefined && features.brand >= 0 && catalog.brands[features.brand]!.premium) premium[s]!.add(features.brand);
      }
      if (row.target) targets.push({ id: row.id, shop: s ?? -1, listing, features, hash: row.content_hash, storedHash: row.stored_hash });
    }
    seen += rows.length;
    progress(`peer statistics: ${seen} listings read`);
  }
  const scored = targets.length;
  const profiles: ShopProfile[] = shops.map((shop, i) => profileShop(shop, premium[i]!.size, nowMs));
  const shopsUpdated = await writeShopAddresses(db, shopRows, profiles, batch);
  progress(`shops: ${shops.length} profiled, ${shopsUpdated} address columns updated`);
  const found = findNetworks(profiles.map(networkShop));
  const networks = found.networks;
  const networkIdByShop = await writeNetworks(db, shopRows, networks);
  progress(
    `networks: ${networks.length} linked groups of shops${found.review.length ? `, ${found.review.length} too large (for review)` : ''}`,
  );

  // An incremental run re-scores the unchanged listings of networked shops too: a member's new lead
  // (or its end) changes the others' network reason, and their best scores must all be known.
  let networkListingsRescored = 0;
  if (mode !== 'all' && networkIdByShop.size > 0) {
    const isTarget = new Set(targets.map((t) => t.id));
    const members = [...networkIdByShop.keys()].map((s) => shopRows[s]!.id);
    for (const row of await scoringListingsOfShops(db, { scoringVersion: SCORING_VERSION, shopIds: members })) {
      if (isTarget.has(row.id)) continue;
      const listing = toListing(row);
      targets.push({
        id: row.id,
        shop: shopIndex.get(row.shop_id!) ?? -1,
        listing,
        features: analyseListing(listing, catalog),
        hash: row.content_hash,
        storedHash: row.stored_hash,
      });
      networkListingsRescored++;
    }
  }

  const ctx: ScoreContext = { catalog, peers: peers.finish(), threshold };
  const outcome = await scoreTargets(db, sink, {
    targets,
    profiles,
    shops,
    shopDbIds: shopRows.map((row) => row.id),
    networks,
    networkIdByShop,
    ctx,
    batch,
    runAt,
    // --all knows every listing: unchanged rows need not be sent. Other runs write every row so
    // `scored_at` marks what they touched (their shop leads are read back by it).
    skipUnchanged: mode === 'all',
    progress,
  });
  const leads =
    mode === 'all'
      ? await writeShopAndNetworkLeads(sink, outcome, { runAt, progress })
      : await writeTouchedShopLeads(db, sink, outcome, {
          runAt,
          threshold,
          profiles,
          shops,
          networks,
          networkIdByShop,
          shopIndex,
          progress,
        });
  await finishScoringRun(db, runId, { scored, flagged: outcome.flagged, created: leads.created, reflagged: leads.reflagged });
  return {
    scoringVersion: SCORING_VERSION,
    mode,
    since: since?.toISOString() ?? null,
    listingsScored: scored,
    networkListingsRescored,
    listingsFlagged: outcome.flagged,
    shopsUpdated,
    networks: networks.length,
    networkReview: found.review.map((r) => reviewSummary(r, shops)),
    leads,
    catalogBrands,
  };
}

function reviewSummary(review: NetworkReview, shops: readonly ScoringShop[]): RunScoreResult['networkReview'][number] {
  return {
    key: review.key,
    shops: review.members.length,
    linkKinds: review.linkKinds,
    weakestLinks: review.weakestLinks.map((l) => `${describeLink(l, shops)}, shared by ${l.shops} shops`),
  };
}

function toShop(row: ScoringShopRow): ScoringShop {
  return {
    marketplace: row.marketplace,
    id: row.external_id,
    name: row.name,
    address: row.raw_address,
    declaredLocation: row.declared_location,
    isOfficial: row.is_official,
    joinedAtMs: row.joined_at ? new Date(row.joined_at).getTime() : null,
    followerCount: row.follower_count,
    rating: row.rating,
    phone: row.phone,
    taxCode: row.tax_code,
    email: row.email,
    bankAccount: null,
  };
}

function toListing(row: ScoringListingRow): ScoringListing {
  return {
    id: row.id,
    marketplace: row.marketplace,
    title: row.title,
    description: null,
    priceVnd: row.price_vnd === null ? null : Number(row.price_vnd),
    originalPriceVnd: row.original_price_vnd === null ? null : Number(row.original_price_vnd),
    brand: row.brand,
    category: row.category,
    soldCount: row.sold_count,
    url: null,
  };
}

/** Runs write tasks one at a time in the background, so the next batch is scored while the last is written. */
class PipelinedWriter {
  private pending: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  async push(task: () => Promise<unknown>): Promise<void> {
    await this.drain();
    this.pending = task().then(
      () => undefined,
      (error: unknown) => {
        this.failure = { error };
      },
    );
  }

  async drain(): Promise<void> {
    if (this.pending) await this.pending;
    this.pending = null;
    if (this.failure) throw this.failure.error;
  }
}

interface ScoreOutcome {
  flagged: number;
  /** Lead totals of the listing leads already handed on while scoring. */
  listingLeads: { listing: number; created: number; reflagged: number; reopened: number };
  /** Per shop: best final score (-1: no listing scored), its listing id and reasons, flagged count. */
  bestScore: Float64Array;
  bestId: Float64Array;
  bestReasons: (Reason[] | undefined)[];
  flaggedPerShop: Int32Array;
  profiles: readonly ShopProfile[];
  shops: readonly ScoringShop[];
  shopDbIds: readonly string[];
  networks: readonly Network[];
  networkIdByShop: ReadonlyMap<number, number>;
  threshold: number;
}

/**
 * Scores the targets: listings of networked shops are held back until every member's best base
 * score is known, then each listing goes through `scoreListing` (the one formula, `finalScore`)
 * with its shop's network reason, and each score row is written once. Listing leads are handed on
 * as their rows are written.
 */
async function scoreTargets(
  db: Db,
  sink: LeadSink,
  args: {
    targets: Target[];
    profiles: readonly ShopProfile[];
    shops: readonly ScoringShop[];
    /** Database ids of `shops`. */
    shopDbIds: readonly string[];
    networks: readonly Network[];
    networkIdByShop: ReadonlyMap<number, number>;
    ctx: ScoreContext;
    batch: number;
    runAt: Date;
    skipUnchanged: boolean;
    progress: (m: string) => void;
  },
): Promise<ScoreOutcome> {
  const { targets, profiles, shops, networks, networkIdByShop, ctx, batch, runAt, progress } = args;
  const threshold = ctx.threshold;
  const shopCount = shops.length;
  const outcome: ScoreOutcome = {
    flagged: 0,
    listingLeads: { listing: 0, created: 0, reflagged: 0, reopened: 0 },
    bestScore: new Float64Array(shopCount).fill(-1),
    bestId: new Float64Array(shopCount),
    bestReasons: new Array<Reason[] | undefined>(shopCount),
    flaggedPerShop: new Int32Array(shopCount),
    profiles,
    shops,
    shopDbIds: args.shopDbIds,
    networks,
    networkIdByShop,
    threshold,
  };
  const writer = new PipelinedWriter();
  let rows: ListingScoreRow[] = [];
  let candidates: ScoringLead[] = [];
  let written = 0;

  const flush = async (force: boolean) => {
    const leadsDue = candidates.length >= sink.batch || (force && candidates.length > 0);
    // A lead batch copies its reasons from the score rows, so those rows are written first (the writer
    // runs its tasks in order).
    if (rows.length >= batch || ((force || leadsDue) && rows.length > 0)) {
      const out = rows;
      rows = [];
      await writer.push(() => writeListingScores(db, out, { scoringVersion: SCORING_VERSION, scoredAt: runAt }));
      written += out.length;
      progress(`scored ${written} listings`);
    }
    if (leadsDue) {
      const out = candidates;
      candidates = [];
      await writer.push(async () => {
        const r = await sink.upsert(out, runAt, { listingReasonsStored: true });
        const totals = outcome.listingLeads;
        totals.listing += out.length;
        totals.created += r.created;
        totals.reflagged += r.reflagged;
        totals.reopened += r.reopened;
        progress(`leads: ${totals.listing} listing leads`);
      });
    }
  };
  const finish = async (t: Target, final: ScoredListing) => {
    const reasonsJson = JSON.stringify(final.reasons);
    const boost = final.score - final.baseScore;
    const { row, reasonsHash } = scoreRow({
      id: t.id,
      score: final.score,
      base: final.baseScore,
      boost,
      flagged: final.flagged,
      reasons: reasonsJson,
      reference: final.referencePriceVnd,
      hash: t.hash,
    });
    // Unchanged since the stored row: nothing to send.
    if (!args.skipUnchanged || row.resultHash !== t.storedHash) rows.push(row);
    const s = t.shop;
    if (s >= 0) {
      const id = Number(t.id);
      if (final.score > outcome.bestScore[s]! || (final.score === outcome.bestScore[s]! && id < outcome.bestId[s]!)) {
        outcome.bestScore[s] = final.score;
        outcome.bestId[s] = id;
        outcome.bestReasons[s] = final.reasons;
      }
    }
    if (final.flagged) {
      outcome.flagged++;
      if (s >= 0) outcome.flaggedPerShop[s]!++;
      const province = s >= 0 ? routeProvince(profiles[s]!.shop, profiles[s]!.resolution) : null;
      candidates.push({
        kind: 'listing',
        listingId: Number(t.id),
        score: final.score,
        scoringVersion: SCORING_VERSION,
        reasons: final.reasons,
        reasonsJson,
        reasonsHash,
        provinceCode: province?.code ?? null,
        provinceName: province?.name ?? null,
        provinceSource: province?.source ?? null,
      });
    }
    await flush(false);
  };

  const shopMax = new Float64Array(shopCount);
  const heldBack: Target[] = [];
  for (const t of targets) {
    const profile = t.shop < 0 ? null : profiles[t.shop]!;
    if (t.shop >= 0 && networkIdByShop.has(t.shop)) {
      // Base score only (no network reason) to find each member's best.
      const base = scoreListing(t.listing, t.features, profile, ctx).baseScore;
      if (base > shopMax[t.shop]!) shopMax[t.shop] = base;
      heldBack.push(t);
    } else await finish(t, scoreListing(t.listing, t.features, profile, ctx));
  }
  const risks = networkRisks(networks, shopMax);
  const reasonByShop = new Map<number, Reason | null>();
  for (const t of heldBack) {
    let reason = reasonByShop.get(t.shop);
    if (reason === undefined) reasonByShop.set(t.shop, (reason = networkReason(risks.get(t.shop), t.shop, shops, threshold)));
    await finish(t, scoreListing(t.listing, t.features, profiles[t.shop]!, ctx, reason));
  }
  await flush(true);
  await writer.drain();
  return outcome;
}

function shopLead(
  shopDbId: string,
  score: number,
  flagged: number,
  bestListing: string,
  reasons: readonly Reason[],
  province: RoutedProvince,
): ScoringLead {
  return {
    kind: 'shop',
    shopId: Number(shopDbId),
    score,
    scoringVersion: SCORING_VERSION,
    reasons: [
      makeReason(
        'shop.flagged_listings',
        0,
        `${flagged} flagged listing(s); strongest is listing ${bestListing}`,
        'Shop sells high-risk listings',
        'Shop bán nhiều tin đăng rủi ro cao',
      ),
      ...reasons,
    ],
    provinceCode: province.code,
    provinceName: province.name,
    provinceSource: province.source,
  };
}

/** A network lead: its links are its evidence, then its best member's reasons. */
function networkLead(
  networkId: number,
  network: Network,
  shops: readonly ScoringShop[],
  withLeads: number,
  top: { score: number; reasons: readonly Reason[] },
  province: RoutedProvince,
): ScoringLead {
  const links = network.links
    .slice(0, SCORING_CONFIG.network.evidenceLinks)
    .map((link) =>
      makeReason(
        'network.link',
        0,
        `${describeLink(link, shops)}: "${shops[link.a]!.name}" – "${shops[link.b]!.name}"`,
        `Shops linked by ${link.kind.replace('_', ' ')} (${link.strength})`,
        'Shop liên kết qua thông tin trùng khớp',
      ),
    );
  return {
    kind: 'network',
    networkId,
    score: top.score,
    scoringVersion: SCORING_VERSION,
    reasons: [
      makeReason(
        'network.linked_shops',
        0,
        `${network.members.length} shops on ${network.marketplaces.join(', ')} linked by ${linkEvidence(network, shops)}; ${withLeads} with leads`,
        'Network of linked shops with high-risk listings',
        'Mạng lưới shop liên kết có tin đăng rủi ro cao',
      ),
      ...links,
      ...top.reasons,
    ],
    provinceCode: province.code,
    provinceName: province.name,
    provinceSource: province.source,
  };
}

/** `--all`: shop and network leads from the in-memory per-shop bests. */
async function writeShopAndNetworkLeads(
  sink: LeadSink,
  outcome: ScoreOutcome,
  args: { runAt: Date; progress: (m: string) => void },
): Promise<RunScoreResult['leads']> {
  const { bestScore, bestId, bestReasons, flaggedPerShop, profiles, shops, shopDbIds, networks, networkIdByShop, threshold } = outcome;
  const shopCandidates: ScoringLead[] = [];
  const networkCandidates: ScoringLead[] = [];
  const leadShops: { shop: number; score: number; reasons: Reason[] }[] = [];
  for (let s = 0; s < shops.length; s++) {
    if (bestScore[s]! < threshold) continue;
    const province = routeProvince(profiles[s]!.shop, profiles[s]!.resolution);
    leadShops.push({ shop: s, score: bestScore[s]!, reasons: bestReasons[s]! });
    shopCandidates.push(shopLead(shopDbIds[s]!, bestScore[s]!, flaggedPerShop[s]!, String(bestId[s]), bestReasons[s]!, province));
  }
  const byNetwork = groupByNetwork(leadShops, networkIdByShop);
  for (const network of networks) {
    const networkId = networkIdByShop.get(network.members[0]!);
    const members = networkId === undefined ? undefined : byNetwork.get(networkId);
    if (!members) continue;
    members.sort((a, b) => b.score - a.score);
    const top = members[0]!;
    const province = routeProvince(profiles[top.shop]!.shop, profiles[top.shop]!.resolution);
    networkCandidates.push(networkLead(networkId!, network, shops, members.length, top, province));
  }
  return handOn(sink, outcome, shopCandidates, networkCandidates, args);
}

/**
 * Incremental runs: shops touched by this run whose best listing (among all their stored scores) is a
 * lead get a shop lead; their networks a network lead.
 */
async function writeTouchedShopLeads(
  db: Db,
  sink: LeadSink,
  outcome: ScoreOutcome,
  args: {
    runAt: Date;
    threshold: number;
    profiles: readonly ShopProfile[];
    shops: readonly ScoringShop[];
    networks: readonly Network[];
    networkIdByShop: ReadonlyMap<number, number>;
    shopIndex: ReadonlyMap<string, number>;
    progress: (m: string) => void;
  },
): Promise<RunScoreResult['leads']> {
  const best = await bestListingsOfTouchedShops(db, { scoringVersion: SCORING_VERSION, scoredAt: args.runAt, threshold: args.threshold });
  const shopCandidates: ScoringLead[] = [];
  const leadShops: { shop: number; score: number; reasons: Reason[] }[] = [];
  for (const row of best) {
    const s = args.shopIndex.get(row.shop_id)!;
    const province = routeProvince(args.profiles[s]!.shop, args.profiles[s]!.resolution);
    leadShops.push({ shop: s, score: row.score, reasons: row.reasons });
    shopCandidates.push(shopLead(row.shop_id, row.score, row.flagged_count, row.listing_id, row.reasons, province));
  }
  const byNetwork = groupByNetwork(leadShops, args.networkIdByShop);
  const networkCandidates: ScoringLead[] = [];
  for (const network of args.networks) {
    const networkId = args.networkIdByShop.get(network.members[0]!);
    const members = networkId === undefined ? undefined : byNetwork.get(networkId);
    if (!members) continue;
    members.sort((a, b) => b.score - a.score);
    const top = members[0]!;
    const province = routeProvince(args.profiles[top.shop]!.shop, args.profiles[top.shop]!.resolution);
    networkCandidates.push(networkLead(networkId!, network, args.shops, members.length, top, province));
  }
  return handOn(sink, outcome, shopCandidates, networkCandidates, args);
}

function groupByNetwork<T extends { shop: number }>(rows: readonly T[], networkIdByShop: ReadonlyMap<number, number>): Map<number, T[]> {
  const byNetwork = new Map<number, T[]>();
  for (const row of rows) {
    const networkId = networkIdByShop.get(row.shop);
    if (networkId === undefined) continue;
    let list = byNetwork.get(networkId);
    if (!list) byNetwork.set(networkId, (list = []));
    list.push(row);
  }
  return byNetwork;
}

async function handOn(
  sink: LeadSink,
  outcome: ScoreOutcome,
  shopCandidates: ScoringLead[],
  networkCandidates: ScoringLead[],
  args: { runAt: Date; progress: (m: string) => void },
): Promise<RunScoreResult['leads']> {
  const totals = { ...outcome.listingLeads, shop: shopCandidates.length, network: networkCandidates.length };
  for (const candidates of [shopCandidates, networkCandidates]) {
    for (let start = 0; start < candidates.length; start += sink.batch) {
      const r: LeadTotals = await sink.upsert(candidates.slice(start, start + sink.batch), args.runAt, {});
      totals.created += r.created;
      totals.reflagged += r.reflagged;
      totals.reopened += r.reopened;
    }
  }
  args.progress(`leads: ${totals.shop} shop and ${totals.network} network leads`);
  return totals;
}

async function writeShopAddresses(
  db: Db,
  rows: readonly ScoringShopRow[],
  profiles: readonly ShopProfile[],
  batch: number,
): Promise<number> {
  let updated = 0;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = [];
    for (let i = start; i < Math.min(rows.length, start + batch); i++) {
      const r = profiles[i]!.resolution;
      // The routed province (address, else declared location, landline, warehouse), or why it goes nationally
      // (overseas, none) in the same column; ward and quality stay the address's own.
      const routed = routeProvince(profiles[i]!.shop, r);
      slice.push({
        id: rows[i]!.id,
        provinceCode: routed.code,
        provinceName: routed.name,
        provinceSource: routingSource(routed),
        wardCode: r.ward_code,
        wardName: r.ward,
        quality: r.quality,
        phoneE164: phoneE164(profiles[i]!.shop.phone),
      });
    }
    updated += await writeShopResolutions(db, slice);
  }
  return updated;
}

function phoneE164(phone: string | null): string | null {
  if (!phone) return null;
  const result = normalizePhone(phone);
  return result.ok ? result.e164 : null;
}

/** Upserts networks by key, points member shops at them, and detaches shops no longer in any network. */
async function writeNetworks(db: Db, rows: readonly ScoringShopRow[], networks: readonly Network[]): Promise<Map<number, number>> {
  const networkIdByShop = new Map<number, number>();
  const idByKey = await upsertNetworks(
    db,
    networks.map((n) => ({ key: n.key, shopCount: n.members.length, marketplaces: n.marketplaces, linkKinds: n.linkKinds })),
  );
  for (const network of networks) for (const member of network.members) networkIdByShop.set(member, idByKey.get(network.key)!);
  await setShopNetworks(
    db,
    rows.map((row) => row.id),
    rows.map((_, i) => networkIdByShop.get(i) ?? null),
  );
  return networkIdByShop;
}
