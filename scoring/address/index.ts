/**
 * Vietnamese shop-address resolution (address-clarity signal). Crude first version: the API is stable,
 * the implementation is being filled in.
 */
export type { AddressQuality, AddressResolution, ResolveOptions, LocationLabelResolution } from './types.ts';
export { ADDRESS_QUALITIES } from './types.ts';
import type { AddressResolution, LocationLabelResolution, ResolveOptions } from './types.ts';

export function resolveAddress(text: string | null | undefined, _options?: ResolveOptions): AddressResolution {
  const empty = text == null || text.trim() === '';
  return {
    province: null,
    province_code: null,
    ward: null,
    ward_code: null,
    old_province: null,
    quality: empty ? 'missing' : 'placeholder',
    issues: empty ? ['no address given'] : [],
  };
}

/** A marketplace's location label ("TP. Hồ Chí Minh", "Hà Nội", "TP.HCM", "Bạc Liêu", "Nước ngoài") → 2025 province, or overseas, or null. */
export function resolveLocationLabel(_label: string | null | undefined): LocationLabelResolution {
  return { province: null, province_code: null, overseas: false };
}
