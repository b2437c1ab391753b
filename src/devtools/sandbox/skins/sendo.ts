/** /sendo: the search-list JSON and a shop info endpoint. */
import { CATEGORIES } from '../catalog.ts';
import { atEpoch } from '../search.ts';
import { intParam, json, type SkinHandler, type SkinRequest } from '../http.ts';
import { listingPath } from '../truth.ts';
import { formatVnd } from '../text.ts';
import { hashString } from '../rng.ts';
import type { SandboxListing } from '../world.ts';

const CATEGORY_ID_BASE = 2000;

function sendoCity(location: string | null): string {
  if (!location) return '';
  if (location === 'TP. Hồ Chí Minh') return 'TP.HCM';
  return location;
}

function item(request: SkinRequest, raw: SandboxListing, position: number) {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const original = listing.originalPriceVnd ?? listing.priceVnd;
  return {
    index: position,
    type: 'SKU',
    item: {
      product_id: Number(listing.id),
      name: listing.title,
      category_id: CATEGORY_ID_BASE + CATEGORIES.indexOf(listing.category),
      shop_id: Number(shop.id),
      price: original,
      final_price: listing.priceVnd,
      // The real API mixes formatted strings and numbers here.
      original_price: listing.index % 2 ? `${formatVnd(original)}đ` : original,
      shop_name: shop.name,
      shop_warehouse_city: sendoCity(shop.declaredLocation),
      cat_path: listingPath(listing).slice(1),
      thumbnail_url: `https://media3.scdn.vn/img4/2024/${listing.imageKey.toString(36)}_simg_250x250_maxb.jpg`,
      is_shop_plus: shop.isOfficial ? 1 : 0,
      order_count: listing.soldCount,
      rating_percent: Math.round((listing.rating / 5) * 100),
      total_ratings: Math.round(listing.soldCount / 8),
      ...(listing.brand ? { brand_name: listing.brand } : {}),
    },
  };
}

/**
 * Real captures come both as `{data: [...], meta}` and as the bare array. Each request gets one form,
 * drawn from its path and query (the same URL always answers the same way); `__form=bare|wrapped`
 * forces it.
 */
function bareForm(request: SkinRequest): boolean {
  const forced = request.query.get('__form');
  if (forced === 'bare' || forced === 'wrapped') return forced === 'bare';
  const params = new URLSearchParams(request.query);
  params.sort();
  return hashString(`${request.path}?${params.toString()}`, request.world.seed) % 2 === 1;
}

/** The bare form as captured: `SendoClick` ad slots without an item between the products. */
function withAdSlots(data: ReturnType<typeof item>[]): unknown[] {
  const out: unknown[] = [];
  data.forEach((entry, k) => {
    out.push(entry);
    if (k % 6 === 2) out.push({ index: entry.index, type: 'SendoClick', is_empty: true });
  });
  return out;
}

export const sendo: SkinHandler = (request) => {
  const { path, query, search, world } = request;
  if (path === '/web/products') {
    const size = Math.max(1, intParam(query, 'size', 60, 100));
    const page = Math.max(1, intParam(query, 'page', 1));
    const shopId = query.get('shop_id');
    const categoryId = query.get('category_id');
    const category =
      categoryId === null
        ? undefined
        : /^\d+$/u.test(categoryId)
          ? (CATEGORIES[Number(categoryId) - CATEGORY_ID_BASE] ?? '__none__')
          : categoryId;
    const indexes =
      shopId !== null
        ? search.matches('sendo', { shopId }, request.epoch)
        : search.matches('sendo', { query: query.get('q') ?? '', category }, request.epoch);
    const data = [];
    for (let k = (page - 1) * size; k < Math.min(indexes.length, page * size); k++) data.push(item(request, world.listing(indexes[k]!), k));
    if (bareForm(request)) return json(withAdSlots(data));
    return json({ data, meta: { total_count: indexes.length, page, size, total_page: Math.max(1, Math.ceil(indexes.length / size)) } });
  }
  const info = /^\/shop\/([^/]+)\/info$/u.exec(path);
  if (info) {
    const shop = world.findShop('sendo', info[1]!);
    if (!shop) return json({ status: 404, message: 'shop not found', data: null }, 404);
    return json({
      data: {
        shop_id: Number(shop.id),
        shop_name: shop.name,
        warehouse_city: sendoCity(shop.declaredLocation),
        address: shop.address ?? '',
        phone: shop.phone ?? '',
        tax_code: shop.taxCode ?? '',
        is_certified: shop.isOfficial,
        created_at: Math.floor(Date.parse(shop.joinedAt) / 1000),
        total_follow: shop.followerCount,
        rating_avg: shop.rating,
      },
    });
  }
  return null;
};
