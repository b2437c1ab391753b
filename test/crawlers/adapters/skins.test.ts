/** The sandbox skins serve the real shapes, so crawls exercise them; the adapters read every one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { truncatedHtml } from '../../../crawlers/adapters/scan.ts';
import { startSandbox, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { expectOk, page, request } from './helpers.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, listings: 300 });
});
afterAll(async () => sandbox?.close());

const text = async (path: string) => (await fetch(`${sandbox.url}${path}`)).text();

describe('sendo skin', () => {
  it('answers some requests with the bare array (with SendoClick slots) and others wrapped, each URL always the same way', async () => {
    const forms = new Set<string>();
    const adapter = getAdapter('sendo');
    for (let k = 1; k <= 12; k++) {
      const path = `/sendo/web/products?q=&page=1&size=${10 + k}`;
      const body = await text(path);
      expect(await text(path)).toBe(body);
      const json = JSON.parse(body) as unknown;
      const bare = Array.isArray(json);
      forms.add(bare ? 'bare' : 'wrapped');
      if (bare) expect((json as { type: string }[]).some((entry) => entry.type === 'SendoClick')).toBe(true);
      const url = `${sandbox.url}${path}`;
      const result = expectOk(
        adapter.parse(page(body, url), request(url, 'search', { page: 1, maxPages: 1, context: { baseUrl: `${sandbox.url}/sendo` } })),
      );
      expect(result.listings).toHaveLength(10 + k);
      expect(result.rejected).toEqual([]);
    }
    expect(forms).toEqual(new Set(['bare', 'wrapped']));
    expect(Array.isArray(JSON.parse(await text('/sendo/web/products?q=&size=5&__form=bare')))).toBe(true);
    expect(Array.isArray(JSON.parse(await text('/sendo/web/products?q=&size=5&__form=wrapped')))).toBe(false);
  });
});

describe('tiktok skin', () => {
  it('serves the shop/pdp route with the product_info component layout, without </body></html>, and the adapter reads it', async () => {
    const search = await text('/tiktok/search?q=');
    const hrefs = [...search.matchAll(/href="(\/tiktok\/shop\/pdp\/[^"]+)"/gu)].map((m) => m[1]!).slice(0, 8);
    expect(hrefs.length).toBe(8);
    const layouts = new Set<string>();
    for (const href of hrefs) {
      const body = await text(href);
      expect(body).not.toContain('</body>');
      expect(truncatedHtml(body)).toBe(false);
      layouts.add(body.includes('"shop/pdp/(product_name_slug$)/(product_id)/page"') ? 'pdp' : 'view/product');
      const url = `${sandbox.url}${href}`;
      const result = expectOk(
        getAdapter('tiktok').parse(page(body, url), request(url, 'listing', { context: { baseUrl: `${sandbox.url}/tiktok` } })),
      );
      expect(result.listings[0]!.externalId).toBe(/(\d+)$/u.exec(href)![1]);
      expect(result.listings[0]!.priceVnd).toBeGreaterThan(0);
      expect(result.shops[0]!.externalId).toBe(result.listings[0]!.shopExternalId);
    }
    expect(layouts.has('pdp')).toBe(true);
  });
});

describe('truncatedHtml', () => {
  it.each([
    ['<!DOCTYPE html><html><body><p>Giá 250k', false],
    ['<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Túi</span></div>', false],
    ['<html><body><div class="x" data-a="unclos', true],
    ['<html><head><script id="__MODERN_ROUTER_DATA__">{"loaderData":{"a":', true],
    ['<html><head><style>.a{color:red}', true],
    ['<html><body><!-- a comment that never', true],
    ['<html><head><script>var a = "<scripts>";</script></head><body>ok', false],
  ])('%j → %s', (body, expected) => {
    expect(truncatedHtml(body)).toBe(expected);
  });
});
