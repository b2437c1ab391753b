import { hash } from 'node:crypto';
import type { Reason } from '../../src/core/domain/reasons.ts';
import type { Db, Queryable } from '../../src/core/db/types.ts';
import type { LeadCandidate } from '../../src/leads/types.ts';
import { reasonsHash, upsertLeads, UPSERT_LEADS_BATCH, type UpsertLeadsOptions } from '../../src/leads/upsert.ts';
import { compileCatalog, extendCatalog, loadStarterCatalog, type CompiledCatalog } from '../catalog.ts';
import { SCORING_CONFIG } from '../config.ts';
import {
  analyseListing,
  linkableAddress,
  networkReason,
  networkRisks,
  PeerAccumulator,
  profileShop,
  scoreListing,
  SCORING_VERSION,
  withNetworkReason,
  type ListingFeatures,
  type ScoreContext,
  type ScoredListing,
  type ShopProfile,
} from '../pipeline.ts';
import type { Network } from '../signals/networks.ts';
import { makeReason } from '../reason.ts';
import { normalizePhone } from '../signals/identity.ts';
import { routeProvince, type ProvinceSource } from '../address/route.ts';
import { buildNetworks } from '../signals/networks.ts';
import type { ScoringListing, ScoringShop } from '../types.ts';
import { loadCompiledCatalogFromDb } from './brands.ts';

export interface RunScoreOptions {
  /** Score every listing, not only those changed since the last run. */
  all?: boolean;
  /** Score listings whose changed_at is after this instant (overrides the last run's time). */
  since?: Date;
  /** Listings per write batch. Default 5,000. */
  batch?: number;
  /** Listings per keyset read page; default 20,000 (or `batch`, if larger). */
  readPage?: number;
  /** Lead threshold; default SCORING_CONFIG.leadThreshold. */
  threshold?: number;
  /** "Now" for shop ages; default the run's start time. */
  now?: Date;
  /** Progress lines for stderr. */
  onProgress?: (message: string) => void;
  /** Use this catalogue instead of the database's (tests). */
  catalog?: CompiledCatalog;
}

export interface RunScoreResult {
  scoringVersion: string;
  mode: 'all' | 'since' | 'incremental';
  since: string | null;
  listingsScored: number;
  listingsFlagged: number;
  shopsUpdated: number;
  networks: number;
  leads: { listing: number; shop: number; network: number; created: number; reflagged: number; reopened: number };
  catalogBrands: number;
}

interface ShopRow {
  id: string;
  marketplace: string;
  external_id: string;
  name: string;
  raw_address: string | null;
  declared_location: string | null;
  phone: string | null;
  tax_code: string | null;
  is_official: boolean;
  joined_at: Date | string | null;
  follower_count: number | null;
  rating: number | null;
}

