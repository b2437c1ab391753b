import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { CrawlRequest } from '../../crawlers/adapter.ts';
import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { fetchQueueName } from '../../src/apps/queue/names.ts';
import { enqueueRequests, QueueSet } from '../../src/apps/queue/queues.ts';
import { processCpuSeconds } from '../../src/devtools/throughput.ts';
import { RunTracker } from '../../src/apps/queue/tracking.ts';
import { measurePair, stopwatch, type Trial } from '../lib/measure.ts';
import { createScratchDatabase } from '../lib/postgres.ts';
import { loadAdapter, loadTruth, startSandbox } from '../lib/repo.ts';
import { median, round } from '../lib/stats.ts';
import type { Suite, SuiteContext } from '../lib/suite.ts';
import { spawnRadar, stopWorker, waitUntil, type WorkerProcess } from '../lib/worker-process.ts';

/** Jobs in flight per worker process (the `radar worker` default is 2; 4 keeps a loopback worker busy). */
const CONCURRENCY = 4;

/**
 * Fixed delay of every sandbox answer in the headline measurement (the sandbox's `latencyMs`), the
 * middle of the 100–300 ms real marketplaces take. Against the bare loopback sandbox (<1 ms answers)
 * the benchmark measures only how the workers, Redis, Postgres and the sandbox share this machine's
 * two cores, never how a worker overlaps network waits, which is what more worker processes buy in
 * production. BENCH_QUEUE_LATENCY_MS overrides.
 */
const DEFAULT_LATENCY_MS = 150;

/** Worker CPU seconds (user + system) per trial, kept beside the rates for the report. */
interface DrainTrial extends Trial {
  workerCpuSeconds: number | null;
}

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
 * The `radar worker` processes of one side of the comparison (1 or 2 of them), started once and
 * reused by every trial of that side, as production workers are long-lived. Each side has its own
 * key prefix, so the idle side's workers never take the other side's jobs; both sides write to the
 * same scratch database, one trial at a time.
 */
interface WorkerSide {
  prefix: string;
  queues: QueueSet;
  processes: WorkerProcess[];
}

/** One scratch database and the worker processes of both sides, shared by every trial of the suite. */
interface Fleet {
  db: PostgresDb;
  redis: Redis;
  sides: Map<number, WorkerSide>;
  close(): Promise<void>;
}

