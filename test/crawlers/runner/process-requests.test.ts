// processRequests on the direct path (queue jobs): same retry, Retry-After, block and session
// semantics as the crawlee path, with per-process caches that really are reused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError } from 'crawlee';
import { processRequests } from '../../../crawlers/runner/process-requests.ts';
import { createRunnerResources, type RunnerResources, type RunnerSession } from '../../../crawlers/runner/resources.ts';
import { BlockedPageError } from '../../../crawlers/runner/errors.ts';
import { canRetry } from '../../../crawlers/runner/direct.ts';
import { startCrawlRun } from '../../../src/core/db/stores/crawl-runs.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import type { CrawlRequest } from '../../../crawlers/adapter.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { testDeps } from './deps.ts';
import { json, startToyServer, toyAdapter, type Route, type ToyServer } from './toy.ts';

let behaviour: Record<string, Route> = {};
const route: Route = (req, res, hits) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const special = behaviour[url.pathname];
  if (special) return special(req, res, hits);
  if (url.pathname === '/robots.txt')
    return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n');
  const item = /^\/item\/(\w+)$/.exec(url.pathname);
  if (item) return json(res, 200, { id: item[1], shop: `s${Number(item[1]) % 2}`, price: 100_000 * Number(item[1]) });
  json(res, 404, { error: 'not found' });
};

let db: Db;
let server: ToyServer;
let resources: RunnerResources;
let runId: number;
let clock = 0;

beforeAll(async () => {
  db = await PgliteDb.open();
  await migrate(db);
  server = await startToyServer(route);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});
beforeEach(async () => {
  behaviour = {};
  server.hits.clear();
  clock = 1_000_000;
  resources = createRunnerResources({ now: () => clock, robotsTtlMs: 60_000, robotsFailureTtlMs: 5_000 });
  await db.exec('TRUNCATE evidence, listing_observations, listings, shops, crawl_runs RESTART IDENTITY CASCADE');
  runId = await startCrawlRun(db, { adapter: 'toy', marketplace: 'tiki', mode: 'url', target: 'test', crawlerVersion: 'test' });
});

const items = (...ids: string[]): CrawlRequest[] =>
  ids.map((id) => ({ url: `${server.url}/item/${id}`, kind: 'listing', uniqueKey: `toy:${id}` }));
const run = (requests: CrawlRequest[], extra: Record<string, unknown> = {}) =>
  processRequests(
    requests,
    {
      adapter: toyAdapter(),
      runId,
      onDiscovered: () => undefined,
      baseUrl: server.url,
      allowHosts: [server.host],
      requestsPerMinute: 0,
      maxRetries: 2,
      retryBaseMs: 20,
      resources,
      ...extra,
    },
    testDeps(db),
  );

