/**
 * Small, dependency-free helpers every adapter shares: safe JSON access, URL building on a
 * configurable base, and a result builder that zod-validates records and turns invalid ones
 * into `rejected` entries instead of throwing.
 */
import {
  ListingRecordSchema,
  ShopRecordSchema,
  type ListingRecordInput,
  type Marketplace,
  type ShopRecordInput,
} from '../../src/core/domain/records.ts';
import { emptyResult, type CrawlRequest, type ListingKey, type ParseResult, type StatedPrice } from '../adapter.ts';
import { toVnd } from '../price/parse-price.ts';
import { MAX_NESTING, nestedDeeperThan } from './depth.ts';

export type Json = Record<string, unknown>;
type OkResult = Extract<ParseResult, { outcome: 'ok' }>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object, or an empty one: lets adapters read nested fields without guards. */
export function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A trimmed non-empty string from a string or number, else null. */
export function str(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed ? trimmed : null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A finite number from a number or a numeric string ("4.8", "1,234"), else null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const cleaned = value.trim().replace(/,(?=\d{3}\b)/gu, '');
    if (!/^-?\d+(\.\d+)?$/u.test(cleaned)) return null;
    return Number(cleaned);
  }
  return null;
}

/** A non-negative integer count, else null. */
export function count(value: unknown): number | null {
  const n = num(value);
  return n === null || n < 0 ? null : Math.round(n);
}

/** Counts written for humans: "1.2K đã bán", "3,4k", "12 tr", "980". */
export function humanCount(value: unknown): number | null {
  if (typeof value === 'number') return count(value);
  const text = str(value)?.toLowerCase();
  if (!text) return null;
  const match = /(\d+(?:[.,]\d+)?)\s*(k|m|tr|triệu)?/u.exec(text);
  if (!match) return null;
  const base = Number(match[1]!.replace(',', '.'));
  const multiplier = match[2] === 'k' ? 1_000 : match[2] ? 1_000_000 : 1;
  return Number.isFinite(base) ? Math.round(base * multiplier) : null;
}

export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/**
 * A rating on the 0–5 scale; values on a 0–100 scale (percentages) are scaled down. Zero means
 * "not rated yet" on every marketplace (stars start at 1), so it is null, not a terrible score.
 */
export function rating(value: unknown): number | null {
  const n = num(value);
  if (n === null || n <= 0) return null;
  if (n <= 5) return n;
  if (n <= 100) return Math.round((n / 20) * 100) / 100;
  return null;
}

export function vnd(value: unknown): number | null {
  const amount = toVnd(value);
  return amount !== null && amount > 0 ? amount : null;
}

export function unixToIso(seconds: unknown): string | null {
  const n = num(seconds);
  if (n === null || n <= 0 || n > 4_102_444_800) return null;
  return new Date(n * 1000).toISOString();
}

/** "Joined N days ago", pinned to midnight UTC so re-crawls on the same day agree. */
export function daysAgoToIso(days: unknown, now = Date.now()): string | null {
  const n = num(days);
  if (n === null || n < 0 || n > 20_000) return null;
  const midnight = Math.floor(now / 86_400_000) * 86_400_000;
  return new Date(midnight - Math.round(n) * 86_400_000).toISOString();
}

/**
 * A tax code a shop writes into its own text ("MST: 0312345675", "Mã số thuế 0100109106-001"):
 * Decree 85/2021 makes sellers publish it, and many do so only in their description.
 */
