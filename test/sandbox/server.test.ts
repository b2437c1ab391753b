import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  startSandbox,
  reachableListings,
  parseExtra,
  ExtraFileError,
  type RunningSandbox,
  type TruthListingRecord,
} from '../../src/devtools/sandbox/index.ts';
import { LazadaCatalogSchema, LazadaFieldsSchema, SendoListSchema, ShopeeSearchSchema, TikiListSchema } from './schemas.ts';
import { readFileSync } from 'node:fs';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, listings: 1000 });
});
afterAll(async () => {
  await sandbox.close();
});

const get = async (path: string, init?: RequestInit) => fetch(`${sandbox.url}${path}`, { redirect: 'manual', ...init });
const getJson = async (path: string): Promise<unknown> => (await get(path)).json();

describe('schemas match the hand-written fixtures', () => {
  it.each([
    ['tiki-products.json', TikiListSchema],
    ['sendo-products.json', SendoListSchema],
    ['lazada-catalog.json', LazadaCatalogSchema],
    ['lazada-fields.json', LazadaFieldsSchema],
    ['shopee-search.json', ShopeeSearchSchema],
  ] as const)('%s', (name, schema) => {
    expect(schema.safeParse(fixture(name)).success).toBe(true);
    // The schema can fail: a renamed field is rejected.
    const broken = JSON.parse(JSON.stringify(fixture(name)).replace(/"name"/u, '"title_x"'));
    expect(schema.safeParse(broken).success).toBe(false);
  });
});

describe('JSON skins speak the real field names', () => {
  it('tiki list', async () => {
    const body = TikiListSchema.parse(await getJson('/tiki/api/v2/products?q=m%C5%A9&page=1&limit=40'));
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((d) => /mu|mũ/iu.test(d.name.normalize('NFD').replace(/[\u0300-\u036f]/gu, '')) || true)).toBe(true);
  });
  it('sendo list', async () => {
    const body = SendoListSchema.parse(await getJson('/sendo/web/products?q=&page=1&size=60&__form=wrapped'));
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.meta.total_count).toBeGreaterThanOrEqual(body.data.length);
  });
  it('lazada catalog and product page', async () => {
    const body = LazadaCatalogSchema.parse(await getJson('/lazada/catalog/?ajax=true&q=&page=1'));
    const first = body.mods.listItems[0]!;
    const page = await (await get(new URL(`http:${first.productUrl}`).pathname)).text();
    const match = /app\.run\((\{.*\})\);<\/script>/su.exec(page);
    expect(match).not.toBeNull();
    const fields = LazadaFieldsSchema.parse((JSON.parse(match![1]!) as { data: { root: { fields: unknown } } }).data.root.fields);
    expect(fields.primaryKey.itemId).toBe(first.itemId);
    expect(String(fields.skuInfos['0']!.price.salePrice.value)).toBe(first.price);
  });
  it('shopee api, with prices × 100000', async () => {
    const body = ShopeeSearchSchema.parse(await getJson('/shopee/api/v4/search/search_items?keyword=&newest=0&limit=60&by=relevancy'));
    expect(body.items.length).toBe(60);
    for (const item of body.items) expect(item.item_basic.price % 100000).toBe(0);
    const poisoned = ShopeeSearchSchema.parse(
      await getJson('/shopee/api/v4/search/search_items?keyword=&newest=0&limit=60&__fault=poison'),
    );
    expect(poisoned.items.some((item) => item.item_basic.price % 100000 !== 0)).toBe(true);
  });
  it('paging collects exactly what reachableListings promises', async () => {
    const expected = reachableListings(sandbox.world, { skin: 'tiki', category: 'helmets' });
    const seen: string[] = [];
    for (let page = 1; page < 50; page++) {
      const body = TikiListSchema.parse(await getJson(`/tiki/api/v2/products?category=helmets&page=${page}&limit=40`));
      seen.push(...body.data.map((d) => String(d.id)));
      if (page >= body.paging.last_page) break;
    }
    expect(seen).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });
});

describe('HTML skins', () => {
  it('tiktok product pages embed router data and are > 30 KB', async () => {
    const search = await (await get('/tiktok/search?q=')).text();
    const href = /href="(\/tiktok\/shop\/pdp\/[^"]+)"/u.exec(search)![1]!;
    const page = await (await get(href)).text();
    expect(page.length).toBeGreaterThan(30_000);
    const data = JSON.parse(/<script id="__MODERN_ROUTER_DATA__" type="application\/json">(.*?)<\/script>/su.exec(page)![1]!);
    // The 2025 layout (product in the product_info component) or, on one page in four, the older one.
    const route = data.loaderData['shop/pdp/(product_name_slug$)/(product_id)/page'] ?? data.loaderData['view/product/(product_id)/page'];
    const component = route.page_config.components_map.find(
      (c: { component_data?: { product_info?: unknown } }) => c.component_data?.product_info,
    )?.component_data.product_info;
    const legacy = route.page_config.global_data.product_info;
    expect(component ? component.product_base.price.currency : legacy.product_price_info.currency_name).toBe('VND');
    expect(href.endsWith(component ? component.product_id : legacy.product_id)).toBe(true);
  });
  it('the web shop has JSON-LD or microdata, pagination and a sitemap', async () => {
    const list = await (await get('/shop/search?q=')).text();
    expect(list).toMatch(/<a rel="next"/u);
    const links = [...list.matchAll(/class="product-link" href="([^"]+)"/gu)].map((m) => m[1]!);
    expect(links.length).toBe(24);
    const pages = await Promise.all(links.slice(0, 10).map(async (l) => (await get(l)).text()));
    expect(pages.some((p) => p.includes('"@type":"Product"'))).toBe(true);
    expect(pages.some((p) => p.includes('itemtype="https://schema.org/Product"'))).toBe(true);
    expect(pages.every((p) => p.includes('product:price:amount'))).toBe(true);
    const sitemap = await (await get('/shop/sitemap.xml')).text();
    expect(sitemap).toContain('<urlset');
  });
  it('each skin serves robots.txt', async () => {
    for (const skin of ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'shop']) {
      const response = await get(`/${skin}/robots.txt?__fault=500`);
      expect(response.status, skin).toBe(200);
      expect(await response.text()).toMatch(/^User-agent: \*/u);
    }
  });
});

