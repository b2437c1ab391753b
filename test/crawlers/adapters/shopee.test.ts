import { describe, expect, it } from 'vitest';
import { createShopeeAdapter } from '../../../crawlers/adapters/shopee.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const adapter = createShopeeAdapter();
const base = 'http://127.0.0.1:4010/shopee';
const shell = fixture('shopee/app-shell.html');

function browserPage(url: string, captured: { path: string; file: string; status?: number }[]) {
  return page(shell, url, { captured: captured.map((c) => ({ url: `${base}${c.path}`, status: c.status ?? 200, body: fixture(c.file) })) });
}

describe('shopee adapter', () => {
  it('is a browser adapter that captures the four API responses', () => {
    expect(adapter.needsBrowser).toBe(true);
    expect(adapter.captureResponses?.test(`${base}/api/v4/search/search_items?keyword=x&newest=0&limit=60`)).toBe(true);
    expect(adapter.captureResponses?.test('https://shopee.vn/api/v4/pdp/get_pc?item_id=1&shop_id=2')).toBe(true);
    expect(adapter.captureResponses?.test('https://shopee.vn/api/v4/account/basics')).toBe(false);
  });

  it('builds web page URLs on the real host and on the sandbox prefix', () => {
    expect(adapter.startRequests({ mode: 'query', query: 'mũ bảo hiểm' }, { baseUrl: 'https://shopee.vn', maxPages: 1 })[0]!.url).toBe(
      'https://shopee.vn/search?keyword=m%C5%A9+b%E1%BA%A3o+hi%E1%BB%83m',
    );
    expect(adapter.startRequests({ mode: 'shop', shopId: '700100388' }, { baseUrl: base, maxPages: 2 })[0]).toMatchObject({
      url: `${base}/shop/700100388`,
      kind: 'shop',
      uniqueKey: 'shopee:shop:700100388',
    });
    expect(
      adapter.startRequests(
        { mode: 'url', url: 'https://shopee.vn/Mu-bao-hiem-i.700100388.23011000102' },
        { baseUrl: base, maxPages: 1 },
      )[0],
    ).toMatchObject({
      url: `${base}/product/700100388/23011000102`,
      kind: 'listing',
    });
  });

  it('reads captured search JSON: VND ÷ 100000, poisoned prices rejected, shop pages requested once', () => {
    const url = `${base}/search?keyword=mu`;
    const result = expectOk(
      adapter.parse(
        browserPage(url, [{ path: '/api/v4/search/search_items?keyword=mu&newest=0&limit=60', file: 'shopee/search-mu-bao-hiem.json' }]),
        request(url, 'search', { page: 1, maxPages: 2 }),
      ),
    );
    expect(result.listings.map((l) => l.externalId)).toEqual(['23011000101', '23011000102', '23011000103']);
    expect(result.listings[0]).toMatchObject({
      priceVnd: 172_000,
      originalPriceVnd: 240_000,
      brand: 'Napoli',
      soldCount: 8403,
      url: `${base}/product/700100201/23011000101`,
    });
    expect(result.listings[0]!.images[0]).toBe('https://down-vn.img.susercontent.com/file/vn-11134207-7r98o-23011000101a');
    expect(result.listings[0]!.raw).not.toHaveProperty('label_ids');
    expect(result.listings[1]).toMatchObject({ priceVnd: 399_000, originalPriceVnd: null, brand: null });
    expect(result.rejected).toEqual([
      { externalId: '23011000104', reason: expect.stringContaining('not a multiple of 100000') },
      { externalId: '23011000105', reason: expect.stringContaining('implausible') },
    ]);
    expect(result.shops.find((s) => s.externalId === '700100388')).toMatchObject({
      declaredLocation: 'Nước ngoài',
      name: 'Kho Nón Giá Gốc',
    });
    expect(result.shops.find((s) => s.externalId === '700100201')!.declaredLocation).toBeNull();
    expect(result.requests.map((r) => r.uniqueKey ?? r.url)).toEqual([
      'shopee:shop:700100201',
      'shopee:shop:700100388',
      `${base}/search?keyword=mu&page=1`,
    ]);
  });

  it('reads a saved search response given as the page body (radar extract)', () => {
    const result = expectOk(
      adapter.parse(
        page(fixture('shopee/search-mu-bao-hiem.json'), 'file:///tmp/search.json'),
        request('file:///tmp/search.json', 'search'),
      ),
    );
    expect(result.listings).toHaveLength(3);
    expect(result.requests.every((r) => r.kind === 'shop')).toBe(true);
  });

  it('reads a shop page: shop detail plus the shop listing page', () => {
    const url = `${base}/shop/700100388`;
    const result = expectOk(
      adapter.parse(
        browserPage(url, [
          { path: '/api/v4/shop/get_shop_detail?shopid=700100388', file: 'shopee/shop-detail.json' },
          { path: '/api/v4/shop/search_items?shopid=700100388&offset=0&limit=30', file: 'shopee/search-empty.json' },
        ]),
        request(url, 'shop'),
      ),
    );
    expect(result.shops).toHaveLength(1);
    expect(result.shops[0]).toMatchObject({
      externalId: '700100388',
      url: `${base}/shop/700100388`,
      rawAddress: 'Quảng Châu, Trung Quốc',
      declaredLocation: 'Nước ngoài',
      followerCount: 312,
      listingCount: 86,
      joinedAt: '2024-07-01T00:00:00.000Z',
      taxCode: '0312345675',
    });
    expect(result.requests).toEqual([]);
  });

  it('keeps the shop detail when the item list answered first (its stub of the same shop came first)', () => {
    const url = `${base}/shop/700100388`;
    const detail = { path: '/api/v4/shop/get_shop_detail?shopid=700100388', file: 'shopee/shop-detail.json' };
    // The list names the shop too (shop_name "Kho Nón Giá Gốc"): a stub without address, phone or followers.
    const items = { path: '/api/v4/shop/search_items?shopid=700100388&offset=0&limit=30', file: 'shopee/search-mu-bao-hiem.json' };
    for (const captured of [
      [items, detail],
      [detail, items],
    ]) {
      const result = expectOk(adapter.parse(browserPage(url, captured), request(url, 'shop')));
      const shop = result.shops.find((record) => record.externalId === '700100388');
      expect(shop).toMatchObject({ rawAddress: 'Quảng Châu, Trung Quốc', followerCount: 312, listingCount: 86, taxCode: '0312345675' });
    }
  });

  it('refuses a shop page the browser read without its shop detail or item list, so the runner retries it', () => {
    const url = `${base}/shop/700100388`;
    const detail = { path: '/api/v4/shop/get_shop_detail?shopid=700100388', file: 'shopee/shop-detail.json' };
    const items = { path: '/api/v4/shop/search_items?shopid=700100388&offset=0&limit=30', file: 'shopee/search-empty.json' };
    const onlyItems = adapter.parse(browserPage(url, [items]), request(url, 'shop'));
    expect(onlyItems).toMatchObject({ outcome: 'error', message: expect.stringContaining('without its shop detail') });
    const onlyDetail = adapter.parse(browserPage(url, [detail]), request(url, 'shop'));
    expect(onlyDetail).toMatchObject({ outcome: 'error', message: expect.stringContaining('without its item list') });
  });

  it("does not take another shop's late detail answer (a reused browser page) for this shop's own", () => {
    const url = `${base}/shop/700100999`;
    const staleDetail = { path: '/api/v4/shop/get_shop_detail?shopid=700100388', file: 'shopee/shop-detail.json' };
    const ownItems = { path: '/api/v4/shop/search_items?shopid=700100999&offset=0&limit=30', file: 'shopee/search-empty.json' };
    const result = adapter.parse(browserPage(url, [staleDetail, ownItems]), request(url, 'shop', { context: { shopId: '700100999' } }));
    expect(result).toMatchObject({ outcome: 'error', message: expect.stringContaining('without its shop detail') });
    // The shop id comes from the path when the request has no context.
    expect(adapter.parse(browserPage(url, [staleDetail, ownItems]), request(url, 'shop'))).toMatchObject({ outcome: 'error' });
    // Its own detail (700100388's page) reads as before.
    const own = `${base}/shop/700100388`;
    expectOk(
      adapter.parse(
        browserPage(own, [staleDetail, { ...ownItems, path: '/api/v4/shop/search_items?shopid=700100388&offset=0&limit=30' }]),
        request(own, 'shop'),
      ),
    );
  });

  it('reads a product page with its detailed shop', () => {
    const url = `${base}/product/700100388/23011000102`;
    const result = expectOk(
      adapter.parse(
        browserPage(url, [{ path: '/api/v4/pdp/get_pc?item_id=23011000102&shop_id=700100388', file: 'shopee/pdp-get-pc.json' }]),
        request(url, 'listing'),
      ),
    );
    expect(result.listings[0]).toMatchObject({
      externalId: '23011000102',
      priceVnd: 399_000,
      originalPriceVnd: 2_500_000,
      brand: 'LS2',
      description: expect.stringContaining('không tem'),
    });
    expect(result.shops[0]!.externalId).toBe('700100388');
  });

  it('marks an item removed only when get_pc says "item not found"', () => {
    const url = `${base}/product/700100388/23011000999`;
    const result = expectOk(
      adapter.parse(
        browserPage(url, [{ path: '/api/v4/pdp/get_pc?item_id=23011000999&shop_id=700100388', file: 'shopee/pdp-removed.json' }]),
        request(url, 'listing'),
      ),
    );
    expect(result.removed).toEqual([{ marketplace: 'shopee', externalId: '23011000999' }]);
  });

  it('recognises the three blocks: error 90309999, HTTP 403 and a bare app shell', () => {
    const url = `${base}/search?keyword=mu`;
    expect(
      expectBlocked(
        adapter.parse(
          browserPage(url, [{ path: '/api/v4/search/search_items?keyword=mu', file: 'shopee/blocked-90309999.json' }]),
          request(url, 'search'),
        ),
      ),
    ).toContain('90309999');
    expectBlocked(adapter.parse(page(fixture('shopee/blocked-90309999.json'), url), request(url, 'search')));
    expectBlocked(adapter.parse(page(shell, url, { status: 403 }), request(url, 'search')));
    expect(expectBlocked(adapter.parse(page(shell, url, { captured: [] }), request(url, 'search')))).toContain('app shell');
  });

  it('never throws on arbitrary input', () => {
    fuzzAdapter(adapter, `${base}/search?keyword=x`);
    fuzzAdapter(adapter, `${base}/search?keyword=x`, true);
  });
});
