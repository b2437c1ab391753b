import { hash } from 'node:crypto';
import type { Reason } from '../core/domain/reasons.ts';
import type { Queryable } from '../core/db/types.ts';
import { existingLeadsOf, insertLeadBatch, reflagLeads, upsertLeadBatch, type ExistingLead } from '../core/db/stores/leads.ts';
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
  const parts = new Array<string>(rows.length);
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

/** Options of {@link upsertLeads}. */
export interface UpsertLeadsOptions {
  /**
   * The caller has already written each listing candidate's reasons, as exactly `reasonsJson`, into
   * `listing_scores` for the candidate's scoring version (radar score writes the score row before the
   * lead). New listing leads then copy the stored jsonb instead of sending and parsing the JSON again.
   * Only candidates that carry `reasonsJson` and are strongest first use it. Without it, every lead's reasons are sent.
   */
  listingReasonsStored?: boolean;
}

/** Inserts leads for subjects that had none; falls back to the full upsert if some appeared meanwhile. */
async function insertNew(
  db: Queryable,
  rows: readonly Row[],
  now: Date,
  options: UpsertLeadsOptions,
): Promise<{ created: number; reopened: number }> {
  if (rows.length === 0) return { created: 0, reopened: 0 };
  const stored = options.listingReasonsStored ? (row: Row) => row.kind === 'listing' && row.reasonsGiven : undefined;
  const created = await insertLeadBatch(db, batchJson(rows, stored), now);
  if (created === rows.length) return { created, reopened: 0 };
  // Someone else created some of these leads after our read: the full statement updates those (and
  // re-touches the ones just inserted with the same values).
  const rest = await fullUpsert(db, rows, now);
  return { created: created + rest.created, reopened: rest.reopened };
}

async function upsertBatch(db: Queryable, rows: readonly Row[], now: Date): Promise<UpsertLeadsResult & { total: number }> {
  return upsertLeadBatch(db, batchJson(rows), now, MATERIAL_SCORE_RISE);
}

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
  const found = await existingLeadsOf(db, { listing: subjects('listing'), shop: subjects('shop'), network: subjects('network') });
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
export async function upsertLeads(
  db: Queryable,
  candidates: LeadCandidate[],
  now: Date = new Date(),
  options: UpsertLeadsOptions = {},
): Promise<UpsertLeadsResult> {
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
    if (unchangedIds.length > 0) await reflagLeads(db, unchangedIds, now);
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
