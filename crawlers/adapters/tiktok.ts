import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import { parsePrice } from '../price/parse-price.ts';
import {
  ResultBuilder, arr, baseOf, blocked, count, failed, guard, isObject, joinUrl, nextPage, num, obj, parseJson, rating, resolveUrl, slim,
  str, trimSlash, withParams,
} from './common.ts';
import { anchors, looksLikeHtml, relNext, scriptById, truncatedHtml } from './scan.ts';

const DEFAULT_BASE = 'https://www.tiktok.com';
const PATH_MARKERS = ['/shop/', '/view/product/', '/search'];
const PRODUCT_LINK = /\/(?:shop\/pdp\/[^/?#]+|view\/product)\/(\d+)/u;
/** Real product pages are well over 30 KB; a smaller page without the data is the gate. */
const GATE_MAX_BYTES = 30_000;
const OUT_OF_REGION = 23002102;
const CAPTCHA = /captcha|secsdk|verify-bar|tiktok-verify|xác minh|security check/iu;
const PRODUCT_ROUTE = 'view/product/(product_id)/page';

/**
 * TikTok Shop. `needsBrowser` is false: product pages are server-rendered with the data in
 * `__MODERN_ROUTER_DATA__`, and search/store pages link to them, so plain HTTP is enough and much
 * cheaper. A browser only helps against the signing (X-Bogus), which the runner does not attempt.
 */
export function createTiktokAdapter(): MarketplaceAdapter {
  return {
    name: 'tiktok',
    marketplace: 'tiktok',
    needsBrowser: false,
    defaultBaseUrl: DEFAULT_BASE,

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      const base = trimSlash(options.baseUrl);
      const list = (url: string): CrawlRequest => ({ url, kind: 'search', page: 1, maxPages: options.maxPages, context: { baseUrl: base } });
      switch (target.mode) {
        case 'query':
          return [list(withParams(joinUrl(base, '/search'), { q: target.query, page: 1 }))];
        case 'category':
          // TikTok has no public category listing; the sandbox and real search match category words.
          return [list(withParams(joinUrl(base, '/search'), { q: target.category, page: 1 }))];
        case 'shop':
          return [list(withParams(joinUrl(base, `/shop/store/${encodeURIComponent(target.shopId)}`), { page: 1 }))];
        case 'url': {
          const product = PRODUCT_LINK.exec(target.url);
          return product ? [{ url: target.url, kind: 'listing', uniqueKey: `tiktok:product:${product[1]}`, context: { baseUrl: base } }] : [list(target.url)];
        }
      }
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        if (page.status === 403) return blocked('HTTP 403 from TikTok');
        const base = baseOf(request, PATH_MARKERS, DEFAULT_BASE);
        const builder = new ResultBuilder('tiktok');
        if (truncatedHtml(page.body)) return failed('truncated HTML page (no </body> or </html>); fetch it again');
        const routerData = scriptById(page.body, '__MODERN_ROUTER_DATA__');
        if (routerData !== null) return parseProduct(routerData, page, request, builder);
        if (request.kind === 'listing') {
          if (page.body.length < GATE_MAX_BYTES || CAPTCHA.test(page.body.slice(0, 50_000))) {
            return blocked(`TikTok gate: ${CAPTCHA.test(page.body) ? 'captcha page' : `page under ${GATE_MAX_BYTES / 1000} KB`} without __MODERN_ROUTER_DATA__`);
          }
          return failed('TikTok product page without __MODERN_ROUTER_DATA__');
        }
        return parseLinks(page, request, base, builder);
      });
    },
  };
}

function parseLinks(page: FetchedPage, request: CrawlRequest, base: string, builder: ResultBuilder): ParseResult {
  if (!looksLikeHtml(page.body)) return failed('not a TikTok HTML page');
  const pageUrl = page.url || request.url;
  let products = 0;
  for (const anchor of anchors(page.body)) {
    const match = PRODUCT_LINK.exec(anchor.href);
    if (!match) continue;
    const url = resolveUrl(anchor.href, pageUrl);
    if (!url) continue;
    products++;
    builder.request({ url, kind: 'listing', uniqueKey: `tiktok:product:${match[1]}`, context: { baseUrl: base } });
  }
  if (products === 0 && CAPTCHA.test(page.body.slice(0, 50_000))) return blocked('TikTok captcha page instead of results');
  const next = relNext(page.body);
  if (next) {
    const nextUrl = resolveUrl(next, pageUrl);
    const request2 = nextUrl ? nextPage(request, nextUrl, base) : null;
    if (request2) builder.request(request2);
  }
  return builder.build();
}