interface ListingRow {
  id: string;
  shop_id: string | null;
  marketplace: string;
  external_id: string;
  title: string;
  description: string | null;
  brand: string | null;
  category: string | null;
  price_vnd: string | number | null;
  original_price_vnd: string | number | null;
  sold_count: number | null;
  url: string | null;
  content_hash: string | null;
  /** Not removed: counts towards peer prices and premium brands. */
  active: boolean;
  /** Scored by this run. */
  target: boolean;
  /** listing_scores.result_hash for SCORING_VERSION, if scored before. */
  stored_hash: string | null;
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

/** One listing_scores row to write. */
interface ScoreRow {
  id: string;
  score: number;
  base: number;
  boost: number;
  flagged: boolean;
  reasons: string;
  reference: number | null;
  hash: string | null;
  /** MD5 of `reasons` (see reasonsHash in src/leads/upsert.ts). */
  reasonsHash: string;
  /** Hash of everything the row stores (see {@link scoreRow}). */
  resultHash: string;
}

/**
 * MD5 over everything a score row stores for a listing, so an unchanged result can be recognised without
 * the row. The reasons enter by their own MD5 (the hash a lead keeps as reasons_hash, computed once and
 * handed on), so the long JSON is hashed once per listing, not twice.
 */
function scoreRow(row: Omit<ScoreRow, 'resultHash' | 'reasonsHash'>): ScoreRow {
  const reasonsMd5 = reasonsHash(row.reasons);
  const result = hash('md5', `${row.score}|${row.base}|${row.boost}|${row.flagged ? 1 : 0}|${row.reference ?? ''}|${row.hash ?? ''}|${reasonsMd5}`, 'hex');
  return { ...row, reasonsHash: reasonsMd5, resultHash: result };
}

/** Rows per keyset read page: big pages mean fewer round trips; each page is an index range scan. */
const READ_PAGE = 20_000;

const LISTING_COLUMNS = `l.id::text AS id, l.shop_id::text AS shop_id, l.marketplace, l.external_id, l.title, NULL::text AS description, l.brand, l.category,
  l.price_vnd, l.original_price_vnd, l.sold_count, NULL::text AS url, l.content_hash`;

/**
 * `radar score`: scores new and changed listings from PostgreSQL in keyset-paginated batches.
 *  1. one streaming pass over all listings for peer price statistics and each shop's premium brands;
 *  2. shop profiles (address resolution written to the shops' parsed columns) and networks;
 *  3. the target listings scored and written set-based (unnest) into listing_scores for SCORING_VERSION;
 *  4. the network boost applied set-based to members of networks with a risky shop;
 *  5. leads upserted per flagged listing, shop and network through upsertLeads.
 */
export async function runScore(db: Db, options: RunScoreOptions = {}): Promise<RunScoreResult> {
  const batch = Math.max(100, options.batch ?? 5_000);
  const threshold = options.threshold ?? SCORING_CONFIG.leadThreshold;
  const progress = options.onProgress ?? (() => undefined);
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
  const stated = await db.query<{ brand: string }>('SELECT DISTINCT brand FROM listings WHERE brand IS NOT NULL');
  catalog = extendCatalog(catalog, stated.rows.map((row) => row.brand));

  let mode: RunScoreResult['mode'] = options.all ? 'all' : options.since ? 'since' : 'incremental';
  let since: Date | null = options.all ? null : (options.since ?? null);
  if (mode === 'incremental') {
    const last = await db.query<{ started_at: Date }>(
      'SELECT started_at FROM scoring_runs WHERE scoring_version = $1 AND finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 1',
      [SCORING_VERSION],
    );
    since = last.rows[0] ? new Date(last.rows[0].started_at) : null;
    if (!since) mode = 'all';
  }
  const run = await db.query<{ id: string }>(
    'INSERT INTO scoring_runs (scoring_version, mode, since, started_at) VALUES ($1, $2, $3, $4) RETURNING id::text AS id',
    [SCORING_VERSION, mode, since?.toISOString() ?? null, runAt.toISOString()],
  );
  const runId = run.rows[0]!.id;

  // Shops: all in memory (one row each is small next to listings).
  const shopRows = (await db.query<ShopRow>(
    `SELECT id::text AS id, marketplace, external_id, name, raw_address, declared_location, phone, tax_code, is_official,
       joined_at, follower_count, rating FROM shops ORDER BY id`,
  )).rows;
  const shopIndex = new Map<string, number>();
  const shops: ScoringShop[] = shopRows.map((row, i) => {
    shopIndex.set(row.id, i);
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
    };
  });

