/**
 * Which signal weights a scoring run uses: the built-in ones (SCORING_CONFIG, version
 * {@link BUILTIN_SCORING_VERSION}) or a fitted set of per-reason-code multipliers (`radar scoring fit`,
 * activated by `radar scoring use`). A run resolves them once, before it scores anything; the scorer
 * then only multiplies each reason's weight by its code's factor, and does nothing at all for the
 * built-in weights.
 */
import type { Reason } from '../src/core/domain/reasons.ts';

/** The version of the built-in weights: stored with every score computed with them. */
export const BUILTIN_SCORING_VERSION = 'v2.0.0';

/** A fitted weight set: a factor per reason code on the built-in weight (codes not listed keep theirs). */
export interface ScoringWeights {
  version: string;
  multipliers: Readonly<Record<string, number>>;
}

/**
 * The version stored with every score of this process's runs. A live binding: importers see the
 * version `useScoringWeights` set (score-file writes it on every line).
 */
export let SCORING_VERSION: string = BUILTIN_SCORING_VERSION;

let active: ReadonlyMap<string, number> | null = null;
let activeWeights: ScoringWeights | null = null;

/** Sets the weights every later scoring run of this process uses; null restores the built-in ones. */
export function useScoringWeights(weights: ScoringWeights | null): void {
  activeWeights = weights;
  SCORING_VERSION = weights?.version ?? BUILTIN_SCORING_VERSION;
  const factors = new Map<string, number>();
  for (const [code, factor] of Object.entries(weights?.multipliers ?? {})) if (factor !== 1) factors.set(code, factor);
  active = weights === null || weights.version === BUILTIN_SCORING_VERSION || factors.size === 0 ? null : factors;
}

/** The fitted weights in use, or null for the built-in ones. */
export function activeScoringWeights(): ScoringWeights | null {
  return active === null ? null : activeWeights;
}

/** Whether fitted weights are in use (the scorer skips reweighing otherwise). */
export function reweighing(): boolean {
  return active !== null;
}

/** The reason with its code's factor applied (the same object when the factor is 1). */
export function reweigh(reason: Reason): Reason {
  if (active === null) return reason;
  const factor = active.get(reason.code);
  if (factor === undefined) return reason;
  const weight = Math.round(reason.weight * factor);
  return weight === reason.weight ? reason : { ...reason, weight };
}

/** Applies `reweigh` to every reason in place. */
export function reweighAll(reasons: Reason[]): void {
  if (active === null) return;
  for (let i = 0; i < reasons.length; i++) reasons[i] = reweigh(reasons[i]!);
}
