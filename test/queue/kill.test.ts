// The done-when test of issue 7: two real `radar worker` processes, one SIGKILLed part-way and
// restarted; when the queues drain, Postgres holds every reachable listing exactly once.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { allQueueNames } from '../../src/apps/queue/names.ts';
import { reachable } from './fixtures/fake-executor.ts';
import { queueTestEnv, waitFor, type QueueTestEnv } from './helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'bin/radar.mjs');
const executorModule = path.join(root, 'test/queue/fixtures/fake-executor.ts');
const env = await queueTestEnv();

function childEnv(e: QueueTestEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: e.databaseUrl,
    REDIS_URL: e.redisUrl,
    RADAR_QUEUE_PREFIX: e.prefix,
    RADAR_QUEUE_EXECUTOR: executorModule,
    FAKE_FETCH_DELAY_MS: '250',
    LOG_LEVEL: 'info',
  };
}

interface WorkerProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startWorkerProcess(e: QueueTestEnv): WorkerProcess {
  const child = spawn(
    process.execPath,
    [cli, 'worker', '--concurrency', '2', '--lock-duration-ms', '3000', '--stalled-interval-ms', '1000', '--shutdown-timeout-ms', '5000'],
    { env: childEnv(e), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

describe.skipIf(!env)('two worker processes, one killed with SIGKILL part-way', () => {
  const e = env as QueueTestEnv;
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await e?.cleanup();
  });

  it('stores every reachable listing exactly once, and SIGTERM stops the survivors cleanly', { timeout: 90_000 }, async () => {
    const ready = (w: WorkerProcess) =>
      waitFor('a worker to be ready', async () => (w.stderr().includes('worker ready') ? true : undefined), 30_000);
    workers.push(startWorkerProcess(e), startWorkerProcess(e));
    await Promise.all(workers.map(ready));

    const maxPages = 8;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'enqueue', 'crawl', '--adapter', 'fake', '--query', 'kill me', '--max-pages', String(maxPages), '--json'],
      {
        env: childEnv(e),
      },
    );
    const runId = Number((JSON.parse(stdout) as { runId: number }).runId);
    expect(runId).toBeGreaterThan(0);

    const count = async () => (await e.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings`)).rows[0]!.n;
    await waitFor('some listings to be stored', async () => ((await count()) >= 4 ? true : undefined));
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;
    const truth = reachable('kill me', maxPages);
    // The kill really was part-way.
    expect(await count()).toBeLessThan(truth.length);
    const restarted = startWorkerProcess(e);
    workers.push(restarted);
    await ready(restarted);

    await waitFor(
      'the run to finish and the queues to drain',
      async () => {
        const { rows } = await e.db.query<{ status: string }>(`SELECT status FROM crawl_runs WHERE id = $1`, [runId]);
        if (rows[0]?.status !== 'completed') return undefined;
        const redis = new Redis(e.redisUrl);
        const queues = new QueueSet(redis, e.prefix);
        try {
          for (const name of allQueueNames()) {
            const c = await queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
            if (Object.values(c).some((n) => n > 0)) return undefined;
          }
          return true;
        } finally {
          await queues.close();
          redis.disconnect();
        }
      },
      70_000,
    );

    const { rows } = await e.db.query<{ external_id: string; n: number }>(
      `SELECT external_id, count(*)::int AS n FROM listings GROUP BY external_id ORDER BY external_id`,
    );
    expect(rows.map((r) => r.external_id)).toEqual(truth);
    expect(rows.every((r) => r.n === 1)).toBe(true);

    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
    expect(codes).toEqual([0, 0]);
    expect(workers[1]!.stderr()).toContain('worker stopped');
  });
});
