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
  return foldTextFast(input) ?? foldTextReference(input);
}

/**
 * The definition of folding, step by step with Unicode normalisation. `foldText` gives the same
 * result through a per-character table; this stays as the fallback for characters the table does
 * not cover and as the reference the property tests compare against.
 */
export function foldTextReference(input: string): FoldedText {
  const { text, zeroWidth, lookalikes } = foldSteps(input);
  return { text: text.replace(/\s+/g, ' ').trim(), zeroWidth, lookalikes };
}

/** Every folding step except collapsing whitespace and trimming (and, for the table, the look-alike map). */
function foldSteps(input: string, mapLookalikes = true): FoldedText {
  // Pure-ASCII titles are common and need no Unicode normalisation.
  let text = NON_ASCII.test(input) ? input.normalize('NFC').toLowerCase() : input.toLowerCase();
  const zeroWidth = HAS_ZERO_WIDTH.test(text);
  if (zeroWidth) text = text.replace(ZERO_WIDTH, '');
  if (NON_ASCII.test(text)) {
    text = text.replace(/đ/g, 'd').normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/đ/g, 'd');
  }
  // After NFKD, so accented Greek/Cyrillic letters ("ά") are mapped too.
  const lookalikes = HAS_LOOKALIKE_SCRIPT.test(text);
  if (lookalikes && mapLookalikes) text = mapLookalikeChars(text);
  return { text, zeroWidth, lookalikes };
}

function mapLookalikeChars(text: string): string {
  return text.replace(LOOKALIKE_CHARS, (ch) => LOOKALIKES[ch] ?? ch);
}

/**
 * Per-character folding table for the first 0x2100 code points (Latin, Vietnamese, Greek, Cyrillic,
 * general punctuation): each character folded alone by the reference steps. Folding is
 * character-by-character there (NFKD of the NFC form equals NFKD of the input; combining marks fold
 * to nothing), except where lower-casing depends on context: capital sigma, which the table leaves out.
 * The look-alike map applies to the whole text only when it has a Greek/Cyrillic letter ("ɡ" is
 * not one but is mapped then), so the table stops before it and the map runs at the end.
 * Titles are folded once per listing, and this avoids two Unicode normalisations per title.
 */
const FOLD_TABLE_SIZE = 0x2100;
const FOLD_TABLE: (string | null)[] = new Array(FOLD_TABLE_SIZE).fill(null);
/** Bit 1: zero-width character; bit 2: folds to a Cyrillic/Greek letter (look-alike flag). */
const FOLD_FLAGS = new Uint8Array(FOLD_TABLE_SIZE);
const CONTEXT_SENSITIVE = new Set([0x03a3]);
for (let code = 0; code < FOLD_TABLE_SIZE; code++) {
  if (CONTEXT_SENSITIVE.has(code) || (code >= 0xd800 && code <= 0xdfff)) continue;
  const folded = foldSteps(String.fromCharCode(code), false);
  FOLD_TABLE[code] = folded.text;
  FOLD_FLAGS[code] = (folded.zeroWidth ? 1 : 0) | (folded.lookalikes ? 2 : 0);
}
/** JavaScript's `\s`, which the reference collapses. */
const WHITESPACE = /\s/;
const IS_SPACE = new Uint8Array(FOLD_TABLE_SIZE);
for (let code = 0; code < FOLD_TABLE_SIZE; code++) IS_SPACE[code] = WHITESPACE.test(String.fromCharCode(code)) ? 1 : 0;

/** Table-driven folding; null when a character is outside the table (the caller uses the reference). */
function foldTextFast(input: string): FoldedText | null {
  let text = '';
  let zeroWidth = false;
  let lookalikes = false;
  // A space is emitted lazily, only between two non-space characters (collapse and trim in one pass).
  let pendingSpace = false;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code < 0x80) {
      if (IS_SPACE[code] === 1) {
        pendingSpace = text.length > 0;
        continue;
      }
      if (pendingSpace) {
        text += ' ';
        pendingSpace = false;
      }
      text += code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : input[i];
      continue;
    }
    if (code >= FOLD_TABLE_SIZE) return null;
    const mapped = FOLD_TABLE[code];
    if (mapped === null || mapped === undefined) return null;
    const flags = FOLD_FLAGS[code]!;
    if (flags & 1) zeroWidth = true;
    if (flags & 2) lookalikes = true;
    for (let j = 0; j < mapped.length; j++) {
      const out = mapped.charCodeAt(j);
      if (out < FOLD_TABLE_SIZE ? IS_SPACE[out] === 1 : WHITESPACE.test(mapped[j]!)) {
        pendingSpace = text.length > 0;
        continue;
      }
      if (pendingSpace) {
        text += ' ';
        pendingSpace = false;
      }
      text += mapped[j];
    }
  }
  return { text: lookalikes ? mapLookalikeChars(text) : text, zeroWidth, lookalikes };
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
