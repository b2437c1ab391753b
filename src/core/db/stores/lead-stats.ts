/** Verdict counts over the leads, grouped for the confirmed-share KPI (`radar leads stats`). */
import type { Queryable } from '../types.ts';

/** One group's counts: confirmed (or referred), dismissed, still open. */
export interface LeadVerdictCounts {
  grp: string;
  confirmed: number;
  dismissed: number;
  open: number;
}

const COUNTS = `
  count(*) FILTER (WHERE ld.status IN ('confirmed', 'referred'))::int AS confirmed,
  count(*) FILTER (WHERE ld.status = 'dismissed')::int AS dismissed,
  count(*) FILTER (WHERE ld.status IN ('new', 'reviewing'))::int AS open`;

/** Counts per scoring version, per reason code (a lead counts once per distinct code) and in all (group 'all'). */
export async function leadVerdictCounts(
  db: Queryable,
): Promise<{ byVersion: LeadVerdictCounts[]; byReason: LeadVerdictCounts[]; total: LeadVerdictCounts }> {
  const byVersion = await db.query<LeadVerdictCounts>(`SELECT ld.scoring_version AS grp, ${COUNTS} FROM leads ld GROUP BY 1 ORDER BY 1`);
  const byReason = await db.query<LeadVerdictCounts>(
    `SELECT r.code AS grp, ${COUNTS}
     FROM leads ld
     CROSS JOIN LATERAL (SELECT DISTINCT x->>'code' AS code FROM jsonb_array_elements(ld.reasons) x) r
     WHERE r.code IS NOT NULL
     GROUP BY 1 ORDER BY 1`,
  );
  const total = await db.query<LeadVerdictCounts>(`SELECT 'all' AS grp, ${COUNTS} FROM leads ld`);
  return { byVersion: byVersion.rows, byReason: byReason.rows, total: total.rows[0]! };
}
