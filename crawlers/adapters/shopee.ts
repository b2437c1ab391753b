import type {
  CapturedResponse,
  CrawlRequest,
  CrawlTarget,
  FetchedPage,
  MarketplaceAdapter,
  ParseResult,
  StartOptions,
} from '../adapter.ts';
import { displayText } from '../../src/core/display.ts';
import {
  ResultBuilder,
  arr,
  baseOf,
  blocked,
  bool,
  count,
  failed,
  guard,
  isObject,
  joinUrl,
  num,
  obj,
  param,
  parseJson,
  rating,
  slim,
  str,
  taxCodeFromText,
  trimSlash,
  unixToIso,
  withParams,
  type Json,
} from './common.ts';
import { addressFromText, landlineFromText } from './contact-text.ts';

const DEFAULT_BASE = 'https://shopee.vn';
const CAPTURE = /\/api\/v4\/(search\/search_items|shop\/get_shop_detail|shop\/search_items|pdp\/get_pc)/u;
const PATH_MARKERS = ['/api/v4/', '/search', '/shop/', '/product/'];
/** Shopee's anti-bot answer: HTTP 200 with this error code and no data. */
const BLOCK_CODE = 90309999;
/** Shopee stores prices as VND × 100000; real prices are whole đồng, so the raw value ends in 00000. */
const PRICE_SCALE = 100_000;
const MIN_PLAUSIBLE_VND = 100;
const MAX_PLAUSIBLE_VND = 10_000_000_000;
const IMAGE_HOST = 'https://down-vn.img.susercontent.com/file/';
/** Bulky item_basic keys that carry nothing the scorer or an investigator needs. */
const BULKY = [
  'label_ids',
  'video_info_list',
  'tier_variations',
  'item_card_display_price',
  'item_card_display_label',
  'add_on_deal_info',
  'voucher_info',
  'item_card_display_sold_count',
];

type Doc = { kind: 'items' | 'shop' | 'pdp' | 'unknown'; url: string; status: number; json: Json };

/**
 * Shopee: a browser adapter. Shopee signs its API calls in the page, so the runner opens the web
 * page in Chromium and hands over the JSON responses the page fetched itself (`captured`). `parse`
 * also accepts a page body that is one of those JSON responses (a file saved for `radar extract`).
 */
export function createShopeeAdapter(): MarketplaceAdapter {
  return {
    name: 'shopee',
    marketplace: 'shopee',
    needsBrowser: true,
    defaultBaseUrl: DEFAULT_BASE,
    captureResponses: CAPTURE,

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      const base = trimSlash(options.baseUrl);
      const context = { baseUrl: base };
      switch (target.mode) {
        case 'query':
          return [
            {
              url: withParams(joinUrl(base, '/search'), { keyword: target.query }),
              kind: 'search',
              page: 1,
              maxPages: options.maxPages,
              context,
            },
          ];
        case 'category':
          return [
            {
              url: withParams(joinUrl(base, '/search'), { match_id: target.category }),
              kind: 'search',
              page: 1,
              maxPages: options.maxPages,
              context,
            },
          ];
        case 'shop':
          return [shopPageRequest(base, target.shopId, options.maxPages)];
        case 'url': {
          const product = /\/product\/(\d+)\/(\d+)|-i\.(\d+)\.(\d+)/u.exec(target.url);
          if (product) return [productRequest(base, product[1] ?? product[3]!, product[2] ?? product[4]!)];
          const shop = /\/shop\/(\d+)/u.exec(target.url);
          if (shop) return [shopPageRequest(base, shop[1]!, options.maxPages)];
          return [{ url: target.url, kind: 'search', page: 1, maxPages: options.maxPages, context }];
        }
      }
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => parsePage(page, request));
    },
  };
}

function shopPageRequest(base: string, shopId: string, maxPages = 1): CrawlRequest {
  return {
    url: joinUrl(base, `/shop/${shopId}`),
    kind: 'shop',
    uniqueKey: `shopee:shop:${shopId}`,
    page: 1,
    maxPages,
    context: { baseUrl: base, shopId },
  };
}