  // Pass 1: one read of every listing: peer statistics and premium brands per shop, and the
  // target listings' features cached so pass 2 neither re-reads nor re-analyses them.
  const peers = new PeerAccumulator();
  const premium = shops.map(() => new Set<number>());
  const targets: Target[] = [];
  let seen = 0;
  const targetSql = since ? `l.changed_at > $2` : 'true';
  const readParams: unknown[] = since ? [SCORING_VERSION, since.toISOString()] : [SCORING_VERSION];
  // The stored result hash comes with each listing (a merge of two primary-key ranges), so a re-run
  // compares in memory and sends only the score rows that changed.
  const select = `SELECT ${LISTING_COLUMNS}, l.status <> 'removed' AS active, ${targetSql} AS target, ls.result_hash AS stored_hash
    FROM listings l LEFT JOIN listing_scores ls ON ls.listing_id = l.id AND ls.scoring_version = $1`;
  for await (const rows of keyset(db, select, readParams, Math.max(1, options.readPage ?? Math.max(batch, READ_PAGE)))) {
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
  const profiles: ShopProfile[] = shops.map((shop, i) => profileShop(shop, premium[i]!.size, nowMs));
  const shopsUpdated = await writeShopAddresses(db, shopRows, profiles, batch);
  progress(`shops: ${shops.length} profiled, ${shopsUpdated} address columns updated`);
  const networks = buildNetworks(
    profiles.map((p) => ({ marketplace: p.shop.marketplace, id: p.shop.id, name: p.shop.name, phone: p.shop.phone, taxCode: p.shop.taxCode, linkableAddress: linkableAddress(p) })),
  );
  const networkIdByShop = await writeNetworks(db, shopRows, networks);
  progress(`networks: ${networks.length} linked groups of shops`);

  // Pass 2: score the cached targets.
  const ctx: ScoreContext = { catalog, peers: peers.finish(), threshold };
  const scored = targets.length;
  let leads: RunScoreResult['leads'];
  let flaggedCount: number;
  if (mode === 'all') {
    // Every listing is a target, so each shop's best base score is known here: the network boost
    // and the leads are computed in memory and every score row is written once, final.
    const outcome = await scoreAllInMemory(db, { targets, profiles, shops, shopDbIds: shopRows.map((row) => row.id), networks, networkIdByShop, ctx, batch, runAt, progress });
    flaggedCount = outcome.flagged;
    leads = await writeLeadsFromMemory(db, outcome, { runAt, progress });
  } else {
    let written = 0;
    const writer = new PipelinedWriter();
    for (let start = 0; start < targets.length; start += batch) {
      const out: ScoreRow[] = [];
      for (let i = start; i < Math.min(targets.length, start + batch); i++) {
        const t = targets[i]!;
        const result = scoreListing(t.listing, t.features, t.shop < 0 ? null : profiles[t.shop]!, ctx);
        out.push(scoreRow({ id: t.id, score: result.score, base: result.score, boost: 0, flagged: result.flagged, reasons: JSON.stringify(result.reasons), reference: result.referencePriceVnd, hash: t.hash }));
      }
      await writer.push(() => writeScores(db, out, runAt));
      written += out.length;
      progress(`scored ${written} listings`);
    }
    await writer.drain();
    await applyNetworkBoost(db, shopRows, shops, networks, threshold, runAt);
    leads = await writeLeads(db, { runAt, threshold, progress });
    flaggedCount = Number(
      (await db.query<{ n: string }>('SELECT count(*)::text AS n FROM listing_scores WHERE scoring_version = $1 AND scored_at = $2 AND flagged', [SCORING_VERSION, runAt.toISOString()])).rows[0]!.n,
    );
  }
  await db.query(
    `UPDATE scoring_runs SET finished_at = now(), listings_scored = $2, listings_flagged = $3, leads_created = $4, leads_reflagged = $5 WHERE id = $1`,
    [runId, scored, flaggedCount, leads.created, leads.reflagged],
  );
  return {
    scoringVersion: SCORING_VERSION,
    mode,
    since: since?.toISOString() ?? null,
    listingsScored: scored,
    listingsFlagged: flaggedCount,
    shopsUpdated,
    networks: networks.length,
    leads,
    catalogBrands,
  };
}

function toListing(row: ListingRow): ScoringListing {
  return {
    id: row.id,
    marketplace: row.marketplace,
    title: row.title,
    description: row.description,
    priceVnd: row.price_vnd === null ? null : Number(row.price_vnd),
    originalPriceVnd: row.original_price_vnd === null ? null : Number(row.original_price_vnd),
    brand: row.brand,
    category: row.category,
    soldCount: row.sold_count,
    url: row.url,
  };
}

/**
 * Keyset pagination on listings.id: each page is an index range scan, however deep. The next page is
 * fetched while the caller works on the current one. ORDER BY names `l.id` (listings): a bare `id` would
 * sort by the text output column and skip or repeat rows once ids pass a power of ten.
 */
async function* keyset(db: Queryable, select: string, params: unknown[], batch: number): AsyncGenerator<ListingRow[]> {
  const joiner = /\bWHERE\b/i.test(select) ? 'AND' : 'WHERE';
  const p = params.length;
  const fetchAfter = (after: string) => {
    const page = db.query<ListingRow>(`${select} ${joiner} l.id > $${p + 1}::bigint ORDER BY l.id LIMIT $${p + 2}`, [...params, after, batch]).then((r) => r.rows);
    // Awaited on the next iteration; this only keeps an early exit from reporting it as unhandled.
    page.catch(() => undefined);
    return page;
  };
  let next = fetchAfter('0');
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    const more = rows.length === batch;
    if (more) next = fetchAfter(rows[rows.length - 1]!.id);
    yield rows;
    if (!more) return;
  }
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

/**
 * Writes score rows in one statement, in a transaction without waiting for the WAL flush (scores are
 * recomputable, so losing the last second of them in a crash costs a re-run, nothing more). The rows
 * go as one JSON document (json_to_recordset): node-postgres would otherwise escape every quote of
 * every reasons string into a text[] literal in JavaScript, which cost more CPU than scoring them.
 * `--all` passes only rows whose result hash differs from the stored one; incremental runs pass every
 * row so `scored_at` marks the run (their lead and boost queries read it).
 */
async function writeScores(db: Db, rows: readonly ScoreRow[], runAt: Date): Promise<void> {
  if (rows.length === 0) return;
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    parts[i] =
      `{"id":${row.id},"score":${row.score},"base":${row.base},"boost":${row.boost},"flagged":${row.flagged},"reasons":${row.reasons},` +
      `"reference":${row.reference ?? 'null'},"hash":${row.hash === null ? 'null' : JSON.stringify(row.hash)},"result_hash":"${row.resultHash}"}`;
  }
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    await tx.query(
      `INSERT INTO listing_scores AS ls (listing_id, scoring_version, score, base_score, network_boost, flagged, reasons, reference_price_vnd, content_hash, result_hash, scored_at)
       SELECT u.id, $1, u.score, u.base, u.boost, u.flagged, u.reasons, u.reference, u.hash, u.result_hash, $2::timestamptz
       FROM json_to_recordset($3::json)
         AS u(id bigint, score smallint, base smallint, boost smallint, flagged boolean, reasons jsonb, reference bigint, hash text, result_hash text)
       ON CONFLICT (listing_id, scoring_version) DO UPDATE SET score = EXCLUDED.score, base_score = EXCLUDED.base_score,
         network_boost = EXCLUDED.network_boost, flagged = EXCLUDED.flagged, reasons = EXCLUDED.reasons,
         reference_price_vnd = EXCLUDED.reference_price_vnd, content_hash = EXCLUDED.content_hash,
         result_hash = EXCLUDED.result_hash, scored_at = EXCLUDED.scored_at`,
      [SCORING_VERSION, runAt.toISOString(), `[${parts.join(',')}]`],
    );
  });
}