async function startFleet(ctx: SuiteContext, sideSizes: readonly number[]): Promise<Fleet> {
  const scratch = await createScratchDatabase(ctx.postgresAdminUrl, 'queue');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'radar-bench-queue-'));
  const redis = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const sides = new Map<number, WorkerSide>();
  let db: PostgresDb | undefined;
  const close = async (): Promise<void> => {
    const all = [...sides.values()];
    await Promise.all(all.flatMap((side) => side.processes.map((worker) => stopWorker(worker))));
    for (const side of all) {
      await side.queues.close().catch(() => undefined);
      await deleteKeys(redis, side.prefix).catch(() => undefined);
    }
    redis.disconnect();
    await db?.close().catch(() => undefined);
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    db = await new PostgresDb(scratch.url).connect();
    await migrate(db);
    const configFile = path.join(dir, 'radar.config.json');
    writeFileSync(configFile, JSON.stringify({}));
    for (const size of sideSizes) {
      const prefix = `radar-bench-${process.pid}-w${size}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        RADAR_CONFIG: configFile,
        RADAR_DATA_DIR: path.join(dir, `data-${size}`),
        DATABASE_URL: scratch.url,
        REDIS_URL: ctx.redisUrl,
        RADAR_QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'info',
      };
      const processes: WorkerProcess[] = [];
      for (let i = 0; i < size; i++) {
        processes.push(
          spawnRadar(['worker', '--queues', fetchQueueName('tiki'), '--concurrency', String(CONCURRENCY), '--prefix', prefix], env),
        );
      }
      sides.set(size, { prefix, queues: new QueueSet(redis, prefix), processes });
    }
    // Every process of both sides starts at once: start-up is not timed, so it need not be serial.
    for (const side of sides.values()) {
      for (const worker of side.processes) {
        await waitUntil(
          'a radar worker to log "worker ready"',
          () => {
            assertRunning(worker);
            return worker.stderr().includes('worker ready');
          },
          90_000,
        );
      }
    }
    return { db, redis, sides, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Puts a side back where a fresh start would be, untimed: no listings, shops or observations in the
 * database (every trial inserts into the same empty tables), no finished fetch jobs (their job ids
 * would make BullMQ drop the next trial's identical jobs as duplicates) and no run-tracking keys
 * (a member remembered as done would not be tracked again, and its run would never finish).
 */
async function resetSide(fleet: Fleet, side: WorkerSide): Promise<void> {
  const fetchQueue = side.queues.get(fetchQueueName('tiki'));
  const counts = await fetchQueue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children');
  const busy = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  if (busy > 0) throw new Error(`the ${side.prefix} fetch queue still has ${busy} unfinished jobs before a trial`);
  await fetchQueue.clean(0, 0, 'completed');
  await fetchQueue.clean(0, 0, 'failed');
  await deleteKeys(fleet.redis, `${side.prefix}:run`);
  await deleteKeys(fleet.redis, `${side.prefix}:member`);
  await fleet.db.exec('TRUNCATE listing_observations, listings, shops CASCADE');
}

/**
 * One trial: a side's running `radar worker` processes on the tiki fetch queue, a new crawl run,
 * every detail request enqueued at once; timed from the first enqueue until every fetch job has
 * completed or failed for good. Resetting the side beforehand is not timed.
 */
async function drain(fleet: Fleet, workers: number, requests: readonly CrawlRequest[], baseUrl: string): Promise<DrainTrial> {
  const side = fleet.sides.get(workers);
  if (!side) throw new Error(`no ${workers}-worker side was started`);
  await resetSide(fleet, side);
  const runId = await startCrawlRun(fleet.db, {
    adapter: 'tiki',
    marketplace: 'tiki',
    mode: 'url',
    target: 'bench',
    crawlerVersion: 'bench',
  });
  const fetchQueue = side.queues.get(fetchQueueName('tiki'));
  const tracker = new RunTracker(fleet.redis, side.prefix, 2 * 3600);
  const cpuBefore = workerCpu(side.processes);
  const elapsed = stopwatch();
  await enqueueRequests(side.queues, tracker, requests, {
    runId,
    marketplace: 'tiki',
    adapter: 'tiki',
    baseUrl,
    maxPages: 1,
    evidence: false,
    windowHours: 1,
  });
  let failed = 0;
  await waitUntil(
    `${requests.length} fetch jobs to finish`,
    async () => {
      for (const worker of side.processes) assertRunning(worker);
      const counts = await fetchQueue.getJobCounts('completed', 'failed');
      failed = counts.failed ?? 0;
      return (counts.completed ?? 0) + failed >= requests.length;
    },
    600_000,
  );
  const seconds = elapsed();
  const cpuAfter = workerCpu(side.processes);
  if (failed > 0)
    throw new Error(`${failed} of ${requests.length} fetch jobs failed; first worker log: ${side.processes[0]!.stderr().slice(-800)}`);
  return { count: requests.length, seconds, workerCpuSeconds: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null };
}

/** Fails the trial with the worker's last log lines if it has exited. */
function assertRunning(worker: WorkerProcess): void {
  if (worker.child.exitCode !== null) throw new Error(`radar worker exited ${worker.child.exitCode}: ${worker.stderr().slice(-1500)}`);
}

function workerCpu(processes: readonly WorkerProcess[]): number | null {
  let total = 0;
  for (const worker of processes) {
    const seconds = processCpuSeconds(worker.child.pid);
    if (seconds === null) return null;
    total += seconds;
  }
  return total;
}

/** Median worker CPU per job over the trials, ms; null where /proc is not readable. */
function cpuMsPerJob(trials: readonly DrainTrial[]): number | null {
  const perJob = trials.flatMap((trial) => (trial.workerCpuSeconds === null ? [] : [(trial.workerCpuSeconds * 1000) / trial.count]));
  return perJob.length === trials.length && perJob.length > 0 ? round(median(perJob), 2) : null;
}

const suite: Suite = {
  name: 'queue',
  async run(ctx, { progress, report }) {
    // Enough jobs that each trial is several latency rounds long: a worker's first job (pool connect,
    // robots.txt, cold JIT) costs ~0.5 s, which in a 40-job trial was a third of the 2-worker time.
    const jobs = Number(process.env.BENCH_QUEUE_JOBS ?? (ctx.quick ? 100 : 400));
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
      const latencyMs = Number(process.env.BENCH_QUEUE_LATENCY_MS ?? DEFAULT_LATENCY_MS);
      // The same world (same seed and size), served a fixed time late: the same paths work on both.
      const slow = await startSandbox({ seed: 8, listings: jobs * 10, faults: 'none', port: 0, latencyMs });
      // Starting a worker process costs seconds (tsx, pool, Redis), more than a 100-job trial: each
      // side's workers start once and serve every trial and variant (a job carries its base URL).
      const fleet = await startFleet(ctx, [2, 1]);
      try {
        // Headline: the sandbox behind a fixed, realistic response time. Then the bare sandbox, where
        // every job is pure CPU on the same two cores, so a second worker has nowhere to run.
        // --quick keeps only the headline: the no-latency entry has no target.
        const variants = [
          { name: 'queue', base: `${slow.url}/tiki`, latency: latencyMs },
          ...(ctx.quick ? [] : [{ name: 'queue.no-latency', base: baseUrl, latency: 0 }]),
        ];
        for (const variant of variants) {
          const variantRequests = requests.map((request) => ({ ...request, url: request.url.replace(baseUrl, variant.base) }));
          progress(
            `${variant.name}: ${jobs} tiki detail fetch jobs, worker concurrency ${CONCURRENCY}, sandbox latency ${variant.latency} ms`,
          );
          const twoTrials: DrainTrial[] = [];
          const oneTrials: DrainTrial[] = [];
          const result = await measurePair(
            ctx.repeats,
            async () => {
              const trial = await drain(fleet, 2, variantRequests, variant.base);
              twoTrials.push(trial);
              return trial;
            },
            async () => {
              const trial = await drain(fleet, 1, variantRequests, variant.base);
              oneTrials.push(trial);
              return trial;
            },
            progress,
            { ours: '2 workers', baseline: '1 worker' },
          );
          report({
            name: variant.name,
            unit: 'jobs/s',
            value: round(result.ours.median, 1),
            samples: result.ours.samples.map((sample) => round(sample, 1)),
            baselineName: '1 radar worker process, same jobs',
            baselineValue: round(result.baseline.median, 1),
            baselineSamples: result.baseline.samples.map((sample) => round(sample, 1)),
            params: {
              jobs,
              job: 'tiki detail fetch (fetch, parse, upsert, shop discovered) from the sandbox',
              sandbox_latency_ms: variant.latency,
              latency_note:
                variant.latency > 0
                  ? 'every sandbox answer is sent a fixed time late (startSandbox latencyMs), as real marketplaces take 100-300 ms to answer'
                  : 'bare loopback sandbox (<1 ms answers): measures CPU contention of the 2 cores, not worker scaling',
              workers: 2,
              baseline_workers: 1,
              concurrency_per_worker: CONCURRENCY,
              worker_cpu_ms_per_job: cpuMsPerJob(twoTrials),
              baseline_worker_cpu_ms_per_job: cpuMsPerJob(oneTrials),
              database: 'local Postgres, one scratch database; listings, shops and observations truncated before every trial',
              workers_started:
                "once per side, reused by every trial (as production workers are); the first trial of each side includes its workers' cold first jobs",
              cpus: os.cpus().length,
              note: 'the sandbox, Redis and Postgres share the same cores as the workers',
              repeats: ctx.repeats,
              quick: ctx.quick,
            },
            ...(variant.latency > 0 ? { target: { on: 'ratio' as const, op: '>=' as const, threshold: 1.6 } } : {}),
          });
        }
      } finally {
        await fleet.close();
        await slow.close();
      }
    } finally {
      await sandbox.close();
    }
  },
};

export default suite;
