/**
 * Vietnamese shop-address resolution: the address-clarity signal. Addresses in the pre-2025 (63 provinces,
 * districts) or the July 2025 scheme (34 provinces, 3,321 wards) resolve to the 2025 province and ward.
 */
export type { AddressQuality, AddressResolution, ResolveOptions, LocationLabelResolution } from './types.ts';
export { ADDRESS_QUALITIES } from './types.ts';
import { clearLabelCache } from './location-label.ts';
import { clearAddressTextCache } from './resolve.ts';
import { clearWordCache } from './tokenize.ts';

export { resolveAddress } from './resolve.ts';
export { resolveLocationLabel } from './location-label.ts';

/**
 * Forgets every address and location label resolved so far in this process, so the next scoring
 * run resolves them as a new `radar` process would: benchmarks call it between trials.
 */
export function clearAddressCaches(): void {
  clearAddressTextCache();
  clearLabelCache();
  clearWordCache();
}
export { createCachedResolver, type CachedResolverOptions } from './cache.ts';