function productRequest(base: string, shopId: string, itemId: string): CrawlRequest {
  return {
    url: joinUrl(base, `/product/${shopId}/${itemId}`),
    kind: 'listing',
    uniqueKey: `shopee:item:${itemId}`,
    context: { baseUrl: base, shopId, itemId },
  };
}

function classify(url: string, json: Json): Doc['kind'] {
  if (/search_items/u.test(url) || Array.isArray(json.items)) return 'items';
  if (/get_shop_detail/u.test(url)) return 'shop';
  if (/get_pc|item\/get/u.test(url) || isObject(obj(json.data).item)) return 'pdp';
  const data = obj(json.data);
  if (data.shopid !== undefined && data.itemid === undefined && data.follower_count !== undefined) return 'shop';
  if (data.itemid !== undefined) return 'pdp';
  if (isObject(json.data) && data.shopid !== undefined) return 'shop';
  return 'unknown';
}

function collectDocs(page: FetchedPage): { docs: Doc[]; bad: string[] } {
  const docs: Doc[] = [];
  const bad: string[] = [];
  const add = (response: CapturedResponse): void => {
    const parsed = parseJson(response.body);
    if (!parsed.ok || !isObject(parsed.value)) {
      bad.push(`${response.url}: ${parsed.ok ? 'not a JSON object' : parsed.message}`);
      return;
    }
    docs.push({ kind: classify(response.url, parsed.value), url: response.url, status: response.status, json: parsed.value });
  };
  for (const response of page.captured ?? []) if (CAPTURE.test(response.url) || response.body.trimStart().startsWith('{')) add(response);
  const body = page.body.trimStart();
  if (body.startsWith('{') || body.startsWith('[')) {
    // A saved search response may also be the bare `items` array.
    if (body.startsWith('[')) add({ url: page.url, status: page.status, body: `{"items":${page.body}}` });
    else add({ url: page.url, status: page.status, body: page.body });
  }
  return { docs, bad };
}

function parsePage(page: FetchedPage, request: CrawlRequest): ParseResult {
  if (page.status === 403) return blocked('HTTP 403 from Shopee');
  const { docs, bad } = collectDocs(page);
  for (const doc of docs) {
    if (num(doc.json.error) === BLOCK_CODE) return blocked(`Shopee anti-bot answer (error ${BLOCK_CODE}) from ${doc.url}`);
    if (doc.status === 403) return blocked(`HTTP 403 on ${doc.url}`);
  }
  if (!docs.length) {
    if (bad.length) return failed(`Shopee data unreadable: ${bad[0]}`);
    return /<html|<!doctype|<body|<div/iu.test(page.body.slice(0, 2000))
      ? blocked('Shopee app shell with no data: the page fetched none of its API responses (not logged in or blocked)')
      : failed('no Shopee data in the page');
  }
  // A shop page in the browser always loads both its shop detail and its item list. With one of them
  // missing (a data call the capture did not see finish), the page is half read: storing it would
  // keep the shop without its address and phone, so it is an error, and the runner tries it again.
  // Only this shop's own calls count: on a reused browser page, a late answer to the previous
  // navigation (another shop's detail) can be captured too, and it must not stand in for this one.
  if (request.kind === 'shop' && page.captured?.length) {
    const shopId = requestedShopId(request);
    const own = (doc: Doc): boolean => {
      if (shopId === null) return true;
      const docShopId = doc.kind === 'shop' ? str(obj(doc.json.data).shopid) : shopIdParam(doc.url);
      return docShopId === null || docShopId === shopId;
    };
    const missing = (['shop', 'items'] as const).filter((kind) => !docs.some((doc) => doc.kind === kind && own(doc)));
    if (missing.length)
      return failed(
        `Shopee shop page without its ${missing.map((kind) => (kind === 'shop' ? 'shop detail' : 'item list')).join(' and ')} (a data call was not captured)`,
      );
  }
  const base = baseOf(request, PATH_MARKERS, DEFAULT_BASE);
  const builder = new ResultBuilder('shopee');
  // The shop's own detail first, whatever order the page's calls answered in: it is the fuller record
  // of the shop, and the item list's stubs only fill in what it lacks.
  docs.sort((a, b) => (a.kind === 'shop' ? 0 : 1) - (b.kind === 'shop' ? 0 : 1));
  for (const doc of docs) {
    if (doc.kind === 'items') readItems(doc, request, base, builder);
    else if (doc.kind === 'shop') readShop(obj(doc.json.data), base, builder);
    else if (doc.kind === 'pdp' || (doc.kind === 'unknown' && request.kind === 'listing')) readPdp(doc, request, base, builder);
  }
  if (!docs.some((doc) => doc.kind !== 'unknown' || request.kind === 'listing')) return failed('Shopee JSON of an unknown shape');
  return builder.build();
}

