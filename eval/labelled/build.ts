/**
 * Builds eval/labelled/listings.jsonl from the hand-written entries (entries-positive.txt,
 * entries-negative.txt) and hand-picked shop traits. Independent of the sandbox generator: it
 * imports nothing from src/devtools/sandbox or scoring. Deterministic (fixed seed), so the file
 * can be rebuilt and reviewed. Labels come from the entry lines, written before any scoring.
 *
 *   npx tsx eval/labelled/build.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const admin = JSON.parse(readFileSync(new URL('../../scoring/data/vn-admin.json', import.meta.url), 'utf8')) as {
  provinces: [number, string][];
  wards: [number, number, string][];
  oldProvinces: [number, string, number][];
  oldDistricts: [number, number, string][];
  oldWards: [number, number, string, number[]][];
};

let seed = 20251201;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number) => rand() < p;

interface Entry {
  label: 'counterfeit' | 'clean';
  cls: string;
  brand: string | null;
  price: number;
  original: number | null;
  title: string;
  description: string;
}

function readEntries(file: string, label: Entry['label']): Entry[] {
  const out: Entry[] = [];
  for (const line of readFileSync(new URL(file, here), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [cls, brand, price, original, title, description] = line.split(' | ').map((s) => s.trim());
    if (!cls || !title || !price) throw new Error(`bad entry: ${line}`);
    out.push({
      label,
      cls,
      brand: brand === '-' ? null : brand!,
      price: Number(price),
      original: original === '-' ? null : Number(original),
      title,
      description: description ?? '',
    });
  }
  return out;
}

type ShopKind = 'official' | 'store' | 'small' | 'sketchy' | 'grey' | 'used';
/** What a shop mostly sells: shops specialise, so a shoe shop rarely also sells milk and motor oil. */
const DEPARTMENTS = ['fashion', 'beauty', 'baby', 'tech', 'home', 'auto', 'watches', 'drinks'] as const;
type Department = (typeof DEPARTMENTS)[number];
interface Shop {
  kind: ShopKind;
  department: Department;
  marketplace: string;
  id: string;
  name: string;
  address: string | null;
  declared_location: string | null;
  is_official: boolean;
  joined_at: string;
  follower_count: number;
  rating: number;
  phone: string | null;
  tax_code: string | null;
}

const MARKETS = [
  'shopee',
  'shopee',
  'shopee',
  'shopee',
  'lazada',
  'lazada',
  'tiki',
  'tiki',
  'tiktok',
  'tiktok',
  'tiktok',
  'sendo',
  'web',
  'web',
];
const STREETS = [
  'Nguyễn Trãi',
  'Lê Lợi',
  'Trần Hưng Đạo',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Nguyễn Văn Cừ',
  'Phan Đình Phùng',
  'Quang Trung',
  'Cách Mạng Tháng 8',
  'Võ Văn Tần',
  'Hoàng Diệu',
  'Kim Mã',
  'Xã Đàn',
  'Láng Hạ',
  'Lê Văn Sỹ',
  'Nguyễn Thị Minh Khai',
  'Phạm Văn Đồng',
  'Trần Phú',
  'Hùng Vương',
  'Điện Biên Phủ',
];
// Shops cluster in the big cities, as on the marketplaces.
const BUSY = [1, 1, 1, 79, 79, 79, 79, 48, 31, 92, 24, 75, 56, 38, 40];
const PLACEHOLDERS = ['Toàn quốc', 'Kho Quảng Châu', 'Hàng order', 'Nước ngoài', 'Liên hệ Zalo', 'Ship COD toàn quốc', 'Việt Nam', null];
const NAME_A = [
  'Mây',
  'Nắng',
  'Gạo',
  'Bống',
  'Sóc',
  'Mộc',
  'An',
  'Tâm',
  'Kiwi',
  'Tiệm nhà',
  'Góc',
  'Hạt',
  'Ong',
  'Bee',
  'Minh',
  'Hoàng',
  'Lan',
  'Thảo',
  'Nhà',
  'Kho',
  'Xưởng',
  'Tổng kho',
  'Ngọc',
  'Phúc',
  'Zin',
];
const NAME_B = [
  'Store',
  'Shop',
  'House',
  'Official',
  'Mart',
  'Corner',
  'Beauty',
  'Sneaker',
  'Authentic',
  'Decor',
  'Kids',
  'Mall',
  'Outlet',
  'Station',
  'Hub',
  'Việt',
  'Sài Gòn',
  'Hà Nội',
  '88',
  '247',
  'VN',
];

