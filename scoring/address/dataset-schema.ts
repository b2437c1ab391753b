import { z } from 'zod';

/**
 * Shape of scoring/data/vn-admin.json, written by scripts/build-admin-data.ts. Tuples keep it small:
 * codes are the GSO/NSO numeric codes (old and new ward codes share one numbering).
 */
export const adminDatasetSchema = z.object({
  source: z.string(),
  /** [code, official name] of the 34 provinces of the July 2025 scheme. */
  provinces: z.array(z.tuple([z.number().int(), z.string()])),
  /** [code, province code, official name] of the 3,321 wards of the 2025 scheme. */
  wards: z.array(z.tuple([z.number().int(), z.number().int(), z.string()])),
  /** [code, official name, 2025 province code it merged into] of the 63 pre-2025 provinces. */
  oldProvinces: z.array(z.tuple([z.number().int(), z.string(), z.number().int()])),
  /** [code, old province code, official name] of the 696 pre-2025 districts. */
  oldDistricts: z.array(z.tuple([z.number().int(), z.number().int(), z.string()])),
  /** [code, old district code, official name, 2025 ward codes (whole merges first)] of the pre-2025 wards. */
  oldWards: z.array(z.tuple([z.number().int(), z.number().int(), z.string(), z.array(z.number().int())])),
});

export type AdminDataset = z.infer<typeof adminDatasetSchema>;
