import { isIP } from 'node:net';
import type { Command } from 'commander';
import type { CrawlTarget, MarketplaceAdapter } from '../../../../crawlers/adapter.ts';
import { printJson, withDb } from '../context.ts';
import { UserError } from '../../../core/errors.ts';
import { wholeNumber } from '../options.ts';

/** `radar crawl` flags, as commander parses them. */
export interface CrawlCommandOptions {
  adapter: string;
  /** Keyword search; exactly one of `query`, `category`, `shop` and `url` is given. */
  query?: string;
  /** Category id or slug; exactly one of `query`, `category`, `shop` and `url` is given. */
  category?: string;
  /** One shop's listings; exactly one of `query`, `category`, `shop` and `url` is given. */
  shop?: string;
  /** Start from this http(s) URL; exactly one of `query`, `category`, `shop` and `url` is given. */
  url?: string;
  /** Result pages to follow per target (commander applies 3). */
  maxPages: number;
  /**
   * Override the adapter's base URL (a sandbox skin); a loopback host is also allowlisted for the SSRF guard.
   * @default config.adapters[name].baseUrl, else the adapter's real host
   */
  baseUrl?: string;
  /** Save raw pages (and screenshots in a browser) with SHA-256 hashes. Without it, no evidence is saved. */
  evidence?: boolean;
  /** Site file for the `selectors` adapter, which refuses to run without one. */
  site?: string;
  /** Parallel requests. @default 8 over HTTP, 2 pages in a browser */
  concurrency?: number;
  /**
   * Per-domain rate limit; 0 = unlimited. Lifted for a loopback `baseUrl` because the limit protects other people's servers.
   * @default config.adapters[name].requestsPerMinute, else 120; unlimited for a loopback `baseUrl`
   */
  requestsPerMinute?: number;
  /** Obey robots.txt; `--no-robots` sets it false (commander's default is true). */
  robots: boolean;
  /** Print the summary as JSON. Without it, one line of text. */
  json?: boolean;
}

const HELP = `
Crawls one target in-process (no Redis needed), stores shops, listings and their price
observations, and records the run in crawl_runs. Progress goes to stderr once a second;
the summary goes to stdout (JSON with --json). Exit code 3 means the marketplace blocked the crawl.

Politeness: robots.txt is obeyed (--no-robots to ignore it on sites you own), requests are
rate-limited per domain, retried with backoff, and 429 Retry-After is honoured.

--base-url pointing at a loopback host (127.0.0.1, ::1, localhost) allowlists that host:port for
the SSRF guard, because that is how the local sandbox is crawled, and (unless you pass
--requests-per-minute) lifts the rate limit, which exists to protect other people's servers.
Other private addresses are refused unless listed in RADAR_ALLOW_HOSTS.

Examples:
  $ radar crawl --adapter tiki --query "giày nike" --max-pages 3
  $ radar crawl --adapter shopee --category cosmetics --evidence
  $ radar crawl --adapter lazada --shop 200003 --json | jq .listings
  $ radar crawl --adapter selectors --site ./my-shop.yaml --url https://shop.example.vn/
  $ radar sandbox serve --port 4100 &   # then, against its skins:
  $ radar crawl --adapter tiki --query son --base-url http://127.0.0.1:4100/tiki`;

/** The single crawl target the flags name; exactly one of --query, --category, --shop, --url. */
export function targetFromOptions(options: Pick<CrawlCommandOptions, 'query' | 'category' | 'shop' | 'url'>): CrawlTarget {
  const given = (['query', 'category', 'shop', 'url'] as const).filter((key) => options[key] !== undefined);
  if (given.length !== 1) {
    throw new UserError(
      given.length === 0
        ? 'say what to crawl: one of --query Q, --category C, --shop ID or --url U'
        : `give only one target, not ${given.map((key) => `--${key}`).join(' and ')}`,
    );
  }
  if (options.query !== undefined) return { mode: 'query', query: nonEmpty('--query', options.query) };
  if (options.category !== undefined) return { mode: 'category', category: nonEmpty('--category', options.category) };
  if (options.shop !== undefined) return { mode: 'shop', shopId: nonEmpty('--shop', options.shop) };
  const url = nonEmpty('--url', options.url ?? '');
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw new UserError(`--url must be an http(s) URL, got "${url}"`);
  return { mode: 'url', url };
}

function nonEmpty(flag: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new UserError(`${flag} is empty; give a value`);
  return trimmed;
}

