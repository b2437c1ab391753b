import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { startLoadClient, type LoadClient } from '../lib/load-client.ts';
import { measurePair, type Trial } from '../lib/measure.ts';
import { startSandbox } from '../lib/repo.ts';
import { median, round } from '../lib/stats.ts';
import type { Suite, SuiteIo } from '../lib/suite.ts';

/** Requests in flight: far more than any crawl of ours keeps open against one host. */
const CONCURRENCY = 32;

/** Only for collecting URLs before the clock runs; the timed requests come from the load-client process. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf8'))
            : reject(new Error(`${url}: HTTP ${response.statusCode}`)),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * Distinct detail URLs of two skins: Tiki's JSON product API and the web shop's server-rendered
 * product pages, found through their search and category pages (more than the sandbox's render cache).
 */
async function collectUrls(base: string, wanted: number): Promise<{ json: string[]; html: string[] }> {
  const json: string[] = [];
  const html: string[] = [];
  for (const category of [
    'fashion',
    'shoes-bags',
    'cosmetics',
    'helmets',
    'chargers',
    'milk-supplements',
    'household',
    'electronics',
    'books',
  ]) {
    for (let page = 1; page <= 50 && json.length < wanted / 2; page++) {
      const body = JSON.parse(await get(`${base}/tiki/api/v2/products?category=${category}&page=${page}&limit=40`)) as {
        data?: { id: number }[];
      };
      if (!body.data?.length) break;
      for (const item of body.data) json.push(`${base}/tiki/api/v2/products/${item.id}`);
    }
    for (let page = 1; page <= 100 && html.length < wanted / 2; page++) {
      const links = [...(await get(`${base}/shop/category/${category}?page=${page}`)).matchAll(/href="(\/shop\/p\/[^"]+)"/g)].map(
        (m) => `${base}${m[1]}`,
      );
      if (links.length === 0) break;
      html.push(...new Set(links));
    }
  }
  return { json, html };
}

/** JSON and HTML alternating, so the combined run mixes both skins the way a crawl of both would. */
function interleave(a: readonly string[], b: readonly string[]): string[] {
  const urls: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) urls.push(a[i]!);
    if (b[i]) urls.push(b[i]!);
  }
  return urls;
}

async function averageBytes(urls: readonly string[]): Promise<number> {
  let bytes = 0;
  const sample = urls.slice(0, 200);
  for (const url of sample) bytes += Buffer.byteLength(await get(url));
  return Math.round(bytes / Math.max(1, sample.length));
}

/** The floor: a node:http server that answers every URL with one fixed body of the same average size. */
async function startFixedServer(bodyBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const body = Buffer.alloc(bodyBytes, 'x');
  const server = http.createServer({ keepAlive: true }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Variant {
  name: string;
  what: string;
  urls: string[];
}

const suite: Suite = {
  name: 'sandbox-serve',
  async run(ctx, io: SuiteIo) {
    const { progress, report } = io;
    // Several times more distinct URLs than the sandbox's response cache holds (2,000), so every timed request
    // renders its page; long enough trials (about a second per side) that scheduler noise averages out.
    const listings = ctx.quick ? 60_000 : 100_000;
    const wanted = ctx.quick ? 12_000 : 24_000;
    const sandbox = await startSandbox({ seed: 9, listings, faults: 'none', port: 0 });
    let client: LoadClient | null = null;
    try {
      const found = await collectUrls(sandbox.url, wanted);
      const variants: Variant[] = [
        {
          name: 'sandbox-serve',
          what: 'Tiki JSON product details and web-shop HTML product pages, alternating',
          urls: interleave(found.json, found.html),
        },
        { name: 'sandbox-serve.json', what: 'Tiki JSON product details (/tiki/api/v2/products/ID)', urls: found.json },
        { name: 'sandbox-serve.html', what: 'web-shop HTML product pages (/shop/p/ID-slug.html)', urls: found.html },
      ];
      client = await startLoadClient();
      const load = client;
      for (const variant of variants) {
        const bytes = await averageBytes(variant.urls);
        const fixed = await startFixedServer(bytes);
        const fixedUrls = variant.urls.map((url) => url.replace(sandbox.url, fixed.url));
        progress(
          `${variant.name}: ${variant.urls.length} distinct URLs (${variant.what}), ~${bytes} B each, ${CONCURRENCY} in flight from a separate load-client process`,
        );
        try {
          // One untimed pass over every URL on both servers: JIT warm-up, and the sandbox's per-listing
          // records generated once, as a crawl's list pages generate them before it fetches the details.
          await load.fire(variant.urls, CONCURRENCY);
          await load.fire(fixedUrls, CONCURRENCY);
          // CPU time of this process (where both servers run; the client is elsewhere) per request: on a busy
          // shared machine it says more about the server's own cost than the wall-clock rate does.
          const cpuPerRequest: { ours: number[]; baseline: number[] } = { ours: [], baseline: [] };
          const timed = async (side: 'ours' | 'baseline', urls: readonly string[]): Promise<Trial> => {
            const before = process.cpuUsage();
            const trial = await load.fire(urls, CONCURRENCY);
            const used = process.cpuUsage(before);
            cpuPerRequest[side].push((used.user + used.system) / trial.count);
            return trial;
          };
          const result = await measurePair(
            ctx.repeats,
            () => timed('ours', variant.urls),
            () => timed('baseline', fixedUrls),
            progress,
            {
              ours: 'sandbox',
              baseline: 'fixed-body node:http',
            },
          );
          report({
            name: variant.name,
            unit: 'requests/s',
            value: round(result.ours.median, 0),
            samples: result.ours.samples.map((sample) => round(sample, 0)),
            baselineName: 'node:http answering a fixed body of the same size (the floor of this client and machine)',
            baselineValue: round(result.baseline.median, 0),
            baselineSamples: result.baseline.samples.map((sample) => round(sample, 0)),
            params: {
              pages: variant.what,
              sandbox_listings: listings,
              distinct_urls: variant.urls.length,
              average_body_bytes: bytes,
              concurrency: CONCURRENCY,
              client:
                'separate load-client process (bench/lib/load-client.ts): raw HTTP/1.1 keep-alive, one request in flight per connection, every response checked for 200',
              warmup: 'one untimed pass over every URL on both servers before the timed runs',
              server_cpu_us_per_request: round(median(cpuPerRequest.ours), 1),
              baseline_server_cpu_us_per_request: round(median(cpuPerRequest.baseline), 1),
              load_avg_1m_after: round(os.loadavg()[0] ?? 0, 2),
              repeats: ctx.repeats,
              quick: ctx.quick,
            },
            target: { on: 'value', op: '>=', threshold: 5_000 },
          });
        } finally {
          await fixed.close();
        }
      }
    } finally {
      await client?.close();
      agent.destroy();
      await sandbox.close();
    }
  },
};

export default suite;
