import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { measurePair, stopwatch, type Trial } from '../lib/measure.ts';
import { startSandbox } from '../lib/repo.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';

/** Requests in flight: far more than any crawl of ours keeps open against one host. */
const CONCURRENCY = 32;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${url}: HTTP ${response.statusCode}`))));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Fires every URL once with CONCURRENCY in flight; the trial is the wall time of the whole batch. */
async function fire(urls: readonly string[]): Promise<Trial> {
  let next = 0;
  const elapsed = stopwatch();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < urls.length) await get(urls[next++]!);
    }),
  );
  return { count: urls.length, seconds: elapsed() };
}

/**
 * Distinct detail URLs of two skins: Tiki's JSON product API and the web shop's server-rendered
 * product pages, found through their search and category pages (more than the sandbox's render cache).
 */
async function collectUrls(base: string, wanted: number): Promise<string[]> {
  const json: string[] = [];
  const html: string[] = [];
  for (const category of ['fashion', 'shoes-bags', 'cosmetics', 'helmets', 'chargers', 'milk-supplements', 'household', 'electronics', 'books']) {
    for (let page = 1; page <= 50 && json.length < wanted / 2; page++) {
      const body = JSON.parse(await get(`${base}/tiki/api/v2/products?category=${category}&page=${page}&limit=40`)) as { data?: { id: number }[] };
      if (!body.data?.length) break;
      for (const item of body.data) json.push(`${base}/tiki/api/v2/products/${item.id}`);
    }
    for (let page = 1; page <= 50 && html.length < wanted / 2; page++) {
      const links = [...(await get(`${base}/shop/category/${category}?page=${page}`)).matchAll(/href="(\/shop\/p\/[^"]+)"/g)].map((m) => `${base}${m[1]}`);
      if (links.length === 0) break;
      html.push(...new Set(links));
    }
  }
  const urls: string[] = [];
  for (let i = 0; i < Math.max(json.length, html.length); i++) {
    if (json[i]) urls.push(json[i]!);
    if (html[i]) urls.push(html[i]!);
  }
  return urls;
}

/** The floor: a node:http server that answers every URL with one fixed body of the same average size. */
async function startFixedServer(bodyBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const body = Buffer.alloc(bodyBytes, 'x');
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const suite: Suite = {
  name: 'sandbox-serve',
  async run(ctx, { progress, report }) {
    const listings = ctx.quick ? 20_000 : 100_000;
    const wanted = ctx.quick ? 4_000 : 12_000;
    const sandbox = await startSandbox({ seed: 9, listings, faults: 'none', port: 0 });
    try {
      const urls = await collectUrls(sandbox.url, wanted);
      let bytes = 0;
      for (const url of urls.slice(0, 200)) bytes += Buffer.byteLength(await get(url));
      const averageBytes = Math.round(bytes / Math.min(urls.length, 200));
      const fixed = await startFixedServer(averageBytes);
      const fixedUrls = urls.map((url) => url.replace(sandbox.url, fixed.url));
      progress(`sandbox-serve: ${urls.length} distinct detail URLs (Tiki JSON + web-shop HTML), ~${averageBytes} B each, ${CONCURRENCY} in flight`);
      try {
        const result = await measurePair(ctx.repeats, () => fire(urls), () => fire(fixedUrls), progress, {
          ours: 'sandbox',
          baseline: 'fixed-body node:http',
        });
        report({
          name: 'sandbox-serve',
          unit: 'requests/s',
          value: round(result.ours.median, 0),
          samples: result.ours.samples.map((sample) => round(sample, 0)),
          baselineName: 'node:http answering a fixed body of the same size (the floor of this client and machine)',
          baselineValue: round(result.baseline.median, 0),
          baselineSamples: result.baseline.samples.map((sample) => round(sample, 0)),
          params: {
            sandbox_listings: listings,
            distinct_urls: urls.length,
            average_body_bytes: averageBytes,
            concurrency: CONCURRENCY,
            client: 'in-process keep-alive node:http client (shares the 2 cores with the server)',
            repeats: ctx.repeats,
            quick: ctx.quick,
          },
          target: { on: 'value', op: '>=', threshold: 5_000 },
        });
      } finally {
        await fixed.close();
      }
    } finally {
      agent.destroy();
      await sandbox.close();
    }
  },
};

export default suite;
