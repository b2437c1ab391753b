/**
 * Reading leads for people: the filtered, ranked list (`radar leads list`) and the week's flagged
 * listings for the provincial exports. Every lead's province is its shop's routed province
 * (shops.province_code and province_source, see migration 0070), else the one the lead was given.
 */
import type { Queryable } from '../types.ts';

/** Accent- and case-insensitive comparison text, matching what an analyst types on any keyboard. */
export const FOLD_SQL = (expr: string) =>
  `translate(lower(${expr}), 'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ', 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')`;

/** Province filter: a 2025 code, or (for library callers) an accent-free name fragment. */
export type ProvinceMatch = { code: number } | { nameLike: string };

/** What the lead list can be narrowed by; every field is optional. */
export interface LeadQuery {
  minScore?: number;
  province?: ProvinceMatch;
  /** Lower-case brand or title word. */
  brand?: string;
  marketplace?: string;
  status?: string;
  since?: Date;
  network?: number;
  kind?: string;
  provinceSource?: string;
  limit: number;
}

/** One lead as `radar leads list` prints it; listing, shop and network leads share the shape. */
export interface LeadListRow {
  id: number;
  kind: string;
  score: number;
  status: string;
  assignee: string | null;
  scoring_version: string;
  marketplace: string | null;
  subject: string;
  brand: string | null;
  price_vnd: number | null;
  shop_name: string | null;
  province_name: string | null;
  province_source: string | null;
  ward_name: string | null;
  address_quality: string | null;
  network_id: number | null;
  top_reasons: string | null;
  url: string | null;
  first_flagged_at: Date;
  last_flagged_at: Date;
}

/**
 * What placed the lead in its province (the shop's routing, else the source the lead kept); with no
 * province anywhere, why the shop goes to the national committee (overseas, none; migration 0110).
 */
const ROUTING_SOURCE_SQL = `CASE WHEN s.province_code IS NOT NULL THEN s.province_source
              WHEN ld.province_code IS NOT NULL THEN ld.province_source
              WHEN s.province_source IN ('overseas', 'none') THEN s.province_source END`;

const LEAD_ROW_SELECT = `
  SELECT ld.id, ld.kind, ld.score, ld.status, ld.assignee, ld.scoring_version,
         COALESCE(l.marketplace, s.marketplace, array_to_string(n.marketplaces, ',')) AS marketplace,
         COALESCE(l.title, s.name, n.network_key, '') AS subject,
         l.brand, l.price_vnd, s.name AS shop_name,
         COALESCE(s.province_name, ld.province_name) AS province_name,
         ${ROUTING_SOURCE_SQL} AS province_source,
         s.ward_name, s.address_quality,
         COALESCE(ld.network_id, s.network_id) AS network_id,
         ld.top_reasons, COALESCE(l.url, s.url) AS url, ld.first_flagged_at, ld.last_flagged_at,
         count(*) OVER () AS total
  FROM leads ld
  LEFT JOIN listings l ON l.id = ld.listing_id
  LEFT JOIN shops s ON s.id = COALESCE(ld.shop_id, l.shop_id)
  LEFT JOIN networks n ON n.id = COALESCE(ld.network_id, s.network_id)`;

/**
 * Leads matching `q`, best first (score, then most recently flagged, then id for a stable order),
 * at most `q.limit` of them, and how many match in all.
 */
