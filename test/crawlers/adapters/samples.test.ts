/**
 * `radar extract` on the real saved responses in ../shared/samples/ (beside the repository; CI
 * has it). Nothing from there is copied into the project: the files are read at test time.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../crawlers/adapters/extract.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = [process.env.RADAR_SAMPLES_DIR, `${root}../shared/samples`].find((dir): dir is string => !!dir && existsSync(dir));

// CI lays shared/ beside the clone; there a missing folder is a broken setup, not a reason to skip.
if (process.env.CI === 'true' && !SAMPLES) throw new Error(`the real samples are missing: expected ${root}../shared/samples`);

const listing = (lines: Record<string, unknown>[], k = 0) => lines.filter((line) => line.record === 'listing')[k]!;

describe.skipIf(!SAMPLES)('radar extract on the real samples in ../shared/samples/', () => {
  const file = (path: string) => `${SAMPLES}/${path}`;

  it('TikTok 2025 product page (shop/pdp router key, product_info component, USD)', () => {
    const { result, lines } = extractFile({
      adapter: 'tiktok',
      kind: 'listing',
      file: file('tiktok/tiktok_shop_pdp_us_2025-07_modern_router_data.html'),
      url: 'https://www.tiktok.com/shop/pdp/square-neck-bodysuit-co-ord-high-waist-wide-leg-trousers-by-katchme/1729447605324124806',
    });
    expect(result.outcome).toBe('ok');
    expect(listing(lines)).toMatchObject({
      externalId: '1729447605324124806',
      shopExternalId: '7495278230053096070',
      soldCount: 30762,
      priceVnd: null,
      price: 24.17,
      originalPrice: 31.75,
      currency: 'USD',
      title: expect.stringMatching(/^Women's Trendy Square Neck Shaping Bodysuit/u),
    });
    expect(lines.find((line) => line.record === 'shop')).toMatchObject({
      externalId: '7495278230053096070',
      name: 'KatchMe US',
      declaredLocation: 'United States of America',
    });
  });

  it('Sendo search list, bare as captured and wrapped as the live API answers', async () => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const bare = extractFile({ adapter: 'sendo', kind: 'search', file: file('sendo/searchlist_products_first20.json') });
    const dir = mkdtempSync(`${tmpdir()}/radar-sendo-`);
    writeFileSync(
      `${dir}/wrapped.json`,
      JSON.stringify({ data: JSON.parse(readFileSync(file('sendo/searchlist_products_first20.json'), 'utf8')) }),
    );
    const wrapped = extractFile({ adapter: 'sendo', kind: 'search', file: `${dir}/wrapped.json` });
    for (const { lines } of [bare, wrapped]) {
      // 20 entries: 16 products (SKU and DailySale), 4 empty SendoClick slots.
      expect(lines.filter((line) => line.record === 'listing')).toHaveLength(16);
      expect(listing(lines)).toMatchObject({
        externalId: '39103035',
        shopExternalId: '866717',
        title: 'Bàn góc tường có học sách Recils',
        priceVnd: 2_200_000,
        currency: 'VND',
      });
      expect(lines.find((line) => line.record === 'shop' && line.externalId === '866717')).toMatchObject({
        name: 'Recils',
        declaredLocation: 'Đà Nẵng',
      });
    }
    expect(bare.result.outcome === 'ok' && bare.result.rejected).toEqual([]);
  });

  it('Tiki personalish listings (the bare array of 40)', () => {
    const { lines } = extractFile({
      adapter: 'tiki',
      kind: 'search',
      file: file('tiki/jinergenkai_tiki_personalish_v1_blocks_listings_cat1520_2025-07.json'),
    });
    expect(lines.filter((line) => line.record === 'listing')).toHaveLength(40);
    expect(listing(lines)).toMatchObject({
      externalId: '277857885',
      shopExternalId: '1',
      brand: 'Sunplay',
      priceVnd: 50_000,
      soldCount: 51,
      currency: 'VND',
    });
  });

  it('Lazada (Daraz) module data fields, priced in NPR', () => {
    const { lines } = extractFile({
      adapter: 'lazada',
      kind: 'listing',
      file: file('lazada/cherry-client_daraz-np_pdp_moduleData_fields.json'),
    });
    expect(listing(lines)).toMatchObject({
      externalId: '131875485',
      shopExternalId: '900208240100',
      brand: 'Zeblaze',
      priceVnd: null,
      price: 5990,
      originalPrice: 9000,
      currency: 'NPR',
      soldCount: 42,
    });
    expect(lines.find((line) => line.record === 'shop')).toMatchObject({ externalId: '900208240100', name: 'Zeblaze' });
  });

  it('Shopee search_items (2025, prices × 100000) and item/get v4 (2021)', () => {
    const search = extractFile({ adapter: 'shopee', kind: 'search', file: file('shopee/search_items_first12_mu_bao_hiem_2025.json') });
    expect(search.lines.filter((line) => line.record === 'listing').length).toBeGreaterThanOrEqual(10);
    expect(listing(search.lines)).toMatchObject({
      externalId: '9029174634',
      shopExternalId: '391641034',
      priceVnd: 172_000,
      originalPriceVnd: 240_000,
      soldCount: 84037,
      currency: 'VND',
    });
    const item = extractFile({ adapter: 'shopee', kind: 'listing', file: file('shopee/duyet_item_get_v4_response_from_README.json') });
    expect(listing(item.lines)).toMatchObject({ externalId: '3391609027', shopExternalId: '85794847', priceVnd: 50_000, currency: 'VND' });
  });
});
