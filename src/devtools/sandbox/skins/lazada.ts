/** /lazada: catalog JSON (`?ajax=true`) and product pages that embed `app.run({...})`. */
import { atEpoch } from '../search.ts';
import { html, imageHash, intParam, json, type SkinHandler, type SkinRequest } from '../http.ts';
import { lazadaSkuId, listingPath } from '../truth.ts';
import { compactCount, formatVnd, scriptJson, escapeHtml } from '../text.ts';
import type { SandboxListing } from '../world.ts';

const PAGE_SIZE = 40;

function listItem(request: SkinRequest, raw: SandboxListing) {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const original = listing.originalPriceVnd && listing.originalPriceVnd > listing.priceVnd ? listing.originalPriceVnd : null;
  return {
    itemId: listing.id,
    skuId: lazadaSkuId(listing.id),
    name: listing.title,
    productUrl: `//${request.host}/lazada${listingPath(listing)}?search=1`,
    image: `https://img.lazcdn.com/g/p/${imageHash(listing.imageKey)}.jpg`,
    price: String(listing.priceVnd),
    priceShow: `₫${formatVnd(listing.priceVnd)}`,
    originalPrice: original ? String(original) : undefined,
    originalPriceShow: original ? `₫${formatVnd(original)}` : undefined,
    discount: original ? `-${Math.round((1 - listing.priceVnd / original) * 100)}%` : undefined,
    brandName: listing.brand ?? 'No Brand',
    sellerName: shop.name,
    sellerId: shop.id,
    location: shop.declaredLocation ?? '',
    ratingScore: String(listing.rating),
    review: String(Math.round(listing.soldCount / 7)),
    itemSoldCntShow: `${compactCount(listing.soldCount)} đã bán`,
    icons: shop.isOfficial ? [{ domClass: 'lazMall', type: 'img', alias: 'LazMall' }] : [],
  };
}

function catalog(request: SkinRequest, indexes: Int32Array) {
  const page = Math.max(1, intParam(request.query, 'page', 1));
  const items = [];
  for (let k = (page - 1) * PAGE_SIZE; k < Math.min(indexes.length, page * PAGE_SIZE); k++)
    items.push(listItem(request, request.world.listing(indexes[k]!)));
  return {
    mainInfo: { totalResults: String(indexes.length), pageSize: String(PAGE_SIZE), page: String(page), q: request.query.get('q') ?? '' },
    mods: { listItems: items },
  };
}

function productPage(request: SkinRequest, raw: SandboxListing): string {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const skuId = lazadaSkuId(listing.id);
  const joinedDays = Math.floor((Date.UTC(2025, 8, 1) - Date.parse(shop.joinedAt)) / 86_400_000);
  const fields: Record<string, unknown> = {
    primaryKey: { itemId: listing.id, skuId },
    product: {
      title: listing.title,
      brand: { name: listing.brand ?? 'No Brand', brandId: String(listing.imageKey % 99_999) },
      desc: listing.description,
    },
    seller: {
      sellerId: shop.id,
      shopId: shop.index + 100_000,
      name: shop.name,
      url: `//${request.host}/lazada/shop/${shop.id}/`,
      rate: shop.rating / 5,
      positiveSellerRating: { value: `${Math.round((shop.rating / 5) * 100)}%`, labelText: 'Positive Seller Ratings' },
      time: Math.max(0, Math.floor(joinedDays / 30)),
      newSeller: joinedDays < 90,
      type: shop.isOfficial ? '1' : '4',
      ...(shop.address ? { address: shop.address } : {}),
    },
    skuInfos: {
      '0': {
        price: {
          salePrice: { value: listing.priceVnd, text: `₫${formatVnd(listing.priceVnd)}` },
          ...(listing.originalPriceVnd
            ? { originalPrice: { value: listing.originalPriceVnd, text: `₫${formatVnd(listing.originalPriceVnd)}` } }
            : {}),
        },
        stock: 5 + (listing.imageKey % 200),
        itemId: listing.id,
        skuId,
      },
    },
  };
  if (shop.isOfficial) fields.authenticService = { title: '100% chính hãng', desc: 'LazMall' };
  const data = { data: { root: { fields } } };
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(listing.title)} | Lazada.vn</title></head>
<body><div id="root"></div><script>app.run(${scriptJson(data)});</script></body></html>`;
}

export const lazada: SkinHandler = (request) => {
  const { path, query, search, world } = request;
  if (path === '/catalog/' || path === '/catalog') {
    if (query.get('ajax') !== 'true')
      return html('<!DOCTYPE html><html><body><div id="root"></div><script>/* catalog app */</script></body></html>');
    const category = query.get('category') ?? undefined;
    return json(catalog(request, search.matches('lazada', { query: query.get('q') ?? '', category }, request.epoch)));
  }
  const shopMatch = /^\/shop\/([^/]+)\/?$/u.exec(path);
  if (shopMatch) {
    const shopId = decodeURIComponent(shopMatch[1]!);
    if (!world.findShop('lazada', shopId)) return null;
    return json(catalog(request, search.matches('lazada', { shopId }, request.epoch)));
  }
  const productMatch = /^\/products\/.*-i(\d+)-s(\d+)\.html$/u.exec(path);
  if (productMatch) {
    const listing = world.findListing('lazada', productMatch[1]!);
    if (!listing || search.isGone(listing.index, request.epoch))
      return html('<!DOCTYPE html><html><body><h1>Sản phẩm không tồn tại</h1></body></html>', 404);
    return html(productPage(request, listing));
  }
  return null;
};
