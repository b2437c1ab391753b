import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import type { CompiledCatalog } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import type { Reason } from '../src/domain/reasons.ts';
import { scoreBatch, SCORING_VERSION, type ScoringItem } from './pipeline.ts';
import { fastScoreFileItem, parseJoinedAt } from './score-file-fast.ts';
import { shopKey, type ScoringListing, type ScoringShop } from './types.ts';

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
  // Well-formed lines skip zod; the schema still decides (and explains) every other line.
  const fast = fastScoreFileItem(json);
  if (fast) return { ok: true, item: fast };
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

/** Bytes read per chunk: large reads, then lines split on newline bytes, not through readline. */
const READ_CHUNK_BYTES = 4 << 20;
/** Output is written in chunks of about this many characters. */
const WRITE_CHUNK_CHARS = 1 << 20;

/**
 * Calls `onLine` for every line of a file, numbered from 1, with readline's line breaks
 * ("\n", "\r\n" and a lone "\r"; no empty line after a final break). Reads large chunks and
 * decodes each run of whole lines once: a newline byte never sits inside a UTF-8 sequence.
 */
export async function forEachLine(path: string, onLine: (line: string, lineNumber: number) => void): Promise<number> {
  const file = await open(path, 'r');
  let lineNumber = 0;
  const emit = (line: string): void => {
    if (line.indexOf('\r') < 0) {
      onLine(line, ++lineNumber);
      return;
    }
    const parts = line.split(/\r\n|\r/);
    // A trailing "\r" ends the line rather than starting an empty one.
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) onLine(part, ++lineNumber);
  };
  try {
    let buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let carried = 0;
    for (;;) {
      if (carried === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const { bytesRead } = await file.read(buffer, carried, buffer.length - carried, null);
      const filled = carried + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) emit(buffer.toString('utf8', 0, filled));
        break;
      }
      const lastNewline = buffer.lastIndexOf(10, filled - 1);
      if (lastNewline < 0) {
        carried = filled;
        continue;
      }
      const text = buffer.toString('utf8', 0, lastNewline);
      let start = 0;
      for (;;) {
        const end = text.indexOf('\n', start);
        if (end < 0) break;
        emit(text.slice(start, end));
        start = end + 1;
      }
      emit(text.slice(start));
      carried = filled - lastNewline - 1;
      buffer.copy(buffer, 0, lastNewline + 1, filled);
    }
  } finally {
    await file.close();
  }
  return lineNumber;
}

/**
 * Scores a JSON-Lines file with no database: peer statistics use the whole file, so it is read
 * fully before scoring. Invalid lines are reported through `onInvalid` and skipped.
 */
export async function scoreFile(inPath: string, out: NodeJS.WritableStream, options: ScoreFileOptions): Promise<ScoreFileSummary> {
  const items: ScoringItem[] = [];
  // scoreBatch reads only the first line's copy of each shop (by marketplace and id); later lines
  // point at that copy, so their own shop objects and strings are garbage at once instead of held.
  const shops = new Map<string, ScoringShop>();
  let invalid = 0;
  const lines = await forEachLine(inPath, (line, lineNumber) => {
    // Skip blank lines; a line that starts with "{" is not blank, so most lines skip the trim().
    if (line.charCodeAt(0) !== 0x7b && line.trim() === '') return;
    const parsed = parseScoreFileLine(line);
    if (parsed.ok) {
      const item = parsed.item;
      dropUnscoredText(item);
      if (item.shop) {
        const key = shopKey(item.shop);
        const first = shops.get(key);
        if (first === undefined) shops.set(key, item.shop);
        else item.shop = first;
      }
      items.push(item);
    } else {
      invalid++;
      options.onInvalid?.(lineNumber, parsed.error);
    }
    if (lineNumber % 50_000 === 0) options.onProgress?.(lineNumber);
  });
  const result = scoreBatch(items, options);
  const writer = new OutputJson();
  let flagged = 0;
  let buffer = '';
  for (let i = 0; i < items.length; i++) {
    const scored = result.listings[i]!;
    if (scored.flagged) flagged++;
    buffer += writer.line(items[i]!, scored.score, scored.flagged, scored.reasons, scored.referencePriceVnd);
    if (buffer.length > WRITE_CHUNK_CHARS) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
      buffer = '';
    }
  }
  if (buffer) out.write(buffer);
  return { lines, scored: items.length, invalid, flagged };
}

/**
 * The whole file is held in memory until peer statistics are known, and the description and URL
 * are most of a line's text but no signal reads them (a test in test/scoring/score-file.test.ts
 * checks that scores do not depend on them). Dropping them after validation lets them die young
 * instead of being promoted and copied by the garbage collector.
 */
export function dropUnscoredText(item: ScoringItem): void {
  item.listing.description = null;
  item.listing.url = null;
}

/**
 * Builds one output line as `JSON.stringify(ScoreFileOutput)` would, byte for byte, without the
 * intermediate objects; the few distinct codes, marketplaces and explanations are quoted once, and
 * each shop's reasons once per shop.
 */
class OutputJson {
  private readonly shopReasons = new Map<Reason, string>();
  private readonly quoted = new Map<string, string>();
  private readonly tail = `,"scoring_version":${JSON.stringify(SCORING_VERSION)}}\n`;

  line(item: ScoringItem, score: number, flagged: boolean, reasons: readonly Reason[], referencePriceVnd: number | null): string {
    let json = `{"id":${JSON.stringify(item.listing.id)},"marketplace":${this.quote(item.listing.marketplace)},"shop_id":${item.shop ? JSON.stringify(item.shop.id) : 'null'},"score":${number(score)},"flagged":${flagged},"red_flag":${score > SCORING_CONFIG.redThreshold},"reasons":[`;
    for (let i = 0; i < reasons.length; i++) {
      if (i > 0) json += ',';
      json += this.reason(reasons[i]!);
    }
    return `${json}],"reference_price_vnd":${referencePriceVnd === null ? 'null' : number(referencePriceVnd)}${this.tail}`;
  }

  private reason(reason: Reason): string {
    // Shop-level reasons (address, identity) are the same objects for every listing of the shop.
    if (reason.code.startsWith('address.') || reason.code.startsWith('identity.')) {
      let json = this.shopReasons.get(reason);
      if (json === undefined) this.shopReasons.set(reason, (json = this.reasonJson(reason)));
      return json;
    }
    return this.reasonJson(reason);
  }

  private reasonJson(reason: Reason): string {
    return `{"code":${this.quote(reason.code)},"weight":${number(reason.weight)},"detail":${JSON.stringify(reason.detail)},"en":${this.quote(reason.en)},"vi":${this.quote(reason.vi)}}`;
  }

  /** Codes, marketplaces and explanations repeat: quote each distinct one once. */
  private quote(text: string): string {
    let json = this.quoted.get(text);
    if (json === undefined) {
      json = JSON.stringify(text);
      if (this.quoted.size < 10_000) this.quoted.set(text, json);
    }
    return json;
  }
}

/** A number as JSON.stringify writes it (non-finite numbers become null). */
function number(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
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
