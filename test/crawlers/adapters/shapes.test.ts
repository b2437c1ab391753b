/**
 * Contract tests: every adapter reads every real shape its marketplace serves (see
 * ../shared/samples/). Each fixture in test/fixtures/shapes/ is written by hand in one sample's
 * shape. Checked per shape: ids, title, VND prices, shop id, location, sold count; extra unknown
 * fields anywhere never change the result; a missing optional field gives null, not an error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketplaceAdapter, PageKind } from '../../../crawlers/adapter.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { expectOk, fixture, page, request, type Ok } from './helpers.ts';

interface Shape {
  name: string;
  adapter: string;
  kind: PageKind;
  file: string;
  url: string;
  listings: Record<string, unknown>[];
  shops?: Record<string, unknown>[];
  /** Removes optional fields from the parsed JSON; `nulls` are the listing fields that must then be null. */
  strip?: { remove: (json: any) => void; nulls: string[] };
}

const SHAPES: Shape[] = [
  {
    name: 'Shopee search_items, saved as the bare items array (2025 capture)',
    adapter: 'shopee',
    kind: 'search',
    file: 'shapes/shopee-search-items-bare.json',
    url: 'https://shopee.vn/api/v4/search/search_items?keyword=giay',
    listings: [
      {
        externalId: '51000000001',
        shopExternalId: '72000001',
        title: 'Giày thể thao nam N-Force trắng full box',
        priceVnd: 259_000,
        originalPriceVnd: 650_000,
        soldCount: 3400,
      },
      { externalId: '51000000002', shopExternalId: '72000002', priceVnd: 185_000, originalPriceVnd: null, soldCount: 15 },
    ],
    // shop_location is often "" on the real capture: no location, not an empty one.
    shops: [
      { externalId: '72000001', declaredLocation: null },
      { externalId: '72000002', declaredLocation: 'Hà Nội' },
    ],
    strip: {
      remove: (json) => {
        delete json[0].item_basic.historical_sold;
        delete json[0].item_basic.sold;
        delete json[0].item_basic.price_before_discount;
      },
      nulls: ['soldCount', 'originalPriceVnd'],
    },
  },
  {
    name: 'Shopee api/v4/item/get ({data:{…}}, 2021)',
    adapter: 'shopee',
    kind: 'listing',
    file: 'shapes/shopee-item-get-v4.json',
    url: 'https://shopee.vn/api/v4/item/get?itemid=51000000003&shopid=72000003',
    listings: [
      {
        externalId: '51000000003',
        shopExternalId: '72000003',
        title: 'Sạc nhanh 20W USB-C chính hãng bảo hành 12 tháng',
        priceVnd: 99_000,
        originalPriceVnd: 150_000,
        soldCount: 1520,
      },
    ],
    strip: {
      remove: (json) => {
        delete json.data.historical_sold;
        delete json.data.sold;
        delete json.data.price_before_discount;
      },
      nulls: ['soldCount', 'originalPriceVnd'],
    },
  },
  {
    name: 'Tiki personalish/v1/blocks/listings, saved as the bare array (2025)',
    adapter: 'tiki',
    kind: 'search',
    file: 'shapes/tiki-personalish-bare.json',
    url: 'https://tiki.vn/api/personalish/v1/blocks/listings?category=1520',
    listings: [
      {
        externalId: '280000001',
        shopExternalId: '1',
        title: 'Kem chống nắng Sunplay SPF50 70g',
        brand: 'Sunplay',
        category: 'Kem chống nắng',
        priceVnd: 129_000,
        originalPriceVnd: 159_000,
        soldCount: 2412,
        rating: 4.6,
      },
      {
        externalId: '280000003',
        shopExternalId: '27000',
        brand: null,
        priceVnd: 89_000,
        originalPriceVnd: null,
        soldCount: null,
        rating: null,
      },
    ],
    strip: {
      remove: (json) => {
        delete json[0].quantity_sold;
        delete json[0].brand_name;
        delete json[0].rating_average;
      },
      nulls: ['soldCount', 'brand', 'rating'],
    },
  },
  {
    name: 'Lazada product module data saved as JSON ({fields:{…}}, the Daraz capture)',
    adapter: 'lazada',
    kind: 'listing',
    file: 'shapes/lazada-module-fields.json',
    url: 'https://www.lazada.vn/products/tai-nghe-i2400000001-s9100000001.html',
    listings: [
      {
        externalId: '2400000001',
        shopExternalId: '100200300',
        title: 'Tai nghe bluetooth không dây chống ồn',
        brand: null,
        priceVnd: 259_000,
        originalPriceVnd: 590_000,
        soldCount: 412,
        category: 'Tai nghe',
      },
    ],
    shops: [{ externalId: '100200300', name: 'Phụ Kiện Số 247', declaredLocation: 'Quận 10, TP. Hồ Chí Minh' }],
    strip: {
      remove: (json) => {
        delete json.fields.review;
        delete json.fields.skuInfos['0'].price.originalPrice;
      },
      nulls: ['soldCount', 'originalPriceVnd'],
    },
  },
  {
    name: 'Sendo search list, the bare array of {index, type, item} (SKU, DailySale, SendoClick)',
    adapter: 'sendo',
    kind: 'search',
    file: 'shapes/sendo-searchlist-bare.json',
    url: 'https://searchlist-api.sendo.vn/web/products?q=ban&page=1&size=60',
    listings: [
      {
        externalId: '61000001',
        shopExternalId: '880001',
        title: 'Bàn học gấp gọn chân sắt',
        priceVnd: 390_000,
        originalPriceVnd: 450_000,
        soldCount: 57,
        url: 'https://www.sendo.vn/ban-hoc-gap-gon-chan-sat-61000001.html',
      },
      { externalId: '61000002', shopExternalId: null, title: 'Kệ sách mini để bàn', priceVnd: 52_000, originalPriceVnd: 65_000 },
      { externalId: '61000003', shopExternalId: '880002', priceVnd: 790_000, soldCount: 1200 },
    ],
    shops: [
      { externalId: '880001', declaredLocation: 'Đà Nẵng' },
      { externalId: '880002', declaredLocation: 'Hà Nội' },
    ],
    strip: {
      remove: (json) => {
        delete json[0].item.order_count;
        delete json[0].item.order_count_text;
        delete json[0].item.original_price;
        delete json[0].item.price;
      },
      nulls: ['soldCount', 'originalPriceVnd'],
    },
  },
  {
    name: 'Sendo search list wrapped as {data:[…], meta} (the live answer)',
    adapter: 'sendo',
    kind: 'search',
    file: 'shapes/sendo-searchlist-wrapped.json',
    url: 'https://searchlist-api.sendo.vn/web/products?q=ban&page=1&size=60',
    listings: [{ externalId: '61000001', priceVnd: 390_000 }, { externalId: '61000002' }, { externalId: '61000003' }],
    shops: [
      { externalId: '880001', declaredLocation: 'Đà Nẵng' },
      { externalId: '880002', declaredLocation: 'Hà Nội' },
    ],
  },
  {
    name: 'TikTok Shop 2025 product page: shop/pdp router key, product in the product_info component',
    adapter: 'tiktok',
    kind: 'listing',
    file: 'shapes/tiktok-pdp-2025.html',
    url: 'https://www.tiktok.com/shop/pdp/son-kem-li-velvet/1731000000000000001',
    listings: [
      {
        externalId: '1731000000000000001',
        shopExternalId: '7494000000000000011',
        title: 'Son kem lì Velvet mịn môi lâu trôi',
        brand: 'Velvet',
        category: 'Son môi',
        priceVnd: 89_000,
        originalPriceVnd: 350_000,
        soldCount: 15230,
        rating: 4.4,
        description: 'Son kem lì, màu chuẩn.',
      },
    ],
    shops: [
      {
        externalId: '7494000000000000011',
        name: 'Mỹ Phẩm Quảng Châu Sỉ Lẻ',
        declaredLocation: 'Quảng Đông, Trung Quốc',
        listingCount: 312,
      },
    ],
  },
  {
    name: 'TikTok Shop 2025 page without optional fields and without </body></html>',
    adapter: 'tiktok',
    kind: 'listing',
    file: 'shapes/tiktok-pdp-2025-sparse.html',
    url: 'https://www.tiktok.com/shop/pdp/moc-khoa/1731000000000000002',
    listings: [
      {
        externalId: '1731000000000000002',
        shopExternalId: '7494000000000000012',
        title: 'Móc khóa silicon',
        priceVnd: 15_000,
        originalPriceVnd: null,
        soldCount: null,
        rating: null,
        brand: null,
        images: [],
      },
    ],
    shops: [{ externalId: '7494000000000000012', declaredLocation: null }],
  },
  {
    name: 'schema.org JSON-LD page that omits the optional </body> and </html>',
    adapter: 'schemaorg',
    kind: 'listing',
    file: 'shapes/web-product-no-closing-tags.html',
    url: 'https://perfume.example.vn/p/chanel-no5-100ml',
    listings: [
      {
        externalId: 'perfume.example.vn/p/chanel-no5-100ml',
        shopExternalId: 'perfume.example.vn/',
        title: 'Nước hoa Chanel No.5 EDP 100ml',
        brand: 'Chanel',
        priceVnd: 1_250_000,
      },
    ],
    shops: [{ externalId: 'perfume.example.vn/', rawAddress: '12 Hàng Bài, Hoàn Kiếm, Hà Nội' }],
  },
  {
    name: 'schema.org microdata fragment (no <html>, no </body>)',
    adapter: 'schemaorg',
    kind: 'listing',
    file: 'shapes/web-microdata-fragment.html',
    url: 'https://tui.example.vn/p/lv-neverfull',
    listings: [
      {
        externalId: 'tui.example.vn/p/lv-neverfull',
        shopExternalId: 'tui.example.vn#túi-hiệu-giá-sỉ',
        title: 'Túi xách da nữ LV Neverfull',
        brand: 'Louis Vuitton',
        priceVnd: 890_000,
      },
    ],
  },
];

