import { readFileSync } from 'node:fs';
import type { CompiledCatalog } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import { ScoreFileLineSchema, toItem } from './score-file.ts';
import { scoreBatch, type ScoringItem } from './pipeline.ts';

/** The fields of a sandbox truth listing record that evaluation reads. */
export interface TruthListing {
  type: 'listing';
  label: 'counterfeit' | 'clean';
  patterns: string[];
  hard_negative: string | null;
  listing: unknown;
  shop: unknown;
}

export interface PatternStats {
  total: number;
  caught: number;
  recall: number;
}

export interface EvalReport {
  listings: number;
  threshold: number;
  counterfeit: number;
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Share of counterfeit listings among the 50 highest scores. */
  precisionAt50: number;
  /** Recall per planted pattern (counterfeit listings only). */
  patterns: Record<string, PatternStats>;
  /** Per hard-negative kind: how many stayed below the threshold. */
  hardNegatives: Record<string, { total: number; flagged: number; falsePositiveRate: number }>;
  hardNegativeFalsePositiveRate: number;
  /** Truth lines that could not be scored (schema drift). */
  skipped: number;
  /**
   * Errors grouped by reason code: for false positives, each reason code that pushed a clean listing
   * over the threshold; for false negatives, the reason codes a missed listing did have ("(none)" if
   * none). Most frequent first.
   */
  errors: { falsePositives: ErrorGroup[]; falseNegatives: ErrorGroup[] };
}

export interface ErrorGroup {
  code: string;
  count: number;
  /** Up to three listing titles, as examples. */
  examples: string[];
}

/**
 * Scores sandbox truth records (no crawl) and measures them against their labels. Only the truth
 * records are used — never the generator's internals.
 */
