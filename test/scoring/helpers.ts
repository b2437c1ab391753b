import { compileCatalog, loadStarterCatalog, type CompiledCatalog } from '../../scoring/catalog.ts';
import type { ScoringItem } from '../../scoring/pipeline.ts';
import type { ScoringListing, ScoringShop } from '../../scoring/types.ts';

let cached: CompiledCatalog | undefined;
export function starterCatalog(): CompiledCatalog {
  return (cached ??= compileCatalog(loadStarterCatalog()));
}

export function scoringShop(overrides: Partial<ScoringShop> & { id: string }): ScoringShop {
  return {
    marketplace: 'shopee',
    name: `Cửa hàng ${overrides.id}`,
    address: '12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh',
    declaredLocation: null,
    isOfficial: false,
    joinedAtMs: Date.parse('2020-01-01T00:00:00Z'),
    followerCount: 5000,
    rating: 4.8,
    phone: '0903123456',
    taxCode: '0300588569',
    ...overrides,
  };
}

export function scoringListing(overrides: Partial<ScoringListing> & { id: string; title: string }): ScoringListing {
  return {
    marketplace: 'shopee',
    description: null,
    priceVnd: 200_000,
    originalPriceVnd: null,
    brand: null,
    category: null,
    soldCount: null,
    url: null,
    ...overrides,
  };
}

export function item(
  listing: Partial<ScoringListing> & { id: string; title: string },
  shop: (Partial<ScoringShop> & { id: string }) | null,
): ScoringItem {
  return { listing: scoringListing(listing), shop: shop ? scoringShop(shop) : null };
}
