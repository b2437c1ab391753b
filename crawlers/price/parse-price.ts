/**
 * Parses a price as people write it on Vietnamese marketplaces and foreign web shops.
 *
 * Amounts are in the currency's major unit: VND (and other zero-decimal currencies) as integers,
 * others rounded to cents. Never throws: text that is not a price gives `{ error }`.
 */

/** A parsed price. `amount: null` means the seller shows no price ("Liên hệ"). */
export interface ParsedPrice {
  amount: number | null;
  currency: string | null;
  /** Lower bound of a range such as "150.000đ - 250.000đ" (then `amount` equals `min`). */
  min?: number;
  /** Upper bound of a range. */
  max?: number;
}

export type PriceParseResult = ParsedPrice | { error: string };

export interface ParsePriceOptions {
  /** ISO 4217 code assumed when the text names no currency (adapters pass "VND"). */
  currencyHint?: string;
}

const ZERO_DECIMAL = new Set(['VND', 'JPY', 'KRW', 'IDR', 'CLP', 'HUF', 'ISK', 'TWD']);

/** Phrases that mean "ask the seller": a listing with no price, not an unparseable one. */
const NO_PRICE = /^(li[eê]n h[eệ]|lh|contact( us)?|call( for price)?|inbox|th[oỏ][aả] thu[aậ]n|price on request|gi[aá] li[eê]n h[eệ]|--?)$/u;