/**
 * Upserts leads in one transaction without waiting for the WAL flush (a re-run recreates them), with
 * enough sort memory that a batch's candidate rows (reasons JSON included) do not spill to disk.
 */
async function upsertLeadsAsync(db: Db, candidates: LeadCandidate[], runAt: Date, options: UpsertLeadsOptions = {}) {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    if (db.kind === 'postgres') await tx.query("SET LOCAL work_mem = '64MB'");
    return upsertLeads(tx, candidates, runAt, options);
  });
}

interface InMemoryOutcome {
  flagged: number;
  /** Lead totals of the listing leads already upserted while scoring. */
  listingLeads: { listing: number; created: number; reflagged: number; reopened: number };
  shopCandidates: LeadCandidate[];
  networkCandidates: LeadCandidate[];
}

/**
 * `--all`: scores every listing, holds back only the listings of networked shops until every shop's
 * best base score is known, applies the network reason in memory (as scoreBatch does), and writes each
 * score row once. Listing leads are upserted as their scores are written; shop and network leads are
 * built from the per-shop best listing (highest score, then lowest listing id) and flagged counts.
 */
async function scoreAllInMemory(
  db: Db,
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
    progress: (m: string) => void;
  },
): Promise<InMemoryOutcome> {
  const { targets, profiles, shops, shopDbIds, networks, networkIdByShop, ctx, batch, runAt, progress } = args;
  const threshold = ctx.threshold;
  const shopCount = shops.length;
  const shopMax = new Float64Array(shopCount);
  const bestScore = new Float64Array(shopCount).fill(-1);
  const bestId = new Float64Array(shopCount);
  const bestReasons: (Reason[] | undefined)[] = new Array(shopCount);
  const flaggedPerShop = new Int32Array(shopCount);
  const outcome: InMemoryOutcome = { flagged: 0, listingLeads: { listing: 0, created: 0, reflagged: 0, reopened: 0 }, shopCandidates: [], networkCandidates: [] };
  const writer = new PipelinedWriter();
  let rows: ScoreRow[] = [];
  let candidates: LeadCandidate[] = [];
  let written = 0;

  const flush = async (force: boolean) => {
    const leadsDue = candidates.length >= UPSERT_LEADS_BATCH || (force && candidates.length > 0);
    // A lead batch copies its reasons from the score rows, so those rows are written first (the writer
    // runs its tasks in order).
    if (rows.length >= batch || ((force || leadsDue) && rows.length > 0)) {
      const out = rows;
      rows = [];
      await writer.push(() => writeScores(db, out, runAt));
      written += out.length;
      progress(`scored ${written} listings`);
    }
    if (leadsDue) {
      const out = candidates;
      candidates = [];
      await writer.push(async () => {
        const r = await upsertLeadsAsync(db, out, runAt, { listingReasonsStored: true });
        const totals = outcome.listingLeads;
        totals.listing += out.length;
        totals.created += r.created;
        totals.reflagged += r.reflagged;
        totals.reopened += r.reopened;
        progress(`leads: ${totals.listing} listing leads`);
      });
    }
  };
  const finish = async (t: Target, base: ScoredListing, final: ScoredListing, boost: number) => {
    const reasonsJson = JSON.stringify(final.reasons);
    const row = scoreRow({ id: t.id, score: final.score, base: base.score, boost, flagged: final.flagged, reasons: reasonsJson, reference: final.referencePriceVnd, hash: t.hash });
    // Unchanged since the stored row: nothing to send.
    if (row.resultHash !== t.storedHash) rows.push(row);
    const s = t.shop;
    if (s >= 0) {
      const id = Number(t.id);
      if (final.score > bestScore[s]! || (final.score === bestScore[s]! && id < bestId[s]!)) {
        bestScore[s] = final.score;
        bestId[s] = id;
        bestReasons[s] = final.reasons;
      }
    }
    if (final.flagged) {
      outcome.flagged++;
      if (s >= 0) flaggedPerShop[s]!++;
      const province = s >= 0 ? routeProvince(profiles[s]!.shop, profiles[s]!.resolution) : null;
      candidates.push({
        kind: 'listing',
        listingId: Number(t.id),
        score: final.score,
        scoringVersion: SCORING_VERSION,
        reasons: final.reasons,
        reasonsJson,
        reasonsHash: row.reasonsHash,
        provinceCode: province?.code ?? null,
        provinceName: province?.name ?? null,
        provinceSource: province?.source ?? null,
      });
    }
    await flush(false);
  };

  const heldBack: { target: Target; base: ScoredListing }[] = [];
  for (const t of targets) {
    const profile = t.shop < 0 ? null : profiles[t.shop]!;
    const base = scoreListing(t.listing, t.features, profile, ctx);
    if (t.shop >= 0 && networkIdByShop.has(t.shop)) {
      if (base.score > shopMax[t.shop]!) shopMax[t.shop] = base.score;
      heldBack.push({ target: t, base });
    } else await finish(t, base, base, 0);
  }
  const risks = networkRisks(networks, shopMax);
  const reasonByShop = new Map<number, Reason | null>();
  for (const { target, base } of heldBack) {
    let reason = reasonByShop.get(target.shop);
    if (reason === undefined) reasonByShop.set(target.shop, (reason = networkReason(risks.get(target.shop), target.shop, shops, threshold)));
    if (!reason || base.score === 0) await finish(target, base, base, 0);
    else await finish(target, base, withNetworkReason(base, reason, threshold), SCORING_CONFIG.network.riskyMember);
  }
  await flush(true);
  await writer.drain();

  const shopLeadRows: { shop: number; score: number; reasons: Reason[] }[] = [];
  for (let s = 0; s < shopCount; s++) {
    if (bestScore[s]! < threshold) continue;
    const reasons = bestReasons[s]!;
    shopLeadRows.push({ shop: s, score: bestScore[s]!, reasons });
    const province = routeProvince(profiles[s]!.shop, profiles[s]!.resolution);
    outcome.shopCandidates.push({
      kind: 'shop',
      shopId: Number(shopDbIds[s]),
      score: bestScore[s]!,
      scoringVersion: SCORING_VERSION,
      reasons: [
        makeReason('shop.flagged_listings', 0, `${flaggedPerShop[s]} flagged listing(s); strongest is listing ${bestId[s]}`, 'Shop sells high-risk listings', 'Shop bán nhiều tin đăng rủi ro cao'),
        ...reasons,
      ],
      provinceCode: province.code,
      provinceName: province.name,
      provinceSource: province.source,
    });
  }
  const byNetwork = new Map<number, typeof shopLeadRows>();
  for (const row of shopLeadRows) {
    const networkId = networkIdByShop.get(row.shop);
    if (networkId === undefined) continue;
    let list = byNetwork.get(networkId);
    if (!list) byNetwork.set(networkId, (list = []));
    list.push(row);
  }
  for (const network of networks) {
    const networkId = networkIdByShop.get(network.members[0]!);
    const members = networkId === undefined ? undefined : byNetwork.get(networkId);
    if (!members) continue;
    members.sort((a, b) => b.score - a.score);
    const top = members[0]!;
    const province = routeProvince(profiles[top.shop]!.shop, profiles[top.shop]!.resolution);
    outcome.networkCandidates.push({
      kind: 'network',
      networkId: networkId!,
      score: top.score,
      scoringVersion: SCORING_VERSION,
      reasons: [
        makeReason(
          'network.linked_shops',
          0,
          `${network.members.length} shops on ${network.marketplaces.join(', ')} linked by ${network.linkKinds.join(', ')}; ${members.length} with leads`,
          'Network of linked shops with high-risk listings',
          'Mạng lưới shop liên kết có tin đăng rủi ro cao',
        ),
        ...top.reasons,
      ],
      provinceCode: province.code,
      provinceName: province.name,
      provinceSource: province.source,
    });
  }
  return outcome;
}

