/**
 * Text normalisation shared by the dataset loader and the address parser. Keys are lower-case ASCII
 * without diacritics, so "Phường Bến Thành", "PHUONG BEN THANH" and NFD input all meet on "ben thanh".
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** NFC, lower case, and "đ" mapped by hand (NFD does not decompose it). Keeps Vietnamese diacritics. */
export function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** Lower-case ASCII without diacritics; "đ"→"d" is explicit because NFD leaves it alone. */
export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** Ward/district numbers are written "Phường 01" or "P.1": compare them without leading zeros. */
export function normalizeNumber(token: string): string {
  return /^\d+$/.test(token) ? String(Number(token)) : token;
}

/** Key of an administrative name: ASCII words, numbers without leading zeros, single spaces. */
export function nameKey(text: string): string {
  return stripDiacritics(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '')
    .map(normalizeNumber)
    .join(' ');
}

const ADMIN_PREFIXES: readonly string[] = ['thành phố', 'tỉnh', 'quận', 'huyện', 'thị xã', 'phường', 'xã', 'thị trấn', 'đặc khu'];

/** "Phường Bến Thành" → { unit: "phường", bare: "Bến Thành" }; names are official, so the prefix list is closed. */
export function splitOfficialName(name: string): { unit: string; bare: string } {
  const folded = foldCase(name).trim();
  for (const prefix of ADMIN_PREFIXES) {
    if (folded.startsWith(`${prefix} `))
      return {
        unit: prefix,
        bare: name
          .trim()
          .slice(prefix.length + 1)
          .trim(),
      };
  }
  return { unit: '', bare: name.trim() };
}
