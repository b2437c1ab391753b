import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLazadaAdapter, extractAppRun } from '../../../crawlers/adapters/lazada.ts';
import { balancedObject } from '../../../crawlers/adapters/scan.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const adapter = createLazadaAdapter();
const base = 'http://127.0.0.1:4010/lazada';

describe('lazada adapter', () => {
  it('builds catalog ?ajax=true URLs on the real host and on the sandbox prefix', () => {
    expect(adapter.startRequests({ mode: 'query', query: 'sạc nhanh' }, { baseUrl: adapter.defaultBaseUrl, maxPages: 1 })[0]!.url).toBe(
      'https://www.lazada.vn/catalog/?ajax=true&q=s%E1%BA%A1c+nhanh&page=1',
    );
    expect(adapter.startRequests({ mode: 'shop', shopId: 'phu-kien-88' }, { baseUrl: base, maxPages: 1 })[0]!.url).toBe(
      `${base}/shop/phu-kien-88/?ajax=true&page=1`,
    );
  });

  it('parses a catalog page: string prices, "No Brand", LazMall, one product page per seller, next page', () => {
    const url = `${base}/catalog/?ajax=true&q=sac&page=1`;
    const result = expectOk(
      adapter.parse(page(fixture('lazada/catalog-sac-nhanh.json'), url), request(url, 'search', { page: 1, maxPages: 3 })),
    );
    expect(result.listings.map((l) => l.externalId)).toEqual(['2301455001', '2301455002', '2301455003']);
    expect(result.listings[0]).toMatchObject({
      priceVnd: 329_000,
      originalPriceVnd: 450_000,
      brand: 'Anker',
      soldCount: 3400,
      rating: 4.86,
    });
    expect(result.listings[0]!.url).toBe(
      'http://www.lazada.vn/products/sac-nhanh-anker-powerport-iii-20w-i2301455001-s10455001.html?search=1',
    );
    expect(result.listings[1]).toMatchObject({ priceVnd: 45_000, originalPriceVnd: 590_000, brand: null, soldCount: 1200 });
    expect(result.shops.map((s) => [s.externalId, s.isOfficial, s.declaredLocation])).toEqual([
      ['100200301', true, 'Hồ Chí Minh'],
      ['100200777', false, 'Nước ngoài'],
    ]);
    expect(result.requests.map((r) => r.uniqueKey ?? r.url)).toEqual([
      'lazada:seller:100200301',
      'lazada:seller:100200777',
      `${base}/catalog/?ajax=true&q=sac&page=2`,
    ]);
    expect(result.rejected).toEqual([{ reason: 'Lazada list item without itemId' }]);
  });

  it("reads a seller's own listing pages (same envelope) when asked for a shop", () => {
    const url = `${base}/shop/phu-kien-88/?ajax=true&page=1`;
    const result = expectOk(
      adapter.parse(page(fixture('lazada/catalog-sac-nhanh.json'), url), request(url, 'shop', { page: 1, maxPages: 2 })),
    );
    expect(result.listings).toHaveLength(3);
    expect(result.requests.at(-1)).toMatchObject({ kind: 'shop', url: `${base}/shop/phu-kien-88/?ajax=true&page=2`, page: 2 });
  });

  it('an empty page past the end is ok with no next page (not blocked)', () => {
    const url = `${base}/catalog/?ajax=true&q=sac&page=4`;
    const result = expectOk(
      adapter.parse(page(fixture('lazada/catalog-past-end.json'), url), request(url, 'search', { page: 4, maxPages: 9 })),
    );
    expect(result.listings).toEqual([]);
    expect(result.requests).toEqual([]);
  });

  it('reads the app.run object on a product page despite "});" and braces inside strings', () => {
    const url = `${base}/products/cu-sac-iphone-20w-i2301455002-s10455002.html`;
    const result = expectOk(adapter.parse(page(fixture('lazada/product-page.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      externalId: '2301455002',
      shopExternalId: '100200777',
      priceVnd: 45_000,
      originalPriceVnd: 590_000,
      brand: null,
      category: 'Củ sạc',
      rating: 3.9,
    });
    expect(result.listings[0]!.description).toContain('app.run(fake)');
    expect(result.shops[0]).toMatchObject({
      externalId: '100200777',
      rawAddress: 'Kho hàng Quảng Châu, Trung Quốc',
      rating: 4.1,
      isOfficial: false,
    });
    // time 0 = joined this month: a brand-new seller.
    expect(Date.now() - Date.parse(result.shops[0]!.joinedAt!)).toBeLessThan(2 * 86_400_000);
  });

  it('detects the punish gate by final URL, by a redirect and by content', () => {
    const url = `${base}/catalog/?ajax=true&q=sac&page=1`;
    expectBlocked(
      adapter.parse(page(fixture('lazada/punish-gate.html'), `${base}/_____tmd_____/punish?x5secdata=abc`), request(url, 'search')),
    );
    expectBlocked(
      adapter.parse(
        page('', url, { status: 302, headers: { location: '/lazada/_____tmd_____/punish?x5secdata=1' } }),
        request(url, 'search'),
      ),
    );
    expectBlocked(adapter.parse(page(fixture('lazada/punish-gate.html'), url), request(url, 'search')));
  });

  it('marks a product removed only when its page says it no longer exists', () => {
    const url = `${base}/products/x-i2301455999-s1.html`;
    expect(expectOk(adapter.parse(page(fixture('lazada/product-gone.html'), url), request(url, 'listing'))).removed).toEqual([
      { marketplace: 'lazada', externalId: '2301455999' },
    ]);
    expect(adapter.parse(page('<html><body>maintenance</body></html>', url), request(url, 'listing')).outcome).toBe('error');
  });

  it('balanced scan returns exactly the embedded JSON for arbitrary values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.string(), (value, tail) => {
        const text = `app.run(${JSON.stringify(value)});${tail}`;
        expect(JSON.parse(balancedObject(text, 0)!)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(extractAppRun(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('never throws on arbitrary input', () => fuzzAdapter(adapter, `${base}/products/a-i1-s2.html`));
});
