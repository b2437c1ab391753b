import { formatInstant, type TimeFormatOptions } from '../core/time.ts';
import { displayText } from '../core/display.ts';
/** Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP CSV injection). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Prefixes a `'` to text a spreadsheet would otherwise run as a formula; the apostrophe shows the text is literal. */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

/** Options of {@link cellText}: how instants are shown. */
export type CellTextOptions = TimeFormatOptions;

/**
 * A value as plain text: instants as Asia/Ho_Chi_Minh wall-clock time with the offset (or UTC, see
 * src/core/time.ts), arrays and objects as JSON, null as empty.
 */
export function cellText(value: unknown, options: CellTextOptions = {}): string {
  return value instanceof Date ? formatInstant(value, options) : displayText(value);
}

function csvField(value: unknown, options: CellTextOptions = {}): string {
  // Numbers stay numbers (a negative weight is data, not a formula); only text is neutralised.
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : neutraliseFormula(cellText(value, options));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface CsvOptions extends CellTextOptions {
  /**
   * Start with a UTF-8 byte-order mark so Excel reads Vietnamese correctly.
   * @default true
   */
  bom?: boolean;
}

/** RFC 4180 CSV (CRLF line ends) with formula injection neutralised in every text cell. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[], options: CsvOptions = {}): string {
  const field = (value: unknown) => csvField(value, options);
  const lines = [columns.map(field).join(','), ...rows.map((row) => row.map(field).join(','))];
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

/** ASCII file-name slug: "Thành phố Hồ Chí Minh" → "thanh-pho-ho-chi-minh". */
export function slug(text: string): string {
  const ascii = text
    .replace(/[đĐ]/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii.slice(0, 60).replace(/-+$/, '') || 'unnamed';
}
