/** The fit's before/after report as text (the JSON form is `FitReport` itself). */
import type { FitReport } from './fit.ts';
import type { Metrics } from './metrics.ts';

const f3 = (x: number) => x.toFixed(3);

function metricLine(label: string, m: Metrics): string {
  return `${label.padEnd(8)} n=${String(m.examples).padStart(4)}  precision ${f3(m.precision)}  recall ${f3(m.recall)}  p@50 ${f3(m.precisionAt50)}  brier ${f3(m.brier)}  logloss ${f3(m.logLoss)}  flagged ${m.flagged}`;
}

/** Human-readable report: data, cross-validation, per fold, held-out (with reliability), factors. */
export function formatFitReport(
  report: FitReport,
  header: {
    version: string;
    before: string;
    /** The file written (null: none); leave out to say nothing about it. */ file?: string | null;
  },
): string {
  const d = report.data;
  const lines = [
    `fitted ${header.version} (before: ${header.before}) from ${d.examples} labelled listings: ${d.verdicts} verdict(s), ${d.labelled} labelled line(s); ${d.counterfeit} counterfeit, ${d.clean} clean`,
    `seed ${report.seed}, ${report.folds}-fold cross-validation on ${d.training}, held out ${d.heldOut}; threshold ${report.threshold}`,
    `regularisation: ${report.crossValidation.map((c) => `λ=${c.lambda} logloss ${f3(c.logLoss)}${typeof c.unreviewedFlagged === 'number' ? ` (${c.unreviewedFlagged} unreviewed flagged)` : ''}`).join(', ')} → λ=${report.lambda}`,
    ...(report.unreviewed
      ? [
          `unreviewed listings: ${report.unreviewed.listings}, flagged ${report.unreviewed.flaggedBefore} now → ${report.unreviewed.flaggedAfter} (limit ${report.unreviewed.limit})`,
        ]
      : []),
    '',
    'per fold (validation part, fitted on the other folds):',
  ];
  for (const fold of report.perFold)
    lines.push(`  fold ${fold.fold}`, `    ${metricLine('before', fold.before)}`, `    ${metricLine('after', fold.after)}`);
  lines.push(
    '',
    'held out (never fitted on):',
    `  ${metricLine('before', report.heldOut.before)}`,
    `  ${metricLine('after', report.heldOut.after)}`,
    '',
    'reliability on held out (predicted → observed, count):',
  );
  for (const [label, m] of [
    ['before', report.heldOut.before],
    ['after', report.heldOut.after],
  ] as const) {
    lines.push(
      `  ${label.padEnd(7)} ${m.reliability.map((b) => `[${b.from.toFixed(1)},${b.to.toFixed(1)}) ${f3(b.meanPredicted)}→${f3(b.observed)} n=${b.count}`).join('  ')}`,
    );
  }
  lines.push('', 'factors on the built-in weights (largest change first):');
  for (const row of report.factors)
    lines.push(`  ${row.code.padEnd(32)} ${row.before.toFixed(3)} → ${row.after.toFixed(3)}  (${row.examples} training example(s))`);
  if (header.file !== undefined)
    lines.push(
      '',
      header.file ? `wrote ${header.file}; not active: \`radar scoring use ${header.version}\` switches scoring to it` : 'nothing written',
    );
  return `${lines.join('\n')}\n`;
}

/** Whether a weights file's `report` has the shape `fitWeights` writes (files are hand-editable). */
export function isFitReport(value: unknown): value is FitReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const heldOut = r.heldOut as Record<string, unknown> | undefined;
  return (
    Array.isArray(r.perFold) &&
    Array.isArray(r.factors) &&
    Array.isArray(r.crossValidation) &&
    typeof r.data === 'object' &&
    typeof heldOut?.before === 'object' &&
    typeof heldOut?.after === 'object'
  );
}
