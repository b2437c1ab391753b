import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import {
  ResultBuilder,
  baseOf,
  blocked,
  bool,
  count,
  failed,
  humanCount,
  guard,
  isObject,
  joinUrl,
  nextPage,
  num,
  obj,
  parseJson,
  rating,
  slim,
  str,
  trimSlash,
  unixToIso,
  vnd,
  withParams,
  type Json,
} from './common.ts';

const DEFAULT_BASE = 'https://searchlist-api.sendo.vn';
/** Product pages live on the storefront host, not on the search API host. */
const STOREFRONT = 'https://www.sendo.vn';
const PATH_MARKERS = ['/web/products', '/shop/'];
const PAGE_SIZE = 60;

/** Sendo: the search-list JSON API and the shop info JSON. */
export function createSendoAdapter(): MarketplaceAdapter {
  const shopRequest = (base: string, shopId: string): CrawlRequest => ({
    url: joinUrl(base, `/shop/${encodeURIComponent(shopId)}/info`),
    kind: 'shop',
    uniqueKey: `sendo:shop:${shopId}`,
    context: { baseUrl: base, shopId },
  });

  return {
    name: 'sendo',
    marketplace: 'sendo',
    needsBrowser: false,
    defaultBaseUrl: DEFAULT_BASE,

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      const base = trimSlash(options.baseUrl);
      const search = (params: Record<string, string>): CrawlRequest => ({
        url: withParams(joinUrl(base, '/web/products'), { ...params, page: 1, size: PAGE_SIZE }),
        kind: 'search',
        page: 1,
        maxPages: options.maxPages,
        context: { baseUrl: base },
      });
      switch (target.mode) {
        case 'query':
          return [search({ q: target.query })];
        case 'category':
          return [search({ category_id: target.category })];
        case 'shop':
          return [search({ shop_id: target.shopId }), shopRequest(base, target.shopId)];
        case 'url':
          return [
            {
              url: target.url,
              kind: /\/shop\/[^/]+\/info/u.test(target.url) ? 'shop' : 'search',
              page: 1,
              maxPages: options.maxPages,
              context: { baseUrl: base },
            },
          ];
      }
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        const base = baseOf(request, PATH_MARKERS, DEFAULT_BASE);
        if (page.status === 403) return blocked('HTTP 403 from the Sendo API');
        const json = parseJson(page.body);
        if (!json.ok) {
          return page.status < 400 && /<html|<!doctype/iu.test(page.body.slice(0, 500))
            ? blocked('an HTML page where the Sendo API answers JSON (a captcha or gate)')
            : failed(`Sendo response is ${json.message}`);
        }
        const builder = new ResultBuilder('sendo');
        // A live search answer wraps the entries as {data: [...]}; saved captures are often the bare array.
        const body = Array.isArray(json.value) && request.kind !== 'shop' ? { data: json.value } : obj(json.value);
        return request.kind === 'shop' ? parseShop(body, request, builder) : parseSearch(body, page, request, base, builder);
      });
    },
  };

  function parseSearch(body: Json, page: FetchedPage, request: CrawlRequest, base: string, builder: ResultBuilder): ParseResult {
    if (!Array.isArray(body.data)) return failed('Sendo search response has no data array');
    const storefront = base === DEFAULT_BASE ? STOREFRONT : base;
    let products = 0;
    for (const entry of body.data) {
      // SendoClick ad slots ({type, is_empty}) and other placeholders carry no product.
      if (isObject(entry) && entry.item === undefined && (entry.is_empty === true || str(entry.type) === 'SendoClick')) continue;
      products++;
      const item = obj(isObject(entry) ? entry.item : undefined);
      const id = str(item.product_id) ?? str(item.external_id);
      if (!id) {
        builder.reject('search entry without product_id');
        continue;
      }
      const shopId = str(item.shop_id);
      const price = vnd(item.final_price) ?? vnd(item.price);
      const original = vnd(item.original_price) ?? vnd(item.price);
      const path = str(item.cat_path);
      builder.listing({
        externalId: id,
        shopExternalId: shopId,
        title: str(item.name) ?? '',
        brand: str(item.brand_name),
        category: str(item.category_id),
        priceVnd: price,
        originalPriceVnd: original && price && original > price ? original : null,
        soldCount: count(item.order_count) ?? humanCount(item.order_count_text),
        rating: rating(item.rating_percent),
        images: str(item.thumbnail_url) ? [str(item.thumbnail_url)!] : [],
        url: path ? joinUrl(storefront, `/${path.replace(/^\//u, '')}`) : (str(item.deep_link) ?? str(item.url_key)),
        raw: slim(item, ['track_info', 'track_meta', 'promotion_sub_message', 'request_id', 'uid']),
      });
      if (shopId) {
        const name = str(item.shop_name);
        if (name)
          builder.shop({ externalId: shopId, name, declaredLocation: str(item.shop_warehouse_city), isVerified: bool(item.is_shop_plus) });
        builder.request(shopRequest(base, shopId));
      }
    }
    const meta = obj(body.meta);
    const current = num(meta.page) ?? request.page ?? 1;
    const totalPages = num(meta.total_page);
    // The bare form has no meta: a full page (ad slots not counted) means there may be another.
    if (totalPages !== null ? current < totalPages : products >= PAGE_SIZE) {
      const next = nextPage(request, withParams(page.url || request.url, { page: current + 1 }), base);
      if (next) builder.request(next);
    }
    return builder.build();
  }

  function parseShop(body: Json, request: CrawlRequest, builder: ResultBuilder): ParseResult {
    const data = obj(body.data);
    const id = str(data.shop_id) ?? str(request.context?.shopId);
    const name = str(data.shop_name);
    if (!id || !name) return failed('Sendo shop info has no shop_id or shop_name');
    builder.shop({
      externalId: id,
      name,
      url: str(data.shop_url) ?? str(data.url),
      rawAddress: str(data.address),
      declaredLocation: str(data.warehouse_city),
      phone: str(data.phone),
      email: str(data.email),
      taxCode: str(data.tax_code),
      isOfficial: bool(data.is_certified),
      isVerified: bool(data.is_certified) || bool(data.is_shop_plus),
      joinedAt: unixToIso(data.created_at),
      followerCount: count(data.total_follow),
      rating: rating(data.rating_avg),
      listingCount: count(data.product_count ?? data.total_product),
      raw: data,
    });
    return builder.build();
  }
}
