/** Resolving the active scoring weights once per run, for every path that scores (score, score-file, eval, the queue). */
import { UserError } from '../../core/errors.ts';
import { loadActiveWeights } from '../../../scoring/fit/weights-store.ts';
import { toScoringWeights } from '../../../scoring/fit/weights-file.ts';
import { SCORING_VERSION, useScoringWeights } from '../../../scoring/weights.ts';

/** Makes the weights `radar scoring use` chose active for this process; returns their version. */
export function useActiveWeights(dataDir: string): string {
  let file;
  try {
    file = loadActiveWeights(dataDir);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  useScoringWeights(file ? toScoringWeights(file) : null);
  return SCORING_VERSION;
}
