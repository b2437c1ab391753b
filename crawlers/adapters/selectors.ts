import { load, type CheerioAPI } from 'cheerio';
import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import { ResultBuilder, baseOf, blocked, failed, guard, isObject, num, str, type Json } from './common.ts';
import { addProduct, jsonLdNodes, money, type WebProduct } from './schemaorg.ts';
import { looksLikeHtml, truncatedHtml, TRUNCATED_MESSAGE } from './scan.ts';
import type { FieldSpec, SiteFile } from './site-file.ts';
import { addDiscovered, listingIdFromUrl, webStartRequests } from './web-common.ts';

/**
 * The declarative adapter: a site file of CSS selectors (crawlers/sites/*.yaml) lets an analyst
 * add a web shop without code. Everything else (ids, prices, seller records) is shared with the
 * schemaorg adapter, so both produce the same records for the same shop.
 */
export function createSelectorsAdapter(site: SiteFile): MarketplaceAdapter {
  return {
    name: 'selectors',
    marketplace: site.marketplace,
    needsBrowser: false,
    defaultBaseUrl: site.baseUrl ?? '',

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      return webStartRequests(
        target,
        options,
        { search: site.start.search, category: site.start.category, shop: site.start.shop },
        `selectors (${site.name})`,
      );
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        if (page.status === 403 || page.status === 429) return blocked(`HTTP ${page.status} from ${site.name}`);
        if (truncatedHtml(page.body)) return failed(TRUNCATED_MESSAGE);
        const $ = load(page.body);
        const blockedBy = site.blocked.find((selector) => $(selector).length > 0);
        if (blockedBy) return blocked(`${site.name} block page (matched ${blockedBy})`);
        const pageUrl = page.url || request.url;
        const base = baseOf(request, [], pageUrl);
        const builder = new ResultBuilder(site.marketplace);
        if (request.kind === 'listing') return parseDetail($, page, pageUrl, builder);
        if (!looksLikeHtml(page.body)) return failed('not an HTML page');
        const links = $(site.list.productLinks)
          .map((_, el) => $(el).attr('href') ?? '')
          .get()
          .filter(Boolean);
        const next = site.list.nextPage ? ($(site.list.nextPage).first().attr('href') ?? null) : null;
        addDiscovered(builder, links, next, pageUrl, request, base);
        return builder.build();
      });
    },
  };

  function parseDetail($: CheerioAPI, page: FetchedPage, pageUrl: string, builder: ResultBuilder): ParseResult {
    const id = listingIdFromUrl(pageUrl);
    if (id && (page.status === 404 || page.status === 410 || (site.detail.gone && $(site.detail.gone).length > 0))) {
      builder.removed(id);
      return builder.build();
    }
    const read = reader($, pageUrl);
    const title = read.one(site.detail.title);
    if (!title) return failed(`${site.name}: no title on the product page (detail.title matched nothing)`);
    const currency = read.one(site.detail.currency)?.toUpperCase() ?? 'VND';
    const price = money(read.one(site.detail.price), currency);
    const original = money(read.one(site.detail.originalPrice), currency);
    const sellerName = read.one(site.shop.name);
    const seller: Json | null = sellerName
      ? {
          name: sellerName,
          url: read.one(site.shop.url),
          address: read.one(site.shop.address),
          telephone: read.one(site.shop.phone),
          email: read.one(site.shop.email),
          taxID: read.one(site.shop.taxCode),
          foundingDate: read.one(site.shop.joinedAt),
        }
      : null;
    const ratingText = read.one(site.detail.rating);
    const product: WebProduct = {
      name: title,
      sku: read.one(site.detail.sku),
      description: read.one(site.detail.description),
      brand: read.one(site.detail.brand),
      category: read.one(site.detail.category),
      url: pageUrl,
      images: read
        .all(site.detail.images)
        .map((src) => resolve(src, pageUrl))
        .slice(0, 50),
      price: price.amount,
      originalPrice: original.amount,
      currency: price.currency ?? currency,
      rating: ratingText ? num(ratingText.replace(',', '.')) : null,
      seller,
      raw: { site: site.name, title, price: read.one(site.detail.price), brand: read.one(site.detail.brand) },
    };
    addProduct(builder, product, pageUrl);
    return builder.build();
  }
}

function resolve(href: string, pageUrl: string): string {
  try {
    return new URL(href, pageUrl).toString();
  } catch {
    return href;
  }
}

/** Reads field specs against one loaded page; JSON-LD is parsed once, on first use. */
function reader($: CheerioAPI, pageUrl: string) {
  let nodes: Json[] | undefined;
  const fromJsonLd = (path: string): string[] => {
    nodes ??= jsonLdNodes($);
    const [type, ...keys] = path.split('.');
    const match = findTyped(nodes, type!, 0);
    if (!match) return [];
    let value: unknown = match;
    for (const key of keys) value = Array.isArray(value) ? (value[0] as Json | undefined)?.[key] : isObject(value) ? value[key] : undefined;
    return flatten(value);
  };
  const values = (source: string): string[] => {
    if (source.startsWith('jsonld:')) return fromJsonLd(source.slice('jsonld:'.length));
    const at = source.lastIndexOf('@');
    const attribute = at > 0 && /^[\w:-]+$/u.test(source.slice(at + 1)) ? source.slice(at + 1) : null;
    const selector = attribute ? source.slice(0, at) : source;
    return $(selector)
      .map((_, el) => (attribute ? $(el).attr(attribute) : $(el).text()) ?? '')
      .get()
      .map((text) => text.replace(/\s+/gu, ' ').trim())
      .filter(Boolean);
  };
  const sources = (spec: FieldSpec | undefined): string[] => (spec === undefined ? [] : Array.isArray(spec) ? spec : [spec]);
  return {
    one(spec: FieldSpec | undefined): string | null {
      for (const source of sources(spec)) {
        const found = values(source)[0];
        if (found) return found;
      }
      return null;
    },
    all(spec: FieldSpec | undefined): string[] {
      for (const source of sources(spec)) {
        const found = values(source);
        if (found.length) return found;
      }
      return [];
    },
    pageUrl,
  };
}

function findTyped(nodes: unknown[], type: string, depth: number): Json | null {
  if (depth > 5) return null;
  for (const node of nodes) {
    if (!isObject(node)) continue;
    const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
    if (types.some((t) => typeof t === 'string' && t.replace(/^https?:\/\/schema\.org\//u, '') === type)) return node;
  }
  for (const node of nodes) {
    if (!isObject(node)) continue;
    const children = Object.values(node)
      .flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))
      .filter(isObject);
    const found = findTyped(children, type, depth + 1);
    if (found) return found;
  }
  return null;
}

function flatten(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (isObject(value)) {
    if (value['@type'] === 'PostalAddress') {
      const parts = ['streetAddress', 'addressLocality', 'addressRegion', 'addressCountry']
        .map((k) => str(value[k]))
        .filter((s): s is string => s !== null);
      return parts.length ? [parts.join(', ')] : [];
    }
    return flatten(value.name ?? value.url ?? value['@value']);
  }
  const text = str(value);
  return text ? [text] : [];
}
