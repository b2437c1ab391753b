import { hash } from 'node:crypto';
import type { Reason } from '../core/domain/reasons.ts';
import type { Queryable } from '../core/db/types.ts';
import { candidateSubject, type LeadCandidate, type LeadKind, type ProvinceSource, type UpsertLeadsResult } from './types.ts';

/**
 * Points a dismissed lead's score must rise above the score it had when an analyst dismissed it
 * before scoring may re-open it. Ten points is one strong signal (e.g. a placeholder address or a
 * price far below reference); smaller moves are noise from re-weighting and must not undo a verdict.
 */
export const MATERIAL_SCORE_RISE = 10;

/**
 * Candidates read (and, when unchanged, re-flagged) per round trip. The read and the narrow re-flag
 * send only ids, so a big batch costs little memory and saves round trips.
 */
export const UPSERT_LEADS_BATCH = 20_000;

/**
 * Candidates per full upsert statement (new, changed or dismissed subjects): these carry the reasons
 * JSON and run the dismissed/evidence checks, so they stay at the size that kept the plan in memory.
 */
export const FULL_UPSERT_BATCH = 5_000;

/** How many reasons go into `top_reasons`, the text column analysts read without opening the JSON. */
export const TOP_REASON_COUNT = 3;

/** "Shop address is a placeholder (Địa chỉ: 123 abc); Price 30% of reference (…); …" — strongest first. */
export function topReasonsText(reasons: readonly Reason[], count = TOP_REASON_COUNT): string {
  return strongestFirst(reasons)
    .slice(0, count)
    .map((reason) => (reason.detail ? `${reason.en} (${reason.detail})` : reason.en))
    .join('; ');
}

function strongestFirst(reasons: readonly Reason[]): Reason[] {
  // Stable sort keeps scoring's own order among equal weights.
  return [...reasons].sort((a, b) => b.weight - a.weight);
}

function clampScore(score: number): number {
  if (!Number.isFinite(score)) throw new Error(`lead candidate score ${score} is not a number`);
  return Math.max(0, Math.min(100, Math.round(score)));
}

interface Row {
  kind: LeadKind;
  subject: number;
  score: number;
  scoringVersion: string;
  /** Strongest first. */
  reasons: readonly Reason[];
  /** `reasons` as JSON, exactly as stored. */
  reasonsJson: string;
  /** `reasonsJson` is the caller's own string (LeadCandidate.reasonsJson), not one made here. */
  reasonsGiven: boolean;
  /** MD5 of `reasonsJson`: lets a re-flag tell "same reasons" from the stored hash without re-sending the JSON. */
  reasonsHash: string;
  provinceCode: number | null;
  provinceName: string | null;
  provinceSource: ProvinceSource | null;
}

function isStrongestFirst(reasons: readonly Reason[]): boolean {
  for (let i = 1; i < reasons.length; i++) if (reasons[i - 1]!.weight < reasons[i]!.weight) return false;
  return true;
}

/** MD5 of the stored reasons JSON; `reasons_hash` on the lead. */
export function reasonsHash(reasonsJson: string): string {
  return hash('md5', reasonsJson, 'hex');
}

/** One lead per subject: when a batch names a subject twice, the later candidate wins. */
function normalise(candidates: readonly LeadCandidate[]): Row[] {
  const bySubject = new Map<string, Row>();
  for (const candidate of candidates) {
    const subject = candidateSubject(candidate);
    // Scoring hands reasons already strongest first (and their JSON, when it wrote it for the score row):
    // then the stable sort would be a copy of the same order and the JSON the same string.
    const sorted = isStrongestFirst(candidate.reasons);
    const reasons = sorted ? candidate.reasons : strongestFirst(candidate.reasons);
    const given = sorted && candidate.reasonsJson !== undefined;
    const reasonsJson = given ? candidate.reasonsJson! : JSON.stringify(reasons);
    bySubject.set(`${candidate.kind}:${subject}`, {
      kind: candidate.kind,
      subject,
      score: clampScore(candidate.score),
      scoringVersion: candidate.scoringVersion,
      reasons,
      reasonsJson,
      reasonsGiven: given,
      reasonsHash: given && candidate.reasonsHash !== undefined ? candidate.reasonsHash : reasonsHash(reasonsJson),
      provinceCode: candidate.provinceCode,
      provinceName: candidate.provinceName,
      provinceSource: candidate.provinceCode === null ? null : (candidate.provinceSource ?? 'address'),
    });
  }
  return [...bySubject.values()];
}

