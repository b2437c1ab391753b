import { UserError } from '../core/errors.ts';
import type { Db } from '../core/db/types.ts';
import type { LeadStatus } from './types.ts';
import { appendCustody } from './custody.ts';
import { insertStatusEvent, lockLeadStatus, updateLeadStatus } from '../core/db/stores/lead-status.ts';

/** Statuses an analyst may set (`new` is only ever set by scoring). */
export const REVIEW_STATUSES = ['reviewing', 'confirmed', 'dismissed', 'referred'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface SetStatusOptions {
  /** Free-text note kept in the lead's history. Without it, the event has no note. */
  note?: string;
  /**
   * Who made the change; also becomes the assignee when the lead has none (only when given).
   * @default $USER, else 'analyst' (for the history and custody log)
   */
  by?: string;
  /** When the change happened; injectable for tests. @default new Date() */
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
    const lead = await lockLeadStatus<LeadStatus>(tx, leadId);
    if (!lead) throw new UserError(`no lead with id ${leadId}; find ids with \`radar leads list\``);
    await updateLeadStatus(tx, { leadId, to, by: options.by?.trim() || null, at: now });
    const eventId = await insertStatusEvent(tx, {
      leadId,
      at: now,
      actor,
      event: lead.status === to ? 'note' : 'status',
      fromStatus: lead.status,
      toStatus: to,
      note: options.note ?? null,
    });
    await appendCustody(tx, {
      action: 'status',
      actor,
      leadId,
      at: new Date(now),
      data: { from: lead.status, to, note: options.note ?? null, event_id: Number(eventId) },
    });
    return { leadId, from: lead.status, to, eventId };
  });
}
