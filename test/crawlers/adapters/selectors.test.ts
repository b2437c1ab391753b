import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSelectorsAdapter } from '../../../crawlers/adapters/selectors.ts';
import { loadSiteFile, parseSiteFile } from '../../../crawlers/adapters/site-file.ts';
import { ADAPTER_NAMES, getAdapter } from '../../../crawlers/adapters/index.ts';
import { UserError } from '../../../src/core/errors.ts';
import { expectBlocked, expectOk, fixture, fuzzAdapter, page, request } from './helpers.ts';

const siteFile = fileURLToPath(new URL('../../../crawlers/sites/sandbox-shop.yaml', import.meta.url));
const site = loadSiteFile(siteFile);
const adapter = createSelectorsAdapter(site);
const base = 'http://127.0.0.1:4010/shop';

describe('selectors adapter with crawlers/sites/sandbox-shop.yaml', () => {
  it('loads and validates the shipped site file', () => {
    expect(site.name).toBe('sandbox-shop');
    expect(adapter.startRequests({ mode: 'query', query: 'mũ' }, { baseUrl: base, maxPages: 2 })[0]).toMatchObject({
      url: `${base}/search?q=m%C5%A9`,
      kind: 'search',
    });
  });

  it('turns a search page into product requests and the next page', () => {
    const url = `${base}/search?q=m%C5%A9`;
    const result = expectOk(
      adapter.parse(
        page(fixture('web/sandbox-style-search.html'), url),
        request(url, 'search', { page: 1, maxPages: 2, context: { baseUrl: base } }),
      ),
    );
    expect(result.requests.map((r) => r.uniqueKey ?? r.url)).toEqual([
      'web:127.0.0.1/shop/p/301-mu-bao-hiem-royal-m139',
      'web:127.0.0.1/shop/p/302-mu-bao-hiem-asia',
      `${base}/search?q=m%C5%A9&page=2`,
    ]);
  });

  it('reads a product page from visible markup, with the seller from JSON-LD', () => {
    const url = `${base}/p/301-mu-bao-hiem-royal-m139`;
    const result = expectOk(adapter.parse(page(fixture('web/sandbox-style-product.html'), url), request(url, 'listing')));
    expect(result.listings[0]).toMatchObject({
      externalId: '127.0.0.1/shop/p/301-mu-bao-hiem-royal-m139',
      title: 'Mũ bảo hiểm Royal M139 3/4 chính hãng',
      priceVnd: 389_000,
      originalPriceVnd: 450_000,
      brand: 'Royal',
      images: [`${base}/img/m139-1.jpg`, `${base}/img/m139-2.jpg`],
    });
    expect(result.shops[0]).toMatchObject({
      name: 'Cửa hàng Mũ An Toàn',
      phone: '0912 345 678',
      taxCode: '0100109106',
      rawAddress: '45 Trần Phú, Phường Hà Đông, Hà Nội',
    });
    expect(result.listings[0]!.shopExternalId).toBe(result.shops[0]!.externalId);
  });

  it('agrees with the schemaorg adapter on listing and shop ids', () => {
    const url = `${base}/p/301-mu-bao-hiem-royal-m139`;
    const mine = expectOk(adapter.parse(page(fixture('web/sandbox-style-product.html'), url), request(url, 'listing')));
    const theirs = expectOk(getAdapter('schemaorg').parse(page(fixture('web/sandbox-style-product.html'), url), request(url, 'listing')));
    expect(theirs.listings[0]!.externalId).toBe(mine.listings[0]!.externalId);
    expect(theirs.shops[0]!.externalId).toBe(mine.shops[0]!.externalId);
  });

  it('blocked selectors and the gone selector', () => {
    const url = `${base}/p/9-x`;
    expectBlocked(adapter.parse(page('<html><body><div id="captcha">robot?</div></body></html>', url), request(url, 'listing')));
    expect(
      expectOk(
        adapter.parse(page('<html><body><div class="product-gone">Hết hàng vĩnh viễn</div></body></html>', url), request(url, 'listing')),
      ).removed,
    ).toHaveLength(1);
    expect(adapter.parse(page('<html><body><p>nothing</p></body></html>', url), request(url, 'listing')).outcome).toBe('error');
  });

  it('rejects a bad site file with one clear line naming the field', () => {
    expect(() => parseSiteFile({ name: 'x', list: {}, detail: {} })).toThrow(
      /list\.productLinks.*detail\.title|detail\.title.*list\.productLinks/u,
    );
    expect(() => parseSiteFile({ name: 'x', list: { productLinks: 'a' }, detail: { title: 'h1', prize: '.p' } })).toThrow(/prize/u);
    const dir = mkdtempSync(join(tmpdir(), 'site-'));
    writeFileSync(join(dir, 'bad.yaml'), 'name: [unclosed');
    expect(() => loadSiteFile(join(dir, 'bad.yaml'))).toThrow(UserError);
    expect(() => loadSiteFile(join(dir, 'missing.yaml'))).toThrow(/cannot read site file/u);
    const json = join(dir, 'shop.json');
    writeFileSync(json, JSON.stringify({ name: 'json-shop', list: { productLinks: 'a.p' }, detail: { title: 'h1' } }));
    expect(loadSiteFile(json).start.search).toBe('/search?q={query}');
  });

  it('arbitrary site-file values give a UserError or a valid file, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        try {
          parseSiteFile(value);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
        }
      }),
    );
  });

  it('never throws on arbitrary input', () => fuzzAdapter(adapter, `${base}/p/1-x`));
});

describe('adapter registry', () => {
  it('knows seven adapters and names them all in the error for an unknown one', () => {
    expect(ADAPTER_NAMES).toHaveLength(7);
    for (const name of ADAPTER_NAMES.filter((n) => n !== 'selectors')) expect(getAdapter(name).name).toBe(name);
    expect(getAdapter('selectors', { siteFile }).name).toBe('selectors');
    expect(() => getAdapter('amazon')).toThrow(/shopee, lazada, tiki, sendo, tiktok, schemaorg, selectors/u);
    expect(() => getAdapter('selectors')).toThrow(/--site/u);
  });
});
