import type { Reason } from '../../domain/reasons.ts';
import type { Queryable } from '../types.ts';

/** A listing lead as a takedown request needs it: the listing, its shop, and its latest capture. */
export interface TakedownLeadRow {
  lead_id: number;
  status: string;
  score: number;
  marketplace: string;
  listing_external_id: string;
  url: string | null;
  title: string;
  brand: string | null;
  shop_name: string | null;
  shop_external_id: string | null;
  shop_url: string | null;
  province_name: string | null;
  top_reasons: string | null;
  reasons: Reason[];
  /** `[{kind, path, sha256, ...}]` of the latest capture, or null when there is none. */
  evidence_files: { kind?: string; sha256?: string; path?: string }[] | null;
  evidence_captured_at: Date | null;
}

export interface TakedownQuery {
  marketplace: string;
  statuses: readonly string[];
  /** Flagged within [from, to) when given. */
  from?: Date;
  to?: Date;
}

/** Listing leads of one marketplace in the given statuses, grouped by brand then best first (a total order). */
export async function takedownLeads(db: Queryable, query: TakedownQuery): Promise<TakedownLeadRow[]> {
  const { rows } = await db.query<TakedownLeadRow>(
    `SELECT l.id AS lead_id, l.status, l.score, li.marketplace, li.external_id AS listing_external_id, li.url, li.title,
            li.brand, s.name AS shop_name, s.external_id AS shop_external_id, s.url AS shop_url, l.province_name,
            l.top_reasons, l.reasons,
            ev.files AS evidence_files, ev.captured_at AS evidence_captured_at
     FROM leads l
     JOIN listings li ON li.id = l.listing_id
     LEFT JOIN shops s ON s.id = li.shop_id
     LEFT JOIN LATERAL (
       SELECT e.files, e.captured_at FROM evidence e WHERE e.listing_id = l.listing_id ORDER BY e.captured_at DESC, e.id DESC LIMIT 1
     ) ev ON true
     WHERE l.kind = 'listing' AND li.marketplace = $1 AND l.status = ANY($2::text[])
       AND ($3::timestamptz IS NULL OR l.last_flagged_at >= $3::timestamptz)
       AND ($4::timestamptz IS NULL OR l.first_flagged_at < $4::timestamptz)
     ORDER BY lower(li.brand) NULLS LAST, l.score DESC, l.id`,
    [query.marketplace, query.statuses, query.from?.toISOString() ?? null, query.to?.toISOString() ?? null],
  );
  return rows.map((row) => ({
    ...row,
    reasons: typeof row.reasons === 'string' ? (JSON.parse(row.reasons) as TakedownLeadRow['reasons']) : row.reasons,
    evidence_files:
      typeof row.evidence_files === 'string' ? (JSON.parse(row.evidence_files) as TakedownLeadRow['evidence_files']) : row.evidence_files,
    evidence_captured_at: row.evidence_captured_at === null ? null : new Date(row.evidence_captured_at),
  }));
}

/** The latest capture's files of each listing lead, by lead id (leads without a capture are absent). */
export async function latestEvidenceFiles(
  db: Queryable,
  leadIds: readonly number[],
): Promise<Map<number, TakedownLeadRow['evidence_files']>> {
  if (leadIds.length === 0) return new Map();
  const { rows } = await db.query<{ lead_id: number; files: TakedownLeadRow['evidence_files'] | string }>(
    `SELECT l.id AS lead_id, ev.files
     FROM leads l
     JOIN LATERAL (
       SELECT e.files FROM evidence e WHERE e.listing_id = l.listing_id ORDER BY e.captured_at DESC, e.id DESC LIMIT 1
     ) ev ON true
     WHERE l.id = ANY($1::bigint[])`,
    [leadIds],
  );
  return new Map(
    rows.map((row) => [
      Number(row.lead_id),
      typeof row.files === 'string' ? (JSON.parse(row.files) as TakedownLeadRow['evidence_files']) : row.files,
    ]),
  );
}
