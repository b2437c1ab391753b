import { UserError } from '../core/errors.ts';
import type { Db } from '../core/db/types.ts';
import type { LeadStatus } from './types.ts';
import { appendCustody } from './custody.ts';

/** Statuses an analyst may set (`new` is only ever set by scoring). */
export const REVIEW_STATUSES = ['reviewing', 'confirmed', 'dismissed', 'referred'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface SetStatusOptions {
  /** Free-text note kept in the lead's history. */
  note?: string;
  /** Who made the change; also becomes the assignee when the lead has none. */
  by?: string;
  now?: Date;
}

export interface StatusChange {
  leadId: number;
  from: LeadStatus;
  to: ReviewStatus;
  eventId: number;
}

/**
 * Records an analyst's verdict. Every call writes a `lead_events` row, even when the status does not
 * change (then it is a note). Dismissing remembers the score, so only a material rise re-opens it.
 */
export async function setLeadStatus(db: Db, leadId: number, to: ReviewStatus, options: SetStatusOptions = {}): Promise<StatusChange> {
  const now = (options.now ?? new Date()).toISOString();
  const actor = options.by?.trim() || process.env.USER || 'analyst';
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ status: LeadStatus; assignee: string | null }>(
      'SELECT status, assignee FROM leads WHERE id = $1 FOR UPDATE',
      [leadId],
    );
    const lead = rows[0];
    if (!lead) throw new UserError(`no lead with id ${leadId}; find ids with \`radar leads list\``);
    await tx.query(
      `UPDATE leads SET status = $2,
         assignee = COALESCE(assignee, $3),
         dismissed_score = CASE WHEN $2 = 'dismissed' THEN score ELSE NULL END,
         updated_at = $4
       WHERE id = $1`,
      [leadId, to, options.by?.trim() || null, now],
    );
    const { rows: event } = await tx.query<{ id: number }>(
      `INSERT INTO lead_events (lead_id, at, actor, event, from_status, to_status, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [leadId, now, actor, lead.status === to ? 'note' : 'status', lead.status, to, options.note ?? null],
    );
    await appendCustody(tx, { action: 'status', actor, leadId, at: new Date(now), data: { from: lead.status, to, note: options.note ?? null, event_id: Number(event[0]!.id) } });
    return { leadId, from: lead.status, to, eventId: event[0]!.id };
  });
}
