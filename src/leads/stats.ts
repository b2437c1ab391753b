import type { Queryable } from '../core/db/types.ts';
import { leadVerdictCounts, type LeadVerdictCounts } from '../core/db/stores/lead-stats.ts';

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

function share(row: LeadVerdictCounts): ConfirmedShare {
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

/** The KPI takedown programmes report (SIDN: 79.3% confirmed), per scoring version and per reason. */
export async function leadStats(db: Queryable): Promise<LeadStats> {
  const counts = await leadVerdictCounts(db);
  return { byScoringVersion: counts.byVersion.map(share), byReason: counts.byReason.map(share), total: share(counts.total) };
}
