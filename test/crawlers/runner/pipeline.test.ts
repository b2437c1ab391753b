// The per-request steps in order: robots.txt → SSRF guard → rate limit → fetch → redirect guard →
// parse and block check → sink → discovery, each refusal counted once and nothing fetched after it.
import { describe, expect, it } from 'vitest';
import { emptyResult, type CrawlRequest, type FetchedPage, type ParseResult } from '../../../crawlers/adapter.ts';
import { CrawlState } from '../../../crawlers/runner/crawl-state.ts';
import { BlockedPageError, PageParseError } from '../../../crawlers/runner/errors.ts';
import { createPipeline } from '../../../crawlers/runner/pipeline.ts';
import { robotsFromContent, RobotsPolicy } from '../../../crawlers/runner/robots.ts';
import { SsrfError } from '../../../crawlers/runner/ssrf.ts';
import type { Transport } from '../../../crawlers/runner/transport.ts';

const quiet = { debug: () => undefined, warn: () => undefined };

function setup(options: { landOn?: (url: string) => string; parse?: (page: FetchedPage) => ParseResult; throwOnFetch?: Error } = {}) {
  const calls: string[] = [];
  const state = new CrawlState({ blockStreakLimit: 3, removed: () => 0, log: quiet });
  const stored: ParseResult[] = [];
  const discovered: CrawlRequest[] = [];
  const robots = new RobotsPolicy({
    baseUrl: 'http://shop.test',
    load: async (url) => (calls.push(`robots ${url}`), robotsFromContent(url, 'User-agent: *\nDisallow: /private\n')),
  });
  const pipeline = createPipeline({
    adapter: {
      name: 'fake',
      parse: options.parse ?? (() => ({ ...emptyResult(), requests: [{ url: 'http://shop.test/next', kind: 'search' }] })),
    },
    robots,
    guard: { allows: (url) => (calls.push(`guard ${String(url)}`), !String(url).startsWith('http://evil.test')) },
    limiter: { reserve: (host) => (calls.push(`rate ${host}`), 0) },
    sink: { add: async (result) => void stored.push(result) },
    evidence: null,
    state,
    discover: (requests) => void discovered.push(...requests),
  });
  const transport: Transport = {
    async attempt(attempt, handle) {
      calls.push(`fetch ${attempt.request.url}`);
      if (options.throwOnFetch) throw options.throwOnFetch;
      const url = options.landOn?.(attempt.request.url) ?? attempt.request.url;
      await handle(attempt, { page: { url, status: 200, contentType: 'text/html', body: '<html></html>' } });
    },
    close: async () => undefined,
  };
  const run = (url: string) => pipeline.run({ url, kind: 'search' }, { id: 's', retire: () => void calls.push('retire') }, 0, transport);
  return { calls, state, stored, discovered, run };
}

describe('createPipeline', () => {
  it('runs robots.txt, the guard and the rate limit before the fetch, then stores and discovers', async () => {
    const { calls, state, stored, discovered, run } = setup();
    await run('http://shop.test/a');
    await run('http://shop.test/b');
    expect(calls).toEqual([
      'robots http://shop.test/robots.txt',
      'guard http://shop.test/a',
      'rate shop.test',
      'fetch http://shop.test/a',
      // robots.txt is read once per origin
      'guard http://shop.test/b',
      'rate shop.test',
      'fetch http://shop.test/b',
    ]);
    expect(stored).toHaveLength(2);
    expect(discovered.map((request) => request.url)).toEqual(['http://shop.test/next', 'http://shop.test/next']);
    expect(state.stats.pages).toBe(2);
  });

  it('stops at the first refusal and counts it once', async () => {
    const { calls, state, run } = setup();
    await run('http://shop.test/private/1');
    await run('http://evil.test/x');
    expect(calls.filter((call) => call.startsWith('fetch'))).toEqual([]);
    // Disallowed by robots.txt: the guard is not even asked.
    expect(calls).not.toContain('guard http://shop.test/private/1');
    expect(state.stats).toMatchObject({ robotsSkipped: 1, ssrfRefused: 1, pages: 0 });
  });

  it('parses nothing from a redirect that landed on a refused host, or when the fetcher refused a hop', async () => {
    const landed = setup({ landOn: () => 'http://evil.test/landing' });
    await landed.run('http://shop.test/a');
    expect(landed.stored).toEqual([]);
    expect(landed.state.stats).toMatchObject({ ssrfRefused: 1, pages: 0 });
    const hop = setup({ throwOnFetch: new SsrfError('http://10.0.0.1/', 'private address') });
    await hop.run('http://shop.test/a');
    expect(hop.state.stats).toMatchObject({ ssrfRefused: 1, pages: 0 });
  });

  it('retires the session on a block and asks for a retry; an unreadable page asks for one too', async () => {
    const blocked = setup({ parse: () => ({ outcome: 'blocked', reason: 'captcha' }) });
    await expect(blocked.run('http://shop.test/a')).rejects.toBeInstanceOf(BlockedPageError);
    expect(blocked.calls).toContain('retire');
    expect(blocked.state.stats.blocked).toBe(1);
    const broken = setup({ parse: () => ({ outcome: 'error', message: 'truncated' }) });
    await expect(broken.run('http://shop.test/a')).rejects.toBeInstanceOf(PageParseError);
    // Three blocks in a row end the crawl instead of asking for another retry.
    await expect(blocked.run('http://shop.test/b')).rejects.toBeInstanceOf(BlockedPageError);
    await blocked.run('http://shop.test/c');
    expect(blocked.state).toMatchObject({ stopReason: 'blocked', stopped: true });
  });
});