/**
 * A batch as one JSON array parameter, read with json_to_recordset. Sending the reasons inside one JSON
 * document costs a native JSON.stringify of small values plus string concatenation; as a text[] array
 * parameter, node-postgres escapes every quote of every reasons string in JavaScript, which cost more
 * than the statement itself.
 */
function batchJson(rows: readonly Row[], reasonsStored: (row: Row) => boolean = () => false): string {
  const parts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    parts[i] =
      `{"idx":${i},"kind":"${row.kind}","subject":${row.subject},"score":${row.score},"scoring_version":${JSON.stringify(row.scoringVersion)},` +
      `"reasons":${reasonsStored(row) ? 'null' : row.reasonsJson},"reasons_hash":"${row.reasonsHash}","top_reasons":${JSON.stringify(topReasonsText(row.reasons))},` +
      `"province_code":${row.provinceCode ?? 'null'},"province_name":${row.provinceName === null ? 'null' : JSON.stringify(row.provinceName)},` +
      `"province_source":${row.provinceSource === null ? 'null' : `"${row.provinceSource}"`}}`;
  }
  return `[${parts.join(',')}]`;
}

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

/** Options of {@link upsertLeads}. */
export interface UpsertLeadsOptions {
  /**
   * The caller has already written each listing candidate's reasons, as exactly `reasonsJson`, into
   * `listing_scores` for the candidate's scoring version (radar score writes the score row before the
   * lead). New listing leads then copy the stored jsonb instead of sending and parsing the JSON again.
   * Only candidates that carry `reasonsJson` and are strongest first use it.
   */
  listingReasonsStored?: boolean;
}

/** Inserts leads for subjects that had none; falls back to the full upsert if some appeared meanwhile. */
async function insertNew(db: Queryable, rows: readonly Row[], now: Date, options: UpsertLeadsOptions): Promise<{ created: number; reopened: number }> {
  if (rows.length === 0) return { created: 0, reopened: 0 };
  const stored = options.listingReasonsStored ? (row: Row) => row.kind === 'listing' && row.reasonsGiven : undefined;
  const { rows: out } = await db.query<{ created: number }>(INSERT_SQL, [batchJson(rows, stored), now.toISOString()]);
  const created = out[0]!.created;
  if (created === rows.length) return { created, reopened: 0 };
  // Someone else created some of these leads after our read: the full statement updates those (and
  // re-touches the ones just inserted with the same values).
  const rest = await fullUpsert(db, rows, now);
  return { created: created + rest.created, reopened: rest.reopened };
}

async function upsertBatch(db: Queryable, rows: readonly Row[], now: Date): Promise<UpsertLeadsResult & { total: number }> {
  const { rows: out } = await db.query<UpsertLeadsResult & { total: number }>(UPSERT_SQL, [batchJson(rows), now.toISOString(), MATERIAL_SCORE_RISE]);
  return out[0]!;
}

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

