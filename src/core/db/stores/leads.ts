/**
 * The leads table as scoring writes it: set-based batches sent as one JSON document (see
 * src/leads/upsert.ts for when each statement runs). Status and assignee belong to analysts and are
 * never written here, except that a re-open sets a dismissed lead back to `new`.
 */
import type { Queryable } from '../types.ts';

/** The columns of one candidate in a batch's JSON document. */
const INPUT_COLUMNS = `kind text, subject bigint, score smallint, scoring_version text, reasons jsonb, top_reasons text,
  province_code integer, province_name text, province_source text, reasons_hash text, idx bigint`;

/*
 * One statement per batch. All CTEs see the same snapshot, so `existing` reads the leads as they were
 * before this batch. The UPDATE keeps status/assignee (analysts own them) except for a re-open, and the
 * INSERT relies on the partial unique indexes (ON CONFLICT DO NOTHING: a concurrent scorer may have just
 * created the same lead; the caller retries those rows, which then take the UPDATE path).
 */
const UPSERT_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS u(${INPUT_COLUMNS})
),
existing AS (
  SELECT i.idx, l.id AS lead_id, l.status, l.dismissed_score, l.score AS old_score, l.listing_id, l.shop_id, l.network_id
    FROM input i JOIN leads l ON l.kind = 'listing' AND l.listing_id = i.subject WHERE i.kind = 'listing'
  UNION ALL
  SELECT i.idx, l.id, l.status, l.dismissed_score, l.score, l.listing_id, l.shop_id, l.network_id
    FROM input i JOIN leads l ON l.kind = 'shop' AND l.shop_id = i.subject WHERE i.kind = 'shop'
  UNION ALL
  SELECT i.idx, l.id, l.status, l.dismissed_score, l.score, l.listing_id, l.shop_id, l.network_id
    FROM input i JOIN leads l ON l.kind = 'network' AND l.network_id = i.subject WHERE i.kind = 'network'
),
-- Dismissed leads of this batch, with when they were dismissed and what they are about.
dismissed AS (
  SELECT e.lead_id, e.listing_id, e.shop_id, e.network_id,
         COALESCE((SELECT max(le.at) FROM lead_events le WHERE le.lead_id = e.lead_id AND le.to_status = 'dismissed'),
                  '-infinity'::timestamptz) AS dismissed_at
  FROM existing e WHERE e.status = 'dismissed'
),
dismissed_listings AS (
  SELECT d.lead_id, d.dismissed_at, d.listing_id FROM dismissed d WHERE d.listing_id IS NOT NULL
  UNION ALL
  SELECT d.lead_id, d.dismissed_at, li.id FROM dismissed d JOIN listings li ON li.shop_id = d.shop_id
  UNION ALL
  SELECT d.lead_id, d.dismissed_at, li.id FROM dismissed d JOIN shops sh ON sh.network_id = d.network_id JOIN listings li ON li.shop_id = sh.id
),
dismissed_shops AS (
  SELECT d.lead_id, d.dismissed_at, d.shop_id FROM dismissed d WHERE d.shop_id IS NOT NULL
  UNION ALL
  SELECT d.lead_id, d.dismissed_at, sh.id FROM dismissed d JOIN shops sh ON sh.network_id = d.network_id
),
-- Raw captures (page HTML/JSON) about each dismissed lead, by content hash. A re-crawl that saves the
-- same page again is not new evidence; a page whose content changed is.
dismissed_captures AS (
  SELECT x.lead_id, x.dismissed_at, ev.created_at, f.value->>'sha256' AS sha256
  FROM dismissed_listings x JOIN evidence ev ON ev.listing_id = x.listing_id
  CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(ev.files) = 'array' THEN ev.files ELSE '[]'::jsonb END) f
  WHERE f.value->>'kind' = 'raw'
  UNION ALL
  SELECT x.lead_id, x.dismissed_at, ev.created_at, f.value->>'sha256'
  FROM dismissed_shops x JOIN evidence ev ON ev.shop_id = x.shop_id
  CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(ev.files) = 'array' THEN ev.files ELSE '[]'::jsonb END) f
  WHERE f.value->>'kind' = 'raw'
),
new_evidence AS (
  SELECT DISTINCT n.lead_id FROM dismissed_captures n
  WHERE n.created_at > n.dismissed_at
    AND NOT EXISTS (SELECT 1 FROM dismissed_captures o
                    WHERE o.lead_id = n.lead_id AND o.created_at <= o.dismissed_at AND o.sha256 IS NOT DISTINCT FROM n.sha256)
),
decision AS (
  SELECT e.lead_id, e.status AS old_status, e.old_score, e.dismissed_score, i.*,
    CASE
      WHEN e.status <> 'dismissed' THEN NULL
      WHEN i.score >= COALESCE(e.dismissed_score, e.old_score) + $3 THEN 'score_rise'
      WHEN e.lead_id IN (SELECT lead_id FROM new_evidence) THEN 'new_evidence'
      ELSE NULL
    END AS reopen_reason
  FROM existing e JOIN input i ON i.idx = e.idx
),
updated AS (
  UPDATE leads l SET
    score = d.score,
    scoring_version = d.scoring_version,
    reasons = d.reasons,
    reasons_hash = d.reasons_hash,
    top_reasons = d.top_reasons,
    -- A scorer that could not place the shop this time must not erase a province found before.
    province_code = COALESCE(d.province_code, l.province_code),
    province_name = COALESCE(d.province_name, l.province_name),
    province_source = CASE WHEN d.province_code IS NULL THEN l.province_source ELSE d.province_source END,
    last_flagged_at = GREATEST(l.last_flagged_at, $2::timestamptz),
    status = CASE WHEN d.reopen_reason IS NOT NULL THEN 'new' ELSE l.status END,
    dismissed_score = CASE WHEN d.reopen_reason IS NOT NULL THEN NULL ELSE l.dismissed_score END,
    updated_at = $2::timestamptz
  FROM decision d
  WHERE l.id = d.lead_id
  RETURNING l.id, d.reopen_reason, d.score, d.scoring_version, d.dismissed_score, d.old_score
),
inserted AS (
  INSERT INTO leads (kind, listing_id, shop_id, network_id, score, scoring_version, reasons, reasons_hash, top_reasons,
                     province_code, province_name, province_source, status, first_flagged_at, last_flagged_at, updated_at)
  SELECT i.kind,
         CASE WHEN i.kind = 'listing' THEN i.subject END,
         CASE WHEN i.kind = 'shop' THEN i.subject END,
         CASE WHEN i.kind = 'network' THEN i.subject END,
         i.score, i.scoring_version, i.reasons, i.reasons_hash, i.top_reasons, i.province_code, i.province_name, i.province_source,
         'new', $2::timestamptz, $2::timestamptz, $2::timestamptz
  FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.idx = i.idx)
  ORDER BY i.idx
  ON CONFLICT DO NOTHING
  RETURNING id, score, scoring_version
),
events AS (
  INSERT INTO lead_events (lead_id, at, actor, event, from_status, to_status, data)
  SELECT id, $2::timestamptz, 'scoring', 'created', NULL, 'new',
         jsonb_build_object('score', score, 'scoring_version', scoring_version)
  FROM inserted
  UNION ALL
  SELECT id, $2::timestamptz, 'scoring', 'reopened', 'dismissed', 'new',
         jsonb_build_object('reason', reopen_reason, 'score', score, 'scoring_version', scoring_version,
                            'dismissed_score', dismissed_score, 'previous_score', old_score, 'margin', $3::int)
  FROM updated WHERE reopen_reason IS NOT NULL
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS created,
       (SELECT count(*) FROM updated WHERE reopen_reason IS NULL)::int AS reflagged,
       (SELECT count(*) FROM updated WHERE reopen_reason IS NOT NULL)::int AS reopened,
       (SELECT count(*) FROM input)::int AS total`;

/*
 * Subjects that had no lead when this batch read the leads: a plain insert with its `created` events.
 * No dismissed or evidence checks apply to a lead that does not exist yet. ON CONFLICT DO NOTHING: a
 * concurrent scorer may have created some since; the caller then sends the batch through the full upsert.
 */
const INSERT_SQL = `
WITH inserted AS (
  INSERT INTO leads (kind, listing_id, shop_id, network_id, score, scoring_version, reasons, reasons_hash, top_reasons,
                     province_code, province_name, province_source, status, first_flagged_at, last_flagged_at, updated_at)
  SELECT i.kind,
         CASE WHEN i.kind = 'listing' THEN i.subject END,
         CASE WHEN i.kind = 'shop' THEN i.subject END,
         CASE WHEN i.kind = 'network' THEN i.subject END,
         -- Reasons sent as null are the listing's stored score reasons (see UpsertLeadsOptions): copied
         -- as jsonb, not parsed again. A missing score row leaves NULL and the NOT NULL column refuses it.
         i.score, i.scoring_version, COALESCE(i.reasons, ls.reasons), i.reasons_hash, i.top_reasons, i.province_code, i.province_name, i.province_source,
         'new', $2::timestamptz, $2::timestamptz, $2::timestamptz
  FROM json_to_recordset($1::json) AS i(${INPUT_COLUMNS})
  LEFT JOIN listing_scores ls ON i.reasons IS NULL AND i.kind = 'listing' AND ls.listing_id = i.subject AND ls.scoring_version = i.scoring_version
  ORDER BY i.idx
  ON CONFLICT DO NOTHING
  RETURNING id, score, scoring_version
),
events AS (
  INSERT INTO lead_events (lead_id, at, actor, event, from_status, to_status, data)
  SELECT id, $2::timestamptz, 'scoring', 'created', NULL, 'new', jsonb_build_object('score', score, 'scoring_version', scoring_version)
  FROM inserted
  RETURNING 1
)
SELECT count(*)::int AS created FROM inserted`;

/*
 * What a re-flag needs to know about an existing lead to decide, without the reasons JSON, whether the
 * full update is needed. One indexed lookup per kind (the partial unique keys).
 */
const EXISTING_SQL = `
SELECT l.id::text AS id, l.kind, l.listing_id::text AS subject, l.status, l.score, l.scoring_version, l.reasons_hash, l.province_code, l.province_name, l.province_source
  FROM leads l WHERE l.kind = 'listing' AND l.listing_id = ANY($1::bigint[])
UNION ALL
SELECT l.id::text, l.kind, l.shop_id::text, l.status, l.score, l.scoring_version, l.reasons_hash, l.province_code, l.province_name, l.province_source
  FROM leads l WHERE l.kind = 'shop' AND l.shop_id = ANY($2::bigint[])
UNION ALL
SELECT l.id::text, l.kind, l.network_id::text, l.status, l.score, l.scoring_version, l.reasons_hash, l.province_code, l.province_name, l.province_source
  FROM leads l WHERE l.kind = 'network' AND l.network_id = ANY($3::bigint[])`;

/** What a re-flag needs to know about a stored lead. */
export interface ExistingLead {
  id: string;
  kind: 'listing' | 'shop' | 'network';
  subject: string;
  status: string;
  score: number;
  scoring_version: string;
  reasons_hash: string | null;
  province_code: number | null;
  province_name: string | null;
  province_source: string | null;
}

/*
 * Only last_flagged_at moves, and no index covers it (migration 0011), so Postgres can update the row
 * in place (HOT) instead of adding an entry to every index of `leads`. updated_at stays: nothing about
 * the lead changed. The `<` guard skips rows a later run already touched.
 */
const REFLAG_SQL = `UPDATE leads SET last_flagged_at = $2::timestamptz WHERE id = ANY($1::bigint[]) AND last_flagged_at < $2::timestamptz`;

/** Counts of the full statement over one batch. */
export interface LeadBatchCounts {
  created: number;
  reflagged: number;
  reopened: number;
  total: number;
}

/** The full upsert of one batch (`batchJson`): creates, refreshes and re-opens; `margin` is the material score rise. */
export async function upsertLeadBatch(db: Queryable, batchJson: string, now: Date, margin: number): Promise<LeadBatchCounts> {
  const { rows } = await db.query<LeadBatchCounts>(UPSERT_SQL, [batchJson, now.toISOString(), margin]);
  return rows[0]!;
}

/** Inserts leads (with `created` events) for subjects that had none; returns how many were created. */
export async function insertLeadBatch(db: Queryable, batchJson: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ created: number }>(INSERT_SQL, [batchJson, now.toISOString()]);
  return rows[0]!.created;
}

/** The stored state of the leads of these listings, shops and networks. */
export async function existingLeadsOf(
  db: Queryable,
  subjects: { listing: number[]; shop: number[]; network: number[] },
): Promise<ExistingLead[]> {
  return (await db.query<ExistingLead>(EXISTING_SQL, [subjects.listing, subjects.shop, subjects.network])).rows;
}

/** Moves only last_flagged_at of these leads to `now` (an unchanged re-flag). */
export async function reflagLeads(db: Queryable, ids: readonly string[], now: Date): Promise<void> {
  await db.query(REFLAG_SQL, [ids, now.toISOString()]);
}