function provinceName(code: number): string {
  return admin.provinces.find((p) => p[0] === code)![1];
}
const shortProvince = (name: string) =>
  name.replace(/^Thành phố /, pick(['TP. ', 'Thành phố ', 'TP ', ''])).replace(/^Tỉnh /, pick(['Tỉnh ', '', '']));

function fullAddress(oldScheme: boolean): { address: string; province: string } {
  const number = `${1 + Math.floor(rand() * 300)}${chance(0.2) ? '/' + (1 + Math.floor(rand() * 40)) : ''}`;
  const street = pick(STREETS);
  if (oldScheme) {
    const ward = pick(admin.oldWards);
    const district = admin.oldDistricts.find((d) => d[0] === ward[1])!;
    const province = admin.oldProvinces.find((p) => p[0] === district[1])!;
    const wardText = chance(0.5) ? ward[2].replace(/^Phường /, 'P. ').replace(/^Xã /, 'X. ') : ward[2];
    const districtText = chance(0.5) ? district[2].replace(/^Quận /, 'Q. ').replace(/^Huyện /, 'H. ') : district[2];
    return {
      address: `${number} ${street}, ${wardText}, ${districtText}, ${shortProvince(province[1])}`,
      province: province[1].replace(/^(Thành phố|Tỉnh) /, ''),
    };
  }
  const code = pick(BUSY);
  const wards = admin.wards.filter((w) => w[1] === code);
  const ward = pick(wards);
  return {
    address: `${number} ${street}, ${ward[2]}, ${shortProvince(provinceName(code))}`,
    province: provinceName(code).replace(/^(Thành phố|Tỉnh) /, ''),
  };
}

function taxCode(valid: boolean): string {
  const d = Array.from({ length: 9 }, (_, i) => (i === 0 ? 0 : Math.floor(rand() * 10)));
  d[1] = pick([1, 3, 4]);
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  let check = 10 - (d.reduce((s, x, i) => s + x * w[i]!, 0) % 11);
  if (check === 10) check = 0;
  if (check === 11) return taxCode(valid);
  return d.join('') + (valid ? check : (check + 3) % 10);
}

function phone(): string {
  const body = `${pick(['9', '8', '3', '7', '5'])}${Math.floor(10_000_000 + rand() * 89_999_999)}`;
  return pick([
    `0${body}`,
    `+84${body}`,
    `0${body.slice(0, 2)}.${body.slice(2, 5)}.${body.slice(5)}`,
    `0${body.slice(0, 3)} ${body.slice(3, 6)} ${body.slice(6)}`,
  ]);
}

function joined(daysAgoMin: number, daysAgoMax: number): string {
  const days = daysAgoMin + Math.floor(rand() * (daysAgoMax - daysAgoMin));
  return new Date(Date.UTC(2026, 10, 25) - days * 86_400_000).toISOString().slice(0, 10);
}

