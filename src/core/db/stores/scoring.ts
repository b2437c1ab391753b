/** The SQL of `radar score`: scoring runs, the listings and shops it reads, and what it writes back. */
import type { Db, Queryable } from '../types.ts';

export interface ScoringShopRow {
  id: string;
  marketplace: string;
  external_id: string;
  name: string;
  raw_address: string | null;
  declared_location: string | null;
  phone: string | null;
  email: string | null;
  tax_code: string | null;
  is_official: boolean;
  joined_at: Date | string | null;
  follower_count: number | null;
  rating: number | null;
}

export interface ScoringListingRow {
  id: string;
  shop_id: string | null;
  marketplace: string;
  external_id: string;
  title: string;
  brand: string | null;
  category: string | null;
  price_vnd: string | number | null;
  original_price_vnd: string | number | null;
  sold_count: number | null;
  content_hash: string | null;
  /** Not removed: counts towards peer prices and premium brands. */
  active: boolean;
  /** Scored by this run. */
  target: boolean;
  /** listing_scores.result_hash for the scoring version, if scored before. */
  stored_hash: string | null;
}

export async function distinctStatedBrands(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ brand: string }>('SELECT DISTINCT brand FROM listings WHERE brand IS NOT NULL');
  return rows.map((row) => row.brand);
}

/** Start time of the last finished run of this scoring version, or null. */
export async function lastFinishedScoringRun(db: Queryable, scoringVersion: string): Promise<Date | null> {
  const { rows } = await db.query<{ started_at: Date }>(
    'SELECT started_at FROM scoring_runs WHERE scoring_version = $1 AND finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 1',
    [scoringVersion],
  );
  return rows[0] ? new Date(rows[0].started_at) : null;
}

export async function startScoringRun(
  db: Queryable,
  run: { scoringVersion: string; mode: string; since: Date | null; startedAt: Date },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO scoring_runs (scoring_version, mode, since, started_at) VALUES ($1, $2, $3, $4) RETURNING id::text AS id',
    [run.scoringVersion, run.mode, run.since?.toISOString() ?? null, run.startedAt.toISOString()],
  );
  return rows[0]!.id;
}

export async function finishScoringRun(
  db: Queryable,
  id: string,
  stats: { scored: number; flagged: number; created: number; reflagged: number },
): Promise<void> {
  await db.query(
    'UPDATE scoring_runs SET finished_at = now(), listings_scored = $2, listings_flagged = $3, leads_created = $4, leads_reflagged = $5 WHERE id = $1',
    [id, stats.scored, stats.flagged, stats.created, stats.reflagged],
  );
}

/** Every shop, in id order (one row each is small next to the listings). */
export async function scoringShops(db: Queryable): Promise<ScoringShopRow[]> {
  const { rows } = await db.query<ScoringShopRow>(
    `SELECT id::text AS id, marketplace, external_id, name, raw_address, declared_location, phone, email, tax_code, is_official,
       joined_at, follower_count, rating FROM shops ORDER BY id`,
  );
  return rows;
}

const LISTING_COLUMNS = `l.id::text AS id, l.shop_id::text AS shop_id, l.marketplace, l.external_id, l.title, l.brand, l.category,
  l.price_vnd, l.original_price_vnd, l.sold_count, l.content_hash, l.status <> 'removed' AS active`;

/**
 * Every listing, in keyset pages on listings.id, each with whether this run scores it (changed after
 * `since`, or all) and its stored result hash, so a re-run compares in memory. Each page is an index
 * range scan however deep, and the next page is fetched while the caller works on the current one.
 * ORDER BY names `l.id`: a bare `id` would sort by the text output column and skip or repeat rows.
 */
