import { readFileSync } from 'node:fs';
import type { CompiledCatalog } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import { ScoreFileLineSchema, toItem } from './score-file.ts';
import { resolveLocationLabel } from './address/index.ts';
import { routeProvince, UNPLACED, type NationalReason } from './address/route.ts';
import { scoreBatch, type BatchResult, type ScoringItem, type ShopProfile } from './pipeline.ts';
import { compareRank } from './reason.ts';

/** The fields of a sandbox truth listing record that evaluation reads. */
export interface TruthListing {
  type: 'listing';
  label: 'counterfeit' | 'clean';
  patterns: string[];
  hard_negative: string | null;
  /** The planted network of the listing's shop, if any. */
  network?: string | null;
  /** The decoy kind of the listing's (clean) shop, if any. */
  shop_decoy?: string | null;
  listing: unknown;
  shop: unknown;
}

export interface PatternStats {
  total: number;
  caught: number;
  recall: number;
}

/** Where a lead's province came from; null when it has none. */
export type ProvinceSource = (profile: ShopProfile) => string | null;
/** Why a lead without a province goes to the national committee (`overseas`, `none`); null profile: a listing without its shop. */
export type NationalReasonOf = (profile: ShopProfile | null) => string;

/** Province routing (leads with a province) and national routing (the rest), reported apart. */
export interface ProvinceRoutingEval {
  leads: number;
  /** Leads with a province, by source. */
  routed: number;
  share: number;
  bySource: Record<string, number>;
  /** Per source, its leads over all leads. */
  shareBySource: Record<string, number>;
}
export interface NationalRoutingEval {
  leads: number;
  /** Leads with no province, sent to the national committee (Ban Chỉ đạo 389 quốc gia). */
  routed: number;
  share: number;
  byReason: Record<string, number>;
  /** Per reason, its leads over all leads. */
  shareByReason: Record<string, number>;
}

