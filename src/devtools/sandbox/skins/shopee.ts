/** /shopee: an app shell that renders client-side from Shopee-shaped v4 JSON. Prices are VND × 100000. */
import { CATEGORIES } from '../catalog.ts';
import { hash32 } from '../rng.ts';
import { atEpoch } from '../search.ts';
import { html, imageHash, intParam, json, type SkinHandler, type SkinRequest } from '../http.ts';
import type { SandboxListing, SandboxShop } from '../world.ts';

const CATID_BASE = 100_630;

function price(request: SkinRequest, vnd: number, salt: number): number {
  const scaled = vnd * 100_000;
  if (!request.poison) return scaled;
  return scaled + 1 + (hash32(request.world.seed, salt, vnd) % 99_998);
}

function itemBasic(request: SkinRequest, raw: SandboxListing, shop: SandboxShop) {
  const listing = atEpoch(request.world, raw, request.epoch);
  const original = listing.originalPriceVnd && listing.originalPriceVnd > listing.priceVnd ? listing.originalPriceVnd : null;
  const discount = original ? Math.round((1 - listing.priceVnd / original) * 100) : 0;
  return {
    itemid: Number(listing.id),
    shopid: Number(shop.id),
    name: listing.title,
    image: imageHash(listing.imageKey),
    images: [imageHash(listing.imageKey), imageHash(listing.imageKey, 1)],
    currency: 'VND',
    stock: 10 + (listing.imageKey % 500),
    status: 1,
    ctime: listing.createdAt,
    sold: Math.round(listing.soldCount / 12),
    historical_sold: listing.soldCount,
    catid: CATID_BASE + CATEGORIES.indexOf(listing.category),
    brand: listing.brand ?? '',
    price: price(request, listing.priceVnd, 1),
    price_min: price(request, listing.priceVnd, 2),
    price_max: price(request, listing.priceVnd, 3),
    price_before_discount: original ? price(request, original, 4) : 0,
    discount: original ? `${discount}%` : null,
    raw_discount: discount,
    item_rating: { rating_star: listing.rating, rating_count: [0, 0, 0, 0, 0, 0] },
    shop_name: shop.name,
    shop_location: shop.declaredLocation ?? '',
    is_official_shop: shop.isOfficial,
    shopee_verified: shop.isOfficial || shop.followerCount > 10_000,
    is_preferred_plus_seller: false,
  };
}

function shopDetail(request: SkinRequest, shop: SandboxShop) {
  let count = 0;
  for (const _ of request.world.shopListingIndexes(shop.index)) count++;
  return {
    shopid: Number(shop.id),
    userid: Number(shop.id) + 5,
    name: shop.name,
    ctime: Math.floor(Date.parse(shop.joinedAt) / 1000),
    follower_count: shop.followerCount,
    response_rate: 60 + (shop.index % 40),
    rating_star: shop.rating,
    shop_location: shop.declaredLocation ?? '',
    place: shop.address ?? '',
    item_count: count,
    is_official_shop: shop.isOfficial,
    is_shopee_verified: shop.isOfficial || shop.followerCount > 10_000,
    phone: shop.phone,
    description: shop.taxCode ? `${shop.name}. MST: ${shop.taxCode}` : `${shop.name}.`,
  };
}

function page(request: SkinRequest, indexes: Int32Array, offset: number, limit: number) {
  const items = [];
  for (let k = offset; k < Math.min(indexes.length, offset + limit); k++) {
    const listing = request.world.listing(indexes[k]!);
    const shop = request.world.shop(listing.shopIndex);
    items.push({ itemid: Number(listing.id), shopid: Number(shop.id), item_basic: itemBasic(request, listing, shop) });
  }
  return { error: null, total_count: indexes.length, nomore: offset + limit >= indexes.length, items };
}

