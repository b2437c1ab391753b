import { z } from 'zod';
import type { Queryable } from '../core/db/types.ts';
import { FOLD_SQL, selectLeads, type LeadListRow, type ProvinceMatch } from '../core/db/stores/lead-queries.ts';
import { MARKETPLACES } from '../core/domain/records.ts';
import { LEAD_KINDS, LEAD_STATUSES, ROUTING_SOURCES } from './types.ts';

export { FOLD_SQL };

/** Filters of `radar leads list`, validated where they enter from the command line. */
export const LeadFiltersSchema = z.object({
  /** Only leads scoring at least this much (0–100). */
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  /**
   * A 2025 province code ("79"), or an accent-insensitive name fragment ("ho chi minh"). The CLI
   * resolves names, abbreviations and pre-2025 names to a code first (src/apps/cli/filters.ts).
   */
  province: z.string().min(1).optional(),
  /** Brand as the listing states it, or a word in the title (case-insensitive). */
  brand: z.string().min(1).optional(),
  /** Marketplace id: shopee, lazada, tiki, sendo, tiktok, web. */
  marketplace: z.enum(MARKETPLACES).optional(),
  /** Review status. */
  status: z.enum(LEAD_STATUSES).optional(),
  /** Only leads flagged at or after this instant (ISO date or date-time). */
  since: z.coerce.date().optional(),
  /** Network id. */
  network: z.coerce.number().int().positive().optional(),
  /** listing, shop or network. */
  kind: z.enum(LEAD_KINDS).optional(),
  /** How the lead's province was found (address, declared, phone, warehouse), or why it has none (overseas, none). */
  provinceSource: z.enum(ROUTING_SOURCES).optional(),
  /**
   * At most this many rows.
   * @default 500
   */
  limit: z.coerce.number().int().min(1).max(1_000_000).default(500),
});
export type LeadFilters = z.input<typeof LeadFiltersSchema>;

/** One lead as `radar leads list` prints it; listing, shop and network leads share the shape. */
export type LeadRow = LeadListRow;

export function foldText(text: string): string {
  return text.replace(/[đĐ]/g, 'd').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A province filter as the store takes it: digits are a code, anything else a name fragment. */
export function provinceMatch(province: string): ProvinceMatch {
  return /^\d+$/.test(province) ? { code: Number(province) } : { nameLike: foldText(province) };
}

/** One page of leads matching the filters, best first, with how many match in all ("500 of 877"). */
export async function listLeadsPage(db: Queryable, filters: LeadFilters = {}): Promise<{ rows: LeadRow[]; total: number }> {
  const f = LeadFiltersSchema.parse(filters);
  return selectLeads(db, {
    minScore: f.minScore,
    province: f.province === undefined ? undefined : provinceMatch(f.province),
    brand: f.brand?.toLowerCase(),
    marketplace: f.marketplace,
    status: f.status,
    since: f.since,
    network: f.network,
    kind: f.kind,
    provinceSource: f.provinceSource,
    limit: f.limit,
  });
}

/** Leads matching the filters, best first (score, then most recently flagged, then id for a stable order). */
export async function listLeads(db: Queryable, filters: LeadFilters = {}): Promise<LeadRow[]> {
  return (await listLeadsPage(db, filters)).rows;
}
