/** A shop as scoring sees it: one shape for score-file, eval and the database. */
export interface ScoringShop {
  marketplace: string;
  /** The marketplace's shop id. */
  id: string;
  name: string;
  address: string | null;
  declaredLocation: string | null;
  isOfficial: boolean;
  /** Epoch milliseconds. */
  joinedAtMs: number | null;
  followerCount: number | null;
  rating: number | null;
  phone: string | null;
  taxCode: string | null;
}

/** A listing as scoring sees it. */
export interface ScoringListing {
  /** The marketplace's listing id (score-file, eval) or the database id as text. */
  id: string;
  marketplace: string;
  title: string;
  description: string | null;
  priceVnd: number | null;
  originalPriceVnd: number | null;
  /** The brand as the listing states it. */
  brand: string | null;
  category: string | null;
  soldCount: number | null;
  url: string | null;
  /** `new` / `used` / `refurbished` from the marketplace's condition field; absent or null when unknown. */
  condition?: 'new' | 'used' | 'refurbished' | null;
}

export function shopKey(shop: { marketplace: string; id: string }): string {
  return `${shop.marketplace}:${shop.id}`;
}
