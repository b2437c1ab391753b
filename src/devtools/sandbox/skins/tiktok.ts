/** /tiktok: server-rendered product pages with `__MODERN_ROUTER_DATA__`, plus search and store link pages. */
import { CATEGORY_NAMES } from '../catalog.ts';
import { atEpoch } from '../search.ts';
import { html, intParam, type SkinHandler, type SkinRequest } from '../http.ts';
import { listingPath } from '../truth.ts';
import { escapeHtml, scriptJson } from '../text.ts';
import type { SandboxListing } from '../world.ts';

const PAGE_SIZE = 20;

/** Real pages carry ~30+ KB of styles and bootstrap scripts; a gate page is smaller. Built once. */
const PADDING = `<style>${Array.from({ length: 700 }, (_, k) => `.tts-c${k}{margin:${k % 7}px;padding:${k % 5}px;color:#${(k * 4099).toString(16).padStart(6, '0').slice(-6)}}`).join('')}</style>`;

function productData(request: SkinRequest, raw: SandboxListing) {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const productInfo = {
    product_id: listing.id,
    title: listing.title,
    product_price_info: {
      sale_price_decimal: String(listing.priceVnd),
      origin_price_decimal: String(listing.originalPriceVnd ?? listing.priceVnd),
      currency_name: 'VND',
      currency_symbol: '₫',
    },
    sold_info: { sold_count: listing.soldCount },
    rate_info: { score: listing.rating, review_count: Math.round(listing.soldCount / 10) },
    seller_info: { seller_id: shop.id, shop_name: shop.name, ...(shop.declaredLocation ? { shop_location: shop.declaredLocation } : {}) },
    ...(listing.brand ? { brand_name: listing.brand } : {}),
    category_name: CATEGORY_NAMES[listing.category],
    description: listing.description,
  };
  return {
    loaderData: {
      'view/product/(product_id)/page': {
        page_config: {
          global_data: { product_info: productInfo },
          components_map: [
            { component_type: 'product_info', component_data: { product_id: listing.id } },
            { component_type: 'shop_info', component_data: { seller_id: shop.id, shop_name: shop.name, followers_count: shop.followerCount, shop_location: shop.declaredLocation ?? '' } },
          ],
        },
      },
    },
  };
}

function productPage(request: SkinRequest, listing: SandboxListing): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(listing.title)} | TikTok Shop</title>${PADDING}</head>
<body><div id="root"></div><script id="__MODERN_ROUTER_DATA__" type="application/json">${scriptJson(productData(request, listing))}</script></body></html>`;
}

function linkPage(request: SkinRequest, indexes: Int32Array, title: string): string {
  const page = Math.max(1, intParam(request.query, 'page', 1));
  const links: string[] = [];
  for (let k = (page - 1) * PAGE_SIZE; k < Math.min(indexes.length, page * PAGE_SIZE); k++) {
    const listing = request.world.listing(indexes[k]!);
    links.push(`<li class="product-card"><a href="/tiktok${listingPath(listing)}">${escapeHtml(listing.title)}</a></li>`);
  }
  const next = new URLSearchParams(request.query);
  next.set('page', String(page + 1));
  const nextLink = page * PAGE_SIZE < indexes.length ? `<a rel="next" href="?${escapeHtml(next.toString())}">Tiếp</a>` : '';
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)} | TikTok Shop</title></head><body><ul class="product-list">${links.join('')}</ul>${nextLink}</body></html>`;
}

export const tiktok: SkinHandler = (request) => {
  const { path, query, search, world } = request;
  const pdp = /^\/shop\/pdp\/[^/]+\/(\d+)$/u.exec(path) ?? /^\/view\/product\/(\d+)$/u.exec(path);
  if (pdp) {
    const listing = world.findListing('tiktok', pdp[1]!);
    if (!listing || search.isGone(listing.index, request.epoch)) {
      return html(`<!DOCTYPE html><html><head>${PADDING}</head><body><script id="__MODERN_ROUTER_DATA__" type="application/json">${scriptJson({ loaderData: { 'view/product/(product_id)/page': { error_code: 23002103, message: 'product not available' } } })}</script></body></html>`, 404);
    }
    return html(productPage(request, listing));
  }
  if (path === '/search') {
    return html(linkPage(request, search.matches('tiktok', { query: query.get('q') ?? '', category: query.get('category') ?? undefined }, request.epoch), query.get('q') ?? ''));
  }
  const store = /^\/shop\/store\/([^/]+)$/u.exec(path);
  if (store) {
    const shop = world.findShop('tiktok', store[1]!);
    if (!shop) return null;
    return html(linkPage(request, search.matches('tiktok', { shopId: shop.id }, request.epoch), shop.name));
  }
  return null;
};

/** The out-of-region product answer: product data replaced by an error code. */
export const TIKTOK_OUT_OF_REGION = { loaderData: { 'view/product/(product_id)/page': { error_code: 23002102, message: 'product is not available in your region' } } };
