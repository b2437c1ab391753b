import { growth } from './stats.ts';

export interface RssSample {
  pages: number;
  rss: number;
}

export interface MemorySummary {
  peakRssMb: number;
  /** RSS when 10 % of the pages were done. */
  rssAt10PercentMb: number;
  rssAtEndMb: number;
  /** (end − at 10 %) / at 10 %. */
  growth: number;
}

/**
 * Peak RSS and the growth from the 10 % mark to the end. The 10 % mark skips start-up (module
 * loading, JIT, pools filling), so what is left is what a long-running worker accumulates.
 */
export function summarizeMemory(samples: readonly RssSample[], totalPages: number, peakRssBytes: number): MemorySummary {
  if (samples.length < 2) throw new RangeError(`need at least 2 RSS samples, got ${samples.length}`);
  if (!(totalPages > 0)) throw new RangeError('no pages were crawled');
  const mark = samples.find((sample) => sample.pages >= totalPages * 0.1) ?? samples[0]!;
  const end = samples.at(-1)!;
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const peak = Math.max(peakRssBytes, ...samples.map((sample) => sample.rss));
  return {
    peakRssMb: mb(peak),
    rssAt10PercentMb: mb(mark.rss),
    rssAtEndMb: mb(end.rss),
    growth: Math.round(growth(mark.rss, end.rss) * 1000) / 1000,
  };
}
