/**
 * Finds the price in a text as shops write it: "Giá: 1.250.000₫ (đã gồm VAT)", "Chỉ còn 299K",
 * "£25.00 (tax incl.)", "1tr2", "150-250k", "Rs. 5,990", "49,90 zł". An extractor, not a validator:
 * labels before the price, notes after it, other words and other numbers (discounts, sizes, phone
 * numbers) are skipped and reported in `skipped`.
 *
 * Amounts are in the currency's major unit: VND (and other zero-decimal currencies) as integers,
 * others rounded to the currency's minor unit. Never throws: text with no price gives `{ error }`.
 */
import { CURRENCY_MARKS, ISO_CODES, LOWERCASE_CODES, currencyOfLocale, minorDigits, resolveMark } from './currencies.ts';

/** A parsed price. `amount: null` means the seller shows no price ("Liên hệ"); `reason` says so. */
export interface ParsedPrice {
  amount: number | null;
  currency: string | null;
  /** Lower bound of a range such as "150.000đ - 250.000đ" (then `amount` equals `min`). */
  min?: number;
  /** Upper bound of a range. */
  max?: number;
  /** Text around the price that is not part of it (labels, notes, other numbers), when there is any. */
  skipped?: string[];
  /** Why `amount` is null. */
  reason?: string;
}

export type PriceParseResult = ParsedPrice | { error: string };

export interface ParsePriceOptions {
  /**
   * ISO 4217 code assumed when the text names none, and the meaning of an ambiguous mark ("$", "kr", "Rs").
   * @default the currency of `locale`; with neither, only a currency the text names counts
   */
  currencyHint?: string;
  /**
   * BCP 47 locale of the page ("vi-VN", "en-AU", "ja"): when there is no `currencyHint`, its currency
   * is the hint, so "$" on an Australian page is AUD and a bare "250000" on a Vietnamese one is VND.
   * Without it (and without `currencyHint`), no currency is assumed.
   */
  locale?: string;
}

/** Longer texts are refused: a price sits in a short string, and scanning a page is the adapter's job. */
export const MAX_PRICE_TEXT = 500;

/** "Ask the seller": a listing with no price, not an unparseable one. */
const NO_PRICE =
  /(li[eê]n h[eệ]|(?<!\p{L})lh(?!\p{L})|contact|call for|price on request|request a quote|on request|th[oỏ][aả] thu[aậ]n|inbox|(?<!\p{L})ib(?!\p{L})|nh[aắ]n tin|b[aá]o gi[aá]|h[oỏ]i gi[aá]|gi[aá] t[oố]t nh[aấ]t|^\s*-+\s*$|^\s*—\s*$)/u;
const FREE = /^(giá\s*:?\s*)?(miễn phí|mien phi|free|0đ|gratis)$/u;

/** Labels before a price that say it is the old, struck-through one. */
const ORIGINAL_LABEL =
  /(giá gốc|gia goc|giá cũ|giá niêm yết|giá thị trường|giá tham khảo|giá trước|was|regular price|regular|list price|rrp|msrp|original price|original|compare at|retail price|market price|uvp|statt|avant|prix barré|normalpris|ord\.?|before)\s*[:：]?\s*$/u;
/** Labels before an amount that is not the price: a discount, shipping, a deposit, an installment. */
const NOT_PRICE_LABEL =
  /(giảm|giam|giảm giá|tiết kiệm|save|you save|off|discount|voucher|mã giảm|coupon|phí ship|ship|shipping|phí vận chuyển|vận chuyển|delivery|cọc|đặt cọc|deposit|trả góp|góp|installment|mua từ|đơn từ|orders? over|over|trên|hoàn|cashback|tặng|thưởng|bonus|vat|tax|thuế|fee|phí|đã bán|bán được|sold)\s*[:：]?\s*(tới|đến|up to|to|chỉ|only|từ|from)?\s*$/u;
/** Labels before the price the buyer pays. */
const PRICE_LABEL =
  /(giá km|giá khuyến mãi|giá sale|giá ưu đãi|giá bán|giá sốc|giá hời|giá chỉ|giá mới|giá|gia|chỉ còn|chỉ|còn|sale price|sale|now|only|price|our price|special price|deal|offer|từ|from|just|prix|preis|precio|preço|prezzo|cena|cijena|fiyat|harga|ราคา|価格|价格|가격|цена|ціна)\s*[:：=]?\s*$/u;
