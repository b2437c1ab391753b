import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { CrawlRequest } from '../../crawlers/adapter.ts';
import { startCrawlRun } from '../core/db/stores/crawl-runs.ts';
import { PostgresDb } from '../core/db/postgres.ts';
import { migrate } from '../core/db/migrate.ts';
import { MarketplaceSchema } from '../core/domain/records.ts';
import { fetchQueueName } from '../apps/queue/names.ts';
import { QUEUE_CRAWLER_VERSION } from '../apps/queue/processors.ts';
import { QueueSet, enqueueRequests } from '../apps/queue/queues.ts';
import { RunTracker } from '../apps/queue/tracking.ts';

/** Options of {@link measureFetchThroughput}. */
export interface FetchThroughputOptions {
  /** `radar worker` processes consuming the fetch queue (the issue reports 1 and 2). */
  workers: number;
  /** Fetch jobs to run: distinct listing detail pages of the sandbox. */
  jobs: number;
  /** Redis the workers use; a private key prefix is created and removed. */
  redisUrl: string;
  /** PostgreSQL database the workers write to (migrated here if needed); use a scratch database. */
  databaseUrl: string;
  /** Jobs in flight per worker process. @default 2 (the `radar worker` default) */
  concurrency?: number;
  /** Sandbox skin whose product pages are fetched. @default 'tiktok' (HTML product pages) */
  skin?: 'tiktok' | 'sendo' | 'lazada' | 'shop';
  /** Sandbox world seed, so runs compare on the same pages. @default 1 */
  seed?: number;
  /** Gives up (and throws) after this long (ms), so a stuck fleet cannot hang the bench. @default 600_000 (10 minutes) */
  deadlineMs?: number;
  /** Progress lines (stderr in a CLI). Without it, the run is silent. */
  onProgress?: (message: string) => void;
}

export interface FetchThroughputResult {
  workers: number;
  concurrency: number;
  jobs: number;
  completed: number;
  failed: number;
  /** From the first job enqueued to the last one finished; worker start-up is excluded. */
  seconds: number;
  jobsPerSecond: number;
  /**
   * CPU time (user + system) the worker processes spent over the timed window, seconds; null where
   * `/proc` is not available. On a shared, loaded machine this is steadier than wall-clock rates.
   */
  workerCpuSeconds: number | null;
  /** `workerCpuSeconds` per job, milliseconds: the cost of one fetch job independent of machine load. */
  workerCpuMsPerJob: number | null;
  /** CPU time of this measuring process (the in-process sandbox serving the pages and the poller), seconds. */
  harnessCpuSeconds: number;
}

/** User + system CPU seconds of a live process from `/proc/<pid>/stat`, or null (not Linux, gone). */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** Linux USER_HZ; 100 on every mainstream kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;

function totalCpuSeconds(children: readonly ChildProcess[]): number | null {
  let total = 0;
  for (const child of children) {
    const seconds = processCpuSeconds(child.pid);
    if (seconds === null) return null;
    total += seconds;
  }
  return total;
}

const ADAPTER_OF_SKIN = { tiktok: 'tiktok', sendo: 'sendo', lazada: 'lazada', shop: 'schemaorg' } as const;
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/radar.mjs');

/**
 * Fetch-job throughput of real `radar worker` processes: starts the sandbox in this process,
 * spawns `workers` workers on the marketplace's fetch queue, enqueues `jobs` detail pages as one
 * crawl run, and times enqueue → last job finished. No politeness limit applies (loopback sandbox).
 *
 * @example
 *   const one = await measureFetchThroughput({ workers: 1, jobs: 200, redisUrl, databaseUrl });
 *   const two = await measureFetchThroughput({ workers: 2, jobs: 200, redisUrl, databaseUrl });
 *   console.log(two.jobsPerSecond / one.jobsPerSecond);
 */
