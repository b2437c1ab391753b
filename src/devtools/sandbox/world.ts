/**
 * The generated world: shops and listings computed by index from the seed, never stored. Only the
 * hand-written `extra` items are held in memory.
 */
import { COMPATIBILITY_TITLES, CHEAP_HONEST_TITLES, COPIED_PRODUCTS, PRODUCTS, type Category, type Product } from './catalog.ts';
import { Draw, hash32 } from './rng.ts';
import {
  OVERSEAS,
  PLACEHOLDERS,
  mobileDigits,
  provinceOnly,
  randomProvinceLabel,
  taxCode,
  validAddress,
  wardMismatchAddress,
  writePhone,
} from './identity.ts';
import {
  CLAIMS,
  LAUNDERING,
  LISTING_PATTERNS,
  SLANG,
  SMUGGLING,
  disguise,
  homoglyph,
  zeroWidth,
  type HardNegative,
  type ListingPattern,
  type ShopPattern,
} from './patterns.ts';
import type { ExtraFile } from './extra.ts';
import { slugify } from './text.ts';

/** The path prefixes the server exposes, one per marketplace wire format. */
export const SKINS = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'shop'] as const;
export type Skin = (typeof SKINS)[number];
export type SandboxMarketplace = 'shopee' | 'lazada' | 'tiki' | 'sendo' | 'tiktok' | 'web';
export const SKIN_MARKETPLACE: Record<Skin, SandboxMarketplace> = {
  shopee: 'shopee',
  lazada: 'lazada',
  tiki: 'tiki',
  sendo: 'sendo',
  tiktok: 'tiktok',
  shop: 'web',
};
export const MARKETPLACE_SKIN: Record<SandboxMarketplace, Skin> = {
  shopee: 'shopee',
  lazada: 'lazada',
  tiki: 'tiki',
  sendo: 'sendo',
  tiktok: 'tiktok',
  web: 'shop',
};

export type ShopKind =
  | 'official'
  | 'authorised'
  | 'honest'
  | 'virtual_missing'
  | 'virtual_placeholder'
  | 'virtual_province_only'
  | 'virtual_ward_mismatch'
  | 'virtual_overseas'
  | 'network';
export type Label = 'counterfeit' | 'clean';
/**
 * Clean shops planted to look linked or unlocated: a generic name (common words plus digits) that
 * thousands of sellers share, a street address shared with the other stalls of a market building,
 * or a declared location and no address at all.
 */
export const SHOP_DECOYS = ['generic_name', 'market_building', 'declared_only'] as const;
export type ShopDecoy = (typeof SHOP_DECOYS)[number];

export interface SandboxShop {
  index: number;
  skin: Skin;
  marketplace: SandboxMarketplace;
  /** The marketplace's external shop id. */
  id: string;
  name: string;
  kind: ShopKind | 'extra';
  label: Label;
  patterns: string[];
  network: string | null;
  address: string | null;
  /** The marketplace's location label ("TP. Hồ Chí Minh", "Nước ngoài", or "" when the shop hides it). */
  declaredLocation: string | null;
  isOfficial: boolean;
  /** ISO 8601. */
  joinedAt: string;
  followerCount: number;
  rating: number;
  phone: string | null;
  taxCode: string | null;
  /** Main brand of an official store. */
  brand: string | null;
  /** The decoy this clean shop is, if any. */
  decoy: ShopDecoy | null;
}

export interface SandboxListing {
  index: number;
  skin: Skin;
  marketplace: SandboxMarketplace;
  id: string;
  shopId: string;
  /** Index of the shop in the world (generated or extra). */
  shopIndex: number;
  title: string;
  description: string;
  brand: string | null;
  category: Category;
  priceVnd: number;
  originalPriceVnd: number | null;
  soldCount: number;
  rating: number;
  /** Unix seconds. */
  createdAt: number;
  label: Label;
  patterns: string[];
  /** A {@link HardNegative} kind, or an extra file's own label. */
  hardNegative: string | null;
  network: string | null;
  /** Integer used to derive image hashes. */
  imageKey: number;
  /** URL slug of the title, computed once because every skin prints it. */
  slug: string;
}

export interface World {
  readonly seed: number;
  readonly shopCount: number;
  readonly listingCount: number;
  /** Listings generated from the seed (the rest, up to listingCount, come from `extra`). */
  readonly generatedListings: number;
  readonly generatedShops: number;
  shop(index: number): SandboxShop;
  listing(index: number): SandboxListing;
  /** Indexes of a shop's listings, in order. */
  shopListingIndexes(shopIndex: number): Iterable<number>;
  /** Finds a shop by skin and external id. */
  findShop(skin: Skin, id: string): SandboxShop | undefined;
  /** Finds a listing by skin and external id. */
  findListing(skin: Skin, id: string): SandboxListing | undefined;
}

