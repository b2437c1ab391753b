/** Where training examples come from: analysts' verdicts in the database, and labelled JSON-Lines files. */
import type { Db } from '../../src/core/db/types.ts';
import { listingVerdicts, unreviewedListingReasons } from '../../src/core/db/stores/verdicts.ts';
import type { CompiledCatalog } from '../catalog.ts';
import { readLabelledFile, scoreTruth } from '../eval.ts';
import { activeScoringWeights, BUILTIN_SCORING_VERSION, useScoringWeights } from '../weights.ts';
import { exampleFromReasons, type Example, type FeatureSpace } from './dataset.ts';

export interface VerdictExamples {
  examples: Example[];
  /** Verdicts on leads scored with a version whose weights file is gone (their base weights are unknown). */
  unknownVersion: number;
}

/**
 * One example per listing lead with a verdict: confirmed or referred = counterfeit, dismissed = not.
 * `factorsOf(version)` gives the factors a version applied (null: no such version known).
 */
export async function verdictExamples(
  db: Db,
  space: FeatureSpace,
  factorsOf: (version: string) => Readonly<Record<string, number>> | null,
): Promise<VerdictExamples> {
  const examples: Example[] = [];
  let unknownVersion = 0;
  for (const row of await listingVerdicts(db)) {
    const factors = row.scoring_version === BUILTIN_SCORING_VERSION ? {} : factorsOf(row.scoring_version);
    if (!factors) {
      unknownVersion++;
      continue;
    }
    examples.push(
      exampleFromReasons(space, {
        id: `lead:${row.lead_id}`,
        source: 'verdict',
        label: row.status === 'dismissed' ? 0 : 1,
        reasons: row.reasons,
        factors,
      }),
    );
  }
  return { examples, unknownVersion };
}

/**
 * One example per line of a labelled file (eval/labelled/listings.jsonl's shape), scored in one batch
 * with the built-in weights, whatever is active, so its reasons carry base points.
 */
export function labelledExamples(path: string, space: FeatureSpace, options: { catalog: CompiledCatalog; nowMs?: number }): Example[] {
  const records = readLabelledFile(path);
  const previous = activeScoringWeights();
  useScoringWeights(null);
  try {
    const { truth, result } = scoreTruth(records, { catalog: options.catalog, nowMs: options.nowMs });
    return truth.map((record, i) =>
      exampleFromReasons(space, {
        id: `${path}#${i + 1}`,
        source: 'label',
        label: record.label === 'counterfeit' ? 1 : 0,
        reasons: result.listings[i]!.reasons,
        factors: {},
      }),
    );
  } finally {
    useScoringWeights(previous);
  }
}

/** Listings scored under `version` with no verdict (label 0, never trained on), for the unreviewed-flag check. */
export async function unreviewedExamples(
  db: Db,
  space: FeatureSpace,
  args: { version: string; factors: Readonly<Record<string, number>>; limit: number },
): Promise<Example[]> {
  const rows = await unreviewedListingReasons(db, { scoringVersion: args.version, limit: args.limit });
  return rows.map((row) =>
    exampleFromReasons(space, { id: `listing:${row.listing_id}`, source: 'label', label: 0, reasons: row.reasons, factors: args.factors }),
  );
}
