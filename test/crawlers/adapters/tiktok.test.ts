import { describe, expect, it } from 'vitest';
import { createTiktokAdapter } from '../../../crawlers/adapters/tiktok.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const adapter = createTiktokAdapter();
const host = 'http://127.0.0.1:4010';
const base = `${host}/tiktok`;

describe('tiktok adapter', () => {
  it('reads server-rendered HTML, so it needs no browser; URLs follow the base', () => {
    expect(adapter.needsBrowser).toBe(false);
    expect(adapter.startRequests({ mode: 'query', query: 'son dior' }, { baseUrl: base, maxPages: 2 })[0]!.url).toBe(
      `${base}/search?q=son+dior&page=1`,
    );
    expect(adapter.startRequests({ mode: 'shop', shopId: '7494001122' }, { baseUrl: adapter.defaultBaseUrl, maxPages: 1 })[0]!.url).toBe(
      'https://www.tiktok.com/shop/store/7494001122?page=1',
    );
  });

  it('turns a search page into deduplicated product requests and the rel=next page', () => {
    const url = `${base}/search?q=son&page=1`;
    const result = expectOk(adapter.parse(page(fixture('tiktok/search-page.html'), url), request(url, 'search', { page: 1, maxPages: 2 })));
    const products = result.requests.filter((r) => r.kind === 'listing');
    expect(products.map((r) => r.uniqueKey)).toEqual([
      'tiktok:product:1729584731001',
      'tiktok:product:1729584731002',
      'tiktok:product:1729584731003',
      'tiktok:product:1729584731004',
    ]);
    expect(products[0]!.url).toBe(`${base}/shop/pdp/son-moi-1/1729584731001?source=search`);
    expect(result.requests.filter((r) => r.kind === 'search')).toEqual([
      expect.objectContaining({ url: `${base}/search?q=son&page=2`, page: 2 }),
    ]);
    const last = expectOk(adapter.parse(page(fixture('tiktok/search-page.html'), url), request(url, 'search', { page: 2, maxPages: 2 })));
    expect(last.requests.filter((r) => r.kind === 'search')).toEqual([]);
  });

  it('reads store pages with /view/product/ links', () => {
    const url = `${base}/shop/store/7494001122?page=1`;
    const result = expectOk(adapter.parse(page(fixture('tiktok/store-page.html'), url), request(url, 'search')));
    expect(result.requests.map((r) => r.uniqueKey)).toEqual(['tiktok:product:1729584732001', 'tiktok:product:1729584732002']);
  });

  it('parses __MODERN_ROUTER_DATA__ into a listing and its shop', () => {
    const url = `${base}/shop/pdp/son-dior/1729584731001`;
    const result = expectOk(adapter.parse(page(fixture('tiktok/product-page.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      externalId: '1729584731001',
      shopExternalId: '7494001122',
      brand: 'Dior',
      category: 'Son môi',
      priceVnd: 89_000,
      originalPriceVnd: 950_000,
      soldCount: 5230,
      rating: 4.6,
      url,
    });
    expect(result.listings[0]!.images).toHaveLength(2);
    expect(result.shops[0]).toMatchObject({
      externalId: '7494001122',
      url: `${base}/shop/store/7494001122`,
      declaredLocation: 'Quảng Châu',
      followerCount: 20411,
    });
  });

  it('recognises the gates: captcha, a small page without data, error_code 23002102', () => {
    const url = `${base}/shop/pdp/son-dior/1729584731001`;
    expect(expectBlocked(adapter.parse(page(fixture('tiktok/captcha-gate.html'), url), request(url, 'listing')))).toContain('captcha');
    expect(expectBlocked(adapter.parse(page(fixture('tiktok/small-no-data.html'), url), request(url, 'listing')))).toContain('30 KB');
    expect(expectBlocked(adapter.parse(page(fixture('tiktok/out-of-region.html'), url), request(url, 'listing')))).toContain('23002102');
    expectBlocked(
      adapter.parse(page(fixture('tiktok/captcha-gate.html'), `${base}/search?q=son`), request(`${base}/search?q=son`, 'search')),
    );
  });

  it('marks a product removed when its router data says it is no longer available', () => {
    const url = `${base}/shop/pdp/x/1729584739999`;
    const body = `<!DOCTYPE html><html><head></head><body><script id="__MODERN_ROUTER_DATA__" type="application/json">${JSON.stringify({ loaderData: { 'view/product/(product_id)/page': { error_code: 23002103, message: 'product not available' } } })}</script></body></html>`;
    expect(expectOk(adapter.parse(page(body, url, { status: 404 }), request(url, 'listing'))).removed).toEqual([
      { marketplace: 'tiktok', externalId: '1729584739999' },
    ]);
  });

  it('a truncated product page is an error to retry, not a gate', () => {
    const url = `${base}/shop/pdp/son-dior/1729584731001`;
    const full = fixture('tiktok/product-page.html');
    expect(adapter.parse(page(full.slice(0, 20_000), url), request(url, 'listing')).outcome).toBe('error');
  });

  it('never throws on arbitrary input', () => fuzzAdapter(adapter, `${base}/shop/pdp/x/1`));
});
