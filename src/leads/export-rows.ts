import type { Queryable } from '../core/db/types.ts';
import type { Reason } from '../core/domain/reasons.ts';
import { FOLD_SQL, foldText } from './list.ts';
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
export async function weeklyExportRows(db: Queryable, week: IsoWeek, province?: string): Promise<ExportRow[]> {
  const params: unknown[] = [week.start.toISOString(), week.end.toISOString()];
  let provinceFilter = '';
  if (province !== undefined) {
    if (/^\d+$/.test(province)) {
      params.push(Number(province));
      provinceFilter = `AND province_code = $3`;
    } else {
      params.push(`%${foldText(province)}%`);
      provinceFilter = `AND ${FOLD_SQL('province_name')} LIKE $3`;
    }
  }
  const { rows } = await db.query<ExportRow>(
    `SELECT lead_id, score, status, marketplace, title, brand, price_vnd, reference_price_vnd, shop_name, shop_address,
            province_code, province_name, ward_name, address_quality, top_reasons_vi, top_reasons, reasons,
            network_id, network_key, network_shop_count, network_marketplaces, first_flagged_at, last_flagged_at,
            evidence_count, latest_capture_at, url, assignee, scoring_version
     FROM flagged_listings
     WHERE first_flagged_at < $2::timestamptz AND last_flagged_at >= $1::timestamptz AND status <> 'dismissed'
       ${provinceFilter}
     ORDER BY province_name NULLS LAST, score DESC, lead_id`,
    params,
  );
  return rows.map((row) => ({
    ...row,
    reasons: typeof row.reasons === 'string' ? (JSON.parse(row.reasons) as Reason[]) : row.reasons,
    first_flagged_at: new Date(row.first_flagged_at),
    last_flagged_at: new Date(row.last_flagged_at),
    latest_capture_at: row.latest_capture_at === null ? null : new Date(row.latest_capture_at),
  }));
}
