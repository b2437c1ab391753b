import type { Queryable } from '../core/db/types.ts';

/** Confirmed share of the reviewed leads in one group (a scoring version or a reason code). */
export interface ConfirmedShare {
  group: string;
  /** Leads confirmed or referred to enforcement (a referral implies confirmation). */
  confirmed: number;
  dismissed: number;
  /** confirmed + dismissed: leads an analyst gave a verdict on. */
  reviewed: number;
  /** Still new or being reviewed. */
  open: number;
  /** confirmed / reviewed, 0–1; null when nothing was reviewed yet. */
  confirmedShare: number | null;
}

export interface LeadStats {
  byScoringVersion: ConfirmedShare[];
  byReason: ConfirmedShare[];
  total: ConfirmedShare;
}

interface Raw {
  grp: string;
  confirmed: number;
  dismissed: number;
  open: number;
}

function share(row: Raw): ConfirmedShare {
  const reviewed = row.confirmed + row.dismissed;
  return {
    group: row.grp,
    confirmed: row.confirmed,
    dismissed: row.dismissed,
    reviewed,
    open: row.open,
    confirmedShare: reviewed ? row.confirmed / reviewed : null,
  };
}

const COUNTS = `
  count(*) FILTER (WHERE ld.status IN ('confirmed', 'referred'))::int AS confirmed,
  count(*) FILTER (WHERE ld.status = 'dismissed')::int AS dismissed,
  count(*) FILTER (WHERE ld.status IN ('new', 'reviewing'))::int AS open`;

/** The KPI takedown programmes report (SIDN: 79.3% confirmed), per scoring version and per reason. */
export async function leadStats(db: Queryable): Promise<LeadStats> {
  const byVersion = await db.query<Raw>(`SELECT ld.scoring_version AS grp, ${COUNTS} FROM leads ld GROUP BY 1 ORDER BY 1`);
  const byReason = await db.query<Raw>(
    `SELECT r.code AS grp, ${COUNTS}
     FROM leads ld
     CROSS JOIN LATERAL (SELECT DISTINCT x->>'code' AS code FROM jsonb_array_elements(ld.reasons) x) r
     WHERE r.code IS NOT NULL
     GROUP BY 1 ORDER BY 1`,
  );
  const total = await db.query<Raw>(`SELECT 'all' AS grp, ${COUNTS} FROM leads ld`);
  return { byScoringVersion: byVersion.rows.map(share), byReason: byReason.rows.map(share), total: share(total.rows[0]!) };
}
