/**
 * Pack counts and pack sizes in folded titles: "combo 3 hop", "thung 24 lon", "set 2 chai",
 * "900g", "0.8l", "500 ml". Prices of packs are compared per unit, and sizes pro rata.
 */

/** Words that introduce a count of units: "combo 3", "thùng 24", "lốc 4", "set 2", "bộ 3", "pack 6". */
const PACK_WORDS = new Set(['combo', 'thung', 'loc', 'set', 'pack', 'bo', 'cb']);
/** Unit words after a count: "3 hộp", "24 lon", "2 chai", "3 bịch", "5 cây". */
const UNIT_WORDS = new Set(['hop', 'chai', 'lon', 'tuyp', 'bich', 'goi', 'cay', 'binh', 'can', 'hu', 'loc', 'thung']);
const MAX_UNITS = 100;

/**
 * Units a listing sells in one price: "combo 3 hộp" → 3, "thùng 12 chai" → 12, else 1. A count
 * that is part of the matched reference keyword ("cây 10 gói" when the row prices a carton) is
 * not a pack count.
 */
export function packUnits(tokens: readonly string[], matchedKeyword: string | null): number {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const word = tokens[i]!;
    if (!PACK_WORDS.has(word)) continue;
    const count = smallCount(tokens[i + 1]!);
    if (count < 2) continue;
    const unit = tokens[i + 2];
    if (matchedKeyword !== null && unit !== undefined && matchedKeyword.includes(`${tokens[i + 1]} ${unit}`)) continue;
    return count;
  }
  // "3 hộp", "2 lon" only after a pack word was not found, and only with a unit word the row does not price.
  for (let i = 0; i + 1 < tokens.length; i++) {
    const count = smallCount(tokens[i]!);
    if (count < 2) continue;
    const unit = tokens[i + 1]!;
    if (!UNIT_WORDS.has(unit)) continue;
    // "12.12 hộp" is a sale date, not twelve boxes.
    if (i > 0 && smallCount(tokens[i - 1]!) > 0) continue;
    if (i > 0 && (tokens[i - 1] === 'hop' || tokens[i - 1] === 'cay' || tokens[i - 1] === 'bich' || tokens[i - 1] === 'thung')) continue;
    if (matchedKeyword !== null && matchedKeyword.includes(`${tokens[i]} ${unit}`)) continue;
    if (i > 0 && (tokens[i - 1] === 'x' || tokens[i - 1] === 'combo')) return count;
    if (i === 0 || !UNIT_WORDS.has(tokens[i - 1]!)) return count;
  }
  return 1;
}

function smallCount(token: string): number {
  if (token.length === 0 || token.length > 3) return 0;
  let n = 0;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 48 || code > 57) return 0;
    n = n * 10 + (code - 48);
  }
  return n <= MAX_UNITS ? n : 0;
}

const SIZE = /(?<![a-z0-9.,])(\d{1,5}(?:[.,]\d{1,3})?) ?(ml|l|lit|g|gr|kg)(?![a-z0-9])/g;

/** The first pack size in a folded title, in ml or g ("900g" → 900 g, "0.8l" → 800 ml), or null. */
export function packSize(folded: string): { amount: number; unit: 'ml' | 'g' } | null {
  SIZE.lastIndex = 0;
  const m = SIZE.exec(folded);
  if (!m) return null;
  const value = Number(m[1]!.replace(',', '.'));
  if (!(value > 0)) return null;
  const unit = m[2]!;
  if (unit === 'l' || unit === 'lit') return { amount: value * 1000, unit: 'ml' };
  if (unit === 'kg') return { amount: value * 1000, unit: 'g' };
  return { amount: value, unit: unit === 'ml' ? 'ml' : 'g' };
}
