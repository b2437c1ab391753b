/**
 * What score-file users really have: prices as "2.200.000đ", sold counts as "1,2k", flags as "true",
 * phones and tax codes as numbers (leading zero lost), dates as day/month/year, marketplace names
 * as "Shopee" or "TikTok Shop". Each function is pure and never throws; null means "cannot read it".
 */
import { MARKETPLACES } from '../src/core/domain/records.ts';

/** "2.200.000đ", "2,200,000 ₫", "1.250.000 VND", "150k", "1,5tr", "2 triệu" → VND; plain numbers as they are. */
export function parseVndText(text: string): number | null {
  let t = text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '');
  if (t.length === 0 || t.length > 40) return null;
  t = t.replace(/(?:₫|đồng|đ|vnđ|vnd|dong|d)$/u, '');
  let multiplier = 1;
  const unit = /(k|nghìn|nghin|ngàn|ngan|tr|triệu|trieu|m)$/u.exec(t);
  if (unit) {
    multiplier = unit[1] === 'k' || unit[1]!.startsWith('ngh') || unit[1]!.startsWith('ng') ? 1000 : 1_000_000;
    t = t.slice(0, t.length - unit[1]!.length);
  }
  let value: number;
  if (/^\d{1,3}(?:\.\d{3})+$/.test(t) || /^\d{1,3}(?:,\d{3})+$/.test(t)) value = Number(t.replace(/[.,]/g, ''));
  else if (/^\d+(?:[.,]\d+)?$/.test(t)) value = Number(t.replace(',', '.'));
  else return null;
  const vnd = Math.round(value * multiplier);
  return Number.isFinite(vnd) && vnd >= 0 ? vnd : null;
}

/** "1,2k", "1.2K đã bán", "10k+", "2,5tr", "523", "Đã bán 1,2k" → a whole count. */
export function parseCountText(text: string): number | null {
  const t = text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/đã bán|da ban|sold|lượt bán|luot ban|followers?|người theo dõi/gu, '')
    .replace(/[+\s]/g, '');
  if (t.length === 0 || t.length > 20) return null;
  const m = /^(\d+(?:[.,]\d+)?)(k|tr|m|triệu|trieu|nghìn|nghin)?$/u.exec(t);
  if (!m) {
    if (/^\d{1,3}(?:[.,]\d{3})+$/.test(t)) return Number(t.replace(/[.,]/g, ''));
    return null;
  }
  // "1.234" without a unit is a thousands separator, "1,2" without one is not a count.
  if (!m[2] && /[.,]/.test(m[1]!)) return /^\d{1,3}[.,]\d{3}$/.test(m[1]!) ? Number(m[1]!.replace(/[.,]/, '')) : null;
  const value = Number(m[1]!.replace(',', '.'));
  const multiplier = !m[2] ? 1 : m[2] === 'k' || m[2].startsWith('ngh') ? 1000 : 1_000_000;
  const count = Math.round(value * multiplier);
  return Number.isSafeInteger(count) && count >= 0 ? count : null;
}

/** "true"/"false", "1"/"0", "yes"/"no", "có"/"không", 1/0. */
export function parseBoolText(value: string | number): boolean | null {
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  const t = value.normalize('NFC').trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'có', 'co', 'x'].includes(t)) return true;
  if (['false', '0', 'no', 'n', 'không', 'khong', ''].includes(t)) return false;
  return null;
}

/**
 * A phone number stored as a number: 912345678 lost its leading 0 (→ "0912345678"),
 * 84912345678 is +84. Text is returned as it is; normalising is identity.ts's job.
 */
export function phoneFromNumber(value: number): string | null {
  if (!Number.isSafeInteger(value) || value <= 0) return null;
  const digits = String(value);
  if (digits.startsWith('84') && digits.length === 11) return `+${digits}`;
  if (digits.length === 9 || digits.length === 10) return digits.length === 9 ? `0${digits}` : digits;
  return digits;
}

/** A tax code stored as a number: 100109106 lost its leading 0 (→ "0100109106"). */
export function taxCodeFromNumber(value: number): string | null {
  if (!Number.isSafeInteger(value) || value <= 0) return null;
  const digits = String(value);
  // 10-digit business codes and 12-digit citizen ids both start with 0 more often than not.
  return digits.length === 9 || digits.length === 11 ? `0${digits}` : digits;
}

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}/;

/**
 * A date as text: ISO 8601 ("2024-05-12", with or without time), or day/month/year as Vietnamese
 * write it ("12/05/2024", "25-12-2024", "1.6.2023 08:30"), read as UTC. Never month/day/year.
 * Returns epoch milliseconds, or null.
 */
export function parseDateText(text: string): number | null {
  const t = text.trim();
  if (t.length === 0 || t.length > 100) return null;
  if (ISO_LIKE.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms;
  }
  const m = DMY.exec(t);
  if (m) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    const year = Number(m[3]);
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    const ms = Date.UTC(year, month - 1, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    // Reject 31/02 and the like instead of rolling into the next month.
    return new Date(ms).getUTCDate() === day ? ms : null;
  }
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** Whether `parseDateText` reads the text as day/month/year (for the coercion summary). */
export function isDayMonthYear(text: string): boolean {
  return DMY.test(text.trim());
}

const MARKETPLACE_NAMES: Record<string, (typeof MARKETPLACES)[number]> = {
  shopee: 'shopee',
  'shopee.vn': 'shopee',
  'shopee vn': 'shopee',
  'shopee mall': 'shopee',
  lazada: 'lazada',
  'lazada.vn': 'lazada',
  'lazada vn': 'lazada',
  lazmall: 'lazada',
  tiki: 'tiki',
  'tiki.vn': 'tiki',
  sendo: 'sendo',
  'sendo.vn': 'sendo',
  tiktok: 'tiktok',
  'tiktok shop': 'tiktok',
  tiktok_shop: 'tiktok',
  tiktokshop: 'tiktok',
  'tiktok-shop': 'tiktok',
  'shop.tiktok.com': 'tiktok',
  'tiktok.com': 'tiktok',
  web: 'web',
  website: 'web',
  webshop: 'web',
  'web shop': 'web',
};

/** "Shopee", "shopee.vn", "TikTok Shop", "tiktok_shop" → the marketplace id; null when unknown. */
export function normaliseMarketplace(name: string): (typeof MARKETPLACES)[number] | null {
  const key = name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/.*$/, '')
    .replace(/\s+/g, ' ');
  return MARKETPLACE_NAMES[key] ?? null;
}

const CANONICAL = new Set<string>(MARKETPLACES);
export const isCanonicalMarketplace = (name: string): boolean => CANONICAL.has(name);

/**
 * Shopee's API gives prices as VND × 100000. A Shopee price of a billion VND or more that is a
 * multiple of 100000 is such a raw price (no consumer listing there costs a billion).
 */
export function looksLikeShopeeRawPrice(marketplace: string, priceVnd: number | null): boolean {
  return marketplace === 'shopee' && priceVnd !== null && priceVnd >= 1_000_000_000 && priceVnd % 100_000 === 0;
}