export interface NetworkEval {
  /** Networks found, and networks planted (among shops with listings). */
  found: number;
  planted: number;
  /** Of the shop pairs put in one network, the share planted in one network. */
  pairwisePrecision: number;
  /** Of the shop pairs planted in one network, the share put in one. */
  pairwiseRecall: number;
  largest: number;
  largestPlanted: number;
  /** Linked groups over the size limit, sent to review instead of merged. */
  review: number;
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
  /** Share of counterfeit listings among the 10 / 50 / 100 best-ranked listing leads (see `compareRank`). */
  precisionAt10: number;
  precisionAt50: number;
  precisionAt100: number;
  /** NDCG@50 of the lead ranking, counterfeit = relevant. */
  ndcgAt50: number;
  /** Share of listing leads with score 100: a flat top cannot be ranked. */
  maxScoreShare: number;
  /** Recall per planted pattern (counterfeit listings only). */
  patterns: Record<string, PatternStats>;
  /** Per hard-negative kind: how many stayed below the threshold. */
  hardNegatives: Record<string, { total: number; flagged: number; falsePositiveRate: number }>;
  hardNegativeFalsePositiveRate: number;
  networks: NetworkEval;
  /** Listing leads with a province, by where it came from (`address`, `declared`, …). */
  provinceRouting: ProvinceRoutingEval;
  /** Listing leads with no province, routed to the national committee, by reason (`overseas`, `none`): never a province. */
  nationalRouting: NationalRoutingEval;
  /** Per decoy kind of clean shop: its shops and listings, its clean listings flagged, and shops put in a network. */
  decoys: Record<string, { shops: number; listings: number; flaggedClean: number; networked: number }>;
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

/** The shop's resolved address, else the marketplace's declared location (the routing before issue 18's fallbacks). */
export function provinceFromAddressOrDeclared(profile: ShopProfile): string | null {
  if (profile.resolution.province_code !== null) return 'address';
  if (profile.shop.declaredLocation && resolveLocationLabel(profile.shop.declaredLocation).province_code !== null) return 'declared';
  return null;
}

/** The routing scoring stores (scoring/address/route.ts): address, declared location, landline, warehouse. */
export function routedProvinceSource(profile: ShopProfile): string | null {
  return routeProvince(profile.shop, profile.resolution).source;
}

/** Why scoring's routing sends a shop's leads nationally. */
export function routedNationalReason(profile: ShopProfile | null): NationalReason {
  return (profile === null ? UNPLACED : routeProvince(profile.shop, profile.resolution)).national ?? 'none';
}

/** Truth records scored in one batch (the same `scoreBatch` as score-file), with the records they came from. */
export function scoreTruth(
  records: Iterable<TruthListing>,
  options: { catalog: CompiledCatalog; threshold?: number; nowMs?: number },
): { items: ScoringItem[]; truth: TruthListing[]; result: BatchResult; skipped: number } {
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
  return { items, truth, result, skipped };
}

/**
 * Scores truth records through the same batch scorer as score-file and measures them against their
 * labels: pure, no I/O (the command loads the truth; see src/devtools/eval-truth.ts).
 */
export function evaluateTruth(
  records: Iterable<TruthListing>,
  options: {
    catalog: CompiledCatalog;
    threshold?: number;
    nowMs?: number;
    provinceSource?: ProvinceSource;
    nationalReason?: NationalReasonOf;
  },
): EvalReport {
  const threshold = options.threshold ?? SCORING_CONFIG.leadThreshold;
  const { items, truth, result, skipped } = scoreTruth(records, { ...options, threshold });
  let tp = 0;
  let flagged = 0;
  let counterfeit = 0;
  let atMax = 0;
  const patterns: Record<string, PatternStats> = {};
  const hard: Record<string, { total: number; flagged: number; falsePositiveRate: number }> = {};
  let hardTotal = 0;
  let hardFlagged = 0;
  const provinceSource = options.provinceSource ?? routedProvinceSource;
  const nationalReason = options.nationalReason ?? routedNationalReason;
  const routing: ProvinceRoutingEval = { leads: 0, routed: 0, share: 0, bySource: {}, shareBySource: {} };
  const national: NationalRoutingEval = { leads: 0, routed: 0, share: 0, byReason: {}, shareByReason: {} };
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
    if (isFlagged) {
      flagged++;
      if (scored.score >= 100) atMax++;
      routing.leads++;
      national.leads++;
      const s = result.listingShop[i]!;
      const profile = s >= 0 ? result.profiles[s]! : null;
      const source = profile ? provinceSource(profile) : null;
      if (source) {
        routing.routed++;
        routing.bySource[source] = (routing.bySource[source] ?? 0) + 1;
      } else {
        const reason = nationalReason(profile);
        national.routed++;
        national.byReason[reason] = (national.byReason[reason] ?? 0) + 1;
      }
    }
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
  routing.share = ratio(routing.routed, routing.leads);
  for (const [source, n] of Object.entries(routing.bySource)) routing.shareBySource[source] = ratio(n, routing.leads);
  national.share = ratio(national.routed, national.leads);
  for (const [reason, n] of Object.entries(national.byReason)) national.shareByReason[reason] = ratio(n, national.leads);
  for (const stats of Object.values(patterns)) stats.recall = ratio(stats.caught, stats.total);
  for (const stats of Object.values(hard)) stats.falsePositiveRate = ratio(stats.flagged, stats.total);
  const ranked: number[] = [];
  result.listings.forEach((scored, i) => {
    if (scored.flagged) ranked.push(i);
  });
  ranked.sort((a, b) => compareRank(result.listings[a]!, result.listings[b]!) || a - b);
  const relevant = ranked.map((i) => truth[i]!.label === 'counterfeit');
  const precision = ratio(tp, flagged);
  const recall = ratio(tp, counterfeit);
  return {
    listings: truth.length,
    threshold,
    counterfeit,
    flagged,
    truePositives: tp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    precisionAt10: precisionAt(relevant, 10),
    precisionAt50: precisionAt(relevant, 50),
    precisionAt100: precisionAt(relevant, 100),
    ndcgAt50: ndcgAt(relevant, 50, counterfeit),
    maxScoreShare: ratio(atMax, flagged),
    patterns,
    hardNegatives: hard,
    hardNegativeFalsePositiveRate: ratio(hardFlagged, hardTotal),
    networks: networkEval(result, truth),
    provinceRouting: routing,
    nationalRouting: national,
    decoys: decoyEval(result, truth),
    skipped,
    errors: { falsePositives: byCount(fp), falseNegatives: byCount(fn) },
  };
}

/** Share of relevant items among the first `k` (or all, when fewer). */
export function precisionAt(relevant: readonly boolean[], k: number): number {
  const n = Math.min(k, relevant.length);
  let hits = 0;
  for (let i = 0; i < n; i++) if (relevant[i]) hits++;
  return ratio(hits, n);
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
        throw new Error(`${path}:${index + 1}: not JSON: ${(error as Error).message}`, { cause: error });
      }
      if (json.label !== 'counterfeit' && json.label !== 'clean')
        throw new Error(`${path}:${index + 1}: label must be "counterfeit" or "clean"`);
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

/** Binary-relevance NDCG@k: DCG of the ranking over the DCG of `min(k, relevantTotal)` relevant items first. */
export function ndcgAt(relevant: readonly boolean[], k: number, relevantTotal: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, relevant.length); i++) if (relevant[i]) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevantTotal); i++) ideal += 1 / Math.log2(i + 2);
  return ratio(dcg, ideal);
}