/** Finds `error_code` anywhere in the router data: TikTok puts it at different depths. */
function findErrorCode(value: unknown, depth = 0): number | null {
  if (depth > 6 || !isObject(value)) return null;
  const code = num(value.error_code ?? value.errorCode);
  if (code !== null && code !== 0) return code;
  for (const child of Object.values(value)) {
    const found = findErrorCode(child, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function parseProduct(routerData: string, page: FetchedPage, request: CrawlRequest, builder: ResultBuilder): ParseResult {
  const json = parseJson(routerData);
  if (!json.ok) return failed(`__MODERN_ROUTER_DATA__ is ${json.message}`);
  const loaderData = obj(obj(json.value).loaderData);
  const route = obj(loaderData[PRODUCT_ROUTE] ?? Object.entries(loaderData).find(([key]) => key.includes('product'))?.[1]);
  const errorCode = findErrorCode(route);
  if (errorCode === OUT_OF_REGION) return blocked(`TikTok product out of region (error_code ${OUT_OF_REGION})`);
  const config = obj(route.page_config);
  const info = obj(obj(config.global_data).product_info);
  const productId = str(info.product_id) ?? PRODUCT_LINK.exec(page.url || request.url)?.[1] ?? null;
  if (!isObject(obj(config.global_data).product_info)) {
    const message = str(route.message) ?? str(obj(route.error).message) ?? '';
    if (productId && /not (found|available)|removed|không (còn )?tồn tại|ngừng bán/iu.test(message)) {
      builder.removed(productId);
      return builder.build();
    }
    return failed(`TikTok router data without product_info${errorCode !== null ? ` (error_code ${errorCode})` : ''}`);
  }
  if (!productId) return failed('TikTok product_info without product_id');
  const priceInfo = obj(info.product_price_info);
  const currency = str(priceInfo.currency_name) ?? 'VND';
  const price = tiktokPrice(priceInfo.sale_price_decimal ?? priceInfo.sale_price_format, currency);
  const original = tiktokPrice(priceInfo.origin_price_decimal ?? priceInfo.origin_price_format, currency);
  const components = arr(config.components_map).map(obj);
  const shopComponent = obj(components.find((c) => c.component_type === 'shop_info')?.component_data);
  const sellerInfo = obj(info.seller_info);
  const sellerId = str(shopComponent.seller_id) ?? str(sellerInfo.seller_id);
  if (price === undefined) builder.reject(`price in ${currency}, not VND`, productId);
  builder.listing({
    externalId: productId,
    shopExternalId: sellerId,
    title: str(info.title) ?? '',
    description: str(info.description)?.slice(0, 20_000) ?? null,
    brand: str(info.brand_name) ?? str(obj(info.brand).name),
    category: str(info.category_name),
    priceVnd: price ?? null,
    originalPriceVnd: original && price && original > price ? original : null,
    soldCount: count(obj(info.sold_info).sold_count),
    rating: rating(obj(info.rate_info).score),
    images: arr(info.images).map((image) => str(image) ?? str(arr(obj(image).url_list)[0])).filter((s): s is string => s !== null).slice(0, 50),
    url: page.url || request.url,
    raw: slim(info, ['description', 'images', 'skus', 'sale_props']),
  });
  if (sellerId) {
    builder.shop({
      externalId: sellerId,
      name: str(shopComponent.shop_name) ?? str(sellerInfo.shop_name) ?? sellerId,
      url: joinUrl(baseOf(request, PATH_MARKERS, DEFAULT_BASE), `/shop/store/${encodeURIComponent(sellerId)}`),
      declaredLocation: str(shopComponent.shop_location) ?? str(sellerInfo.shop_location),
      followerCount: count(shopComponent.followers_count),
      rating: rating(shopComponent.shop_rating ?? shopComponent.rating),
      listingCount: count(shopComponent.product_count),
      raw: Object.keys(shopComponent).length ? shopComponent : sellerInfo,
    });
  }
  return builder.build();
}

/** VND integer; `undefined` when the price is in another currency (so the caller can say so). */
function tiktokPrice(value: unknown, currency: string): number | null | undefined {
  const text = str(value);
  if (!text) return null;
  const parsed = parsePrice(text, { currencyHint: currency });
  if ('error' in parsed || parsed.amount === null) return null;
  if (parsed.currency !== 'VND') return undefined;
  return parsed.amount > 0 ? Math.round(parsed.amount) : null;
}