/** Options of {@link generateWorld}. */
export interface WorldOptions {
  /** Seed: the same seed (and counts) gives the same world, byte for byte. */
  seed: number;
  /** Number of generated shops. @default one per five listings, at least 20 */
  shops?: number;
  /** Number of generated listings. @default 1000 */
  listings?: number;
  /** Hand-written shops and listings appended after the generated ones. */
  extra?: ExtraFile;
}

/** The world's "today": fixed so dates never depend on when the world is generated. */
export const WORLD_NOW = Date.UTC(2025, 8, 1) / 1000;
const DAY = 86_400;

const STREAM_SHOP = 1;
const STREAM_LISTING = 2;
const STREAM_NETWORK = 3;
const STREAM_MARKET = 4;

/** Shop kinds in a block of 20 consecutive shops; each block is a different permutation of this. */
const BLOCK: readonly ShopKind[] = [
  'official',
  'official',
  'official',
  'authorised',
  'authorised',
  'authorised',
  'honest',
  'honest',
  'honest',
  'honest',
  'honest',
  'honest',
  'virtual_missing',
  'virtual_placeholder',
  'virtual_province_only',
  'virtual_ward_mismatch',
  'virtual_overseas',
  'network',
  'network',
  'network',
];
const COPRIME_STEPS = [1, 3, 7, 9, 11, 13, 17, 19];

const SHOP_ID_BASE: Record<Skin, number> = {
  shopee: 100_000_000,
  lazada: 200_000,
  tiki: 100_000,
  sendo: 800_000,
  tiktok: 7_494_000_000,
  shop: 1000,
};
const LISTING_ID_BASE: Record<Skin, number> = {
  shopee: 20_000_000_000,
  lazada: 3_000_000_000,
  tiki: 270_000_000,
  sendo: 39_000_000,
  tiktok: 1_729_000_000_000,
  shop: 10_000,
};

export function shopExternalId(skin: Skin, index: number): string {
  return skin === 'shop' ? `ws${SHOP_ID_BASE.shop + index}` : String(SHOP_ID_BASE[skin] + index);
}
export function listingExternalId(skin: Skin, index: number): string {
  return String(LISTING_ID_BASE[skin] + index);
}

const OFFICIAL_BRANDS = [
  'Nike',
  'Adidas',
  'Apple',
  'Samsung',
  'Anker',
  'La Roche-Posay',
  'Similac',
  'Royal',
  "Levi's",
  'Uniqlo',
  'Sunhouse',
  'Lock&Lock',
  'Enfamil',
  'Blackmores',
  'Andes',
  'Sony',
  'JBL',
  'Dior',
  'Cetaphil',
  'Lacoste',
];
const RESELLER_NAMES = [
  'Thế Giới Giày Authentic',
  'Hoàng Phúc Fashion',
  'Mỹ Phẩm Hương Thảo',
  'Bibo Mart Mẹ & Bé',
  'Phụ Kiện Số Minh Khang',
  'Mũ Bảo Hiểm Chính Hãng Sài Gòn',
  'Kids Plaza',
  'Di Động Việt Phụ Kiện',
  'Perfume Gallery VN',
  'Sneaker House HN',
];
const HONEST_NAMES = [
  'Tạp Hóa Minh Anh',
  'Shop Mẹ Bắp',
  'Nhà Sách Phương Nam Mini',
  'Gia Dụng Thu Hà',
  'Đồ Cũ Tuấn Hưng',
  'Shop Thời Trang Linh Chi',
  'Phụ Kiện Điện Thoại 247',
  'Góc Nhỏ Của Mây',
  'Cửa Hàng Bách Hóa Hải Yến',
  'Tiệm Nhà Bơ',
];
const SHADY_NAMES = [
  'Kho Sỉ Hàng Hiệu 68',
  'Hàng Hiệu Giá Xưởng',
  'Order Quảng Châu Store',
  'Sneaker Rep Store',
  'Tổng Kho Mỹ Phẩm Sỉ',
  'Hàng Xách Tay Giá Tốt',
  'Siêu Thị Hàng Hiệu 99',
  'Outlet VNXK',
  'Kho Sữa Nội Địa',
  'Phụ Kiện Táo Giá Rẻ',
  'Shop Mũ Giá Sỉ',
  'Deal Hời Mỗi Ngày',
];