async function writeShopAddresses(db: Queryable, rows: readonly ShopRow[], profiles: readonly ShopProfile[], batch: number): Promise<number> {
  let updated = 0;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = profiles.slice(start, start + batch);
    const ids = rows.slice(start, start + batch).map((row) => row.id);
    const routes = slice.map((p) => routeProvince(p.shop, p.resolution));
    const result = await db.query(
      `UPDATE shops s SET province_code = u.province_code, province_name = u.province_name, ward_code = u.ward_code,
         ward_name = u.ward_name, address_quality = u.quality, phone_e164 = COALESCE(u.phone_e164, s.phone_e164),
         province_source = u.province_source
       FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS u(id, province_code, province_name, ward_code, ward_name, quality, phone_e164, province_source)
       WHERE s.id = u.id AND (s.province_code IS DISTINCT FROM u.province_code OR s.ward_code IS DISTINCT FROM u.ward_code
         OR s.address_quality IS DISTINCT FROM u.quality OR s.province_name IS DISTINCT FROM u.province_name
         OR s.province_source IS DISTINCT FROM u.province_source
         OR (u.phone_e164 IS NOT NULL AND s.phone_e164 IS DISTINCT FROM u.phone_e164))`,
      [
        ids,
        // The routed province (address, else declared location, landline, warehouse): see scoring/address/route.ts.
        routes.map((r) => r.code),
        routes.map((r) => r.name),
        slice.map((p) => p.resolution.ward_code),
        slice.map((p) => p.resolution.ward),
        slice.map((p) => p.resolution.quality),
        slice.map((p) => phoneE164(p.shop.phone)),
        routes.map((r) => r.source),
      ],
    );
    updated += result.rowCount;
  }
  return updated;
}

