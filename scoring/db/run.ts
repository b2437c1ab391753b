import type { Reason } from '../../src/domain/reasons.ts';
import type { Db, Queryable } from '../../src/db/types.ts';
import type { LeadCandidate } from '../../src/leads/types.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
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
  type ScoreContext,
  type ShopProfile,
} from '../pipeline.ts';
import { makeReason } from '../reason.ts';
import { normalizePhone } from '../signals/identity.ts';
import { buildNetworks } from '../signals/networks.ts';
import type { ScoringListing, ScoringShop } from '../types.ts';
import { loadCompiledCatalogFromDb } from './brands.ts';

export interface RunScoreOptions {
  /** Score every listing, not only those changed since the last run. */
  all?: boolean;
  /** Score listings whose changed_at is after this instant (overrides the last run's time). */
  since?: Date;
  /** Listings per read and write batch (keyset pagination). Default 5,000. */
  batch?: number;
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
}

const LISTING_COLUMNS = `id::text AS id, shop_id::text AS shop_id, marketplace, external_id, title, NULL::text AS description, brand, category,
  price_vnd, original_price_vnd, sold_count, url, content_hash`;

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

  // Pass 1: peer statistics and premium brands per shop, over every listing.
  const peers = new PeerAccumulator();
  const premium = shops.map(() => new Set<number>());
  let seen = 0;
  for await (const rows of keyset(db, `SELECT ${LISTING_COLUMNS} FROM listings WHERE status <> 'removed'`, [], batch)) {
    for (const row of rows) {
      const listing = toListing(row);
      const features = analyseListing(listing, catalog);
      peers.add(features.peerGroup, listing.priceVnd);
      const s = row.shop_id ? shopIndex.get(row.shop_id) : undefined;
      if (s !== undefined && features.brand >= 0 && catalog.brands[features.brand]!.premium) premium[s]!.add(features.brand);
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
  await writeNetworks(db, shopRows, networks);
  progress(`networks: ${networks.length} linked groups of shops`);

  // Pass 2: score the target listings.
  const ctx: ScoreContext = { catalog, peers: peers.finish(), threshold };
  const where = since ? `WHERE changed_at > $1` : '';
  const params = since ? [since.toISOString()] : [];
  let scored = 0;
  for await (const rows of keyset(db, `SELECT ${LISTING_COLUMNS} FROM listings ${where}`, params, batch)) {
    const out: { id: string; score: number; flagged: boolean; reasons: string; reference: number | null; hash: string | null }[] = [];
    for (const row of rows) {
      const s = row.shop_id ? shopIndex.get(row.shop_id) : undefined;
      const listing = toListing(row);
      const result = scoreListing(listing, analyseListing(listing, catalog), s === undefined ? null : profiles[s]!, ctx);
      out.push({ id: row.id, score: result.score, flagged: result.flagged, reasons: JSON.stringify(result.reasons), reference: result.referencePriceVnd, hash: row.content_hash });
    }
    await db.query(
      `INSERT INTO listing_scores AS ls (listing_id, scoring_version, score, base_score, network_boost, flagged, reasons, reference_price_vnd, content_hash, scored_at)
       SELECT u.id, $1, u.score, u.score, 0, u.flagged, u.reasons::jsonb, u.reference, u.hash, $2::timestamptz
       FROM unnest($3::bigint[], $4::smallint[], $5::boolean[], $6::text[], $7::bigint[], $8::text[]) AS u(id, score, flagged, reasons, reference, hash)
       ON CONFLICT (listing_id, scoring_version) DO UPDATE SET score = EXCLUDED.score, base_score = EXCLUDED.base_score,
         network_boost = 0, flagged = EXCLUDED.flagged, reasons = EXCLUDED.reasons, reference_price_vnd = EXCLUDED.reference_price_vnd,
         content_hash = EXCLUDED.content_hash, scored_at = EXCLUDED.scored_at`,
      [SCORING_VERSION, runAt.toISOString(), out.map((o) => o.id), out.map((o) => o.score), out.map((o) => o.flagged), out.map((o) => o.reasons), out.map((o) => o.reference), out.map((o) => o.hash)],
    );
    scored += rows.length;
    progress(`scored ${scored} listings`);
  }

  await applyNetworkBoost(db, shopRows, shops, networks, threshold, runAt);
  const leads = await writeLeads(db, { runAt, threshold, progress });
  const flaggedCount = Number(
    (await db.query<{ n: string }>('SELECT count(*)::text AS n FROM listing_scores WHERE scoring_version = $1 AND scored_at = $2 AND flagged', [SCORING_VERSION, runAt.toISOString()])).rows[0]!.n,
  );
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

/** Keyset pagination on listings.id: each page is an index range scan, however deep. */
async function* keyset(db: Queryable, select: string, params: unknown[], batch: number): AsyncGenerator<ListingRow[]> {
  let after = '0';
  const joiner = /\bWHERE\b/i.test(select) ? 'AND' : 'WHERE';
  const p = params.length;
  for (;;) {
    const { rows } = await db.query<ListingRow>(`${select} ${joiner} id > $${p + 1}::bigint ORDER BY id LIMIT $${p + 2}`, [...params, after, batch]);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < batch) return;
  }
}

async function writeShopAddresses(db: Queryable, rows: readonly ShopRow[], profiles: readonly ShopProfile[], batch: number): Promise<number> {
  let updated = 0;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = profiles.slice(start, start + batch);
    const ids = rows.slice(start, start + batch).map((row) => row.id);
    const result = await db.query(
      `UPDATE shops s SET province_code = u.province_code, province_name = u.province_name, ward_code = u.ward_code,
         ward_name = u.ward_name, address_quality = u.quality, phone_e164 = COALESCE(u.phone_e164, s.phone_e164)
       FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::integer[], $5::text[], $6::text[], $7::text[])
         AS u(id, province_code, province_name, ward_code, ward_name, quality, phone_e164)
       WHERE s.id = u.id AND (s.province_code IS DISTINCT FROM u.province_code OR s.ward_code IS DISTINCT FROM u.ward_code
         OR s.address_quality IS DISTINCT FROM u.quality OR s.province_name IS DISTINCT FROM u.province_name
         OR (u.phone_e164 IS NOT NULL AND s.phone_e164 IS DISTINCT FROM u.phone_e164))`,
      [
        ids,
        slice.map((p) => p.resolution.province_code),
        slice.map((p) => p.resolution.province),
        slice.map((p) => p.resolution.ward_code),
        slice.map((p) => p.resolution.ward),
        slice.map((p) => p.resolution.quality),
        slice.map((p) => phoneE164(p.shop.phone)),
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
       scored_at = $6::timestamptz
     FROM listings l, u
     WHERE l.id = ls.listing_id AND l.shop_id = u.shop_id AND ls.scoring_version = $5
       AND (ls.network_boost <> 0 OR (u.reason IS NOT NULL AND ls.base_score > 0))`,
    [ids, reasons, SCORING_CONFIG.network.riskyMember, threshold, SCORING_VERSION, runAt.toISOString()],
  );
}

interface LeadRow {
  listing_id: string;
  shop_id: string | null;
  score: number;
  reasons: Reason[];
  province_code: number | null;
  province_name: string | null;
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
      `SELECT ls.listing_id::text AS listing_id, l.shop_id::text AS shop_id, ls.score, ls.reasons, s.province_code, s.province_name
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
     SELECT b.shop_id::text AS shop_id, b.listing_id::text AS listing_id, b.score, b.reasons, s.province_code, s.province_name,
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
      };
    });
    if (networkCandidates.length) add(await upsertLeads(db, networkCandidates, args.runAt));
    totals.network = networkCandidates.length;
  }
  return totals;
}
