import type { Queryable } from '../types.ts';

/** One file of an evidence bundle as recorded in `evidence.files`. */
export interface EvidenceFile {
  /** screenshot | raw | dom | captured | wacz | meta */
  kind: string;
  /** Relative to `RADAR_DATA_DIR/evidence`. */
  path: string;
  sha256: string;
  bytes: number;
  content_type: string;
}

export interface InsertEvidence {
  listingId: number | null;
  shopId: number | null;
  url: string;
  capturedAt: string;
  capturedAtLocal: string;
  crawlerVersion: string;
  files: EvidenceFile[];
  httpStatus?: number | null;
  finalUrl?: string | null;
  metadata?: Record<string, unknown>;
}

export async function insertEvidence(db: Queryable, row: InsertEvidence): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO evidence (listing_id, shop_id, url, captured_at, captured_at_local, crawler_version, files, http_status, final_url, metadata)
     VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7::jsonb, $8, $9, $10::jsonb) RETURNING id`,
    [
      row.listingId,
      row.shopId,
      row.url,
      row.capturedAt,
      row.capturedAtLocal,
      row.crawlerVersion,
      JSON.stringify(row.files),
      row.httpStatus ?? null,
      row.finalUrl ?? null,
      JSON.stringify(row.metadata ?? {}),
    ],
  );
  return Number(rows[0]!.id);
}

export interface InsertCaptureFailure {
  listingId: number | null;
  shopId: number | null;
  url: string;
  finalUrl: string | null;
  httpStatus: number | null;
  reason: string;
  capturedAt: string;
  capturedAtLocal: string;
  metadata: Record<string, unknown>;
  files: EvidenceFile[];
}

export async function insertCaptureFailure(db: Queryable, row: InsertCaptureFailure): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO capture_failures (listing_id, shop_id, url, final_url, http_status, reason, captured_at, captured_at_local, metadata, files)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9::jsonb, $10::jsonb) RETURNING id`,
    [
      row.listingId,
      row.shopId,
      row.url,
      row.finalUrl,
      row.httpStatus,
      row.reason,
      row.capturedAt,
      row.capturedAtLocal,
      JSON.stringify(row.metadata),
      JSON.stringify(row.files),
    ],
  );
  return Number(rows[0]!.id);
}

export interface CaptureFailureRow {
  id: number;
  listing_id: number | null;
  shop_id: number | null;
  url: string;
  final_url: string | null;
  http_status: number | null;
  reason: string;
  captured_at: Date;
  captured_at_local: string;
}

/** Failed captures of these listings or shops, newest first. */
export async function captureFailuresFor(
  db: Queryable,
  listingIds: readonly number[],
  shopIds: readonly number[],
): Promise<CaptureFailureRow[]> {
  const { rows } = await db.query<CaptureFailureRow>(
    `SELECT id, listing_id, shop_id, url, final_url, http_status, reason, captured_at, captured_at_local
     FROM capture_failures WHERE listing_id = ANY($1::bigint[]) OR shop_id = ANY($2::bigint[])
     ORDER BY captured_at DESC, id DESC LIMIT 50`,
    [listingIds, shopIds],
  );
  return rows;
}

/** The file hashes recorded at capture time, by evidence id. */
export async function evidenceFileHashes(db: Queryable, ids: readonly number[]): Promise<Map<number, EvidenceFile[]>> {
  const { rows } = await db.query<{ id: string | number; files: unknown }>('SELECT id, files FROM evidence WHERE id = ANY($1::bigint[])', [
    ids,
  ]);
  const out = new Map<number, EvidenceFile[]>();
  for (const row of rows) {
    const files = typeof row.files === 'string' ? (JSON.parse(row.files) as unknown) : row.files;
    out.set(Number(row.id), Array.isArray(files) ? (files as EvidenceFile[]) : []);
  }
  return out;
}

