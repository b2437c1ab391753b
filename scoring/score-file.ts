import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { CompiledCatalog } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import { scoreBatch, SCORING_VERSION, type ScoringItem } from './pipeline.ts';
import type { ScoringListing, ScoringShop } from './types.ts';

const id = z.union([z.string().min(1).max(200), z.number().int().nonnegative()]).transform(String);
const vnd = z.number().nonnegative().max(1e13).nullish();
const count = z.number().int().nonnegative().nullish();
const text = (max: number) => z.string().max(max).nullish();

/** One score-file line: `{"listing": {...}, "shop": {...}}` (issue 5 field names). */
export const ScoreFileLineSchema = z.object({
  listing: z.object({
    id,
    marketplace: z.string().min(1).max(50),
    title: z.string().min(1).max(2000),
    price_vnd: vnd,
    original_price_vnd: vnd,
    brand: text(200),
    category: text(300),
    sold_count: count,
    url: text(2000),
    description: text(20_000),
  }),
  shop: z
    .object({
      id,
      name: z.string().max(500),
      address: text(1000),
      declared_location: text(200),
      is_official: z.boolean().nullish(),
      /** ISO 8601 or epoch seconds/milliseconds. */
      joined_at: z.union([z.string().max(100), z.number()]).nullish(),
      follower_count: count,
      rating: z.number().min(0).max(5).nullish(),
      phone: text(100),
      tax_code: text(100),
    })
    .nullish(),
});
export type ScoreFileLine = z.infer<typeof ScoreFileLineSchema>;

export type ParsedLine = { ok: true; item: ScoringItem } | { ok: false; error: string };

/** Parses one JSON line; never throws — bad JSON or fields come back as a one-line error. */
export function parseScoreFileLine(line: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const parsed = ScoreFileLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || '(line)'}: ${issue.message}` };
  }
  return { ok: true, item: toItem(parsed.data) };
}

/** Turns a validated score-file (or sandbox truth) line into scoring's shapes. */
export function toItem(line: ScoreFileLine): ScoringItem {
  const l = line.listing;
  const listing: ScoringListing = {
    id: l.id,
    marketplace: l.marketplace,
    title: l.title,
    description: l.description ?? null,
    priceVnd: l.price_vnd ?? null,
    originalPriceVnd: l.original_price_vnd ?? null,
    brand: l.brand ?? null,
    category: l.category ?? null,
    soldCount: l.sold_count ?? null,
    url: l.url ?? null,
  };
  const s = line.shop;
  const shop: ScoringShop | null = s
    ? {
        marketplace: l.marketplace,
        id: s.id,
        name: s.name,
        address: s.address ?? null,
        declaredLocation: s.declared_location ?? null,
        isOfficial: s.is_official ?? false,
        joinedAtMs: parseJoinedAt(s.joined_at),
        followerCount: s.follower_count ?? null,
        rating: s.rating ?? null,
        phone: s.phone ?? null,
        taxCode: s.tax_code ?? null,
      }
    : null;
  return { listing, shop };
}

function parseJoinedAt(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** One output line of score-file. */
export interface ScoreFileOutput {
  id: string;
  marketplace: string;
  shop_id: string | null;
  score: number;
  flagged: boolean;
  red_flag: boolean;
  reasons: { code: string; weight: number; detail: string; en: string; vi: string }[];
  reference_price_vnd: number | null;
  scoring_version: string;
}

export interface ScoreFileOptions {
  catalog: CompiledCatalog;
  threshold?: number;
  nowMs?: number;
  /** Called for each invalid line (1-based line number). */
  onInvalid?: (lineNumber: number, error: string) => void;
  /** Called every `progressEvery` lines read. */
  onProgress?: (linesRead: number) => void;
}

export interface ScoreFileSummary {
  lines: number;
  scored: number;
  invalid: number;
  flagged: number;
}

/**
 * Scores a JSON-Lines file with no database: peer statistics use the whole file, so it is read
 * fully before scoring. Invalid lines are reported through `onInvalid` and skipped.
 */
export async function scoreFile(inPath: string, out: NodeJS.WritableStream, options: ScoreFileOptions): Promise<ScoreFileSummary> {
  const items: ScoringItem[] = [];
  let lineNumber = 0;
  let invalid = 0;
  const input = createInterface({ input: createReadStream(inPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of input) {
    lineNumber++;
    if (line.trim() === '') continue;
    const parsed = parseScoreFileLine(line);
    if (parsed.ok) items.push(parsed.item);
    else {
      invalid++;
      options.onInvalid?.(lineNumber, parsed.error);
    }
    if (lineNumber % 50_000 === 0) options.onProgress?.(lineNumber);
  }
  const outputs = scoreItems(items, options);
  let flagged = 0;
  let buffer = '';
  for (const output of outputs) {
    if (output.flagged) flagged++;
    buffer += `${JSON.stringify(output)}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
      buffer = '';
    }
  }
  if (buffer) out.write(buffer);
  return { lines: lineNumber, scored: items.length, invalid, flagged };
}

/** Scores parsed items in memory and shapes the output lines. */
export function scoreItems(items: readonly ScoringItem[], options: { catalog: CompiledCatalog; threshold?: number; nowMs?: number }): ScoreFileOutput[] {
  const result = scoreBatch(items, options);
  return result.listings.map((scored, i) => ({
    id: items[i]!.listing.id,
    marketplace: items[i]!.listing.marketplace,
    shop_id: items[i]!.shop?.id ?? null,
    score: scored.score,
    flagged: scored.flagged,
    red_flag: scored.score > SCORING_CONFIG.redThreshold,
    reasons: scored.reasons.map((r) => ({ code: r.code, weight: r.weight, detail: r.detail, en: r.en, vi: r.vi })),
    reference_price_vnd: scored.referencePriceVnd,
    scoring_version: SCORING_VERSION,
  }));
}

export function openOutput(path: string | undefined): NodeJS.WritableStream {
  return path ? createWriteStream(path) : process.stdout;
}
