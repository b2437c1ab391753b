// Run tracking robustness: a job that ended without releasing its run (worker killed between the
// final failure and the release), and the tracked-before-added window, on real Redis and Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/core/log/logger.ts';
import { connectProducer, workerConnection } from '../../src/apps/queue/connection.ts';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { RunTracker, memberOf } from '../../src/apps/queue/tracking.ts';
import { isFinalAttempt, reconcileRuns, startQueuedCrawl } from '../../src/apps/queue/processors.ts';
import { discoverJobId } from '../../src/apps/queue/jobs.ts';
import { createExecutor } from './fixtures/fake-executor.ts';
import { queueTestEnv, waitFor, type QueueTestEnv } from './helpers.ts';

const env = await queueTestEnv();
const log = createLogger({ level: 'silent' });

describe('isFinalAttempt', () => {
  it('is true on the last attempt or for an unrecoverable error, false before', () => {
    const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: attempts === undefined ? {} : { attempts } });
    expect(isFinalAttempt(job(0, 3), new Error('x'))).toBe(false);
    expect(isFinalAttempt(job(2, 3), new Error('x'))).toBe(true);
    expect(isFinalAttempt(job(0, 3), new UnrecoverableError('x'))).toBe(true);
    expect(isFinalAttempt(job(0), new Error('x'))).toBe(true);
  });
});

describe.skipIf(!env)('reconcileRuns on real Redis and PostgreSQL', () => {
  const e = env as QueueTestEnv;
  let producer: Redis;
  let queues: QueueSet;
  let tracker: RunTracker;

  beforeAll(async () => {
    producer = await connectProducer(e.redisUrl);
    queues = new QueueSet(producer, e.prefix);
    tracker = new RunTracker(producer, e.prefix, 3600);
  });

  afterAll(async () => {
    await queues?.close();
    producer?.disconnect();
    await e?.cleanup();
  });

  const deps = () => ({ db: e.db, queues, tracker, log, services: {} });
  const status = async (runId: number) =>
    (await e.db.query<{ status: string }>(`SELECT status FROM crawl_runs WHERE id = $1`, [runId])).rows[0]!.status;

  it('closes a run whose only job failed for good without releasing it', async () => {
    const executor = createExecutor({ db: e.db, config: {} as never, log });
    const started = await startQueuedCrawl(
      { db: e.db, queues, tracker, executor, windowHours: 24 },
      { adapter: 'fake', target: { mode: 'query', query: 'lost release' }, maxPages: 1 },
    );
    // A bare BullMQ worker fails the job without any release: what a worker killed right after the failure leaves behind.
    const connection = workerConnection(e.redisUrl);
    const bare = new Worker(
      'discover',
      async () => {
        throw new UnrecoverableError('boom');
      },
      { connection, prefix: e.prefix },
    );
    try {
      await waitFor('the job to fail', async () => ((await queues.get('discover').getFailedCount()) > 0 ? true : undefined), 30_000);
    } finally {
      await bare.close();
      connection.disconnect();
    }
    expect(await status(started.runId)).toBe('running');
    expect(await tracker.pendingCount(started.runId)).toBe(1);

    expect(await reconcileRuns(deps())).toBe(1);
    expect(await tracker.pendingCount(started.runId)).toBe(0);
    expect(await status(started.runId)).toBe('completed');
  });

  it('does not release a member whose job is not added yet until it is missing twice', async () => {
    const { rows } = await e.db.query<{ id: string }>(
      `INSERT INTO crawl_runs (adapter, marketplace, mode, target, crawler_version, status) VALUES ('fake', 'tiki', 'query', 'window', 'queue-1', 'running') RETURNING id`,
    );
    const runId = Number(rows[0]!.id);
    const member = memberOf('discover', discoverJobId(runId, { url: 'fake://search?q=window', kind: 'search' }));
    await tracker.track(runId, [member]);
    const missing = new Set<string>();
    expect(await reconcileRuns(deps(), missing)).toBe(0);
    expect(await tracker.pendingCount(runId)).toBe(1);
    expect(await status(runId)).toBe('running');
    expect(await reconcileRuns(deps(), missing)).toBe(1);
    expect(await status(runId)).toBe('completed');
  });
});
