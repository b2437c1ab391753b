/** /tiktok: server-rendered product pages with `__MODERN_ROUTER_DATA__`, plus search and store link pages. */
import { CATEGORY_NAMES } from '../catalog.ts';
import { atEpoch } from '../search.ts';
import { html, intParam, type SkinHandler, type SkinRequest } from '../http.ts';
import { listingPath } from '../truth.ts';
import { escapeHtml, formatVnd, scriptJson } from '../text.ts';
import type { SandboxListing } from '../world.ts';

const PAGE_SIZE = 20;

/** Real pages carry ~30+ KB of styles and bootstrap scripts; a gate page is smaller. Built once. */
const PADDING = `<style>${Array.from({ length: 700 }, (_, k) => `.tts-c${k}{margin:${k % 7}px;padding:${k % 5}px;color:#${(k * 4099).toString(16).padStart(6, '0').slice(-6)}}`).join('')}</style>`;

const PDP_ROUTE = 'shop/pdp/(product_name_slug$)/(product_id)/page';

/** The 2025 layout: the product in the `product_info` component, only ids in `global_data`. */
function componentData(request: SkinRequest, raw: SandboxListing) {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const original = listing.originalPriceVnd ?? listing.priceVnd;
  const price = (amount: number) => ({ price_str: `${formatVnd(amount)}₫`, price_val: String(amount), currency: 'VND' });
  return {
    loaderData: {
      layout: null,
      [PDP_ROUTE]: {
        basic_info: { lang: 'vi', is_mobile: false, is_login: false },
        route_info: {
          route_page_name: 'pdp',
          page_name: 'product_detail',
          route_product_name_slug: listing.slug,
          route_product_id: listing.id,
        },
        region_info: { path_region: 'VN', real_region: 'VN' },
        page_config: {
          global_fe_config: {},
          global_data: { product_info: { error_code: 0, product_info: { seller_id: shop.id, product_id: listing.id } } },
          components_map: [
            { component_type: 'user_info', component_name: 'user_info', fe_config: {} },
            {
              component_type: 'bread_crumbs',
              component_name: 'bread_crumbs',
              fe_config: {},
              component_data: { bread_crumbs: [{ text: CATEGORY_NAMES[listing.category] }] },
            },
            {
              component_type: 'product_info',
              component_name: 'product_info',
              fe_config: {},
              component_data: {
                categories: [
                  {
                    category_id: String(listing.category.length),
                    level: 1,
                    is_leaf: true,
                    category_name: CATEGORY_NAMES[listing.category],
                  },
                ],
                error_code: 0,
                error_message: '',
                product_info: {
                  product_id: listing.id,
                  status: 1,
                  seller: {
                    seller_id: shop.id,
                    name: shop.name,
                    seller_location: shop.declaredLocation ?? '',
                    followers_count: shop.followerCount,
                  },
                  product_base: {
                    title: listing.title,
                    desc_detail: JSON.stringify([{ type: 'text', text: listing.description }]),
                    sold_count: listing.soldCount,
                    specifications: listing.brand ? [{ name: 'Thương hiệu', value: listing.brand }] : [],
                    price: {
                      original_price: original > listing.priceVnd ? `${formatVnd(original)}₫` : '',
                      real_price: `${formatVnd(listing.priceVnd)}₫`,
                      min_sku_price: String(listing.priceVnd),
                      max_sku_price: String(listing.priceVnd),
                      min_sku_original_price: String(original),
                      currency: 'VND',
                      currency_symbol: '₫',
                    },
                  },
                  skus: [
                    {
                      sku_id: `${listing.id}01`,
                      stock: 10,
                      price: {
                        real_price: price(listing.priceVnd),
                        original_price: `${formatVnd(original)}₫`,
                        original_price_value: String(original),
                      },
                    },
                  ],
                  product_detail_review: { product_rating: listing.rating, review_count: Math.round(listing.soldCount / 10) },
                  seller_id: shop.id,
                },
              },
            },
            { component_type: 'feed_list', component_name: 'feed_list_similar', fe_config: {} },
          ],
        },
      },
    },
  };
}

/** The older layout: the product in `global_data.product_info`, the shop in a `shop_info` component. */
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
            {
              component_type: 'shop_info',
              component_data: {
                seller_id: shop.id,
                shop_name: shop.name,
                followers_count: shop.followerCount,
                shop_location: shop.declaredLocation ?? '',
              },
            },
          ],
        },
      },
    },
  };
}

/**
 * One product page in four keeps the older layout, so crawls meet both. Like many real pages, every
 * product page leaves out the optional `</body></html>`.
 */
function productPage(request: SkinRequest, listing: SandboxListing): string {
  const data = listing.index % 4 === 3 ? productData(request, listing) : componentData(request, listing);
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(listing.title)} | TikTok Shop</title>${PADDING}</head>
<body><div id="root"></div><script id="__MODERN_ROUTER_DATA__" type="application/json">${scriptJson(data)}</script>
`;
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
      return html(
        `<!DOCTYPE html><html><head>${PADDING}</head><body><script id="__MODERN_ROUTER_DATA__" type="application/json">${scriptJson({ loaderData: { [PDP_ROUTE]: { error_code: 23002103, message: 'product not available' } } })}</script></body></html>`,
        404,
      );
    }
    return html(productPage(request, listing));
  }
  if (path === '/search') {
    return html(
      linkPage(
        request,
        search.matches('tiktok', { query: query.get('q') ?? '', category: query.get('category') ?? undefined }, request.epoch),
        query.get('q') ?? '',
      ),
    );
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
export const TIKTOK_OUT_OF_REGION = {
  loaderData: { 'view/product/(product_id)/page': { error_code: 23002102, message: 'product is not available in your region' } },
};