export interface CaptureSubject {
  listingId: number | null;
  shopId: number | null;
  url: string;
  kind: 'listing' | 'shop';
}

/** The listing page and shop page of each lead: what `leads capture` opens. */
export async function captureSubjectsOfLeads(db: Queryable, leadIds: readonly number[]): Promise<Map<number, CaptureSubject[]>> {
  const { rows } = await db.query<{
    lead_id: string | number;
    listing_id: string | number | null;
    shop_id: string | number | null;
    url: string | null;
    kind: 'listing' | 'shop';
  }>(
    `SELECT ld.id AS lead_id, l.id AS listing_id, l.shop_id, l.url, 'listing' AS kind
       FROM leads ld JOIN listings l ON l.id = ld.listing_id WHERE ld.id = ANY($1::bigint[])
     UNION ALL
     SELECT ld.id, NULL, s.id, s.url, 'shop'
       FROM leads ld JOIN shops s ON s.id = COALESCE(ld.shop_id, (SELECT shop_id FROM listings WHERE id = ld.listing_id))
      WHERE ld.id = ANY($1::bigint[])
     UNION ALL
     SELECT ld.id, NULL, s.id, s.url, 'shop'
       FROM leads ld JOIN shops s ON s.network_id = ld.network_id
      WHERE ld.id = ANY($1::bigint[]) AND ld.kind = 'network'
     ORDER BY 1, 5`,
    [leadIds],
  );
  const out = new Map<number, CaptureSubject[]>();
  for (const id of leadIds) out.set(id, []);
  for (const row of rows) {
    if (!row.url) continue;
    out.get(Number(row.lead_id))?.push({
      listingId: row.listing_id === null ? null : Number(row.listing_id),
      shopId: row.shop_id === null ? null : Number(row.shop_id),
      url: row.url,
      kind: row.kind,
    });
  }
  return out;
}

/** Ids of leads that exist, in the order given. */
export async function existingLeadIds(db: Queryable, ids: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ id: string | number }>('SELECT id FROM leads WHERE id = ANY($1::bigint[])', [ids]);
  const found = new Set(rows.map((r) => Number(r.id)));
  return ids.filter((id) => found.has(id));
}

/** Open leads flagged since a time (new, reviewing or confirmed): what `leads capture --all-flagged` covers. */
export async function flaggedLeadIdsSince(db: Queryable, since: Date, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: string | number }>(
    `SELECT id FROM leads WHERE last_flagged_at >= $1::timestamptz AND status IN ('new', 'reviewing', 'confirmed')
     ORDER BY score DESC, id LIMIT $2`,
    [since.toISOString(), limit],
  );
  return rows.map((r) => Number(r.id));
}

/** Listing urls (for the queue's evidence stage), skipping those with evidence younger than maxAgeHours. */
export async function listingsNeedingEvidence(
  db: Queryable,
  listingIds: readonly number[],
  maxAgeHours: number,
): Promise<{ id: number; url: string; shopId: number | null }[]> {
  const { rows } = await db.query<{ id: string | number; url: string; shop_id: string | number | null }>(
    `SELECT l.id, l.url, l.shop_id FROM listings l
     WHERE l.id = ANY($1::bigint[]) AND l.url IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.listing_id = l.id AND e.captured_at > now() - make_interval(hours => $2))
     ORDER BY l.id`,
    [listingIds, maxAgeHours],
  );
  return rows.map((r) => ({ id: Number(r.id), url: r.url, shopId: r.shop_id === null ? null : Number(r.shop_id) }));
}

/** The base URL an operator gave a crawl run (params.baseUrl), if any. */
export async function crawlRunBaseUrl(db: Queryable, runId: number): Promise<string | null> {
  const { rows } = await db.query<{ base_url: string | null }>(`SELECT params->>'baseUrl' AS base_url FROM crawl_runs WHERE id = $1`, [
    runId,
  ]);
  return rows[0]?.base_url ?? null;
}