/** The page's own script: fetch the v4 JSON the page needs and render it. Only a browser runs it. */
const APP_SCRIPT = `
(function () {
  var base = location.pathname.slice(0, location.pathname.indexOf('/', 1));
  var root = document.getElementById('main');
  var params = new URLSearchParams(location.search);
  var rest = location.pathname.slice(base.length).split('/');
  function fmt(p) { return '\\u20ab' + Math.round(p / 100000).toLocaleString('vi-VN'); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]; }); }
  function renderItems(data, nextHref) {
    var html = '<ul class="shopee-search-item-result__items">';
    (data.items || []).forEach(function (it) {
      var b = it.item_basic;
      html += '<li class="shopee-search-item-result__item" data-sqe="item" data-itemid="' + b.itemid + '" data-shopid="' + b.shopid + '">' +
        '<a href="' + base + '/product/' + b.shopid + '/' + b.itemid + '"><div data-sqe="name">' + esc(b.name) + '</div></a>' +
        '<span class="price" data-price="' + b.price + '">' + fmt(b.price) + '</span>' +
        '<span class="shop-location">' + esc(b.shop_location) + '</span></li>';
    });
    html += '</ul>';
    if (!data.nomore && nextHref) html += '<a class="shopee-icon-button--right" rel="next" href="' + nextHref + '">Trang sau</a>';
    root.innerHTML = html;
    root.setAttribute('data-loaded', 'true');
  }
  function fail(msg) { root.innerHTML = '<div class="error" data-error="' + esc(msg) + '">Đã xảy ra lỗi</div>'; root.setAttribute('data-loaded', 'error'); }
  function get(url) { return fetch(url, { headers: { 'x-api-source': 'pc', 'accept': 'application/json' } }).then(function (r) { return r.json(); }); }
  var pageNo = Number(params.get('page') || 0);
  if (rest[1] === 'search') {
    var q = params.get('keyword') || '';
    var cat = params.get('match_id');
    var api = base + '/api/v4/search/search_items?by=relevancy&limit=60&newest=' + (pageNo * 60) + (cat ? '&match_id=' + encodeURIComponent(cat) : '&keyword=' + encodeURIComponent(q));
    params.set('page', String(pageNo + 1));
    get(api).then(function (d) { if (d.error) return fail(String(d.error)); renderItems(d, '?' + params.toString()); }, function (e) { fail(String(e)); });
  } else if (rest[1] === 'shop') {
    params.set('page', String(pageNo + 1));
    Promise.all([get(base + '/api/v4/shop/get_shop_detail?shopid=' + rest[2]), get(base + '/api/v4/shop/search_items?shopid=' + rest[2] + '&offset=' + (pageNo * 30) + '&limit=30')])
      .then(function (r) {
        if (r[0].error || r[1].error) return fail(String(r[0].error || r[1].error));
        document.title = r[0].data.name;
        renderItems(r[1], '?' + params.toString());
        root.insertAdjacentHTML('afterbegin', '<h1 class="shop-name">' + esc(r[0].data.name) + '</h1>');
      }, function (e) { fail(String(e)); });
  } else if (rest[1] === 'product') {
    get(base + '/api/v4/pdp/get_pc?shop_id=' + rest[2] + '&item_id=' + rest[3]).then(function (d) {
      if (d.error || !d.data) return fail(String(d.error));
      var it = d.data.item;
      document.title = it.name;
      root.innerHTML = '<h1 class="product-name" data-itemid="' + it.itemid + '">' + esc(it.name) + '</h1><div class="price" data-price="' + it.price + '">' + fmt(it.price) + '</div>' +
        '<a class="shop-link" href="' + base + '/shop/' + it.shopid + '">' + esc(d.data.shop_detailed.name) + '</a><div class="description">' + esc(it.description) + '</div>';
      root.setAttribute('data-loaded', 'true');
    }, function (e) { fail(String(e)); });
  }
})();
`;

const SHELL = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Shopee Việt Nam | Mua và Bán Trên Ứng Dụng Di Động Hoặc Website</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="main" data-loaded="false"><div class="shopee-loading">Đang tải...</div></div>
<script>${APP_SCRIPT}</script></body></html>`;

export const shopee: SkinHandler = (request) => {
  const { path, query, world, search } = request;
  if (path === '/' || path === '/search' || /^\/shop\/\d+$/u.test(path) || /^\/product\/\d+\/\d+$/u.test(path)) return html(SHELL);
  if (path === '/api/v4/search/search_items') {
    const matchId = query.get('match_id');
    const category =
      matchId === null ? undefined : /^\d+$/u.test(matchId) ? (CATEGORIES[Number(matchId) - CATID_BASE] ?? '__none__') : matchId;
    const indexes = search.matches('shopee', { query: category ? undefined : (query.get('keyword') ?? ''), category }, request.epoch);
    return json(page(request, indexes, intParam(query, 'newest', 0), Math.max(1, intParam(query, 'limit', 60, 100))));
  }
  if (path === '/api/v4/shop/search_items') {
    const shopId = query.get('shopid') ?? '';
    if (!world.findShop('shopee', shopId)) return json({ error: 4, error_msg: 'shop not found', items: [] });
    const indexes = search.matches('shopee', { shopId }, request.epoch);
    return json(page(request, indexes, intParam(query, 'offset', 0), Math.max(1, intParam(query, 'limit', 30, 100))));
  }
  if (path === '/api/v4/shop/get_shop_detail') {
    const shop = world.findShop('shopee', query.get('shopid') ?? '');
    return shop
      ? json({ error: 0, error_msg: null, data: shopDetail(request, shop) })
      : json({ error: 4, error_msg: 'shop not found', data: null });
  }
  if (path === '/api/v4/pdp/get_pc') {
    const listing = world.findListing('shopee', query.get('item_id') ?? '');
    if (!listing || listing.shopId !== query.get('shop_id') || search.isGone(listing.index, request.epoch)) {
      return json({ error: 4, error_msg: 'item not found', data: null });
    }
    const shop = world.shop(listing.shopIndex);
    return json({
      error: null,
      data: { item: { ...itemBasic(request, listing, shop), description: listing.description }, shop_detailed: shopDetail(request, shop) },
    });
  }
  return null;
};

export const SHOPEE_BLOCK = { error: 90309999, is_customized: false, is_login: false };