function phoneE164(phone: string | null): string | null {
  if (!phone) return null;
  const result = normalizePhone(phone);
  return result.ok ? result.e164 : null;
}

/** Upserts networks by key, points member shops at them, and detaches shops no longer in any network. */
async function writeNetworks(db: Queryable, rows: readonly ShopRow[], networks: ReturnType<typeof buildNetworks>): Promise<Map<number, number>> {
  const networkIdByShop = new Map<number, number>();
  if (networks.length > 0) {
    const { rows: ids } = await db.query<{ id: string; network_key: string }>(
      `INSERT INTO networks AS n (network_key, shop_count, marketplaces, link_kinds, updated_at)
       SELECT u.key, u.count, u.marketplaces::text[], u.kinds::text[], now()
       FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[]) AS u(key, count, marketplaces, kinds)
       ON CONFLICT (network_key) DO UPDATE SET shop_count = EXCLUDED.shop_count, marketplaces = EXCLUDED.marketplaces,
         link_kinds = EXCLUDED.link_kinds, updated_at = now()
       RETURNING n.id::text AS id, n.network_key`,
      [
        networks.map((n) => n.key),
        networks.map((n) => n.members.length),
        networks.map((n) => `{${n.marketplaces.join(',')}}`),
        networks.map((n) => `{${n.linkKinds.join(',')}}`),
      ],
    );
    const idByKey = new Map(ids.map((row) => [row.network_key, Number(row.id)]));
    for (const network of networks) for (const member of network.members) networkIdByShop.set(member, idByKey.get(network.key)!);
  }
  const shopIds: string[] = [];
  const networkIds: (number | null)[] = [];
  rows.forEach((row, i) => {
    shopIds.push(row.id);
    networkIds.push(networkIdByShop.get(i) ?? null);
  });
  await db.query(
    `UPDATE shops s SET network_id = u.network_id FROM unnest($1::bigint[], $2::bigint[]) AS u(id, network_id)
     WHERE s.id = u.id AND s.network_id IS DISTINCT FROM u.network_id`,
    [shopIds, networkIds],
  );
  return networkIdByShop;
}

/**
 * One risky member raises the others: for listings of every networked shop, recompute the network
 * reason from the members' base scores and rewrite score/flagged/reasons in one statement.
 */
