/** The fit on synthetic data: it learns which signal tells, is deterministic for a seed, and refuses too little data. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleFromReasons, FeatureSpace, type Example } from '../../../scoring/fit/dataset.ts';
import { fitWeights, MIN_EXAMPLES } from '../../../scoring/fit/fit.ts';
import { evaluate } from '../../../scoring/fit/metrics.ts';
import { evidenceOf, fitFactors, probabilityOf } from '../../../scoring/fit/model.ts';
import { seededRandom, stratifiedSplit } from '../../../scoring/fit/split.ts';
import { scoreFromEvidence } from '../../../scoring/reason.ts';

/** Counterfeits carry `x.telling` 90% of the time, clean listings 10%; `x.noise` is on half of each. */
function synthetic(n: number, seed: number): { space: FeatureSpace; examples: Example[] } {
  const random = seededRandom(seed);
  const space = new FeatureSpace();
  const examples: Example[] = [];
  for (let i = 0; i < n; i++) {
    const label = random() < 0.5 ? 1 : 0;
    const reasons = [];
    if (random() < (label === 1 ? 0.9 : 0.1)) reasons.push({ code: 'x.telling', weight: 50 });
    if (random() < 0.5) reasons.push({ code: 'x.noise', weight: 40 });
    examples.push(exampleFromReasons(space, { id: String(i), source: 'label', label, reasons, factors: {} }));
  }
  space.indexOf('x.telling');
  space.indexOf('x.noise');
  return { space, examples };
}

describe('scoring fit', () => {
  it('raises the telling signal over the noise and improves held-out calibration', () => {
    const { space, examples } = synthetic(600, 3);
    const current = space.factorsOf({});
    const { multipliers, report } = fitWeights(examples, space, current, { seed: 1 });
    expect(multipliers['x.telling']!).toBeGreaterThan(multipliers['x.noise']!);
    expect(multipliers['x.noise']!).toBeLessThan(1);
    expect(report.heldOut.after.brier).toBeLessThan(report.heldOut.before.brier);
    expect(report.heldOut.after.logLoss).toBeLessThan(report.heldOut.before.logLoss);
    expect(report.perFold).toHaveLength(5);
    expect(report.data.training + report.data.heldOut).toBe(600);
  });

  it('is deterministic for a seed, and the seed decides the split', () => {
    const { space, examples } = synthetic(400, 5);
    const a = fitWeights(examples, space, space.factorsOf({}), { seed: 9 });
    const b = fitWeights(examples, space, space.factorsOf({}), { seed: 9 });
    expect(b).toEqual(a);
    const labels = examples.map((e) => e.label);
    expect(stratifiedSplit(labels, { seed: 9, k: 5, heldOutShare: 0.2 })).toEqual(
      stratifiedSplit(labels, { seed: 9, k: 5, heldOutShare: 0.2 }),
    );
    expect(stratifiedSplit(labels, { seed: 10, k: 5, heldOutShare: 0.2 }).heldOut).not.toEqual(
      stratifiedSplit(labels, { seed: 9, k: 5, heldOutShare: 0.2 }).heldOut,
    );
  });

  it(`refuses fewer than ${MIN_EXAMPLES} examples`, () => {
    const { space, examples } = synthetic(MIN_EXAMPLES - 1, 1);
    expect(() => fitWeights(examples, space, space.factorsOf({}))).toThrow(/at least 200/);
  });

  it('splits keep every index exactly once, both classes in every part, in the data’s proportion', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: 20, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 2, max: 10 }),
        (labels, seed, k) => {
          const split = stratifiedSplit(labels, { seed, k, heldOutShare: 0.2 });
          const all = [...split.heldOut, ...split.training].sort((a, b) => a - b);
          expect(all).toEqual(labels.map((_, i) => i));
          expect(split.folds.flat().sort((a, b) => a - b)).toEqual(split.training);
          const positives = labels.filter((l) => l === 1).length;
          expect(split.heldOut.filter((i) => labels[i] === 1).length).toBe(Math.round(positives * 0.2));
        },
      ),
    );
  });

  it('with factors of 1 the model is the scorer: probability × 100 rounds to the score', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -45, max: 80 }), { maxLength: 8 }), (weights) => {
        const space = new FeatureSpace();
        const example = exampleFromReasons(space, {
          id: 'x',
          source: 'label',
          label: 1,
          reasons: weights.map((weight, i) => ({ code: `c.r${i % 3}`, weight })),
          factors: {},
        });
        const factors = fitFactors([], space.codes.length, { lambda: 1 });
        const evidence = evidenceOf(example, factors);
        expect(evidence).toBeCloseTo(
          weights.reduce((a, b) => a + b, 0),
          9,
        );
        expect(Math.round(100 * probabilityOf(evidence))).toBe(scoreFromEvidence(evidence));
      }),
    );
  });

  it('reads stored reasons of a fitted version back to built-in points', () => {
    const space = new FeatureSpace();
    const example = exampleFromReasons(space, {
      id: 'x',
      source: 'verdict',
      label: 1,
      reasons: [
        { code: 'a.b', weight: 90 },
        { code: 'a.b', weight: 30 },
        { code: 'c.d', weight: 10 },
      ],
      factors: { 'a.b': 1.5 },
    });
    expect([...example.points]).toEqual([80, 10]);
    const metrics = evaluate([example], space.factorsOf({ 'a.b': 1.5 }), 70);
    expect(metrics.flagged).toBe(1);
  });
});

describe('the unreviewed-flag check', () => {
  it('passes over a penalty whose fit would flag many more unreviewed listings', () => {
    const { space, examples } = synthetic(400, 7);
    // Unreviewed listings that carry only the telling signal at 60 points: a fit that raises it flags them.
    const unreviewed = Array.from({ length: 100 }, (_, i) =>
      exampleFromReasons(space, { id: `u${i}`, source: 'label', label: 0, reasons: [{ code: 'x.telling', weight: 60 }], factors: {} }),
    );
    const free = fitWeights(examples, space, space.factorsOf({}), { seed: 1 });
    const guarded = fitWeights(examples, space, space.factorsOf({}), { seed: 1, unreviewed });
    expect(free.multipliers['x.telling']!).toBeGreaterThan(70 / 60);
    expect(guarded.report.unreviewed).toEqual({
      listings: 100,
      flaggedBefore: 0,
      flaggedAfter: guarded.report.unreviewed!.flaggedAfter,
      limit: 1,
    });
    expect(guarded.report.unreviewed!.flaggedAfter).toBeLessThanOrEqual(1);
    expect(guarded.report.lambda).toBeGreaterThanOrEqual(free.report.lambda);
  });
});
