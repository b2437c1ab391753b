import type { BenchEntry } from './result.ts';

/** Human-friendly number: thousands separators, at most 3 significant decimals for small values. */
export function formatNumber(value: number | null): string {
  if (value === null) return '-';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: decimals });
}

function verdict(entry: BenchEntry): string {
  if (entry.error) return 'ERROR';
  if (!entry.target) return '';
  const { on, op, threshold } = entry.target;
  const mark = entry.target_met === true ? 'ok' : entry.target_met === false ? 'MISS' : '?';
  return `${mark} (${on} ${op} ${formatNumber(threshold)})`;
}

/** The table `npm run bench` prints: one row per entry, errors spelled out under the table. */
export function formatTable(entries: readonly BenchEntry[]): string {
  const header = ['name', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'target'];
  const rows = entries.map((entry) => [
    entry.name,
    entry.error ? 'error' : formatNumber(entry.value),
    entry.unit,
    entry.baseline_name ?? '-',
    formatNumber(entry.baseline_value),
    entry.ratio === null ? '-' : `${formatNumber(entry.ratio)}x`,
    verdict(entry),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  const errors = entries.filter((entry) => entry.error);
  if (errors.length > 0) {
    out.push('', 'Errors:');
    for (const entry of errors) out.push(`  ${entry.name}: ${entry.error}`);
  }
  return out.join('\n');
}
