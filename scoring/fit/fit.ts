/**
 * `radar scoring fit`: chooses the regularisation by k-fold cross-validation, fits the factors on
 * the training part, and reports before (the active weights) and after (the fit) per fold and on a
 * held-out part no fit ever saw. Deterministic for a seed.
 */
import type { Example, FeatureSpace } from './dataset.ts';
import { evaluate, type Metrics } from './metrics.ts';
import { fitFactors, meanLogLoss } from './model.ts';
import { stratifiedSplit } from './split.ts';

/** Fewer labelled examples than this (verdicts plus labelled lines) and nothing is fitted. */
export const MIN_EXAMPLES = 200;

export interface FitSettings {
  /** @default 1 */
  seed?: number;
  /** @default 5 */
  folds?: number;
  /** Share of each class held out. @default 0.2 */
  heldOutShare?: number;
  /** Candidate L2 penalties; cross-validation picks one. @default [0.01, 0.03, 0.1, 0.3, 1] */
  lambdas?: readonly number[];
  /** Lead threshold for precision and recall. @default 70 */
  threshold?: number;
  /**
   * Scored listings nobody judged (their labels are ignored). Verdicts exist only for leads, so the
   * data never shows what a factor does to listings nobody reviewed: a penalty is accepted only if its
   * fit flags at most `maxNewFlagShare` more of these than the current weights do.
   */
  unreviewed?: readonly Example[];
  /** @default 0.05 */
  maxNewFlagShare?: number;
}

export interface FactorRow {
  code: string;
  before: number;
  after: number;
  /** Training examples carrying the code. */
  examples: number;
}

export interface FitReport {
  seed: number;
  folds: number;
  threshold: number;
  data: { examples: number; verdicts: number; labelled: number; counterfeit: number; clean: number; training: number; heldOut: number };
  /** Mean validation log loss per candidate penalty, and how many unreviewed listings its fit flags (null: not checked). */
  crossValidation: { lambda: number; logLoss: number; unreviewedFlagged: number | null }[];
  /** The penalty chosen: the lowest loss whose fit keeps within the unreviewed-flag limit (else the largest). */
  lambda: number;
  /** Unreviewed listings flagged by the current weights and by the chosen fit (null when none were given). */
  unreviewed: { listings: number; flaggedBefore: number; flaggedAfter: number; limit: number } | null;
  perFold: { fold: number; before: Metrics; after: Metrics }[];
  heldOut: { before: Metrics; after: Metrics };
  factors: FactorRow[];
}

export interface FitOutcome {
  /** Code → fitted factor (codes seen in the data). */
  multipliers: Record<string, number>;
  report: FitReport;
}

/**
 * Fits factors for `space`'s codes. `current` holds the active weights' factors by feature (the
 * "before"). Throws when there are fewer than MIN_EXAMPLES examples or only one class.
 */
export function fitWeights(
  examples: readonly Example[],
  space: FeatureSpace,
  current: Float64Array,
  settings: FitSettings = {},
): FitOutcome {
  const seed = settings.seed ?? 1;
  const k = settings.folds ?? 5;
  const threshold = settings.threshold ?? 70;
  const lambdas = settings.lambdas ?? [0.01, 0.03, 0.1, 0.3, 1];
  if (examples.length < MIN_EXAMPLES)
    throw new Error(`only ${examples.length} labelled listing(s); fitting needs at least ${MIN_EXAMPLES}`);
  const labels = examples.map((e) => e.label);
  const split = stratifiedSplit(labels, { seed, k, heldOutShare: settings.heldOutShare ?? 0.2 });
  const pick = (indices: readonly number[]) => indices.map((i) => examples[i]!);
  const dims = space.codes.length;
  const training = pick(split.training);
  const heldOut = pick(split.heldOut);

  // Cross-validation: each fold validated on a model fitted on the others.
  const foldModels = new Map<number, Float64Array[]>();
  const crossValidation = lambdas.map((lambda) => {
    const models: Float64Array[] = [];
    let loss = 0;
    split.folds.forEach((fold, f) => {
      const inFold = new Set(fold);
      const model = fitFactors(
        split.training.filter((i) => !inFold.has(i)).map((i) => examples[i]!),
        dims,
        { lambda },
      );
      models.push(model);
      loss += meanLogLoss(pick(split.folds[f]!), model);
    });
    foldModels.set(lambda, models);
    return { lambda, logLoss: loss / k };
  });
  // Lowest validation loss first; among candidates, the first whose fit keeps unreviewed flags in bounds.
  const unreviewed = settings.unreviewed ?? [];
  const flaggedBefore = unreviewed.length > 0 ? evaluate(unreviewed, current, threshold).flagged : 0;
  const limit = Math.floor(flaggedBefore * (1 + (settings.maxNewFlagShare ?? 0.05))) + 1;
  const fits = new Map<number, Float64Array>();
  const order = crossValidation.slice().sort((a, b) => a.logLoss - b.logLoss || a.lambda - b.lambda);
  let best = crossValidation.reduce((a, b) => (b.lambda > a.lambda ? b : a));
  const rows = crossValidation.map((row) => ({ ...row, unreviewedFlagged: null as number | null }));
  for (const candidate of order) {
    const model = fitFactors(training, dims, { lambda: candidate.lambda });
    fits.set(candidate.lambda, model);
    if (unreviewed.length === 0) {
      best = candidate;
      break;
    }
    const flagged = evaluate(unreviewed, model, threshold).flagged;
    rows.find((r) => r.lambda === candidate.lambda)!.unreviewedFlagged = flagged;
    if (flagged <= limit) {
      best = candidate;
      break;
    }
  }
  const perFold = split.folds.map((fold, f) => ({
    fold: f + 1,
    before: evaluate(pick(fold), current, threshold),
    after: evaluate(pick(fold), foldModels.get(best.lambda)![f]!, threshold),
  }));

  const fitted = fits.get(best.lambda) ?? fitFactors(training, dims, { lambda: best.lambda });
  const carrying = new Int32Array(dims);
  for (const example of training) for (const f of example.features) carrying[f]!++;
  const multipliers: Record<string, number> = {};
  const factors: FactorRow[] = [];
  space.codes.forEach((code, c) => {
    // Four decimals: readable files, and the version digest does not hang on float noise.
    const after = Math.round(fitted[c]! * 1e4) / 1e4;
    multipliers[code] = after;
    factors.push({ code, before: current[c]!, after, examples: carrying[c]! });
  });
  factors.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.code < b.code ? -1 : 1));
  const rounded = space.factorsOf(multipliers);
  const counterfeit = labels.filter((l) => l === 1).length;
  return {
    multipliers,
    report: {
      seed,
      folds: k,
      threshold,
      data: {
        examples: examples.length,
        verdicts: examples.filter((e) => e.source === 'verdict').length,
        labelled: examples.filter((e) => e.source === 'label').length,
        counterfeit,
        clean: examples.length - counterfeit,
        training: training.length,
        heldOut: heldOut.length,
      },
      crossValidation: rows,
      lambda: best.lambda,
      unreviewed:
        unreviewed.length > 0
          ? { listings: unreviewed.length, flaggedBefore, flaggedAfter: evaluate(unreviewed, rounded, threshold).flagged, limit }
          : null,
      perFold,
      heldOut: { before: evaluate(heldOut, current, threshold), after: evaluate(heldOut, rounded, threshold) },
      factors,
    },
  };
}
