/** How much of a real, locatable Vietnamese address a shop gave. */
export type AddressQuality = 'complete' | 'ward_province' | 'province_only' | 'placeholder' | 'missing' | 'inconsistent' | 'overseas';

export const ADDRESS_QUALITIES: readonly AddressQuality[] = [
  'complete',
  'ward_province',
  'province_only',
  'placeholder',
  'missing',
  'inconsistent',
  'overseas',
];

/** A shop address resolved to the July 2025 two-level scheme (34 provinces, 3,321 wards). */
export interface AddressResolution {
  /** Official 2025 province name, e.g. "Thành phố Hồ Chí Minh". */
  province: string | null;
  /** 2025 NSO province code. */
  province_code: number | null;
  /** Official 2025 ward name. */
  ward: string | null;
  /** 2025 NSO ward code. */
  ward_code: number | null;
  /** Official pre-2025 province name, when the text was written in the old scheme. */
  old_province: string | null;
  quality: AddressQuality;
  /** Human-readable problems an investigator can act on. */
  issues: string[];
  /** When the text fits several 2025 provinces equally ("H.Giang": Hà Giang or Hậu Giang), each of them; the province is then null. */
  ambiguous?: { province: string; province_code: number }[];
}

/** Options for {@link AddressResolution} lookups. */
export interface ResolveOptions {
  /** The location label the marketplace shows for the shop ("TP. Hồ Chí Minh", "Nước ngoài"); compared with the address. */
  declaredLocation?: string | null;
}

/** A marketplace location label resolved to a 2025 province, or to "overseas". */
export interface LocationLabelResolution {
  province: string | null;
  province_code: number | null;
  overseas: boolean;
}