function shopKind(seed: number, index: number): ShopKind {
  const block = Math.floor(index / BLOCK.length);
  const step = COPRIME_STEPS[hash32(seed, STREAM_SHOP, block, 7) % COPRIME_STEPS.length]!;
  const offset = hash32(seed, STREAM_SHOP, block, 8) % BLOCK.length;
  return BLOCK[(step * (index % BLOCK.length) + offset) % BLOCK.length]!;
}

/** Network "net-N": shops of kind network in two consecutive blocks share one identifier. */
function networkOf(index: number): number {
  return Math.floor(index / (BLOCK.length * 2)) + 1;
}

interface NetworkIdentity {
  link: 'phone' | 'tax_code' | 'address';
  phoneDigits: string;
  taxCode: string;
  address: string;
  declaredLocation: string;
  /** Shops linked by their address share a trade name too ("Tuấn Phát Store 2"): an address alone links nobody. */
  tradeName: string;
}

const TRADE_NAME_HEADS = [
  'Tuấn',
  'Minh',
  'Phúc',
  'Hưng',
  'Kim',
  'Thành',
  'Bảo',
  'Gia',
  'Đức',
  'Quang',
  'Hoàng',
  'Thiên',
  'Vĩnh',
  'Tâm',
  'Ngọc',
  'Trường',
];
const TRADE_NAME_TAILS = [
  'Phát',
  'Long',
  'Thịnh',
  'Ngân',
  'Khang',
  'Lộc',
  'Anh',
  'Hải',
  'Tín',
  'Vượng',
  'Hòa',
  'Nguyên',
  'Việt',
  'Sơn',
  'Châu',
  'Duy',
];

function networkIdentity(seed: number, network: number): NetworkIdentity {
  const d = new Draw(seed, STREAM_NETWORK, network);
  const link = (['phone', 'tax_code', 'address'] as const)[network % 3]!;
  const place = validAddress(d);
  const identity = {
    link,
    phoneDigits: mobileDigits(d),
    taxCode: taxCode(d, true),
    address: place.address,
    declaredLocation: place.declaredLocation,
  };
  const tradeName = `${d.pick(TRADE_NAME_HEADS)} ${d.pick(TRADE_NAME_TAILS)} ${d.pick(['Store', 'Shop', 'Hàng Hiệu', 'Authentic'])}`;
  return { ...identity, tradeName };
}

const GENERIC_NAMES = [
  'Phụ Kiện Điện Thoại',
  'Shop Thời Trang',
  'Gia Dụng Giá Tốt',
  'Mỹ Phẩm Online',
  'Giày Dép Giá Rẻ',
  'Đồng Hồ Shop',
  'Túi Xách Hot',
  'Kho Gia Dụng',
  'Store Phụ Kiện',
  'Shop Mẹ Và Bé',
];
const MARKETS = ['Chợ Bến Thành', 'Chợ Đồng Xuân', 'Chợ An Đông', 'Chợ Tân Định', 'Chợ Bình Tây', 'Chợ Hàn'];
/** Market buildings per world: each houses many clean stalls at one street address. */
const MARKET_COUNT = 3;

/** The street address of market `m`: every stall in it writes the same one. */
function marketPlace(seed: number, m: number): { address: string; declaredLocation: string } {
  const d = new Draw(seed, STREAM_MARKET, m);
  const market = d.pick(MARKETS);
  const place = validAddress(d);
  return { address: `${market}, ${place.address}`, declaredLocation: place.declaredLocation };
}

/** One honest shop in eight is each decoy kind. */
function decoyOf(seed: number, index: number): ShopDecoy | null {
  const roll = hash32(seed, STREAM_SHOP, index, 9) % 8;
  return roll < SHOP_DECOYS.length ? SHOP_DECOYS[roll]! : null;
}

/**
 * Which skins print each identifier a network can be linked by (TikTok Shop prints none of them,
 * Lazada only the address): a planted network must be observable from what a crawl can read.
 */
const SKINS_SHOWING: Record<NetworkIdentity['link'], readonly Skin[]> = {
  phone: ['shopee', 'tiki', 'sendo', 'shop'],
  tax_code: ['shopee', 'tiki', 'sendo', 'shop'],
  address: ['shopee', 'lazada', 'tiki', 'sendo', 'shop'],
};

/**
 * Skins whose pages print the marketplace's location label for a shop, as the real ones do: Shopee
 * `shop_location`, Lazada list `location`, Sendo `shop_warehouse_city`, TikTok `seller_location`.
 * Tiki's API and a web shop's pages have no such field, so a crawl never sees those shops' label.
 */