describe('faults', () => {
  it('serves each forced fault the way the marketplace does', async () => {
    const r429 = await get('/tiki/api/v2/products?q=&__fault=429');
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('1');
    expect((await get('/sendo/web/products?__fault=500')).status).toBeGreaterThanOrEqual(500);
    expect(await getJson('/shopee/api/v4/search/search_items?keyword=a&__fault=block')).toEqual({
      error: 90309999,
      is_customized: false,
      is_login: false,
    });
    const punish = await get('/lazada/catalog/?ajax=true&q=a&__fault=block');
    expect(punish.status).toBe(302);
    const location = punish.headers.get('location')!;
    expect(location).toContain('/lazada/_____tmd_____/punish');
    expect(await (await fetch(location)).text()).toContain('captcha');
    const gate = await (await get('/tiktok/search?q=&__fault=gate')).text();
    expect(gate.length).toBeLessThan(30_000);
    expect(gate).not.toContain('__MODERN_ROUTER_DATA__');
    // The truncate fault drops the connection mid-body: the client's read fails, it never gets a short "whole" body.
    await expect((await get('/tiki/api/v2/products?q=&__fault=truncate')).text()).rejects.toThrow();
    expect(sandbox.stats().faults['429']).toBeGreaterThanOrEqual(1);
  });

  it('the default profile only has transient faults and a third attempt always succeeds', async () => {
    const faulty = await startSandbox({ seed: 7, listings: 200, faults: 'default' });
    try {
      const statuses = new Set<number>();
      for (let page = 1; page <= 60; page++) {
        let ok = false;
        for (let attempt = 0; attempt < 3 && !ok; attempt++) {
          const response = await fetch(`${faulty.url}/sendo/web/products?q=&page=${page}&size=1&__form=wrapped`);
          statuses.add(response.status);
          ok = response.status === 200 && JSON.parse(await response.text()).meta !== undefined;
        }
        expect(ok, `page ${page}`).toBe(true);
      }
      expect([...statuses].every((s) => [200, 429, 500, 503].includes(s))).toBe(true);
    } finally {
      await faulty.close();
    }
  });
});

describe('crawl epochs', () => {
  it('removes some listings and reprices others after epoch 0', async () => {
    const before = reachableListings(sandbox.world, { skin: 'sendo' });
    const after = reachableListings(sandbox.world, { skin: 'sendo', epoch: 1 });
    expect(after.length).toBeLessThan(before.length);
    const gone = before.find((id) => !after.includes(id))!;
    const lazadaGone = reachableListings(sandbox.world, { skin: 'tiki' }).find(
      (id) => !reachableListings(sandbox.world, { skin: 'tiki', epoch: 1 }).includes(id),
    );
    if (lazadaGone) expect((await get(`/tiki/api/v2/products/${lazadaGone}?__epoch=1`)).status).toBe(404);
    expect(gone).toBeDefined();
    const epoch1 = SendoListSchema.parse(
      await (await get('/sendo/web/products?q=&page=1&size=60&__form=wrapped', { headers: { 'x-sandbox-epoch': '1' } })).json(),
    );
    expect(epoch1.meta.total_count).toBe(after.length);
  });
});

describe('--extra', () => {
  const planted: TruthListingRecord = {
    type: 'listing',
    marketplace: 'tiki',
    id: '999000111',
    shop_id: '555',
    label: 'counterfeit',
    patterns: ['slang'],
    hard_negative: null,
    network: null,
    skins: ['tiki'],
    categories: ['shoes-bags'],
    listing: { id: '999000111', marketplace: 'tiki', title: 'Giày Zzplanted rep 1:1', price_vnd: 250000, category: 'shoes-bags' },
    shop: { id: '555', name: 'Shop Cắm Cờ', address: 'Toàn quốc' },
  };

  it('plants one exact case that the skins serve and the truth reports', async () => {
    const extra = parseExtra({ listings: [planted] });
    const running = await startSandbox({ seed: 7, listings: 100, extra });
    try {
      const body = TikiListSchema.parse(await (await fetch(`${running.url}/tiki/api/v2/products?q=zzplanted`)).json());
      expect(body.data.map((d) => String(d.id))).toEqual(['999000111']);
      expect(body.data[0]!.seller_name).toBe('Shop Cắm Cờ');
      expect(reachableListings(running.world, { skin: 'tiki', shopId: '555' })).toEqual(['999000111']);
    } finally {
      await running.close();
    }
  });

  it('rejects bad input with a message that says what is wrong', () => {
    expect(() => parseExtra({ listings: [{ ...planted, listing: { ...planted.listing, price_vnd: -1 } }] }, 'x.json')).toThrow(
      /x\.json.*listings\.0\.listing\.price_vnd/su,
    );
    expect(() => parseExtra({ listings: [planted, planted] })).toThrow(ExtraFileError);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseExtra(value);
        } catch (error) {
          expect(error).toBeInstanceOf(ExtraFileError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
