/**
 * Human pages the adapters link to but whose skins only serve JSON: product and shop pages of tiki and
 * sendo, and lazada's shop page without `ajax=true`. An investigator (and an evidence capture) opens
 * these, so they show what a shopper sees: title, price, shop, address.
 */
import { CATEGORY_NAMES } from './catalog.ts';
import { html, type SkinRequest, type SkinResponse } from './http.ts';
import { atEpoch } from './search.ts';
import { escapeHtml, formatVnd } from './text.ts';
import { listingPath } from './truth.ts';
import type { SandboxListing, SandboxShop, Skin } from './world.ts';

const SITE_NAME: Partial<Record<Skin, string>> = { tiki: 'Tiki', sendo: 'Sendo', lazada: 'Lazada' };

const STYLE = `body{font-family:sans-serif;margin:0;background:#f5f5fa;color:#222}header{background:#1a94ff;color:#fff;padding:12px 24px;font-size:20px}
main{max-width:960px;margin:16px auto;background:#fff;padding:24px;border-radius:8px}h1{font-size:22px;margin:0 0 12px}
.price{color:#d0011b;font-size:26px;font-weight:bold}.old{color:#888;text-decoration:line-through;margin-left:8px}
.shop{border-top:1px solid #eee;margin-top:16px;padding-top:12px}dt{font-weight:bold;margin-top:6px}ul.items li{margin:4px 0}`;

function page(skin: Skin, title: string, body: string): SkinResponse {
  const site = SITE_NAME[skin] ?? skin;
  return html(
    `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)} | ${site}</title><style>${STYLE}</style></head><body><header>${site}</header><main>${body}</main></body></html>`,
  );
}

function shopFacts(shop: SandboxShop): string {
  const rows: [string, string | null][] = [
    ['Cửa hàng', shop.name],
    ['Địa chỉ', shop.address ?? shop.declaredLocation],
    ['Điện thoại', shop.phone],
    ['Mã số thuế', shop.taxCode],
    ['Tham gia', shop.joinedAt.slice(0, 10)],
    ['Người theo dõi', String(shop.followerCount)],
    ['Đánh giá', shop.rating.toFixed(1)],
  ];
  return `<dl>${rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('')}</dl>`;
}

function shopHref(skin: Skin, shop: SandboxShop): string {
  if (skin === 'tiki') return `/tiki/cua-hang/${shop.id}`;
  if (skin === 'sendo') return `/sendo/shop/${shop.id}`;
  return `/lazada/shop/${shop.id}/`;
}

function productPage(request: SkinRequest, raw: SandboxListing): SkinResponse {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const old =
    listing.originalPriceVnd && listing.originalPriceVnd > listing.priceVnd
      ? `<span class="old">${formatVnd(listing.originalPriceVnd)}₫</span>`
      : '';
  const body = `<h1 data-product-id="${escapeHtml(listing.id)}">${escapeHtml(listing.title)}</h1>
<p><span class="price">${formatVnd(listing.priceVnd)}₫</span>${old}</p>
<p>Thương hiệu: ${escapeHtml(listing.brand ?? 'OEM')} · Danh mục: ${escapeHtml(CATEGORY_NAMES[listing.category])} · Đã bán ${listing.soldCount} · ${listing.rating.toFixed(1)}★</p>
<p class="description">${escapeHtml(listing.description)}</p>
<section class="shop"><h2><a href="${shopHref(request.skin, shop)}">${escapeHtml(shop.name)}</a></h2>${shopFacts(shop)}</section>`;
  return page(request.skin, listing.title, body);
}

function shopPage(request: SkinRequest, shop: SandboxShop): SkinResponse {
  const items: string[] = [];
  for (const index of request.world.shopListingIndexes(shop.index)) {
    if (request.search.isGone(index, request.epoch)) continue;
    const listing = atEpoch(request.world, request.world.listing(index), request.epoch);
    items.push(
      `<li><a href="/${request.skin}${listingPath(listing)}">${escapeHtml(listing.title)}</a> — ${formatVnd(listing.priceVnd)}₫</li>`,
    );
    if (items.length >= 60) break;
  }
  const body = `<h1>${escapeHtml(shop.name)}</h1>${shopFacts(shop)}<h2>Sản phẩm (${items.length})</h2><ul class="items">${items.join('')}</ul>`;
  return page(request.skin, shop.name, body);
}

const TIKI_PRODUCT = /^\/[a-z0-9-]+-p(\d+)\.html$/u;
const TIKI_SHOP = /^\/cua-hang\/([^/]+)\/?$/u;
const SENDO_PRODUCT = /^\/[a-z0-9-]+-(\d+)\.html$/u;
const SENDO_SHOP = /^\/shop\/([^/]+)\/?$/u;
const LAZADA_SHOP = /^\/shop\/([^/]+)\/?$/u;

