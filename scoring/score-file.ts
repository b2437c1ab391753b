import { createWriteStream } from 'node:fs';
import {
  isCanonicalMarketplace,
  isDayMonthYear,
  looksLikeShopeeRawPrice,
  normaliseMarketplace,
  parseBoolText,
  parseCountText,
  parseVndText,
  phoneFromNumber,
  taxCodeFromNumber,
} from './input-coerce.ts';
import { z } from 'zod';
import type { CompiledCatalog } from './catalog.ts';
import { SCORING_CONFIG } from './config.ts';
import { scoreBatch, scoreBatchLazily, SCORING_VERSION, type ScoringItem } from './pipeline.ts';
import { ChunkedLineWriter, OutputLineEncoder, type ScoreFileOutput } from './io/output-lines.ts';
import { forEachLine } from './io/line-reader.ts';
import { utf8FromLatin1 } from './io/recode.ts';
import { fastScoreFileItem, parseJoinedAt, type KnownShops } from './score-file-fast.ts';
import { condenseDescription } from './signals/context.ts';
import type { ScoringListing, ScoringShop } from './types.ts';

const id = z.union([z.string().min(1).max(200), z.number().int().nonnegative()]).transform(String);
/** Numbers, or VND text as people paste it ("2.200.000đ", "150k"): see input-coerce.ts. */
const vnd = z.preprocess(
  (value) => (typeof value === 'string' ? (parseVndText(value) ?? value) : value),
  z.number().nonnegative().max(1e13).nullish(),
);
/** Whole numbers, or counts as marketplaces show them ("1,2k", "1.2K đã bán"). */
const count = z.preprocess(
  (value) => (typeof value === 'string' ? (parseCountText(value) ?? value) : value),
  z.number().int().nonnegative().nullish(),
);
const text = (max: number) => z.string().max(max).nullish();
/** Text, or a number that lost its leading zero (phones, tax codes). */
const digitsText = (max: number, fromNumber: (value: number) => string | null) =>
  z.preprocess((value) => (typeof value === 'number' ? (fromNumber(value) ?? value) : value), z.string().max(max).nullish());
const flag = z.preprocess(
  (value) => (typeof value === 'string' || typeof value === 'number' ? (parseBoolText(value) ?? value) : value),
  z.boolean().nullish(),
);
const rating = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+(?:[.,]\d+)?\s*$/.test(value) ? Number(value.replace(',', '.')) : value),
  z.number().min(0).max(5).nullish(),
);
/** Marketplace names normalised ("Shopee", "shopee.vn", "TikTok Shop" → shopee, tiktok); unknown ones kept, lower-cased. */
const marketplace = z
  .string()
  .min(1)
  .max(50)
  .transform((name) => normaliseMarketplace(name) ?? name.trim().toLowerCase());

/** One score-file line: `{"listing": {...}, "shop": {...}}` (issue 5 field names). */
export const ScoreFileLineSchema = z.object({
  listing: z.object({
    id,
    marketplace,
    title: z.string().min(1).max(2000),
    price_vnd: vnd,
    original_price_vnd: vnd,
    brand: text(200),
    category: text(300),
    sold_count: count,
    url: text(2000),
    description: text(20_000),
    /** The marketplace's condition field ("new", "used", "refurbished"; Vietnamese "mới", "cũ"/"đã qua sử dụng" too). */
    condition: z
      .string()
      .max(50)
      .nullish()
      .transform((value) => normaliseCondition(value)),
  }),
  shop: z
    .object({
      id,
      name: z.string().max(500),
      address: text(1000),
      declared_location: text(200),
      is_official: flag,
      /** ISO 8601, day/month/year ("25/12/2024"), or epoch seconds/milliseconds. */
      joined_at: z.union([z.string().max(100), z.number()]).nullish(),
      follower_count: count,
      rating,
      phone: digitsText(100, phoneFromNumber),
      tax_code: digitsText(100, taxCodeFromNumber),
      /** Links shops into networks (strong link). */
      email: text(200),
      /** Payout bank account number; links shops into networks (strong link). */
      bank_account: text(100),
    })
    .nullish(),
});
export type ScoreFileLine = z.infer<typeof ScoreFileLineSchema>;

/** A condition field as marketplaces write it, or null when it says nothing we know. */
export function normaliseCondition(value: string | null | undefined): 'new' | 'used' | 'refurbished' | null {
  if (!value) return null;
  const key = value.normalize('NFC').trim().toLowerCase();
  if (/^(new|moi|mới|brand new|nguyên seal|nguyen seal)$/.test(key)) return 'new';
  if (/^(used|cũ|cu|đã qua sử dụng|da qua su dung|second ?hand|2hand|like new|pre-?owned)$/.test(key)) return 'used';
  if (/^(refurbished|refurb|tân trang|tan trang|renewed)$/.test(key)) return 'refurbished';
  return null;
}

