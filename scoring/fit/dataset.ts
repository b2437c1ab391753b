/**
 * Training examples for `radar scoring fit`: a label (counterfeit or not) and the evidence points each
 * reason code contributed under the BUILT-IN weights. Reasons scored with fitted weights are divided
 * back by that version's factors, so every fit starts from the same base.
 */
import type { Reason } from '../../src/core/domain/reasons.ts';

/** One labelled listing. */
export interface Example {
  /** Where it came from, for reports: `lead:<id>` or `<file>:<line>`. */
  id: string;
  source: 'verdict' | 'label';
  /** 1 = counterfeit (confirmed), 0 = not (dismissed, or labelled clean). */
  label: 0 | 1;
  /** Feature indices (into `FeatureSpace.codes`) and their built-in evidence points, one entry per code. */
  features: Int32Array;
  points: Float64Array;
}

/** The reason codes seen in the data, each with a feature index. */
export class FeatureSpace {
  readonly codes: string[] = [];
  private readonly index = new Map<string, number>();

  indexOf(code: string): number {
    let i = this.index.get(code);
    if (i === undefined) {
      i = this.codes.length;
      this.index.set(code, i);
      this.codes.push(code);
    }
    return i;
  }

  /** A factor per feature from a code → factor record (1 for codes it does not list). */
  factorsOf(multipliers: Readonly<Record<string, number>>): Float64Array {
    return Float64Array.from(this.codes, (code) => multipliers[code] ?? 1);
  }
}

/**
 * An example from a listing's stored reasons. `factors` are those of the version the reasons were
 * scored with (empty for the built-in one). A reason whose factor was 0 carries no base weight and is left out.
 */
export function exampleFromReasons(
  space: FeatureSpace,
  args: {
    id: string;
    source: Example['source'];
    label: 0 | 1;
    reasons: readonly Pick<Reason, 'code' | 'weight'>[];
    factors: Readonly<Record<string, number>>;
  },
): Example {
  const byFeature = new Map<number, number>();
  for (const reason of args.reasons) {
    if (reason.weight === 0) continue;
    const factor = args.factors[reason.code] ?? 1;
    if (factor === 0) continue;
    const feature = space.indexOf(reason.code);
    byFeature.set(feature, (byFeature.get(feature) ?? 0) + reason.weight / factor);
  }
  const entries = [...byFeature].sort((a, b) => a[0] - b[0]);
  return {
    id: args.id,
    source: args.source,
    label: args.label,
    features: Int32Array.from(entries, ([f]) => f),
    points: Float64Array.from(entries, ([, p]) => p),
  };
}