async function applyNetworkBoost(
  db: Queryable,
  rows: readonly ShopRow[],
  shops: readonly ScoringShop[],
  networks: ReturnType<typeof buildNetworks>,
  threshold: number,
  runAt: Date,
): Promise<void> {
  if (networks.length === 0) return;
  const memberIds = networks.flatMap((n) => n.members.map((m) => rows[m]!.id));
  const { rows: maxima } = await db.query<{ shop_id: string; best: number }>(
    `SELECT l.shop_id::text AS shop_id, max(COALESCE(ls.base_score, ls.score))::int AS best FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id
     WHERE ls.scoring_version = $1 AND l.shop_id = ANY($2::bigint[]) GROUP BY l.shop_id`,
    [SCORING_VERSION, memberIds],
  );
  const indexById = new Map(rows.map((row, i) => [row.id, i]));
  const shopMax = new Float64Array(rows.length);
  for (const row of maxima) shopMax[indexById.get(row.shop_id)!] = row.best;
  const risks = networkRisks(networks, shopMax);
  const ids: string[] = [];
  const reasons: (string | null)[] = [];
  for (const network of networks) {
    for (const member of network.members) {
      const reason: Reason | null = networkReason(risks.get(member), member, shops, threshold);
      ids.push(rows[member]!.id);
      reasons.push(reason ? JSON.stringify([reason]) : null);
    }
  }
  await db.query(
    `WITH u AS (SELECT * FROM unnest($1::bigint[], $2::text[]) AS u(shop_id, reason))
     UPDATE listing_scores ls SET
       base_score = COALESCE(ls.base_score, ls.score),
       network_boost = CASE WHEN u.reason IS NULL OR ls.base_score = 0 THEN 0 ELSE $3 END,
       score = LEAST(100, COALESCE(ls.base_score, ls.score) + CASE WHEN u.reason IS NULL OR ls.base_score = 0 THEN 0 ELSE $3 END),
       flagged = LEAST(100, COALESCE(ls.base_score, ls.score) + CASE WHEN u.reason IS NULL OR ls.base_score = 0 THEN 0 ELSE $3 END) >= $4,
       reasons = (SELECT COALESCE(jsonb_agg(r ORDER BY (r->>'weight')::numeric DESC), '[]'::jsonb)
                  FROM jsonb_array_elements(
                    (SELECT COALESCE(jsonb_agg(o), '[]'::jsonb) FROM jsonb_array_elements(ls.reasons) o WHERE o->>'code' <> 'network.risky_member')
                    || CASE WHEN u.reason IS NULL OR ls.base_score = 0 THEN '[]'::jsonb ELSE u.reason::jsonb END) r),
       scored_at = $6::timestamptz,
       -- The row no longer holds what its writer hashed; a later --all run must rewrite it.
       result_hash = NULL
     FROM listings l, u
     WHERE l.id = ls.listing_id AND l.shop_id = u.shop_id AND ls.scoring_version = $5
       AND (ls.network_boost <> 0 OR (u.reason IS NOT NULL AND ls.base_score > 0))`,
    [ids, reasons, SCORING_CONFIG.network.riskyMember, threshold, SCORING_VERSION, runAt.toISOString()],
  );
}

/** Shop and network leads of an in-memory run, after its listing leads. */
async function writeLeadsFromMemory(db: Db, outcome: InMemoryOutcome, args: { runAt: Date; progress: (m: string) => void }): Promise<RunScoreResult['leads']> {
  const totals = { ...outcome.listingLeads, shop: outcome.shopCandidates.length, network: outcome.networkCandidates.length };
  for (const candidates of [outcome.shopCandidates, outcome.networkCandidates]) {
    if (candidates.length === 0) continue;
    const r = await upsertLeadsAsync(db, candidates, args.runAt);
    totals.created += r.created;
    totals.reflagged += r.reflagged;
    totals.reopened += r.reopened;
  }
  args.progress(`leads: ${totals.shop} shop and ${totals.network} network leads`);
  return totals;
}

interface LeadRow {
  listing_id: string;
  shop_id: string | null;
  score: number;
  reasons: Reason[];
  province_code: number | null;
  province_name: string | null;
  province_source: ProvinceSource | null;
}

