import { describe, expect, it } from 'vitest';
import { createTikiAdapter } from '../../../crawlers/adapters/tiki.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const adapter = createTikiAdapter();
const base = 'http://127.0.0.1:4010/tiki';

describe('tiki adapter', () => {
  it('builds API requests on the real host by default and on a sandbox prefix, with x-guest-token', () => {
    const [real] = adapter.startRequests({ mode: 'query', query: 'mũ bảo hiểm' }, { baseUrl: adapter.defaultBaseUrl, maxPages: 2 });
    expect(real!.url).toBe('https://tiki.vn/api/v2/products?q=m%C5%A9+b%E1%BA%A3o+hi%E1%BB%83m&page=1&limit=40');
    expect(real!.headers?.['x-guest-token']).toMatch(/^[0-9a-f]{32}$/u);
    const shop = adapter.startRequests({ mode: 'shop', shopId: '377102' }, { baseUrl: `${base}/`, maxPages: 1 });
    expect(shop.map((r) => [r.kind, r.url])).toEqual([
      ['search', `${base}/api/v2/products?seller=377102&page=1&limit=40`],
      ['shop', `${base}/api/shopping/v2/widgets/seller?seller_id=377102`],
    ]);
  });

  it('parses a search page into listings, list-level shops, seller-widget requests and the next page', () => {
    const url = `${base}/api/v2/products?q=mu&page=1&limit=40`;
    const result = expectOk(
      adapter.parse(page(fixture('tiki/search-mu-bao-hiem.json'), url), request(url, 'search', { page: 1, maxPages: 2 })),
    );
    expect(result.listings.map((l) => l.externalId)).toEqual(['88120001', '88120045', '88120046']);
    const [royal, agv] = result.listings;
    expect(royal).toMatchObject({
      marketplace: 'tiki',
      shopExternalId: '204511',
      brand: 'Royal',
      priceVnd: 389_000,
      originalPriceVnd: 450_000,
      soldCount: 1214,
      rating: 4.7,
    });
    expect(royal!.url).toBe(`${base}/mu-bao-hiem-3-4-royal-m139-p88120001.html?spid=88120002`);
    expect(agv).toMatchObject({ priceVnd: 320_000, originalPriceVnd: 2_900_000, soldCount: 58 });
    expect(result.shops.find((s) => s.externalId === '204511')).toMatchObject({ isOfficial: true, isVerified: true });
    expect(result.rejected.map((r) => r.reason)).toEqual([expect.stringContaining('title'), 'search item without id']);
    const kinds = result.requests.map((r) => [r.kind, r.uniqueKey ?? r.url]);
    expect(kinds).toEqual([
      ['shop', 'tiki:seller:204511'],
      ['shop', 'tiki:seller:377102'],
      ['search', `${base}/api/v2/products?q=mu&page=2&limit=40`],
    ]);
    expect(result.requests.at(-1)).toMatchObject({ page: 2, maxPages: 2 });
  });

  it('stops paging at maxPages', () => {
    const url = `${base}/api/v2/products?q=mu&page=2&limit=40`;
    const result = expectOk(
      adapter.parse(page(fixture('tiki/search-mu-bao-hiem.json'), url), request(url, 'search', { page: 2, maxPages: 2 })),
    );
    expect(result.requests.filter((r) => r.kind === 'search')).toEqual([]);
  });

  it('parses a product detail with its seller and spec brand', () => {
    const url = `${base}/api/v2/products/88120045`;
    const result = expectOk(adapter.parse(page(fixture('tiki/product-detail.json'), url), request(url, 'listing')));
    expect(result.listings).toHaveLength(1);
    expect(result.listings[0]).toMatchObject({
      externalId: '88120045',
      shopExternalId: '377102',
      brand: 'OEM',
      category: 'Mũ bảo hiểm',
      priceVnd: 320_000,
      originalPriceVnd: 2_900_000,
    });
    expect(result.listings[0]!.images).toHaveLength(2);
    expect(result.listings[0]!.description).toContain('Quảng Châu');
    expect(result.requests.map((r) => r.uniqueKey)).toEqual(['tiki:seller:377102']);
  });

  it('marks a product removed only when the API says "not found"', () => {
    const url = `${base}/api/v2/products/88120099`;
    const result = expectOk(adapter.parse(page(fixture('tiki/product-removed.json'), url, { status: 404 }), request(url, 'listing')));
    expect(result.removed).toEqual([{ marketplace: 'tiki', externalId: '88120099' }]);
    expect(adapter.parse(page('<html>gateway</html>', url, { status: 404 }), request(url, 'listing')).outcome).toBe('error');
  });

  it('parses the seller widget into a full shop', () => {
    const url = `${base}/api/shopping/v2/widgets/seller?seller_id=377102`;
    const result = expectOk(adapter.parse(page(fixture('tiki/seller-widget.json'), url), request(url, 'shop')));
    expect(result.shops).toHaveLength(1);
    const shop = result.shops[0]!;
    expect(shop).toMatchObject({
      externalId: '377102',
      rawAddress: 'Kho Quảng Châu',
      phone: '0901 234 567',
      followerCount: 1320,
      rating: 3.9,
      isOfficial: false,
    });
    expect(Date.now() - Date.parse(shop.joinedAt!)).toBeGreaterThan(47 * 86_400_000);
  });

  it('reports a captcha page or a 403 as blocked, not as zero results', () => {
    const url = `${base}/api/v2/products?q=mu&page=1`;
    expectBlocked(adapter.parse(page(fixture('tiki/blocked-captcha.html'), url), request(url, 'search')));
    expectBlocked(adapter.parse(page('{}', url, { status: 403 }), request(url, 'search')));
  });

  it('never throws on arbitrary input', () => fuzzAdapter(adapter, `${base}/api/v2/products/1`));
});
