import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import {
  ResultBuilder,
  arr,
  baseOf,
  blocked,
  count,
  daysAgoToIso,
  failed,
  guard,
  humanCount,
  isObject,
  joinUrl,
  nextPage,
  num,
  obj,
  parseJson,
  rating,
  resolveUrl,
  slim,
  str,
  trimSlash,
  unixToIso,
  vnd,
  withParams,
  type Json,
} from './common.ts';
import { parsePrice } from '../price/parse-price.ts';
import { balancedObject, looksLikeHtml, truncatedHtml, TRUNCATED_MESSAGE } from './scan.ts';

const DEFAULT_BASE = 'https://www.lazada.vn';
const PATH_MARKERS = ['/catalog/', '/products/', '/shop/', '/_____tmd_____/'];
const PUNISH = /_____tmd_____\/punish|x5secdata|punish-component|nc_1_wrapper|baxia-dialog/u;
const GONE = /sản phẩm (này )?không (còn )?tồn tại|product (is )?(not found|no longer available)|page you requested cannot be found/iu;
const NO_BRAND = /^(no brand|no-brand|oem|unbranded)$/iu;

/** Lazada: catalog `?ajax=true` JSON for lists, `app.run({...})` product pages for details and sellers. */
export function createLazadaAdapter(): MarketplaceAdapter {
  return {
    name: 'lazada',
    marketplace: 'lazada',
    needsBrowser: false,
    defaultBaseUrl: DEFAULT_BASE,

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      const base = trimSlash(options.baseUrl);
      const list = (path: string, params: Record<string, string>): CrawlRequest => ({
        url: withParams(joinUrl(base, path), { ajax: 'true', ...params, page: 1 }),
        kind: 'search',
        page: 1,
        maxPages: options.maxPages,
        context: { baseUrl: base },
      });
      switch (target.mode) {
        case 'query':
          return [list('/catalog/', { q: target.query })];
        case 'category':
          return [list('/catalog/', { category: target.category })];
        case 'shop':
          return [list(`/shop/${encodeURIComponent(target.shopId)}/`, {})];
        case 'url':
          return /-i\d+(-s\d+)?\.html/u.test(target.url)
            ? [{ url: target.url, kind: 'listing', context: { baseUrl: base } }]
            : [{ url: target.url, kind: 'search', page: 1, maxPages: options.maxPages, context: { baseUrl: base } }];
      }
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        const location = page.headers?.location ?? '';
        if (PUNISH.test(page.url) || PUNISH.test(location))
          return blocked(`Lazada punish gate (${PUNISH.test(page.url) ? page.url : location})`);
        const head = page.body.slice(0, 200_000);
        if (looksLikeHtml(head) && PUNISH.test(head) && !head.includes('app.run(')) return blocked('Lazada punish/captcha page');
        if (page.status === 403) return blocked('HTTP 403 from Lazada');
        const base = baseOf(request, PATH_MARKERS, DEFAULT_BASE);
        const builder = new ResultBuilder('lazada');
        const trimmed = page.body.trimStart();
        if (trimmed.startsWith('{')) {
          const json = parseJson(trimmed);
          if (!json.ok) return failed(`Lazada catalog response is ${json.message}`);
          const value = obj(json.value);
          // A product page's module data saved as JSON: the `app.run` argument, or just its `fields`.
          const fields = isObject(value.fields)
            ? value.fields
            : isObject(obj(obj(value.data).root).fields)
              ? obj(obj(value.data).root).fields
              : null;
          if (fields && !isObject(value.mods)) return parseProductFields(obj(fields), page, request, builder);
          return parseCatalog(value, page, request, base, builder);
        }
        if (truncatedHtml(page.body)) return failed(TRUNCATED_MESSAGE);
        return parseProductPage(page, request, builder);
      });
    },
  };
}