export function evaluateTruth(records: Iterable<TruthListing>, options: { catalog: CompiledCatalog; threshold?: number; nowMs?: number }): EvalReport {
  const threshold = options.threshold ?? SCORING_CONFIG.leadThreshold;
  const items: ScoringItem[] = [];
  const truth: TruthListing[] = [];
  let skipped = 0;
  let latestJoin = 0;
  for (const record of records) {
    if (record.type !== 'listing') continue;
    const parsed = ScoreFileLineSchema.safeParse({ listing: record.listing, shop: record.shop });
    if (!parsed.success) {
      skipped++;
      continue;
    }
    const item = toItem(parsed.data);
    if (item.shop?.joinedAtMs && item.shop.joinedAtMs > latestJoin) latestJoin = item.shop.joinedAtMs;
    items.push(item);
    truth.push(record);
  }
  const nowMs = options.nowMs ?? Math.max(Date.now(), latestJoin);
  const result = scoreBatch(items, { catalog: options.catalog, threshold, nowMs });
  let tp = 0;
  let flagged = 0;
  let counterfeit = 0;
  const patterns: Record<string, PatternStats> = {};
  const hard: Record<string, { total: number; flagged: number; falsePositiveRate: number }> = {};
  let hardTotal = 0;
  let hardFlagged = 0;
  const fp = new Map<string, ErrorGroup>();
  const fn = new Map<string, ErrorGroup>();
  truth.forEach((record, i) => {
    const scored = result.listings[i]!;
    const isFlagged = scored.flagged;
    const positive = record.label === 'counterfeit';
    if (isFlagged !== positive) {
      const codes = scored.reasons.filter((reason) => reason.weight > 0).map((reason) => reason.code);
      if (codes.length === 0) codes.push('(none)');
      for (const code of new Set(codes)) {
        const groups = isFlagged ? fp : fn;
        const group = groups.get(code) ?? { code, count: 0, examples: [] };
        groups.set(code, group);
        group.count++;
        if (group.examples.length < 3) group.examples.push(items[i]!.listing.title);
      }
    }
    if (positive) counterfeit++;
    if (isFlagged) flagged++;
    if (isFlagged && positive) tp++;
    if (positive) {
      for (const pattern of record.patterns) {
        const stats = (patterns[pattern] ??= { total: 0, caught: 0, recall: 0 });
        stats.total++;
        if (isFlagged) stats.caught++;
      }
    }
    if (record.hard_negative && !positive) {
      const stats = (hard[record.hard_negative] ??= { total: 0, flagged: 0, falsePositiveRate: 0 });
      stats.total++;
      hardTotal++;
      if (isFlagged) {
        stats.flagged++;
        hardFlagged++;
      }
    }
  });
  for (const stats of Object.values(patterns)) stats.recall = ratio(stats.caught, stats.total);
  for (const stats of Object.values(hard)) stats.falsePositiveRate = ratio(stats.flagged, stats.total);
  const ranked = result.listings.map((scored, i) => ({ score: scored.score, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const top = ranked.slice(0, 50);
  const topPositive = top.filter((entry) => truth[entry.i]!.label === 'counterfeit').length;
  const precision = ratio(tp, flagged);
  const recall = ratio(tp, counterfeit);
  return {
    listings: items.length,
    threshold,
    counterfeit,
    flagged,
    truePositives: tp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    precisionAt50: ratio(topPositive, top.length),
    patterns,
    hardNegatives: hard,
    hardNegativeFalsePositiveRate: ratio(hardFlagged, hardTotal),
    skipped,
    errors: { falsePositives: byCount(fp), falseNegatives: byCount(fn) },
  };
}

function byCount(groups: Map<string, ErrorGroup>): ErrorGroup[] {
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

/**
 * Reads a labelled JSON-Lines file: one `{"label": "counterfeit"|"clean", "patterns"?: [...],
 * "hard_negative"?: kind|null, "listing": {...}, "shop": {...}}` per line (the sandbox truth shape).
 * Throws an Error naming the line for anything else.
 */
export function readLabelledFile(path: string): TruthListing[] {
  const records: TruthListing[] = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (!line.trim()) return;
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(line) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${path}:${index + 1}: not JSON: ${(error as Error).message}`);
      }
      if (json.label !== 'counterfeit' && json.label !== 'clean') throw new Error(`${path}:${index + 1}: label must be "counterfeit" or "clean"`);
      records.push({
        type: 'listing',
        label: json.label,
        patterns: Array.isArray(json.patterns) ? json.patterns.map(String) : [],
        hard_negative: typeof json.hard_negative === 'string' ? json.hard_negative : null,
        listing: json.listing,
        shop: json.shop ?? null,
      });
    });
  return records;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Loads the sandbox generator lazily (the sandbox never depends on scoring; scoring only reads its truth). */
export async function sandboxTruth(seed: number, listings: number): Promise<Iterable<TruthListing>> {
  const sandbox = (await import('../src/devtools/sandbox/index.ts')) as unknown as {
    generateWorld(options: { seed: number; listings: number }): unknown;
    truthRecords(world: unknown): Iterable<TruthListing>;
  };
  return sandbox.truthRecords(sandbox.generateWorld({ seed, listings }));
}

/** Human-readable report lines. */
export function formatEvalReport(report: EvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `listings ${report.listings} (counterfeit ${report.counterfeit}), threshold ${report.threshold}, flagged ${report.flagged}`,
    `precision ${report.precision.toFixed(3)}  recall ${report.recall.toFixed(3)}  F1 ${report.f1.toFixed(3)}  precision@50 ${report.precisionAt50.toFixed(3)}`,
    'per-pattern recall:',
    ...Object.entries(report.patterns)
      .sort()
      .map(([name, s]) => `  ${name.padEnd(28)} ${pct(s.recall).padStart(6)}  (${s.caught}/${s.total})`),
    `hard negatives flagged: ${pct(report.hardNegativeFalsePositiveRate)}`,
    ...Object.entries(report.hardNegatives)
      .sort()
      .map(([name, s]) => `  ${name.padEnd(28)} ${pct(s.falsePositiveRate).padStart(6)}  (${s.flagged}/${s.total})`),
  ];
  const groups = (title: string, list: ErrorGroup[]) => {
    if (list.length === 0) return;
    lines.push(title);
    for (const group of list.slice(0, 12)) lines.push(`  ${group.code.padEnd(34)} ${String(group.count).padStart(4)}  e.g. ${group.examples.map((t) => JSON.stringify(t.slice(0, 60))).join(', ')}`);
  };
  groups('false positives by reason code:', report.errors.falsePositives);
  groups('false negatives by reason code (what they did have):', report.errors.falseNegatives);
  if (report.skipped) lines.push(`skipped ${report.skipped} truth line(s) that did not match the score-file schema`);
  return `${lines.join('\n')}\n`;
}
