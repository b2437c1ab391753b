import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareRank,
  EVIDENCE_SCALE,
  formatVnd,
  independentSignals,
  scoreFromEvidence,
  signalFamily,
  sortReasons,
} from '../../scoring/reason.ts';
import type { Reason } from '../../src/core/domain/reasons.ts';

describe('formatVnd', () => {
  /** The digit-by-digit definition the faster grouping must match. */
  const reference = (vnd: number): string => {
    const digits = Math.round(Math.abs(vnd)).toString();
    let out = '';
    for (let i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += '.';
      out += digits[i];
    }
    return `${vnd < 0 ? '-' : ''}${out} ₫`;
  };
  it('groups thousands with dots', () => {
    expect(formatVnd(1_250_000)).toBe('1.250.000 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
  });
  it('matches the digit-by-digit grouping', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ min: -1e15, max: 1e15, noNaN: true })), (vnd) => {
        expect(formatVnd(vnd)).toBe(reference(vnd));
      }),
    );
  });
});

describe('sortReasons', () => {
  it('sorts strongest first and keeps equal weights in order, like a stable Array sort', () => {
    const reason = fc.record({
      code: fc.string({ maxLength: 3 }),
      weight: fc.integer({ min: -50, max: 50 }),
      detail: fc.string({ maxLength: 3 }),
      en: fc.constant(''),
      vi: fc.constant(''),
    });
    fc.assert(
      fc.property(fc.array(reason, { maxLength: 20 }), (reasons: Reason[]) => {
        const expected = [...reasons].sort((a, b) => b.weight - a.weight);
        expect(sortReasons([...reasons])).toEqual(expected);
      }),
    );
  });
});

describe('scoreFromEvidence', () => {
  it('keeps the lead threshold: 70 evidence points score 70, 69 score 69', () => {
    expect(scoreFromEvidence(70)).toBe(70);
    expect(scoreFromEvidence(69)).toBe(69);
    expect(scoreFromEvidence(0)).toBe(0);
    expect(scoreFromEvidence(-45)).toBe(0);
  });
  it('is the noisy-OR of per-reason likelihoods 1 − e^(−w/s), so it depends only on the evidence sum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 8 }), (weights) => {
        const noisyOr = 1 - weights.reduce((keep, w) => keep * Math.exp(-w / EVIDENCE_SCALE), 1);
        // Rounded to whole points (product and sum may differ in the last bit, so no exact .5 comparison).
        expect(Math.abs(scoreFromEvidence(weights.reduce((a, b) => a + b, 0)) - 100 * noisyOr)).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
    );
  });
  it('never decreases, stays within 0–100 and does not flatten strong leads at 100', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200, max: 2000 }), fc.integer({ min: 0, max: 200 }), (e, more) => {
        const a = scoreFromEvidence(e);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(100);
        expect(scoreFromEvidence(e + more)).toBeGreaterThanOrEqual(a);
      }),
    );
    // Typical strong leads (120–250 points) keep distinct scores instead of all reading 100.
    expect(new Set([120, 150, 180, 210, 250].map(scoreFromEvidence)).size).toBe(5);
    expect(scoreFromEvidence(300)).toBeLessThan(100);
  });
});

describe('ranking ties', () => {
  const r = (code: string, weight: number): Reason => ({ code, weight, detail: '', en: '', vi: '' });
  it('counts independent signal families: shop address and identity are one, negatives none', () => {
    expect(
      independentSignals([
        r('lexicon.counterfeit', 62),
        r('lexicon.laundering', 8),
        r('address.placeholder', 16),
        r('identity.phone_missing', 5),
        r('identity.official', -45),
      ]),
    ).toBe(2);
    expect(independentSignals([r('price.far_below_reference', 55), r('brand.disguised', 55), r('network.risky_member', 18)])).toBe(3);
    expect(signalFamily('identity.new_shop')).toBe('shop');
  });
  it('at equal score, more independent signals rank first, then more evidence', () => {
    const one = { score: 90, signals: 1, evidence: 140 };
    const two = { score: 90, signals: 2, evidence: 135 };
    expect([one, two].sort(compareRank)).toEqual([two, one]);
    expect(compareRank({ score: 91, signals: 1, evidence: 1 }, two)).toBeLessThan(0);
    expect(compareRank({ ...two, evidence: 136 }, two)).toBeLessThan(0);
    expect(compareRank(two, { ...two })).toBe(0);
  });
});
