/** Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP CSV injection). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Prefixes a `'` to text a spreadsheet would otherwise run as a formula; the apostrophe shows the text is literal. */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

/** A value as plain text: dates in ISO 8601 UTC, arrays and objects as JSON, null as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return JSON.stringify(value);
}

function csvField(value: unknown): string {
  // Numbers stay numbers (a negative weight is data, not a formula); only text is neutralised.
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : neutraliseFormula(cellText(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark so Excel reads Vietnamese correctly (default true). */
  bom?: boolean;
}

/** RFC 4180 CSV (CRLF line ends) with formula injection neutralised in every text cell. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[], options: CsvOptions = {}): string {
  const lines = [columns.map(csvField).join(','), ...rows.map((row) => row.map(csvField).join(','))];
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

/** Display width that treats combining marks as zero width, so Vietnamese columns line up. */
function displayWidth(text: string): number {
  return text.normalize('NFC').replace(/\p{M}/gu, '').length;
}

function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  if (displayWidth(flat) <= width) return flat + ' '.repeat(width - displayWidth(flat));
  return `${[...flat.normalize('NFC')].slice(0, Math.max(0, width - 1)).join('')}…`;
}

export interface TableOptions {
  /** Widest a column may get before text is cut with "…" (default 48). */
  maxColumnWidth?: number;
}

/** A plain-text table for terminals: header, rule, one line per row. */
export function renderTable(columns: readonly string[], rows: readonly (readonly unknown[])[], options: TableOptions = {}): string {
  const max = options.maxColumnWidth ?? 48;
  const texts = rows.map((row) => row.map((value) => cellText(value).replace(/\s+/g, ' ')));
  const widths = columns.map((column, i) =>
    Math.min(max, Math.max(displayWidth(column), ...texts.map((row) => displayWidth(row[i] ?? '')))),
  );
  const line = (cells: readonly string[]) => cells.map((cell, i) => fit(cell, widths[i]!)).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '─'.repeat(w)).join('  '), ...texts.map(line)].join('\n') + '\n';
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
