/**
 * What placed a shop, and its leads, in a 2025 province: its address; else the location the
 * marketplace declares for it; else its landline's area code; else the warehouse city the
 * marketplace shows. Scoring routes (scoring/address/route.ts); leads and exports carry the source.
 */
export const PROVINCE_SOURCES = ['address', 'declared', 'phone', 'warehouse'] as const;
export type ProvinceSource = (typeof PROVINCE_SOURCES)[number];
