/**
 * Truncation is a transport fact: the fetcher compares the bytes received with Content-Length or
 * the chunked terminator, so a page that legally omits </body></html> is whole, and a body cut
 * mid-transfer is a retryable error however it happens to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { createHttpFetcher, TruncatedBodyError } from '../../../crawlers/runner/http-fetch.ts';
import { RetryableFetchError } from '../../../crawlers/runner/retry.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import { startSandbox, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { dbTargets } from '../../helpers/db.ts';
import { testDeps } from './deps.ts';
import { startToyServer, type ToyServer } from './toy.ts';

/** A product page that ends without </body></html>, as many real ones do. */
const PRODUCT = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Nước hoa</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Nước hoa Chanel No.5 100ml","brand":"Chanel","offers":{"@type":"Offer","price":"1250000","priceCurrency":"VND"}}</script>
</head><body><h1>Nước hoa Chanel No.5 100ml</h1><p>Giá: 1.250.000₫ (đã gồm VAT)<p>${'Mô tả sản phẩm. '.repeat(200)}
`;

describe('http-fetch detects bodies cut mid-transfer', () => {
  let server: ToyServer;
  beforeAll(async () => {
    server = await startToyServer((req, res) => {
      const body = Buffer.from(PRODUCT);
      if (req.url === '/whole')
        return void res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(body.length) }).end(body);
      if (req.url === '/close-delimited') {
        // No length and no chunking: the body ends when the connection does, which is legal.
        res.socket!.write(`HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n`);
        res.socket!.end(body);
        return;
      }
      if (req.url === '/cut-length') {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(body.length) });
        res.write(body.subarray(0, 700), () => res.destroy());
        return;
      }
      if (req.url === '/cut-chunked') {
        res.writeHead(200, { 'content-type': 'text/html', 'transfer-encoding': 'chunked' });
        res.write(body.subarray(0, 700), () => res.destroy());
        return;
      }
      res.writeHead(404).end();
    });
  });
  afterAll(async () => server?.close());
  const fetcher = () => createHttpFetcher({ allowHosts: [server.host] });

  it('a whole page without </body></html> is returned as is', async () => {
    const fetch = fetcher();
    try {
      for (const path of ['/whole', '/close-delimited']) {
        const got = await fetch({ url: `${server.url}${path}`, kind: 'listing' });
        expect(got.body).toBe(PRODUCT);
        expect(got.body).not.toContain('</body>');
      }
    } finally {
      fetch.destroy();
    }
  });

  it.each(['/cut-length', '/cut-chunked'])('%s: fewer bytes than promised is a retryable TruncatedBodyError', async (path) => {
    const fetch = fetcher();
    try {
      const error = await fetch({ url: `${server.url}${path}`, kind: 'listing' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TruncatedBodyError);
      expect(error).toBeInstanceOf(RetryableFetchError);
      expect((error as Error).message).toMatch(/received 700/u);
    } finally {
      fetch.destroy();
    }
  });
});

describe('the sandbox truncate fault', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3, listings: 100 });
  });
  afterAll(async () => sandbox?.close());

  it.each(['/tiki/api/v2/products?q=&page=1', '/tiktok/search?q=', '/shop/search?q='])(
    'cuts %s mid-transfer, and the fetcher says so',
    async (path) => {
      const fetch = createHttpFetcher({ allowHosts: [new URL(sandbox.url).host] });
      try {
        const error = await fetch({ url: `${sandbox.url}${path}&__fault=truncate`, kind: 'search' }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TruncatedBodyError);
      } finally {
        fetch.destroy();
      }
    },
  );
});

describe.each((await dbTargets()).slice(0, 1))('a crawl meets a cut body ($name)', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let server: ToyServer;
  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    server = await startToyServer((req, res, hits) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      const body = Buffer.from(PRODUCT);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) });
      // The first answer drops the connection mid-body (the cut lands between tags, so the page
      // itself gives no sign); the retry gets all of it.
      if (hits === 1) res.write(body.subarray(0, body.indexOf('<p>') + 3), () => res.destroy());
      else res.end(body);
    });
  }, 300_000); // opening and migrating PGlite is slow on a loaded machine
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  it('retries it and stores the whole page, which has no </body></html>', async () => {
    const url = `${server.url}/p/chanel-no5-100ml`;
    const summary = await runCrawl(
      {
        adapter: getAdapter('schemaorg'),
        target: { mode: 'url', url },
        maxPages: 1,
        baseUrl: server.url,
        allowHosts: [server.host],
        requestsPerMinute: 0,
        retryBaseMs: 20,
      },
      testDeps(db),
    );
    expect(summary).toMatchObject({ status: 'completed', listings: 1, errors: 0 });
    expect(server.hits.get('/p/chanel-no5-100ml')).toBe(2);
    const row = await db.query<{ title: string; price_vnd: number }>(`SELECT title, price_vnd FROM listings WHERE marketplace = 'web'`);
    expect(row.rows).toEqual([{ title: 'Nước hoa Chanel No.5 100ml', price_vnd: 1_250_000 }]);
  });
});