export async function* scoringListingPages(
  db: Queryable,
  args: { scoringVersion: string; since: Date | null; page: number },
): AsyncGenerator<ScoringListingRow[]> {
  const target = args.since ? 'l.changed_at > $2' : 'true';
  const params: unknown[] = args.since ? [args.scoringVersion, args.since.toISOString()] : [args.scoringVersion];
  const p = params.length;
  const select = `SELECT ${LISTING_COLUMNS}, ${target} AS target, ls.result_hash AS stored_hash
    FROM listings l LEFT JOIN listing_scores ls ON ls.listing_id = l.id AND ls.scoring_version = $1
    WHERE l.id > $${p + 1}::bigint ORDER BY l.id LIMIT $${p + 2}`;
  const fetchAfter = (after: string) => {
    const page = db.query<ScoringListingRow>(select, [...params, after, args.page]).then((r) => r.rows);
    // Awaited on the next iteration; this only keeps an early exit from reporting it as unhandled.
    page.catch(() => undefined);
    return page;
  };
  let next = fetchAfter('0');
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return;
    const more = rows.length === args.page;
    if (more) next = fetchAfter(rows[rows.length - 1]!.id);
    yield rows;
    if (!more) return;
  }
}

/** The not-removed listings of these shops (an incremental run re-scores the listings of networked shops). */
export async function scoringListingsOfShops(
  db: Queryable,
  args: { scoringVersion: string; shopIds: readonly string[] },
): Promise<ScoringListingRow[]> {
  if (args.shopIds.length === 0) return [];
  const { rows } = await db.query<ScoringListingRow>(
    `SELECT ${LISTING_COLUMNS}, true AS target, ls.result_hash AS stored_hash
     FROM listings l LEFT JOIN listing_scores ls ON ls.listing_id = l.id AND ls.scoring_version = $1
     WHERE l.shop_id = ANY($2::bigint[]) AND l.status <> 'removed' ORDER BY l.id`,
    [args.scoringVersion, args.shopIds],
  );
  return rows;
}

export interface ShopResolutionRow {
  id: string;
  provinceCode: number | null;
  provinceName: string | null;
  provinceSource: string | null;
  wardCode: number | null;
  wardName: string | null;
  quality: string;
  phoneE164: string | null;
}

/** Writes shops' resolved address columns where they changed; returns how many rows changed. */
export async function writeShopResolutions(db: Queryable, rows: readonly ShopResolutionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
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
      rows.map((r) => r.id),
      rows.map((r) => r.provinceCode),
      rows.map((r) => r.provinceName),
      rows.map((r) => r.wardCode),
      rows.map((r) => r.wardName),
      rows.map((r) => r.quality),
      rows.map((r) => r.phoneE164),
      rows.map((r) => r.provinceSource),
    ],
  );
  return result.rowCount;
}

export interface NetworkRow {
  key: string;
  shopCount: number;
  marketplaces: readonly string[];
  linkKinds: readonly string[];
}

/** Upserts networks by key; returns their ids by key. */
export async function upsertNetworks(db: Queryable, networks: readonly NetworkRow[]): Promise<Map<string, number>> {
  if (networks.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; network_key: string }>(
    `INSERT INTO networks AS n (network_key, shop_count, marketplaces, link_kinds, updated_at)
     SELECT u.key, u.count, u.marketplaces::text[], u.kinds::text[], now()
     FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[]) AS u(key, count, marketplaces, kinds)
     ON CONFLICT (network_key) DO UPDATE SET shop_count = EXCLUDED.shop_count, marketplaces = EXCLUDED.marketplaces,
       link_kinds = EXCLUDED.link_kinds, updated_at = now()
     RETURNING n.id::text AS id, n.network_key`,
    [
      networks.map((n) => n.key),
      networks.map((n) => n.shopCount),
      networks.map((n) => `{${n.marketplaces.join(',')}}`),
      networks.map((n) => `{${n.linkKinds.join(',')}}`),
    ],
  );
  return new Map(rows.map((row) => [row.network_key, Number(row.id)]));
}

/** Points shops at their network (null: none), writing only rows that change. */
export async function setShopNetworks(db: Queryable, shopIds: readonly string[], networkIds: readonly (number | null)[]): Promise<void> {
  await db.query(
    `UPDATE shops s SET network_id = u.network_id FROM unnest($1::bigint[], $2::bigint[]) AS u(id, network_id)
     WHERE s.id = u.id AND s.network_id IS DISTINCT FROM u.network_id`,
    [shopIds, networkIds],
  );
}

/** One listing_scores row; `reasons` is its JSON text. */
export interface ListingScoreRow {
  id: string;
  score: number;
  base: number;
  boost: number;
  flagged: boolean;
  reasons: string;
  reference: number | null;
  hash: string | null;
  resultHash: string;
}

