/**
 * The weights file `radar scoring fit` writes: a versioned set of per-reason-code factors on the
 * built-in weights, with how it was fitted and its before/after report. Parsed with zod; any
 * problem is one line naming the field.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BUILTIN_SCORING_VERSION, type ScoringWeights } from '../weights.ts';

export const WEIGHTS_FORMAT = 'counterfeit-radar/scoring-weights@1';
/** Factors outside this range are refused: a fit clamps to [MIN_FACTOR, MAX_FACTOR]. */
export const MIN_FACTOR = 0;
export const MAX_FACTOR = 10;

const VERSION = /^v\d+\.\d+\.\d+(-[a-z0-9]+(\.[a-z0-9]+)*)?$/;
const CODE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

export const WeightsFileSchema = z
  .object({
    format: z.literal(WEIGHTS_FORMAT),
    version: z.string().regex(VERSION, 'must look like v2.0.0-fit.1a2b3c4d'),
    /** The built-in version the factors apply to. */
    base: z.string().regex(VERSION, 'must look like v2.0.0'),
    created_at: z.iso.datetime(),
    multipliers: z.record(
      z.string().regex(CODE, 'reason codes look like price.below_reference'),
      z.number().min(MIN_FACTOR).max(MAX_FACTOR),
    ),
    /** How it was fitted (seed, folds, regularisation, data counts); free-form for readers. */
    training: z.record(z.string(), z.unknown()).default({}),
    /** The before/after report (`FitReport`), as written. */
    report: z.unknown().optional(),
  })
  .strict()
  .refine((file) => file.version !== file.base, { message: 'version must differ from its base', path: ['version'] });

export type WeightsFile = z.infer<typeof WeightsFileSchema>;

/** Parses a weights file's text; throws an Error with one line (`<name>: <field>: <problem>`). */
export function parseWeightsFile(text: string, name = 'weights file'): WeightsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not JSON: ${oneLine((error as Error).message)}`, { cause: error });
  }
  const result = WeightsFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    throw new Error(`${name}: ${where}: ${oneLine(issue.message)}`);
  }
  if (result.data.base !== BUILTIN_SCORING_VERSION)
    throw new Error(
      `${name}: base: fitted on ${result.data.base}, but this radar's built-in weights are ${BUILTIN_SCORING_VERSION}; fit again`,
    );
  // The name is the factors' digest: a hand-edited factor would make one version score two ways.
  const expected = fittedVersion(result.data.base, result.data.multipliers);
  if (result.data.version !== expected)
    throw new Error(
      `${name}: version: ${result.data.version} does not match its factors (they make ${expected}); fit again instead of editing factors`,
    );
  return result.data;
}

/** The file's text: stable key order, so equal fits give equal files (apart from created_at). */
export function serialiseWeightsFile(file: WeightsFile): string {
  const multipliers = Object.fromEntries(Object.entries(file.multipliers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...file, multipliers }, null, 2)}\n`;
}

/** What the scorer needs of a file. */
export function toScoringWeights(file: WeightsFile): ScoringWeights {
  return { version: file.version, multipliers: file.multipliers };
}

/** A fitted version's name: the base plus a digest of its factors, so the same fit gets the same name. */
export function fittedVersion(base: string, multipliers: Readonly<Record<string, number>>): string {
  const canonical = Object.entries(multipliers)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, factor]) => `${code}=${factor}`)
    .join(';');
  return `${base}-fit.${createHash('sha256').update(canonical).digest('hex').slice(0, 8)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}
