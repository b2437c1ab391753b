import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import type { Queryable } from '../../src/core/db/types.ts';
import type { Reason } from '../../src/core/domain/reasons.ts';
import type { ListingLeadCandidate } from '../../src/leads/types.ts';
import { listing, shop } from '../helpers/records.ts';

export function reason(code: string, weight: number, en = `reason ${code}`, vi = `lý do ${code}`, detail = ''): Reason {
  return { code, weight, en, vi, detail };
}

export interface SeedListing {
  externalId: string;
  shopExternalId: string;
  title?: string;
  brand?: string;
  priceVnd?: number;
  marketplace?: 'tiki' | 'shopee' | 'lazada' | 'sendo' | 'tiktok' | 'web';
}

export interface SeedShop {
  externalId: string;
  name?: string;
  rawAddress?: string;
  provinceCode?: number | null;
  provinceName?: string | null;
  wardName?: string | null;
  addressQuality?: string | null;
  marketplace?: 'tiki' | 'shopee' | 'lazada' | 'sendo' | 'tiktok' | 'web';
}

/** Writes shops and listings through the real repositories, then the parsed address columns scoring would set. */
export async function seedShopsAndListings(
  db: Queryable,
  shops: SeedShop[],
  listings: SeedListing[],
  seenAt = new Date('2026-11-20T03:00:00Z'),
): Promise<{ shopIds: Map<string, number>; listingIds: Map<string, number> }> {
  const shopRows = await upsertShops(
    db,
    shops.map((s) =>
      shop({
        externalId: s.externalId,
        marketplace: s.marketplace ?? 'tiki',
        name: s.name ?? `Shop ${s.externalId}`,
        rawAddress: s.rawAddress,
      }),
    ),
    seenAt,
  );
  for (const s of shops) {
    await db.query(
      `UPDATE shops SET province_code = $3, province_name = $4, ward_name = $5, address_quality = $6
       WHERE marketplace = $1 AND external_id = $2`,
      [s.marketplace ?? 'tiki', s.externalId, s.provinceCode ?? null, s.provinceName ?? null, s.wardName ?? null, s.addressQuality ?? null],
    );
  }
  const listingRows = await upsertListings(
    db,
    listings.map((l) =>
      listing({
        externalId: l.externalId,
        marketplace: l.marketplace ?? 'tiki',
        shopExternalId: l.shopExternalId,
        title: l.title ?? `Listing ${l.externalId}`,
        brand: l.brand,
        priceVnd: l.priceVnd ?? 100_000,
        url: `https://${l.marketplace ?? 'tiki'}.example/p/${l.externalId}`,
      }),
    ),
    { seenAt },
  );
  return {
    shopIds: new Map(shopRows.map((r) => [r.external_id, r.id])),
    listingIds: new Map(listingRows.map((r) => [r.external_id, r.id])),
  };
}

export function listingCandidate(
  listingId: number,
  score: number,
  extra: Partial<Omit<ListingLeadCandidate, 'kind' | 'listingId'>> = {},
): ListingLeadCandidate {
  return {
    kind: 'listing',
    listingId,
    score,
    scoringVersion: 'v1',
    reasons: [
      reason('address.placeholder', 30, 'Placeholder address', 'Địa chỉ giả'),
      reason('price.below_reference', 40, 'Price far below reference', 'Giá thấp bất thường', '30% of reference'),
    ],
    provinceCode: 79,
    provinceName: 'Thành phố Hồ Chí Minh',
    ...extra,
  };
}
