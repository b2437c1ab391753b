/** The chain of custody: append (re-exported from the store), exports logged by file hash, file look-up and audit. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Db, Queryable } from '../core/db/types.ts';
import {
  GENESIS_HASH,
  appendCustody,
  custodyRowHash,
  custodyRows,
  custodyRowsWithFile,
  type CustodyRow,
} from '../core/db/stores/custody.ts';

export { appendCustody, type CustodyEntry, type CustodyAction, type CustodyRow } from '../core/db/stores/custody.ts';

/** SHA-256 (hex) of a file, read as a stream so a large export is never held in memory. */
export async function sha256OfFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export interface ExportCustodyInput {
  /** What was exported: `csv`, `xlsx`, a takedown format (`takedown-lazada`), `referral`. */
  format: string;
  /** The files as written; each is hashed from disk after writing. */
  files: readonly { path: string; rows?: number }[];
  /** The leads in the files. */
  leadIds: readonly number[];
  /** Who exported. @default RADAR_OPERATOR, then USER, then "radar" */
  actor?: string;
  /** The export's scope (week, province, statuses), kept with the entry. */
  scope?: Record<string, unknown>;
}

/**
 * Appends one `export` entry to the custody log naming every exported file with its SHA-256 and
 * size, so a file found later can be matched to the export that wrote it (`radar evidence check-file`),
 * and a file edited since no longer matches. Call it after the files are written and closed.
 */
export async function logExport(db: Db | Queryable, input: ExportCustodyInput): Promise<CustodyRow> {
  const files: { file: string; sha256: string; bytes: number; rows?: number }[] = [];
  for (const file of input.files)
    files.push({
      file: path.basename(file.path),
      ...(await sha256OfFile(file.path)),
      ...(file.rows === undefined ? {} : { rows: file.rows }),
    });
  return appendCustody(db, {
    action: 'export',
    actor: input.actor ?? (process.env.RADAR_OPERATOR || process.env.USER || 'radar'),
    leadIds: [...new Set(input.leadIds)],
    fileSha256: files.map((f) => f.sha256),
    data: { format: input.format, ...(input.scope ?? {}), files },
  });
}

export interface FileCustodyMatch {
  seq: number;
  at: string;
  actor: string;
  action: string;
  /** The name the file had when the entry was written. */
  recordedAs: string | null;
  leadIds: number[];
  evidenceId: number | null;
}

export interface FileCheck {
  file: string;
  sha256: string;
  bytes: number;
  /** Custody entries naming a file with exactly this content, oldest first; empty when none does. */
  matches: FileCustodyMatch[];
}

/** Which custody entries, if any, name a file with exactly this file's content (by SHA-256). */
export async function checkFileCustody(db: Queryable, file: string): Promise<FileCheck> {
  const { sha256, bytes } = await sha256OfFile(file);
  const rows = await custodyRowsWithFile(db, sha256);
  const matches = rows.map((row): FileCustodyMatch => ({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    recordedAs: recordedName(row, sha256),
    leadIds: row.lead_id !== null ? [row.lead_id, ...row.lead_ids.filter((id) => id !== row.lead_id)] : row.lead_ids,
    evidenceId: row.evidence_id,
  }));
  return { file, sha256, bytes, matches };
}

/** The file name an entry's hashed payload gives for this hash (exports: `data.files[].file`; captures: `data.files[].path`). */
function recordedName(row: CustodyRow, sha256: string): string | null {
  try {
    const payload = JSON.parse(row.payload) as { data?: { files?: { file?: string; path?: string; sha256?: string }[] } };
    const entry = payload.data?.files?.find((f) => f.sha256 === sha256);
    return entry?.file ?? entry?.path ?? null;
  } catch {
    return null;
  }
}

export interface CustodyAudit {
  ok: boolean;
  rows: number;
  /** The newest row's hash when the chain is intact. */
  head: string | null;
  /** The first broken row and what is wrong with it. */
  problem: { seq: number; problem: string } | null;
}

/**
 * Walks the log from the first row: the sequence has no gap, each row names the previous row's hash,
 * its own hash is the SHA-256 of that and its payload, and its columns say what its payload says.
 */
export async function auditCustody(db: Queryable): Promise<CustodyAudit> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  const fail = (seq: number, problem: string): CustodyAudit => ({ ok: false, rows: count, head: null, problem: { seq, problem } });
  for await (const row of custodyRows(db)) {
    if (row.seq !== expectedSeq) return fail(row.seq, `sequence jumps from ${expectedSeq - 1} to ${row.seq} (a row was removed)`);
    if (row.prev_hash !== prev) return fail(row.seq, 'prev_hash does not match the previous row (a row was changed, removed or inserted)');
    if (custodyRowHash(row.prev_hash, row.payload) !== row.row_hash)
      return fail(row.seq, 'row_hash does not match its payload (the row was edited)');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(row.payload) as Record<string, unknown>;
    } catch {
      return fail(row.seq, 'payload is not JSON');
    }
    const columns: [string, unknown][] = [
      ['seq', row.seq],
      ['at', row.at],
      ['actor', row.actor],
      ['action', row.action],
      ['lead_id', row.lead_id],
      ['evidence_id', row.evidence_id],
    ];
    if (JSON.stringify(payload.lead_ids ?? []) !== JSON.stringify(row.lead_ids))
      return fail(row.seq, 'column lead_ids differs from the hashed payload');
    if (JSON.stringify(payload.file_sha256 ?? []) !== JSON.stringify(row.file_sha256))
      return fail(row.seq, 'column file_sha256 differs from the hashed payload');
    for (const [name, value] of columns) {
      if (payload[name] !== value)
        return fail(
          row.seq,
          `column ${name} (${JSON.stringify(value)}) differs from the hashed payload (${JSON.stringify(payload[name])})`,
        );
    }
    prev = row.row_hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, rows: count, head: count > 0 ? prev : null, problem: null };
}
