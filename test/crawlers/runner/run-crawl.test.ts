import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it as vitestIt } from 'vitest';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { processRequests } from '../../../crawlers/runner/process-requests.ts';
import { evidenceDir, sha256 } from '../../../crawlers/runner/evidence.ts';
import { startCrawlRun } from '../../../src/core/db/stores/crawl-runs.ts';
import type { CrawlRequest } from '../../../crawlers/adapter.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { dbTargets } from '../../helpers/db.ts';
import { testDeps } from './deps.ts';
import { json, startToyServer, toyAdapter, type Route, type ToyServer } from './toy.ts';

/** Scriptable toy marketplace: per-test overrides of what each item path answers. */
let behaviour: Record<string, Route> = {};
const catalogue = (res: Parameters<Route>[1], page: number) =>
  json(res, 200, { items: page === 1 ? [{ id: '1' }, { id: '2' }, { id: '3' }] : [{ id: '4' }, { id: '5' }], next: page === 1 });

const route: Route = (req, res, hits) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const special = behaviour[url.pathname];
  if (special) return special(req, res, hits);
  if (url.pathname === '/robots.txt')
    return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n');
  if (url.pathname === '/search') return catalogue(res, Number(url.searchParams.get('page') ?? 1));
  const item = /^\/item\/(\w+)$/.exec(url.pathname);
  if (item) return json(res, 200, { id: item[1], shop: `s${Number(item[1]) % 2}`, price: 100_000 * Number(item[1]) });
  json(res, 404, { error: 'not found' });
};

const fast = { requestsPerMinute: 0, concurrency: 4, maxRetries: 2, retryBaseMs: 20 } as const;

/** Storage behaviour runs on both databases; crawl behaviour only needs one. */
const BOTH_DATABASES = new Set([
  'collects every listing and shop, records the run and its stats',
  'a re-run neither drops nor duplicates: one row per listing, one observation per listing per run',
]);

