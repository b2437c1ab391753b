/** The planted patterns: codes written to the ground truth, and the text transforms that plant them. */
import type { Draw } from './rng.ts';

/** Listing-level counterfeit patterns. Every counterfeit listing carries at least one. */
export const LISTING_PATTERNS = [
  'price_far_below_retail',
  'inflated_original_price',
  'slang',
  'laundering_label',
  'smuggling_term',
  'disguised_spelling',
  'homoglyph',
  'zero_width',
  'authenticity_claim',
  'brand_mismatch',
] as const;
export type ListingPattern = (typeof LISTING_PATTERNS)[number];

/** Shop-level patterns. */
export const SHOP_PATTERNS = [
  'address_missing',
  'address_placeholder',
  'address_province_only',
  'address_ward_mismatch',
  'address_overseas',
  'shop_network',
  'invalid_tax_code',
] as const;
export type ShopPattern = (typeof SHOP_PATTERNS)[number];

/** Clean listings that look a little like counterfeits: the scorer must not flag them. */
export const HARD_NEGATIVES = ['cheap_honest', 'like_new_used', 'official_sale', 'compatibility', 'decant'] as const;
export type HardNegative = (typeof HARD_NEGATIVES)[number];

export const SLANG = ['Rep 1:1', 'Super Fake', 'hàng loại 1', 'F1', 'Like Auth', 'siêu cấp', 'hàng nhái cao cấp', 'Replica', 'sf'];
export const LAUNDERING = ['VNXK', 'hàng Quảng Châu cao cấp', 'xuất dư', 'giá xưởng', 'full box full tag', 'QC cao cấp'];
export const SMUGGLING = ['xách tay', 'nội địa Trung', 'hàng nội địa Nhật', 'không hóa đơn', 'hàng bãi'];
export const CLAIMS = ['Chính Hãng', 'Auth', 'check code', 'bảo hành chính hãng', 'chính hãng 100%'];

const DISGUISES: Record<string, readonly string[]> = {
  Nike: ['N1ke', 'Nik3', 'N I K E', 'Niike'],
  Adidas: ['Adidass', 'Adldas', 'A d i d a s', 'Addidas'],
  Gucci: ['g u c c i', 'Gucc1', 'Guci', 'GG Gucii'],
  'Louis Vuitton': ['Louis Vuiton', 'L.V', 'Lui Vuitton', 'L0uis Vuitton'],
  Chanel: ['Chanell', 'C h a n e l', 'Channel', 'Chan3l'],
  Dior: ['D1or', 'Diorr', 'D i o r'],
  Apple: ['Appl3', 'Aple', 'A p p l e'],
  Samsung: ['Samsumg', 'S4msung', 'Sam sung'],
};

/** A spelling that evades exact brand search but a buyer still reads as the brand. */
export function disguise(brand: string, d: Draw): string {
  const known = DISGUISES[brand];
  if (known) return d.pick(known);
  return d.chance(0.5) ? brand.split('').join(' ') : `${brand}${brand.slice(-1)}`;
}

const HOMOGLYPHS: Record<string, string> = {
  a: '\u0430',
  e: '\u0435',
  o: '\u043e',
  c: '\u0441',
  p: '\u0440',
  x: '\u0445',
  i: '\u0456',
  y: '\u0443',
  A: '\u0410',
  B: '\u0412',
  C: '\u0421',
  E: '\u0415',
  H: '\u041d',
  K: '\u041a',
  M: '\u041c',
  O: '\u041e',
  P: '\u0420',
  T: '\u0422',
};

/** Replaces one or two Latin letters of the brand by Cyrillic look-alikes. */
export function homoglyph(brand: string, d: Draw): string {
  const chars = [...brand];
  const positions = chars.map((ch, k) => (HOMOGLYPHS[ch] ? k : -1)).filter((k) => k >= 0);
  if (positions.length === 0) return `${brand}\u0456`;
  const first = d.pick(positions);
  chars[first] = HOMOGLYPHS[chars[first]!]!;
  if (positions.length > 1 && d.chance(0.5)) {
    const second = d.pick(positions);
    chars[second] = HOMOGLYPHS[chars[second]!] ?? chars[second]!;
  }
  return chars.join('');
}

/** Hides zero-width spaces inside the brand so exact matching fails. */
export function zeroWidth(brand: string, d: Draw): string {
  const chars = [...brand];
  const at = d.int(1, Math.max(1, chars.length - 1));
  chars.splice(at, 0, d.pick(['\u200b', '\u200c', '\u200d', '\u2060']));
  return chars.join('');
}
