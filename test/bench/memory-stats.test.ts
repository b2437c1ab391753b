import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeMemory } from '../../bench/lib/memory-stats.ts';

const MB = 2 ** 20;

describe('summarizeMemory', () => {
  it('measures growth from the first sample at or past 10 % of the pages to the last sample', () => {
    const samples = [
      { pages: 0, rss: 50 * MB },
      { pages: 5, rss: 180 * MB },
      { pages: 10, rss: 200 * MB },
      { pages: 60, rss: 205 * MB },
      { pages: 100, rss: 210 * MB },
    ];
    const summary = summarizeMemory(samples, 100, 0);
    expect(summary.rssAt10PercentMb).toBe(200);
    expect(summary.rssAtEndMb).toBe(210);
    expect(summary.growth).toBe(0.05);
    expect(summary.peakRssMb).toBe(210);
  });

  it('takes the peak from maxRSS when it is above every sample', () => {
    expect(
      summarizeMemory(
        [
          { pages: 0, rss: 100 * MB },
          { pages: 10, rss: 100 * MB },
        ],
        10,
        300 * MB,
      ).peakRssMb,
    ).toBe(300);
  });

  it('refuses too few samples or an empty crawl with a clear error', () => {
    expect(() => summarizeMemory([{ pages: 1, rss: MB }], 1, MB)).toThrow(/at least 2/);
    expect(() =>
      summarizeMemory(
        [
          { pages: 0, rss: MB },
          { pages: 0, rss: MB },
        ],
        0,
        MB,
      ),
    ).toThrow(/no pages/);
  });

  it('never reports a peak below the end or the 10 % mark', () => {
    const sample = fc.record({ pages: fc.nat({ max: 1000 }), rss: fc.integer({ min: 1, max: 4000 * MB }) });
    fc.assert(
      fc.property(
        fc.array(sample, { minLength: 2, maxLength: 30 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.nat({ max: 4000 * MB }),
        (samples, total, peak) => {
          const summary = summarizeMemory(samples, total, peak);
          expect(summary.peakRssMb).toBeGreaterThanOrEqual(summary.rssAtEndMb);
          expect(summary.peakRssMb).toBeGreaterThanOrEqual(summary.rssAt10PercentMb);
          expect(Number.isFinite(summary.growth)).toBe(true);
        },
      ),
    );
  });
});