/** Pairwise same-network precision and recall of the found networks against the planted ones. */
function networkEval(result: BatchResult, truth: readonly TruthListing[]): NetworkEval {
  const planted: (string | null)[] = new Array<string | null>(result.shops.length).fill(null);
  result.listingShop.forEach((s, i) => {
    if (s >= 0 && truth[i]!.network) planted[s] = truth[i]!.network!;
  });
  const plantedSizes = new Map<string, number>();
  for (const network of planted) if (network) plantedSizes.set(network, (plantedSizes.get(network) ?? 0) + 1);
  let plantedPairs = 0;
  for (const size of plantedSizes.values()) plantedPairs += (size * (size - 1)) / 2;
  let foundPairs = 0;
  let truePairs = 0;
  let largest = 0;
  for (const network of result.networks) {
    const members = network.members;
    largest = Math.max(largest, members.length);
    foundPairs += (members.length * (members.length - 1)) / 2;
    // Pairs sharing a planted network: count members per planted network.
    const counts = new Map<string, number>();
    for (const m of members) if (planted[m]) counts.set(planted[m], (counts.get(planted[m]) ?? 0) + 1);
    for (const c of counts.values()) truePairs += (c * (c - 1)) / 2;
  }
  return {
    found: result.networks.length,
    planted: [...plantedSizes.values()].filter((size) => size > 1).length,
    pairwisePrecision: foundPairs === 0 ? (plantedPairs === 0 ? 1 : 0) : truePairs / foundPairs,
    pairwiseRecall: plantedPairs === 0 ? 1 : truePairs / plantedPairs,
    largest,
    largestPlanted: Math.max(0, ...plantedSizes.values()),
    review: result.networkReview.length,
  };
}

function decoyEval(result: BatchResult, truth: readonly TruthListing[]): EvalReport['decoys'] {
  const networked = new Uint8Array(result.shops.length);
  for (const network of result.networks) for (const m of network.members) networked[m] = 1;
  const out: EvalReport['decoys'] = {};
  const seen = new Set<number>();
  truth.forEach((record, i) => {
    const kind = record.shop_decoy;
    if (!kind) return;
    const stats = (out[kind] ??= { shops: 0, listings: 0, flaggedClean: 0, networked: 0 });
    stats.listings++;
    // Decoy shops are clean, but like any honest shop they may carry a planted counterfeit listing.
    if (result.listings[i]!.flagged && record.label === 'clean') stats.flaggedClean++;
    const s = result.listingShop[i]!;
    if (s >= 0 && !seen.has(s)) {
      seen.add(s);
      stats.shops++;
      if (networked[s]) stats.networked++;
    }
  });
  return out;
}

