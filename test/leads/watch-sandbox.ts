// Crawls the sandbox the way the watch schedule would: the watch plans, each target through the real runner.
import { getAdapter } from '../../crawlers/adapters/index.ts';
import { runCrawl } from '../../crawlers/runner/run-crawl.ts';
import type { Db } from '../../src/core/db/types.ts';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/devtools/sandbox/index.ts';
import type { CrawlTarget } from '../../crawlers/adapter.ts';
import { watchCrawlPlans } from '../../src/leads/watch-crawl.ts';
import { testDeps } from '../crawlers/runner/deps.ts';

/** The sandbox again at another epoch, on the same port: stored listing URLs keep working. */
export async function restartAtEpoch(sandbox: RunningSandbox, options: SandboxOptions, epoch: number): Promise<RunningSandbox> {
  await sandbox.close();
  return startSandbox({ ...options, port: sandbox.port, epoch });
}

export async function crawlTiki(db: Db, sandbox: RunningSandbox, targets: readonly CrawlTarget[], maxPages = 3): Promise<void> {
  const adapter = getAdapter('tiki');
  for (const target of targets) {
    const summary = await runCrawl(
      {
        adapter,
        target,
        maxPages,
        baseUrl: `${sandbox.url}/tiki`,
        allowHosts: [new URL(sandbox.url).host],
        requestsPerMinute: 0,
        retryBaseMs: 20,
      },
      testDeps(db),
    );
    if (summary.errors > 0) throw new Error(`crawl of ${JSON.stringify(target)} had ${summary.errors} error(s)`);
  }
}

/** What the watch schedule's tick would crawl on Tiki now, crawled. */
export async function recrawlWatched(db: Db, sandbox: RunningSandbox): Promise<void> {
  const plans = await watchCrawlPlans(db, { keywordMarketplaces: ['tiki'] });
  await crawlTiki(db, sandbox, plans.find((p) => p.marketplace === 'tiki')?.targets ?? []);
}
