/** An analyst's verdict on a lead: the status change and the `lead_events` row that records it. */
import type { Queryable } from '../types.ts';

/** The lead's status and assignee, locked for the rest of the transaction; undefined when there is no such lead. */
export async function lockLeadStatus<S extends string>(
  tx: Queryable,
  leadId: number,
): Promise<{ status: S; assignee: string | null } | undefined> {
  const { rows } = await tx.query<{ status: S; assignee: string | null }>('SELECT status, assignee FROM leads WHERE id = $1 FOR UPDATE', [
    leadId,
  ]);
  return rows[0];
}

/** Sets the status; `by` becomes the assignee when the lead has none; dismissing remembers the score. */
export async function updateLeadStatus(
  tx: Queryable,
  change: { leadId: number; to: string; by: string | null; at: string },
): Promise<void> {
  await tx.query(
    `UPDATE leads SET status = $2,
         assignee = COALESCE(assignee, $3),
         dismissed_score = CASE WHEN $2 = 'dismissed' THEN score ELSE NULL END,
         updated_at = $4
       WHERE id = $1`,
    [change.leadId, change.to, change.by, change.at],
  );
}

export interface StatusEvent {
  leadId: number;
  at: string;
  actor: string;
  event: 'note' | 'status';
  fromStatus: string;
  toStatus: string;
  note: string | null;
}

/** Appends one `lead_events` row; returns its id. */
export async function insertStatusEvent(tx: Queryable, e: StatusEvent): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO lead_events (lead_id, at, actor, event, from_status, to_status, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [e.leadId, e.at, e.actor, e.event, e.fromStatus, e.toStatus, e.note],
  );
  return rows[0]!.id;
}