describe('processRequests (direct path)', () => {
  it('stores one job’s listing and adds its counters to the run', async () => {
    const result = await run(items('1'));
    expect(result).toMatchObject({ pages: 1, listings: 1, shops: 1, errors: 0, blockedOut: false, blockedRequests: 0 });
    const row = (await db.query<{ pages: number; listings: number }>(`SELECT pages, listings FROM crawl_runs WHERE id = $1`, [runId]))
      .rows[0]!;
    expect(row).toMatchObject({ pages: 1, listings: 1 });
  });

  it('honours Retry-After on 429, retries 5xx with backoff and gives up after maxRetries', async () => {
    const times: number[] = [];
    behaviour['/item/2'] = (_req, res, hits) => {
      times.push(Date.now());
      return hits === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, { id: '2', shop: 's0', price: 200_000 });
    };
    behaviour['/item/3'] = (_req, res, hits) => (hits < 3 ? json(res, 503, {}) : json(res, 200, { id: '3', shop: 's1', price: 300_000 }));
    behaviour['/item/4'] = (_req, res) => json(res, 500, {});
    const result = await run(items('2', '3', '4'), { concurrency: 3 });
    expect(result).toMatchObject({ pages: 2, listings: 2, errors: 1, retries: 1 + 2 + 2 });
    expect(server.hits.get('/item/2')).toBe(2);
    expect(server.hits.get('/item/3')).toBe(3);
    // First attempt plus maxRetries, then the request counts as an error.
    expect(server.hits.get('/item/4')).toBe(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('retires the session on a block page and tries a fresh one, then reports the request blocked', async () => {
    const retired: string[] = [];
    const used: string[] = [];
    const session = resources.session.bind(resources);
    resources.session = (size: number): RunnerSession => {
      const inner = session(size);
      used.push(inner.id);
      return { id: inner.id, retire: () => (retired.push(inner.id), inner.retire()) };
    };
    behaviour['/item/5'] = (_req, res, hits) =>
      hits < 2 ? json(res, 200, { blocked: true }) : json(res, 200, { id: '5', shop: 's1', price: 1 });
    behaviour['/item/6'] = (_req, res) => json(res, 200, { blocked: true });
    const result = await run(items('5', '6'), { concurrency: 1, maxSessionRotations: 2, maxRetries: 5, blockStreakLimit: 50 });
    expect(server.hits.get('/item/5')).toBe(2);
    // A block is retried on a fresh session only maxSessionRotations times.
    expect(server.hits.get('/item/6')).toBe(3);
    expect(result).toMatchObject({ pages: 1, blocked: 4, blockedRequests: 1, errors: 0, lastBlockReason: 'toy block page' });
    // Every blocked attempt retired its session (the engine and the retry loop may both say so).
    expect(new Set(retired).size).toBe(4);
    // A retired session is never handed out again.
    for (const id of retired) expect(used.slice(used.indexOf(id) + 1)).not.toContain(id);
  });

  it('stops the job as blocked out once blocks run past the streak limit', async () => {
    behaviour['/item/7'] = (_req, res) => json(res, 200, { blocked: true });
    behaviour['/item/8'] = (_req, res) => json(res, 200, { blocked: true });
    behaviour['/item/9'] = (_req, res) => json(res, 200, { blocked: true });
    const result = await run(items('7', '8', '9'), { concurrency: 1, blockStreakLimit: 2, maxSessionRotations: 5, maxRetries: 5 });
    expect(result.blockedOut).toBe(true);
    expect(server.hits.get('/item/7')).toBe(2);
    expect(server.hits.has('/item/8')).toBe(false);
  });

  it('skips what robots.txt disallows and reads robots.txt once per TTL across jobs', async () => {
    await run(items('1'));
    await run(items('2'));
    const skipped = await run([{ url: `${server.url}/private/1`, kind: 'listing' }]);
    expect(skipped).toMatchObject({ pages: 0, robotsSkipped: 1 });
    expect(server.hits.get('/robots.txt')).toBe(1);
    clock += 60_001;
    await run(items('3'));
    expect(server.hits.get('/robots.txt')).toBe(2);
  });

  it('disallows everything while robots.txt is unreachable (RFC 9309) and asks again after the short failure TTL', async () => {
    behaviour['/robots.txt'] = (_req, res) => json(res, 500, {});
    const first = await run(items('1'));
    expect(first).toMatchObject({ pages: 0, robotsSkipped: 1 });
    expect(server.hits.has('/item/1')).toBe(false);
    const robotsHits = server.hits.get('/robots.txt')!;
    await run(items('2'));
    expect(server.hits.get('/robots.txt')).toBe(robotsHits);
    behaviour['/robots.txt'] = (_req, res) => json(res, 404, {});
    clock += 5_001;
    const later = await run(items('3'));
    expect(server.hits.get('/robots.txt')).toBeGreaterThan(robotsHits);
    // A 4xx robots.txt means no rules.
    expect(later).toMatchObject({ pages: 1, robotsSkipped: 0 });
  });

  it('fetches nothing when the job is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await run(items('1'), { signal: controller.signal });
    expect(result.pages).toBe(0);
    expect(server.hits.has('/item/1')).toBe(false);
  });

  it('hands discoveries to the callback', async () => {
    behaviour['/search'] = (_req, res) => json(res, 200, { items: [{ id: '1' }, { id: '2' }], next: false });
    const found: CrawlRequest[] = [];
    const result = await processRequests(
      [{ url: `${server.url}/search?q=x&page=1`, kind: 'search', page: 1, maxPages: 1 }],
      {
        adapter: toyAdapter(),
        runId,
        onDiscovered: (next) => void found.push(...next),
        baseUrl: server.url,
        allowHosts: [server.host],
        requestsPerMinute: 0,
        resources,
      },
      testDeps(db),
    );
    expect(result.pages).toBe(1);
    expect(found.map((r) => r.uniqueKey)).toEqual(['toy:1', 'toy:2']);
    expect(server.hits.has('/item/1')).toBe(false);
  });
});

describe('runner resources', () => {
  it('share one fetcher per allowlist and one proxy configuration per proxy list', () => {
    expect(resources.fetcher(['a:1', 'b:2'])).toBe(resources.fetcher(['b:2', 'a:1']));
    expect(resources.fetcher(['a:1'])).not.toBe(resources.fetcher(['b:2']));
    expect(resources.proxies([])).toBeUndefined();
    expect(resources.proxies(['http://p:1'])).toBe(resources.proxies(['http://p:1']));
  });
});

describe('canRetry (crawlee’s rule)', () => {
  const policy = { maxRetries: 3, maxSessionRotations: 2 };
  it('follows retries, session rotations and non-retryable errors', () => {
    expect(canRetry(new Error('reset'), 0, 0, policy)).toBe(true);
    expect(canRetry(new Error('reset'), 3, 0, policy)).toBe(false);
    expect(canRetry(new NonRetryableError('too large'), 0, 0, policy)).toBe(false);
    expect(canRetry(new BlockedPageError('gate'), 1, 1, policy)).toBe(true);
    expect(canRetry(new BlockedPageError('gate'), 2, 2, policy)).toBe(false);
  });
});
