import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencySummary, percentile } from '../../bench/lib/latency.ts';

describe('percentile', () => {
  it('takes the nearest rank: p95 of 1..200 is 190, p50 is 100', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(percentile(samples, 0.95)).toBe(190);
    expect(percentile(samples, 0.5)).toBe(100);
    expect(percentile(samples, 1)).toBe(200);
    expect(percentile([7], 0.95)).toBe(7);
  });

  it('is a sample with at least q·n samples at or below it, and no smaller sample is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (samples, q) => {
          const p = percentile(samples, q);
          expect(samples).toContain(p);
          const atOrBelow = samples.filter((s) => s <= p).length;
          expect(atOrBelow).toBeGreaterThanOrEqual(Math.ceil(samples.length * q));
          const below = samples.filter((s) => s < p).length;
          expect(below).toBeLessThan(Math.ceil(samples.length * q));
        },
      ),
    );
  });

  it('refuses no samples, a bad quantile and non-finite samples', () => {
    expect(() => percentile([], 0.5)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1, Number.NaN], 0.5)).toThrow(RangeError);
  });

  it('summarizes p50 and p95 rounded to 0.1 ms', () => {
    expect(latencySummary([1.04, 2.06, 3, 4, 100.26])).toEqual({ p50_ms: 3, p95_ms: 100.3, requests: 5 });
  });
});
