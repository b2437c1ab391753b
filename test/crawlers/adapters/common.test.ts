import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { baseOf, humanCount, rating, ResultBuilder, taxCodeFromText } from '../../../crawlers/adapters/common.ts';
import { anchors, relNext, scriptById, truncatedHtml } from '../../../crawlers/adapters/scan.ts';

describe('adapter helpers', () => {
  it.each([
    ['Shop chính hãng. MST: 0312345675', '0312345675'],
    ['Mã số thuế 0100109106-001, Hà Nội', '0100109106-001'],
    ['mst:079203001234 (cá nhân)', '079203001234'],
    ['Hotline 0912345678', null],
    ['MST 12345', null],
  ])('taxCodeFromText(%j) = %j', (text, expected) => {
    expect(taxCodeFromText(text)).toBe(expected);
  });

  it.each([
    ['1.2K đã bán', 1200],
    ['3,4k', 3400],
    ['980', 980],
    ['Đã bán 12', 12],
    ['', null],
  ])('humanCount(%j) = %j', (text, expected) => {
    expect(humanCount(text)).toBe(expected);
  });

  it('rating: 0 is unrated, percentages scale to five stars, nonsense is null', () => {
    expect(rating(0)).toBeNull();
    expect(rating('4.7')).toBe(4.7);
    expect(rating(92)).toBe(4.6);
    expect(rating(250)).toBeNull();
    expect(rating('abc')).toBeNull();
  });

  it('baseOf keeps a sandbox prefix when deriving the base from a URL', () => {
    expect(baseOf({ url: 'http://127.0.0.1:9/tiki/api/v2/products?q=x', kind: 'search' }, ['/api/'], 'https://tiki.vn')).toBe(
      'http://127.0.0.1:9/tiki',
    );
    expect(baseOf({ url: 'https://tiki.vn/api/v2/products/1', kind: 'listing' }, ['/api/'], 'x')).toBe('https://tiki.vn');
    expect(baseOf({ url: 'x', kind: 'listing', context: { baseUrl: 'http://h/p/' } }, [], 'x')).toBe('http://h/p');
  });

  it('HTML scanning: anchors with entities, rel=next, script by id, truncation', () => {
    const html = `<html><body><a class="p" href='/a?x=1&amp;y=2'>a</a><a rel="next" href="/p2">next</a><script id="__DATA__" type="application/json">{"a":1}</script></body></html>`;
    expect(anchors(html).map((a) => a.href)).toEqual(['/a?x=1&y=2', '/p2']);
    expect(relNext(html)).toBe('/p2');
    expect(scriptById(html, '__DATA__')).toBe('{"a":1}');
    expect(truncatedHtml(html)).toBe(false);
    expect(truncatedHtml(html.slice(0, 60))).toBe(true);
    expect(truncatedHtml('{"json": true}')).toBe(false);
  });

  it('helpers never throw on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        taxCodeFromText(text);
        humanCount(text);
        anchors(text);
        relNext(text);
        scriptById(text, '__MODERN_ROUTER_DATA__');
        truncatedHtml(text);
      }),
    );
  });
});

describe('ResultBuilder', () => {
  it('merges the records one page gives of the same shop: every field either gave, the first where both did, flags ORed', () => {
    const builder = new ResultBuilder('shopee');
    builder.shop({ externalId: '1', name: 'Stub name', declaredLocation: 'Hà Nội', isOfficial: false });
    builder.shop({ externalId: '1', name: 'Detail name', rawAddress: '12 Lê Lợi, Hà Nội', followerCount: 40, isOfficial: true });
    builder.shop({ externalId: '2', name: 'Other' });
    const result = builder.build();
    if (result.outcome !== 'ok') throw new Error('expected an ok result');
    expect(result.shops).toHaveLength(2);
    expect(result.shops[0]).toMatchObject({
      externalId: '1',
      name: 'Stub name',
      declaredLocation: 'Hà Nội',
      rawAddress: '12 Lê Lợi, Hà Nội',
      followerCount: 40,
      isOfficial: true,
    });
  });
});
