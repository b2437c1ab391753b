/**
 * Addresses as people type them, repaired before parsing: glued words ("TỉnhThái Nguyên",
 * "TP.HồChíMinh", "XBằng Lang") are split at their capitals, and a province written as an initial
 * and the rest of its name ("T.Giang", "B.Dương", "H.Giang") is expanded when only one province
 * fits; when several do, the caller is told which, so it can say `ambiguous` instead of guessing.
 */
import { adminIndex } from './dataset.ts';
import { splitOfficialName, stripDiacritics } from './normalize.ts';

/** A lower-case letter then a capital ("TỉnhThái", "HồChí"), or two capitals then a lower-case one ("TBình", "TPHồ"). */
const GLUED = /(\p{Ll})(\p{Lu})|(\p{Lu})(\p{Lu}\p{Ll})/gu;
const HAS_UPPER_AFTER_LETTER = /\p{L}\p{Lu}/u;

/** Typos of "Thành phố" that would otherwise read as a street ("phố Huế" is a ward of Hà Nội). */
const CITY_TYPO = /(?<!\p{L})(?:th[àa]nh|th[àa]ng)\s+ph[ôồổ](?!\p{L})/giu;

/** Repairs unit-word typos that change the reading; other typos the parser tolerates. */
export function repairUnitTypos(text: string): string {
  // Nearly every address has none: look for the vowel before running the regex.
  if (
    text.indexOf('ô') < 0 &&
    text.indexOf('ồ') < 0 &&
    text.indexOf('ổ') < 0 &&
    text.indexOf('Ô') < 0 &&
    text.indexOf('Ồ') < 0 &&
    text.indexOf('Ổ') < 0
  )
    return text;
  return text.replace(CITY_TYPO, 'Thành phố');
}

/** Splits glued words at their capitals; text without such a place comes back as it is. */
export function deglue(text: string): string {
  if (!HAS_UPPER_AFTER_LETTER.test(text)) return text;
  return text.replace(
    GLUED,
    (_m, lower: string | undefined, upper: string | undefined, upper1: string | undefined, rest: string | undefined) =>
      lower !== undefined ? `${lower} ${upper}` : `${upper1} ${rest}`,
  );
}

interface InitialEntry {
  /** Full province name to write instead ("Tiền Giang"). */
  name: string;
  /** 2025 province code it belongs to. */
  newCode: number;
}

let initials: Map<string, InitialEntry[]> | undefined;

/** "t|giang" → Tiền Giang; "h|giang" → Hà Giang, Hậu Giang: built once from the official province names. */
function initialIndex(): Map<string, InitialEntry[]> {
  if (initials) return initials;
  const index = adminIndex();
  const out = new Map<string, InitialEntry[]>();
  const add = (official: string, newCode: number) => {
    const bare = splitOfficialName(official).bare;
    const words = bare.split(/\s+/);
    if (words.length < 2) return;
    const key = `${stripDiacritics(words[0]!)[0]}|${stripDiacritics(words.slice(1).join(' '))}`;
    const list = out.get(key) ?? [];
    if (!list.some((entry) => entry.newCode === newCode && entry.name === bare)) list.push({ name: bare, newCode });
    out.set(key, list);
  };
  for (const province of index.provinces.values()) add(province.name, province.code);
  for (const old of index.oldProvinces.values()) add(old.name, old.newCode);
  initials = out;
  return out;
}

/** The rest after the initial: letters and spaces only ("Giang", "Bình Dương"). */
const NAME_REST = /^[\p{L} ]+$/u;
const TRAILING = /[\s.]+$/;

export interface InitialExpansion {
  text: string;
  /** 2025 province codes the initial could stand for, when more than one. */
  ambiguous: number[];
}

/**
 * Expands a province written as an initial at the end of the address. "T.Bình Dương" is "Tỉnh
 * Bình Dương" (the rest is itself a province) and "P.Bến Thành" a ward: both stay as written.
 */
export function expandInitialedProvince(text: string): InitialExpansion {
  // Addresses are resolved once each, but there are many: find the last "X." by hand, no regex scan.
  const trimmed = TRAILING.test(text) ? text.replace(TRAILING, '') : text;
  const dot = trimmed.lastIndexOf('.');
  if (dot < 1 || dot >= trimmed.length - 1) return { text, ambiguous: [] };
  const letter = trimmed.charAt(dot - 1);
  const before = dot >= 2 ? trimmed.charAt(dot - 2) : ' ';
  if (!/[A-Za-zĐđ]/.test(letter) || !(before === ' ' || before === ',' || before === ';' || before === '-')) return { text, ambiguous: [] };
  const rest = trimmed.slice(dot + 1).trim();
  if (rest.length === 0 || rest.length > 40 || !NAME_REST.test(rest)) return { text, ambiguous: [] };
  const restKey = stripDiacritics(rest);
  if (isProvinceName(restKey)) return { text, ambiguous: [] };
  const candidates = initialIndex().get(`${stripDiacritics(letter)}|${restKey}`);
  if (!candidates || candidates.length === 0) return { text, ambiguous: [] };
  const head = trimmed.slice(0, dot - 1);
  const codes = [...new Set(candidates.map((c) => c.newCode))];
  if (codes.length > 1) return { text: head, ambiguous: codes };
  return { text: `${head}${candidates[0]!.name}`, ambiguous: [] };
}

let provinceKeys: Set<string> | undefined;
function isProvinceName(key: string): boolean {
  if (!provinceKeys) {
    provinceKeys = new Set();
    const index = adminIndex();
    for (const p of index.provinces.values()) provinceKeys.add(stripDiacritics(splitOfficialName(p.name).bare));
    for (const p of index.oldProvinces.values()) provinceKeys.add(stripDiacritics(splitOfficialName(p.name).bare));
  }
  return provinceKeys.has(key);
}