export type ParsedLine = { ok: true; item: ScoringItem } | { ok: false; error: string };

/**
 * What score-file changed or doubted while reading, per run: each coercion ("price_vnd: VND text")
 * and each warning ('marketplace "amazon" is not one of …') with how many lines it concerned.
 */
export class InputNotes {
  readonly coercions = new Map<string, number>();
  readonly warnings = new Map<string, number>();
  coerced(what: string): void {
    this.coercions.set(what, (this.coercions.get(what) ?? 0) + 1);
  }
  warn(what: string): void {
    this.warnings.set(what, (this.warnings.get(what) ?? 0) + 1);
  }
}

/** Parses one JSON line; never throws — bad JSON or fields come back as a one-line error. */
export function parseScoreFileLine(line: string, notes?: InputNotes): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  // Well-formed lines skip zod; the schema still decides (and explains) every other line.
  const fast = fastScoreFileItem(json);
  if (fast) return refuseRawPrices(fast);
  const parsed = ScoreFileLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || '(line)'}: ${issue.message}` };
  }
  const result = refuseRawPrices(toItem(parsed.data));
  if (result.ok && notes) noteCoercions(json as Record<string, unknown>, notes);
  return result;
}

/** Shopee's raw prices (VND × 100000) are refused with the fix, never scored as VND. */
export function refuseRawPrices(item: ScoringItem): ParsedLine {
  const l = item.listing;
  for (const [field, value] of [
    ['price_vnd', l.priceVnd],
    ['original_price_vnd', l.originalPriceVnd],
  ] as const) {
    if (looksLikeShopeeRawPrice(l.marketplace, value)) {
      return {
        ok: false,
        error: `listing.${field}: ${value} looks like Shopee's raw API price (VND × 100000): divide Shopee prices by 100000 before scoring`,
      };
    }
  }
  return { ok: true, item };
}

/** Records what the schema coerced on an accepted line, by comparing the raw values with the canonical types. */
function noteCoercions(json: Record<string, unknown>, notes: InputNotes): void {
  const l = (json.listing ?? {}) as Record<string, unknown>;
  const s = (json.shop ?? null) as Record<string, unknown> | null;
  if (typeof l.marketplace === 'string' && !isCanonicalMarketplace(l.marketplace)) {
    if (normaliseMarketplace(l.marketplace)) notes.coerced(`marketplace: "${l.marketplace}" → ${normaliseMarketplace(l.marketplace)}`);
    else
      notes.warn(
        `marketplace "${l.marketplace}" is not one of shopee, lazada, tiki, sendo, tiktok, web (official-shop grants and peers will not match)`,
      );
  }
  if (typeof l.price_vnd === 'string') notes.coerced('price_vnd: VND text read as a number');
  if (typeof l.original_price_vnd === 'string') notes.coerced('original_price_vnd: VND text read as a number');
  if (typeof l.sold_count === 'string') notes.coerced('sold_count: text such as "1,2k" read as a number');
  if (typeof l.condition === 'string' && normaliseCondition(l.condition) === null)
    notes.warn(`condition "${l.condition}" not understood (new, used, refurbished)`);
  if (!s) return;
  if (typeof s.is_official === 'string' || typeof s.is_official === 'number')
    notes.coerced('is_official: text or number read as true/false');
  if (typeof s.follower_count === 'string') notes.coerced('follower_count: text read as a number');
  if (typeof s.rating === 'string') notes.coerced('rating: text read as a number');
  if (typeof s.phone === 'number') notes.coerced('phone: number read as text (leading 0 restored)');
  if (typeof s.tax_code === 'number') notes.coerced('tax_code: number read as text (leading 0 restored)');
  if (typeof s.joined_at === 'string' && isDayMonthYear(s.joined_at)) notes.coerced('joined_at: read as day/month/year');
  if (typeof s.joined_at === 'string' && parseJoinedAt(s.joined_at) === null)
    notes.warn('joined_at: date not understood (ISO 8601 or day/month/year)');
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
  if (l.condition) listing.condition = l.condition;
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
        email: s.email ?? null,
        bankAccount: s.bank_account ?? null,
      }
    : null;
  return { listing, shop };
}

export type { ScoreFileOutput } from './io/output-lines.ts';

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
  /** Values read after coercion (VND text, "1,2k", "true", numeric phones, day/month/year), with line counts. */
  coercions: Record<string, number>;
  /** Doubts that did not reject the line (unknown marketplace, unreadable date), with line counts. */
  warnings: Record<string, number>;
}