function parse(adapter: MarketplaceAdapter, shape: Shape, body: string): Ok {
  return expectOk(adapter.parse(page(body, shape.url), request(shape.url, shape.kind, { page: 1, maxPages: 1 })));
}

const ROUTER = /(<script[^>]*id="__MODERN_ROUTER_DATA__"[^>]*>)([^]*?)(<\/script>)/u;

/** The JSON a fixture carries: the whole body, or the router data of a TikTok page. */
function jsonOf(shape: Shape, body: string): { value: any; rebuild: (value: unknown) => string } | null {
  if (shape.file.endsWith('.json')) return { value: JSON.parse(body), rebuild: (value) => JSON.stringify(value) };
  const match = ROUTER.exec(body);
  if (!match) return null;
  return { value: JSON.parse(match[2]!), rebuild: (value) => body.replace(ROUTER, () => `${match[1]}${JSON.stringify(value)}${match[3]}`) };
}

/** Adds `extra` under a key no marketplace uses to every object in `value`. */
function withExtraFields(value: unknown, extra: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withExtraFields(v, extra, key));
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = withExtraFields(v, extra, key);
    copy[key] = extra;
    return copy;
  }
  return value;
}

const essentials = (result: Ok) => ({
  listings: result.listings.map(({ raw: _raw, ...rest }) => rest),
  shops: result.shops.map(({ raw: _raw, ...rest }) => rest),
});

