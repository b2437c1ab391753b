// Which page a crawl keeps as evidence: the record's own page on the crawled site, never another site's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureUrl, siteOf, Slots } from '../../../crawlers/runner/evidence-step.ts';

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

describe('Slots', () => {
  it('runs at most its size at once, the rest in order, and frees a slot when a task fails', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const tasks = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        await gate.promise;
        running--;
        if (i === 1) throw new Error('capture failed');
        return i;
      }),
    );
    const settled = Promise.allSettled(tasks);
    for (const gate of gates) {
      await new Promise((resolve) => setImmediate(resolve));
      gate.resolve();
    }
    const results = await settled;
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
