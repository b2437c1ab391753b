// Redis restarts mid-run: the worker reconnects and the run completes with every listing once;
// a producer fails fast with a clear error while Redis is down. Uses its own redis-server on a
// free loopback port (never the shared one), with an append-only file so the restart keeps the queues.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/core/log/logger.ts';
import { connectProducer } from '../../src/apps/queue/connection.ts';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { RunTracker } from '../../src/apps/queue/tracking.ts';
import { startQueuedCrawl } from '../../src/apps/queue/processors.ts';
import { startWorker, type RunningWorker } from '../../src/apps/queue/worker.ts';
import { createExecutor, reachable } from './fixtures/fake-executor.ts';
import { queueTestEnv, waitFor, type QueueTestEnv } from './helpers.ts';

const REDIS_SERVER = '/usr/bin/redis-server';
const env = existsSync(REDIS_SERVER) ? await queueTestEnv() : null;
const log = createLogger({ level: 'silent' });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/Ready to accept connections/i.test(out)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`)));
  });
}

function stopRedis(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!env)('a Redis restart during a run', () => {
  const e = env as QueueTestEnv;
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-redis-'));
  let redis: ChildProcess | undefined;
  let worker: RunningWorker | undefined;
  const previousDelay = process.env.FAKE_FETCH_DELAY_MS;

  afterAll(async () => {
    await worker?.stop().catch(() => undefined);
    if (redis) await stopRedis(redis);
    await e?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    if (previousDelay === undefined) delete process.env.FAKE_FETCH_DELAY_MS;
    else process.env.FAKE_FETCH_DELAY_MS = previousDelay;
  });

  it('pauses the worker, fails producers fast, and completes the run once Redis is back', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port, dir);
    process.env.FAKE_FETCH_DELAY_MS = '150';
    const executor = createExecutor({ db: e.db, config: {} as never, log });
    worker = await startWorker({
      redisUrl: url,
      db: e.db,
      log,
      executor,
      prefix: e.prefix,
      concurrency: 2,
      lockDurationMs: 3_000,
      stalledIntervalMs: 1_000,
      shutdownTimeoutMs: 5_000,
    });

    const producer = await connectProducer(url);
    const queues = new QueueSet(producer, e.prefix);
    const started = await startQueuedCrawl(
      { db: e.db, queues, tracker: new RunTracker(producer, e.prefix, 3600), executor, windowHours: 24 },
      { adapter: 'fake', target: { mode: 'query', query: 'redis restart' }, maxPages: 6 },
    );
    await queues.close();
    producer.disconnect();
    const truth = reachable('redis restart', 6);
    const count = async () => (await e.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings`)).rows[0]!.n;
    await waitFor('some listings to be stored', async () => ((await count()) >= 3 ? true : undefined), 30_000);

    await stopRedis(redis);
    expect(await count()).toBeLessThan(truth.length);
    await expect(connectProducer(url)).rejects.toThrow(/unreachable.*start Redis or fix REDIS_URL/);

    redis = await startRedis(port, dir);
    await waitFor(
      'the run to complete after the restart',
      async () => {
        const { rows } = await e.db.query<{ status: string }>(`SELECT status FROM crawl_runs WHERE id = $1`, [started.runId]);
        return rows[0]?.status === 'completed' ? true : undefined;
      },
      90_000,
    );
    const { rows } = await e.db.query<{ external_id: string }>(`SELECT external_id FROM listings ORDER BY external_id`);
    expect(rows.map((r) => r.external_id).sort()).toEqual(truth);
  });
});
