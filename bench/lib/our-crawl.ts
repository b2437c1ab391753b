import type { CrawlTarget, MarketplaceAdapter } from '../../crawlers/adapter.ts';
import { runCrawl } from '../../crawlers/runner/index.ts';
import { ConfigSchema } from '../../src/core/config/schema.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { createLogger } from '../../src/core/log/logger.ts';
import { stopwatch, type Trial } from './measure.ts';
import { createScratchDatabase } from './postgres.ts';

export interface OurCrawlOptions {
  adapter: MarketplaceAdapter;
  target: CrawlTarget;
  baseUrl: string;
  maxPages: number;
  postgresAdminUrl: string;
  chromiumPath: string;
  /** Parallel requests; default: the runner's own default for the adapter kind. */
  concurrency?: number;
  /** Called with each page the runner hands to the adapter (to list the pages a baseline must visit). */
  onPage?: (url: string) => void;
}

/**
 * Our full path: `runCrawl` (fetch, parse, batched upserts) into a fresh scratch database on the
 * local Postgres, no request-rate limit (loopback), robots.txt obeyed as in production.
 */
export async function ourCrawl(options: OurCrawlOptions): Promise<Trial & { listings: number }> {
  const scratch = await createScratchDatabase(options.postgresAdminUrl, 'crawl');
  const db = await new PostgresDb(scratch.url).connect();
  try {
    await migrate(db);
    const config = ConfigSchema.parse({ chromiumPath: options.chromiumPath, logLevel: 'error' });
    const log = createLogger({ level: 'error', pretty: false });
    const host = new URL(options.baseUrl).host;
    const onPage = options.onPage;
    const adapter = onPage
      ? {
          ...options.adapter,
          parse: (page: Parameters<typeof options.adapter.parse>[0], request: Parameters<typeof options.adapter.parse>[1]) => {
            onPage(request.url);
            return options.adapter.parse(page, request);
          },
        }
      : options.adapter;
    const elapsed = stopwatch();
    const summary = await runCrawl(
      {
        adapter,
        target: options.target,
        maxPages: options.maxPages,
        baseUrl: options.baseUrl,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        requestsPerMinute: 0,
        allowHosts: [host],
      },
      { db, config, log },
    );
    const seconds = elapsed();
    if (summary.status !== 'completed' || summary.pages === 0) {
      throw new Error(`runCrawl ended ${summary.status} after ${summary.pages} pages${summary.message ? `: ${summary.message}` : ''}`);
    }
    return { count: summary.pages, seconds, listings: summary.listings };
  } finally {
    await db.close();
    await scratch.drop();
  }
}