describe.each(await dbTargets())('runCrawl against a toy marketplace on $name', (target) => {
  // Crawl-only behaviour is registered once (on PGlite) rather than reported as skipped on the server.
  const it = (name: string, fn: () => Promise<void>) => {
    if (target.name === 'pglite' || BOTH_DATABASES.has(name)) vitestIt(name, fn);
  };
  let db: Db;
  let cleanup: () => Promise<void>;
  let server: ToyServer;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    server = await startToyServer(route);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });
  beforeEach(async () => {
    behaviour = {};
    server.hits.clear();
    await db.exec('TRUNCATE evidence, listing_observations, listings, shops, crawl_runs RESTART IDENTITY CASCADE');
  });

  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0]!.n;
  const crawl = (extra: Record<string, unknown> = {}) =>
    runCrawl(
      {
        adapter: toyAdapter(),
        target: { mode: 'query', query: 'giày' },
        maxPages: 2,
        baseUrl: server.url,
        allowHosts: [server.host],
        ...fast,
        ...extra,
      },
      testDeps(db),
    );

  it('collects every listing and shop, records the run and its stats', async () => {
    const progress: number[] = [];
    const summary = await crawl({ onProgress: (stats: { pages: number }) => progress.push(stats.pages) });
    expect(summary).toMatchObject({ status: 'completed', pages: 7, listings: 5, shops: 2, blocked: 0, errors: 0, removed: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM listings WHERE status = 'active' AND shop_id IS NOT NULL`)).toBe(5);
    expect(await count(`SELECT count(*)::int AS n FROM listing_observations WHERE crawl_run_id = ${summary.runId}`)).toBe(5);
    const run = (
      await db.query<{ status: string; pages: number; listings: number; crawler_version: string }>(
        `SELECT * FROM crawl_runs WHERE id = $1`,
        [summary.runId],
      )
    ).rows[0]!;
    expect(run).toMatchObject({ status: 'completed', pages: 7, listings: 5 });
    expect(run.crawler_version).toMatch(/^counterfeit-radar\/\d+\.\d+\.\d+\+runner\./);
    expect(progress.at(-1)).toBe(7);
  });

  it('honours Retry-After on 429 and retries 5xx with backoff', async () => {
    const times: number[] = [];
    behaviour['/item/2'] = (_req, res, hits) => {
      times.push(Date.now());
      if (hits === 1) return json(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
      json(res, 200, { id: '2', shop: 's0', price: 200_000 });
    };
    behaviour['/item/3'] = (_req, res, hits) => (hits < 3 ? json(res, 503, {}) : json(res, 200, { id: '3', shop: 's1', price: 300_000 }));
    const summary = await crawl();
    expect(summary).toMatchObject({ status: 'completed', listings: 5, errors: 0 });
    expect(server.hits.get('/item/2')).toBe(2);
    expect(server.hits.get('/item/3')).toBe(3);
    // The retry came no sooner than the server asked (a lower bound on behaviour, not a speed claim).
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('ends with status blocked and a clear message when every request is blocked', async () => {
    behaviour['/search'] = (_req, res) => json(res, 200, { blocked: true });
    const summary = await crawl({ blockStreakLimit: 50 });
    expect(summary.status).toBe('blocked');
    expect(summary.blocked).toBeGreaterThan(0);
    expect(summary.pages).toBe(0);
    expect(summary.message).toMatch(/blocked the crawl.*no page got through.*toy block page/);
    const run = (await db.query<{ status: string; blocked: number; message: string }>(`SELECT status, blocked, message FROM crawl_runs`))
      .rows[0]!;
    expect(run.status).toBe('blocked');
    expect(run.blocked).toBe(summary.blocked);
  });

  it('stops early once blocks run past the streak limit', async () => {
    behaviour['/search'] = (_req, res, hits) => (hits === 1 ? catalogue(res, 1) : json(res, 200, { blocked: true }));
    for (const id of ['1', '2', '3']) behaviour[`/item/${id}`] = (_req, res) => json(res, 200, { blocked: true });
    const summary = await crawl({ blockStreakLimit: 3, concurrency: 1 });
    expect(summary.status).toBe('blocked');
    expect(summary.message).toMatch(/in a row after 1 good page/);
    const itemHits = ['1', '2', '3'].reduce((sum, id) => sum + (server.hits.get(`/item/${id}`) ?? 0), 0);
    expect(itemHits).toBeLessThan(9);
  });

  it('marks removed only what a page said was removed, never on a block or an error', async () => {
    const first = await crawl();
    expect(first.listings).toBe(5);
    behaviour['/item/1'] = (_req, res) => json(res, 200, { removed: true });
    behaviour['/item/2'] = (_req, res) => json(res, 200, { blocked: true });
    behaviour['/item/3'] = (_req, res) => json(res, 500, {});
    behaviour['/item/4'] = (_req, res) => res.end('{"trunc');
    const second = await crawl({ maxRetries: 1 });
    expect(second.removed).toBe(1);
    const statuses = Object.fromEntries(
      (await db.query<{ external_id: string; status: string }>(`SELECT external_id, status FROM listings`)).rows.map((row) => [
        row.external_id,
        row.status,
      ]),
    );
    expect(statuses).toEqual({ '1': 'removed', '2': 'active', '3': 'active', '4': 'active', '5': 'active' });
    expect(second.errors).toBe(2);
    expect(second.blocked).toBeGreaterThan(0);
  });

  it('a re-run neither drops nor duplicates: one row per listing, one observation per listing per run', async () => {
    const a = await crawl();
    const b = await crawl();
    expect(b.listings).toBe(a.listings);
    expect(await count(`SELECT count(*)::int AS n FROM listings`)).toBe(5);
    expect(await count(`SELECT count(*)::int AS n FROM shops`)).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM listing_observations`)).toBe(10);
    // A crashed queue job replayed under the same run adds nothing.
    const requests: CrawlRequest[] = ['1', '2'].map((id) => ({ url: `${server.url}/item/${id}`, kind: 'listing' }));
    const deps = testDeps(db);
    for (let i = 0; i < 2; i += 1) {
      await processRequests(
        requests,
        { adapter: toyAdapter(), runId: b.runId, onDiscovered: () => undefined, allowHosts: [server.host], ...fast },
        deps,
      );
    }
    expect(await count(`SELECT count(*)::int AS n FROM listing_observations`)).toBe(10);
  });

  it('processRequests hands discoveries to the callback instead of fetching them', async () => {
    const deps = testDeps(db);
    const runId = await startCrawlRun(db, { adapter: 'toy', marketplace: 'tiki', mode: 'query', target: 'giày', crawlerVersion: 'test' });
    const discovered: CrawlRequest[] = [];
    const result = await processRequests(
      toyAdapter().startRequests({ mode: 'query', query: 'giày' }, { baseUrl: server.url, maxPages: 2 }),
      { adapter: toyAdapter(), runId, onDiscovered: (requests) => void discovered.push(...requests), allowHosts: [server.host], ...fast },
      deps,
    );
    expect(result.pages).toBe(1);
    expect(discovered.map((request) => request.kind).sort()).toEqual(['listing', 'listing', 'listing', 'search']);
    expect(server.hits.get('/item/1')).toBeUndefined();
    expect(await count(`SELECT pages AS n FROM crawl_runs WHERE id = ${runId}`)).toBe(1);
  });

  it('obeys robots.txt and refuses redirects to hosts that are not allowlisted', async () => {
    behaviour['/search'] = (_req, res) => json(res, 200, { items: [{ id: '1' }, { id: '2' }], next: false });
    behaviour['/item/1'] = (_req, res) =>
      void res.writeHead(302, { location: `http://127.0.0.2:${new URL(server.url).port}/item/1` }).end();
    behaviour['/robots.txt'] = (_req, res) => void res.writeHead(200).end('User-agent: *\nDisallow: /item/2\n');
    const summary = await crawl();
    expect(summary.listings).toBe(0);
    expect(server.hits.get('/item/2')).toBeUndefined();
    const stats = (await db.query<{ stats: { robotsSkipped: number; ssrfRefused: number } }>(`SELECT stats FROM crawl_runs`)).rows[0]!
      .stats;
    expect(stats).toMatchObject({ robotsSkipped: 1, ssrfRefused: 1 });
  });

  const productPage = (res: Parameters<Route>[1]) =>
    void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      '<!doctype html><html><head><title>Giày</title><script type="application/ld+json">' +
        JSON.stringify({
          '@context': 'https://schema.org',
          '@type': 'Product',
          name: 'Giày thể thao',
          sku: 'p1',
          offers: { '@type': 'Offer', price: 450000, priceCurrency: 'VND' },
        }) +
        '</script></head><body><h1>Giày thể thao</h1></body></html>',
    );

  // Issue 16: `radar crawl --url U` without --base-url read robots.txt from the adapter's empty
  // base URL, failed, and crawled on as if there were no rules. Failed on the old engine: 1 listing, /p/1 fetched.
  it('obeys robots.txt on a crawl started from a URL without a base URL', async () => {
    behaviour['/robots.txt'] = (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /\n');
    behaviour['/p/1'] = (_req, res) => productPage(res);
    const deps = testDeps(db, { allowHosts: [server.host] });
    const crawlUrl = (respectRobots: boolean) =>
      runCrawl(
        { adapter: getAdapter('schemaorg'), target: { mode: 'url', url: `${server.url}/p/1` }, maxPages: 1, ...fast, respectRobots },
        deps,
      );
    const obeyed = await crawlUrl(true);
    expect(obeyed).toMatchObject({ status: 'completed', pages: 0, listings: 0 });
    expect(obeyed.message).toMatch(/robots\.txt disallows every start URL/);
    expect(server.hits.get('/p/1')).toBeUndefined();
    expect(server.hits.get('/robots.txt')).toBe(1);
    // The same page is crawlable when robots.txt is ignored on purpose: the refusal above is robots.txt's.
    const ignored = await crawlUrl(false);
    expect(ignored).toMatchObject({ status: 'completed', pages: 1, listings: 1 });
  });

  it('fetches nothing from an origin whose robots.txt is unreachable (RFC 9309), and says so', async () => {
    behaviour['/robots.txt'] = (_req, res) => json(res, 503, {});
    const summary = await crawl();
    expect(summary).toMatchObject({ status: 'completed', pages: 0, listings: 0 });
    expect(summary.message).toMatch(
      /robots\.txt could not be read, and RFC 9309 treats an unreachable robots\.txt as disallowing everything/,
    );
    expect([...server.hits.keys()].filter((key) => key !== '/robots.txt')).toEqual([]);
    const stats = (await db.query<{ stats: { robotsSkipped: number; robotsUnreachable: string[] } }>(`SELECT stats FROM crawl_runs`))
      .rows[0]!.stats;
    expect(stats).toMatchObject({ robotsSkipped: 1, robotsUnreachable: [`${server.url}/robots.txt`] });
  });

  it('crawls everything when robots.txt answers 404 (RFC 9309: no rules)', async () => {
    behaviour['/robots.txt'] = (_req, res) => json(res, 404, {});
    const summary = await crawl();
    expect(summary).toMatchObject({ status: 'completed', pages: 7, listings: 5 });
    expect(server.hits.get('/robots.txt')).toBe(1);
  });

  it('records evidence with hashes, both time zones and the crawler version', async () => {
    // Evidence is a browser capture that refuses near-empty pages, so each item says enough to be read.
    for (const id of ['1', '2', '3']) {
      behaviour[`/item/${id}`] = (_req, res) =>
        json(res, 200, {
          id,
          shop: `s${Number(id) % 2}`,
          price: 100_000 * Number(id),
          description: `Giày thể thao số ${id}, hàng chính hãng, đủ size 38–44. `.repeat(4),
        });
    }
    const deps = testDeps(db);
    const summary = await runCrawl(
      {
        adapter: toyAdapter(),
        target: { mode: 'query', query: 'giày' },
        maxPages: 1,
        baseUrl: server.url,
        allowHosts: [server.host],
        evidence: true,
        ...fast,
      },
      deps,
    );
    expect(summary.listings).toBe(3);
    const rows = (
      await db.query<{
        listing_id: number | null;
        captured_at_local: string;
        crawler_version: string;
        files: { kind: string; path: string; sha256: string; bytes: number }[];
      }>(`SELECT listing_id, captured_at_local, crawler_version, files FROM evidence`)
    ).rows;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.listing_id).not.toBeNull();
      expect(row.captured_at_local).toMatch(/\+07:00$/);
      const raw = row.files.find((file) => file.kind === 'raw')!;
      const content = readFileSync(path.join(evidenceDir(deps.config.dataDir), raw.path));
      expect(sha256(content)).toBe(raw.sha256);
      expect(content.length).toBe(raw.bytes);
      // One browser load even in plain-HTTP mode: a screenshot and a web archive beside the raw page.
      expect(row.files.map((file) => file.kind)).toEqual(expect.arrayContaining(['screenshot', 'wacz']));
    }
  });
});