/**
 * Parses score-file lines read as latin1 (one character per byte): making those strings costs a
 * fraction of decoding UTF-8 (0.18 s against 0.46 s for 138 MB), JSON.parse is as fast on them, and
 * the description and URL, most of a line's bytes, are validated but never decoded, since no signal
 * reads them. The text scoring
 * does read is decoded from its bytes afterwards, per line for the listing and once per distinct
 * shop, which is also where shops are shared: every line of a shop points at its first line's copy.
 * A line the fast path cannot take whole (a JSON escape "\u", a blank or odd first character, a
 * value it does not accept) is decoded as UTF-8 and parsed by `parseScoreFileLine`, so results and
 * error messages are exactly those of the plain path.
 */
export class Latin1LineParser {
  private readonly shops = new FirstShopCopies();
  /** Coercions and warnings of the lines parsed so far. */
  readonly notes = new InputNotes();

  /** null for a blank line (skipped, as score-file skips blank lines). */
  parse(raw: string): ParsedLine | null {
    const item = raw.charCodeAt(0) === 0x7b && raw.indexOf('\\u') < 0 ? this.fast(raw) : null;
    if (item) return refuseRawPrices(item);
    const line = utf8FromLatin1(raw);
    if (line.charCodeAt(0) !== 0x7b && line.trim() === '') return null;
    const parsed = parseScoreFileLine(line, this.notes);
    if (parsed.ok) {
      dropUnscoredText(parsed.item, false);
      const shop = parsed.item.shop;
      if (shop) {
        const first = this.shops.get(shop.marketplace, shop.id);
        if (first === undefined) this.shops.remember(shop);
        else parsed.item.shop = first;
      }
    }
    return parsed;
  }

  private fast(raw: string): ScoringItem | null {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const item = fastScoreFileItem(json, 'latin1', this.shops);
    if (item) dropUnscoredText(item, true);
    return item;
  }
}

/** Each shop's first copy, by marketplace and shop id. */
class FirstShopCopies implements KnownShops {
  private readonly byMarketplace = new Map<string, Map<string, ScoringShop>>();

  get(marketplace: string, shopId: string): ScoringShop | undefined {
    return this.byMarketplace.get(marketplace)?.get(shopId);
  }

  remember(shop: ScoringShop): void {
    let byId = this.byMarketplace.get(shop.marketplace);
    if (byId === undefined) this.byMarketplace.set(shop.marketplace, (byId = new Map<string, ScoringShop>()));
    if (!byId.has(shop.id)) byId.set(shop.id, shop);
  }
}

/**
 * Scores a JSON-Lines file with no database: peer statistics use the whole file, so it is read
 * fully before scoring. Invalid lines are reported through `onInvalid` and skipped.
 */
export async function scoreFile(inPath: string, out: NodeJS.WritableStream, options: ScoreFileOptions): Promise<ScoreFileSummary> {
  const items: ScoringItem[] = [];
  const parser = new Latin1LineParser();
  let invalid = 0;
  const lines = await forEachLine(
    inPath,
    (raw, lineNumber) => {
      const parsed = parser.parse(raw);
      if (parsed?.ok) items.push(parsed.item);
      else if (parsed) {
        invalid++;
        options.onInvalid?.(lineNumber, parsed.error);
      }
      if (lineNumber % 50_000 === 0) options.onProgress?.(lineNumber);
    },
    'latin1',
  );
  const batch = scoreBatchLazily(items, options);
  const encoder = new OutputLineEncoder(batch.shops.length, SCORING_VERSION);
  const writer = new ChunkedLineWriter(out);
  let flagged = 0;
  for (let i = 0; i < items.length; i++) {
    const scored = batch.listing(i);
    if (scored.flagged) flagged++;
    const wait = writer.push(
      encoder.line(items[i]!, batch.listingShop[i]!, scored.score, scored.flagged, scored.reasons, scored.referencePriceVnd),
    );
    if (wait) await wait;
  }
  writer.flush();
  return {
    lines,
    scored: items.length,
    invalid,
    flagged,
    coercions: Object.fromEntries(parser.notes.coercions),
    warnings: Object.fromEntries(parser.notes.warnings),
  };
}

/**
 * The whole file is held in memory until peer statistics are known, and the description and URL
 * are most of a line's text: no signal reads the URL, and of the description only its lexicon
 * terms (`condenseDescription`; a test in test/scoring/score-file.test.ts checks that scores are
 * the same). Dropping the rest after validation lets it die young instead of being promoted and
 * copied by the garbage collector. `latin1`: the description is still UTF-8 bytes (fast path).
 */
export function dropUnscoredText(item: ScoringItem, latin1 = false): void {
  item.listing.description = condenseDescription(item.listing.description, latin1);
  item.listing.url = null;
}

/** Scores parsed items in memory and shapes the output lines. */
export function scoreItems(
  items: readonly ScoringItem[],
  options: { catalog: CompiledCatalog; threshold?: number; nowMs?: number },
): ScoreFileOutput[] {
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