/** The shop a shop-page request is for: its context, else the `/shop/<id>` path; null if unknown. */
function requestedShopId(request: CrawlRequest): string | null {
  const fromContext = request.context?.shopId;
  if (typeof fromContext === 'string' && fromContext !== '') return fromContext;
  return /\/shop\/(\d+)/u.exec(request.url)?.[1] ?? null;
}

/** The `shopid` query parameter of an API call's URL; null when it has none (then it cannot be told apart). */
function shopIdParam(url: string): string | null {
  return /[?&]shopid=(\d+)/u.exec(url)?.[1] ?? null;
}

/** A Shopee raw price in VND, or the reason it looks poisoned. */
function scaledPrice(value: unknown): { vnd: number | null } | { poisoned: string } {
  const raw = num(value);
  if (raw === null || raw <= 0) return { vnd: null };
  if (!Number.isInteger(raw) || raw % PRICE_SCALE !== 0) return { poisoned: `price ${raw} is not a multiple of ${PRICE_SCALE}` };
  const vnd = raw / PRICE_SCALE;
  if (vnd < MIN_PLAUSIBLE_VND || vnd > MAX_PLAUSIBLE_VND) return { poisoned: `price ${vnd} VND is implausible` };
  return { vnd };
}

function image(hash: unknown): string | null {
  const value = str(hash);
  if (!value) return null;
  return /^https?:\/\//u.test(value) ? value : `${IMAGE_HOST}${value}`;
}

function readItem(item: Json, base: string, builder: ResultBuilder): string | null {
  const itemId = str(item.itemid);
  const shopId = str(item.shopid);
  if (!itemId) {
    builder.reject('Shopee item without itemid');
    return null;
  }
  const prices: Record<string, number | null> = {};
  for (const field of ['price', 'price_min', 'price_max', 'price_before_discount']) {
    const result = scaledPrice(item[field]);
    if ('poisoned' in result) {
      builder.reject(`poisoned ${field}: ${result.poisoned}`, itemId);
      return null;
    }
    prices[field] = result.vnd;
  }
  const price = prices.price ?? prices.price_min ?? null;
  if (price !== null && prices.price_min && prices.price_max && (price < prices.price_min || price > prices.price_max)) {
    builder.reject(`poisoned price: ${price} VND outside its own range ${prices.price_min}–${prices.price_max}`, itemId);
    return null;
  }
  const before = prices.price_before_discount ?? null;
  const images = [item.image, ...arr(item.images)].map(image).filter((url): url is string => url !== null);
  builder.listing({
    externalId: itemId,
    shopExternalId: shopId,
    title: str(item.name) ?? '',
    description: str(item.description)?.slice(0, 20_000) ?? null,
    brand: str(item.brand),
    category: str(item.catid),
    priceVnd: price,
    originalPriceVnd: before !== null && price !== null && before > price ? before : null,
    soldCount: count(item.historical_sold ?? item.sold),
    rating: rating(obj(item.item_rating).rating_star),
    images: [...new Set(images)].slice(0, 50),
    url: shopId ? joinUrl(base, `/product/${shopId}/${itemId}`) : null,
    raw: slim(item, [...BULKY, 'description']),
  });
  return shopId;
}

