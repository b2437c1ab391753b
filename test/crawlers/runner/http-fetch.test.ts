import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher } from '../../../crawlers/runner/http-fetch.ts';
import { RetryableFetchError } from '../../../crawlers/runner/retry.ts';
import { SsrfError } from '../../../crawlers/runner/ssrf.ts';
import { json, startToyServer, type ToyServer } from './toy.ts';

describe('createHttpFetcher', () => {
  let server: ToyServer;
  let proxy: http.Server;
  let proxyUrl: string;
  const proxied: string[] = [];

  beforeAll(async () => {
    server = await startToyServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/gzip')
        return void res
          .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' })
          .end(zlib.gzipSync('{"a":"giày"}'));
      if (url.pathname === '/br') return void res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync('<p>Mũ</p>'));
      if (url.pathname === '/hop') return void res.writeHead(301, { location: '/gzip' }).end();
      if (url.pathname === '/escape')
        return void res.writeHead(302, { location: `http://127.0.0.2:${new URL(`http://${req.headers.host}`).port}/gzip` }).end();
      if (url.pathname === '/metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (url.pathname === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      if (url.pathname === '/busy') return json(res, 429, {}, { 'retry-after': '2' });
      if (url.pathname === '/big') return void res.writeHead(200).end('x'.repeat(5000));
      json(res, 404, { error: 'not found' });
    });
    // A minimal forward proxy: absolute-form requests only, which is what http targets use.
    proxy = http.createServer((req, res) => {
      proxied.push(req.url ?? '');
      const target = new URL(req.url ?? '');
      const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
  });

  const fetcher = () => createHttpFetcher({ allowHosts: [server.host], maxBytes: 1000 });

  it('decodes gzip and brotli and follows redirects within allowed hosts', async () => {
    const page = await fetcher()({ url: `${server.url}/hop`, kind: 'search' });
    expect(page).toMatchObject({ status: 200, url: `${server.url}/gzip`, body: '{"a":"giày"}', contentType: 'application/json' });
    expect((await fetcher()({ url: `${server.url}/br`, kind: 'listing' })).body).toBe('<p>Mũ</p>');
  });

  it('re-checks every redirect hop with the SSRF guard', async () => {
    await expect(fetcher()({ url: `${server.url}/escape`, kind: 'search' })).rejects.toBeInstanceOf(SsrfError);
    await expect(fetcher()({ url: `${server.url}/metadata`, kind: 'search' })).rejects.toThrow(/link-local/);
    await expect(createHttpFetcher({ allowHosts: [] })({ url: `${server.url}/gzip`, kind: 'search' })).rejects.toThrow(/loopback/);
  });

  it('gives up on redirect loops and oversized bodies, and carries Retry-After on 429', async () => {
    await expect(fetcher()({ url: `${server.url}/loop`, kind: 'search' })).rejects.toThrow(/too many redirects/);
    await expect(fetcher()({ url: `${server.url}/big`, kind: 'search' })).rejects.toThrow(/larger than 1000 bytes/);
    const error = await fetcher()({ url: `${server.url}/busy`, kind: 'search' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableFetchError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000 });
  });

  it('passes 404 pages to the adapter instead of throwing', async () => {
    const page = await fetcher()({ url: `${server.url}/gone`, kind: 'listing' });
    expect(page.status).toBe(404);
    expect(JSON.parse(page.body)).toEqual({ error: 'not found' });
  });

  it('routes through an HTTP proxy when one is given', async () => {
    proxied.length = 0;
    const page = await fetcher()({ url: `${server.url}/gzip`, kind: 'search' }, { proxyUrl });
    expect(page.body).toBe('{"a":"giày"}');
    expect(proxied).toEqual([`${server.url}/gzip`]);
  });
});