function parseCatalog(body: Json, page: FetchedPage, request: CrawlRequest, base: string, builder: ResultBuilder): ParseResult {
  const mods = obj(body.mods);
  if (!Array.isArray(mods.listItems)) {
    return failed('Lazada catalog response has no mods.listItems');
  }
  const pageUrl = page.url || request.url;
  for (const entry of mods.listItems) {
    if (!isObject(entry)) continue;
    const itemId = str(entry.itemId) ?? str(entry.nid);
    if (!itemId) {
      builder.reject('Lazada list item without itemId');
      continue;
    }
    const sellerId = str(entry.sellerId);
    const price = vnd(entry.price) ?? vnd(entry.priceShow);
    const original = vnd(entry.originalPrice) ?? vnd(entry.originalPriceShow);
    const productUrl = str(entry.productUrl) ? resolveUrl(str(entry.productUrl)!, pageUrl) : null;
    const brand = str(entry.brandName);
    const isMall = arr(entry.icons).some((icon) => /lazmall/iu.test(str(obj(icon).domClass) ?? ''));
    builder.listing({
      externalId: itemId,
      shopExternalId: sellerId,
      title: str(entry.name) ?? '',
      brand: brand && !NO_BRAND.test(brand) ? brand : null,
      priceVnd: price,
      originalPriceVnd: original && price && original > price ? original : null,
      soldCount: humanCount(entry.itemSoldCntShow),
      rating: rating(entry.ratingScore),
      images: str(entry.image) ? [str(entry.image)!] : [],
      url: productUrl,
      raw: slim(entry, ['thumbs', 'clickTrace', 'cheapest_sku', 'utLogMap', 'addToCartSkus']),
    });
    if (sellerId) {
      const name = str(entry.sellerName);
      if (name) builder.shop({ externalId: sellerId, name, declaredLocation: str(entry.location), isOfficial: isMall });
      // A list item lacks the seller's details; they live on any of its product pages. One per seller.
      if (productUrl)
        builder.request({ url: productUrl, kind: 'listing', uniqueKey: `lazada:seller:${sellerId}`, context: { baseUrl: base, sellerId } });
    }
  }
  const info = obj(body.mainInfo);
  const current = num(info.page) ?? request.page ?? 1;
  const total = num(info.totalResults);
  const size = num(info.pageSize) ?? 40;
  if (mods.listItems.length > 0 && (total === null || current * size < total)) {
    const next = nextPage(request, withParams(pageUrl, { page: current + 1 }), base);
    if (next) builder.request(next);
  }
  return builder.build();
}

/**
 * `seller.time` is how long the seller has been on Lazada, in months on the storefront pages we
 * have seen (Daraz, the sandbox); a few pages carry a timestamp instead, told apart by size.
 */
function joinedFromTime(time: number | null): string | null {
  if (time === null || time < 0) return null;
  if (time > 1e11) return unixToIso(time / 1000);
  if (time > 1e9) return unixToIso(time);
  return time <= 600 ? daysAgoToIso(time * 30) : null;
}

/** The `{…}` passed to `app.run(`; a balanced scan, because the object holds "});" inside strings. */
export function extractAppRun(html: string): Json | null {
  let from = 0;
  for (;;) {
    const at = html.indexOf('app.run(', from);
    if (at < 0) return null;
    const text = balancedObject(html, at + 'app.run('.length);
    if (text) {
      const parsed = parseJson(text);
      if (parsed.ok && isObject(parsed.value)) return parsed.value;
    }
    from = at + 1;
  }
}

function parseProductPage(page: FetchedPage, request: CrawlRequest, builder: ResultBuilder): ParseResult {
  const data = extractAppRun(page.body);
  const urlIds = /-i(\d+)(?:-s(\d+))?/u.exec(page.url || request.url);
  if (!data) {
    if (urlIds && (page.status === 404 || page.status === 410 || GONE.test(page.body.slice(0, 200_000)))) {
      builder.removed(urlIds[1]!);
      return builder.build();
    }
    return failed(looksLikeHtml(page.body) ? 'Lazada page without app.run data' : 'not a Lazada page or catalog JSON');
  }
  return parseProductFields(obj(obj(obj(data.data).root).fields), page, request, builder);
}

