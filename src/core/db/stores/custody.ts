import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../types.ts';

/** What happened to the evidence: the custody log's vocabulary. */
export type CustodyAction = 'capture' | 'capture_failed' | 'pack' | 'export' | 'status' | 'verify';

export interface CustodyEntry {
  action: CustodyAction;
  /** Who did it: the operator (`--by`), the analyst, or the worker. */
  actor: string;
  leadId?: number | null;
  evidenceId?: number | null;
  /** Several leads at once (a weekly export). */
  leadIds?: readonly number[];
  /** Anything else worth keeping (file names and hashes, the pack's manifest hash, the new status). */
  data?: Record<string, unknown>;
  /** SHA-256 (hex) of each file the entry is about, so a file can be matched to its entry later (indexed column, 0105). */
  fileSha256?: readonly string[];
  at?: Date;
}

export interface CustodyRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  lead_id: number | null;
  evidence_id: number | null;
  lead_ids: number[];
  /** Hashes of the files the entry is about; empty for most entries. */
  file_sha256: string[];
  payload: string;
  prev_hash: string;
  row_hash: string;
}

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function custodyRowHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(`${prevHash}\n${payload}`).digest('hex');
}

// Appends are serialised by a transaction-scoped advisory lock, so two writers never share a prev_hash.
const CUSTODY_LOCK_KEY = 4_242_017;

async function appendIn(tx: Queryable, entry: CustodyEntry): Promise<CustodyRow> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CUSTODY_LOCK_KEY]);
  const { rows } = await tx.query<{ seq: string | number; row_hash: string }>(
    'SELECT seq, row_hash FROM custody_log ORDER BY seq DESC LIMIT 1',
  );
  const seq = rows[0] ? Number(rows[0].seq) + 1 : 1;
  const prevHash = rows[0]?.row_hash ?? GENESIS_HASH;
  const at = (entry.at ?? new Date()).toISOString();
  const leadId = entry.leadId ?? null;
  const evidenceId = entry.evidenceId ?? null;
  const leadIds = [...(entry.leadIds ?? [])];
  const fileSha256 = [...new Set(entry.fileSha256 ?? [])];
  // `file_sha256` is only in payloads that have files, so entries without any hash as before 0105.
  const payload = canonicalJson({
    seq,
    at,
    actor: entry.actor,
    action: entry.action,
    lead_id: leadId,
    evidence_id: evidenceId,
    lead_ids: leadIds,
    data: entry.data ?? {},
    ...(fileSha256.length > 0 ? { file_sha256: fileSha256 } : {}),
  });
  const rowHash = custodyRowHash(prevHash, payload);
  await tx.query(
    `INSERT INTO custody_log (seq, at, actor, action, lead_id, evidence_id, lead_ids, file_sha256, payload, prev_hash, row_hash)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7::bigint[], $8::text[], $9, $10, $11)`,
    [seq, at, entry.actor, entry.action, leadId, evidenceId, leadIds, fileSha256, payload, prevHash, rowHash],
  );
  return {
    seq,
    at,
    actor: entry.actor,
    action: entry.action,
    lead_id: leadId,
    evidence_id: evidenceId,
    lead_ids: leadIds,
    file_sha256: fileSha256,
    payload,
    prev_hash: prevHash,
    row_hash: rowHash,
  };
}

/**
 * Appends one entry to the hash-chained custody log. Given a Db it opens its own transaction;
 * given a transaction (a status change) it joins it, so the entry commits with the change.
 */
export async function appendCustody(db: Db | Queryable, entry: CustodyEntry): Promise<CustodyRow> {
  if ('transaction' in db && typeof db.transaction === 'function') return db.transaction((tx) => appendIn(tx, entry));
  return appendIn(db, entry);
}

type RawCustodyRow = Omit<CustodyRow, 'at' | 'seq' | 'file_sha256'> & {
  at: Date | string;
  seq: string | number;
  file_sha256: string[] | null;
};

/** A row as the driver returns it, with numbers as numbers and the time in ISO form. */
function custodyRow(row: RawCustodyRow): CustodyRow {
  return {
    ...row,
    seq: Number(row.seq),
    at: row.at instanceof Date ? row.at.toISOString() : new Date(row.at).toISOString(),
    lead_id: row.lead_id === null ? null : Number(row.lead_id),
    evidence_id: row.evidence_id === null ? null : Number(row.evidence_id),
    lead_ids: (row.lead_ids ?? []).map(Number),
    file_sha256: row.file_sha256 ?? [],
  };
}

/** Every row in order, in pages so a long log is not held at once by the database driver. */
export async function* custodyRows(db: Queryable, pageSize = 1000): AsyncGenerator<CustodyRow> {
  let after = 0;
  for (;;) {
    const { rows } = await db.query<RawCustodyRow>(
      `SELECT seq, at, actor, action, lead_id, evidence_id, lead_ids, file_sha256, payload, prev_hash, row_hash FROM custody_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, pageSize],
    );
    for (const row of rows) yield custodyRow(row);
    if (rows.length < pageSize) return;
    after = Number(rows.at(-1)!.seq);
  }
}

/** Custody entries about one lead or its evidence, in order: the pack's chain of custody. */
export async function custodyForLead(db: Queryable, leadId: number, evidenceIds: readonly number[]): Promise<CustodyRow[]> {
  const { rows } = await db.query<RawCustodyRow>(
    `SELECT seq, at, actor, action, lead_id, evidence_id, lead_ids, file_sha256, payload, prev_hash, row_hash FROM custody_log
     WHERE lead_id = $1 OR $1 = ANY(lead_ids) OR evidence_id = ANY($2::bigint[]) ORDER BY seq`,
    [leadId, evidenceIds],
  );
  return rows.map(custodyRow);
}

/** Custody entries about a file with this SHA-256 (hex), oldest first: which export or capture a file handed over came from. */
export async function custodyRowsWithFile(db: Queryable, sha256: string): Promise<CustodyRow[]> {
  const { rows } = await db.query<RawCustodyRow>(
    `SELECT seq, at, actor, action, lead_id, evidence_id, lead_ids, file_sha256, payload, prev_hash, row_hash FROM custody_log
     WHERE file_sha256 @> ARRAY[$1::text] ORDER BY seq`,
    [sha256.toLowerCase()],
  );
  return rows.map(custodyRow);
}

/** The newest row's hash: a pack records it, anchoring the log up to that point. */
export async function custodyHead(db: Queryable): Promise<{ seq: number; row_hash: string } | null> {
  const { rows } = await db.query<{ seq: string | number; row_hash: string }>(
    'SELECT seq, row_hash FROM custody_log ORDER BY seq DESC LIMIT 1',
  );
  return rows[0] ? { seq: Number(rows[0].seq), row_hash: rows[0].row_hash } : null;
}
