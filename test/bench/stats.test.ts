import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growth, median, rate, ratio } from '../../bench/lib/stats.ts';

describe('median', () => {
  it('takes the middle sample of an odd count and the mean of the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 1, 4, 7])).toBe(5.5);
    expect(median([42])).toBe(42);
  });

  it('ignores the order of the samples and does not reorder the caller’s array', () => {
    const samples = [5, 9, 1];
    expect(median(samples)).toBe(5);
    expect(samples).toEqual([5, 9, 1]);
  });

  it('refuses no samples and non-finite samples with a clear error', () => {
    expect(() => median([])).toThrow(/no samples/);
    expect(() => median([1, Number.NaN, 3])).toThrow(/finite/);
  });

  it('always lies between the smallest and the largest sample, with as many samples on each side', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 50 }),
        (samples) => {
          const m = median(samples);
          expect(m).toBeGreaterThanOrEqual(Math.min(...samples));
          expect(m).toBeLessThanOrEqual(Math.max(...samples));
          expect(samples.filter((s) => s < m).length).toBeLessThanOrEqual(Math.floor(samples.length / 2));
          expect(samples.filter((s) => s > m).length).toBeLessThanOrEqual(Math.floor(samples.length / 2));
        },
      ),
    );
  });
});

describe('ratio', () => {
  it('is value over baseline, rounded to 3 decimals', () => {
    expect(ratio(30_000, 1_000)).toBe(30);
    expect(ratio(2, 3)).toBe(0.667);
  });

  it('is null when there is nothing to compare with', () => {
    expect(ratio(5, null)).toBeNull();
    expect(ratio(null, 5)).toBeNull();
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(5, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('never throws and is either null or finite for any numbers', () => {
    fc.assert(
      fc.property(fc.option(fc.double()), fc.option(fc.double()), (value, baseline) => {
        const result = ratio(value, baseline);
        expect(result === null || Number.isFinite(result)).toBe(true);
      }),
    );
  });
});

describe('rate and growth', () => {
  it('divides items by seconds and treats an empty trial as 0/s', () => {
    expect(rate(1_000, 0.5)).toBe(2_000);
    expect(rate(0, 0)).toBe(0);
  });

  it('refuses a zero duration with items, or a negative count', () => {
    expect(() => rate(10, 0)).toThrow(/duration/);
    expect(() => rate(-1, 1)).toThrow(/count/);
  });

  it('gives relative growth from the first value', () => {
    expect(growth(200, 210)).toBeCloseTo(0.05);
    expect(growth(200, 150)).toBeCloseTo(-0.25);
    expect(() => growth(0, 10)).toThrow(/positive/);
  });
});
