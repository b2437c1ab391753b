/**
 * Unit words that precede a name ("Phường", "P.", "Q", "TX.", "Tp") and street/hamlet words
 * ("đường", "số", "ngõ", "ấp", "thôn"). A word written with diacritics must match the accented
 * spelling — "Phúc Xá" is a ward name, not "xã"; a word written without any diacritics may be either.
 */
import type { Word } from './tokenize.ts';

export type MarkerType = 'ward' | 'district' | 'city' | 'province';

export interface Marker {
  type: MarkerType;
  /** ASCII of the unit as written: "p", "phuong", "thi xa"… */
  unit: string;
  /** Number of words the marker spans. */
  length: number;
}

/** ASCII form → [accented spelling (or null for abbreviations), type]. A Map: a word such as "constructor" must find nothing. */
const ONE_WORD = new Map<string, [string | null, MarkerType]>([
  ['p', [null, 'ward']],
  ['f', [null, 'ward']],
  ['ph', [null, 'ward']],
  ['phuong', ['phường', 'ward']],
  ['x', [null, 'ward']],
  ['xa', ['xã', 'ward']],
  ['tt', [null, 'ward']],
  ['q', [null, 'district']],
  ['quan', ['quận', 'district']],
  ['h', [null, 'district']],
  ['huyen', ['huyện', 'district']],
  ['tx', [null, 'district']],
  ['tp', [null, 'city']],
  ['t', [null, 'province']],
  ['tinh', ['tỉnh', 'province']],
]);

const TWO_WORD = new Map<string, [string, MarkerType]>([
  ['thanh pho', ['thành phố', 'city']],
  ['thi xa', ['thị xã', 'district']],
  ['thi tran', ['thị trấn', 'ward']],
  ['dac khu', ['đặc khu', 'ward']],
]);
/** Last words of two-word markers: most words are not, and then no pair is built. */
const TWO_WORD_ENDS = new Set([...TWO_WORD.keys()].map((pair) => pair.split(' ')[1]!));

/** The words, as written (lower case, with diacritics), spell the marker: accented, or bare ASCII. */
function spelledAs(folded: string, ascii: string, accented: string | null): boolean {
  if (accented !== null && folded === accented) return true;
  // Unaccented writing ("Phuong 12", "THANH PHO"): accept the bare ASCII form.
  return folded === ascii;
}

/** The unit marker whose last word is `last`, if those words spell one. */
export function markerEndingAt(words: readonly Word[], last: number): Marker | null {
  const end = words[last];
  if (!end) return null;
  const first = words[last - 1];
  if (first && first.chunk === end.chunk && TWO_WORD_ENDS.has(end.ascii)) {
    const ascii = `${first.ascii} ${end.ascii}`;
    const spec = TWO_WORD.get(ascii);
    if (spec && spelledAs(`${first.folded} ${end.folded}`, ascii, spec[0])) return { type: spec[1], unit: ascii, length: 2 };
  }
  const spec = ONE_WORD.get(end.ascii);
  if (spec && spelledAs(end.folded, end.ascii, spec[0])) return { type: spec[1], unit: end.ascii, length: 1 };
  return null;
}

/** The unit marker that ends right before word `index` in the same chunk, if any. */
export function markerBefore(words: readonly Word[], index: number): Marker | null {
  const target = words[index];
  const previous = words[index - 1];
  if (!target || !previous || previous.chunk !== target.chunk) return null;
  return markerEndingAt(words, index - 1);
}

const STREET_WORDS = new Set([
  'duong',
  'd',
  'so',
  'ngo',
  'hem',
  'kiet',
  'ngach',
  'pho',
  'ap',
  'thon',
  'xom',
  'to',
  'khu',
  'kp',
  'khom',
  'ban',
  'lo',
  'cum',
  'tdp',
  'toa',
  'nha',
  'can',
  'tang',
  'ktt',
  'kdc',
  'ccn',
  'kcn',
  'chung',
  'cu',
  'block',
  'duongso',
  'street',
  'st',
]);

/** A word that introduces a street, house number or hamlet: what follows is not a ward. */
export function isStreetWord(word: Word | undefined): boolean {
  if (!word) return false;
  return /\d/.test(word.ascii) || STREET_WORDS.has(word.ascii);
}
