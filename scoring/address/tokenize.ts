/**
 * Splits free-text addresses into words and chunks. Commas, semicolons, brackets, line breaks and
 * spaced dashes end a chunk; an administrative name never spans two chunks. Dots only separate
 * words, so "P.12", "Tp.HCM" and "Q.Bình Thạnh" split like "P 12", "Tp HCM", "Q Bình Thạnh".
 */
import { foldCase, normalizeNumber, stripDiacritics } from './normalize.ts';

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
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:[/-][\p{L}\p{M}\p{N}]+)*|[,;|()[\]{}\n\r–—•]|\s-\s/gu;
/** "Q1", "P12", "F7", "Q.10" glued to their number. */
const GLUED_UNIT = /^(p|f|q|x|h|ph|tx|tt)(\d+)$/;

export function tokenize(input: string): Tokens {
  const text = input.normalize('NFC').replace(ZERO_WIDTH, '');
  const words: Word[] = [];
  let chunk = 0;
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const at = match.index;
    if (!/[\p{L}\p{N}]/u.test(raw)) {
      chunk++;
      continue;
    }
    // "Rịa-Vũng" is two words; "12-14" and "12/3A" are one house number.
    const parts = /\d/.test(raw) ? [raw] : raw.split(/[-/]/);
    let offset = at;
    for (const part of parts) {
      if (part !== '') pushWord(words, part, chunk, offset);
      offset += part.length + 1;
    }
  }
  return { text, words };
}

function pushWord(words: Word[], raw: string, chunk: number, start: number): void {
  const folded = foldCase(raw);
  const ascii = stripDiacritics(folded);
  const glued = GLUED_UNIT.exec(ascii);
  if (glued && glued[1] !== undefined && glued[2] !== undefined) {
    const unitLength = glued[1].length;
    words.push({ ascii: glued[1], folded: folded.slice(0, unitLength), chunk, start, end: start + unitLength });
    words.push({ ascii: normalizeNumber(glued[2]), folded: glued[2], chunk, start: start + unitLength, end: start + raw.length });
    return;
  }
  words.push({ ascii: normalizeNumber(ascii), folded, chunk, start, end: start + raw.length });
}