const shops: Shop[] = [];
let shopSeq = 0;
function makeShop(kind: ShopKind): Shop {
  const marketplace = kind === 'official' ? pick(['shopee', 'lazada', 'tiki', 'tiktok']) : pick(MARKETS);
  const id = marketplace === 'web' ? `shop${++shopSeq}.vn` : String(10_000_000 + Math.floor(rand() * 900_000_000) + ++shopSeq);
  const old = chance(0.35);
  const full = fullAddress(old);
  let address: string | null = full.address;
  let declared: string | null = chance(0.8) ? full.province : null;
  let name = `${pick(NAME_A)} ${pick(NAME_B)}`;
  let tax: string | null = null;
  let ph: string | null = phone();
  let join = joined(200, 2500);
  let followers = Math.floor(300 + rand() * 60_000);
  let rating = 4.5 + rand() * 0.5;
  switch (kind) {
    case 'official':
      name = `${pick(['Nike', 'Apple', 'Samsung', 'Abbott', "L'Oréal", 'Castrol', 'Dior Beauty', 'Casio', 'Sony', 'Kimberly-Clark', 'Bioderma', 'adidas', 'Diageo', 'JBL', 'Xiaomi', 'Logitech', 'New Balance'])} Official Store`;
      tax = taxCode(true);
      followers = Math.floor(50_000 + rand() * 900_000);
      join = joined(900, 3000);
      break;
    case 'store':
      tax = chance(0.6) ? taxCode(true) : null;
      break;
    case 'small':
      address = chance(0.4) ? full.address.split(', ').slice(-2).join(', ') : chance(0.3) ? full.province : full.address;
      ph = chance(0.7) ? ph : null;
      followers = Math.floor(5 + rand() * 900);
      join = joined(60, 1200);
      rating = 4.2 + rand() * 0.8;
      break;
    case 'sketchy':
      address = chance(0.6) ? pick(PLACEHOLDERS) : chance(0.5) ? full.province : full.address;
      declared = chance(0.5) ? pick(['Nước ngoài', 'Hà Nội', 'TP. Hồ Chí Minh', full.province]) : null;
      ph = chance(0.4) ? ph : null;
      tax = chance(0.1) ? taxCode(false) : null;
      followers = Math.floor(rand() * 60);
      join = joined(3, 90);
      rating = 3.8 + rand() * 1.2;
      name =
        `${pick(['Tiệm', 'Kho', 'Xưởng', 'Tổng kho', 'Hàng hiệu', 'Auth', 'Si', 'Order'])} ${pick(NAME_A)} ${pick(['', '88', '247', 'QC', 'HN', 'SG'])}`.trim();
      break;
    case 'grey':
      name = `${pick(['Hàng Nhật', 'Hàng Úc', 'Hàng Mỹ', 'Mẹ Bin', 'Japan', 'Xách tay'])} ${pick(NAME_B)}`;
      ph = phone();
      followers = Math.floor(500 + rand() * 30_000);
      break;
    case 'used':
      name = `${pick(['2hand', 'Secondhand', 'Đồ si', 'Ký gửi', 'Lướt', 'Cũ mà đẹp'])} ${pick(NAME_A)}`;
      address = chance(0.7) ? full.address : full.province;
      followers = Math.floor(100 + rand() * 20_000);
      break;
  }
  const shop: Shop = {
    kind,
    department: pick(DEPARTMENTS),
    marketplace,
    id,
    name,
    address,
    declared_location: declared,
    is_official: kind === 'official',
    joined_at: join,
    follower_count: followers,
    rating: Math.round(rating * 10) / 10,
    phone: ph,
    tax_code: tax,
  };
  shops.push(shop);
  return shop;
}

const POOL_SIZE: Record<ShopKind, number> = { official: 18, store: 84, small: 66, sketchy: 48, grey: 12, used: 12 };
const pools = Object.fromEntries(
  Object.entries(POOL_SIZE).map(([kind, n]) => [kind, Array.from({ length: n }, () => makeShop(kind as ShopKind))]),
) as Record<ShopKind, Shop[]>;

/** Which kinds of shop sell each class of listing, with their weights. */
const SELLERS: Record<string, [ShopKind, number][]> = {
  slang: [
    ['sketchy', 5],
    ['small', 3],
    ['store', 2],
  ],
  disguised: [
    ['sketchy', 5],
    ['small', 3],
    ['store', 2],
  ],
  symbol: [
    ['sketchy', 5],
    ['small', 3],
    ['store', 2],
  ],
  lookalike: [
    ['sketchy', 3],
    ['small', 4],
    ['store', 3],
  ],
  desc: [
    ['sketchy', 4],
    ['small', 3],
    ['store', 3],
  ],
  luxury: [
    ['sketchy', 4],
    ['small', 3],
    ['store', 3],
  ],
  consumable: [
    ['sketchy', 4],
    ['small', 3],
    ['store', 3],
  ],
  pack: [
    ['sketchy', 4],
    ['small', 3],
    ['store', 3],
  ],
  grey: [
    ['grey', 6],
    ['small', 2],
    ['store', 2],
  ],
  claim: [
    ['sketchy', 5],
    ['small', 5],
  ],
  official: [['official', 1]],
  used: [
    ['used', 7],
    ['small', 3],
  ],
  denial: [
    ['store', 6],
    ['small', 4],
  ],
  genuine: [
    ['store', 6],
    ['small', 4],
  ],
  decant: [
    ['small', 6],
    ['store', 4],
  ],
};
const DEFAULT_SELLERS: [ShopKind, number][] = [
  ['store', 4],
  ['small', 4],
  ['sketchy', 2],
];

