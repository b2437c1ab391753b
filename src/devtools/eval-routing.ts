/**
 * Province routing for `radar eval` on the sandbox, as a crawl would see it: the truth gives every shop
 * its world location label, but Tiki's and web shops' pages print none, so routing must not use it there.
 * Scoring itself still reads the truth as it is; only the routing report changes.
 */
import type { ShopProfile } from '../../scoring/pipeline.ts';
import { routeProvince, type RoutedProvince } from '../../scoring/address/route.ts';
import { MARKETPLACE_SKIN, SKINS_SHOWING_LOCATION, type SandboxMarketplace } from './sandbox/world.ts';

function routedAsCrawled(profile: ShopProfile): RoutedProvince {
  const skin = MARKETPLACE_SKIN[profile.shop.marketplace as SandboxMarketplace];
  const shown = skin !== undefined && SKINS_SHOWING_LOCATION.has(skin);
  return routeProvince({ ...profile.shop, declaredLocation: shown ? profile.shop.declaredLocation : null }, profile.resolution);
}

/** The `provinceSource` and `nationalReason` options of evaluateTruth for sandbox truth. */
export const sandboxRouting = {
  provinceSource: (profile: ShopProfile): string | null => routedAsCrawled(profile).source,
  nationalReason: (profile: ShopProfile | null): string => (profile === null ? 'none' : (routedAsCrawled(profile).national ?? 'none')),
};
