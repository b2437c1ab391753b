import { describe, expect, it } from 'vitest';
import { checkAgainstTruth, truthKey } from '../../src/apps/demo/truth-check.ts';
import { demoPlan } from '../../src/apps/demo/plan.ts';

describe('checkAgainstTruth', () => {
  it('counts precision and recall over the crawled listings the truth knows', () => {
    const labels = new Map<string, 'counterfeit' | 'clean'>([
      ['tiki:1', 'counterfeit'],
      ['tiki:2', 'counterfeit'],
      ['tiki:3', 'clean'],
      ['tiki:4', 'clean'],
    ]);
    const check = checkAgainstTruth(labels, [
      { key: 'tiki:1', flagged: true },
      { key: 'tiki:2', flagged: false },
      { key: 'tiki:3', flagged: true },
      { key: 'tiki:4', flagged: false },
      { key: 'tiki:unknown', flagged: true },
    ]);
    expect(check).toEqual({ crawled: 4, counterfeit: 2, flagged: 2, truePositives: 1, precision: 0.5, recall: 0.5 });
  });

  it('reports zero rather than NaN when nothing was flagged or planted', () => {
    const check = checkAgainstTruth(new Map([['a:1', 'clean']]), [{ key: 'a:1', flagged: false }]);
    expect(check.precision).toBe(0);
    expect(check.recall).toBe(0);
  });
});

describe('demoPlan', () => {
  it('covers every skin, and the browser skin only when a browser is there', () => {
    const withBrowser = new Set(demoPlan({ browser: true }).map((crawl) => crawl.skin));
    const without = new Set(demoPlan({ browser: false }).map((crawl) => crawl.skin));
    expect([...withBrowser].sort()).toEqual(['lazada', 'sendo', 'shop', 'shopee', 'tiki', 'tiktok']);
    expect(without.has('shopee')).toBe(false);
    expect(without.size).toBe(5);
  });
});

describe('truthKey', () => {
  it('keys marketplace listings by their own id and web-shop listings by the id in the product path', () => {
    expect(truthKey('tiki', '270000044')).toBe('tiki:270000044');
    expect(truthKey('web', '127.0.0.1/shop/p/10003-nuoc-hoa')).toBe('web:10003');
    expect(truthKey('web', 'shop.example.vn/san-pham/x')).toBe('web:shop.example.vn/san-pham/x');
  });
});