/** The HTML page for this request, or null when the skin's own handler answers it. */
export function htmlPage(request: SkinRequest): SkinResponse | null {
  const { skin, path, world, search } = request;
  const product = (id: string | undefined) => {
    const raw = id ? world.findListing(skin, id) : undefined;
    if (!raw || search.isGone(raw.index, request.epoch)) return null;
    return productPage(request, raw);
  };
  const shop = (id: string | undefined) => {
    const found = id ? world.findShop(skin, decodeURIComponent(id)) : undefined;
    return found ? shopPage(request, found) : null;
  };
  if (skin === 'tiki') {
    const p = TIKI_PRODUCT.exec(path);
    if (p) return product(p[1]);
    const s = TIKI_SHOP.exec(path);
    if (s) return shop(s[1]);
  } else if (skin === 'sendo') {
    const p = SENDO_PRODUCT.exec(path);
    if (p) return product(p[1]);
    const s = SENDO_SHOP.exec(path);
    if (s) return shop(s[1]);
  } else if (skin === 'lazada' && request.query.get('ajax') !== 'true') {
    const s = LAZADA_SHOP.exec(path);
    if (s) return shop(s[1]);
  }
  return null;
}

/** The `empty` fault: a single-page app's shell whose script never renders anything. */
export const EMPTY_SHELL: SkinResponse = html(
  '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Loading…</title></head><body><div id="app"></div><script>/* bundle failed to load */</script></body></html>',
);

/**
 * TikTok Shop's and Lazada's product pages are apps: the server sends the data and the browser renders
 * it. The skins send the data; this script does the rendering a shopper (and a screenshot) sees. It
 * searches the data for the fields by name, so a change of the data layout keeps the page readable.
 */
const RENDER_FN = `function __radarRender(data){try{var root=document.getElementById('root');if(!root||!data)return;var found={};
(function walk(v,d){if(!v||typeof v!=='object'||d>12)return;for(var k in v){var x=v[k];if(x&&typeof x==='object'){if(k==='salePrice'&&found.__sale===undefined)found.__sale=x.value;if(k==='originalPrice'&&found.__orig===undefined)found.__orig=x.value;if(k==='seller'&&found.__seller===undefined)found.__seller=x.name;}if((typeof x==='string'||typeof x==='number')&&!(k in found))found[k]=x;else walk(x,d+1);}})(data,0);
var esc=function(s){return String(s).replace(/[&<>"]/g,function(c){return '&#'+c.charCodeAt(0)+';';});};
var rows=[['Giá',found.sale_price_decimal||found.sale_price_format||found.real_price||found.__sale],['Giá gốc',found.origin_price_decimal||found.original_price||found.__orig],
['Đã bán',found.sold_count],['Đánh giá',found.score||found.rate],['Thương hiệu',found.brand_name],['Danh mục',found.category_name],['Cửa hàng',found.shop_name||found.__seller],
['Người theo dõi',found.followers_count],['Địa chỉ',found.shop_location||found.address||found.location]].filter(function(r){return r[1]!==undefined&&r[1]!=='';});
root.innerHTML='<main style="font-family:sans-serif;max-width:960px;margin:16px auto"><h1>'+esc(found.title||found.product_name||document.title)+'</h1><dl>'+
rows.map(function(r){return '<dt><b>'+r[0]+'</b></dt><dd>'+esc(r[1])+'</dd>';}).join('')+'</dl><p>'+esc(found.desc||found.description||'')+'</p></main>';}catch(e){}}`;

const TIKTOK_RENDERER = `<script>${RENDER_FN};(function(){var el=document.getElementById('__MODERN_ROUTER_DATA__');if(el)try{__radarRender(JSON.parse(el.textContent));}catch(e){}})();</script>`;
const LAZADA_APP = `<script>${RENDER_FN};window.app={run:function(d){__radarRender(d);}};</script>`;

/** Adds the client-side renderer to the app pages that need one; other responses pass unchanged. */
export function withRenderer(skin: Skin, response: SkinResponse | null): SkinResponse | null {
  if (
    !response ||
    response.status !== 200 ||
    !response.contentType.startsWith('text/html') ||
    !response.body.includes('<div id="root"></div>')
  )
    return response;
  // Real product pages may leave out the optional </body>: the renderer then goes at the end.
  if (skin === 'tiktok' && response.body.includes('__MODERN_ROUTER_DATA__')) {
    const body = response.body.includes('</body>')
      ? response.body.replace('</body>', `${TIKTOK_RENDERER}</body>`)
      : `${response.body}${TIKTOK_RENDERER}`;
    return { ...response, body };
  }
  if (skin === 'lazada' && response.body.includes('app.run('))
    return { ...response, body: response.body.replace('<body>', `<body>${LAZADA_APP}`) };
  return response;
}
