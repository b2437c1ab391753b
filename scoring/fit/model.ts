/**
 * The model behind fitted weights: the scorer's own. A listing's evidence is the sum of its reasons'
 * points, each reason code's points times a factor m_c, and its probability of being counterfeit is
 * the noisy-OR the score already is: p = 1 − e^(−E/s) (scoreFromEvidence, scoring/reason.ts). The
 * factors are fitted by maximum likelihood (log loss) with an L2 penalty pulling each factor towards
 * 1 (the built-in weights): a regularised binary regression with the scorer's link instead of the
 * logistic one, so the fitted factors are used as they are, the lead threshold keeps its meaning and
 * the score stays a calibrated probability. The loss is convex in the factors; projected gradient
 * descent with backtracking keeps them in [min, max] and is deterministic.
 */
import { EVIDENCE_SCALE } from '../reason.ts';
import type { Example } from './dataset.ts';

/** Probabilities are kept this far from 0 and 1, so one confident mistake does not dominate the loss. */
const EPSILON = 1e-9;
const MAX_U = -Math.log(EPSILON);

export interface FitOptions {
  /** L2 penalty on (factor − 1), per factor. */
  lambda: number;
  /** @default 0.05 (a fitted signal keeps at least 5% of its weight, so a later fit can still see it) */
  minFactor?: number;
  /** @default 3 */
  maxFactor?: number;
  /** @default 400 */
  iterations?: number;
}

/** Evidence points of an example under `factors`. */
export function evidenceOf(example: Example, factors: Float64Array): number {
  let e = 0;
  for (let j = 0; j < example.features.length; j++) e += factors[example.features[j]!]! * example.points[j]!;
  return e;
}

/** The noisy-OR probability of `evidence` points (the score / 100, unrounded). */
export function probabilityOf(evidence: number): number {
  return evidence <= 0 ? 0 : -Math.expm1(-evidence / EVIDENCE_SCALE);
}

/** Log loss of one example at u = E/s, and its derivative in u. */
function lossAt(label: 0 | 1, u: number): { loss: number; slope: number } {
  if (label === 0) return u <= 0 ? { loss: 0, slope: 0 } : u >= MAX_U ? { loss: MAX_U, slope: 0 } : { loss: u, slope: 1 };
  const p = u <= 0 ? 0 : -Math.expm1(-u);
  if (p <= EPSILON) return { loss: MAX_U, slope: 0 };
  return { loss: -Math.log(p), slope: -1 / Math.expm1(u) };
}

/** Mean log loss of examples under factors (no penalty). */
export function meanLogLoss(examples: readonly Example[], factors: Float64Array): number {
  if (examples.length === 0) return 0;
  let total = 0;
  for (const example of examples) total += lossAt(example.label, evidenceOf(example, factors) / EVIDENCE_SCALE).loss;
  return total / examples.length;
}

function objective(examples: readonly Example[], factors: Float64Array, lambda: number, gradient: Float64Array | null): number {
  const n = examples.length;
  if (gradient) gradient.fill(0);
  let total = 0;
  for (const example of examples) {
    const { loss, slope } = lossAt(example.label, evidenceOf(example, factors) / EVIDENCE_SCALE);
    total += loss;
    if (gradient && slope !== 0)
      for (let j = 0; j < example.features.length; j++)
        gradient[example.features[j]!]! += (slope * example.points[j]!) / EVIDENCE_SCALE / n;
  }
  let penalty = 0;
  for (let c = 0; c < factors.length; c++) {
    const d = factors[c]! - 1;
    penalty += d * d;
    if (gradient) gradient[c]! += lambda * d;
  }
  return total / Math.max(1, n) + (lambda / 2) * penalty;
}

/** Fits a factor per feature on `examples` (features they never carry stay at 1). */
export function fitFactors(examples: readonly Example[], dimensions: number, options: FitOptions): Float64Array {
  const min = options.minFactor ?? 0.05;
  const max = options.maxFactor ?? 3;
  const iterations = options.iterations ?? 400;
  let factors = new Float64Array(dimensions).fill(1);
  const gradient = new Float64Array(dimensions);
  let value = objective(examples, factors, options.lambda, gradient);
  let step = 1;
  for (let iteration = 0; iteration < iterations; iteration++) {
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      const next = new Float64Array(dimensions);
      let linear = 0;
      let squared = 0;
      for (let c = 0; c < dimensions; c++) {
        const moved = Math.min(max, Math.max(min, factors[c]! - step * gradient[c]!));
        next[c] = moved;
        const d = moved - factors[c]!;
        linear += gradient[c]! * d;
        squared += d * d;
      }
      if (squared === 0) return factors;
      const nextValue = objective(examples, next, options.lambda, null);
      // Sufficient decrease for projected gradient steps (Armijo on the projected arc).
      if (nextValue <= value + linear + squared / (2 * step)) {
        factors = next;
        value = objective(examples, factors, options.lambda, gradient);
        accepted = true;
        if (Math.sqrt(squared) < 1e-7) return factors;
        step = Math.min(step * 2, 1e3);
        break;
      }
      step /= 2;
    }
    if (!accepted) break;
  }
  return factors;
}
