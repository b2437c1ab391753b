/**
 * `radar scoring fit` as the application runs it: gathers verdicts (database) and labelled files,
 * refuses below MIN_EXAMPLES, fits, and writes a new weights file. It never changes the active version.
 */
import type { Db } from '../../core/db/types.ts';
import { UserError } from '../../core/errors.ts';
import type { CompiledCatalog } from '../../../scoring/catalog.ts';
import { FeatureSpace, type Example } from '../../../scoring/fit/dataset.ts';
import { fitWeights, MIN_EXAMPLES, type FitReport, type FitSettings } from '../../../scoring/fit/fit.ts';
import { labelledExamples, unreviewedExamples, verdictExamples } from '../../../scoring/fit/sources.ts';
import { fittedVersion, WEIGHTS_FORMAT, type WeightsFile } from '../../../scoring/fit/weights-file.ts';
import { activeVersion, loadWeights, saveWeights } from '../../../scoring/fit/weights-store.ts';
import { BUILTIN_SCORING_VERSION } from '../../../scoring/weights.ts';

export interface FitRunOptions extends FitSettings {
  /** RADAR_DATA_DIR: where weights files are read and written. */
  dataDir: string;
  /** Read analysts' verdicts from this database (`--from-verdicts`). */
  db?: Db;
  /** Labelled JSON-Lines files (`--labels`). */
  labels?: readonly string[];
  /** Catalogue the labelled files are scored with. */
  catalog: CompiledCatalog;
  /** Fit and report, but write no file. @default false */
  dryRun?: boolean;
  /** created_at of the file; default now. */
  now?: Date;
  /** Unreviewed listings read for the new-flag check (`FitSettings.unreviewed`). @default 50000 */
  unreviewedLimit?: number;
}

export type FitRunResult =
  | { status: 'too_few'; examples: number; verdicts: number; labelled: number; needed: number; message: string }
  | { status: 'fitted'; version: string; before: string; file: string | null; report: FitReport };

/** Runs a fit; a result of `too_few` wrote nothing. */
export async function runFit(options: FitRunOptions): Promise<FitRunResult> {
  const space = new FeatureSpace();
  const examples: Example[] = [];
  let unknownVersion = 0;
  if (options.db) {
    const verdicts = await verdictExamples(options.db, space, (version) => loadWeights(options.dataDir, version)?.multipliers ?? null);
    examples.push(...verdicts.examples);
    unknownVersion = verdicts.unknownVersion;
  }
  for (const path of options.labels ?? []) {
    try {
      examples.push(...labelledExamples(path, space, { catalog: options.catalog }));
    } catch (error) {
      throw new UserError(`${(error as Error).message} — fix the labelled file and retry`);
    }
  }
  const verdicts = examples.filter((e) => e.source === 'verdict').length;
  const labelled = examples.length - verdicts;
  const classes = new Set(examples.map((e) => e.label)).size;
  if (examples.length < MIN_EXAMPLES || classes < 2) {
    const why =
      examples.length < MIN_EXAMPLES
        ? `only ${examples.length} verdict(s) and labelled listing(s) (${verdicts} verdict(s), ${labelled} labelled); fitting needs at least ${MIN_EXAMPLES}`
        : `all ${examples.length} verdict(s) and labelled listing(s) have the same label; fitting needs both confirmed and dismissed`;
    const skipped = unknownVersion > 0 ? ` (${unknownVersion} verdict(s) on versions without a weights file left out)` : '';
    return {
      status: 'too_few',
      examples: examples.length,
      verdicts,
      labelled,
      needed: MIN_EXAMPLES,
      message: `${why}${skipped}; nothing changed`,
    };
  }
  const before = activeVersion(options.dataDir);
  const beforeFile = before === BUILTIN_SCORING_VERSION ? null : loadWeights(options.dataDir, before);
  const unreviewed = options.db
    ? await unreviewedExamples(options.db, space, {
        version: before,
        factors: beforeFile?.multipliers ?? {},
        limit: options.unreviewedLimit ?? 50_000,
      })
    : [];
  const current = space.factorsOf(beforeFile?.multipliers ?? {});
  const outcome = fitWeights(examples, space, current, { ...options, unreviewed });
  const version = fittedVersion(BUILTIN_SCORING_VERSION, outcome.multipliers);
  const file: WeightsFile = {
    format: WEIGHTS_FORMAT,
    version,
    base: BUILTIN_SCORING_VERSION,
    created_at: (options.now ?? new Date()).toISOString(),
    multipliers: outcome.multipliers,
    training: {
      model: 'noisy-OR regression on reason-code evidence, L2 towards the built-in weights',
      seed: outcome.report.seed,
      folds: outcome.report.folds,
      lambda: outcome.report.lambda,
      examples: outcome.report.data.examples,
      verdicts,
      labelled,
      labelFiles: options.labels ?? [],
      before,
    },
    report: outcome.report,
  };
  const written = options.dryRun ? null : saveWeights(options.dataDir, file);
  return { status: 'fitted', version, before, file: written, report: outcome.report };
}