export async function measureFetchThroughput(options: FetchThroughputOptions): Promise<FetchThroughputResult> {
  const skin = options.skin ?? 'tiktok';
  const adapter = ADAPTER_OF_SKIN[skin];
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const progress = options.onProgress ?? (() => undefined);
  const { startSandbox, listingPath, SKIN_MARKETPLACE } = await import('./sandbox/index.ts');
  const marketplace = MarketplaceSchema.parse(SKIN_MARKETPLACE[skin]);
  // About one listing in six belongs to each skin; generate enough for `jobs` distinct pages.
  const sandbox = await startSandbox({ seed: options.seed ?? 1, listings: Math.max(300, options.jobs * 8), faults: 'none', port: 0 });
  const baseUrl = `${sandbox.url}/${skin}`;
  const requests: CrawlRequest[] = [];
  for (let i = 0; i < sandbox.world.listingCount && requests.length < options.jobs; i++) {
    const listing = sandbox.world.listing(i);
    if (listing.skin === skin)
      requests.push({ url: `${baseUrl}${listingPath(listing)}`, kind: 'listing', uniqueKey: `bench:${skin}:${listing.id}` });
  }
  const prefix = `radar-bench-${process.pid}-${Date.now().toString(36)}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'radar-throughput-'));
  const db = await new PostgresDb(options.databaseUrl).connect();
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queues = new QueueSet(redis, prefix);
  const children: ChildProcess[] = [];
  try {
    await migrate(db);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      RADAR_QUEUE_PREFIX: prefix,
      RADAR_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    delete env.RADAR_QUEUE_EXECUTOR;
    const readies: Promise<void>[] = [];
    for (let n = 0; n < options.workers; n++) {
      const child = spawn(
        process.execPath,
        [cli, 'worker', '--queues', fetchQueueName(marketplace), '--concurrency', String(concurrency), '--shutdown-timeout-ms', '10000'],
        {
          // info level: the "worker ready" line is how readiness is seen.
          env: { ...env, LOG_LEVEL: 'info' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      children.push(child);
      readies.push(
        new Promise<void>((resolve, reject) => {
          let err = '';
          child.stderr.on('data', (chunk: Buffer) => {
            err += chunk.toString();
            if (err.includes('worker ready')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready: ${err.slice(-800)}`)));
        }),
      );
    }
    progress(`starting ${options.workers} worker process(es)…`);
    await Promise.all(readies);
    const runId = await startCrawlRun(db, {
      adapter,
      marketplace,
      mode: 'url',
      target: `throughput ${options.jobs}`,
      params: { bench: true, queued: true },
      crawlerVersion: QUEUE_CRAWLER_VERSION,
    });
    const tracker = new RunTracker(redis, prefix, 3600);
    const queue = queues.get(fetchQueueName(marketplace));
    const cpuBefore = totalCpuSeconds(children);
    const harnessBefore = process.cpuUsage();
    const started = performance.now();
    await enqueueRequests(queues, tracker, requests, {
      runId,
      marketplace,
      adapter,
      baseUrl,
      maxPages: 1,
      evidence: false,
      windowHours: 24,
    });
    progress(`enqueued ${requests.length} fetch job(s)`);
    const deadline = Date.now() + (options.deadlineMs ?? 600_000);
    let counts = { completed: 0, failed: 0 };
    for (;;) {
      const c = await queue.getJobCounts('completed', 'failed');
      counts = { completed: c.completed ?? 0, failed: c.failed ?? 0 };
      if (counts.completed + counts.failed >= requests.length) break;
      if (Date.now() > deadline)
        throw new Error(`throughput run timed out with ${counts.completed + counts.failed}/${requests.length} jobs done`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = totalCpuSeconds(children);
    const harness = process.cpuUsage(harnessBefore);
    const workerCpuSeconds = cpuBefore !== null && cpuAfter !== null ? Number((cpuAfter - cpuBefore).toFixed(2)) : null;
    return {
      workers: options.workers,
      concurrency,
      jobs: requests.length,
      ...counts,
      seconds: Number(seconds.toFixed(3)),
      jobsPerSecond: Number((requests.length / seconds).toFixed(2)),
      workerCpuSeconds,
      workerCpuMsPerJob: workerCpuSeconds !== null ? Number(((workerCpuSeconds * 1000) / requests.length).toFixed(1)) : null,
      harnessCpuSeconds: Number(((harness.user + harness.system) / 1e6).toFixed(2)),
    };
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const name of [fetchQueueName(marketplace), 'score', 'discover'])
      await queues
        .get(name)
        .obliterate({ force: true })
        .catch(() => undefined);
    await queues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
