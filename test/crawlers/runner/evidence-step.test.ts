// Which page a crawl keeps as evidence: the record's own page on the crawled site, never another site's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureUrl, siteOf } from '../../../crawlers/runner/evidence-step.ts';

describe('captureUrl', () => {
  it.each([
    ['https://tiki.vn/son-li-p1.html', 'https://tiki.vn/api/v2/products/1', 'https://tiki.vn/son-li-p1.html'],
    ['https://www.lazada.vn/products/x-i1.html', 'https://acs-m.lazada.vn/h5/x', 'https://www.lazada.vn/products/x-i1.html'],
    ['https://shop.com.vn/p/1', 'https://api.shop.com.vn/p/1', 'https://shop.com.vn/p/1'],
    ['https://other.com.vn/p/1', 'https://shop.com.vn/api/1', 'https://shop.com.vn/api/1'],
    ['http://169.254.169.254/latest', 'https://tiki.vn/api/v2/products/1', 'https://tiki.vn/api/v2/products/1'],
    ['javascript:alert(1)', 'https://tiki.vn/api/1', 'https://tiki.vn/api/1'],
    [null, 'http://127.0.0.1:4100/tiki/api/v2/products/1', 'http://127.0.0.1:4100/tiki/api/v2/products/1'],
    ['http://127.0.0.1:4100/tiki/x-p1.html', 'http://127.0.0.1:4100/tiki/api/v2/products/1', 'http://127.0.0.1:4100/tiki/x-p1.html'],
  ])('record %s, page %s → %s', (record, page, expected) => {
    expect(captureUrl(record, page)).toBe(expected);
  });

  it('always answers the page or a URL on the page’s site', () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.webUrl(), (record, page) => {
        const chosen = captureUrl(record, page);
        expect(chosen === page || siteOf(new URL(chosen).hostname) === siteOf(new URL(page).hostname)).toBe(true);
      }),
    );
  });
});
