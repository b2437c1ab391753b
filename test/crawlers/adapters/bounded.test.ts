/**
 * Parsers of outside data never fail a crawl: nesting is bounded, one bad item is skipped and
 * counted (`rejected`), and the rest of the page is stored.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthOf, MAX_NESTING, nestedDeeperThan } from '../../../crawlers/adapters/depth.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { dbTargets } from '../../helpers/db.ts';
import { testDeps } from '../runner/deps.ts';
import { json, startToyServer, type ToyServer } from '../runner/toy.ts';
import { expectOk, page, request } from './helpers.ts';

const DEEP = 100_000;

/** `[[[…{"x":1}…]]]` nested `depth` levels, built without recursion. */
function deepValue(depth: number): unknown {
  return JSON.parse(`${'['.repeat(depth)}{"x":1}${']'.repeat(depth)}`);
}

/** 41 Tiki search items as the API would send them; item 17 carries a field nested 100,000 deep. */
function tikiPage(): string {
  const items = Array.from({ length: 41 }, (_, k) => {
    const item = JSON.stringify({
      id: 300_000_000 + k,
      name: `Giày thể thao mẫu ${k}`,
      price: 199_000 + k * 1000,
      seller_id: 0,
      url_path: `giay-${k}-p${300_000_000 + k}.html`,
      quantity_sold: { value: k },
    });
    // Written as text: JSON.stringify itself overflows on such a value.
    return k === 17 ? `${item.slice(0, -1)},"badges_v3":${'['.repeat(DEEP)}{"x":1}${']'.repeat(DEEP)}}` : item;
  });
  return `{"data":[${items.join(',')}],"paging":{"current_page":1,"last_page":1}}`;
}

describe('nesting depth', () => {
  it('nestedDeeperThan agrees with the recursive reference on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        expect(nestedDeeperThan(value, max)).toBe(depthOf(value) > max);
      }),
    );
  });

  it('measures a value nested 100,000 deep without a stack overflow', () => {
    expect(nestedDeeperThan(deepValue(DEEP), MAX_NESTING)).toBe(true);
    expect(() => JSON.stringify(deepValue(DEEP))).toThrow(RangeError); // what used to fail the batch
  });

  it('one deep item among 41 is rejected and counted; the other 40 are kept', () => {
    const url = 'http://127.0.0.1:9/api/v2/products?q=giay&page=1&limit=40';
    const result = expectOk(getAdapter('tiki').parse(page(tikiPage(), url), request(url, 'search', { page: 1, maxPages: 1 })));
    expect(result.listings).toHaveLength(40);
    expect(result.listings.map((l) => l.externalId)).not.toContain('300000017');
    expect(result.rejected).toEqual([{ reason: `item nested deeper than ${MAX_NESTING} levels`, externalId: '300000017' }]);
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('a deep TikTok router document is one page error, never a throw', () => {
    const url = 'http://127.0.0.1:9/shop/pdp/x/1';
    const body = `<!DOCTYPE html><html><body><script id="__MODERN_ROUTER_DATA__" type="application/json">{"loaderData":${JSON.stringify({ a: 1 }).replace('1', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`)}}</script></body></html>`;
    const result = getAdapter('tiktok').parse(page(body, url), request(url, 'listing'));
    expect(['error', 'blocked']).toContain(result.outcome);
  });
});

describe.each((await dbTargets()).slice(0, 1))('a crawl with a 100,000-deep item among 41 listings ($name)', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let server: ToyServer;
  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    const body = tikiPage();
    server = await startToyServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/robots.txt') return void res.writeHead(404).end();
      if (url.pathname === '/api/v2/products') return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      json(res, 404, { error: { code: 404, message: 'not found' } });
    });
  }, 300_000); // opening and migrating PGlite is slow on a loaded machine
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  it('stores the other 40, counts the bad one, and completes', async () => {
    const summary = await runCrawl(
      {
        adapter: getAdapter('tiki'),
        target: { mode: 'query', query: 'giày' },
        maxPages: 1,
        baseUrl: server.url,
        allowHosts: [server.host],
        requestsPerMinute: 0,
        retryBaseMs: 20,
      },
      testDeps(db),
    );
    expect(summary).toMatchObject({ status: 'completed', listings: 40, rejected: 1, errors: 0 });
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE marketplace = 'tiki'`);
    expect(rows.rows[0]!.n).toBe(40);
  });
});
