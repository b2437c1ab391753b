/**
 * Currency knowledge for the price extractor: ISO 4217 codes and minor units from `currency-codes`
 * (the ISO list itself), symbols from `currency-symbol-map`, plus the marks shops write that neither
 * lists (Vietnamese "đ"/"đồng", "US$", "Rs.", "TL", "руб", …) and which currency an ambiguous mark
 * means when nothing else says ("$" is USD, "kr" is SEK unless the hint is NOK, DKK or ISK).
 */
import { createRequire } from 'node:module';
import { code as isoRecord, codes as isoCodes } from 'currency-codes';

const require = createRequire(import.meta.url);
/** `currency-symbol-map` publishes its table as `currencySymbolMap` without declaring it in its types. */
const SYMBOL_BY_CODE = (require('currency-symbol-map') as { currencySymbolMap: Record<string, string> }).currencySymbolMap;

/** Every current ISO 4217 code ("VND", "PLN", "XOF", …). */
export const ISO_CODES: ReadonlySet<string> = new Set(isoCodes());

/**
 * Currencies whose written prices never carry decimals even where ISO gives them a minor unit
 * ("Rp 15.000", "15.000 Ft", "NT$1,200", "៛4,000").
 */
const WRITTEN_WITHOUT_DECIMALS = new Set(['IDR', 'HUF', 'TWD', 'KHR', 'LAK', 'MMK', 'UZS', 'IQD', 'IRR', 'LBP', 'COP']);

/** Digits after the decimal separator a price in `code` carries: 0 for VND or JPY, 3 for KWD. */
export function minorDigits(code: string | null): number {
  if (!code) return 2;
  if (WRITTEN_WITHOUT_DECIMALS.has(code)) return 0;
  return isoRecord(code)?.digits ?? 2;
}

/** What an ambiguous mark means without a hint: the currency most shops writing it use. */
const PREFERRED: Record<string, string> = {
  $: 'USD',
  '£': 'GBP',
  '¥': 'JPY',
  '￥': 'CNY',
  kr: 'SEK',
  'kr.': 'DKK',
  лв: 'BGN',
  Br: 'BYN',
  lei: 'RON',
  '₱': 'PHP',
  '₩': 'KRW',
  '﷼': 'SAR',
  '₨': 'INR',
  Rs: 'INR',
  'Rs.': 'INR',
  ƒ: 'AWG',
  'ع.د': 'IQD',
};

/** Marks shops write that the symbol list lacks or gets wrong for retail ("C$" is Canada's, not Nicaragua's). */
const EXTRA_MARKS: [string, string[]][] = [
  ['₫', ['VND']],
  ['đ', ['VND']],
  ['đồng', ['VND']],
  ['dong', ['VND']],
  ['vnđ', ['VND']],
  ['US$', ['USD']],
  ['USD$', ['USD']],
  ['U$S', ['USD']],
  ['AU$', ['AUD']],
  ['A$', ['AUD']],
  ['CA$', ['CAD']],
  ['C$', ['CAD']],
  ['NZ$', ['NZD']],
  ['HK$', ['HKD']],
  ['MX$', ['MXN']],
  ['S$', ['SGD']],
  ['NT$', ['TWD']],
  ['元', ['CNY']],
  ['원', ['KRW']],
  ['บาท', ['THB']],
  ['RMB', ['CNY']],
  ['rmb', ['CNY']],
  ['円', ['JPY']],
  ['Rs', ['INR', 'PKR', 'NPR', 'LKR', 'MUR', 'SCR']],
  ['Rs.', ['INR', 'PKR', 'NPR', 'LKR', 'MUR', 'SCR']],
  ['₨', ['INR', 'PKR', 'NPR', 'LKR', 'MUR', 'SCR']],
  ['TL', ['TRY']],
  ['руб', ['RUB']],
  ['руб.', ['RUB']],
  ['р.', ['RUB']],
  ['грн', ['UAH']],
  ['₴', ['UAH']],
  ['Kc', ['CZK']],
  ['zl', ['PLN']],
  ['kr.', ['DKK', 'NOK', 'SEK', 'ISK']],
  ['din', ['RSD']],
  ['дин', ['RSD']],
  ['Ksh', ['KES']],
  ['E£', ['EGP']],
  ['LE', ['EGP']],
  ['SR', ['SAR']],
  ['Dhs', ['AED']],
  ['rp', ['IDR']],
  ['Rp.', ['IDR']],
  ['rm', ['MYR']],
  ['₭', ['LAK']],
  ['Ks', ['MMK']],
  ['Bs.', ['VES', 'BOB']],
  ['S/', ['PEN']],
  ['₵', ['GHS']],
  ['FCFA', ['XAF', 'XOF']],
  ['F CFA', ['XOF', 'XAF']],
  ['CFA', ['XOF', 'XAF']],
  ['KM', ['BAM']],
  ['€', ['EUR']],
];

export interface CurrencyMark {
  /** As written; matched case-sensitively unless `caseless`. */
  text: string;
  /** Lower-case words ("đồng", "kr", "lei", "zł") also match capitalised or in capitals. */
  caseless: boolean;
  /** ISO codes it can mean, the preferred first. */
  codes: string[];
  /** Single letters ("R", "Q") only count right before the digits. */
  prefixOnly: boolean;
}