function sellerFor(cls: string, department: Department, avoid: Set<Shop>): Shop {
  const weights = SELLERS[cls] ?? DEFAULT_SELLERS;
  const total = weights.reduce((s, [, w]) => s + w, 0);
  for (let attempt = 0; attempt < 20; attempt++) {
    let r = rand() * total;
    let kind = weights[0]![0];
    for (const [k, w] of weights) {
      if ((r -= w) < 0) {
        kind = k;
        break;
      }
    }
    const same = pools[kind].filter((shop) => shop.department === department || kind === 'official');
    const shop = pick(same.length > 0 && attempt < 15 ? same : pools[kind]);
    if (!avoid.has(shop)) return shop;
  }
  return pick(pools[weights[0]![0]]);
}

const PREFIXES = [
  '[Mã BMLTA35 giảm đến 35K]',
  '【HÀNG CÓ SẴN】',
  '⚡FLASH SALE⚡',
  '(Ảnh thật)',
  'HOT 2025 -',
  '[FREESHIP]',
  'Sale 12.12 |',
  '✅',
  '[Mã FAMALLT5 giảm 15%]',
  'Mới về -',
];
const SUFFIXES = [' - Hàng có sẵn', ' giao hỏa tốc', ' 🔥', ' | Đổi trả 7 ngày', ' (có sẵn)', ' ✨', ' - Giá tốt', ' HCM', ' [Ảnh thật]'];
const BOILERPLATE = [
  '✅ Giao hàng toàn quốc, được kiểm tra hàng trước khi thanh toán.',
  'Shop cam kết hàng giống hình 100%. Đổi trả trong 7 ngày nếu lỗi.',
  '📦 Đóng gói cẩn thận, giao trong 24h.',
  'Liên hệ shop để được tư vấn size.',
  '',
];

