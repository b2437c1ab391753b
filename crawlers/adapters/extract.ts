import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import type { FetchedPage, PageKind, ParseResult } from '../adapter.ts';
import { getAdapter } from './index.ts';

export const PAGE_KINDS: readonly PageKind[] = ['search', 'listing', 'shop'];

export interface ExtractOptions {
  /** Adapter name (`radar extract --adapter`). */
  adapter: string;
  /** How to read the page: search results, one listing, or one shop. */
  kind: string;
  /** The saved response or page. */
  file: string;
  /**
   * The URL the page was fetched from; gives ids and links their meaning.
   * @default `<adapter's base URL>/<file name>` (`http://localhost/<file name>` for an adapter without one)
   */
  url?: string;
  /** Site file for the `selectors` adapter, which refuses to run without one; other adapters ignore it. */
  site?: string;
  /** HTTP status the page was served with (a saved 404 says "removed"). @default 200 */
  status?: number;
}

export interface ExtractOutput {
  result: ParseResult;
  /** JSON Lines to print: one per listing, shop and removed listing, each with a `record` field. */
  lines: Record<string, unknown>[];
  url: string;
}

/** Parses one saved page offline, exactly as the crawler would, and shapes the records for printing. */
export function extractFile(options: ExtractOptions, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): ExtractOutput {
  if (!(PAGE_KINDS as readonly string[]).includes(options.kind)) {
    throw new UserError(`--kind must be one of ${PAGE_KINDS.join(', ')}, got "${options.kind}"`);
  }
  const adapter = getAdapter(options.adapter, options.site ? { siteFile: options.site } : {});
  let body: string;
  try {
    body = read(options.file === '-' ? '/dev/stdin' : resolve(options.file));
  } catch (error) {
    throw new UserError(`cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const url = options.url ?? defaultUrl(adapter.defaultBaseUrl, options.file);
  try {
    new URL(url);
  } catch {
    throw new UserError(`--url must be an absolute URL such as https://tiki.vn/api/v2/products?q=x, got "${url}"`);
  }
  const kind = options.kind as PageKind;
  const page: FetchedPage = { url, status: options.status ?? 200, contentType: null, body };
  const result = adapter.parse(page, { url, kind, page: 1, maxPages: 1 });
  const lines: Record<string, unknown>[] = [];
  if (result.outcome === 'ok') {
    const stated = new Map((result.statedPrices ?? []).map((price) => [price.externalId, price]));
    for (const listing of result.listings) {
      // `price`/`currency`: VND when the listing has a VND price, else the page's own currency.
      const foreign = listing.priceVnd === null ? stated.get(listing.externalId) : undefined;
      const price = foreign
        ? { price: foreign.amount, originalPrice: foreign.originalAmount, currency: foreign.currency }
        : { price: listing.priceVnd, originalPrice: listing.originalPriceVnd, currency: listing.priceVnd === null ? null : 'VND' };
      lines.push({ record: 'listing', ...listing, ...price });
    }
    for (const shop of result.shops) lines.push({ record: 'shop', ...shop });
    for (const removed of result.removed) lines.push({ record: 'removed', ...removed });
  }
  return { result, lines, url };
}

function defaultUrl(base: string, file: string): string {
  const root = base || 'http://localhost';
  return `${root.replace(/\/+$/u, '')}/${encodeURIComponent(basename(file === '-' ? 'stdin' : file))}`;
}
