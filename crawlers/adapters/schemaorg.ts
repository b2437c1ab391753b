import { load, type CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter, ParseResult, StartOptions } from '../adapter.ts';
import { parsePrice } from '../price/parse-price.ts';
import {
  ResultBuilder,
  arr,
  baseOf,
  blocked,
  failed,
  guard,
  isObject,
  num,
  obj,
  parseJson,
  rating,
  resolveUrl,
  str,
  type Json,
} from './common.ts';
import { addDiscovered, listingIdFromUrl, parseLooseDate, shopIdFromUrl, webStartRequests } from './web-common.ts';
import { looksLikeHtml, truncatedHtml, TRUNCATED_MESSAGE } from './scan.ts';

const GONE =
  /sản phẩm (này )?(không (còn )?tồn tại|đã ngừng kinh doanh|đã bị xóa)|product (is )?(not found|no longer available)|page not found|không tìm thấy trang/iu;
const CAPTCHA = /cf-challenge|captcha|attention required|just a moment\.\.\.|ddos-guard|access denied/iu;
const PRODUCT_LINK = /\/(p|product|products|san-pham|sp)\/[^/?#]+/u;
const SELLER_TYPES =
  /^(Organization|Store|OnlineStore|LocalBusiness|Corporation|OnlineBusiness|ClothingStore|ElectronicsStore|ShoeStore|HealthAndBeautyBusiness)$/u;

/** A product as read from any of the three vocabularies, before normalization. */
export interface WebProduct {
  name?: string | null;
  description?: string | null;
  brand?: string | null;
  sku?: string | null;
  category?: string | null;
  url?: string | null;
  images: string[];
  price?: number | null;
  originalPrice?: number | null;
  currency?: string | null;
  rating?: number | null;
  reviewCount?: number | null;
  availability?: string | null;
  seller?: Json | null;
  raw: Json;
}

/**
 * Any web shop that publishes schema.org `Product` data: JSON-LD (arrays, `@graph`, nested
 * offers, AggregateOffer), microdata, then OpenGraph `product:*` tags to fill the gaps. Real pages
 * break the spec; every field is read leniently and the page is loaded into a DOM only once.
 */
export function createSchemaOrgAdapter(): MarketplaceAdapter {
  return {
    name: 'schemaorg',
    marketplace: 'web',
    needsBrowser: false,
    defaultBaseUrl: '',

    startRequests(target: CrawlTarget, options: StartOptions): CrawlRequest[] {
      return webStartRequests(target, options, { search: '/search?q={query}', category: '/category/{category}' }, 'schemaorg');
    },

    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      return guard(() => {
        if (page.status === 403 || page.status === 429 || (page.status === 503 && CAPTCHA.test(page.body.slice(0, 20_000)))) {
          return blocked(`HTTP ${page.status} from the shop`);
        }
        if (truncatedHtml(page.body)) return failed(TRUNCATED_MESSAGE);
        const $ = load(page.body);
        const pageUrl = page.url || request.url;
        const base = baseOf(request, [], pageUrl);
        const builder = new ResultBuilder('web');
        const product = readProduct($, pageUrl);
        if (product) {
          addProduct(builder, product, pageUrl);
          return builder.build();
        }
        if (request.kind === 'listing') {
          const id = listingIdFromUrl(pageUrl);
          if (id && (page.status === 404 || page.status === 410 || GONE.test($('title').text() + $('h1').first().text()))) {
            builder.removed(id);
            return builder.build();
          }
          if (CAPTCHA.test(page.body.slice(0, 20_000))) return blocked('a captcha or bot-challenge page instead of the product');
          return failed('no schema.org Product (JSON-LD or microdata) or OpenGraph product data on the page');
        }
        if (!looksLikeHtml(page.body)) return failed('not an HTML page');
        const links = discoverLinks($);
        const next = $('a[rel~="next"], link[rel~="next"]').first().attr('href') ?? null;
        const found = addDiscovered(builder, links, next, pageUrl, request, base);
        if (found === 0 && CAPTCHA.test(page.body.slice(0, 20_000))) return blocked('a captcha or bot-challenge page instead of results');
        return builder.build();
      });
    },
  };
}

function discoverLinks($: CheerioAPI): string[] {
  const marked = $('a.product-link[href]')
    .map((_, el) => $(el).attr('href')!)
    .get();
  if (marked.length) return marked;
  const fromList = jsonLdNodes($)
    .filter((node) => hasType(node, 'ItemList'))
    .flatMap((node) => arr(node.itemListElement))
    .map((element) => str(obj(element).url) ?? str(obj(obj(element).item).url) ?? str(obj(element).item))
    .filter((url): url is string => url !== null);
  if (fromList.length) return fromList;
  return $('a[href]')
    .map((_, el) => $(el).attr('href')!)
    .get()
    .filter((href) => PRODUCT_LINK.test(href));
}