/** Currency marks, longest first so "US$" wins over "$". Each maps to an ISO code. */
const CURRENCY_TOKENS: [RegExp, string][] = [
  [/(?<!\p{L})(?:vn[dđ]|đồng|dong|đ)(?!\p{L})|₫/gu, 'VND'],
  [/\bus\$|\busd\b/gu, 'USD'],
  [/\bs\$|\bsgd\b/gu, 'SGD'],
  [/\ba\$|\baud\b/gu, 'AUD'],
  [/\bc\$|\bcad\b/gu, 'CAD'],
  [/\bhk\$|\bhkd\b/gu, 'HKD'],
  [/\bnt\$|\btwd\b/gu, 'TWD'],
  [/\$/gu, 'USD'],
  [/€|\beur\b/gu, 'EUR'],
  [/£|\bgbp\b/gu, 'GBP'],
  [/\brmb\b|\bcny\b|元/gu, 'CNY'],
  [/\bjpy\b|円/gu, 'JPY'],
  [/¥|￥/gu, '¥'],
  [/₩|\bkrw\b/gu, 'KRW'],
  [/฿|\bthb\b/gu, 'THB'],
  [/\brm\b|\bmyr\b/gu, 'MYR'],
  [/\brp\.?|\bidr\b/gu, 'IDR'],
  [/₱|\bphp\b/gu, 'PHP'],
  [/₹|\binr\b/gu, 'INR'],
  [/\bchf\b/gu, 'CHF'],
  [/\brub\b|₽/gu, 'RUB'],
];
const ISO_CODE = /\b([a-z]{3})\b/u;
const KNOWN_ISO = new Set(['VND', 'USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'THB', 'MYR', 'SGD', 'IDR', 'PHP', 'INR', 'AUD', 'CAD', 'HKD', 'TWD', 'CHF', 'RUB', 'NZD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF']);

/** Vietnamese shorthand multipliers: "250k", "1tr2", "1,2 triệu", "2 tỷ". */
const MULTIPLIERS: [RegExp, number][] = [
  [/^(k|nghìn|nghin|ngàn|ngan)$/u, 1_000],
  [/^(tr|triệu|trieu|củ|cu)$/u, 1_000_000],
  [/^(tỷ|ty|tỉ|ti)$/u, 1_000_000_000],
];

const MAX_INPUT = 200;

export function parsePrice(text: string, options: ParsePriceOptions = {}): PriceParseResult {
  if (typeof text !== 'string') return { error: 'price text must be a string' };
  const hint = options.currencyHint?.trim().toUpperCase() || undefined;
  const normalized = text.normalize('NFC').replace(/[\u00a0\u202f\u2009\u2007]/gu, ' ').trim().toLowerCase();
  if (!normalized) return { error: 'empty price text' };
  if (normalized.length > MAX_INPUT) return { error: `price text longer than ${MAX_INPUT} characters` };
  const unlabeled = normalized
    .replace(/^(giá bán|giá|gia|price|từ|from|chỉ|only)\s*:?\s*/u, '')
    // "1.250.000đ/cái", "99k / hộp": a per-unit suffix says nothing about the amount.
    .replace(/\s*\/\s*(cái|chiếc|sp|sản phẩm|bộ|hộp|đôi|chai|lọ|kg|gói|set|pcs|pc|piece|item|unit|ea)$/u, '');
  if (NO_PRICE.test(unlabeled)) return { amount: null, currency: null };
  if (/^(miễn phí|mien phi|free)$/u.test(unlabeled)) return { amount: 0, currency: options.currencyHint?.trim().toUpperCase() || null };

  const single = parseSingle(unlabeled, hint);
  if (!('error' in single)) return { amount: single.amount, currency: single.currency };

  const range = parseRange(unlabeled, hint);
  return range ?? single;
}

function parseRange(text: string, hint: string | undefined): PriceParseResult | null {
  const parts = text.split(/\s*[–—~]\s*|\s+-\s+|(?<=[\d₫đ$€£¥a-z])-(?=[\d₫$€£¥a-z])|\s+(?:đến|den|to)\s+/u);
  if (parts.length !== 2) return null;
  const [left, right] = parts.map((p) => parseSingle(p, hint)) as [SingleResult, SingleResult];
  if ('error' in left || 'error' in right) return null;
  const currency = left.explicit ? left.currency : right.currency;
  if (left.explicit && right.explicit && left.currency !== right.currency) return { error: 'a price range with two different currencies' };
  if (left.amount === null || right.amount === null) return null;
  // "150-250k": the shorthand on the right applies to the left too.
  let low = left.amount;
  if (!left.scaled && right.scaled && right.scale > 1 && low * right.scale <= right.amount) low *= right.scale;
  const min = Math.min(low, right.amount);
  const max = Math.max(low, right.amount);
  return { amount: min, currency, min, max };
}

interface SingleOk extends ParsedPrice {
  explicit: boolean;
  scaled: boolean;
  scale: number;
}
type SingleResult = SingleOk | { error: string };

function parseSingle(input: string, hint: string | undefined): SingleResult {
  let text = ` ${input} `;
  let currency: string | null = null;
  for (const [pattern, code] of CURRENCY_TOKENS) {
    pattern.lastIndex = 0;
    if (!pattern.test(text)) continue;
    if (currency && currency !== code) return { error: `two currencies in "${input.trim()}"` };
    currency = code;
    pattern.lastIndex = 0;
    text = text.replace(pattern, ' ');
  }
  // "250.000d": a bare "d" straight after the digits is the đồng sign typed without diacritics.
  if (!currency && /\d\s*d\s*$/u.test(text)) {
    currency = 'VND';
    text = text.replace(/d\s*$/u, ' ');
  }
  const iso = ISO_CODE.exec(text);
  if (iso && KNOWN_ISO.has(iso[1]!.toUpperCase()) && !/^\d/u.test(iso[1]!)) {
    const code = iso[1]!.toUpperCase();
    if (currency && currency !== code) return { error: `two currencies in "${input.trim()}"` };
    currency = code;
    text = text.replace(ISO_CODE, ' ');
  }
  text = text.trim().replace(/^[:=]\s*/u, '');
  if (!/\d/u.test(text)) return { error: `no number in "${input.trim()}"` };
  if (/^-/u.test(text)) return { error: `negative price "${input.trim()}"` };

  let amount: number | null = null;
  let scaled = false;
  let scale = 1;
  const shorthand = /^(\d+(?:[.,]\d+)?)\s*([a-zà-ỹđ]+)\s*(\d*)$/u.exec(text);
  if (shorthand) {
    const multiplier = MULTIPLIERS.find(([pattern]) => pattern.test(shorthand[2]!))?.[1];
    if (!multiplier) return { error: `unrecognised unit "${shorthand[2]}" in "${input.trim()}"` };
    if (currency && currency !== 'VND') return { error: `Vietnamese shorthand "${shorthand[2]}" with currency ${currency}` };
    const base = Number(shorthand[1]!.replace(',', '.'));
    const tail = shorthand[3]!;
    // "1tr2" = 1.2 million; "1tr250" = 1.25 million: the digits after the unit are its decimals.
    const fraction = tail ? Number(`0.${tail}`) : 0;
    if (tail && /[.,]/u.test(shorthand[1]!)) return { error: `malformed shorthand price "${input.trim()}"` };
    amount = (base + fraction) * multiplier;
    currency = 'VND';
    scaled = true;
    scale = multiplier;
  } else {
    const value = parseNumber(text);
    if (value === null) return { error: `not a price: "${input.trim()}"` };
    amount = value;
  }
  const explicit = currency !== null;
  if (currency === '¥') currency = hint === 'CNY' ? 'CNY' : 'JPY';
  if (!currency) currency = hint ?? null;
  if (!Number.isFinite(amount) || amount > 1e15) return { error: `price out of range: "${input.trim()}"` };
  amount = ZERO_DECIMAL.has(currency ?? '') || currency === null && Number.isInteger(amount) ? Math.round(amount) : Math.round(amount * 100) / 100;
  return { amount, currency, explicit, scaled, scale };
}

/** Reads "1.250.000", "1,250,000", "1 250 000", "1.299,99", "1,299.99", "12,50", "3000". */
function parseNumber(raw: string): number | null {
  const text = raw.replace(/(\d)[ '’](?=\d{3}(?!\d))/gu, '$1');
  if (!/^\d[\d.,]*$/u.test(text) || /[.,]{2}|[.,]$/u.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let decimalSeparator: '.' | ',' | null = null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimalSeparator = lastDot > lastComma ? '.' : ',';
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const count = text.split(separator).length - 1;
    const digitsAfter = text.length - text.lastIndexOf(separator) - 1;
    decimalSeparator = count === 1 && digitsAfter !== 3 ? separator : null;
  }
  const thousands = decimalSeparator === '.' ? ',' : decimalSeparator === ',' ? '.' : null;
  let integerPart = text;
  let fractionPart = '';
  if (decimalSeparator) {
    const index = text.lastIndexOf(decimalSeparator);
    integerPart = text.slice(0, index);
    fractionPart = text.slice(index + 1);
    if (integerPart.includes(decimalSeparator)) return null;
  }
  const groups = thousands ? integerPart.split(thousands) : integerPart.split(/[.,]/u);
  if (groups.length > 1 && groups.slice(1).some((g) => g.length !== 3 && !(g.length === 2 && groups.length > 2))) return null;
  const digits = groups.join('');
  if (!/^\d+$/u.test(digits) || (fractionPart && !/^\d+$/u.test(fractionPart))) return null;
  return Number(fractionPart ? `${digits}.${fractionPart}` : digits);
}

/** Convenience for adapters: a VND integer from a number or a formatted string, or null. */
export function toVnd(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  const parsed = parsePrice(value, { currencyHint: 'VND' });
  if ('error' in parsed || parsed.amount === null || parsed.currency !== 'VND') return null;
  return Math.round(parsed.amount);
}
