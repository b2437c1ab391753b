import { cellText } from './format.ts';

/**
 * CSV formula-injection rule. A spreadsheet runs a cell as a formula when it begins with one of
 * these, in ASCII or full width (Excel folds ＝ to =).
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/**
 * Where a cell may begin: the start of the text, or right after any common list separator
 * (`,` in most locales, `;` where the decimal mark is a comma, as in Vietnamese Excel and
 * LibreOffice, tab) or a line break (a reader that ignores quotes). Spaces in between do not help.
 */
const SEPARATORS = new Set([';', ',', '\t', '\r', '\n']);
const SPACES = new Set([' ', '\u00A0']);

/** Puts `'` before every trigger character that could begin a cell, whatever the separator. */
export function neutraliseCsvText(text: string): string {
  let out = '';
  let cellStart = true;
  for (const char of text) {
    if (cellStart && TRIGGERS.has(char)) out += "'";
    out += char;
    // A tab or CR is both a trigger and a separator: the next cell starts right after it.
    if (SEPARATORS.has(char)) cellStart = true;
    else if (!SPACES.has(char)) cellStart = false;
  }
  return out;
}

/** One CSV field: numbers as they are, text neutralised, and quoted when it holds any separator. */
export function safeCsvField(value: unknown): string {
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : neutraliseCsvText(cellText(value));
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV (CRLF line ends, UTF-8 BOM for Excel) that no spreadsheet reads a formula from. */
export function toSafeCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [columns.map(safeCsvField).join(','), ...rows.map((row) => row.map(safeCsvField).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
