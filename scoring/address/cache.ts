import { resolveAddress } from './resolve.ts';
import type { AddressResolution, ResolveOptions } from './types.ts';

/** Options for {@link createCachedResolver}. */
export interface CachedResolverOptions {
  /** Distinct (address, declared location) pairs kept; the cache is emptied when full. Default 50,000. */
  maxEntries?: number;
}

/**
 * A memoizing resolveAddress for the scorer: shops repeat across listings, so most calls are one Map
 * lookup. Returned objects are shared between calls — treat them as read-only.
 */
export function createCachedResolver(
  options: CachedResolverOptions = {},
): (text: string | null | undefined, resolveOptions?: ResolveOptions) => Readonly<AddressResolution> {
  const maxEntries = options.maxEntries ?? 50_000;
  const cache = new Map<string, AddressResolution>();
  return (text, resolveOptions) => {
    const key = `${text ?? ''}\u0000${resolveOptions?.declaredLocation ?? ''}`;
    let hit = cache.get(key);
    if (!hit) {
      if (cache.size >= maxEntries) cache.clear();
      hit = resolveAddress(text, resolveOptions);
      cache.set(key, hit);
    }
    return hit;
  };
}
