import { describe, expect, it } from 'vitest';
import { createSchemaOrgAdapter } from '../../../crawlers/adapters/schemaorg.ts';
import { parseLooseDate } from '../../../crawlers/adapters/web-common.ts';
import { UserError } from '../../../src/core/errors.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const adapter = createSchemaOrgAdapter();
const base = 'http://127.0.0.1:4010/shop';

describe('schemaorg adapter', () => {
  it('needs a base URL for query crawls and builds /search and /category URLs on it', () => {
    expect(() => adapter.startRequests({ mode: 'query', query: 'x' }, { baseUrl: adapter.defaultBaseUrl, maxPages: 1 })).toThrow(UserError);
    expect(adapter.startRequests({ mode: 'query', query: 'nước hoa' }, { baseUrl: base, maxPages: 1 })[0]!.url).toBe(
      `${base}/search?q=n%C6%B0%E1%BB%9Bc%20hoa`,
    );
    expect(adapter.startRequests({ mode: 'category', category: 'cosmetics' }, { baseUrl: base, maxPages: 1 })[0]!.url).toBe(
      `${base}/category/cosmetics`,
    );
    expect(adapter.startRequests({ mode: 'url', url: `${base}/p/1042-x` }, { baseUrl: '', maxPages: 1 })[0]!.kind).toBe('listing');
  });

  it('reads JSON-LD @graph: brand arrays, AggregateOffer with formatted prices, 0–10 ratings, seller Organization', () => {
    const url = `${base}/p/1042-nuoc-hoa-chanel-no5`;
    const result = expectOk(adapter.parse(page(fixture('web/product-jsonld.html'), url), request(url, 'listing')));
    expect(result.listings).toHaveLength(1);
    expect(result.listings[0]).toMatchObject({
      marketplace: 'web',
      externalId: '127.0.0.1/shop/p/1042-nuoc-hoa-chanel-no5',
      title: 'Nước hoa Chanel No.5 100ml fullbox',
      brand: 'Chanel',
      category: 'Nước hoa nữ',
      priceVnd: 1_250_000,
      rating: 4.5,
      shopExternalId: '127.0.0.1/shop',
    });
    expect(result.listings[0]!.images).toEqual(['http://127.0.0.1:4010/shop/img/1042-1.jpg', 'https://cdn.example.vn/1042-2.jpg']);
    expect(result.shops[0]).toMatchObject({
      externalId: '127.0.0.1/shop',
      name: 'Nước Hoa Sài Gòn',
      rawAddress: '12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh',
      phone: '0283 822 1234',
      taxCode: '0312345675',
      joinedAt: '2021-03-05T00:00:00.000Z',
    });
  });

  it('merges a name-only offer seller with the page Organization and reads the ListPrice as the original price', () => {
    const url = `${base}/p/20417-sac-anker-20w`;
    const result = expectOk(adapter.parse(page(fixture('web/product-offer-seller.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      externalId: '127.0.0.1/shop/p/20417-sac-anker-20w',
      brand: 'Anker',
      priceVnd: 99_000,
      originalPriceVnd: 590_000,
      shopExternalId: '127.0.0.1/shop/seller/ws2041',
    });
    expect(result.shops[0]).toMatchObject({
      externalId: '127.0.0.1/shop/seller/ws2041',
      name: 'Phụ Kiện Zin 24h',
      rawAddress: 'Kho hàng Quảng Châu',
      phone: '0399 888 777',
    });
  });

  it('reads microdata with nested brand, offers and seller', () => {
    const url = `${base}/p/2001-giay-nike-aj1`;
    const result = expectOk(adapter.parse(page(fixture('web/product-microdata.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      title: 'Giày Nike Air Jordan 1 High OG rep 1:1',
      brand: 'Nike',
      priceVnd: 650_000,
      rating: 4.4,
      description: 'Hàng siêu cấp, full box, full tag.',
    });
    expect(result.listings[0]!.images).toEqual([`${base}/img/aj1.jpg`]);
    expect(result.shops[0]).toMatchObject({
      name: 'Sneaker Hà Nội',
      phone: '0988 111 222',
      rawAddress: 'Hà Nội',
      externalId: '127.0.0.1#sneaker-hà-nội',
    });
  });

  it('falls back to OpenGraph product tags', () => {
    const url = 'https://suame.example.vn/san-pham/aptamil-duc-so-1?utm=x';
    const result = expectOk(adapter.parse(page(fixture('web/product-opengraph.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      externalId: 'suame.example.vn/san-pham/aptamil-duc-so-1',
      brand: 'Aptamil',
      priceVnd: 545_000,
      shopExternalId: null,
    });
    expect(result.shops).toEqual([]);
  });

  it('turns a category page into product requests and the rel=next page', () => {
    const url = `${base}/category/cosmetics`;
    const result = expectOk(
      adapter.parse(page(fixture('web/category.html'), url), request(url, 'search', { page: 1, maxPages: 2, context: { baseUrl: base } })),
    );
    expect(result.requests.map((r) => [r.kind, r.uniqueKey ?? r.url])).toEqual([
      ['listing', 'web:127.0.0.1/shop/p/1042-nuoc-hoa-chanel-no5'],
      ['listing', 'web:127.0.0.1/shop/p/1043-nuoc-hoa-dior-sauvage'],
      ['listing', 'web:127.0.0.1/shop/p/1044-son-mac'],
      ['search', `${base}/category/cosmetics?page=2`],
    ]);
  });

  it('marks a product removed only when its page says so, and a challenge page is blocked', () => {
    const url = `${base}/p/999-gone`;
    expect(expectOk(adapter.parse(page(fixture('web/product-gone.html'), url, { status: 404 }), request(url, 'listing'))).removed).toEqual([
      { marketplace: 'web', externalId: '127.0.0.1/shop/p/999-gone' },
    ]);
    expectBlocked(adapter.parse(page(fixture('web/challenge.html'), url, { status: 503 }), request(url, 'listing')));
    expectBlocked(adapter.parse(page(fixture('web/challenge.html'), url), request(url, 'listing')));
  });

  it('a page cut off mid-way is an error to retry, not a half-read listing', () => {
    const url = `${base}/p/20417-sac-anker-20w`;
    const full = fixture('web/product-offer-seller.html');
    const result = adapter.parse(page(full.slice(0, Math.floor(full.length * 0.6)), url), request(url, 'listing'));
    expect(result).toEqual({ outcome: 'error', message: expect.stringContaining('truncated') });
  });

  it.each([
    ['2021-03-05', '2021-03-05T00:00:00.000Z'],
    ['2021/3/5', '2021-03-05T00:00:00.000Z'],
    ['05/03/2021', '2021-03-05T00:00:00.000Z'],
    ['March 5, 2021', '2021-03-05T00:00:00.000Z'],
    ['5 Mar 2021', '2021-03-05T00:00:00.000Z'],
    ['2021-03-05 14:30', '2021-03-05T14:30:00.000Z'],
    ['2021-03-05T14:30:00+07:00', '2021-03-05T07:30:00.000Z'],
    ['31/02/2021', null],
    ['hôm qua', null],
  ])('parseLooseDate(%j) = %j', (input, expected) => {
    expect(parseLooseDate(input)).toBe(expected);
  });

  it('never throws on arbitrary input', () => fuzzAdapter(adapter, `${base}/p/1-x`));
});
