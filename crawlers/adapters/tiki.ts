import { randomUUID } from 'node:crypto';
import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import {
  ResultBuilder,
  arr,
  baseOf,
  blocked,
  bool,
  count,
  daysAgoToIso,
  failed,
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
  vnd,
  withParams,
  type Json,
} from './common.ts';

const PATH_MARKERS = ['/api/'];
const PAGE_SIZE = 40;

/**
 * Tiki: a plain JSON API (search, product detail, seller widget). Every request carries an
 * `x-guest-token` like the web client's; one token per adapter instance (per crawl).
 */
export function createTikiAdapter(): MarketplaceAdapter {
  const guestToken = randomUUID().replace(/-/gu, '');
  const headers = { 'x-guest-token': guestToken, accept: 'application/json' };

  const sellerRequest = (base: string, sellerId: string): CrawlRequest => ({
    url: joinUrl(base, `/api/shopping/v2/widgets/seller?seller_id=${encodeURIComponent(sellerId)}`),
    kind: 'shop',
    uniqueKey: `tiki:seller:${sellerId}`,
    context: { baseUrl: base, sellerId },
    headers,
  });

  return {
    name: 'tiki',
    marketplace: 'tiki',
    needsBrowser: false,
    defaultBaseUrl: 'https://tiki.vn',

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      const base = trimSlash(options.baseUrl);
      const search = (params: Record<string, string>): CrawlRequest => ({
        url: withParams(joinUrl(base, '/api/v2/products'), { ...params, page: 1, limit: PAGE_SIZE }),
        kind: 'search',
        page: 1,
        maxPages: options.maxPages,
        context: { baseUrl: base },
        headers,
      });
      switch (target.mode) {
        case 'query':
          return [search({ q: target.query })];
        case 'category':
          return [search({ category: target.category })];
        case 'shop':
          return [search({ seller: target.shopId }), sellerRequest(base, target.shopId)];
        case 'url': {
          const productId = /-p(\d+)\.html|\/api\/v2\/products\/(\d+)/u.exec(target.url);
          if (productId) {
            const id = productId[1] ?? productId[2]!;
            return [
              {
                url: joinUrl(base, `/api/v2/products/${id}`),
                kind: 'listing',
                uniqueKey: `tiki:product:${id}`,
                context: { baseUrl: base },
                headers,
              },
            ];
          }
          if (target.url.includes('/widgets/seller')) return [{ url: target.url, kind: 'shop', context: { baseUrl: base }, headers }];
          return [{ url: target.url, kind: 'search', page: 1, maxPages: options.maxPages, context: { baseUrl: base }, headers }];
        }
      }
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        const base = baseOf(request, PATH_MARKERS, 'https://tiki.vn');
        if (page.status === 403) return blocked('HTTP 403 from the Tiki API');
        const json = parseJson(page.body);
        if (!json.ok) {
          return page.status < 400 && /<html|<!doctype/iu.test(page.body.slice(0, 500))
            ? blocked('an HTML page where the Tiki API answers JSON (a captcha or gate)')
            : failed(`Tiki response is ${json.message}`);
        }
        // `personalish/v1/blocks/listings` and `v2/products` wrap items as {data: [...]}; saved captures are often the bare array.
        const body = Array.isArray(json.value) && request.kind === 'search' ? { data: json.value } : obj(json.value);
        const builder = new ResultBuilder('tiki');
        if (request.kind === 'search') return parseSearch(body, page, request, base, builder);
        if (request.kind === 'listing') return parseDetail(body, page, request, base, builder);
        return parseSeller(body, request, base, builder);
      });
    },
  };

  function addListShop(builder: ResultBuilder, base: string, sellerId: string | null, item: Json): void {
    if (!sellerId || sellerId === '0') return;
    const name = str(item.seller_name) ?? str(obj(item.current_seller).name);
    if (name) {
      const badges = arr(item.badges_new).map((b) => str(obj(b).code));
      builder.shop({
        externalId: sellerId,
        name,
        isOfficial: bool(item.is_from_official_store) || badges.includes('official_store'),
        isVerified: bool(item.tiki_verified),
      });
    }
    builder.request(sellerRequest(base, sellerId));
  }

  function parseSearch(body: Json, page: FetchedPage, request: CrawlRequest, base: string, builder: ResultBuilder): ParseResult {
    if (!Array.isArray(body.data)) {
      const error = obj(body.error);
      return failed(`Tiki search response has no data array${str(error.message) ? ` (${str(error.message)})` : ''}`);
    }
    for (const entry of body.data) {
      if (!isObject(entry)) continue;
      const id = str(entry.id);
      if (!id) {
        builder.reject('search item without id');
        continue;
      }
      const sellerId = str(entry.seller_id);
      const price = vnd(entry.price);
      const listPrice = vnd(entry.list_price) ?? vnd(entry.original_price);
      builder.listing({
        externalId: id,
        shopExternalId: sellerId && sellerId !== '0' ? sellerId : null,
        title: str(entry.name) ?? '',
        brand: str(entry.brand_name),
        category: str(entry.primary_category_name) ?? str(obj(obj(entry.visible_impression_info).amplitude).primary_category_name),
        priceVnd: price,
        originalPriceVnd: listPrice && price && listPrice > price ? listPrice : null,
        soldCount: count(obj(entry.quantity_sold).value),
        rating: rating(entry.rating_average),
        images: str(entry.thumbnail_url) ? [str(entry.thumbnail_url)!] : [],
        url: str(entry.url_path) ? joinUrl(base, `/${str(entry.url_path)!.replace(/^\//u, '')}`) : null,
        raw: slim(entry, ['badges', 'visible_impression_info', 'impression_info', 'advertisement']),
      });
      addListShop(builder, base, sellerId, entry);
    }
    const paging = obj(body.paging);
    const current = num(paging.current_page) ?? request.page ?? 1;
    const last = num(paging.last_page);
    if (last !== null ? current < last : body.data.length >= PAGE_SIZE) {
      const next = nextPage(request, withParams(page.url || request.url, { page: current + 1 }), base);
      if (next) builder.request(next);
    }
    return builder.build();
  }

  function parseDetail(body: Json, page: FetchedPage, request: CrawlRequest, base: string, builder: ResultBuilder): ParseResult {
    const error = obj(body.error);
    const idFromUrl = /\/products\/(\d+)/u.exec(request.url)?.[1] ?? null;
    if (page.status === 404 || num(error.code) === 404) {
      if (idFromUrl && /not found|không tồn tại/iu.test(str(error.message) ?? 'not found')) {
        builder.removed(idFromUrl);
        return builder.build();
      }
      return failed('Tiki answered 404 without saying the product is gone');
    }
    const id = str(body.id) ?? idFromUrl;
    if (!id || !str(body.name)) return failed('Tiki product response has no id or name');
    const seller = obj(body.current_seller);
    const sellerId = str(seller.id);
    const specBrand = arr(body.specifications)
      .flatMap((spec) => arr(obj(spec).attributes))
      .map(obj)
      .find((attribute) => attribute.code === 'brand');
    const price = vnd(body.price);
    const listPrice = vnd(body.list_price) ?? vnd(body.original_price);
    builder.listing({
      externalId: id,
      shopExternalId: sellerId,
      title: str(body.name) ?? '',
      description: str(body.description)?.slice(0, 20_000) ?? str(body.short_description),
      brand: str(obj(body.brand).name) ?? str(body.brand_name) ?? str(specBrand?.value),
      category: str(obj(body.categories).name),
      priceVnd: price,
      originalPriceVnd: listPrice && price && listPrice > price ? listPrice : null,
      soldCount: count(obj(body.quantity_sold).value ?? body.all_time_quantity_sold),
      rating: rating(body.rating_average),
      images: arr(body.images)
        .map((image) => str(obj(image).base_url))
        .filter((url): url is string => url !== null)
        .slice(0, 50),
      url: str(body.url_path) ? joinUrl(base, `/${str(body.url_path)!.replace(/^\//u, '')}`) : null,
      raw: slim(body, ['description', 'images', 'configurable_products', 'breadcrumbs', 'stock_item']),
    });
    if (sellerId) {
      builder.shop({ externalId: sellerId, name: str(seller.name) ?? sellerId, url: str(seller.link) });
      builder.request(sellerRequest(base, sellerId));
    }
    return builder.build();
  }

  function parseSeller(body: Json, request: CrawlRequest, _base: string, builder: ResultBuilder): ParseResult {
    const seller = obj(obj(body.data).seller);
    const id = str(seller.id) ?? str(request.context?.sellerId);
    if (!id || !str(seller.name)) return failed('Tiki seller widget has no seller id or name');
    builder.shop({
      externalId: id,
      name: str(seller.name)!,
      url: str(seller.url) ?? str(seller.link),
      rawAddress: str(seller.address),
      phone: str(seller.phone),
      email: str(seller.email),
      taxCode: str(seller.tax_code),
      isOfficial: bool(seller.is_official),
      isVerified: bool(seller.is_official),
      joinedAt: daysAgoToIso(seller.days_since_joined),
      followerCount: count(seller.total_follower),
      rating: rating(seller.avg_rating_point),
      listingCount: count(seller.total_product ?? seller.product_count),
      raw: seller,
    });
    return builder.build();
  }
}
