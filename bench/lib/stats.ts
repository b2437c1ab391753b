/** Pure statistics for benchmark samples. No clocks here, so tests can pin every result. */

/** Median of finite samples; the middle two averaged for an even count. Throws on an empty or non-finite input. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples: run the measurement at least once');
  for (const sample of samples) {
    if (!Number.isFinite(sample)) throw new RangeError(`median needs finite samples, got ${sample}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * `value / baseline`, or null when the ratio means nothing (no baseline, a zero or non-finite one).
 * Rounded to 3 significant decimals so the JSON stays readable.
 */
export function ratio(value: number | null, baseline: number | null): number | null {
  if (value === null || baseline === null) return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  const quotient = value / baseline;
  // Extreme magnitudes overflow; a ratio nobody can read is no ratio.
  return Number.isFinite(quotient) ? round(quotient, 3) : null;
}

/** Items per second; 0 items in 0 s is 0, never NaN. */
export function rate(count: number, seconds: number): number {
  if (count < 0 || !Number.isFinite(count)) throw new RangeError(`rate needs a count >= 0, got ${count}`);
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    if (count === 0) return 0;
    throw new RangeError(`rate needs a duration > 0 s, got ${seconds}`);
  }
  return count / seconds;
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Number.isFinite(rounded) ? rounded : value;
}

/** Relative growth from `from` to `to` (0.05 = grew 5 %). */
export function growth(from: number, to: number): number {
  if (!(from > 0)) throw new RangeError(`growth needs a positive starting value, got ${from}`);
  return (to - from) / from;
}
