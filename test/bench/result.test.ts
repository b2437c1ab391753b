import { describe, expect, it } from 'vitest';
import { entriesFromOutcome } from '../../bench/lib/collect.ts';
import { BenchEntrySchema, BenchResultsSchema, errorEntry, machineInfo, targetMet, toEntry, type Machine } from '../../bench/lib/result.ts';
import { ratio } from '../../bench/lib/stats.ts';
import type { ChildMessage } from '../../bench/lib/suite.ts';
import type { Measurement } from '../../bench/lib/result.ts';
import { formatTable } from '../../bench/lib/table.ts';
import { formatMarkdown } from '../../bench/lib/markdown.ts';

const machine: Machine = { cpus: 2, model: 'Test CPU', memory_mb: 4096, node: 'v20.0.0', os: 'Linux test x64', load_avg_1m: 0.5 };

const ingest: Measurement = {
  name: 'ingest.postgres',
  unit: 'listings/s',
  value: 30_000,
  samples: [29_000, 30_000, 31_000],
  baselineName: 'naive',
  baselineValue: 1_000,
  baselineSamples: [900, 1_000, 1_100],
  params: { listings: 100_000 },
  target: { on: 'ratio', op: '>=', threshold: 20 },
};

const REQUIRED_KEYS = ['name', 'unit', 'value', 'baseline_name', 'baseline_value', 'ratio', 'params', 'machine'];

describe('result entries', () => {
  it('carry the issue’s eight fields, the ratio and the target verdict', () => {
    const entry = toEntry('ingest', ingest, machine, ratio);
    for (const key of REQUIRED_KEYS) expect(entry).toHaveProperty(key);
    expect(entry).toMatchObject({
      name: 'ingest.postgres',
      value: 30_000,
      baseline_value: 1_000,
      ratio: 30,
      target_met: true,
      suite: 'ingest',
    });
    expect(entry.machine).toEqual(machine);
  });

  it('report a missed target as missed', () => {
    const entry = toEntry('ingest', { ...ingest, baselineValue: 2_000 }, machine, ratio);
    expect(entry.ratio).toBe(15);
    expect(entry.target_met).toBe(false);
  });

  it('judge value targets on the value and treat a missing baseline as no ratio', () => {
    const entry = toEntry(
      'score-db',
      { name: 'score-db.wall', unit: 's', value: 90, params: {}, target: { on: 'value', op: '<', threshold: 120 } },
      machine,
      ratio,
    );
    expect(entry.ratio).toBeNull();
    expect(entry.baseline_name).toBeNull();
    expect(entry.target_met).toBe(true);
    expect(targetMet({ on: 'ratio', op: '>=', threshold: 1 }, 5, null)).toBeNull();
  });

  it('describe the machine they ran on', () => {
    const info = machineInfo();
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.node).toBe(process.version);
    expect(BenchEntrySchema.shape.machine.safeParse(info).success).toBe(true);
  });

  it('survive a JSON round trip as the schema the results file promises', () => {
    const entries = [toEntry('ingest', ingest, machine, ratio), errorEntry('queue', 'dependency missing: src/queue', machine)];
    const reread = BenchResultsSchema.parse(JSON.parse(JSON.stringify(entries)));
    expect(reread).toEqual(entries);
    expect(reread[1]).toMatchObject({ value: null, ratio: null, error: 'dependency missing: src/queue' });
  });
});

describe('entriesFromOutcome', () => {
  const outcome = (messages: ChildMessage[], extra: Partial<{ exitCode: number | null; timedOut: boolean }> = {}) => ({
    messages,
    exitCode: extra.exitCode ?? 0,
    signal: null,
    timedOut: extra.timedOut ?? false,
  });

  it('turns a finished suite into one entry per measurement', () => {
    const entries = entriesFromOutcome('ingest', outcome([{ type: 'measurement', measurement: ingest }, { type: 'done' }]), machine, 60);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.error).toBeUndefined();
  });

  it('keeps finished measurements and adds an error entry when the suite times out', () => {
    const entries = entriesFromOutcome(
      'ingest',
      outcome([{ type: 'measurement', measurement: ingest }], { timedOut: true, exitCode: null }),
      machine,
      60,
    );
    expect(entries.map((entry) => entry.error ?? 'ok')).toEqual(['ok', expect.stringMatching(/timed out after 60 s.*1 entries/)]);
  });

  it('reports a missing dependency, a crash and a silent suite as error entries, never throws', () => {
    const missing = entriesFromOutcome('queue', outcome([{ type: 'error', message: 'dependency missing: x' }]), machine, 60);
    expect(missing).toEqual([expect.objectContaining({ name: 'queue', error: 'dependency missing: x' })]);
    const crashed = entriesFromOutcome('memory', outcome([], { exitCode: 1 }), machine, 60);
    expect(crashed[0]!.error).toMatch(/exit code 1/);
    const silent = entriesFromOutcome('memory', outcome([{ type: 'done' }]), machine, 60);
    expect(silent[0]!.error).toMatch(/without reporting/);
  });
});

describe('formatTable', () => {
  it('prints one row per entry with the ratio and verdict, and lists errors under the table', () => {
    const table = formatTable([toEntry('ingest', ingest, machine, ratio), errorEntry('queue', 'redis down', machine)]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^name\s+value\s+unit/);
    expect(lines.find((line) => line.startsWith('ingest.postgres'))).toMatch(/30,000.*listings\/s.*naive.*1,000.*30x.*ok/);
    expect(table).toMatch(/Errors:\n {2}queue: redis down/);
  });
});

describe('formatMarkdown', () => {
  it('writes one table row per entry, the verdict, and the machine line', () => {
    const md = formatMarkdown([toEntry('ingest', ingest, machine, ratio), errorEntry('queue', 'a | b', machine)]);
    const lines = md.split('\n');
    expect(lines[0]).toBe('| entry | value | baseline | ratio | target | note |');
    expect(lines[2]).toMatch(/^\| ingest.postgres \| 30,000 listings\/s \| 1,000 \(naive\) \| 30× \| met \(ratio >= 20\)/);
    expect(lines[3]).toContain('error: a \\| b');
    expect(md).toMatch(/Machine: 2 × Test CPU, 4,096 MB, Node v20.0.0/);
  });
});