// ---------- JSON-LD ----------

function hasType(node: Json, type: string): boolean {
  const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
  return types.some((t) => typeof t === 'string' && t.replace(/^https?:\/\/schema\.org\//u, '') === type);
}

function typeMatches(node: Json, pattern: RegExp): boolean {
  const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
  return types.some((t) => typeof t === 'string' && pattern.test(t.replace(/^https?:\/\/schema\.org\//u, '')));
}

/** Lenient JSON for hand-written JSON-LD: trailing commas, raw newlines in strings, HTML comments. */
function parseLenient(text: string): unknown {
  const first = parseJson(text);
  if (first.ok) return first.value;
  const cleaned = text
    .replace(/^\s*<!--|-->\s*$/gu, '')
    .replace(/,\s*([}\]])/gu, '$1')
    // eslint-disable-next-line no-control-regex -- raw control characters are what breaks real JSON-LD.
    .replace(/[\u0000-\u001f]+/gu, ' ');
  const second = parseJson(cleaned);
  return second.ok ? second.value : null;
}

/** Every JSON-LD node on the page, flattened through arrays and `@graph`. */
export function jsonLdNodes($: CheerioAPI): Json[] {
  const nodes: Json[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
    else if (isObject(value)) {
      nodes.push(value);
      if (value['@graph'] !== undefined) visit(value['@graph'], depth + 1);
    }
  };
  $('script[type="application/ld+json"]').each((_, el) => visit(parseLenient($(el).text()), 0));
  return nodes;
}

function text(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = text(v);
      if (found) return found;
    }
    return null;
  }
  if (isObject(value)) return text(value.name ?? value['@value'] ?? value.value);
  return str(value);
}

function images(value: unknown, pageUrl: string): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list
    .map((v) => (isObject(v) ? (str(v.url) ?? str(v.contentUrl)) : str(v)))
    .filter((s): s is string => s !== null)
    .map((s) => resolveUrl(s, pageUrl) ?? s)
    .slice(0, 50);
}

export interface Money {
  amount: number | null;
  currency: string | null;
}

/** A price from a number or text, in the given (or detected) currency. */
export function money(value: unknown, currency: unknown): Money {
  const hint = str(currency)?.toUpperCase();
  if (typeof value === 'number') return { amount: Number.isFinite(value) && value >= 0 ? value : null, currency: hint ?? null };
  const raw = str(value);
  if (!raw) return { amount: null, currency: hint ?? null };
  // "1250000.00" in a price field is a decimal point, not a thousands separator.
  if (/^\d+\.\d{1,2}$/u.test(raw)) return { amount: Number(raw), currency: hint ?? null };
  const parsed = parsePrice(raw, hint ? { currencyHint: hint } : { currencyHint: 'VND' });
  if ('error' in parsed) return { amount: null, currency: hint ?? null };
  return { amount: parsed.amount, currency: parsed.currency };
}

function readOffers(value: unknown): {
  price: Money;
  high: Money | null;
  list: Money | null;
  availability: string | null;
  seller: Json | null;
} {
  const offers = (Array.isArray(value) ? value : [value]).filter(isObject);
  let best: Money = { amount: null, currency: null };
  let high: Money | null = null;
  let list: Money | null = null;
  let availability: string | null = null;
  let seller: Json | null = null;
  for (const offer of offers) {
    const specs = (Array.isArray(offer.priceSpecification) ? offer.priceSpecification : [offer.priceSpecification]).filter(isObject);
    // A "ListPrice" specification is the strikethrough price, not what the buyer pays.
    const listSpec = specs.find((spec) => /ListPrice|StrikethroughPrice|MSRP/iu.test(str(spec.priceType) ?? ''));
    if (listSpec) list ??= money(listSpec.price, listSpec.priceCurrency ?? offer.priceCurrency);
    const saleSpec = specs.find((spec) => spec !== listSpec);
    const price = money(offer.price ?? offer.lowPrice ?? saleSpec?.price, offer.priceCurrency ?? saleSpec?.priceCurrency);
    if (price.amount !== null && (best.amount === null || price.amount < best.amount)) best = price;
    if (offer.highPrice !== undefined) high = money(offer.highPrice, offer.priceCurrency);
    availability ??= str(offer.availability);
    if (isObject(offer.seller)) seller ??= offer.seller;
    if (Array.isArray(offer.offers)) {
      const nested = readOffers(offer.offers);
      if (nested.price.amount !== null && (best.amount === null || nested.price.amount < best.amount)) best = nested.price;
      seller ??= nested.seller;
    }
  }
  return { price: best, high, list, availability, seller };
}

