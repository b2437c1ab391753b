import { z } from 'zod';
import type { Queryable } from '../core/db/types.ts';
import { LEAD_STATUSES } from './types.ts';

/** Filters of `radar leads list`, validated where they enter from the command line. */
export const LeadFiltersSchema = z.object({
  /** Only leads scoring at least this much (0–100). */
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  /** Province name (accent-insensitive substring, e.g. "ho chi minh") or its numeric code. */
  province: z.string().min(1).optional(),
  /** Brand as the listing states it, or a word in the title (case-insensitive). */
  brand: z.string().min(1).optional(),
  /** Marketplace id: shopee, lazada, tiki, sendo, tiktok, web. */
  marketplace: z.string().min(1).optional(),
  /** Review status. */
  status: z.enum(LEAD_STATUSES).optional(),
  /** Only leads flagged at or after this instant (ISO date or date-time). */
  since: z.coerce.date().optional(),
  /** Network id. */
  network: z.coerce.number().int().positive().optional(),
  /** listing, shop or network. */
  kind: z.enum(['listing', 'shop', 'network']).optional(),
  /** At most this many rows (default 500). */
  limit: z.coerce.number().int().min(1).max(1_000_000).default(500),
});
export type LeadFilters = z.input<typeof LeadFiltersSchema>;

/** One lead as `radar leads list` prints it; listing, shop and network leads share the shape. */
export interface LeadRow {
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
  ward_name: string | null;
  address_quality: string | null;
  network_id: number | null;
  top_reasons: string | null;
  url: string | null;
  first_flagged_at: Date;
  last_flagged_at: Date;
}

/** Accent- and case-insensitive comparison text, matching what an analyst types on any keyboard. */
export const FOLD_SQL = (expr: string) =>
  `translate(lower(${expr}), 'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ', 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')`;

export function foldText(text: string): string {
  return text.replace(/[đĐ]/g, 'd').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export const LEAD_ROW_SELECT = `
  SELECT ld.id, ld.kind, ld.score, ld.status, ld.assignee, ld.scoring_version,
         COALESCE(l.marketplace, s.marketplace, array_to_string(n.marketplaces, ',')) AS marketplace,
         COALESCE(l.title, s.name, n.network_key, '') AS subject,
         l.brand, l.price_vnd, s.name AS shop_name,
         COALESCE(s.province_name, ld.province_name) AS province_name, s.ward_name, s.address_quality,
         COALESCE(ld.network_id, s.network_id) AS network_id,
         ld.top_reasons, COALESCE(l.url, s.url) AS url, ld.first_flagged_at, ld.last_flagged_at
  FROM leads ld
  LEFT JOIN listings l ON l.id = ld.listing_id
  LEFT JOIN shops s ON s.id = COALESCE(ld.shop_id, l.shop_id)
  LEFT JOIN networks n ON n.id = COALESCE(ld.network_id, s.network_id)`;

/** Leads matching the filters, best first (score, then most recently flagged, then id for a stable order). */
export async function listLeads(db: Queryable, filters: LeadFilters = {}): Promise<LeadRow[]> {
  const f = LeadFiltersSchema.parse(filters);
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.minScore !== undefined) where.push(`ld.score >= ${param(f.minScore)}`);
  if (f.province !== undefined) {
    if (/^\d+$/.test(f.province)) where.push(`COALESCE(s.province_code, ld.province_code) = ${param(Number(f.province))}`);
    else where.push(`${FOLD_SQL('COALESCE(s.province_name, ld.province_name)')} LIKE ${param(`%${foldText(f.province)}%`)}`);
  }
  if (f.brand !== undefined) {
    const p = param(f.brand.toLowerCase());
    where.push(`(lower(l.brand) = ${p} OR lower(l.title) LIKE '%' || ${p} || '%'
      OR (ld.kind <> 'listing' AND EXISTS (SELECT 1 FROM listings bl WHERE bl.shop_id = s.id AND lower(bl.brand) = ${p})))`);
  }
  if (f.marketplace !== undefined) {
    const p = param(f.marketplace.toLowerCase());
    where.push(`(COALESCE(l.marketplace, s.marketplace) = ${p} OR ${p} = ANY(n.marketplaces))`);
  }
  if (f.status !== undefined) where.push(`ld.status = ${param(f.status)}`);
  if (f.since !== undefined) where.push(`ld.last_flagged_at >= ${param(f.since.toISOString())}`);
  if (f.network !== undefined) where.push(`COALESCE(ld.network_id, s.network_id) = ${param(f.network)}`);
  if (f.kind !== undefined) where.push(`ld.kind = ${param(f.kind)}`);
  const sql = `${LEAD_ROW_SELECT}
  ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
  ORDER BY ld.score DESC, ld.last_flagged_at DESC, ld.id
  LIMIT ${param(f.limit)}`;
  return (await db.query<LeadRow>(sql, params)).rows;
}
