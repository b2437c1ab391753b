/** Text helpers shared by the generator and the query matcher. */

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/gu;

/** Lowercase, NFC, no diacritics ("đ" mapped by hand: NFD does not decompose it), no zero-width characters. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .replace(ZERO_WIDTH, '')
    .toLowerCase();
}

/** Removes diacritics but keeps case, as sellers typing on phones without a Vietnamese keyboard do. */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/gu, '')
    .replace(/đ/gu, 'd')
    .replace(/Đ/gu, 'D')
    .normalize('NFC');
}

/** URL slug: "Giày Nike Air Force 1" → "giay-nike-air-force-1". */
export function slugify(text: string): string {
  return (
    fold(text)
      .replace(/[^a-z0-9]+/gu, '-')
      .replace(/^-+|-+$/gu, '')
      .slice(0, 80) || 'item'
  );
}

/** "1250000" → "1.250.000". */
export function formatVnd(value: number): string {
  const digits = String(Math.round(value));
  // Every rendered price goes through here; plain string slicing is several times cheaper than the regex.
  if (!/^-?\d+$/u.test(digits)) return digits.replace(/\B(?=(\d{3})+(?!\d))/gu, '.');
  const sign = digits.startsWith('-') ? 1 : 0;
  let out = digits.slice(0, sign + ((digits.length - sign - 1) % 3) + 1);
  for (let at = out.length; at < digits.length; at += 3) out += `.${digits.slice(at, at + 3)}`;
  return out;
}

/** "1234" → "1.2K" as Lazada and Shopee show sales. */
export function compactCount(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(1).replace(/\.0$/u, '')}K`;
  return String(value);
}

const HAS_HTML_SPECIAL = /[&<>"]/u;
const HTML_SPECIAL = /[&<>"]/gu;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(text: string): string {
  // Most titles have nothing to escape: one scan, and no new string, instead of four replace passes.
  return HAS_HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIAL, (char) => HTML_ENTITY[char]!) : text;
}

/** JSON for embedding inside a <script> element: no "</script>" breakout. */
export function scriptJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('<') ? json.replace(/</gu, '\\u003c') : json;
}
