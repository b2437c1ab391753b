import type { BenchEntry } from './result.ts';
import { formatNumber } from './table.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The results as a Markdown table, for bench/README.md's "Latest numbers". */
export function formatMarkdown(entries: readonly BenchEntry[]): string {
  const rows = entries.map((entry) => {
    const verdict = entry.error
      ? `error: ${entry.error}`
      : entry.target
        ? `${entry.target_met ? 'met' : 'missed'} (${entry.target.on} ${entry.target.op} ${formatNumber(entry.target.threshold)})`
        : '';
    return [
      entry.name,
      entry.error ? '—' : `${formatNumber(entry.value)} ${entry.unit}`,
      entry.baseline_name ? `${formatNumber(entry.baseline_value)} (${entry.baseline_name})` : '—',
      entry.ratio === null ? '—' : `${formatNumber(entry.ratio)}×`,
      verdict,
      entry.note ?? '',
    ].map(cell);
  });
  const header = ['entry', 'value', 'baseline', 'ratio', 'target', 'note'];
  const machine = entries[0]?.machine;
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  if (machine) {
    lines.push(
      '',
      `Machine: ${machine.cpus} × ${machine.model}, ${formatNumber(machine.memory_mb)} MB, Node ${machine.node}, ${machine.os}; load average ${machine.load_avg_1m} at the start.`,
    );
  }
  return lines.join('\n');
}