/** Listing leads for every flagged listing scored in this run; shop and network leads for their shops. */
async function writeLeads(
  db: Db,
  args: { runAt: Date; threshold: number; progress: (m: string) => void },
): Promise<RunScoreResult['leads']> {
  const totals = { listing: 0, shop: 0, network: 0, created: 0, reflagged: 0, reopened: 0 };
  const add = (r: { created: number; reflagged: number; reopened: number }) => {
    totals.created += r.created;
    totals.reflagged += r.reflagged;
    totals.reopened += r.reopened;
  };
  let after = '0';
  for (;;) {
    const { rows } = await db.query<LeadRow>(
      `SELECT ls.listing_id::text AS listing_id, l.shop_id::text AS shop_id, ls.score, ls.reasons, s.province_code, s.province_name, s.province_source
       FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id LEFT JOIN shops s ON s.id = l.shop_id
       WHERE ls.scoring_version = $1 AND ls.scored_at = $2 AND ls.flagged AND ls.listing_id > $3::bigint
       ORDER BY ls.listing_id LIMIT 5000`,
      [SCORING_VERSION, args.runAt.toISOString(), after],
    );
    if (rows.length === 0) break;
    const candidates: LeadCandidate[] = rows.map((row) => ({
      kind: 'listing',
      listingId: Number(row.listing_id),
      score: row.score,
      scoringVersion: SCORING_VERSION,
      reasons: row.reasons,
      provinceCode: row.province_code,
      provinceName: row.province_name,
      provinceSource: row.province_source,
    }));
    add(await upsertLeads(db, candidates, args.runAt));
    totals.listing += candidates.length;
    after = rows[rows.length - 1]!.listing_id;
    args.progress(`leads: ${totals.listing} listing leads`);
  }
  // Shops touched by this run whose best listing is a lead: one lead per shop, its best listing's reasons.
  const { rows: shopRows } = await db.query<LeadRow & { flagged_count: number; network_id: string | null }>(
    `WITH touched AS (
       SELECT DISTINCT l.shop_id FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id
       WHERE ls.scoring_version = $1 AND ls.scored_at = $2 AND l.shop_id IS NOT NULL
     ), best AS (
       SELECT DISTINCT ON (l.shop_id) l.shop_id, ls.listing_id, ls.score, ls.reasons
       FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id
       WHERE ls.scoring_version = $1 AND l.shop_id IN (SELECT shop_id FROM touched)
       ORDER BY l.shop_id, ls.score DESC, ls.listing_id
     )
     SELECT b.shop_id::text AS shop_id, b.listing_id::text AS listing_id, b.score, b.reasons, s.province_code, s.province_name, s.province_source,
       s.network_id::text AS network_id,
       (SELECT count(*)::int FROM listing_scores x JOIN listings y ON y.id = x.listing_id
         WHERE x.scoring_version = $1 AND y.shop_id = b.shop_id AND x.flagged) AS flagged_count
     FROM best b JOIN shops s ON s.id = b.shop_id WHERE b.score >= $3`,
    [SCORING_VERSION, args.runAt.toISOString(), args.threshold],
  );
  const shopCandidates: LeadCandidate[] = shopRows.map((row) => ({
    kind: 'shop',
    shopId: Number(row.shop_id),
    score: row.score,
    scoringVersion: SCORING_VERSION,
    reasons: [
      makeReason('shop.flagged_listings', 0, `${row.flagged_count} flagged listing(s); strongest is listing ${row.listing_id}`, 'Shop sells high-risk listings', 'Shop bán nhiều tin đăng rủi ro cao'),
      ...row.reasons,
    ],
    provinceCode: row.province_code,
    provinceName: row.province_name,
    provinceSource: row.province_source,
  }));
  if (shopCandidates.length) add(await upsertLeads(db, shopCandidates, args.runAt));
  totals.shop = shopCandidates.length;
  // Networks of those shops: score of the best member, reasons naming the links.
  const byNetwork = new Map<string, (typeof shopRows)[number][]>();
  for (const row of shopRows) if (row.network_id) (byNetwork.get(row.network_id) ?? byNetwork.set(row.network_id, []).get(row.network_id)!).push(row);
  if (byNetwork.size) {
    const { rows: nets } = await db.query<{ id: string; shop_count: number; marketplaces: string[]; link_kinds: string[] }>(
      'SELECT id::text AS id, shop_count, marketplaces, link_kinds FROM networks WHERE id = ANY($1::bigint[])',
      [[...byNetwork.keys()]],
    );
    const networkCandidates: LeadCandidate[] = nets.map((net) => {
      const members = byNetwork.get(net.id)!.sort((a, b) => b.score - a.score);
      const top = members[0]!;
      return {
        kind: 'network',
        networkId: Number(net.id),
        score: top.score,
        scoringVersion: SCORING_VERSION,
        reasons: [
          makeReason(
            'network.linked_shops',
            0,
            `${net.shop_count} shops on ${net.marketplaces.join(', ')} linked by ${net.link_kinds.join(', ')}; ${members.length} with leads`,
            'Network of linked shops with high-risk listings',
            'Mạng lưới shop liên kết có tin đăng rủi ro cao',
          ),
          ...top.reasons,
        ],
        provinceCode: top.province_code,
        provinceName: top.province_name,
        provinceSource: top.province_source,
      };
    });
    if (networkCandidates.length) add(await upsertLeads(db, networkCandidates, args.runAt));
    totals.network = networkCandidates.length;
  }
  return totals;
}
