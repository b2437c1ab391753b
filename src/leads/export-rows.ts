import type { Queryable } from '../core/db/types.ts';
import type { Reason } from '../core/domain/reasons.ts';
import { selectFlaggedListingsInRange } from '../core/db/stores/lead-queries.ts';
import { provinceMatch } from './list.ts';
import type { RoutingSource } from './types.ts';
import type { IsoWeek } from './week.ts';

/** One row of the weekly export: a flagged listing as `flagged_listings` has it. */
export interface ExportRow {
  lead_id: number;
  score: number;
  status: string;
  marketplace: string;
  title: string;
  brand: string | null;
  price_vnd: number | null;
  reference_price_vnd: number | null;
  shop_name: string | null;
  shop_address: string | null;
  province_code: number | null;
  province_name: string | null;
  /** What placed the shop in the province; with no province, why the lead goes nationally (overseas, none). */
  province_source: RoutingSource | null;
  ward_name: string | null;
  address_quality: string | null;
  top_reasons_vi: string | null;
  top_reasons: string | null;
  reasons: Reason[];
  network_id: number | null;
  network_key: string | null;
  network_shop_count: number | null;
  network_marketplaces: string[] | null;
  first_flagged_at: Date;
  last_flagged_at: Date;
  evidence_count: number;
  latest_capture_at: Date | null;
  url: string | null;
  assignee: string | null;
  scoring_version: string;
}

/**
 * Leads that were flagged during the week: first flagged before it ended and still flagged on or
 * after its start. Neither bound can move backwards, so re-running an old week gives the same rows
 * (only the score and status columns can have changed since). Dismissed leads are left out.
 * Ordered by province, score, lead id — a total order, so exports are reproducible.
 */
export async function weeklyExportRows(db: Queryable, week: IsoWeek, province?: string, marketplace?: string): Promise<ExportRow[]> {
  const rows = await selectFlaggedListingsInRange<ExportRow>(db, week, {
    province: province === undefined ? undefined : provinceMatch(province),
    marketplace,
  });
  return rows.map((row) => ({
    ...row,
    reasons: typeof row.reasons === 'string' ? (JSON.parse(row.reasons) as Reason[]) : row.reasons,
    first_flagged_at: new Date(row.first_flagged_at),
    last_flagged_at: new Date(row.last_flagged_at),
    latest_capture_at: row.latest_capture_at === null ? null : new Date(row.latest_capture_at),
  }));
}
