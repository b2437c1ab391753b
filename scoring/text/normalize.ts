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
// eslint-disable-next-line no-control-regex -- \x00 is the lower bound of the ASCII range, not a stray control character
const NON_ASCII = /[^\x00-\x7F]/;

/** Cyrillic and Greek letters that render like Latin ones (lower-cased input). */
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ɡ: 'g',
  ы: 'bi',
  п: 'n',
  г: 'r',
  л: 'n',
  и: 'u',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 's',
  ϲ: 'c',
  ϳ: 'j',
  μ: 'u',
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
const FOLD_TABLE = new Array<string | null>(FOLD_TABLE_SIZE).fill(null);
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
/**
 * The table again as one code per character, for the common case: what the character folds to when
 * that is a single non-space character, FOLDS_TO_NOTHING for marks and zero-width characters, and
 * NOT_SIMPLE when the string table must be asked. Titles are folded amid much other work, and one
 * dense array stays in cache where a lookup through an array of strings missed twice per character.
 */
const FOLD_CODE = new Uint16Array(FOLD_TABLE_SIZE);
const NOT_SIMPLE = 0xffff;
const FOLDS_TO_NOTHING = 0xfffe;
for (let code = 0; code < FOLD_TABLE_SIZE; code++) {
  const mapped = FOLD_TABLE[code];
  const single = mapped !== null && mapped !== undefined && mapped.length === 1 ? mapped.charCodeAt(0) : -1;
  if (mapped === '') FOLD_CODE[code] = FOLDS_TO_NOTHING;
  else if (single >= 0 && single < FOLDS_TO_NOTHING && !WHITESPACE.test(mapped!)) FOLD_CODE[code] = single;
  else FOLD_CODE[code] = NOT_SIMPLE;
}

/** Output buffer of the fast fold: texts longer than this take the reference path. */
const FOLD_BUFFER = new Uint16Array(8192);
/** The same output as bytes when every code fits one: a string from it is one native copy. */
const FOLD_BYTES = Buffer.allocUnsafe(8192);
const CODE_SPACE = 0x20;

/** Input copy of the fast fold, as bytes to write into and as the code units they are. */
const FOLD_INPUT = new Uint16Array(8192);
const FOLD_INPUT_BYTES = Buffer.from(FOLD_INPUT.buffer);
/** "utf16le" bytes are the code units only on a little-endian machine; elsewhere the reference folds. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Table-driven folding; null when a character is outside the table (the caller uses the reference). */
function foldTextFast(input: string): FoldedText | null {
  if (input.length > FOLD_INPUT.length || !LITTLE_ENDIAN) return null;
  // The text's UTF-16 code units, copied by one native call: reading them from a typed array is the
  // same fast loop whatever kind of string came in (flat, sliced, concatenated, one or two bytes per
  // character), where charCodeAt on the mix that reaches here ran three times slower.
  FOLD_INPUT_BYTES.write(input, 0, 'utf16le');
  return foldUnits(input.length);
}

/**
 * Folds text held as its UTF-8 bytes, one latin1 character per byte (score-file's descriptions), as
 * `foldText` folds the decoded text. The bytes are decoded straight into the fold's input; invalid
 * UTF-8, four-byte sequences and characters outside the table take the reference way, decoding
 * first as Buffer#toString does.
 */
export function foldUtf8Bytes(bytes: string): FoldedText {
  return foldUtf8BytesFast(bytes) ?? foldText(Buffer.from(bytes, 'latin1').toString('utf8'));
}

/** Input bytes of `foldUtf8BytesFast`. */
const FOLD_UTF8 = Buffer.allocUnsafe(FOLD_INPUT.length);

function foldUtf8BytesFast(bytes: string): FoldedText | null {
  if (bytes.length > FOLD_UTF8.length || !LITTLE_ENDIAN) return null;
  const n = FOLD_UTF8.write(bytes, 0, 'latin1');
  const units = FOLD_INPUT;
  let count = 0;
  let i = 0;
  while (i < n) {
    const b0 = FOLD_UTF8[i]!;
    if (b0 < 0x80) {
      units[count++] = b0;
      i++;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      const b1 = i + 1 < n ? FOLD_UTF8[i + 1]! : 0;
      if ((b1 & 0xc0) !== 0x80) return null;
      units[count++] = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xe2) {
      // Three bytes from U+0800 (not overlong) up to U+2FFF; the table ends below that anyway.
      const b1 = i + 1 < n ? FOLD_UTF8[i + 1]! : 0;
      const b2 = i + 2 < n ? FOLD_UTF8[i + 2]! : 0;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b0 === 0xe0 && b1 < 0xa0)) return null;
      const code = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if (code >= FOLD_TABLE_SIZE) return null;
      units[count++] = code;
      i += 3;
    } else return null;
  }
  return foldUnits(count);
}

