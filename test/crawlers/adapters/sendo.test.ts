import { describe, expect, it } from 'vitest';
import { createSendoAdapter } from '../../../crawlers/adapters/sendo.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const adapter = createSendoAdapter();
const base = 'http://127.0.0.1:4010/sendo';

describe('sendo adapter', () => {
  it('builds search-list URLs on the real API host and on the sandbox prefix', () => {
    expect(adapter.startRequests({ mode: 'query', query: 'giày nike' }, { baseUrl: adapter.defaultBaseUrl, maxPages: 1 })[0]!.url).toBe(
      'https://searchlist-api.sendo.vn/web/products?q=gi%C3%A0y+nike&page=1&size=60',
    );
    const shop = adapter.startRequests({ mode: 'shop', shopId: '902311' }, { baseUrl: base, maxPages: 1 });
    expect(shop.map((r) => r.url)).toEqual([`${base}/web/products?shop_id=902311&page=1&size=60`, `${base}/shop/902311/info`]);
  });

  it('parses a search page: formatted original_price, list-level shops, shop-info requests, next page', () => {
    const url = `${base}/web/products?q=giay&page=1&size=60`;
    const result = expectOk(adapter.parse(page(fixture('sendo/search-giay.json'), url), request(url, 'search', { page: 1, maxPages: 3 })));
    expect(result.listings.map((l) => l.externalId)).toEqual(['51200871', '51200872']);
    expect(result.listings[0]).toMatchObject({
      priceVnd: 390_000,
      originalPriceVnd: 2_200_000,
      brand: 'Nike',
      soldCount: 231,
      rating: 4.6,
      shopExternalId: '902311',
    });
    expect(result.listings[0]!.url).toBe(`${base}/giay-the-thao-nike-air-force-1-51200871.html`);
    expect(result.listings[0]!.raw).not.toHaveProperty('track_info');
    expect(result.shops.map((s) => [s.externalId, s.declaredLocation])).toEqual([
      ['902311', 'TP.HCM'],
      ['713002', 'Hà Nội'],
    ]);
    expect(result.requests.map((r) => r.uniqueKey ?? r.url)).toEqual([
      'sendo:shop:902311',
      'sendo:shop:713002',
      `${base}/web/products?q=giay&page=2&size=60`,
    ]);
    expect(result.rejected).toEqual([{ reason: 'search entry without product_id' }]);
  });

  it('links real product pages to the storefront host, not the API host', () => {
    const url = 'https://searchlist-api.sendo.vn/web/products?q=giay&page=1&size=60';
    const result = expectOk(adapter.parse(page(fixture('sendo/search-giay.json'), url), request(url, 'search')));
    expect(result.listings[0]!.url).toBe('https://www.sendo.vn/giay-the-thao-nike-air-force-1-51200871.html');
  });

  it('parses shop info with address, phone and join date', () => {
    const url = `${base}/shop/902311/info`;
    const result = expectOk(adapter.parse(page(fixture('sendo/shop-info.json'), url), request(url, 'shop')));
    expect(result.shops[0]).toMatchObject({
      externalId: '902311',
      rawAddress: 'Ship COD toàn quốc',
      phone: '+84 912 000 111',
      taxCode: null,
      joinedAt: '2024-06-01T00:00:00.000Z',
      followerCount: 87,
    });
  });

  it('reports an HTML denial page as blocked', () => {
    const url = `${base}/web/products?q=giay&page=1`;
    expectBlocked(adapter.parse(page(fixture('sendo/blocked.html'), url), request(url, 'search')));
  });

  it('never throws on arbitrary input', () => fuzzAdapter(adapter, url()));
});

function url(): string {
  return `${base}/web/products?q=x`;
}
