// The done-when test of issue 7 on the real crawl path: the sandbox marketplace in-process, two
// real `radar worker` processes (runner + tiki adapter, no stand-in executor), one SIGKILLed
// part-way and restarted. When the queues drain, Postgres holds exactly the sandbox truth.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startSandbox, reachableListings, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { fetchQueueName } from '../../src/apps/queue/names.ts';
import { queueTestEnv, queuesDrained, spawnWorker, waitFor, type QueueTestEnv, type WorkerProcess } from './helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'bin/radar.mjs');
const env = await queueTestEnv();

const MAX_PAGES = 3;
/** TikTok search pages link to product pages: listings arrive through fetch jobs, the ones the kill interrupts. */
const FETCHED = { adapter: 'tiktok', skin: 'tiktok', category: 'chargers' } as const;
/** Tiki's search API carries the listings; its seller pages are discover jobs. */
const SEARCHED = { adapter: 'tiki', skin: 'tiki', category: 'fashion' } as const;

describe.skipIf(!env)('real crawl path: sandbox, two radar workers, one SIGKILLed part-way', () => {
  const e = env as QueueTestEnv;
  const workers: WorkerProcess[] = [];
  let sandbox: RunningSandbox | undefined;
  const scratch = mkdtempSync(path.join(tmpdir(), 'radar-kill-'));

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await sandbox?.close();
    await e?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  function childEnv(): NodeJS.ProcessEnv {
    // A fleet-wide rate on the tiki fetch queue (BullMQ global limit) paces the crawl so the kill lands mid-run.
    const config = path.join(scratch, 'radar.config.json');
    writeFileSync(config, JSON.stringify({ adapters: { tiktok: { requestsPerMinute: 60 } } }));
    const { RADAR_QUEUE_EXECUTOR: _unused, ...rest } = process.env;
    return {
      ...rest,
      RADAR_CONFIG: config,
      RADAR_DATA_DIR: path.join(scratch, 'data'),
      DATABASE_URL: e.databaseUrl,
      REDIS_URL: e.redisUrl,
      RADAR_QUEUE_PREFIX: e.prefix,
      LOG_LEVEL: 'info',
    };
  }

  const workerArgs = ['--concurrency', '2', '--lock-duration-ms', '3000', '--stalled-interval-ms', '1000', '--shutdown-timeout-ms', '5000'];
  const ready = (w: WorkerProcess) =>
    waitFor('a worker to be ready', async () => (w.stderr().includes('worker ready') ? true : undefined), 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${w.stderr().slice(-2000)}`);
    });

  it('stores every reachable listing exactly once', { timeout: 240_000 }, async () => {
    sandbox = await startSandbox({ seed: 11, listings: 600, faults: 'none', port: 0 });
    const world = sandbox.world;
    const truthOf = (c: typeof FETCHED | typeof SEARCHED) =>
      reachableListings(world, { skin: c.skin, category: c.category, maxPages: MAX_PAGES }).sort();
    expect(truthOf(FETCHED).length).toBeGreaterThan(10);

    workers.push(await spawnWorker(childEnv(), workerArgs), await spawnWorker(childEnv(), workerArgs));
    await Promise.all(workers.map(ready));

    const enqueue = async (c: typeof FETCHED | typeof SEARCHED) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          cli,
          'enqueue',
          'crawl',
          '--adapter',
          c.adapter,
          '--category',
          c.category,
          '--max-pages',
          String(MAX_PAGES),
          '--base-url',
          `${sandbox!.url}/${c.skin}`,
          '--json',
        ],
        { env: childEnv() },
      );
      return Number((JSON.parse(stdout) as { runId: number }).runId);
    };
    const searchedRun = await enqueue(SEARCHED);
    const runIds = [await enqueue(FETCHED), searchedRun];
    expect(runIds.every((id) => id > 0)).toBe(true);

    // Part-way: some detail fetches are done, others are still queued.
    const redis = new Redis(e.redisUrl);
    const queues = new QueueSet(redis, e.prefix);
    const fetchQueue = queues.get(fetchQueueName('tiktok'));
    try {
      await waitFor(
        'some detail pages to be fetched',
        async () => ((await fetchQueue.getCompletedCount()) >= 3 ? true : undefined),
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${workers.map((w) => w.stderr().slice(-1500)).join('\n---\n')}`);
      });
      workers[0]!.child.kill('SIGKILL');
      await workers[0]!.exited;
      const left = await fetchQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
      expect(left.waiting! + left.active! + left.delayed! + left.prioritized!, JSON.stringify(left)).toBeGreaterThan(0);
    } finally {
      await queues.close();
      redis.disconnect();
    }

    const restarted = await spawnWorker(childEnv(), workerArgs);
    workers.push(restarted);
    await ready(restarted);

    await waitFor(
      'the run to finish and the queues to drain',
      async () => {
        const { rows } = await e.db.query<{ status: string }>(`SELECT status FROM crawl_runs WHERE id = ANY($1::bigint[])`, [runIds]);
        if (rows.length !== 2 || rows.some((r) => r.status !== 'completed')) return undefined;
        return (await queuesDrained(e.redisUrl, e.prefix)) ? true : undefined;
      },
      80_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${workers.map((w) => w.stderr().slice(-1500)).join('\n---\n')}`);
    });

    for (const c of [FETCHED, SEARCHED]) {
      const { rows } = await e.db.query<{ external_id: string; n: number }>(
        `SELECT external_id, count(*)::int AS n FROM listings WHERE marketplace = $1 GROUP BY external_id`,
        [c.skin],
      );
      expect(rows.map((r) => r.external_id).sort(), `${c.adapter} listings`).toEqual(truthOf(c));
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    }
    // Every reachable listing was observed by the interrupted run itself (its fetch jobs were retried, not lost).
    const { rows: observed } = await e.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM listing_observations WHERE crawl_run_id = $1`,
      [runIds[0]],
    );
    expect(observed[0]!.n).toBe(truthOf(FETCHED).length);

    // Each drained run went on to scoring: every stored listing has a score.
    const { rows: unscored } = await e.db.query<{ id: string }>(
      `SELECT l.id FROM listings l WHERE NOT EXISTS (SELECT 1 FROM listing_scores s WHERE s.listing_id = l.id)`,
    );
    expect(unscored).toEqual([]);

    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.slice(1).map((w) => w.exited))).toEqual([0, 0]);
  });
});