/** Human-readable report lines. */
export function formatEvalReport(report: EvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const shares = (counts: Record<string, number>, share: Record<string, number>) =>
    Object.entries(counts)
      .sort()
      .map(([k, v]) => `${k} ${v} = ${pct(share[k] ?? 0)}`)
      .join(', ') || 'none';
  const lines = [
    `listings ${report.listings} (counterfeit ${report.counterfeit}), threshold ${report.threshold}, flagged ${report.flagged}`,
    `precision ${report.precision.toFixed(3)}  recall ${report.recall.toFixed(3)}  F1 ${report.f1.toFixed(3)}  precision@50 ${report.precisionAt50.toFixed(3)}`,
    `ranking: precision@10 ${report.precisionAt10.toFixed(3)}  @50 ${report.precisionAt50.toFixed(3)}  @100 ${report.precisionAt100.toFixed(3)}  NDCG@50 ${report.ndcgAt50.toFixed(3)}  leads at score 100: ${pct(report.maxScoreShare)}`,
    `networks: ${report.networks.found} found / ${report.networks.planted} planted, pairwise precision ${report.networks.pairwisePrecision.toFixed(3)}  recall ${report.networks.pairwiseRecall.toFixed(3)}, largest ${report.networks.largest} (planted ${report.networks.largestPlanted}), ${report.networks.review} sent to review`,
    `province routing: ${pct(report.provinceRouting.share)} of ${report.provinceRouting.leads} leads have a province (${shares(report.provinceRouting.bySource, report.provinceRouting.shareBySource)})`,
    `national routing (no province, to Ban Chỉ đạo 389): ${pct(report.nationalRouting.share)} of ${report.nationalRouting.leads} leads (${shares(report.nationalRouting.byReason, report.nationalRouting.shareByReason)})`,
    'per-pattern recall:',
    ...Object.entries(report.patterns)
      .sort()
      .map(([name, s]) => `  ${name.padEnd(28)} ${pct(s.recall).padStart(6)}  (${s.caught}/${s.total})`),
    `hard negatives flagged: ${pct(report.hardNegativeFalsePositiveRate)}`,
    ...Object.entries(report.hardNegatives)
      .sort()
      .map(([name, s]) => `  ${name.padEnd(28)} ${pct(s.falsePositiveRate).padStart(6)}  (${s.flagged}/${s.total})`),
  ];
  const decoys = Object.entries(report.decoys).sort();
  if (decoys.length)
    lines.push(
      'decoy shops (clean):',
      ...decoys.map(
        ([name, d]) =>
          `  ${name.padEnd(28)} ${d.shops} shops, ${d.flaggedClean} of ${d.listings} listings falsely flagged, ${d.networked} networked`,
      ),
    );
  const groups = (title: string, list: ErrorGroup[]) => {
    if (list.length === 0) return;
    lines.push(title);
    for (const group of list.slice(0, 12))
      lines.push(
        `  ${group.code.padEnd(34)} ${String(group.count).padStart(4)}  e.g. ${group.examples.map((t) => JSON.stringify(t.slice(0, 60))).join(', ')}`,
      );
  };
  groups('false positives by reason code:', report.errors.falsePositives);
  groups('false negatives by reason code (what they did have):', report.errors.falseNegatives);
  if (report.skipped) lines.push(`skipped ${report.skipped} truth line(s) that did not match the score-file schema`);
  return `${lines.join('\n')}\n`;
}
