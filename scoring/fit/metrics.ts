/** How well a set of factors scores labelled examples: the numbers of the fit's before/after report. */
import { scoreFromEvidence } from '../reason.ts';
import type { Example } from './dataset.ts';
import { evidenceOf, meanLogLoss, probabilityOf } from './model.ts';

export interface ReliabilityBin {
  /** Predicted probability range [from, to). */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  /** Share of counterfeit examples in the bin. */
  observed: number;
}

export interface Metrics {
  examples: number;
  counterfeit: number;
  flagged: number;
  precision: number;
  recall: number;
  /** Share of counterfeit among the 50 best-ranked examples (by score, then evidence). */
  precisionAt50: number;
  /** Mean squared error of the probability (score / 100): lower is better calibrated. */
  brier: number;
  logLoss: number;
  /** Ten equal-width bins of predicted probability; empty bins are left out. */
  reliability: ReliabilityBin[];
}

const BINS = 10;

/** Metrics of `examples` scored with `factors` at the lead `threshold` (0–100). */
export function evaluate(examples: readonly Example[], factors: Float64Array, threshold: number): Metrics {
  const rows = examples.map((example, i) => {
    const evidence = evidenceOf(example, factors);
    return { i, label: example.label, evidence, score: scoreFromEvidence(evidence), p: probabilityOf(evidence) };
  });
  let counterfeit = 0;
  let flagged = 0;
  let truePositives = 0;
  let brier = 0;
  const bins = Array.from({ length: BINS }, () => ({ count: 0, predicted: 0, positives: 0 }));
  for (const row of rows) {
    counterfeit += row.label;
    const isFlagged = row.score >= threshold;
    if (isFlagged) flagged++;
    if (isFlagged && row.label === 1) truePositives++;
    brier += (row.p - row.label) ** 2;
    const bin = bins[Math.min(BINS - 1, Math.floor(row.p * BINS))]!;
    bin.count++;
    bin.predicted += row.p;
    bin.positives += row.label;
  }
  const ranked = rows.slice().sort((a, b) => b.score - a.score || b.evidence - a.evidence || a.i - b.i);
  const top = ranked.slice(0, 50);
  const n = rows.length;
  return {
    examples: n,
    counterfeit,
    flagged,
    precision: ratio(truePositives, flagged),
    recall: ratio(truePositives, counterfeit),
    precisionAt50: ratio(
      top.reduce((sum, row) => sum + row.label, 0),
      top.length,
    ),
    brier: ratio(brier, n),
    logLoss: meanLogLoss(examples, factors),
    reliability: bins.flatMap((bin, b) =>
      bin.count === 0
        ? []
        : [
            {
              from: b / BINS,
              to: (b + 1) / BINS,
              count: bin.count,
              meanPredicted: bin.predicted / bin.count,
              observed: bin.positives / bin.count,
            },
          ],
    ),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