/** The fold of the first `n` code units in FOLD_INPUT. */
function foldUnits(n: number): FoldedText | null {
  const out = FOLD_BUFFER;
  const units = FOLD_INPUT;
  let length = 0;
  let zeroWidth = false;
  let lookalikes = false;
  // A space is emitted lazily, only between two non-space characters (collapse and trim in one pass).
  let pendingSpace = false;
  for (let i = 0; i < n; i++) {
    const code = units[i]!;
    if (length >= out.length - 8) return null;
    if (code < 0x80) {
      if (IS_SPACE[code] === 1) {
        pendingSpace = length > 0;
        continue;
      }
      if (pendingSpace) {
        out[length++] = CODE_SPACE;
        pendingSpace = false;
      }
      out[length++] = code >= 0x41 && code <= 0x5a ? code + 32 : code;
      continue;
    }
    if (code >= FOLD_TABLE_SIZE) return null;
    const simple = FOLD_CODE[code]!;
    if (simple !== NOT_SIMPLE) {
      const flags = FOLD_FLAGS[code]!;
      if (flags & 1) zeroWidth = true;
      if (flags & 2) lookalikes = true;
      if (simple === FOLDS_TO_NOTHING) continue;
      if (pendingSpace) {
        out[length++] = CODE_SPACE;
        pendingSpace = false;
      }
      out[length++] = simple;
      continue;
    }
    const mapped = FOLD_TABLE[code];
    if (mapped === null || mapped === undefined || mapped.length > 8) return null;
    const flags = FOLD_FLAGS[code]!;
    if (flags & 1) zeroWidth = true;
    if (flags & 2) lookalikes = true;
    for (let j = 0; j < mapped.length; j++) {
      const mappedCode = mapped.charCodeAt(j);
      if (mappedCode < FOLD_TABLE_SIZE ? IS_SPACE[mappedCode] === 1 : WHITESPACE.test(mapped[j]!)) {
        pendingSpace = length > 0;
        continue;
      }
      if (pendingSpace) {
        out[length++] = CODE_SPACE;
        pendingSpace = false;
      }
      out[length++] = mappedCode;
    }
  }
  let wide = false;
  for (let i = 0; i < length; i++) {
    const code = out[i]!;
    if (code > 0xff) {
      wide = true;
      break;
    }
    FOLD_BYTES[i] = code;
  }
  const text = wide
    ? String.fromCharCode.apply(null, out.subarray(0, length) as unknown as number[])
    : FOLD_BYTES.toString('latin1', 0, length);
  return { text: lookalikes ? mapLookalikeChars(text) : text, zeroWidth, lookalikes };
}

/** Diacritic-insensitive, case-insensitive key for short labels (names, keywords). */
export function foldKey(input: string): string {
  return foldText(input).text;
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '€': 'e',
};

/** Undoes leetspeak in one token ("n1ke" → "nike", "gucc1" → "gucci"). */
export function unLeet(token: string): string {
  let out = '';
  for (const ch of token) out += LEET[ch] ?? ch;
  return out;
}

/**
 * Splits folded text into word tokens. Symbols that leetspeak puts for letters stay inside words
 * ("$upreme", "d!or", "guc|ci", "est€e"); at a word's edges they are punctuation ("@shop", "giá$",
 * "sale!", "|freeship"), except a lone "@", which spells "a" in dotted names ("c.h.@.n.e.l").
 * Same tokens as `tokenizeReference`, in one pass over the character codes.
 */
export function tokenize(folded: string): string[] {
  const out: string[] = [];
  const n = folded.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isTokenCode(folded.charCodeAt(i))) i++;
    let start = i;
    while (i < n && isTokenCode(folded.charCodeAt(i))) i++;
    let end = i;
    if (end - start === 1 && folded.charCodeAt(start) === 64) {
      out.push('@');
      continue;
    }
    while (start < end && isLeadingSymbol(folded.charCodeAt(start))) start++;
    while (end > start && isTrailingSymbol(folded.charCodeAt(end - 1))) end--;
    if (end > start) out.push(folded.slice(start, end));
  }
  return out;
}

/** The definition `tokenize` follows, for tests: split on other characters, trim edge symbols, keep a lone "@". */
export function tokenizeReference(folded: string): string[] {
  return folded
    .split(/[^a-z0-9@$!|\u20ac]+/)
    .map((word) => (word === '@' ? word : word.replace(/^[@!|\u20ac]+/, '').replace(/[@$!|\u20ac]+$/, '')))
    .filter((word) => word.length > 0);
}

/** a–z, 0–9, "@", "$", "!", "|" or "€". */
function isTokenCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 64 ||
    code === 36 ||
    code === 33 ||
    code === 124 ||
    code === 0x20ac
  );
}

/** Trimmed from a word's start: "@", "!", "|", "€" ("$" starts "$upreme"). */
function isLeadingSymbol(code: number): boolean {
  return code === 64 || code === 33 || code === 124 || code === 0x20ac;
}

/** Trimmed from a word's end: "@", "$", "!", "|", "€". */
function isTrailingSymbol(code: number): boolean {
  return code === 64 || code === 36 || code === 33 || code === 124 || code === 0x20ac;
}
