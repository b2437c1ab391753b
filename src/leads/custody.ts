/** The chain of custody: append (re-exported from the store) and audit. */
import type { Queryable } from '../core/db/types.ts';
import { GENESIS_HASH, custodyRowHash, custodyRows } from '../core/db/stores/custody.ts';

export { appendCustody, type CustodyEntry, type CustodyAction } from '../core/db/stores/custody.ts';

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
    if (custodyRowHash(row.prev_hash, row.payload) !== row.row_hash) return fail(row.seq, 'row_hash does not match its payload (the row was edited)');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(row.payload) as Record<string, unknown>;
    } catch {
      return fail(row.seq, 'payload is not JSON');
    }
    const columns: [string, unknown][] = [['seq', row.seq], ['at', row.at], ['actor', row.actor], ['action', row.action], ['lead_id', row.lead_id], ['evidence_id', row.evidence_id]];
    if (JSON.stringify(payload.lead_ids ?? []) !== JSON.stringify(row.lead_ids)) return fail(row.seq, 'column lead_ids differs from the hashed payload');
    for (const [name, value] of columns) {
      if (payload[name] !== value) return fail(row.seq, `column ${name} (${JSON.stringify(value)}) differs from the hashed payload (${JSON.stringify(payload[name])})`);
    }
    prev = row.row_hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, rows: count, head: count > 0 ? prev : null, problem: null };
}