export const SKINS_SHOWING_LOCATION: ReadonlySet<Skin> = new Set(['shopee', 'lazada', 'sendo', 'tiktok']);

function shopSkin(seed: number, index: number, kind: ShopKind): Skin {
  const roll = hash32(seed, STREAM_SHOP, index, 1);
  if (kind !== 'network') return SKINS[roll % SKINS.length]!;
  const skins = SKINS_SHOWING[networkIdentity(seed, networkOf(index)).link];
  return skins[roll % skins.length]!;
}

function generateShop(seed: number, index: number): SandboxShop {
  const d = new Draw(seed, STREAM_SHOP, index);
  const kind = shopKind(seed, index);
  const skin = shopSkin(seed, index, kind);
  const patterns: ShopPattern[] = [];
  let network: string | null = null;
  let address: string | null = null;
  let declaredLocation: string | null = null;
  let phone: string | null = d.chance(0.7) ? writePhone(mobileDigits(d), d) : null;
  let tax: string | null = null;
  let isOfficial = false;
  let brand: string | null = null;
  let name: string;
  let decoy: ShopDecoy | null = null;
  let ageDays: number;
  let followers: number;
  let rating: number;
  const suffix = d.int(1, 999);

  if (kind === 'official' || kind === 'authorised' || kind === 'honest') {
    const place = validAddress(d);
    address = place.address;
    declaredLocation = place.declaredLocation;
  }
  switch (kind) {
    case 'official':
      brand = OFFICIAL_BRANDS[(index + hash32(seed, 11)) % OFFICIAL_BRANDS.length]!;
      name = d.pick([`${brand} Official Store`, `${brand} Flagship Store`, `${brand} Việt Nam Official`]);
      isOfficial = true;
      tax = taxCode(d, true);
      phone = `${d.pick(['1800', '1900'])} ${d.int(1000, 9999)}`;
      ageDays = d.int(1500, 3000);
      followers = d.int(80_000, 2_500_000);
      rating = 4.7 + d.int(0, 3) / 10;
      break;
    case 'authorised':
      name = `${d.pick(RESELLER_NAMES)}${d.chance(0.5) ? ` ${d.pick(['Official', 'Authorized', 'Store'])}` : ''}`;
      isOfficial = skin === 'shopee' || skin === 'lazada' || skin === 'tiki';
      tax = taxCode(d, true);
      ageDays = d.int(900, 2600);
      followers = d.int(10_000, 400_000);
      rating = 4.6 + d.int(0, 4) / 10;
      break;
    case 'honest':
      name = `${d.pick(HONEST_NAMES)}${d.chance(0.6) ? ` ${suffix}` : ''}`;
      tax = d.chance(0.55) ? taxCode(d, true) : null;
      decoy = decoyOf(seed, index);
      if (decoy === 'generic_name') name = `${d.pick(GENERIC_NAMES)} ${suffix}`;
      else if (decoy === 'market_building') {
        const place = marketPlace(seed, hash32(seed, STREAM_SHOP, index, 10) % MARKET_COUNT);
        address = place.address;
        declaredLocation = place.declaredLocation;
        // Stalls are known by their number; some use a generic name as well.
        name = d.chance(0.5)
          ? `Sạp ${100 + index} ${d.pick(TRADE_NAME_HEADS)} ${d.pick(TRADE_NAME_TAILS)}`
          : `${d.pick(GENERIC_NAMES)} ${suffix}`;
      } else if (decoy === 'declared_only') {
        address = null;
        declaredLocation = randomProvinceLabel(d);
      }
      ageDays = d.int(200, 2800);
      followers = d.int(50, 40_000);
      rating = 4.3 + d.int(0, 7) / 10;
      break;
    default: {
      name = `${d.pick(SHADY_NAMES)} ${suffix}`;
      ageDays = d.int(20, 300);
      followers = d.int(0, 3_000);
      rating = 3.6 + d.int(0, 13) / 10;
      if (d.chance(0.55)) {
        const valid = d.chance(0.3);
        tax = taxCode(d, valid);
        if (!valid) patterns.push('invalid_tax_code');
      }
      if (kind === 'virtual_missing') {
        patterns.push('address_missing');
        declaredLocation = d.chance(0.5) ? '' : randomProvinceLabel(d);
      } else if (kind === 'virtual_placeholder') {
        patterns.push('address_placeholder');
        address = d.pick(PLACEHOLDERS);
        declaredLocation = d.chance(0.5) ? '' : randomProvinceLabel(d);
      } else if (kind === 'virtual_province_only') {
        patterns.push('address_province_only');
        const place = provinceOnly(d);
        address = place.address;
        declaredLocation = place.declaredLocation;
      } else if (kind === 'virtual_ward_mismatch') {
        patterns.push('address_ward_mismatch');
        const place = wardMismatchAddress(d);
        address = place.address;
        declaredLocation = place.declaredLocation;
      } else if (kind === 'virtual_overseas') {
        patterns.push('address_overseas');
        address = d.pick(OVERSEAS);
        declaredLocation = 'Nước ngoài';
      } else {
        const n = networkOf(index);
        const identity = networkIdentity(seed, n);
        network = `net-${n}`;
        patterns.push('shop_network');
        const place = validAddress(d);
        address = place.address;
        declaredLocation = place.declaredLocation;
        if (identity.link === 'phone') phone = writePhone(identity.phoneDigits, d);
        else if (identity.link === 'tax_code') {
          tax = identity.taxCode;
          const bad = patterns.indexOf('invalid_tax_code');
          if (bad >= 0) patterns.splice(bad, 1);
        } else {
          address = identity.address;
          declaredLocation = identity.declaredLocation;
          name = `${identity.tradeName} ${suffix}`;
        }
      }
    }
  }
  const shopRating = Math.min(5, Math.round(rating * 10) / 10);
  return {
    index,
    skin,
    marketplace: SKIN_MARKETPLACE[skin],
    id: shopExternalId(skin, index),
    name,
    kind,
    label: patterns.length > 0 ? 'counterfeit' : 'clean',
    patterns,
    network,
    address,
    declaredLocation,
    isOfficial,
    joinedAt: new Date((WORLD_NOW - ageDays * DAY) * 1000).toISOString(),
    followerCount: followers,
    rating: shopRating,
    phone,
    taxCode: tax,
    brand,
    decoy,
  };
}

