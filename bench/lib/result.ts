import os from 'node:os';
import { z } from 'zod';

export const MachineSchema = z.object({
  cpus: z.number().int().positive(),
  model: z.string(),
  /** Total memory in MB. */
  memory_mb: z.number().int().positive(),
  node: z.string(),
  os: z.string(),
  /** 1-minute load average when the run started: how busy the shared machine was. */
  load_avg_1m: z.number().nonnegative(),
});
export type Machine = z.infer<typeof MachineSchema>;

/** A target from the issue: `value` (or `ratio`) compared with a threshold. */
export const TargetSchema = z.object({
  on: z.enum(['value', 'ratio']),
  op: z.enum(['>=', '<=', '<', '>']),
  threshold: z.number(),
});
export type Target = z.infer<typeof TargetSchema>;

/**
 * One line of `bench/results/latest.json`. The first eight fields are the contract;
 * the rest explain the number (samples, target) or why there is none (`error`).
 */
export const BenchEntrySchema = z.object({
  name: z.string().min(1),
  unit: z.string(),
  value: z.number().nullable(),
  baseline_name: z.string().nullable(),
  baseline_value: z.number().nullable(),
  /** `value / baseline_value`. */
  ratio: z.number().nullable(),
  params: z.record(z.string(), z.unknown()),
  machine: MachineSchema,
  suite: z.string().min(1),
  samples: z.array(z.number()).optional(),
  baseline_samples: z.array(z.number()).optional(),
  target: TargetSchema.optional(),
  /** null when there is no value to judge. */
  target_met: z.boolean().nullable().optional(),
  /** Present instead of a value when the suite's dependency is missing or the suite failed. */
  error: z.string().optional(),
  note: z.string().optional(),
});
export type BenchEntry = z.infer<typeof BenchEntrySchema>;
export const BenchResultsSchema = z.array(BenchEntrySchema);

/** What a suite reports; the harness adds the machine, the ratio and the verdict. */
export interface Measurement {
  name: string;
  unit: string;
  value: number;
  /** Median samples behind `value` (at least 3 in a real run). */
  samples?: number[];
  baselineName?: string;
  baselineValue?: number;
  baselineSamples?: number[];
  params: Record<string, unknown>;
  target?: Target;
  note?: string;
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpus: Math.max(1, cpus.length),
    model: cpus[0]?.model.trim() ?? 'unknown',
    memory_mb: Math.max(1, Math.round(os.totalmem() / 2 ** 20)),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load_avg_1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function targetMet(target: Target | undefined, value: number | null, ratioValue: number | null): boolean | null {
  if (!target) return null;
  const subject = target.on === 'value' ? value : ratioValue;
  if (subject === null) return null;
  switch (target.op) {
    case '>=':
      return subject >= target.threshold;
    case '<=':
      return subject <= target.threshold;
    case '<':
      return subject < target.threshold;
    case '>':
      return subject > target.threshold;
  }
}

export function toEntry(
  suite: string,
  measurement: Measurement,
  machine: Machine,
  ratioOf: (a: number | null, b: number | null) => number | null,
): BenchEntry {
  const value = measurement.value;
  const baselineValue = measurement.baselineValue ?? null;
  const entryRatio = ratioOf(value, baselineValue);
  return BenchEntrySchema.parse({
    name: measurement.name,
    unit: measurement.unit,
    value,
    baseline_name: measurement.baselineName ?? null,
    baseline_value: baselineValue,
    ratio: entryRatio,
    params: measurement.params,
    machine,
    suite,
    ...(measurement.samples ? { samples: measurement.samples } : {}),
    ...(measurement.baselineSamples ? { baseline_samples: measurement.baselineSamples } : {}),
    ...(measurement.target ? { target: measurement.target, target_met: targetMet(measurement.target, value, entryRatio) } : {}),
    ...(measurement.note ? { note: measurement.note } : {}),
  });
}

/** The entry a suite gets when it could not measure: the run goes on, the reason is kept. */
export function errorEntry(suite: string, error: string, machine: Machine, params: Record<string, unknown> = {}, name = suite): BenchEntry {
  return BenchEntrySchema.parse({
    name,
    unit: '',
    value: null,
    baseline_name: null,
    baseline_value: null,
    ratio: null,
    params,
    machine,
    suite,
    error,
  });
}
