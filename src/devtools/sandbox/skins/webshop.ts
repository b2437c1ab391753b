/** /shop: an independent web shop, server-rendered, with schema.org Product data in several real-world dialects. */
import { CATEGORIES, CATEGORY_NAMES } from '../catalog.ts';
import { atEpoch } from '../search.ts';
import { html, intParam, text, type SkinHandler, type SkinRequest } from '../http.ts';
import { listingPath } from '../truth.ts';
import { escapeHtml, formatVnd, scriptJson } from '../text.ts';
import type { SandboxListing } from '../world.ts';

const PAGE_SIZE = 24;
const SITEMAP_MAX = 50_000;

/** The header every page shares, rendered once instead of per request. */
const PAGE_HEADER = `<header><a href="/shop/">Trang chủ</a> <nav>${CATEGORIES.map((c) => `<a href="/shop/category/${c}">${escapeHtml(CATEGORY_NAMES[c])}</a>`).join(' ')}</nav></header>`;

/** `escapedTitle` is already HTML-escaped (product pages print the title several times and escape it once). */
function layoutEscaped(escapedTitle: string, body: string, head = ''): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${escapedTitle}</title>${head}</head><body>${PAGE_HEADER}<main>${body}</main></body></html>`;
}

function layout(title: string, body: string, head = ''): string {
  return layoutEscaped(escapeHtml(title), body, head);
}

function listPage(request: SkinRequest, indexes: Int32Array, title: string): string {
  const page = Math.max(1, intParam(request.query, 'page', 1));
  const cards: string[] = [];
  for (let k = (page - 1) * PAGE_SIZE; k < Math.min(indexes.length, page * PAGE_SIZE); k++) {
    const listing = atEpoch(request.world, request.world.listing(indexes[k]!), request.epoch);
    cards.push(
      `<div class="product-card"><a class="product-link" href="/shop${listingPath(listing)}">${escapeHtml(listing.title)}</a><span class="price">${formatVnd(listing.priceVnd)}₫</span></div>`,
    );
  }
  const next = new URLSearchParams(request.query);
  next.set('page', String(page + 1));
  const nextLink = page * PAGE_SIZE < indexes.length ? `<a rel="next" href="?${escapeHtml(next.toString())}">Trang sau »</a>` : '';
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1><div class="products">${cards.join('')}</div><div class="pagination">${nextLink}</div>`,
  );
}