function buildMarks(): CurrencyMark[] {
  const byText = new Map<string, Set<string>>();
  const add = (text: string, codes: string[]) => {
    const set = byText.get(text) ?? new Set<string>();
    for (const code of codes) if (ISO_CODES.has(code)) set.add(code);
    if (set.size) byText.set(text, set);
  };
  for (const [code, symbol] of Object.entries(SYMBOL_BY_CODE)) {
    if (symbol === code) continue; // codes are matched as codes
    if (symbol === 'C$') continue; // Nicaragua's córdoba in the list; retail "C$" is Canadian
    // Most single letters ("M", "S", "K", "L") are sizes or the "299K" thousand; R (rand) and Q (quetzal) stay.
    if (/^\p{L}$/u.test(symbol) && symbol !== 'R' && symbol !== 'Q') continue;
    add(symbol, [code]);
  }
  for (const [text, codes] of EXTRA_MARKS) add(text, codes);
  const marks: CurrencyMark[] = [];
  for (const [text, set] of byText) {
    const codes = [...set];
    const preferred = PREFERRED[text];
    if (preferred && codes.includes(preferred)) codes.sort((a, b) => (a === preferred ? -1 : b === preferred ? 1 : 0));
    marks.push({ text, codes, caseless: /\p{Ll}/u.test(text) && text === text.toLowerCase(), prefixOnly: /^\p{Lu}$/u.test(text) });
  }
  // Longest first, so "US$" wins over "$" and "GH₵" over "₵".
  return marks.sort((a, b) => b.text.length - a.text.length);
}

export const CURRENCY_MARKS: readonly CurrencyMark[] = buildMarks();

/** Codes commonly written in lower case ("250k vnd", "12 usd"); other codes count only in capitals. */
export const LOWERCASE_CODES = new Set([
  'VND',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CNY',
  'KRW',
  'THB',
  'MYR',
  'SGD',
  'IDR',
  'PHP',
  'INR',
  'AUD',
  'CAD',
  'HKD',
  'TWD',
  'CHF',
  'RUB',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'RON',
  'ZAR',
  'BRL',
  'MXN',
  'AED',
  'SAR',
  'KHR',
  'LAK',
]);

/** The code a mark means, given the caller's hint: the hint when the mark can mean it. */
export function resolveMark(codes: readonly string[], hint: string | undefined): string {
  return hint && codes.includes(hint) ? hint : codes[0]!;
}

/** Currency by region, then by language, for the locales shops in and around Vietnam's trade use. */
const BY_REGION: Record<string, string> = {
  VN: 'VND',
  US: 'USD',
  GB: 'GBP',
  AU: 'AUD',
  CA: 'CAD',
  NZ: 'NZD',
  SG: 'SGD',
  MY: 'MYR',
  ID: 'IDR',
  TH: 'THB',
  PH: 'PHP',
  KH: 'KHR',
  LA: 'LAK',
  MM: 'MMK',
  CN: 'CNY',
  TW: 'TWD',
  HK: 'HKD',
  JP: 'JPY',
  KR: 'KRW',
  IN: 'INR',
  PK: 'PKR',
  NP: 'NPR',
  BD: 'BDT',
  LK: 'LKR',
  CH: 'CHF',
  BR: 'BRL',
  MX: 'MXN',
  AR: 'ARS',
  ZA: 'ZAR',
  NG: 'NGN',
  KE: 'KES',
  AE: 'AED',
  SA: 'SAR',
  TR: 'TRY',
  RU: 'RUB',
  UA: 'UAH',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  BG: 'BGN',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  IS: 'ISK',
  BA: 'BAM',
  RS: 'RSD',
  BY: 'BYN',
  ET: 'ETB',
  SN: 'XOF',
  CI: 'XOF',
  CM: 'XAF',
  MD: 'MDL',
};
const BY_LANGUAGE: Record<string, string> = {
  vi: 'VND',
  ja: 'JPY',
  zh: 'CNY',
  ko: 'KRW',
  th: 'THB',
  ms: 'MYR',
  id: 'IDR',
  km: 'KHR',
  lo: 'LAK',
  my: 'MMK',
  hi: 'INR',
  ne: 'NPR',
  de: 'EUR',
  fr: 'EUR',
  it: 'EUR',
  es: 'EUR',
  nl: 'EUR',
  pt: 'EUR',
  fi: 'EUR',
  el: 'EUR',
  sk: 'EUR',
  sl: 'EUR',
  et: 'EUR',
  lv: 'EUR',
  lt: 'EUR',
  pl: 'PLN',
  cs: 'CZK',
  hu: 'HUF',
  ro: 'RON',
  bg: 'BGN',
  tr: 'TRY',
  ru: 'RUB',
  uk: 'UAH',
  sv: 'SEK',
  nb: 'NOK',
  nn: 'NOK',
  no: 'NOK',
  da: 'DKK',
  is: 'ISK',
  bs: 'BAM',
  sr: 'RSD',
  be: 'BYN',
  am: 'ETB',
  en: 'USD',
};

/** The currency a BCP 47 locale implies ("vi-VN" → VND, "en-AU" → AUD, "de" → EUR), or undefined. */
export function currencyOfLocale(locale: string): string | undefined {
  const parts = locale.trim().replace(/_/gu, '-').split('-');
  const region = parts
    .slice(1)
    .find((part) => /^[A-Za-z]{2}$/u.test(part))
    ?.toUpperCase();
  return (region && BY_REGION[region]) || BY_LANGUAGE[parts[0]!.toLowerCase()];
}
