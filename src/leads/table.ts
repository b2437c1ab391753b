/**
 * Plain-text tables for terminals. A table fits the terminal's width by narrowing its widest columns
 * first; `full` shows every value whole (URLs are never cut there).
 */
import type { TimeFormatOptions } from '../core/time.ts';
import { cellText } from './format.ts';

/** Display width that treats combining marks as zero width, so Vietnamese columns line up. */
export function displayWidth(text: string): number {
  return text.normalize('NFC').replace(/\p{M}/gu, '').length;
}

/** `text` padded or cut (with "…") to exactly `width` display columns. */
export function fitCell(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  const shown = displayWidth(flat);
  if (shown <= width) return flat + ' '.repeat(width - shown);
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  // Whole grapheme-ish units: a base letter with its combining marks stays together.
  for (const unit of flat.normalize('NFC').match(/\P{M}\p{M}*|\p{M}+/gu) ?? []) {
    if (used + 1 > width - 1) break;
    out += unit;
    used++;
  }
  return `${out}…${' '.repeat(Math.max(0, width - used - 1))}`;
}

export interface TableOptions extends TimeFormatOptions {
  /**
   * Total width to fit in (the terminal's columns); wider tables narrow their widest columns first.
   * Without it, every column is cut at `maxColumnWidth`.
   */
  width?: number;
  /**
   * Widest a column may get when no `width` is given.
   * @default 48
   */
  maxColumnWidth?: number;
  /** Show every value whole: no width limit at all. Without it, `width` or `maxColumnWidth` applies. */
  full?: boolean;
}

/** Columns narrower than this are never narrowed further to fit (their header stays readable). */
const MIN_COLUMN = 8;
const GAP = 2;

/** Column widths: natural widths, each capped at the level that makes the total fit `width`. */
export function fitWidths(natural: readonly number[], headers: readonly number[], width: number, whole: readonly boolean[] = []): number[] {
  const gaps = GAP * Math.max(0, natural.length - 1);
  // Short columns, and columns that must stay whole (times), are never cut.
  const floor = natural.map((n, i) => (whole[i] ? n : Math.min(n, Math.max(MIN_COLUMN, Math.min(headers[i]!, 12)))));
  const total = (level: number) => natural.reduce((sum, n, i) => sum + Math.max(floor[i]!, Math.min(n, level)), 0) + gaps;
  if (total(Math.max(0, ...natural)) <= width) return [...natural];
  // The highest cap that fits; below the floors the table is as narrow as it gets (and may wrap).
  let lo = 0;
  let hi = Math.max(0, ...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= width) lo = mid;
    else hi = mid - 1;
  }
  const widths = natural.map((n, i) => Math.max(floor[i]!, Math.min(n, lo)));
  // Hand out what the cap left unused, left to right, to columns that were cut.
  let spare = width - widths.reduce((a, b) => a + b, 0) - gaps;
  for (let i = 0; i < widths.length && spare > 0; i++) {
    const add = Math.min(spare, natural[i]! - widths[i]!);
    if (add > 0) {
      widths[i]! += add;
      spare -= add;
    }
  }
  return widths;
}

/** A plain-text table: header, rule, one line per row. */
export function renderTable(columns: readonly string[], rows: readonly (readonly unknown[])[], options: TableOptions = {}): string {
  const texts = rows.map((row) => columns.map((_, i) => cellText(row[i], options).replace(/\s+/g, ' ')));
  const natural = columns.map((column, i) => Math.max(displayWidth(column), ...texts.map((row) => displayWidth(row[i]!))));
  let widths: number[];
  if (options.full) widths = natural;
  else if (options.width !== undefined) {
    const times = columns.map(
      (_, i) => rows.length > 0 && rows.every((row) => row[i] === null || row[i] === undefined || row[i] instanceof Date),
    );
    widths = fitWidths(natural, columns.map(displayWidth), options.width, times);
  } else widths = natural.map((n) => Math.min(n, options.maxColumnWidth ?? 48));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => fitCell(cell, widths[i]!))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [line(columns), widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP)), ...texts.map(line)].join('\n') + '\n';
}

/**
 * The width tables should fit: the terminal's columns when stdout is one.
 * @default 120 when stdout is not a terminal
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : 120;
}

/** `text` (as NFC) wrapped at word boundaries into lines of at most `width` display columns (long words split). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.normalize('NFC').replace(/\s+/g, ' ').trim().split(' ')) {
    if (word === '') continue;
    let rest = word;
    while (displayWidth(rest) > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      const units = rest.normalize('NFC').match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];
      out.push(units.slice(0, width).join(''));
      rest = units.slice(width).join('');
    }
    if (rest === '') continue;
    if (line === '') line = rest;
    else if (displayWidth(line) + 1 + displayWidth(rest) <= width) line += ` ${rest}`;
    else {
      out.push(line);
      line = rest;
    }
  }
  if (line) out.push(line);
  return out;
}