describe.each(SHAPES)('$name', (shape) => {
  const adapter = getAdapter(shape.adapter);
  const body = fixture(shape.file);

  it('gives the right ids, title, VND prices, shop, location and sold count', () => {
    const result = parse(adapter, shape, body);
    expect(result.listings).toHaveLength(shape.listings.length);
    shape.listings.forEach((expected, k) => expect(result.listings[k]).toMatchObject(expected));
    for (const shop of shape.shops ?? []) expect(result.shops.find((s) => s.externalId === shop.externalId)).toMatchObject(shop);
    expect(result.rejected).toEqual([]);
  });

  it('unknown extra fields anywhere never change what is read', () => {
    const json = jsonOf(shape, body);
    if (!json) return; // HTML shapes without embedded JSON: extra markup is covered by the schemaorg tests
    const baseline = essentials(parse(adapter, shape, body));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('x_future_field', 'experiment_v2', 'zz_debug'), (extra, key) => {
        expect(essentials(parse(adapter, shape, json.rebuild(withExtraFields(json.value, extra, key))))).toEqual(baseline);
      }),
      { numRuns: 25 },
    );
  });

  it.runIf(shape.strip !== undefined)('a missing optional field gives null, not an error', () => {
    const json = jsonOf(shape, body)!;
    const value = structuredClone(json.value);
    shape.strip!.remove(value);
    const result = parse(adapter, shape, json.rebuild(value));
    const first = result.listings[0]! as unknown as Record<string, unknown>;
    expect(first.externalId).toBe(shape.listings[0]!.externalId);
    for (const field of shape.strip!.nulls) expect(first[field], field).toBeNull();
  });
});

describe('prices in another currency', () => {
  it('a TikTok US page keeps priceVnd null and states the USD price', () => {
    const url = 'https://www.tiktok.com/shop/pdp/wide-leg-trousers/1729000000000000003';
    const result = expectOk(getAdapter('tiktok').parse(page(fixture('shapes/tiktok-pdp-2025-usd.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      externalId: '1729000000000000003',
      title: 'Wide Leg Trousers',
      priceVnd: null,
      originalPriceVnd: null,
      soldCount: 420,
    });
    expect(result.statedPrices).toEqual([{ externalId: '1729000000000000003', amount: 24.17, originalAmount: 31.75, currency: 'USD' }]);
    expect(result.rejected).toEqual([]);
  });
});