function parseProductFields(fields: Json, page: FetchedPage, request: CrawlRequest, builder: ResultBuilder): ParseResult {
  const urlIds = /-i(\d+)(?:-s(\d+))?/u.exec(page.url || request.url);
  const product = obj(fields.product);
  const key = obj(fields.primaryKey);
  const seller = obj(fields.seller);
  const itemId = str(key.itemId) ?? urlIds?.[1] ?? null;
  if (!itemId) return failed('Lazada product page without an item id');
  const skuInfos = obj(fields.skuInfos);
  const skuId = str(key.skuId);
  const sku = obj(skuId && isObject(skuInfos[skuId]) ? skuInfos[skuId] : (skuInfos['0'] ?? Object.values(skuInfos)[0]));
  const priceInfo = obj(sku.price);
  // Daraz (Nepal, Pakistan, …) runs the same storefront in its own currency; only VND fills priceVnd.
  const currency = (str(obj(obj(sku.dataLayer).core).currencyCode) ?? 'VND').toUpperCase();
  const isVnd = currency === 'VND';
  const amount = (value: Json): number | null => {
    const n = num(value.value);
    if (n !== null) return n > 0 ? n : null;
    const parsed = str(value.text) ? parsePrice(str(value.text)!, { currencyHint: currency }) : null;
    return parsed && !('error' in parsed) && parsed.amount !== null && parsed.amount > 0 ? parsed.amount : null;
  };
  const statedPrice = amount(obj(priceInfo.salePrice));
  const statedOriginal = amount(obj(priceInfo.originalPrice));
  const price = isVnd ? vnd(statedPrice) : null;
  const original = isVnd ? vnd(statedOriginal) : null;
  const sellerId = str(seller.sellerId) ?? str(key.sellerId);
  const brand = str(obj(product.brand).name) ?? str(product.brandName);
  const gallery = arr(obj(fields.skuGalleries)['0'])
    .map((g) => str(obj(g).src))
    .filter((s): s is string => s !== null);
  const authentic = isObject(fields.authenticService) || Array.isArray(fields.authenticService);
  builder.listing(
    {
      externalId: itemId,
      shopExternalId: sellerId,
      title: str(product.title) ?? '',
      description: str(product.desc)?.slice(0, 20_000) ?? null,
      brand: brand && !NO_BRAND.test(brand) ? brand : null,
      category: str(arr(obj(sku.dataLayer).pdt_category).at(-1)),
      priceVnd: price,
      originalPriceVnd: original && price && original > price ? original : null,
      soldCount: count(obj(obj(fields.review).ratings).soldCount) ?? humanCount(obj(obj(fields.review).ratings).soldCountText),
      rating: rating(obj(fields.review).ratings ? obj(obj(fields.review).ratings).average : obj(fields.pc_reviews_v3).rating),
      images: gallery.map((src) => resolveUrl(src, 'https://x/') ?? src).slice(0, 50),
      url: page.url || request.url,
      raw: { primaryKey: key, product: slim(product, ['desc', 'highlights']), skuInfo: slim(sku, ['dataLayer']), seller },
    },
    {
      amount: statedPrice,
      originalAmount: statedOriginal && statedPrice && statedOriginal > statedPrice ? statedOriginal : null,
      currency,
    },
  );
  if (sellerId) {
    const percent = num(str(seller.percentRate)?.replace('%', '') ?? str(obj(seller.positiveSellerRating).value)?.replace('%', ''));
    const rate = num(seller.rate);
    const time = num(seller.time);
    builder.shop({
      externalId: sellerId,
      name: str(seller.name) ?? sellerId,
      url: str(seller.url) ? resolveUrl(str(seller.url)!, page.url || request.url) : null,
      rawAddress: str(seller.address),
      declaredLocation: str(seller.location) ?? str(seller.shipFrom),
      isOfficial: authentic || /lazmall|mall/iu.test(str(seller.type) ?? ''),
      joinedAt: joinedFromTime(time),
      rating: percent !== null ? rating(percent) : rate !== null && rate <= 1 ? Math.round(rate * 500) / 100 : null,
      raw: slim(seller, ['extMap', 'imageUrl', 'chatUrl']),
    });
  }
  return builder.build();
}