function productPage(request: SkinRequest, raw: SandboxListing): string {
  const listing = atEpoch(request.world, raw, request.epoch);
  const shop = request.world.shop(listing.shopIndex);
  const url = `${request.origin}/shop${listingPath(listing)}`;
  const dialect = listing.imageKey % 5;
  const brand = listing.brand ?? undefined;
  const organization = {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: shop.name,
    url: `${request.origin}/shop/seller/${shop.id}`,
    ...(shop.address ? { address: shop.address } : {}),
    ...(shop.phone ? { telephone: shop.phone } : {}),
    ...(shop.taxCode ? { taxID: shop.taxCode } : {}),
  };
  const created = new Date(listing.createdAt * 1000);
  const price = dialect === 2 ? `${formatVnd(listing.priceVnd)} ₫` : dialect === 3 ? listing.priceVnd + 0.0 : String(listing.priceVnd);
  const product = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: listing.title,
    sku: listing.id,
    description: listing.description,
    image: [`${request.origin}/shop/img/${listing.imageKey}.jpg`],
    category: CATEGORY_NAMES[listing.category],
    ...(brand ? { brand: dialect === 1 ? { '@type': 'Brand', name: [brand] } : { '@type': 'Brand', name: brand } } : {}),
    // Non-ISO dates, as many shop themes print them.
    releaseDate:
      dialect === 4
        ? `${created.getUTCDate()}/${created.getUTCMonth() + 1}/${created.getUTCFullYear()}`
        : created.toISOString().slice(0, 10),
    offers: {
      '@type': 'Offer',
      url,
      priceCurrency: 'VND',
      price,
      availability: 'https://schema.org/InStock',
      seller: { '@type': 'Organization', name: shop.name },
      ...(listing.originalPriceVnd
        ? {
            priceSpecification: {
              '@type': 'UnitPriceSpecification',
              priceType: 'https://schema.org/ListPrice',
              price: listing.originalPriceVnd,
              priceCurrency: 'VND',
            },
          }
        : {}),
    },
  };
  const title = escapeHtml(listing.title);
  const og = `<meta property="og:type" content="product"><meta property="og:title" content="${title}"><meta property="og:url" content="${escapeHtml(url)}"><meta property="product:price:amount" content="${listing.priceVnd}"><meta property="product:price:currency" content="VND">`;
  const orgLd = `<script type="application/ld+json">${scriptJson(organization)}</script>`;
  const was = listing.originalPriceVnd ? `<del class="original-price">${formatVnd(listing.originalPriceVnd)}₫</del>` : '';
  if (dialect === 0) {
    // Microdata instead of JSON-LD.
    const body = `<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">${title}</h1>${brand ? `<div itemprop="brand" itemscope itemtype="https://schema.org/Brand"><span itemprop="name">${escapeHtml(brand)}</span></div>` : ''}<meta itemprop="sku" content="${listing.id}"><div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price" content="${listing.priceVnd}">${formatVnd(listing.priceVnd)}₫</span><meta itemprop="priceCurrency" content="VND">${was}</div><div itemprop="description">${escapeHtml(listing.description)}</div></div><footer class="seller">${escapeHtml(shop.name)}${shop.address ? ` — ${escapeHtml(shop.address)}` : ''}</footer>`;
    return layoutEscaped(title, body, og + orgLd);
  }
  const body = `<h1 class="product-title">${title}</h1><div class="price">${formatVnd(listing.priceVnd)}₫ ${was}</div><div class="description">${escapeHtml(listing.description)}</div><footer class="seller">${escapeHtml(shop.name)}</footer>`;
  return layoutEscaped(title, body, `${og}<script type="application/ld+json">${scriptJson(product)}</script>${orgLd}`);
}

export const webshop: SkinHandler = (request) => {
  const { path, query, search, world } = request;
  if (path === '/' || path === '') return html(listPage(request, search.matches('shop', {}, request.epoch), 'Sản phẩm mới'));
  if (path === '/search')
    return html(
      listPage(request, search.matches('shop', { query: query.get('q') ?? '' }, request.epoch), `Tìm kiếm: ${query.get('q') ?? ''}`),
    );
  const category = /^\/category\/([a-z-]+)$/u.exec(path);
  if (category) {
    if (!(CATEGORIES as readonly string[]).includes(category[1]!)) return null;
    return html(
      listPage(
        request,
        search.matches('shop', { category: category[1]! }, request.epoch),
        CATEGORY_NAMES[category[1] as (typeof CATEGORIES)[number]],
      ),
    );
  }
  const seller = /^\/seller\/([^/]+)$/u.exec(path);
  if (seller) {
    const shop = world.findShop('shop', seller[1]!);
    if (!shop) return null;
    return html(listPage(request, search.matches('shop', { shopId: shop.id }, request.epoch), shop.name));
  }
  const product = /^\/p\/(\d+)-/u.exec(path);
  if (product) {
    const listing = world.findListing('shop', product[1]!);
    if (!listing || search.isGone(listing.index, request.epoch))
      return html(layout('Không tìm thấy', '<h1>Sản phẩm không còn bán</h1>'), 404);
    return html(productPage(request, listing));
  }
  if (path === '/sitemap.xml') {
    const indexes = search.matches('shop', {}, request.epoch);
    const urls: string[] = [];
    for (let k = 0; k < Math.min(indexes.length, SITEMAP_MAX); k++)
      urls.push(`<url><loc>${request.origin}/shop${listingPath(world.listing(indexes[k]!))}</loc></url>`);
    for (const c of CATEGORIES) urls.push(`<url><loc>${request.origin}/shop/category/${c}</loc></url>`);
    return text(
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>\n`,
      'application/xml; charset=utf-8',
    );
  }
  return null;
};
