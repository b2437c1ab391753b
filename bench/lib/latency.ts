/** Latency percentiles of request samples. Pure, so tests can pin every result. */

/**
 * The nearest-rank `q`-quantile (0 < q ≤ 1) of finite samples: the smallest sample with at least
 * q·n samples at or below it, so p95 of 200 samples is the 190th smallest. Throws on no samples.
 */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples: time at least one request');
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile needs 0 < q <= 1, got ${q}`);
  for (const sample of samples) {
    if (!Number.isFinite(sample)) throw new RangeError(`percentile needs finite samples, got ${sample}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.ceil(sorted.length * q)) - 1]!;
}

/** p50 and p95 in milliseconds, rounded to 0.1 ms. */
export function latencySummary(samplesMs: readonly number[]): { p50_ms: number; p95_ms: number; requests: number } {
  const round1 = (value: number) => Math.round(value * 10) / 10;
  return { p50_ms: round1(percentile(samplesMs, 0.5)), p95_ms: round1(percentile(samplesMs, 0.95)), requests: samplesMs.length };
}