export function taxCodeFromText(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  const match = /(?:\bMST|mã số thuế|\bMSDN|tax code|tax id)\s*[:.#]?\s*(\d{10}(?:-\d{3})?|\d{12,13})(?!\d)/iu.exec(text);
  return match ? match[1]! : null;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(body: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Drops bulky keys from a source object kept as `raw`, so evidence stays small. */
export function slim(source: Json, drop: readonly string[]): Json {
  const copy: Json = {};
  for (const [key, value] of Object.entries(source)) if (!drop.includes(key)) copy[key] = value;
  return copy;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/u, '');
}

/** `base` + `path`, where `path` starts with "/" and the base may carry a prefix ("/tiki"). */
export function joinUrl(base: string, path: string): string {
  return `${trimSlash(base)}${path.startsWith('/') ? path : `/${path}`}`;
}

export function withParams(url: string, params: Record<string, string | number>): string {
  try {
    const parsed = new URL(url);
    for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, String(value));
    return parsed.toString();
  } catch {
    return url;
  }
}

export function param(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}

/**
 * The base URL a request was built on: the one `startRequests` stored in its context, or the part
 * of the URL before the marketplace's own path (`/api/v2/`), so saved pages still resolve.
 */
export function baseOf(request: CrawlRequest, markers: readonly string[], fallback: string): string {
  const stored = request.context?.baseUrl;
  if (typeof stored === 'string' && stored) return trimSlash(stored);
  try {
    const parsed = new URL(request.url);
    for (const marker of markers) {
      const index = parsed.pathname.indexOf(marker);
      if (index >= 0) return trimSlash(`${parsed.origin}${parsed.pathname.slice(0, index)}`);
    }
    return parsed.origin;
  } catch {
    return trimSlash(fallback);
  }
}

/** Resolves a link found in a page ("//host/x", "/x", "x") against the page URL. */
export function resolveUrl(href: string, pageUrl: string): string | null {
  try {
    return new URL(href, pageUrl).toString();
  } catch {
    return null;
  }
}

/** Context every follow-up request carries so `parse` knows the crawl's base URL and page limit. */
export function carry(request: CrawlRequest, base: string): CrawlRequest['context'] {
  return { ...(request.context ?? {}), baseUrl: base };
}

/**
 * Collects records for one page. Records failing the zod schema become `rejected` with the first
 * issue, so one bad item never loses the page; requests are deduplicated by their unique key, and
 * the records one page gives of the same shop are merged (see `shop`).
 */
export class ResultBuilder {
  private readonly result: OkResult = emptyResult();
  private readonly seenRequests = new Set<string>();
  /** Index in `result.shops` by shop id. */
  private readonly shopAt = new Map<string, number>();
  private readonly seenListings = new Set<string>();

  constructor(readonly marketplace: Marketplace) {}

  /**
   * Adds a listing. `stated` is the price as the page writes it when that is not VND (a US or
   * Nepali storefront): `priceVnd` stays null, since converting would need a dated exchange rate.
   */
  listing(input: Omit<ListingRecordInput, 'marketplace'>, stated?: Omit<StatedPrice, 'externalId'>): void {
    if (this.tooDeep(input, input.externalId)) return;
    const parsed = ListingRecordSchema.safeParse({ ...input, marketplace: this.marketplace });
    if (!parsed.success) {
      this.reject(`invalid listing: ${describeIssue(parsed.error.issues[0])}`, input.externalId);
      return;
    }
    if (this.seenListings.has(parsed.data.externalId)) return;
    this.seenListings.add(parsed.data.externalId);
    this.result.listings.push(parsed.data);
    if (stated && stated.currency !== 'VND') (this.result.statedPrices ??= []).push({ externalId: parsed.data.externalId, ...stated });
  }

  shop(input: Omit<ShopRecordInput, 'marketplace'>): void {
    if (this.tooDeep(input, input.externalId)) return;
    const parsed = ShopRecordSchema.safeParse({ ...input, marketplace: this.marketplace });
    if (!parsed.success) {
      this.reject(`invalid shop: ${describeIssue(parsed.error.issues[0])}`, input.externalId);
      return;
    }
    const at = this.shopAt.get(parsed.data.externalId);
    if (at === undefined) {
      this.shopAt.set(parsed.data.externalId, this.result.shops.length);
      this.result.shops.push(parsed.data);
      return;
    }
    // One page can name a shop twice: a listing's stub (name, location) and the shop's own detail
    // (address, phone, followers). Keeping only the first dropped the detail whenever the stub came
    // first, as it does when the item list answers before the detail. Every field either gave is
    // kept (the first where both did), and flags are ORed.
    const merged: Record<string, unknown> = { ...this.result.shops[at]! };
    for (const [field, value] of Object.entries(parsed.data)) {
      if (value === null || value === undefined) continue;
      const current = merged[field];
      if (typeof value === 'boolean') merged[field] = current === true || value;
      else if (current === null || current === undefined) merged[field] = value;
    }
    this.result.shops[at] = merged as (typeof this.result.shops)[number];
  }

  /** An item nested past {@link MAX_NESTING} is rejected alone: storing it would overflow the stack. */
  private tooDeep(input: object, externalId: unknown): boolean {
    if (!nestedDeeperThan(input, MAX_NESTING + 2)) return false;
    this.reject(`item nested deeper than ${MAX_NESTING} levels`, externalId);
    return true;
  }

  request(request: CrawlRequest): void {
    const key = request.uniqueKey ?? request.url;
    if (this.seenRequests.has(key)) return;
    this.seenRequests.add(key);
    this.result.requests.push(request);
  }

  removed(externalId: string): void {
    const key: ListingKey = { marketplace: this.marketplace, externalId };
    this.result.removed.push(key);
  }

  reject(reason: string, externalId?: unknown): void {
    const id = str(externalId);
    this.result.rejected.push(id ? { reason, externalId: id } : { reason });
  }

  get listingCount(): number {
    return this.result.listings.length;
  }

  build(): OkResult {
    return this.result;
  }
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'failed validation';
  return `${issue.path.map(String).join('.') || 'record'}: ${issue.message}`;
}

export function blocked(reason: string): ParseResult {
  return { outcome: 'blocked', reason };
}

export function failed(message: string): ParseResult {
  return { outcome: 'error', message };
}

/**
 * Runs a parser and turns any exception into `{ outcome: 'error' }`: the interface promises
 * `parse` never throws, and hostile pages find paths no test thought of.
 */
export function guard(parse: () => ParseResult): ParseResult {
  try {
    return parse();
  } catch (error) {
    return failed(`parser failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Next-page request while `page < maxPages`. */
export function nextPage(request: CrawlRequest, url: string, base: string): CrawlRequest | null {
  const page = request.page ?? 1;
  const maxPages = request.maxPages ?? 1;
  if (page >= maxPages) return null;
  return {
    url,
    kind: request.kind,
    page: page + 1,
    maxPages,
    context: carry(request, base),
    ...(request.headers ? { headers: request.headers } : {}),
  };
}
