import { median, rate } from './stats.ts';

/** One timed trial: how many items went through in how many seconds (setup excluded by the trial itself). */
export interface Trial {
  count: number;
  seconds: number;
}

export interface RateSamples {
  /** Items per second, one per repetition, in run order. */
  samples: number[];
  median: number;
}

/** Starts a monotonic clock; the returned function gives elapsed seconds. */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e9;
}

export function summarize(trials: readonly Trial[]): RateSamples {
  const samples = trials.map((trial) => rate(trial.count, trial.seconds));
  return { samples, median: median(samples) };
}

/**
 * Runs ours and the baseline `repeats` times each, alternating which goes first, so a burst of load
 * from the other tenants of this shared machine hits both sides rather than one.
 */
export async function measurePair(
  repeats: number,
  ours: (repetition: number) => Promise<Trial>,
  baseline: (repetition: number) => Promise<Trial>,
  progress: (message: string) => void = () => undefined,
  labels: { ours: string; baseline: string } = { ours: 'ours', baseline: 'baseline' },
): Promise<{ ours: RateSamples; baseline: RateSamples }> {
  const oursTrials: Trial[] = [];
  const baselineTrials: Trial[] = [];
  for (let repetition = 0; repetition < repeats; repetition++) {
    const order = repetition % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
    for (const side of order) {
      const trial = side === 'ours' ? await ours(repetition) : await baseline(repetition);
      (side === 'ours' ? oursTrials : baselineTrials).push(trial);
      progress(
        `  ${labels[side]} #${repetition + 1}/${repeats}: ${trial.count} in ${trial.seconds.toFixed(2)} s = ${formatRate(rate(trial.count, trial.seconds))}/s`,
      );
    }
  }
  return { ours: summarize(oursTrials), baseline: summarize(baselineTrials) };
}

export async function measureRepeated(
  repeats: number,
  trial: (repetition: number) => Promise<Trial>,
  progress: (message: string) => void = () => undefined,
  label = 'run',
): Promise<RateSamples> {
  const trials: Trial[] = [];
  for (let repetition = 0; repetition < repeats; repetition++) {
    const result = await trial(repetition);
    trials.push(result);
    progress(
      `  ${label} #${repetition + 1}/${repeats}: ${result.count} in ${result.seconds.toFixed(2)} s = ${formatRate(rate(result.count, result.seconds))}/s`,
    );
  }
  return summarize(trials);
}

function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
