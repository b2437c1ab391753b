/** /tiki: the plain JSON API (list, detail, seller widget). */
import { CATEGORY_NAMES } from '../catalog.ts';
import { atEpoch } from '../search.ts';
import { intParam, json, type SkinHandler, type SkinRequest } from '../http.ts';
import { listingPath } from '../truth.ts';
import { compactCount } from '../text.ts';
import { WORLD_NOW, type SandboxListing } from '../world.ts';

function listItem(request: SkinRequest, raw: SandboxListing) {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const original = listing.originalPriceVnd ?? listing.priceVnd;
  const path = listingPath(listing);
  return {
    id: Number(listing.id),
    sku: String(8_900_000_000_000 + listing.index),
    name: listing.title,
    url_key: path.slice(1, -5),
    url_path: `${path.slice(1)}?spid=${Number(listing.id) + 1}`,
    price: listing.priceVnd,
    original_price: original,
    list_price: listing.originalPriceVnd ?? 0,
    discount: Math.max(0, original - listing.priceVnd),
    discount_rate: original > listing.priceVnd ? Math.round((1 - listing.priceVnd / original) * 100) : 0,
    brand_name: listing.brand ?? '',
    seller_id: Number(shop.id),
    seller_name: shop.name,
    is_authentic: shop.isOfficial,
    is_from_official_store: shop.isOfficial && shop.kind === 'official',
    tiki_verified: shop.isOfficial,
    badges_new: shop.isOfficial
      ? [
          { code: 'authentic_brand', placement: 'under_product_image', type: 'icon_badge' },
          ...(shop.kind === 'official' ? [{ code: 'official_store', type: 'icon_badge' }] : []),
        ]
      : [],
    quantity_sold: listing.soldCount ? { text: `Đã bán ${compactCount(listing.soldCount)}`, value: listing.soldCount } : null,
    rating_average: listing.rating,
    review_count: Math.round(listing.soldCount / 9),
    thumbnail_url: `https://salt.tikicdn.com/cache/280x280/ts/product/${(listing.imageKey % 256).toString(16).padStart(2, '0')}/${listing.imageKey.toString(16)}.jpg`,
    primary_category_name: CATEGORY_NAMES[listing.category],
  };
}

export const tiki: SkinHandler = (request) => {
  const { path, query, search, world } = request;
  if (path === '/api/v2/products') {
    const limit = Math.max(1, intParam(query, 'limit', 40, 100));
    const page = Math.max(1, intParam(query, 'page', 1));
    const seller = query.get('seller') ?? query.get('seller_id');
    const indexes =
      seller !== null
        ? search.matches('tiki', { shopId: seller }, request.epoch)
        : search.matches('tiki', { query: query.get('q') ?? '', category: query.get('category') ?? undefined }, request.epoch);
    const data = [];
    for (let k = (page - 1) * limit; k < Math.min(indexes.length, page * limit); k++)
      data.push(listItem(request, world.listing(indexes[k]!)));
    return json({
      data,
      paging: {
        total: indexes.length,
        per_page: limit,
        current_page: page,
        last_page: Math.max(1, Math.ceil(indexes.length / limit)),
        from: (page - 1) * limit + 1,
        to: (page - 1) * limit + data.length,
      },
    });
  }
  const detail = /^\/api\/v2\/products\/(\d+)$/u.exec(path);
  if (detail) {
    const raw = world.findListing('tiki', detail[1]!);
    if (!raw || search.isGone(raw.index, request.epoch)) return json({ error: { code: 404, message: 'product not found' } }, 404);
    const base = listItem(request, raw);
    const shop = world.shop(raw.shopIndex);
    return json({
      id: base.id,
      name: base.name,
      sku: base.sku,
      url_path: base.url_path,
      price: base.price,
      original_price: base.original_price,
      list_price: base.list_price,
      discount_rate: base.discount_rate,
      rating_average: base.rating_average,
      review_count: base.review_count,
      brand: { id: raw.imageKey % 9999, name: raw.brand ?? 'OEM' },
      current_seller: {
        id: Number(shop.id),
        name: shop.name,
        link: `${request.origin}/tiki/cua-hang/${shop.id}`,
        store_id: shop.index + 1,
        is_best_store: shop.isOfficial,
        logo: '',
      },
      specifications: [
        {
          name: 'Content',
          attributes: [
            { code: 'brand', name: 'Thương hiệu', value: raw.brand ?? 'OEM' },
            { code: 'brand_country', name: 'Xuất xứ thương hiệu', value: 'Mỹ' },
            { code: 'origin', name: 'Xuất xứ', value: raw.patterns.length ? 'Trung Quốc' : 'Việt Nam' },
          ],
        },
      ],
      day_ago_created: Math.max(0, Math.floor((WORLD_NOW - raw.createdAt) / 86_400)),
      quantity_sold: base.quantity_sold,
      images: [{ base_url: base.thumbnail_url }],
      description: `<p>${raw.description}</p>`,
      inventory_status: 'available',
      categories: { name: CATEGORY_NAMES[raw.category] },
    });
  }
  if (path === '/api/shopping/v2/widgets/seller') {
    const shop = world.findShop('tiki', query.get('seller_id') ?? '');
    if (!shop) return json({ error: { code: 404, message: 'seller not found' } }, 404);
    return json({
      data: {
        seller: {
          id: Number(shop.id),
          name: shop.name,
          is_official: shop.isOfficial,
          avg_rating_point: shop.rating,
          total_follower: shop.followerCount,
          days_since_joined: Math.floor((WORLD_NOW * 1000 - Date.parse(shop.joinedAt)) / 86_400_000),
          store_level: shop.isOfficial ? 'OFFICIAL_STORE' : 'NONE',
          url: `${request.origin}/tiki/cua-hang/${shop.id}`,
          address: shop.address,
          phone: shop.phone,
          tax_code: shop.taxCode,
        },
      },
    });
  }
  return null;
};
