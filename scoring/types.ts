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
  /** Contact e-mail, where the marketplace shows one: a strong network link. */
  email?: string | null;
  /** Payout bank account, where known (web shops print it for transfers): a strong network link. */
  bankAccount?: string | null;
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

/** What scoring hands on for each listing, shop or network at or above the threshold. */
export type ScoringLead = (
  { kind: 'listing'; listingId: number } | { kind: 'shop'; shopId: number } | { kind: 'network'; networkId: number }
) & {
  score: number;
  scoringVersion: string;
  /** Strongest first. */
  reasons: import('../src/core/domain/reasons.ts').Reason[];
  /** From the shop's resolved address (the leads module may route further, e.g. by declared location). */
  provinceCode: number | null;
  provinceName: string | null;
  /** What placed the subject in `provinceCode` (scoring/address/route.ts). */
  provinceSource?: import('../src/core/domain/province-source.ts').ProvinceSource | null;
  /** `JSON.stringify(reasons)`, as written to listing_scores (listing leads). */
  reasonsJson?: string;
  /** MD5 hex of `reasonsJson`. */
  reasonsHash?: string;
};

export interface LeadTotals {
  created: number;
  reflagged: number;
  reopened: number;
}

/**
 * Where `runScore` sends its leads. Scoring does not know the leads module: the application passes
 * one built on its upsert (src/apps/scoring/run-score.ts).
 */
export interface LeadSink {
  /** Most candidates per `upsert` call. */
  readonly batch: number;
  /** Called in order, after the score rows the candidates' reasons were copied from are written. */
  upsert(candidates: ScoringLead[], runAt: Date, options: { listingReasonsStored?: boolean }): Promise<LeadTotals>;
}