/**
 * Writes score rows in one statement, in a transaction without waiting for the WAL flush (scores are
 * recomputable, so losing the last second of them in a crash costs a re-run, nothing more). The rows
 * go as one JSON document (json_to_recordset): node-postgres would otherwise escape every quote of
 * every reasons string into a text[] literal in JavaScript, which cost more CPU than scoring them.
 */
export async function writeListingScores(
  db: Db,
  rows: readonly ListingScoreRow[],
  args: { scoringVersion: string; scoredAt: Date },
): Promise<void> {
  if (rows.length === 0) return;
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    parts[i] =
      `{"id":${row.id},"score":${row.score},"base":${row.base},"boost":${row.boost},"flagged":${row.flagged},"reasons":${row.reasons},` +
      `"reference":${row.reference ?? 'null'},"hash":${row.hash === null ? 'null' : JSON.stringify(row.hash)},"result_hash":"${row.resultHash}"}`;
  }
  await inBulkTransaction(db, async (tx) => {
    await tx.query(
      `INSERT INTO listing_scores AS ls (listing_id, scoring_version, score, base_score, network_boost, flagged, reasons, reference_price_vnd, content_hash, result_hash, scored_at)
       SELECT u.id, $1, u.score, u.base, u.boost, u.flagged, u.reasons, u.reference, u.hash, u.result_hash, $2::timestamptz
       FROM json_to_recordset($3::json)
         AS u(id bigint, score smallint, base smallint, boost smallint, flagged boolean, reasons jsonb, reference bigint, hash text, result_hash text)
       ON CONFLICT (listing_id, scoring_version) DO UPDATE SET score = EXCLUDED.score, base_score = EXCLUDED.base_score,
         network_boost = EXCLUDED.network_boost, flagged = EXCLUDED.flagged, reasons = EXCLUDED.reasons,
         reference_price_vnd = EXCLUDED.reference_price_vnd, content_hash = EXCLUDED.content_hash,
         result_hash = EXCLUDED.result_hash, scored_at = EXCLUDED.scored_at`,
      [args.scoringVersion, args.scoredAt.toISOString(), `[${parts.join(',')}]`],
    );
  });
}

/**
 * Runs `fn` in a transaction that does not wait for the WAL flush (for recomputable bulk writes: scores,
 * leads a re-run recreates), with enough sort memory on a server that a large batch does not spill to disk.
 */
export async function inBulkTransaction<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL synchronous_commit = off');
    if (db.kind === 'postgres') await tx.query("SET LOCAL work_mem = '64MB'");
    return fn(tx);
  });
}

export interface BestShopListingRow {
  shop_id: string;
  listing_id: string;
  score: number;
  reasons: import('../../domain/reasons.ts').Reason[];
  network_id: string | null;
  flagged_count: number;
}

/**
 * For shops with a listing scored at `scoredAt`: each shop's best listing (highest score, then lowest
 * id) among all its scores of this version, when that reaches `threshold`, with its flagged count.
 */
export async function bestListingsOfTouchedShops(
  db: Queryable,
  args: { scoringVersion: string; scoredAt: Date; threshold: number },
): Promise<BestShopListingRow[]> {
  const { rows } = await db.query<BestShopListingRow>(
    `WITH touched AS (
       SELECT DISTINCT l.shop_id FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id
       WHERE ls.scoring_version = $1 AND ls.scored_at = $2 AND l.shop_id IS NOT NULL
     ), best AS (
       SELECT DISTINCT ON (l.shop_id) l.shop_id, ls.listing_id, ls.score, ls.reasons
       FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id
       WHERE ls.scoring_version = $1 AND l.shop_id IN (SELECT shop_id FROM touched)
       ORDER BY l.shop_id, ls.score DESC, ls.listing_id
     )
     SELECT b.shop_id::text AS shop_id, b.listing_id::text AS listing_id, b.score, b.reasons, s.network_id::text AS network_id,
       (SELECT count(*)::int FROM listing_scores x JOIN listings y ON y.id = x.listing_id
         WHERE x.scoring_version = $1 AND y.shop_id = b.shop_id AND x.flagged) AS flagged_count
     FROM best b JOIN shops s ON s.id = b.shop_id WHERE b.score >= $3`,
    [args.scoringVersion, args.scoredAt.toISOString(), args.threshold],
  );
  return rows;
}