function fromJsonLd(node: Json, pageUrl: string): WebProduct {
  const offers = readOffers(node.offers);
  const aggregate = obj(node.aggregateRating);
  const best = num(aggregate.bestRating);
  const value = num(aggregate.ratingValue);
  return {
    name: text(node.name),
    description: text(node.description),
    brand: text(node.brand) ?? text(node.manufacturer),
    sku: str(node.sku) ?? str(node.productID) ?? str(node.mpn) ?? str(node.gtin13),
    category: text(node.category),
    url: str(node.url) ? resolveUrl(str(node.url)!, pageUrl) : null,
    images: images(node.image, pageUrl),
    price: offers.price.amount,
    currency: offers.price.currency,
    originalPrice: offers.list && (offers.list.currency ?? offers.price.currency) === offers.price.currency ? offers.list.amount : null,
    rating: value !== null && best && best !== 5 ? (value / best) * 5 : value,
    reviewCount: num(aggregate.reviewCount ?? aggregate.ratingCount),
    availability: offers.availability,
    seller: offers.seller ?? (isObject(node.seller) ? node.seller : null),
    raw: node,
  };
}

// ---------- microdata ----------

function ownProps($: CheerioAPI, scope: Element): Map<string, Element[]> {
  const props = new Map<string, Element[]>();
  $(scope)
    .find('[itemprop]')
    .each((_, el) => {
      // Only properties of this item, not of items nested inside it.
      const owner = $(el).parent().closest('[itemscope]').get(0);
      if (owner !== scope) return;
      for (const name of ($(el).attr('itemprop') ?? '').split(/\s+/u)) {
        if (!name) continue;
        props.set(name, [...(props.get(name) ?? []), el]);
      }
    });
  return props;
}

function microValue($: CheerioAPI, el: Element): unknown {
  const node = $(el);
  if (node.is('[itemscope]')) return microItem($, el);
  const content = node.attr('content') ?? node.attr('value');
  if (content !== undefined) return content;
  if (node.is('a, link')) return node.attr('href');
  if (node.is('img, source')) return node.attr('src');
  if (node.is('time')) return node.attr('datetime') ?? node.text();
  return node.text().replace(/\s+/gu, ' ').trim();
}