interface ExistingLead {
  id: string;
  kind: LeadKind;
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

/** The full update would write exactly what is stored: same score, version, reasons and (kept) province. */
function isUnchanged(row: Row, lead: ExistingLead): boolean {
  return (
    lead.status !== 'dismissed' &&
    lead.reasons_hash === row.reasonsHash &&
    Number(lead.score) === row.score &&
    lead.scoring_version === row.scoringVersion &&
    (row.provinceCode === null || (lead.province_code !== null && Number(lead.province_code) === row.provinceCode)) &&
    (row.provinceName === null || lead.province_name === row.provinceName) &&
    (row.provinceCode === null || lead.province_source === row.provinceSource)
  );
}

async function existingLeads(db: Queryable, rows: readonly Row[]): Promise<Map<string, ExistingLead>> {
  const subjects = (kind: LeadKind) => rows.filter((row) => row.kind === kind).map((row) => row.subject);
  const { rows: found } = await db.query<ExistingLead>(EXISTING_SQL, [subjects('listing'), subjects('shop'), subjects('network')]);
  return new Map(found.map((lead) => [`${lead.kind}:${Number(lead.subject)}`, lead]));
}

async function fullUpsert(db: Queryable, rows: readonly Row[], now: Date): Promise<{ created: number; reopened: number }> {
  let created = 0;
  let reopened = 0;
  for (let start = 0; start < rows.length; start += FULL_UPSERT_BATCH) {
    const batch = rows.slice(start, start + FULL_UPSERT_BATCH);
    const first = await upsertBatch(db, batch, now);
    created += first.created;
    reopened += first.reopened;
    if (first.created + first.reflagged + first.reopened < first.total) {
      // A concurrent writer created some of these leads between our snapshot and our insert; they
      // exist now, so a second pass takes the update path for them (and re-touches the rest harmlessly).
      const second = await upsertBatch(db, batch, now);
      created += second.created;
      reopened += second.reopened;
    }
  }
  return { created, reopened };
}

/**
 * Creates or refreshes one lead per flagged listing, shop or network, set-based.
 *
 * Per {@link UPSERT_LEADS_BATCH} candidates: one indexed read of the leads that exist, then
 * - subjects without a lead: one plain INSERT (with their `created` events) for the whole batch;
 * - unchanged leads (same score, scoring version, reasons hash and province, not dismissed): one narrow
 *   UPDATE of `last_flagged_at` by id — no JSON is sent or re-parsed;
 * - everything else (changed, dismissed) goes through the full statement, {@link FULL_UPSERT_BATCH}
 *   at a time:
 *   - New subject: a lead with status `new` and a `created` event.
 *   - Known subject: score, scoring version, reasons, top reasons, province and `last_flagged_at` are
 *     refreshed; status and assignee are never touched (they belong to the analyst).
 *   - Dismissed subject: stays dismissed unless the score reached `dismissed_score + MATERIAL_SCORE_RISE`
 *     or new evidence arrived after the dismissal — a raw page capture whose SHA-256 differs from every
 *     capture known at dismissal (crawls re-save unchanged pages; those do not count). Then it goes back
 *     to `new` with a `reopened` event saying why.
 *
 * Idempotent: calling it again with the same candidates changes nothing but `last_flagged_at`.
 */
export async function upsertLeads(db: Queryable, candidates: LeadCandidate[], now: Date = new Date(), options: UpsertLeadsOptions = {}): Promise<UpsertLeadsResult> {
  const rows = normalise(candidates);
  const result: UpsertLeadsResult = { created: 0, reflagged: 0, reopened: 0 };
  for (let start = 0; start < rows.length; start += UPSERT_LEADS_BATCH) {
    const batch = rows.slice(start, start + UPSERT_LEADS_BATCH);
    const existing = await existingLeads(db, batch);
    const unchangedIds: string[] = [];
    const full: Row[] = [];
    const fresh: Row[] = [];
    for (const row of batch) {
      const lead = existing.get(`${row.kind}:${row.subject}`);
      if (!lead) fresh.push(row);
      else if (isUnchanged(row, lead)) unchangedIds.push(lead.id);
      else full.push(row);
    }
    if (unchangedIds.length > 0) await db.query(REFLAG_SQL, [unchangedIds, now.toISOString()]);
    const inserted = await insertNew(db, fresh, now, options);
    const upserted = await fullUpsert(db, full, now);
    const created = inserted.created + upserted.created;
    const reopened = inserted.reopened + upserted.reopened;
    result.created += created;
    result.reopened += reopened;
    result.reflagged += batch.length - created - reopened;
  }
  return result;
}
