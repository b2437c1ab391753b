/**
 * What placed a shop, and its leads, in a 2025 province: its address; else the location the
 * marketplace declares for it; else its landline's area code; else the warehouse city the
 * marketplace shows. Scoring routes (scoring/address/route.ts); leads and exports carry the source.
 */
export const PROVINCE_SOURCES = ['address', 'declared', 'phone', 'warehouse'] as const;
export type ProvinceSource = (typeof PROVINCE_SOURCES)[number];

/**
 * Why a shop has no province, so its leads go to the national steering committee (Ban Chỉ đạo 389
 * quốc gia) instead: `overseas`, a cross-border seller (its address or the marketplace says abroad,
 * "Nước ngoài"); `none`, nothing the marketplace shows locates it. Stored in the same
 * `province_source` column with a null province (migration 0110).
 */
export const NATIONAL_REASONS = ['overseas', 'none'] as const;
export type NationalReason = (typeof NATIONAL_REASONS)[number];

/** Every value of `province_source`: a province source, or the reason a lead is routed nationally. */
export const ROUTING_SOURCES = [...PROVINCE_SOURCES, ...NATIONAL_REASONS] as const;
export type RoutingSource = ProvinceSource | NationalReason;

/** The destination of leads without a province: the national committee. */
export const NATIONAL_DESTINATION = 'national' as const;

export function isNationalReason(value: string | null | undefined): value is NationalReason {
  return value === 'overseas' || value === 'none';
}
