/**
 * Helpers for independent web shops (the `schemaorg` and `selectors` adapters): stable ids from
 * URLs, loose dates, and the shared list-page discovery.
 */
import { UserError } from '../../src/core/errors.ts';
import type { CrawlRequest, CrawlTarget, StartOptions } from '../adapter.ts';
import { joinUrl, nextPage, resolveUrl, trimSlash, type ResultBuilder } from './common.ts';

/** A listing id that survives port changes and query strings: host (no port) + path. */
export function listingIdFromUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.pathname.replace(/\/+$/u, '') || '/'}`;
  } catch {
    return null;
  }
}

/** A shop id from its URL (host + path, no scheme or port), or null. */
export function shopIdFromUrl(url: string): string | null {
  return listingIdFromUrl(url);
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/**
 * ISO 8601 from the dates web shops actually write: ISO, "2021/03/05", "05/03/2021" and
 * "05-03-2021" (day first, as in Vietnam), "March 5, 2021", "5 Mar 2021", unix seconds. Null otherwise.
 */
export function parseLooseDate(value: unknown): string | null {
  if (typeof value === 'number') return value > 0 && value < 4_102_444_800 ? new Date(value * 1000).toISOString() : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let y: number | undefined;
  let m: number | undefined;
  let d: number | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/u.exec(text))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[4] !== undefined) {
      const zone = match[7] ? (match[7] === 'Z' ? 'Z' : match[7].replace(/^([+-]\d{2})(\d{2})$/u, '$1:$2')) : 'Z';
      const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}T${match[4].padStart(2, '0')}:${match[5]}:${match[6] ?? '00'}${zone}`;
      const time = Date.parse(iso);
      return Number.isNaN(time) ? null : new Date(time).toISOString();
    }
  } else if ((match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/u.exec(text))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/iu.exec(text))) {
    [m, d, y] = [MONTHS[match[1]!.toLowerCase()], Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})$/iu.exec(text))) {
    [d, m, y] = [Number(match[1]), MONTHS[match[2]!.toLowerCase()], Number(match[3])];
  } else if ((match = /^(\d{4})$/u.exec(text))) {
    [y, m, d] = [Number(match[1]), 1, 1];
  }
  if (!y || !m || !d || m > 12 || d > 31 || y < 1900 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCDate() === d ? date.toISOString() : null;
}

/** Start requests for a web shop: `/search?q=`, `/category/{slug}`, or the given URL. */
export function webStartRequests(
  target: CrawlTarget,
  options: StartOptions,
  paths: { search: string; category: string; shop?: string | undefined },
  adapterName: string,
): CrawlRequest[] {
  const base = trimSlash(options.baseUrl);
  if (target.mode === 'url') {
    const kind = /\/(p|product|products|san-pham)\/[^/]+/u.test(target.url) ? 'listing' : 'search';
    return [{ url: target.url, kind, page: 1, maxPages: options.maxPages, context: { baseUrl: base || originOf(target.url) } }];
  }
  if (!/^https?:\/\//u.test(base)) {
    throw new UserError(
      `the ${adapterName} adapter crawls any web shop, so it needs --base-url (e.g. --base-url https://shop.example.vn) or --url`,
    );
  }
  const fill = (template: string, key: string, value: string) => template.replace(`{${key}}`, encodeURIComponent(value));
  let url: string;
  if (target.mode === 'query') url = joinUrl(base, fill(paths.search, 'query', target.query));
  else if (target.mode === 'category') url = joinUrl(base, fill(paths.category, 'category', target.category));
  else if (paths.shop) url = joinUrl(base, fill(paths.shop, 'shop', target.shopId));
  else throw new UserError(`the ${adapterName} adapter has no per-shop listing page; use --url or --query`);
  return [{ url, kind: 'search', page: 1, maxPages: options.maxPages, context: { baseUrl: base } }];
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** Product links become listing requests keyed by their id; `next` becomes the next list page. */
export function addDiscovered(
  builder: ResultBuilder,
  links: string[],
  next: string | null,
  pageUrl: string,
  request: CrawlRequest,
  base: string,
): number {
  let found = 0;
  for (const href of links) {
    const url = resolveUrl(href, pageUrl);
    const id = url ? listingIdFromUrl(url) : null;
    if (!url || !id) continue;
    found++;
    builder.request({ url, kind: 'listing', uniqueKey: `web:${id}`, context: { baseUrl: base } });
  }
  if (next) {
    const nextUrl = resolveUrl(next, pageUrl);
    const request2 = nextUrl && nextUrl !== pageUrl ? nextPage(request, nextUrl, base) : null;
    if (request2) builder.request(request2);
  }
  return found;
}