/** Words right after a number that make it a quantity, a size or a count, not money. */
const QUANTITY_UNIT =
  /^(ml|l|lít|lit|g|gr|gram|kg|mg|oz|lb|lbs|cm|mm|m|inch|in|"|gb|tb|mb|mah|w|v|hz|cái|chiếc|hộp|chai|lọ|viên|gói|túi|đôi|bộ|món|sp|sản phẩm|pcs|pc|pieces|items|x|tháng|ngày|năm|giờ|phút|h|%|sao|đánh giá|reviews?|sold|đã bán|lượt|người|size|màu|colou?rs?|tuổi|years?|months?|days?)(?![\p{L}\d])/u;
const AFTER_NOT_PRICE = /^(off|giảm|discount|cashback|hoàn)(?!\p{L})/u;

/** Vietnamese shorthand multipliers after the digits: "250k", "1tr2", "1,2 triệu", "2 tỷ", "3 củ". */
const SHORTHAND = /^(k|nghìn|nghin|ngàn|ngan|tr|triệu|trieu|củ|tỷ|ty|tỉ)(\d{0,3})(?![\p{L}\d])/u;
const MULTIPLIER: Record<string, number> = {
  k: 1_000,
  nghìn: 1_000,
  nghin: 1_000,
  ngàn: 1_000,
  ngan: 1_000,
  tr: 1_000_000,
  triệu: 1_000_000,
  trieu: 1_000_000,
  củ: 1_000_000,
  tỷ: 1_000_000_000,
  ty: 1_000_000_000,
  tỉ: 1_000_000_000,
};

/** Digits with group or decimal separators; a space groups only before exactly three digits ("1 250 000"). */
const NUMBER = /\d(?:[\d.,'’]|[ \u00a0\u202f](?=\d{3}(?!\d)))*/gu;
const RANGE_JOIN = /^\s*(?:-|–|—|~|đến|den|tới|to|bis|à|a)\s*$/u;

type Kind = 'sale' | 'plain' | 'original' | 'note' | 'not-price';

interface Candidate {
  start: number;
  end: number;
  amount: number;
  currency: string | null;
  /** The text itself names the currency (a mark or a code). */
  explicit: boolean;
  scale: number;
  kind: Kind;
  /** The text gives some sign that this is money: a currency, shorthand or a price label. */
  evidence: boolean;
  bad?: string;
  min?: number;
  max?: number;
}

const KIND_RANK: Record<Kind, number> = { sale: 0, plain: 1, original: 2, note: 3, 'not-price': 9 };

export function parsePrice(text: string, options: ParsePriceOptions = {}): PriceParseResult {
  if (typeof text !== 'string') return { error: 'price text must be a string' };
  const hint = normalizeHint(options.currencyHint) ?? (options.locale ? currencyOfLocale(options.locale) : undefined);
  const source = sameLengthClean(text.normalize('NFC'));
  const trimmed = source.trim();
  if (!trimmed) return { error: 'empty price text' };
  if (trimmed.length > MAX_PRICE_TEXT) return { error: `price text longer than ${MAX_PRICE_TEXT} characters` };
  const original = trimmed;
  const lower = lowerSameLength(trimmed);

  if (FREE.test(lower)) return { amount: 0, currency: hint ?? null };
  const candidates = findCandidates(original, lower, hint);
  const usable = mergeRanges(candidates, lower).filter((c) => c.kind !== 'not-price' && !c.bad && (c.evidence || isAlone(c, lower)));
  if (!usable.length) {
    if (NO_PRICE.test(lower))
      return { amount: null, currency: null, reason: 'the seller shows no price (ask the seller)', ...skippedOf(original, []) };
    const broken = candidates.find((c) => c.bad);
    if (broken?.bad) return { error: broken.bad };
    if (!/\d/u.test(lower)) return { error: `no number in "${short(original)}"` };
    if (candidates.some((c) => c.kind === 'not-price'))
      return { error: `only a discount, fee or percentage in "${short(original)}", no price` };
    return { error: `not a price: "${short(original)}" (a number without a currency, shorthand or price label)` };
  }
  const best = Math.min(...usable.map((c) => KIND_RANK[c.kind]));
  let top = usable.filter((c) => KIND_RANK[c.kind] === best);
  const currencies = new Set(top.filter((c) => c.explicit).map((c) => c.currency));
  if (currencies.size > 1) {
    const hinted = top.filter((c) => c.currency === hint);
    if (!hinted.length) return { error: `two currencies in "${short(original)}" (${[...currencies].join(', ')})` };
    top = hinted;
  }
  const currency = top.find((c) => c.explicit)?.currency ?? top[0]!.currency;
  // Two prices of one kind ("500.000₫ 399.000₫", a struck-through price and the current one): the lower is paid.
  const chosen = top.reduce((low, c) => ((c.min ?? c.amount) < (low.min ?? low.amount) ? c : low));
  if (chosen.amount > 1e15) return { error: `price out of range: "${short(original)}"` };
  const result: ParsedPrice = { amount: round(chosen.amount, currency), currency };
  if (chosen.min !== undefined && chosen.max !== undefined) {
    result.min = round(chosen.min, currency);
    result.max = round(chosen.max, currency);
  }
  return { ...result, ...skippedOf(original, [chosen]) };
}

function normalizeHint(hint: string | undefined): string | undefined {
  const code = hint?.trim().toUpperCase();
  return code ? code : undefined;
}

/** Unicode spaces to plain ones, control characters to spaces: same length, so offsets stay valid. */
function sameLengthClean(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes.
  return text.replace(/[\u00a0\u202f\u2009\u2007\u2002\u2003]/gu, ' ').replace(/[\u0000-\u001f\u007f]/gu, ' ');
}

/** Lower case without changing the length ("İ" lowers to two code units; it is kept as it is). */
function lowerSameLength(text: string): string {
  let out = '';
  for (const ch of text) {
    const low = ch.toLowerCase();
    out += low.length === ch.length ? low : ch;
  }
  return out;
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function round(amount: number, currency: string | null): number {
  const digits = currency === null ? (Number.isInteger(amount) ? 0 : 2) : minorDigits(currency);
  const factor = 10 ** digits;
  return Math.round(amount * factor) / factor;
}

interface MarkMatch {
  length: number;
  codes: string[];
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/** A currency mark or code ending right at `end` (only spaces between it and the digits). */
function markBefore(original: string, lower: string, end: number): MarkMatch | null {
  let at = end;
  while (at > 0 && original[at - 1] === ' ') at--;
  for (const mark of CURRENCY_MARKS) {
    const start = at - mark.text.length;
    if (start < 0) continue;
    const piece = mark.caseless ? lower.slice(start, at) : original.slice(start, at);
    if (piece !== mark.text) continue;
    if (isLetter(mark.text[0]) && isLetter(original[start - 1])) continue;
    // "Giá KM 399.000₫" is the promotion price label, not convertible marks.
    if (mark.text === 'KM' && /giá\s*$/u.test(lower.slice(0, start))) continue;
    return { length: end - start, codes: mark.codes };
  }
  const code = /(?<!\p{L})(\p{L}{3})$/u.exec(original.slice(Math.max(0, at - 4), at));
  if (code && isCode(code[1]!)) return { length: end - (at - 3), codes: [code[1]!.toUpperCase()] };
  return null;
}

/** A currency mark or code starting at `start` (after optional spaces). */
function markAfter(original: string, lower: string, start: number, afterDigit: boolean): MarkMatch | null {
  let at = start;
  while (at < original.length && original[at] === ' ') at++;
  for (const mark of CURRENCY_MARKS) {
    if (mark.prefixOnly) continue;
    const end = at + mark.text.length;
    const piece = mark.caseless ? lower.slice(at, end) : original.slice(at, end);
    if (piece !== mark.text) continue;
    if (isLetter(mark.text.at(-1)) && isLetter(original[end])) continue;
    return { length: end - start, codes: mark.codes };
  }
  const code = /^(\p{L}{3})(?!\p{L})/u.exec(original.slice(at, at + 4));
  if (code && isCode(code[1]!)) return { length: at + 3 - start, codes: [code[1]!.toUpperCase()] };
  // "250.000d": a bare "d" straight after the digits is the đồng sign typed without diacritics.
  if (afterDigit && /^d(?!\p{L})/u.test(lower.slice(at, at + 2)) && at === start) return { length: 1, codes: ['VND'] };
  return null;
}

/** An ISO code in capitals ("PLN", "XOF"), or a common one in any case ("vnd", "usd"). */
function isCode(word: string): boolean {
  const upper = word.toUpperCase();
  if (!ISO_CODES.has(upper)) return false;
  return word === upper || LOWERCASE_CODES.has(upper);
}

function findCandidates(original: string, lower: string, hint: string | undefined): Candidate[] {
  const found: Candidate[] = [];
  let previousEnd = 0;
  for (const match of lower.matchAll(NUMBER)) {
    let raw = match[0];
    raw = raw.replace(/[.,'’ ]+$/u, '');
    const numStart = match.index;
    // The "2" of "1tr2" already belongs to the previous price.
    if (numStart < previousEnd) continue;
    const numEnd = numStart + raw.length;
    const candidate = readCandidate(original, lower, raw, numStart, numEnd, previousEnd, hint);
    found.push(candidate);
    previousEnd = candidate.end;
  }
  return found;
}

function readCandidate(
  original: string,
  lower: string,
  raw: string,
  numStart: number,
  numEnd: number,
  previousEnd: number,
  hint: string | undefined,
): Candidate {
  let start = numStart;
  let end = numEnd;
  let codes: string[] | null = null;
  let fromPrefix = false;
  const before = markBefore(original, lower, numStart);
  if (before && numStart - before.length >= previousEnd) {
    codes = before.codes;
    start = numStart - before.length;
    fromPrefix = true;
  }
  // Shorthand: "299K", "1tr2", "1,2 triệu".
  let scale = 1;
  let tail = '';
  const afterText = lower.slice(end);
  const spaces = /^ */u.exec(afterText)![0].length;
  const shorthand = SHORTHAND.exec(afterText.slice(spaces));
  if (shorthand) {
    scale = MULTIPLIER[shorthand[1]!]!;
    tail = shorthand[2]!;
    end += spaces + shorthand[0].length;
  }
  if (!codes || scale > 1) {
    const after = markAfter(original, lower, end, true);
    if (after && (!codes || codes.includes(resolveMark(after.codes, hint)))) {
      codes = after.codes;
      end += after.length;
    }
  }
  const explicit = codes !== null;
  const currency = codes ? resolveMark(codes, hint) : null;
  const candidate: Candidate = { start, end, amount: 0, currency, explicit, scale, kind: 'plain', evidence: explicit || scale > 1 };

  const charBefore = original[start - 1];
  // "N120", "A7", "iPhone15": digits glued to a word are a model code, unless a currency mark is the word.
  if (!fromPrefix && isLetter(charBefore)) return { ...candidate, kind: 'not-price' };
  const rest = lower.slice(end).trimStart();
  if (!explicit && scale === 1 && QUANTITY_UNIT.test(rest)) return { ...candidate, kind: 'not-price' };
  if (/^%/u.test(lower.slice(end).trimStart())) return { ...candidate, kind: 'not-price' };
  if (AFTER_NOT_PRICE.test(rest)) return { ...candidate, kind: 'not-price' };
  // "0901234567", "+84 90…": phone numbers.
  if (!explicit && scale === 1 && (/^0\d{8,10}$/u.test(raw.replace(/[ .]/gu, '')) || original[start - 1] === '+'))
    return { ...candidate, kind: 'not-price' };
  // "-50.000đ" standing alone is a discount shown as a negative amount.
  if (original[start - 1] === '-' && (start - 1 === 0 || /[\s(]/u.test(original[start - 2]!))) return { ...candidate, kind: 'not-price' };
  // "Giá: 1.250.000₫ (~$50)": a figure inside parentheses is a note.
  const opened = (original.slice(0, start).match(/\(/gu)?.length ?? 0) - (original.slice(0, start).match(/\)/gu)?.length ?? 0);

  const label = lower.slice(Math.max(previousEnd, start - 40), start);
  let kind: Kind = opened > 0 ? 'note' : 'plain';
  if (ORIGINAL_LABEL.test(label)) kind = 'original';
  else if (NOT_PRICE_LABEL.test(label)) kind = 'not-price';
  else if (PRICE_LABEL.test(label)) kind = opened > 0 ? 'note' : 'sale';
  candidate.kind = kind;
  if (kind === 'sale' || kind === 'original') candidate.evidence = true;

  if (scale > 1) {
    if (explicit && currency !== 'VND' && scale !== 1_000) {
      return { ...candidate, bad: `Vietnamese shorthand "${lower.slice(numEnd, end).trim()}" with currency ${currency}` };
    }
    const base = Number(raw.replace(',', '.'));
    if (!/^\d+(?:[.,]\d+)?$/u.test(raw) || (tail && /[.,]/u.test(raw)))
      return { ...candidate, bad: `malformed shorthand price "${short(original.slice(start, end))}"` };
    // "1tr2" = 1.2 million; "1tr250" = 1.25 million: the digits after the unit are its decimals.
    const fraction = tail ? Number(`0.${tail}`) : 0;
    candidate.amount = (base + fraction) * scale;
    if (!explicit) candidate.currency = 'VND';
    return candidate;
  }
  const value = parseNumber(raw, currency ?? hint ?? null);
  if (value === null)
    return { ...candidate, bad: `not a price: "${short(original.slice(start, end))}" (the digits do not read as one amount)` };
  candidate.amount = value;
  if (!currency) candidate.currency = hint ?? null;
  return candidate;
}

/** "150.000đ - 250.000đ", "150-250k", "1tr2 ~ 1tr5": two neighbours joined by a dash or "to" become a range. */
function mergeRanges(candidates: Candidate[], lower: string): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const left = candidates[i]!;
    const right = candidates[i + 1];
    if (
      right &&
      !left.bad &&
      !right.bad &&
      left.kind !== 'not-price' &&
      right.kind !== 'not-price' &&
      RANGE_JOIN.test(lower.slice(left.end, right.start))
    ) {
      if (left.explicit && right.explicit && left.currency !== right.currency) {
        out.push({ ...left, bad: 'a price range with two different currencies' });
        i++;
        continue;
      }
      let low = left.amount;
      // "150-250k": the shorthand on the right applies to the left too.
      if (left.scale === 1 && right.scale > 1 && low * right.scale <= right.amount) low *= right.scale;
      const currency = left.explicit ? left.currency : right.explicit || right.scale > 1 ? right.currency : left.currency;
      const min = Math.min(low, right.amount);
      const max = Math.max(low, right.amount);
      const kind = KIND_RANK[left.kind] <= KIND_RANK[right.kind] ? left.kind : right.kind;
      out.push({
        start: left.start,
        end: right.end,
        amount: min,
        min,
        max,
        currency,
        explicit: left.explicit || right.explicit,
        scale: Math.max(left.scale, right.scale),
        kind,
        evidence: left.evidence || right.evidence,
      });
      i++;
      continue;
    }
    out.push(left);
  }
  return out;
}

/** A bare number counts when nothing but punctuation surrounds it ("250000", "25.00"). */
function isAlone(candidate: Candidate, lower: string): boolean {
  const rest = lower.slice(0, candidate.start) + lower.slice(candidate.end);
  return !/[\p{L}\d]/u.test(rest);
}

function skippedOf(original: string, chosen: Candidate[]): Pick<ParsedPrice, 'skipped'> {
  const parts: string[] = [];
  let at = 0;
  for (const c of [...chosen].sort((a, b) => a.start - b.start)) {
    parts.push(original.slice(at, c.start));
    at = c.end;
  }
  parts.push(original.slice(at));
  const skipped = parts.map((p) => p.replace(/^[\s:：,;|–—-]+|[\s:：,;|=]+$/gu, '')).filter((p) => /[\p{L}\p{N}\p{S}]/u.test(p));
  return skipped.length ? { skipped } : {};
}

/**
 * Reads "1.250.000", "1,250,000", "1 250 000", "1.299,99", "1,299.99", "12,50", "3000", "1'299.50".
 * With one separator, three digits after it are thousands (no two-decimal currency writes three
 * decimals), unless the currency has three decimals (KWD, BHD, OMR) or the text has several groups.
 */
export function parseNumber(rawInput: string, currency: string | null): number | null {
  const text = rawInput.replace(/(\d)[ '’](?=\d{3}(?!\d))/gu, '$1');
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
    decimalSeparator = count === 1 && (digitsAfter !== 3 || minorDigits(currency) === 3) ? separator : null;
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
  // Indian grouping ("1,25,000") has two-digit groups before the last three.
  if (groups.length > 1 && groups.slice(1).some((g, k, all) => g.length !== 3 && !(g.length === 2 && k < all.length - 1))) return null;
  if (groups.length > 1 && (groups[0]!.length === 0 || groups[0]!.length > 3)) return null;
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