export async function selectLeads(db: Queryable, q: LeadQuery): Promise<{ rows: LeadListRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (q.minScore !== undefined) where.push(`ld.score >= ${param(q.minScore)}`);
  if (q.province !== undefined) {
    if ('code' in q.province) where.push(`COALESCE(s.province_code, ld.province_code) = ${param(q.province.code)}`);
    else where.push(`${FOLD_SQL('COALESCE(s.province_name, ld.province_name)')} LIKE ${param(`%${q.province.nameLike}%`)}`);
  }
  if (q.brand !== undefined) {
    const p = param(q.brand);
    where.push(`(lower(l.brand) = ${p} OR lower(l.title) LIKE '%' || ${p} || '%'
      OR (ld.kind <> 'listing' AND EXISTS (SELECT 1 FROM listings bl WHERE bl.shop_id = s.id AND lower(bl.brand) = ${p})))`);
  }
  if (q.marketplace !== undefined) {
    const p = param(q.marketplace);
    where.push(`(COALESCE(l.marketplace, s.marketplace) = ${p} OR ${p} = ANY(n.marketplaces))`);
  }
  if (q.status !== undefined) where.push(`ld.status = ${param(q.status)}`);
  if (q.since !== undefined) where.push(`ld.last_flagged_at >= ${param(q.since.toISOString())}`);
  if (q.network !== undefined) where.push(`COALESCE(ld.network_id, s.network_id) = ${param(q.network)}`);
  if (q.kind !== undefined) where.push(`ld.kind = ${param(q.kind)}`);
  if (q.provinceSource !== undefined) {
    where.push(`(${ROUTING_SOURCE_SQL}) = ${param(q.provinceSource)}`);
  }
  const sql = `${LEAD_ROW_SELECT}
  ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
  ORDER BY ld.score DESC, ld.last_flagged_at DESC, ld.id
  LIMIT ${param(q.limit)}`;
  const { rows } = await db.query<LeadListRow & { total: string | number }>(sql, params);
  const total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  return { rows: rows.map(({ total: _total, ...row }) => row), total };
}

/** The columns of flagged_listings the weekly export reads. */
const EXPORT_COLUMNS_SQL = `lead_id, score, status, marketplace, title, brand, price_vnd, reference_price_vnd, shop_name, shop_address,
  province_code, province_name, province_source, ward_name, address_quality, top_reasons_vi, top_reasons, reasons,
  network_id, network_key, network_shop_count, network_marketplaces, first_flagged_at, last_flagged_at,
  evidence_count, latest_capture_at, url, assignee, scoring_version`;

/**
 * flagged_listings rows flagged during [start, end): first flagged before the end and still flagged on
 * or after the start, dismissed ones left out; ordered by province, score, lead id (a total order).
 */
export async function selectFlaggedListingsInRange<R extends object>(
  db: Queryable,
  range: { start: Date; end: Date },
  filter: { province?: ProvinceMatch; marketplace?: string } = {},
): Promise<R[]> {
  const params: unknown[] = [range.start.toISOString(), range.end.toISOString()];
  let provinceFilter = '';
  const { province, marketplace } = filter;
  if (province !== undefined) {
    if ('code' in province) {
      params.push(province.code);
      provinceFilter = `AND province_code = $${params.length}`;
    } else {
      params.push(`%${province.nameLike}%`);
      provinceFilter = `AND ${FOLD_SQL('province_name')} LIKE $${params.length}`;
    }
  }
  if (marketplace !== undefined) {
    params.push(marketplace);
    provinceFilter += ` AND marketplace = $${params.length}`;
  }
  const { rows } = await db.query<R>(
    `SELECT ${EXPORT_COLUMNS_SQL}
     FROM flagged_listings
     WHERE first_flagged_at < $2::timestamptz AND last_flagged_at >= $1::timestamptz AND status <> 'dismissed'
       ${provinceFilter}
     ORDER BY province_name NULLS LAST, score DESC, lead_id`,
    params,
  );
  return rows;
}

/**
 * How the listing leads of flagged_listings were routed: with a province, the count per province_source;
 * without one (`unrouted`), the count per national reason (`overseas`, `none`; migration 0110).
 */
export async function provinceSourceCounts(
  db: Queryable,
): Promise<{ total: number; bySource: Record<string, number>; unrouted: number; national: Record<string, number> }> {
  const { rows } = await db.query<{ source: string | null; located: boolean; n: string | number }>(
    'SELECT province_source AS source, province_code IS NOT NULL AS located, count(*) AS n FROM flagged_listings GROUP BY 1, 2 ORDER BY 3 DESC, 1',
  );
  const bySource: Record<string, number> = {};
  const national: Record<string, number> = {};
  let total = 0;
  let unrouted = 0;
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    if (row.located && row.source !== null) bySource[row.source] = (bySource[row.source] ?? 0) + n;
    else {
      unrouted += n;
      // A shop not scored yet has no reason stored: nothing locates it so far.
      const reason = row.source === 'overseas' ? 'overseas' : 'none';
      national[reason] = (national[reason] ?? 0) + n;
    }
  }
  return { total, bySource, unrouted, national };
}