/** `host:port` of a loopback --base-url, which the SSRF guard then lets through; null otherwise. */
export function loopbackAllowHost(baseUrl: string): string | null {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback =
    host === 'localhost' ||
    (isIP(host) === 4 && host.startsWith('127.')) ||
    (isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1'));
  if (!loopback) return null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Adapters load lazily so `radar --help` stays instant; unknown names become a one-line UserError there. */
async function loadAdapter(name: string, siteFile: string | undefined): Promise<MarketplaceAdapter> {
  const { getAdapter } = await import('../../../../crawlers/adapters/index.ts');
  return getAdapter(name, siteFile === undefined ? {} : { siteFile });
}

export function register(program: Command): void {
  program
    .command('crawl')
    .description('crawl a marketplace or web shop for a query, category, shop or URL and store what it finds')
    .requiredOption('--adapter <name>', 'shopee | lazada | tiki | sendo | tiktok | schemaorg | selectors')
    .option('--query <q>', 'keyword search')
    .option('--category <c>', 'category id or slug')
    .option('--shop <id>', "one shop's listings")
    .option('--url <u>', 'start from this URL')
    .option('--max-pages <n>', 'result pages to follow per target', wholeNumber('--max-pages'), 3)
    .option('--base-url <url>', "override the adapter's base URL (e.g. a sandbox skin); a loopback host is allowlisted")
    .option(
      '--evidence',
      'capture each listing and shop page as evidence in Chromium (status, screenshot, raw and rendered page, WACZ), with SHA-256 hashes',
    )
    .option('--site <file>', 'site file (JSON or YAML) for the selectors adapter')
    .option('--concurrency <n>', 'parallel requests (default 8; 2 browser pages)', wholeNumber('--concurrency'))
    .option(
      '--requests-per-minute <n>',
      'per-domain rate limit (default 120, unlimited for a loopback --base-url; 0 = unlimited)',
      wholeNumber('--requests-per-minute', { min: 0, meaning: '0 = unlimited' }),
    )
    .option('--no-robots', 'ignore robots.txt (only for sites you own or have permission to crawl)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', HELP)
    .action(async (options: CrawlCommandOptions) => {
      const target = targetFromOptions(options);
      let allowHosts: string[] = [];
      if (options.baseUrl !== undefined) {
        if (!/^https?:\/\//i.test(options.baseUrl) || !URL.canParse(options.baseUrl)) {
          throw new UserError(`--base-url must be an http(s) URL like http://127.0.0.1:4100/tiki, got "${options.baseUrl}"`);
        }
        const loopback = loopbackAllowHost(options.baseUrl);
        if (loopback) allowHosts = [loopback];
      }
      const adapter = await loadAdapter(options.adapter, options.site);
      const { runCrawl } = await import('../../../../crawlers/runner/run-crawl.ts');
      const { formatProgress } = await import('../../../../crawlers/runner/stats.ts');
      const controller = new AbortController();
      const onSigint = () => {
        process.stderr.write('\nstopping: finishing the pages in flight (Ctrl-C again to force)…\n');
        controller.abort();
        process.off('SIGINT', onSigint);
      };
      process.on('SIGINT', onSigint);
      try {
        const summary = await withDb((db, ctx) =>
          runCrawl(
            {
              adapter,
              target,
              maxPages: options.maxPages,
              baseUrl: options.baseUrl,
              evidence: options.evidence ?? false,
              concurrency: options.concurrency,
              requestsPerMinute: options.requestsPerMinute ?? (allowHosts.length > 0 ? 0 : undefined),
              respectRobots: options.robots,
              allowHosts,
              signal: controller.signal,
              onProgress: (stats) => process.stderr.write(`${adapter.name}: ${formatProgress(stats)}\n`),
            },
            { db, config: ctx.config, log: ctx.log },
          ),
        );
        if (options.json) printJson(summary);
        else {
          process.stdout.write(
            `crawl run ${summary.runId} ${summary.status}: ${summary.pages} pages, ${summary.listings} listings, ${summary.shops} shops, ` +
              `${summary.blocked} blocked, ${summary.errors} errors, ${summary.removed} removed, ${summary.rejected} rejected in ${(summary.durationMs / 1000).toFixed(1)} s\n`,
          );
        }
        if (summary.message) process.stderr.write(`${summary.message}\n`);
        if (summary.status === 'blocked') process.exitCode = 3;
        else if (summary.status === 'failed') process.exitCode = 1;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
