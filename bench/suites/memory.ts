import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { forkTs } from '../lib/child.ts';
import { median, round } from '../lib/stats.ts';
import { summarizeMemory, type MemorySummary } from '../lib/memory-stats.ts';
import { createScratchDatabase } from '../lib/postgres.ts';
import { startSandbox } from '../lib/repo.ts';
import type { Suite } from '../lib/suite.ts';
import type { MemoryChildConfig, MemoryChildMessage } from '../memory-child.ts';

/**
 * The crawling worker's V8 old-space cap (MB). Without one, V8 on this 24 GB machine lets the heap
 * expand lazily long before it collects: over 100k pages RSS climbed 240 → 365 MB while the live
 * heap after a forced GC stayed flat at ~55 MB (82k pages, 30 crawls). A worker is deployed with a
 * cap like this one; the cap makes RSS track what the worker retains rather than GC laziness.
 */
const WORKER_MAX_OLD_SPACE_MB = 256;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../memory-child.ts');
const CATEGORIES = ['fashion', 'shoes-bags', 'cosmetics', 'helmets', 'chargers', 'milk-supplements', 'household', 'electronics', 'books'];
const SKINS = [
  { skin: 'tiki', adapter: 'tiki' },
  { skin: 'shop', adapter: 'schemaorg' },
];

const suite: Suite = {
  name: 'memory',
  async run(ctx, { progress, report }) {
    // 100k pages take minutes even on an idle machine, so the full run crawls them once; quick repeats a small crawl.
    const pages = Number(process.env.BENCH_MEMORY_PAGES ?? (ctx.quick ? 1_500 : 100_000));
    const repeats = ctx.quick ? ctx.repeats : Number(process.env.BENCH_MEMORY_REPEATS ?? 1);
    const sandbox = await startSandbox({ seed: 8, listings: ctx.quick ? 20_000 : 200_000, faults: 'none', port: 0 });
    const runs: MemorySummary[] = [];
    try {
      for (let repetition = 0; repetition < repeats; repetition++) {
        const scratch = await createScratchDatabase(ctx.postgresAdminUrl, 'memory');
        try {
          const db = await new PostgresDb(scratch.url).connect();
          await migrate(db);
          await db.close();
          const config: MemoryChildConfig = {
            sandboxUrl: sandbox.url,
            databaseUrl: scratch.url,
            pages,
            categories: CATEGORIES,
            skins: SKINS,
          };
          const { done } = forkTs<MemoryChildMessage>(CHILD, [JSON.stringify(config)], {
            timeoutMs: 3_600_000,
            ownGroup: false,
            execArgv: [`--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB}`],
          });
          const outcome = await done;
          const last = outcome.messages.at(-1);
          if (!last) throw new Error(`the crawling child ended (exit ${outcome.exitCode}, signal ${outcome.signal}) without a result`);
          if (last.type === 'error') throw new Error(`the crawling child failed: ${last.message}`);
          const summary = summarizeMemory(last.samples, last.pages, last.peakRssBytes);
          runs.push(summary);
          progress(
            `  run #${repetition + 1}/${repeats}: ${last.pages} pages, peak ${summary.peakRssMb} MB, ${summary.rssAt10PercentMb} MB at 10% → ${summary.rssAtEndMb} MB at the end (${(summary.growth * 100).toFixed(1)}%)`,
          );
        } finally {
          await scratch.drop();
        }
      }
    } finally {
      await sandbox.close();
    }
    const params = {
      pages,
      path: 'runCrawl HTTP path (direct request loop with a keep-alive fetcher + adapters + batched upserts) in a child process, /tiki and /shop skins, category after category',
      sampled: 'process.memoryUsage().rss every 250 ms in the crawling process, plus its maxRSS',
      worker_node_flags: `--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB} (deviation: without it V8 grows the heap lazily; see bench/suites/memory.ts)`,
      runs: repeats,
      ...(repeats < 3 ? { repeats_note: 'one 100k-page crawl: three would not fit the 20-minute budget; set BENCH_MEMORY_REPEATS=3' } : {}),
      quick: ctx.quick,
    };
    report({
      name: 'memory.peak-rss',
      unit: 'MB',
      value: median(runs.map((run) => run.peakRssMb)),
      samples: runs.map((run) => run.peakRssMb),
      params,
      target: { on: 'value', op: '<', threshold: 400 },
    });
    report({
      name: 'memory.growth',
      unit: 'fraction',
      value: round(median(runs.map((run) => run.growth)), 3),
      samples: runs.map((run) => run.growth),
      params: {
        ...params,
        rss_at_10_percent_mb: runs.map((run) => run.rssAt10PercentMb),
        rss_at_end_mb: runs.map((run) => run.rssAtEndMb),
      },
      target: { on: 'value', op: '<', threshold: 0.1 },
    });
  },
};

export default suite;
