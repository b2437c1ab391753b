import type { ListingRecord, ShopRecord } from '../../src/domain/records.ts';

/** Deterministic PRNG (mulberry32): the same seed gives the same data on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADDRESSES = [
  '123 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh',
  'Số 45 ngõ 12 Phố Huế, Phường Hai Bà Trưng, Hà Nội',
  'Kho hàng Quảng Châu',
  'Toàn quốc',
  '78 Trần Phú, Phường Hải Châu, Đà Nẵng',
  null,
  'Hà Nội',
];
const LOCATIONS = ['TP. Hồ Chí Minh', 'Hà Nội', 'Đà Nẵng', 'Nước ngoài', 'Hải Phòng', null];
const BRANDS = ['Nike', 'Adidas', 'Gucci', 'Louis Vuitton', 'Chanel', 'Apple', 'Samsung', 'Royal', 'No brand', null];
const NOUNS = ['Giày thể thao', 'Túi xách', 'Nước hoa', 'Mũ bảo hiểm', 'Sạc nhanh', 'Sữa bột', 'Áo thun', 'Son môi'];
const QUALIFIERS = ['chính hãng', 'hàng auth', 'replica 1:1', 'like auth', 'giá rẻ', 'fullbox', 'super fake', 'xách tay'];
const CATEGORIES = ['fashion', 'shoes-bags', 'cosmetics', 'helmets', 'chargers', 'milk-supplements'];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

export interface SyntheticData {
  shops: ShopRecord[];
  listings: ListingRecord[];
}

/**
 * Listings and their shops in the repository's record shape, with Vietnamese text, mixed brands,
 * vague addresses and a `raw` payload, so writes cost what crawled records cost.
 * `listingsPerShop` controls how many listings share a shop.
 */
export function syntheticRecords(listingCount: number, options: { seed?: number; listingsPerShop?: number; marketplace?: ListingRecord['marketplace']; prefix?: string } = {}): SyntheticData {
  const random = prng(options.seed ?? 42);
  const marketplace = options.marketplace ?? 'tiki';
  const prefix = options.prefix ?? '';
  const shopCount = Math.max(1, Math.ceil(listingCount / (options.listingsPerShop ?? 20)));
  const shops: ShopRecord[] = [];
  for (let i = 0; i < shopCount; i++) {
    const rawAddress = pick(random, ADDRESSES);
    shops.push({
      marketplace,
      externalId: `${prefix}s${i}`,
      name: `${pick(random, ['Shop', 'Kho', 'Store', 'Tổng kho'])} ${pick(random, BRANDS) ?? 'Hàng hiệu'} ${i}`,
      url: `https://example.vn/shop/${prefix}s${i}`,
      rawAddress,
      declaredLocation: pick(random, LOCATIONS),
      phone: random() < 0.4 ? `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}` : null,
      email: null,
      taxCode: random() < 0.2 ? String(Math.floor(random() * 1e10)).padStart(10, '0') : null,
      isOfficial: random() < 0.05,
      isVerified: random() < 0.2,
      joinedAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 5 * 365) * 86_400_000).toISOString(),
      followerCount: Math.floor(random() * 50_000),
      rating: Math.round(random() * 50) / 10,
      listingCount: Math.floor(random() * 500),
      raw: { id: i, address: rawAddress },
    });
  }
  const listings: ListingRecord[] = [];
  for (let i = 0; i < listingCount; i++) {
    const brand = pick(random, BRANDS);
    const price = Math.round((50_000 + random() * 5_000_000) / 1000) * 1000;
    const title = `${pick(random, NOUNS)} ${brand ?? ''} ${pick(random, QUALIFIERS)} mẫu ${i}`.replace(/\s+/g, ' ');
    listings.push({
      marketplace,
      externalId: `${prefix}l${i}`,
      shopExternalId: `${prefix}s${i % shopCount}`,
      title,
      description: random() < 0.5 ? `${title}. Cam kết hàng chuẩn, đổi trả 7 ngày, giao hàng toàn quốc.` : null,
      brand,
      category: pick(random, CATEGORIES),
      priceVnd: price,
      originalPriceVnd: random() < 0.6 ? price * 2 : null,
      soldCount: Math.floor(random() * 10_000),
      rating: Math.round(random() * 50) / 10,
      images: [`https://cdn.example.vn/${prefix}${i}/1.jpg`, `https://cdn.example.vn/${prefix}${i}/2.jpg`],
      url: `https://example.vn/p/${prefix}l${i}`,
      status: 'active',
      raw: { id: i, price, title },
    });
  }
  return { shops, listings };
}
