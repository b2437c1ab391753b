/**
 * Splits free-text addresses into words and chunks. Commas, semicolons, brackets, line breaks and
 * spaced dashes end a chunk; an administrative name never spans two chunks. Dots only separate
 * words, so "P.12", "Tp.HCM" and "Q.Bình Thạnh" split like "P 12", "Tp HCM", "Q Bình Thạnh".
 */
import { normalizeNumber, stripDiacritics } from './normalize.ts';

export interface Word {
  /** ASCII key form: no diacritics, lower case, numbers without leading zeros. */
  ascii: string;
  /** Lower-case NFC form with diacritics, to tell "xã" (commune) from "xá" (a name syllable). */
  folded: string;
  /** Index of the chunk the word belongs to. */
  chunk: number;
  /** Offset of the word in the NFC text, to quote the writer's own spelling in issues. */
  start: number;
  end: number;
}

export interface Tokens {
  text: string;
  words: Word[];
}

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** "Q1", "P12", "F7", "Q.10" glued to their number. */
const GLUED_UNIT = /^(p|f|q|x|h|ph|tx|tt)(\d+)$/;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const CHUNK_BREAKS = new Set([...',;|()[]{}\n\r–—•'].map((c) => c.charCodeAt(0)));

/** Letter/digit/mark lookup for the BMP's first 12K code points (all Vietnamese text); a regex beyond. */
const WORD_TABLE = new Uint8Array(0x3000);
for (let code = 0; code < WORD_TABLE.length; code++) WORD_TABLE[code] = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 0;
const isWordChar = (text: string, i: number): boolean => {
  const code = text.charCodeAt(i);
  return code < 0x3000 ? WORD_TABLE[code] === 1 : WORD_CHAR.test(text.charAt(i));
};
const isSpace = (text: string, i: number): boolean => i < 0 || i >= text.length || /\s/.test(text.charAt(i));

export function tokenize(input: string): Tokens {
  const text = input.normalize('NFC').replace(ZERO_WIDTH, '');
  const words: Word[] = [];
  let chunk = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isWordChar(text, i)) {
      let end = i + 1;
      // "12/3A", "12-14", "Rịa-Vũng": a slash or hyphen between word characters stays inside the token.
      while (end < text.length) {
        if (isWordChar(text, end)) end++;
        else if ((text[end] === '/' || text[end] === '-') && end + 1 < text.length && isWordChar(text, end + 1)) end += 2;
        else break;
      }
      const raw = text.slice(i, end);
      // "Rịa-Vũng" is two words; "12-14" and "12/3A" are one house number.
      if ((raw.indexOf('-') < 0 && raw.indexOf('/') < 0) || /\d/.test(raw)) pushWord(words, raw, chunk, i);
      else {
        let offset = i;
        for (const part of raw.split(/[-/]/)) {
          if (part !== '') pushWord(words, part, chunk, offset);
          offset += part.length + 1;
        }
      }
      i = end;
      continue;
    }
    if (CHUNK_BREAKS.has(code) || (text[i] === '-' && isSpace(text, i - 1) && isSpace(text, i + 1))) chunk++;
    i++;
  }
  return { text, words };
}

/** Words repeat across addresses ("phường", "hà", "nội"): remembering their ASCII form saves most of the Unicode work. */
const asciiCache = new Map<string, string>();

/** Forgets every word's ASCII form (see clearAddressCaches). */
export function clearWordCache(): void {
  asciiCache.clear();
}

function asciiOf(folded: string): string {
  let ascii = asciiCache.get(folded);
  if (ascii === undefined) {
    ascii = stripDiacritics(folded);
    if (asciiCache.size > 20_000) asciiCache.clear();
    asciiCache.set(folded, ascii);
  }
  return ascii;
}

function pushWord(words: Word[], raw: string, chunk: number, start: number): void {
  const folded = raw.toLowerCase();
  const ascii = asciiOf(folded);
  const glued = GLUED_UNIT.exec(ascii);
  if (glued && glued[1] !== undefined && glued[2] !== undefined) {
    const unitLength = glued[1].length;
    words.push({ ascii: glued[1], folded: folded.slice(0, unitLength), chunk, start, end: start + unitLength });
    words.push({ ascii: normalizeNumber(glued[2]), folded: glued[2], chunk, start: start + unitLength, end: start + raw.length });
    return;
  }
  words.push({ ascii: normalizeNumber(ascii), folded, chunk, start, end: start + raw.length });
}
