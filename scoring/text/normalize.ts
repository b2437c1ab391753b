/**
 * Text folding shared by every signal. Titles are folded once per listing: NFC, lower case,
 * Vietnamese diacritics removed ("đ" by hand, NFD does not decompose it), zero-width characters
 * removed and Cyrillic/Greek look-alikes mapped to Latin. The flags say which of these tricks
 * the text used, because a brand that only appears after undoing them was disguised on purpose.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;
const HAS_ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/;
const HAS_LOOKALIKE_SCRIPT = /[\u0370-\u03FF\u0400-\u04FF\u0500-\u052F]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\x00-\x7F]/;

/** Cyrillic and Greek letters that render like Latin ones (lower-cased input). */
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ɡ: 'g', ы: 'bi', п: 'n', г: 'r', л: 'n', и: 'u',
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ς: 's',
  ϲ: 'c', ϳ: 'j', μ: 'u',
};
const LOOKALIKE_CHARS = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

export interface FoldedText {
  /** Lower-case ASCII-ish text with diacritics removed and whitespace collapsed. */
  text: string;
  /** The input contained zero-width or soft-hyphen characters. */
  zeroWidth: boolean;
  /** The input contained Cyrillic or Greek letters that were mapped to Latin look-alikes. */
  lookalikes: boolean;
}

/** Folds text for matching; never throws, whatever the input. */
export function foldText(input: string): FoldedText {
  // Pure-ASCII titles are common and need no Unicode normalisation.
  let text = NON_ASCII.test(input) ? input.normalize('NFC').toLowerCase() : input.toLowerCase();
  const zeroWidth = HAS_ZERO_WIDTH.test(text);
  if (zeroWidth) text = text.replace(ZERO_WIDTH, '');
  if (NON_ASCII.test(text)) {
    text = text.replace(/đ/g, 'd').normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/đ/g, 'd');
  }
  // After NFKD, so accented Greek/Cyrillic letters ("ά") are mapped too.
  const lookalikes = HAS_LOOKALIKE_SCRIPT.test(text);
  if (lookalikes) text = text.replace(LOOKALIKE_CHARS, (ch) => LOOKALIKES[ch] ?? ch);
  text = text.replace(/\s+/g, ' ').trim();
  return { text, zeroWidth, lookalikes };
}

/** Diacritic-insensitive, case-insensitive key for short labels (names, keywords). */
export function foldKey(input: string): string {
  return foldText(input).text;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's' };

/** Undoes leetspeak in one token ("n1ke" → "nike", "gucc1" → "gucci"). */
export function unLeet(token: string): string {
  let out = '';
  for (const ch of token) out += LEET[ch] ?? ch;
  return out;
}

/** Splits folded text into word tokens; "@" and "$" stay inside words because leetspeak uses them ("$upreme"). */
export function tokenize(folded: string): string[] {
  const out: string[] = [];
  for (const raw of folded.split(/[^a-z0-9@$]+/)) {
    if (raw.length === 0) continue;
    const first = raw.charCodeAt(0);
    const last = raw.charCodeAt(raw.length - 1);
    // Only tokens that start with "@" or end with "@"/"$" need trimming ("@shop", "giá$").
    const token = first === 64 || last === 64 || last === 36 ? raw.replace(/^@+|[@$]+$/g, '') : raw;
    if (token.length > 0) out.push(token);
  }
  return out;
}

/** Digits only. */
export function digitsOnly(input: string): string {
  return input.replace(/\D+/g, '');
}
