/** A demo-like database for fit tests: a sandbox seed's shops and listings stored, scored, with leads. */
import { upsertListings } from '../../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../../src/core/db/stores/shops.ts';
import { ListingRecordSchema, ShopRecordSchema } from '../../../src/core/domain/records.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { sandboxTruth } from '../../../src/devtools/eval-truth.ts';
import type { TruthListingFields, TruthShopFields } from '../../../src/devtools/sandbox/truth.ts';
import type { TruthListing } from '../../../scoring/eval.ts';

export type DemoRecord = TruthListing & { listing: TruthListingFields; shop: TruthShopFields; marketplace: string };

export const DEMO_NOW = new Date('2025-09-01T00:00:00Z');

export function demoRecords(seed: number, listings: number): DemoRecord[] {
  return [...sandboxTruth(seed, listings)] as DemoRecord[];
}

export const recordKey = (marketplace: string, id: string) => `${marketplace}:${id}`;

/** Stores the records' shops and listings as a crawl would (also the four-paths test's ingest). */
export async function ingestDemo(db: Db, records: readonly DemoRecord[], seenAt: Date = DEMO_NOW): Promise<void> {
  const shops = new Map<string, ReturnType<typeof ShopRecordSchema.parse>>();
  for (const r of records) {
    const s = r.shop;
    shops.set(
      recordKey(r.marketplace, s.id),
      ShopRecordSchema.parse({
        marketplace: r.marketplace,
        externalId: s.id,
        name: s.name,
        rawAddress: s.address ?? null,
        declaredLocation: s.declared_location ?? null,
        phone: s.phone ?? null,
        taxCode: s.tax_code ?? null,
        isOfficial: s.is_official ?? false,
        joinedAt: s.joined_at ?? null,
        followerCount: s.follower_count ?? null,
        rating: s.rating ?? null,
      }),
    );
  }
  await upsertShops(db, [...shops.values()], seenAt);
  const listings = records.map((r) =>
    ListingRecordSchema.parse({
      marketplace: r.marketplace,
      externalId: r.listing.id,
      shopExternalId: r.shop.id,
      title: r.listing.title,
      brand: r.listing.brand ?? null,
      category: r.listing.category ?? null,
      priceVnd: r.listing.price_vnd,
      originalPriceVnd: r.listing.original_price_vnd ?? null,
      soldCount: r.listing.sold_count ?? null,
    }),
  );
  for (let i = 0; i < listings.length; i += 500) await upsertListings(db, listings.slice(i, i + 500), { seenAt });
}
