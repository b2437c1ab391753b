import type { ListingRecord, Marketplace, ShopRecord } from '../src/core/domain/records.ts';

/**
 * The one narrow interface every marketplace adapter implements.
 *
 * Adapters only parse: bytes plus a URL go in; normalized records, follow-up requests or "blocked"
 * come out. An adapter never touches the database, a queue or crawlee, so it is tested on a saved
 * file in milliseconds. The runner (crawlers/runner) owns fetching, sessions, politeness and storage.
 */
export interface MarketplaceAdapter {
  /** CLI name: shopee | lazada | tiki | sendo | tiktok | schemaorg | selectors. */
  readonly name: string;
  /** Marketplace the records belong to (`web` for independent shops). */
  readonly marketplace: Marketplace;
  /** True when the data only exists after a browser runs the page's scripts (Shopee). */
  readonly needsBrowser: boolean;
  /** The real host, e.g. "https://tiki.vn"; overridable per crawl (the sandbox skins). */
  readonly defaultBaseUrl: string;
  /**
   * For browser adapters: which responses the page fetches that carry the data. The runner captures
   * them by response interception and hands them to `parse` as `FetchedPage.captured`.
   */
  readonly captureResponses?: RegExp;

  /** The first requests for a crawl target, built on `baseUrl`. */
  startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[];

  /**
   * Parses one fetched page. Must never throw on hostile input: an unparseable page is
   * `{ outcome: 'error' }`, a block or gate page is `{ outcome: 'blocked' }` (never "no results").
   */
  parse(page: FetchedPage, request: CrawlRequest): ParseResult;
}

export type PageKind = 'search' | 'listing' | 'shop';

export type CrawlTarget =
  | { mode: 'query'; query: string }
  | { mode: 'category'; category: string }
  | { mode: 'shop'; shopId: string }
  | { mode: 'url'; url: string };

/** The query, category, shop id or URL a target names: what `crawl_runs.target` records. */
export function crawlTargetValue(target: CrawlTarget): string {
  switch (target.mode) {
    case 'query':
      return target.query;
    case 'category':
      return target.category;
    case 'shop':
      return target.shopId;
    case 'url':
      return target.url;
  }
}

export interface StartOptions {
  baseUrl: string;
  /** Result pages to follow per target (search, category or shop listing pages). */
  maxPages: number;
}

/** A request the runner should fetch; `kind` says how `parse` must read the answer. */
export interface CrawlRequest {
  url: string;
  kind: PageKind;
  /** Dedup key; defaults to the URL. Natural keys (marketplace:item) avoid refetching the same item. */
  uniqueKey?: string;
  /** 1-based page number for paginated kinds, so adapters can stop at `maxPages`. */
  page?: number;
  maxPages?: number;
  /** Adapter-private context carried to `parse` (e.g. the shop id a listing page belongs to). */
  context?: Record<string, string | number | boolean | null>;
  /** Extra request headers (Tiki's x-guest-token, for example). */
  headers?: Record<string, string>;
}

export interface FetchedPage {
  /** Final URL after redirects (a redirect to a punish page is a block). */
  url: string;
  status: number;
  contentType: string | null;
  body: string;
  /** Response headers, lower-cased names. */
  headers?: Record<string, string>;
  /** JSON responses a browser page fetched itself (browser adapters only). */
  captured?: CapturedResponse[];
}

export interface CapturedResponse {
  url: string;
  status: number;
  body: string;
}

export interface ListingKey {
  marketplace: Marketplace;
  externalId: string;
}

export type ParseResult =
  | {
      outcome: 'ok';
      listings: ListingRecord[];
      shops: ShopRecord[];
      /** Follow-up requests: next result pages, listing details, shop pages. */
      requests: CrawlRequest[];
      /** Listings whose own page says they are gone (404 "not found" from the API, "removed" page). */
      removed: ListingKey[];
      /** Items dropped as invalid (poisoned prices, failed validation, nested too deep), with why. */
      rejected: RejectedItem[];
      /** Prices of listings priced in another currency than VND, as the page states them (their `priceVnd` is null). */
      statedPrices?: StatedPrice[];
    }
  | { outcome: 'blocked'; reason: string }
  | { outcome: 'error'; message: string };

export interface StatedPrice {
  externalId: string;
  /** In the currency's major unit ("24.17" USD is 24.17). */
  amount: number | null;
  originalAmount: number | null;
  /** ISO 4217 code. */
  currency: string;
}

export interface RejectedItem {
  reason: string;
  externalId?: string;
}

export function emptyResult(): Extract<ParseResult, { outcome: 'ok' }> {
  return { outcome: 'ok', listings: [], shops: [], requests: [], removed: [], rejected: [] };
}