function microItem($: CheerioAPI, scope: Element): Json {
  const item: Json = {};
  const type = $(scope).attr('itemtype');
  if (type) item['@type'] = type.split(/\s+/u).map((t) => t.replace(/^https?:\/\/schema\.org\//u, ''));
  for (const [name, elements] of ownProps($, scope)) {
    const values = elements.map((el) => microValue($, el));
    item[name] = values.length === 1 ? values[0] : values;
  }
  return item;
}

function microdataProducts($: CheerioAPI): Json[] {
  return $('[itemscope][itemtype*="schema.org/Product"]')
    .toArray()
    .filter((el): el is Element => 'attribs' in (el as AnyNode))
    .map((el) => microItem($, el));
}

// ---------- OpenGraph ----------

function openGraph($: CheerioAPI, pageUrl: string): WebProduct | null {
  const meta = (property: string): string | null =>
    str($(`meta[property="${property}"], meta[name="${property}"]`).first().attr('content'));
  const amount = meta('product:price:amount') ?? meta('og:price:amount');
  const type = meta('og:type');
  if (!amount && type !== 'product' && type !== 'og:product') return null;
  const price = money(amount, meta('product:price:currency') ?? meta('og:price:currency'));
  const image = meta('og:image');
  return {
    name: meta('og:title'),
    description: meta('og:description'),
    brand: meta('product:brand'),
    sku: meta('product:retailer_item_id'),
    category: meta('product:category'),
    url: meta('og:url') ? resolveUrl(meta('og:url')!, pageUrl) : null,
    images: image ? [resolveUrl(image, pageUrl) ?? image] : [],
    price: price.amount,
    currency: price.currency,
    originalPrice: null,
    availability: meta('product:availability') ?? meta('og:availability'),
    raw: { openGraph: { title: meta('og:title'), amount, currency: meta('product:price:currency'), brand: meta('product:brand') } },
  };
}

/** The page's product, merged from JSON-LD, then microdata, then OpenGraph; null when none. */
export function readProduct($: CheerioAPI, pageUrl: string): WebProduct | null {
  const nodes = jsonLdNodes($);
  const sources: WebProduct[] = [];
  const ld = nodes.find((node) => hasType(node, 'Product') || hasType(node, 'ProductGroup') || hasType(node, 'IndividualProduct'));
  if (ld) sources.push(fromJsonLd(ld, pageUrl));
  const micro = microdataProducts($)[0];
  if (micro) sources.push(fromJsonLd(micro, pageUrl));
  const og = openGraph($, pageUrl);
  if (og) sources.push(og);
  if (!sources.length) return null;
  const merged: WebProduct = { images: [], raw: sources[0]!.raw };
  for (const source of sources) {
    for (const [key, value] of Object.entries(source) as [keyof WebProduct, unknown][]) {
      if (key === 'raw') continue;
      if (key === 'images') {
        if (!merged.images.length) merged.images = source.images;
        continue;
      }
      if ((merged[key] === undefined || merged[key] === null) && value !== undefined && value !== null)
        (merged as unknown as Json)[key] = value;
    }
  }
  // Offers often name the seller only; the page's Organization node has its address and phone.
  const organizations = nodes.filter((node) => typeMatches(node, SELLER_TYPES));
  const named = merged.seller ? text(merged.seller.name) : null;
  const organization =
    (named ? organizations.find((node) => text(node.name) === named) : undefined) ?? (merged.seller ? undefined : organizations[0]);
  if (organization) merged.seller = { ...organization, ...(merged.seller ?? {}), ...withoutEmpty(organization) };
  if (!merged.name) merged.name = str($('h1').first().text()) ?? str($('title').text());
  return merged;
}

function withoutEmpty(node: Json): Json {
  return Object.fromEntries(Object.entries(node).filter(([, value]) => value !== null && value !== undefined && value !== ''));
}

function addressText(value: unknown): string | null {
  if (!isObject(value)) return text(value);
  const parts = ['streetAddress', 'addressLocality', 'addressRegion', 'addressCountry']
    .map((key) => text(value[key]))
    .filter((s): s is string => s !== null);
  return parts.length ? parts.join(', ') : null;
}

/** Adds the product (and its seller, if named) to the result. Shared with the selectors adapter. */
export function addProduct(builder: ResultBuilder, product: WebProduct, pageUrl: string, shopIdFallback?: string): void {
  const url = product.url ?? pageUrl;
  // Host + path, never a bare sku: every independent shop shares the one `web` marketplace, so a
  // sku alone would merge two sites' products, and the selectors adapter and "gone" pages key by URL too.
  const id = listingIdFromUrl(pageUrl) ?? listingIdFromUrl(url);
  if (!id) {
    builder.reject('web product without a usable URL');
    return;
  }
  const isVnd = product.currency === null || product.currency === undefined || product.currency === 'VND';
  const seller = product.seller ?? null;
  const sellerName = seller ? (text(seller.name) ?? text(seller.legalName)) : null;
  const sellerUrl = seller && str(seller.url) ? resolveUrl(str(seller.url)!, pageUrl) : null;
  let shopId: string | null = null;
  if (seller && sellerName) {
    const host = (() => {
      try {
        return new URL(pageUrl).hostname;
      } catch {
        return 'web';
      }
    })();
    shopId = (sellerUrl ? shopIdFromUrl(sellerUrl) : null) ?? `${host}#${sellerName.toLowerCase().replace(/\s+/gu, '-').slice(0, 150)}`;
    builder.shop({
      externalId: shopId,
      name: sellerName,
      url: sellerUrl,
      rawAddress: addressText(seller.address),
      phone: text(seller.telephone),
      email: text(seller.email)?.replace(/^mailto:/iu, '') ?? null,
      taxCode: text(seller.taxID) ?? text(seller.vatID),
      joinedAt: parseLooseDate(seller.foundingDate),
      raw: seller,
    });
  } else if (shopIdFallback) {
    shopId = shopIdFallback;
  }
  const price = isVnd && product.price !== null && product.price !== undefined ? Math.round(product.price) : null;
  const original = isVnd && product.originalPrice ? Math.round(product.originalPrice) : null;
  builder.listing(
    {
      externalId: id,
      shopExternalId: shopId,
      title: product.name ?? '',
      description: product.description?.slice(0, 20_000) ?? null,
      brand: product.brand ?? null,
      category: product.category ?? null,
      priceVnd: price && price > 0 ? price : null,
      originalPriceVnd: original && price && original > price ? original : null,
      rating: rating(product.rating),
      images: product.images,
      url,
      raw: compactRaw(product.raw),
    },
    isVnd || !product.currency
      ? undefined
      : { amount: product.price ?? null, originalAmount: product.originalPrice ?? null, currency: product.currency },
  );
}

/** The product node without its long description, so `raw` stays small. */
function compactRaw(raw: Json): Json {
  const { description: _description, review: _review, ...rest } = raw;
  return rest;
}