function readItems(doc: Doc, request: CrawlRequest, base: string, builder: ResultBuilder): void {
  if (doc.json.error && num(doc.json.error) !== 0) {
    builder.reject(`Shopee search answered error ${displayText(doc.json.error)}`);
    return;
  }
  const items = arr(doc.json.items);
  for (const entry of items) {
    if (!isObject(entry)) continue;
    const item = isObject(entry.item_basic) ? entry.item_basic : entry;
    const shopId = readItem(item, base, builder);
    if (!shopId) continue;
    const shopName = str(item.shop_name);
    if (shopName) {
      builder.shop({
        externalId: shopId,
        name: shopName,
        declaredLocation: str(item.shop_location),
        isOfficial: bool(item.is_official_shop),
        isVerified: bool(item.shopee_verified),
      });
    }
    // Search results lack the shop's details; fetch each shop's page once (the runner dedups by key).
    if (request.kind !== 'shop') builder.request(shopPageRequest(base, shopId));
  }
  const pageNumber = request.page ?? 1;
  const maxPages = request.maxPages ?? 1;
  const more =
    doc.json.nomore === false ||
    (doc.json.nomore === undefined &&
      items.length > 0 &&
      num(doc.json.total_count) !== null &&
      num(doc.json.total_count)! > pageNumber * items.length);
  if (more && pageNumber < maxPages && items.length > 0) {
    // The web page paginates with a 0-based `page` parameter; the page's own script turns it into the API offset.
    const pageUrl = withParams(request.url, { page: pageNumber });
    builder.request({
      url: pageUrl,
      kind: request.kind,
      page: pageNumber + 1,
      maxPages,
      context: { ...(request.context ?? {}), baseUrl: base },
      ...(request.kind === 'shop' ? { uniqueKey: `${request.uniqueKey ?? request.url}:p${pageNumber + 1}` } : {}),
    });
  }
}

function readShop(data: Json, base: string, builder: ResultBuilder): void {
  const shopId = str(data.shopid);
  const name = str(data.name) ?? str(obj(data.account).username);
  if (!shopId || !name) {
    builder.reject('Shopee shop detail without shopid or name', shopId);
    return;
  }
  builder.shop({
    externalId: shopId,
    name,
    url: joinUrl(base, `/shop/${shopId}`),
    // A seller that fills no address or phone field often writes them in its description (Decree 85/2021).
    rawAddress: str(data.address) ?? str(data.place) ?? addressFromText(data.description),
    declaredLocation: str(data.shop_location),
    phone: str(data.phone) ?? landlineFromText(data.description),
    email: str(data.email),
    taxCode: str(data.tax_code) ?? taxCodeFromText(data.description),
    isOfficial: bool(data.is_official_shop),
    isVerified: bool(data.is_shopee_verified) || bool(data.shopee_verified),
    joinedAt: unixToIso(data.ctime),
    followerCount: count(data.follower_count),
    rating: rating(data.rating_star),
    listingCount: count(data.item_count),
    raw: slim(data, ['description', 'cover', 'cover_pc', 'shop_covers', 'session_info']),
  });
}

function readPdp(doc: Doc, request: CrawlRequest, base: string, builder: ResultBuilder): void {
  const data = doc.json.data;
  const itemId =
    param(doc.url, 'item_id') ??
    param(doc.url, 'itemid') ??
    str(request.context?.itemId) ??
    /\/product\/\d+\/(\d+)/u.exec(request.url)?.[1] ??
    null;
  if (!isObject(data)) {
    const message = str(doc.json.error_msg) ?? '';
    if (itemId && /not found|không tồn tại|removed|deleted/iu.test(message)) builder.removed(itemId);
    else builder.reject(`Shopee product answered error ${String(doc.json.error)}${message ? ` (${message})` : ''}`, itemId);
    return;
  }
  const item = isObject(data.item) ? data.item : data;
  const shopId = readItem(item, base, builder);
  if (isObject(data.shop_detailed)) readShop(data.shop_detailed, base, builder);
  else if (shopId) builder.request(shopPageRequest(base, shopId));
}
