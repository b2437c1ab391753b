import type { Queryable } from '../types.ts';

/** A listing that still needs evidence: its id and the URL the marketplace gave for it. */
export interface EvidenceTarget {
  id: number;
  url: string;
}

/** The listings among `listingIds` with a URL and no evidence younger than `maxAgeHours`. */
export async function listingsNeedingEvidence(db: Queryable, listingIds: readonly number[], maxAgeHours: number): Promise<EvidenceTarget[]> {
  const { rows } = await db.query<{ id: string | number; url: string }>(
    `SELECT l.id, l.url FROM listings l
     WHERE l.id = ANY($1::bigint[]) AND l.url IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.listing_id = l.id AND e.captured_at > now() - make_interval(hours => $2))
     ORDER BY l.id`,
    [listingIds, maxAgeHours],
  );
  return rows.map((row) => ({ id: Number(row.id), url: row.url }));
}

/** The base URL the operator gave the crawl run (`params.baseUrl`), or null. */
export async function crawlRunBaseUrl(db: Queryable, runId: number): Promise<string | null> {
  const { rows } = await db.query<{ base_url: string | null }>(`SELECT params->>'baseUrl' AS base_url FROM crawl_runs WHERE id = $1`, [runId]);
  return rows[0]?.base_url ?? null;
}