const roundPrice = (value: number): number => Math.max(1000, Math.round(value / 1000) * 1000);

interface ListingPlan {
  title: string;
  brand: string | null;
  category: Category;
  price: number;
  original: number | null;
  patterns: ListingPattern[];
  hardNegative: HardNegative | null;
  description: string;
}

function counterfeitPlan(product: Product, d: Draw, primary: ListingPattern): ListingPlan {
  const patterns = new Set<ListingPattern>([primary]);
  if (d.chance(0.75)) patterns.add(d.pick(LISTING_PATTERNS));
  if (d.chance(0.35)) patterns.add(d.pick(LISTING_PATTERNS));
  let brandText = product.brand;
  if (patterns.has('disguised_spelling')) brandText = disguise(brandText, d);
  if (patterns.has('homoglyph')) brandText = homoglyph(brandText, d);
  if (patterns.has('zero_width')) brandText = zeroWidth(brandText, d);
  let title = product.name.replace(product.brand, brandText);
  const extras: string[] = [];
  if (patterns.has('slang')) extras.push(d.pick(SLANG));
  if (patterns.has('laundering_label')) extras.push(d.pick(LAUNDERING));
  if (patterns.has('smuggling_term')) extras.push(d.pick(SMUGGLING));
  if (patterns.has('authenticity_claim')) extras.push(d.pick(CLAIMS));
  for (const extra of extras) title = d.chance(0.5) ? `${title} ${extra}` : `[${extra}] ${title}`;
  const price = roundPrice(product.retail * (patterns.has('price_far_below_retail') ? 0.06 + d.next() * 0.12 : 0.3 + d.next() * 0.25));
  const original = patterns.has('inflated_original_price')
    ? roundPrice(price / (0.1 + d.next() * 0.2))
    : d.chance(0.4)
      ? roundPrice(price * (1.1 + d.next() * 0.2))
      : null;
  let brand: string | null = product.brand;
  if (patterns.has('brand_mismatch')) {
    const others = COPIED_PRODUCTS.filter((x) => x.brand !== product.brand);
    brand = d.chance(0.4) ? d.pick(['No Brand', 'OEM']) : d.pick(others).brand;
  }
  const description = [
    `${title}.`,
    d.pick(['Hàng đẹp như hình, form chuẩn.', 'Shop cam kết giống ảnh 99%.', 'Giao hàng toàn quốc, kiểm tra hàng trước khi thanh toán.']),
    patterns.has('slang') ? `Chất lượng ${d.pick(SLANG)}, khó phân biệt.` : '',
    patterns.has('smuggling_term') ? 'Hàng về theo đường tiểu ngạch, số lượng có hạn.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { title, brand, category: product.category, price, original, patterns: [...patterns], hardNegative: null, description };
}

function retailPlan(product: Product, d: Draw, claim: boolean): ListingPlan {
  const price = roundPrice(product.retail * (0.88 + d.next() * 0.12));
  const title =
    claim && d.chance(0.5) ? `${product.name} - ${d.pick(['Chính hãng', 'Hàng chính hãng', 'Bảo hành chính hãng'])}` : product.name;
  return {
    title,
    brand: product.brand,
    category: product.category,
    price,
    original: d.chance(0.3) ? roundPrice(product.retail * 1.05) : null,
    patterns: [],
    hardNegative: null,
    description: `${product.name}. ${d.pick(['Hàng mới 100%, đầy đủ hóa đơn VAT.', 'Sản phẩm nhập khẩu chính ngạch, có tem phụ tiếng Việt.', 'Đổi trả trong 7 ngày nếu lỗi nhà sản xuất.'])}`,
  };
}

function hardNegativePlan(kind: HardNegative, d: Draw): ListingPlan {
  switch (kind) {
    case 'cheap_honest': {
      const item = d.pick(CHEAP_HONEST_TITLES);
      return {
        title: item.title,
        brand: d.chance(0.5) ? 'No Brand' : null,
        category: item.category,
        price: roundPrice(item.retail * (0.85 + d.next() * 0.3)),
        original: null,
        patterns: [],
        hardNegative: kind,
        description: `${item.title}. Giá rẻ vì không thương hiệu, chất lượng đúng giá.`,
      };
    }
    case 'like_new_used': {
      const product = d.pick(COPIED_PRODUCTS);
      const title = `${product.name} ${d.pick(['like new 95%', 'like new 98% fullbox', 'đã qua sử dụng, còn mới 90%', '2hand like new'])}`;
      return {
        title,
        brand: product.brand,
        category: product.category,
        price: roundPrice(product.retail * (0.35 + d.next() * 0.25)),
        original: null,
        patterns: [],
        hardNegative: kind,
        description: `Hàng cá nhân đã dùng, ${d.pick(['còn hóa đơn mua tại store', 'có ảnh thật', 'bao check tại store'])}. Không phải hàng mới.`,
      };
    }
    case 'compatibility': {
      const item = d.pick(COMPATIBILITY_TITLES);
      return {
        title: item.title,
        brand: d.chance(0.6) ? 'No Brand' : null,
        category: item.category,
        price: roundPrice(item.retail * (0.8 + d.next() * 0.4)),
        original: null,
        patterns: [],
        hardNegative: kind,
        description: `Phụ kiện tương thích ${item.device}, không phải sản phẩm của hãng ${item.device}.`,
      };
    }
    case 'decant': {
      const perfume = d.pick(PRODUCTS.filter((x) => x.name.startsWith('Nước hoa')));
      const ml = d.pick([5, 10, 20]);
      const stem = perfume.name.replace(/ \d+ml$/u, '');
      return {
        title: `[Chiết ${ml}ml] ${stem}`,
        brand: perfume.brand,
        category: perfume.category,
        price: roundPrice((perfume.retail / 100) * ml * (1.1 + d.next() * 0.3)),
        original: null,
        patterns: [],
        hardNegative: kind,
        description: `Nước hoa chiết từ chai chính hãng ${perfume.brand}, dung tích ${ml}ml, chai chiết thủy tinh.`,
      };
    }
    default: {
      const product = d.pick(COPIED_PRODUCTS);
      return {
        title: `${product.name} - Sale ${d.pick(['11.11', '12.12', 'cuối năm', 'Black Friday'])}`,
        brand: product.brand,
        category: product.category,
        price: roundPrice(product.retail * (0.55 + d.next() * 0.2)),
        original: product.retail,
        patterns: [],
        hardNegative: 'official_sale',
        description: `Khuyến mãi chính thức từ ${product.brand}. Hàng chính hãng, bảo hành toàn quốc.`,
      };
    }
  }
}

function listingPlan(seed: number, index: number, shop: SandboxShop, d: Draw): ListingPlan {
  const ordinary = (): ListingPlan => retailPlan(d.pick(PRODUCTS.filter((x) => !x.copied)), d, false);
  const primary = LISTING_PATTERNS[hash32(seed, STREAM_LISTING, index, 3) % LISTING_PATTERNS.length]!;
  switch (shop.kind) {
    case 'official': {
      const own = PRODUCTS.filter((x) => x.brand === shop.brand);
      if (d.chance(0.3)) {
        const product = d.pick(own.length ? own : COPIED_PRODUCTS);
        const plan = retailPlan(product, d, true);
        return {
          ...plan,
          title: `${product.name} - Sale ${d.pick(['11.11', '12.12', 'cuối năm', 'sinh nhật'])}`,
          price: roundPrice(product.retail * (0.55 + d.next() * 0.2)),
          original: product.retail,
          hardNegative: 'official_sale',
        };
      }
      return retailPlan(d.pick(own.length ? own : COPIED_PRODUCTS), d, true);
    }
    case 'authorised':
      return retailPlan(d.pick(COPIED_PRODUCTS), d, true);
    case 'honest': {
      const roll = d.next();
      if (roll < 0.03) return counterfeitPlan(d.pick(COPIED_PRODUCTS), d, primary);
      if (roll < 0.2) return hardNegativePlan('cheap_honest', d);
      if (roll < 0.32) return hardNegativePlan('like_new_used', d);
      if (roll < 0.46) return hardNegativePlan('compatibility', d);
      if (roll < 0.54) return hardNegativePlan('decant', d);
      if (roll < 0.75) return retailPlan(d.pick(COPIED_PRODUCTS), d, false);
      return ordinary();
    }
    default: {
      const roll = d.next();
      if (roll < 0.5) return counterfeitPlan(d.pick(COPIED_PRODUCTS), d, primary);
      if (roll < 0.75) return hardNegativePlan('cheap_honest', d);
      if (roll < 0.85) return hardNegativePlan('compatibility', d);
      return ordinary();
    }
  }
}

function generateListing(seed: number, index: number, shop: SandboxShop): SandboxListing {
  const d = new Draw(seed, STREAM_LISTING, index);
  const plan = listingPlan(seed, index, shop, d);
  const cheap = plan.patterns.length > 0;
  return {
    index,
    skin: shop.skin,
    marketplace: shop.marketplace,
    id: listingExternalId(shop.skin, index),
    shopId: shop.id,
    shopIndex: shop.index,
    title: plan.title,
    description: plan.description,
    brand: plan.brand,
    category: plan.category,
    priceVnd: plan.price,
    originalPriceVnd: plan.original,
    soldCount: cheap ? d.int(0, 9000) : d.int(0, 2500),
    rating: Math.round((3.8 + d.next() * 1.2) * 10) / 10,
    createdAt: WORLD_NOW - d.int(5, 900) * DAY,
    label: cheap ? 'counterfeit' : 'clean',
    patterns: plan.patterns,
    hardNegative: plan.hardNegative,
    network: shop.network,
    imageKey: hash32(seed, STREAM_LISTING, index, 99),
    slug: slugify(plan.title),
  };
}

/** Shops and listings planted by hand, in the truth shape. */
function extraShop(world: { generatedShops: number }, k: number, line: ExtraFile['shops'][number]): SandboxShop {
  const skin = MARKETPLACE_SKIN[line.marketplace];
  return {
    index: world.generatedShops + k,
    skin,
    marketplace: line.marketplace,
    id: line.id,
    name: line.shop.name,
    kind: 'extra',
    label: line.label,
    patterns: line.patterns,
    network: line.network,
    address: line.shop.address ?? null,
    declaredLocation: line.shop.declared_location ?? null,
    isOfficial: line.shop.is_official ?? false,
    joinedAt: line.shop.joined_at ?? new Date((WORLD_NOW - 365 * DAY) * 1000).toISOString(),
    followerCount: line.shop.follower_count ?? 0,
    rating: line.shop.rating ?? 0,
    phone: line.shop.phone ?? null,
    taxCode: line.shop.tax_code ?? null,
    brand: null,
    decoy: null,
  };
}

/** Builds a world. Cost is O(1) in the listing count; items are generated on access. */
export function generateWorld(options: WorldOptions): World {
  const seed = options.seed >>> 0;
  const generatedListings = Math.max(0, Math.floor(options.listings ?? 1000));
  const generatedShops = Math.max(1, Math.floor(options.shops ?? Math.max(20, Math.ceil(generatedListings / 5))));
  const extra = options.extra ?? { shops: [], listings: [] };

  // Extra shops: the declared ones, then any shop only named inside an extra listing.
  const extraShops: SandboxShop[] = [];
  const extraShopByKey = new Map<string, SandboxShop>();
  const addExtraShop = (line: ExtraFile['shops'][number]): SandboxShop => {
    const key = `${line.marketplace}\u0000${line.id}`;
    const existing = extraShopByKey.get(key);
    if (existing) return existing;
    const shop = extraShop({ generatedShops }, extraShops.length, line);
    extraShops.push(shop);
    extraShopByKey.set(key, shop);
    return shop;
  };
  for (const line of extra.shops) addExtraShop(line);

  const shopCache = new Map<number, SandboxShop>();
  const shop = (index: number): SandboxShop => {
    if (!Number.isInteger(index) || index < 0 || index >= generatedShops + extraShops.length) throw new RangeError(`no shop ${index}`);
    if (index >= generatedShops) return extraShops[index - generatedShops]!;
    let cached = shopCache.get(index);
    if (!cached) {
      cached = generateShop(seed, index);
      if (shopCache.size >= 50_000) shopCache.clear();
      shopCache.set(index, cached);
    }
    return cached;
  };

  const findGeneratedShop = (skin: Skin, id: string): SandboxShop | undefined => {
    const digits = skin === 'shop' ? id.replace(/^ws/u, '') : id;
    if (!/^\d+$/u.test(digits)) return undefined;
    const index = Number(digits) - SHOP_ID_BASE[skin];
    if (index < 0 || index >= generatedShops) return undefined;
    const found = shop(index);
    return found.skin === skin && found.id === id ? found : undefined;
  };

  const extraListings: SandboxListing[] = extra.listings.map((line, k) => {
    const skin = MARKETPLACE_SKIN[line.marketplace];
    const owner =
      extraShopByKey.get(`${line.marketplace}\u0000${line.shop_id}`) ??
      findGeneratedShop(skin, line.shop_id) ??
      addExtraShop({
        type: 'shop',
        marketplace: line.marketplace,
        id: line.shop_id,
        label: line.label,
        patterns: [],
        network: line.network,
        shop: line.shop,
      });
    const index = generatedListings + k;
    return {
      index,
      skin,
      marketplace: line.marketplace,
      id: line.id,
      shopId: owner.id,
      shopIndex: owner.index,
      title: line.listing.title,
      description: line.listing.description ?? '',
      brand: line.listing.brand ?? null,
      category: line.listing.category ?? line.categories[0] ?? 'household',
      priceVnd: line.listing.price_vnd,
      originalPriceVnd: line.listing.original_price_vnd ?? null,
      soldCount: line.listing.sold_count ?? 0,
      rating: 4.5,
      createdAt: WORLD_NOW - 30 * DAY,
      label: line.label,
      patterns: line.patterns,
      hardNegative: line.hard_negative,
      network: line.network,
      imageKey: hash32(seed, 77, k),
      slug: slugify(line.listing.title),
    };
  });
  const extraByShop = new Map<number, number[]>();
  const extraListingByKey = new Map<string, SandboxListing>();
  for (const listing of extraListings) {
    extraByShop.set(listing.shopIndex, [...(extraByShop.get(listing.shopIndex) ?? []), listing.index]);
    extraListingByKey.set(`${listing.skin}\u0000${listing.id}`, listing);
  }

  const listingCache = new Map<number, SandboxListing>();
  const listing = (index: number): SandboxListing => {
    if (!Number.isInteger(index) || index < 0 || index >= generatedListings + extraListings.length)
      throw new RangeError(`no listing ${index}`);
    if (index >= generatedListings) return extraListings[index - generatedListings]!;
    let cached = listingCache.get(index);
    if (!cached) {
      cached = generateListing(seed, index, shop(index % generatedShops));
      if (listingCache.size >= 100_000) listingCache.clear();
      listingCache.set(index, cached);
    }
    return cached;
  };

  return {
    seed,
    generatedListings,
    generatedShops,
    get shopCount() {
      return generatedShops + extraShops.length;
    },
    listingCount: generatedListings + extraListings.length,
    shop,
    listing,
    *shopListingIndexes(shopIndex: number) {
      if (shopIndex < generatedShops) for (let i = shopIndex; i < generatedListings; i += generatedShops) yield i;
      yield* extraByShop.get(shopIndex) ?? [];
    },
    findShop(skin, id) {
      return findGeneratedShop(skin, id) ?? extraShopByKey.get(`${SKIN_MARKETPLACE[skin]}\u0000${id}`);
    },
    findListing(skin, id) {
      const extraHit = extraListingByKey.get(`${skin}\u0000${id}`);
      if (extraHit) return extraHit;
      if (!/^\d+$/u.test(id)) return undefined;
      const index = Number(id) - LISTING_ID_BASE[skin];
      if (index < 0 || index >= generatedListings) return undefined;
      const found = listing(index);
      return found.skin === skin ? found : undefined;
    },
  };
}
