/**
 * The crawling worker of the memory suite, in its own process so only the crawler's memory counts:
 * `node --import tsx bench/memory-child.ts CONFIG_JSON`. Crawls the sandbox with `runCrawl` (the
 * HTTP/cheerio path) target after target until `pages` pages are done, sampling RSS, and sends
 * `{ samples, peakRssBytes, pages }` to its parent over IPC.
 */
import type { CrawlTarget } from '../crawlers/adapter.ts';
import { runCrawl } from '../crawlers/runner/index.ts';
import { ConfigSchema } from '../src/core/config/schema.ts';
import { PostgresDb } from '../src/core/db/postgres.ts';
import { createLogger } from '../src/core/log/logger.ts';
import { loadAdapter } from './lib/repo.ts';

export interface MemoryChildConfig {
  sandboxUrl: string;
  databaseUrl: string;
  pages: number;
  categories: string[];
  skins: { skin: string; adapter: string }[];
}

export interface MemorySample {
  pages: number;
  rss: number;
}

export type MemoryChildMessage =
  { type: 'result'; samples: MemorySample[]; peakRssBytes: number; pages: number; passes: number } | { type: 'error'; message: string };

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as MemoryChildConfig;
  const db = await new PostgresDb(config.databaseUrl).connect();
  const radarConfig = ConfigSchema.parse({ logLevel: 'error' });
  const log = createLogger({ level: 'error', pretty: false });
  const host = new URL(config.sandboxUrl).host;
  const adapters = await Promise.all(config.skins.map(async (entry) => ({ ...entry, adapter: await loadAdapter(entry.adapter) })));

  let done = 0;
  let current = 0;
  const samples: MemorySample[] = [];
  let peak = 0;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    samples.push({ pages: done + current, rss });
  };
  const timer = setInterval(sample, 250);
  let passes = 0;
  try {
    outer: for (;;) {
      passes++;
      for (const { skin, adapter } of adapters) {
        for (const category of config.categories) {
          const controller = new AbortController();
          const target: CrawlTarget = { mode: 'category', category };
          current = 0;
          const summary = await runCrawl(
            {
              adapter,
              target,
              maxPages: 100_000,
              baseUrl: `${config.sandboxUrl}/${skin}`,
              requestsPerMinute: 0,
              allowHosts: [host],
              signal: controller.signal,
              onProgress: (stats) => {
                current = stats.pages;
                if (done + current >= config.pages) controller.abort();
              },
            },
            { db, config: radarConfig, log },
          );
          done += summary.pages;
          current = 0;
          process.stderr.write(
            `[memory] ${skin}/${category}: ${summary.pages} pages, ${done}/${config.pages} total, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB\n`,
          );
          if (done >= config.pages) break outer;
        }
      }
      if (done === 0) throw new Error('a whole pass over the targets crawled no pages');
    }
    sample();
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    process.send?.({ type: 'result', samples, peakRssBytes: peak, pages: done, passes } satisfies MemoryChildMessage);
  } finally {
    clearInterval(timer);
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.send?.(
      { type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies MemoryChildMessage,
      undefined,
      {},
      () => process.exit(1),
    );
  },
);