function stripMarks(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

function decorate(title: string, variant: number): string {
  if (variant === 0) return title;
  let t = title;
  if (chance(0.18)) t = stripMarks(t);
  else if (chance(0.1)) t = t.toUpperCase();
  // eslint-disable-next-line no-dupe-else-if -- chance() draws a new number on every call, so this branch is live.
  else if (chance(0.1)) t = t.toLowerCase();
  if (chance(0.45)) t = `${pick(PREFIXES)} ${t}`;
  if (chance(0.4)) t = `${t}${pick(SUFFIXES)}`;
  return t;
}

const CATEGORY_WORDS: [RegExp, string][] = [
  [
    /ốp|cường lực|miếng dán|dán |bao da|cáp|sạc|dây đeo|nút tai|bút cảm ứng|bàn phím|giá đỡ|đế sạc|pin thay/i,
    'Điện Thoại & Phụ Kiện > Phụ kiện',
  ],
  // Food before bags: "túi 500g" is a bag of dried mango, not a handbag.
  [/xoài|sấy|kẹo|bánh|trà|giấm|sốt|sinh tố|sữa chua|gạo|cà phê/i, 'Bách Hóa Online > Thực phẩm'],
  [/giày|dép|sneaker/i, 'Giày Dép > Giày thể thao'],
  [/túi|ví|balo|thắt lưng/i, 'Túi Ví > Túi xách'],
  [/nước hoa|chiết|tester/i, 'Sắc Đẹp > Nước hoa'],
  [/son |serum|kem|sữa rửa mặt|tẩy trang|nước thần|sample/i, 'Sắc Đẹp > Chăm sóc da'],
  [/sữa bột|sữa /i, 'Mẹ & Bé > Sữa công thức'],
  [/bỉm|tã/i, 'Mẹ & Bé > Tã bỉm'],
  [/nhớt/i, 'Ô Tô & Xe Máy > Dầu nhớt'],
  [/rượu/i, 'Bách Hóa Online > Đồ uống có cồn'],
  [/thuốc lá/i, 'Bách Hóa Online > Khác'],
  [/panadol|vitamin|dầu cá|bao cao su/i, 'Sức Khỏe > Thực phẩm chức năng'],
  [/đồng hồ/i, 'Đồng Hồ > Đồng hồ nam'],
  [/tai nghe|loa|airpods/i, 'Thiết Bị Âm Thanh > Tai nghe & loa'],
  [/iphone|ipad|macbook|điện thoại|galaxy/i, 'Điện Thoại & Máy Tính Bảng'],
  [/sách/i, 'Nhà Sách Online > Sách thiếu nhi'],
  [/mô hình|đồ chơi|thú nhồi|lego|túi mù|hộp quà/i, 'Đồ Chơi'],
  [/mũ|nón/i, 'Thời Trang > Mũ nón'],
  [/áo|quần|váy|đầm|tất/i, 'Thời Trang'],
  [/vòng|charm|nhẫn/i, 'Phụ Kiện Thời Trang > Trang sức'],
  [/máy hút|robot|nồi|đèn|máy xay|máy chiếu/i, 'Nhà Cửa & Đời Sống > Thiết bị điện'],
];
// Whole words only: "báo" (leopard) is not "áo" (shirt).
const WORDED = CATEGORY_WORDS.map(
  ([re, category]) => [new RegExp(`(?<!\\p{L})(?:${re.source.replace(/ \|/g, '|').replace(/ $/, '')})(?!\\p{L})`, 'iu'), category] as const,
);
const categoryOf = (title: string): string | null => WORDED.find(([re]) => re.test(title))?.[1] ?? null;
function departmentOf(category: string | null): Department {
  if (!category) return 'home';
  if (/^(Giày|Túi|Thời Trang)/.test(category)) return 'fashion';
  if (/^Sắc Đẹp|^Sức Khỏe/.test(category)) return 'beauty';
  if (/^Mẹ & Bé/.test(category)) return 'baby';
  if (/^(Điện Thoại|Thiết Bị)/.test(category)) return 'tech';
  if (/^Ô Tô/.test(category)) return 'auto';
  if (/^(Đồng Hồ|Phụ Kiện Thời Trang)/.test(category)) return 'watches';
  if (/^Bách Hóa Online > (Đồ uống|Khác)/.test(category)) return 'drinks';
  return 'home';
}

const entries = [...readEntries('entries-positive.txt', 'counterfeit'), ...readEntries('entries-negative.txt', 'clean')];
const PATTERN_OF: Record<string, string> = {};
const lines: string[] = [];
let listingSeq = 0;
entries.forEach((entry, index) => {
  const copies = index % 3 === 0 ? 3 : 2;
  const used = new Set<Shop>();
  for (let variant = 0; variant < copies; variant++) {
    const shop = sellerFor(entry.cls, departmentOf(categoryOf(entry.title)), used);
    used.add(shop);
    // Consumables and regulated goods: prices move little between sellers.
    const spread = ['consumable', 'pack', 'genuine', 'official', 'denial'].includes(entry.cls) ? 0.05 : 0.12;
    const price =
      variant === 0 ? entry.price : Math.max(1000, Math.round((entry.price * (1 - spread + rand() * 2 * spread)) / 1000) * 1000);
    const original = entry.original && variant > 0 ? Math.round(entry.original / 1000) * 1000 : entry.original;
    let brand = entry.brand;
    if (brand === null && entry.label === 'counterfeit' && shop.marketplace === 'shopee' && chance(0.4)) brand = 'No Brand';
    if (brand === null && ['plain', 'compat', 'other_sense'].includes(entry.cls) && shop.marketplace !== 'web' && chance(0.3))
      brand = 'No Brand';
    const title = decorate(entry.title, variant);
    const description = [entry.description, variant > 0 ? pick(BOILERPLATE) : ''].filter(Boolean).join('\n');
    const listing: Record<string, unknown> = {
      id: shop.marketplace === 'web' ? `https://${shop.id}/san-pham/${++listingSeq}` : String(20_000_000_000 + ++listingSeq * 7919),
      marketplace: shop.marketplace,
      title,
      price_vnd: price,
      original_price_vnd: original ?? (chance(0.3) ? Math.round((price * (1.2 + rand() * 0.5)) / 1000) * 1000 : null),
      brand,
      category: categoryOf(entry.title),
      sold_count: Math.floor(rand() * (shop.kind === 'sketchy' ? 300 : 5000)),
      description,
    };
    if (entry.cls === 'used' && chance(0.5)) listing.condition = 'used';
    const { kind: _kind, department: _department, ...shopFields } = shop;
    const positive = entry.label === 'counterfeit';
    lines.push(
      JSON.stringify({
        type: 'listing',
        label: entry.label,
        patterns: positive ? [PATTERN_OF[entry.cls] ?? entry.cls] : [],
        hard_negative: positive || entry.cls === 'plain' ? null : entry.cls,
        listing,
        shop: shopFields,
      }),
    );
  }
});
writeFileSync(new URL('listings.jsonl', here), `${lines.join('\n')}\n`);
const usedShops = new Set(lines.map((l) => (JSON.parse(l) as { shop: { id: string } }).shop.id));
process.stderr.write(`wrote ${lines.length} listings from ${usedShops.size} shops\n`);
