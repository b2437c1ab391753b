import type { ListingRecord, ShopRecord } from '../../src/core/domain/records.ts';

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

/** Full, resolvable addresses: what honest shops write. */
const COMPLETE_ADDRESSES = [
  '123 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh',
  'Số 45 ngõ 12 Phố Huế, Phường Hai Bà Trưng, Hà Nội',
  '78 Trần Phú, Phường Hải Châu, Đà Nẵng',
  '12 Nguyễn Trãi, P. Bến Thành, Q.1, TP.HCM',
];
/** Missing, placeholder or province-only addresses: what virtual shops write. */
const VAGUE_ADDRESSES = ['Kho hàng Quảng Châu', 'Toàn quốc', null, 'Hà Nội'];
const LOCATIONS = ['TP. Hồ Chí Minh', 'Hà Nội', 'Đà Nẵng', 'Hải Phòng'];
const RISKY_LOCATIONS = ['Nước ngoài', null, ...LOCATIONS];
const PREMIUM_BRANDS = ['Nike', 'Adidas', 'Gucci', 'Louis Vuitton', 'Chanel', 'Apple', 'Samsung', 'Royal'];
/** Brands outside the starter catalogue, or none: ordinary goods. */
const PLAIN_BRANDS = ['Việt Tiến', 'Hàng Việt Nam', 'No brand', null];
const NOUNS = ['Giày thể thao', 'Túi xách', 'Nước hoa', 'Mũ bảo hiểm', 'Sạc nhanh', 'Sữa bột', 'Áo thun', 'Son môi'];
const RISKY_QUALIFIERS = ['chính hãng', 'hàng auth', 'replica 1:1', 'like auth', 'giá rẻ', 'fullbox', 'super fake', 'xách tay'];
const PLAIN_QUALIFIERS = ['giá tốt', 'mới 100%', 'freeship', 'bảo hành 12 tháng', 'hàng mới về', 'nhiều màu'];
const CATEGORIES = ['fashion', 'shoes-bags', 'cosmetics', 'helmets', 'chargers', 'milk-supplements'];

/**
 * Share of shops (and so of listings) generated as virtual shops selling premium brands with slang.
 * The sandbox's documented mix is 15–25% counterfeit; a crawl of high-risk categories looks alike.
 * Every listing of such a shop is risky, so the flagged share lands near this value.
 */
export const RISKY_SHOP_SHARE = 0.2;

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

export interface SyntheticData {
  shops: ShopRecord[];
  listings: ListingRecord[];
}

/**
 * Listings and their shops in the repository's record shape, with Vietnamese text, mixed brands,
 * vague addresses and a `raw` payload, so writes cost what crawled records cost. About
 * {@link RISKY_SHOP_SHARE} of the shops are virtual shops selling premium brands with slang; the rest are
 * ordinary shops with full addresses, so scoring writes as many leads as a realistic crawl would.
 * `listingsPerShop` controls how many listings share a shop.
 */
export function syntheticRecords(
  listingCount: number,
  options: { seed?: number; listingsPerShop?: number; marketplace?: ListingRecord['marketplace']; prefix?: string } = {},
): SyntheticData {
  const random = prng(options.seed ?? 42);
  const marketplace = options.marketplace ?? 'tiki';
  const prefix = options.prefix ?? '';
  const shopCount = Math.max(1, Math.ceil(listingCount / (options.listingsPerShop ?? 20)));
  const shops: ShopRecord[] = [];
  const risky: boolean[] = [];
  for (let i = 0; i < shopCount; i++) {
    const isRisky = random() < RISKY_SHOP_SHARE;
    risky.push(isRisky);
    const rawAddress = pick(random, isRisky ? VAGUE_ADDRESSES : COMPLETE_ADDRESSES);
    shops.push({
      marketplace,
      externalId: `${prefix}s${i}`,
      name: `${pick(random, ['Shop', 'Kho', 'Store', 'Tổng kho'])} ${pick(random, isRisky ? PREMIUM_BRANDS : PLAIN_BRANDS) ?? 'Hàng hiệu'} ${i}`,
      url: `https://example.vn/shop/${prefix}s${i}`,
      rawAddress,
      declaredLocation: pick(random, isRisky ? RISKY_LOCATIONS : LOCATIONS),
      phone: random() < (isRisky ? 0.4 : 0.9) ? `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}` : null,
      email: null,
      taxCode: random() < (isRisky ? 0.2 : 0.6) ? String(Math.floor(random() * 1e10)).padStart(10, '0') : null,
      isOfficial: !isRisky && random() < 0.05,
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
    const isRisky = risky[i % shopCount]!;
    const brand = pick(random, isRisky ? PREMIUM_BRANDS : PLAIN_BRANDS);
    const price = Math.round((50_000 + random() * 5_000_000) / 1000) * 1000;
    const title = `${pick(random, NOUNS)} ${brand ?? ''} ${pick(random, isRisky ? RISKY_QUALIFIERS : PLAIN_QUALIFIERS)} mẫu ${i}`.replace(
      /\s+/g,
      ' ',
    );
    listings.push({
      marketplace,
      externalId: `${prefix}l${i}`,
      shopExternalId: `${prefix}s${i % shopCount}`,
      title,
      description: random() < 0.5 ? `${title}. Cam kết hàng chuẩn, đổi trả 7 ngày, giao hàng toàn quốc.` : null,
      brand,
      category: pick(random, CATEGORIES),
      priceVnd: price,
      originalPriceVnd: random() < (isRisky ? 0.6 : 0.3) ? Math.round(price * (isRisky ? 2 : 1.2)) : null,
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
