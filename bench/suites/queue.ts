import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { CrawlRequest } from '../../crawlers/adapter.ts';
import { startCrawlRun } from '../../src/db/repositories/crawl-runs.ts';
import { migrate } from '../../src/db/migrate.ts';
import { PostgresDb } from '../../src/db/postgres.ts';
import { fetchQueueName } from '../../src/queue/names.ts';
import { enqueueRequests, QueueSet } from '../../src/queue/queues.ts';
import { RunTracker } from '../../src/queue/tracking.ts';
import { measurePair, stopwatch, type Trial } from '../lib/measure.ts';
import { createScratchDatabase } from '../lib/postgres.ts';
import { loadAdapter, loadTruth, startSandbox } from '../lib/repo.ts';
import { round } from '../lib/stats.ts';
import type { Suite, SuiteContext } from '../lib/suite.ts';
import { spawnRadar, stopWorker, waitUntil, type WorkerProcess } from '../lib/worker-process.ts';

/** Jobs in flight per worker process (the `radar worker` default is 2; 4 keeps a loopback worker busy). */
const CONCURRENCY = 4;

interface TruthListing {
  type: 'listing';
  id: string;
  skins: string[];
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * One trial: `workers` fresh `radar worker` processes on the tiki fetch queue under a prefix of
 * their own, a fresh scratch database, every detail request enqueued at once; timed from the first
 * enqueue until every fetch job has completed or failed for good. Worker start-up is not timed.
 */
async function drain(ctx: SuiteContext, workers: number, requests: readonly CrawlRequest[], baseUrl: string, trial: string): Promise<Trial> {
  const prefix = `radar-bench-${process.pid}-${trial}`;
  const scratch = await createScratchDatabase(ctx.postgresAdminUrl, 'queue');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'radar-bench-queue-'));
  const redis = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const queues = new QueueSet(redis, prefix);
  const processes: WorkerProcess[] = [];
  try {
    const db = await new PostgresDb(scratch.url).connect();
    await migrate(db);
    const runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'url', target: 'bench', crawlerVersion: 'bench' });
    await db.close();
    const configFile = path.join(dir, 'radar.config.json');
    writeFileSync(configFile, JSON.stringify({}));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RADAR_CONFIG: configFile,
      RADAR_DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: scratch.url,
      REDIS_URL: ctx.redisUrl,
      RADAR_QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
    };
    for (let i = 0; i < workers; i++) {
      processes.push(spawnRadar(['worker', '--queues', fetchQueueName('tiki'), '--concurrency', String(CONCURRENCY), '--prefix', prefix], env));
    }
    for (const worker of processes) {
      await waitUntil('a radar worker to log "worker ready"', () => {
        if (worker.child.exitCode !== null) throw new Error(`radar worker exited ${worker.child.exitCode}: ${worker.stderr().slice(-1500)}`);
        return worker.stderr().includes('worker ready');
      }, 90_000);
    }
    const fetchQueue = queues.get(fetchQueueName('tiki'));
    const tracker = new RunTracker(redis, prefix, 2 * 3600);
    const elapsed = stopwatch();
    await enqueueRequests(queues, tracker, requests, { runId, marketplace: 'tiki', adapter: 'tiki', baseUrl, maxPages: 1, evidence: false, windowHours: 1 });
    let failed = 0;
    await waitUntil(`${requests.length} fetch jobs to finish`, async () => {
      const counts = await fetchQueue.getJobCounts('completed', 'failed');
      failed = counts.failed ?? 0;
      return (counts.completed ?? 0) + failed >= requests.length;
    }, 600_000);
    const seconds = elapsed();
    if (failed > 0) throw new Error(`${failed} of ${requests.length} fetch jobs failed; first worker log: ${processes[0]!.stderr().slice(-800)}`);
    return { count: requests.length, seconds };
  } finally {
    await Promise.all(processes.map((worker) => stopWorker(worker)));
    await queues.close().catch(() => undefined);
    await deleteKeys(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const suite: Suite = {
  name: 'queue',
  async run(ctx, { progress, report }) {
    const jobs = Number(process.env.BENCH_QUEUE_JOBS ?? (ctx.quick ? 40 : 200));
    const sandbox = await startSandbox({ seed: 8, listings: jobs * 10, faults: 'none', port: 0 });
    try {
      const adapter = await loadAdapter('tiki');
      const truth = await loadTruth();
      const baseUrl = `${sandbox.url}/tiki`;
      const requests: CrawlRequest[] = [];
      for (const record of truth.truthRecords(sandbox.world)) {
        const listing = record as TruthListing;
        if (listing.type !== 'listing' || !listing.skins.includes('tiki')) continue;
        requests.push(...adapter.startRequests({ mode: 'url', url: `${baseUrl}/api/v2/products/${listing.id}` }, { baseUrl, maxPages: 1 }));
        if (requests.length >= jobs) break;
      }
      if (requests.length < jobs) throw new Error(`the sandbox world has only ${requests.length} tiki listings; need ${jobs}`);
      progress(`queue: ${jobs} tiki detail fetch jobs, worker concurrency ${CONCURRENCY}, sandbox in the bench process`);
      const result = await measurePair(
        ctx.repeats,
        (repetition) => drain(ctx, 2, requests, baseUrl, `two-${repetition}`),
        (repetition) => drain(ctx, 1, requests, baseUrl, `one-${repetition}`),
        progress,
        { ours: '2 workers', baseline: '1 worker' },
      );
      report({
        name: 'queue',
        unit: 'jobs/s',
        value: round(result.ours.median, 1),
        samples: result.ours.samples.map((sample) => round(sample, 1)),
        baselineName: '1 radar worker process, same jobs',
        baselineValue: round(result.baseline.median, 1),
        baselineSamples: result.baseline.samples.map((sample) => round(sample, 1)),
        params: {
          jobs,
          job: 'tiki detail fetch (fetch, parse, upsert) from the sandbox',
          workers: 2,
          baseline_workers: 1,
          concurrency_per_worker: CONCURRENCY,
          database: 'local Postgres, fresh scratch database per trial',
          cpus: os.cpus().length,
          note: 'the sandbox, Redis and Postgres share the same cores as the workers',
          repeats: ctx.repeats,
          quick: ctx.quick,
        },
        target: { on: 'ratio', op: '>=', threshold: 1.6 },
      });
    } finally {
      await sandbox.close();
    }
  },
};

export default suite;
