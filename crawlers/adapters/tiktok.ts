import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import { parsePrice } from '../price/parse-price.ts';
import {
  ResultBuilder,
  arr,
  baseOf,
  blocked,
  count,
  failed,
  guard,
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
  withParams,
  type Json,
} from './common.ts';
import { anchors, looksLikeHtml, relNext, scriptById, truncatedHtml, TRUNCATED_MESSAGE } from './scan.ts';

const DEFAULT_BASE = 'https://www.tiktok.com';
const PATH_MARKERS = ['/shop/', '/view/product/', '/search'];
const PRODUCT_LINK = /\/(?:shop\/pdp\/[^/?#]+|view\/product)\/(\d+)/u;
/** Real product pages are well over 30 KB; a smaller page without the data is the gate. */
const GATE_MAX_BYTES = 30_000;
const OUT_OF_REGION = 23002102;
const CAPTCHA = /captcha|secsdk|verify-bar|tiktok-verify|xác minh|security check/iu;
const PRODUCT_ROUTE = 'view/product/(product_id)/page';
const PDP_ROUTE = 'shop/pdp/(product_name_slug$)/(product_id)/page';

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
      const list = (url: string): CrawlRequest => ({
        url,
        kind: 'search',
        page: 1,
        maxPages: options.maxPages,
        context: { baseUrl: base },
      });
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
          return product
            ? [{ url: target.url, kind: 'listing', uniqueKey: `tiktok:product:${product[1]}`, context: { baseUrl: base } }]
            : [list(target.url)];
        }
      }
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        if (page.status === 403) return blocked('HTTP 403 from TikTok');
        const base = baseOf(request, PATH_MARKERS, DEFAULT_BASE);
        const builder = new ResultBuilder('tiktok');
        if (truncatedHtml(page.body)) return failed(TRUNCATED_MESSAGE);
        const routerData = scriptById(page.body, '__MODERN_ROUTER_DATA__');
        if (routerData !== null) return parseProduct(routerData, page, request, builder);
        if (request.kind === 'listing') {
          if (page.body.length < GATE_MAX_BYTES || CAPTCHA.test(page.body.slice(0, 50_000))) {
            return blocked(
              `TikTok gate: ${CAPTCHA.test(page.body) ? 'captcha page' : `page under ${GATE_MAX_BYTES / 1000} KB`} without __MODERN_ROUTER_DATA__`,
            );
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

/** The product page's loader entry: the 2025 `shop/pdp/(product_name_slug$)/(product_id)/page` or the older `view/product/…`. */
function productRoute(loaderData: Json): Json {
  if (isObject(loaderData[PDP_ROUTE])) return loaderData[PDP_ROUTE];
  if (isObject(loaderData[PRODUCT_ROUTE])) return loaderData[PRODUCT_ROUTE];
  const entry = Object.entries(loaderData).find(([key, value]) => isObject(value) && /pdp|product/u.test(key));
  return obj(entry?.[1]);
}

/** Product fields as either page layout carries them, before normalization. */
interface TiktokProduct {
  productId: string | null;
  sellerId: string | null;
  title: string | null;
  description: string | null;
  brand: string | null;
  category: string | null;
  price: unknown;
  originalPrice: unknown;
  currency: string;
  soldCount: number | null;
  rating: number | null;
  images: string[];
  seller: Json;
  raw: Json;
}

function imageUrls(value: unknown): string[] {
  return arr(value)
    .map((image) => str(image) ?? str(arr(obj(image).url_list)[0]) ?? str(arr(obj(image).thumb_url_list)[0]))
    .filter((s): s is string => s !== null)
    .slice(0, 50);
}

/**
 * The 2025 layout: everything sits in the `product_info` component (`product_base`, `seller`,
 * `skus`); `global_data.product_info.product_info` holds only the ids.
 */
function fromComponent(info: Json, ids: Json): TiktokProduct {
  const base = obj(info.product_base);
  const price = obj(base.price);
  const seller = obj(info.seller);
  const skuPrices = arr(info.skus).map((sku) => obj(obj(sku).price));
  const firstSku = obj(skuPrices[0]);
  const categories = arr(obj(info).categories ?? ids.categories).map(obj);
  return {
    productId: str(info.product_id) ?? str(ids.product_id),
    sellerId: str(seller.seller_id) ?? str(info.seller_id) ?? str(ids.seller_id),
    title: str(base.title),
    description: descriptionText(base.desc_detail),
    brand: str(obj(base.brand).name) ?? str(base.brand_name) ?? specification(base.specifications, /^(brand|thương hiệu)$/iu),
    category: str(categories.at(-1)?.category_name),
    // min_sku_price is the number; real_price is display text ("$24.17 - 24.69", "89.000₫").
    price: str(price.min_sku_price) ?? str(price.real_price) ?? str(obj(firstSku.real_price).price_val),
    originalPrice: str(price.min_sku_original_price) ?? str(price.original_price) ?? str(firstSku.original_price_value),
    currency: str(price.currency) ?? str(obj(firstSku.real_price).currency) ?? 'VND',
    soldCount: count(base.sold_count),
    rating: rating(obj(info.product_detail_review).product_rating),
    images: imageUrls(base.images),
    seller,
    raw: {
      product_id: info.product_id,
      seller_id: info.seller_id,
      status: info.status,
      product_base: slim(base, ['desc_detail', 'desc_video', 'images']),
      seller: slim(seller, ['avatar', 'im_schema', 'link']),
    },
  };
}

function specification(value: unknown, name: RegExp): string | null {
  const found = arr(value)
    .map(obj)
    .find((spec) => name.test(str(spec.name) ?? ''));
  const text = str(found?.value);
  return text && !/^(no brand|none|other|khác)$/iu.test(text) ? text : null;
}

/** `desc_detail` is a JSON string of rich-text blocks; the text blocks are the description. */
function descriptionText(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  const parsed = parseJson(text);
  if (!parsed.ok) return text.slice(0, 20_000);
  const parts = arr(parsed.value)
    .map((block) => str(obj(block).text))
    .filter((s): s is string => s !== null);
  return parts.length ? parts.join('\n').slice(0, 20_000) : null;
}

/** The older layout: the product in `global_data.product_info`, the shop in a `shop_info` component. */
function fromGlobalData(info: Json, shopComponent: Json): TiktokProduct {
  const priceInfo = obj(info.product_price_info);
  const sellerInfo = obj(info.seller_info);
  return {
    productId: str(info.product_id),
    sellerId: str(shopComponent.seller_id) ?? str(sellerInfo.seller_id) ?? str(info.seller_id),
    title: str(info.title),
    description: str(info.description)?.slice(0, 20_000) ?? null,
    brand: str(info.brand_name) ?? str(obj(info.brand).name),
    category: str(info.category_name),
    price: priceInfo.sale_price_decimal ?? priceInfo.sale_price_format,
    originalPrice: priceInfo.origin_price_decimal ?? priceInfo.origin_price_format,
    currency: str(priceInfo.currency_name) ?? 'VND',
    soldCount: count(obj(info.sold_info).sold_count),
    rating: rating(obj(info.rate_info).score),
    images: imageUrls(info.images),
    seller: { ...sellerInfo, name: str(sellerInfo.shop_name), seller_location: str(sellerInfo.shop_location) },
    raw: slim(info, ['description', 'images', 'skus', 'sale_props']),
  };
}

function parseProduct(routerData: string, page: FetchedPage, request: CrawlRequest, builder: ResultBuilder): ParseResult {
  const json = parseJson(routerData);
  if (!json.ok) return failed(`__MODERN_ROUTER_DATA__ is ${json.message}`);
  const loaderData = obj(obj(json.value).loaderData);
  const route = productRoute(loaderData);
  const errorCode = findErrorCode(route);
  if (errorCode === OUT_OF_REGION) return blocked(`TikTok product out of region (error_code ${OUT_OF_REGION})`);
  const config = obj(route.page_config);
  const globalInfo = obj(obj(config.global_data).product_info);
  const components = arr(config.components_map).map(obj);
  const productComponent = obj(
    components.find((c) => c.component_type === 'product_info' && isObject(obj(c.component_data).product_info))?.component_data,
  );
  const shopComponent = obj(components.find((c) => c.component_type === 'shop_info')?.component_data);
  const modern = obj(productComponent.product_info);
  const urlId = PRODUCT_LINK.exec(page.url || request.url)?.[1] ?? str(obj(route.route_info).route_product_id);
  const product = isObject(modern.product_base)
    ? fromComponent(modern, { ...obj(globalInfo.product_info), categories: productComponent.categories ?? globalInfo.categories })
    : str(globalInfo.title) || isObject(globalInfo.product_price_info)
      ? fromGlobalData(globalInfo, shopComponent)
      : null;
  if (!product) {
    const message = str(route.message) ?? str(obj(route.error).message) ?? str(productComponent.error_message) ?? '';
    if (urlId && /not (found|available)|removed|không (còn )?tồn tại|ngừng bán/iu.test(message)) {
      builder.removed(urlId);
      return builder.build();
    }
    return failed(
      `TikTok router data without product data (no product_info component with product_base, no global_data.product_info with a title)${errorCode !== null ? ` (error_code ${errorCode})` : ''}`,
    );
  }
  const productId = product.productId ?? urlId;
  if (!productId) return failed('TikTok product_info without product_id');
  const price = tiktokPrice(product.price, product.currency);
  const original = tiktokPrice(product.originalPrice, product.currency);
  const sellerId = product.sellerId;
  const isVnd = product.currency.toUpperCase() === 'VND';
  builder.listing(
    {
      externalId: productId,
      shopExternalId: sellerId,
      title: product.title ?? '',
      description: product.description,
      brand: product.brand,
      category: product.category,
      priceVnd: isVnd ? roundedPositive(price) : null,
      originalPriceVnd: isVnd && original && price && original > price ? Math.round(original) : null,
      soldCount: product.soldCount,
      rating: product.rating,
      images: product.images,
      url: page.url || request.url,
      raw: product.raw,
    },
    { amount: price, originalAmount: original && price && original > price ? original : null, currency: product.currency.toUpperCase() },
  );
  if (sellerId) {
    builder.shop({
      externalId: sellerId,
      name: str(shopComponent.shop_name) ?? str(product.seller.name) ?? sellerId,
      url: joinUrl(baseOf(request, PATH_MARKERS, DEFAULT_BASE), `/shop/store/${encodeURIComponent(sellerId)}`),
      declaredLocation: str(shopComponent.shop_location) ?? str(product.seller.seller_location),
      followerCount: count(shopComponent.followers_count ?? product.seller.followers_count),
      rating: rating(shopComponent.shop_rating ?? shopComponent.rating),
      listingCount: count(shopComponent.product_count ?? product.seller.product_count),
      raw: Object.keys(shopComponent).length ? shopComponent : product.seller,
    });
  }
  return builder.build();
}

function roundedPositive(value: number | null): number | null {
  return value !== null && value > 0 ? Math.round(value) : null;
}

/** The amount in the page's currency (major unit), or null when none parses. */
function tiktokPrice(value: unknown, currency: string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const text = str(value);
  if (!text) return null;
  const parsed = parsePrice(text, { currencyHint: currency });
  if ('error' in parsed || parsed.amount === null) return null;
  return parsed.amount;
}
