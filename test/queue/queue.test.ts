import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import net from 'node:net';
import { createLogger } from '../../src/core/log/logger.ts';
import { connectProducer } from '../../src/apps/queue/connection.ts';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { RunTracker } from '../../src/apps/queue/tracking.ts';
import { startQueuedCrawl } from '../../src/apps/queue/processors.ts';
import { startWorker, type RunningWorker } from '../../src/apps/queue/worker.ts';
import { applySchedules, listSchedules, parseScheduleText, removeSchedule } from '../../src/apps/queue/schedules.ts';
import { getQueueStatus } from '../../src/apps/queue/status.ts';
import { JOB, fetchJobId, windowKey } from '../../src/apps/queue/jobs.ts';
import { allQueueNames } from '../../src/apps/queue/names.ts';
import { createExecutor, reachable } from './fixtures/fake-executor.ts';
import { queueTestEnv, waitFor, type QueueTestEnv } from './helpers.ts';

const env = await queueTestEnv();
const log = createLogger({ level: 'silent' });

async function drained(queues: QueueSet): Promise<boolean> {
  for (const name of allQueueNames()) {
    // Delayed jobs are not counted: a cron scheduler always holds its next run there.
    const c = await queues.get(name).getJobCounts('waiting', 'active', 'prioritized');
    if ((c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) > 0) return false;
  }
  return true;
}

describe.skipIf(!env)('queues on real Redis and PostgreSQL', () => {
  const e = env as QueueTestEnv;
  let producer: Redis;
  let queues: QueueSet;
  let worker: RunningWorker;

  beforeAll(async () => {
    producer = await connectProducer(e.redisUrl);
    queues = new QueueSet(producer, e.prefix);
    worker = await startWorker({
      redisUrl: e.redisUrl,
      db: e.db,
      log,
      executor: createExecutor({ db: e.db, config: {} as never, log }),
      prefix: e.prefix,
      concurrency: 3,
      shutdownTimeoutMs: 5_000,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await queues?.close();
    producer?.disconnect();
    await e?.cleanup();
  });

  it('fans a crawl out into fetch jobs, stores every reachable listing once and finishes the run', async () => {
    const tracker = new RunTracker(producer, e.prefix, 3600);
    const executor = createExecutor({ db: e.db, config: {} as never, log });
    const started = await startQueuedCrawl(
      { db: e.db, queues, tracker, executor, windowHours: 24 },
      { adapter: 'fake', target: { mode: 'query', query: 'giay' }, maxPages: 4 },
    );
    const status = await waitFor('the run to finish', async () => {
      const { rows } = await e.db.query<{ status: string }>(`SELECT status FROM crawl_runs WHERE id = $1`, [started.runId]);
      return rows[0]!.status === 'completed' ? rows[0]!.status : undefined;
    });
    expect(status).toBe('completed');
    const { rows } = await e.db.query<{ external_id: string }>(
      `SELECT external_id FROM listings WHERE external_id LIKE 'giay-%' ORDER BY external_id`,
    );
    expect(rows.map((r) => r.external_id)).toEqual(reachable('giay', 4));
    // The overlapping item is one fetch job: its id is the natural key within the window.
    const jobId = fetchJobId('tiki', { url: 'fake://item/giay-3', kind: 'listing', uniqueKey: 'tiki:giay-3' }, windowKey(new Date(), 24));
    expect(await queues.get('fetch-tiki').getJob(jobId)).toBeDefined();
  });

  it('a second crawl in the same window does not fetch the same listings again', async () => {
    const tracker = new RunTracker(producer, e.prefix, 3600);
    const executor = createExecutor({ db: e.db, config: {} as never, log });
    const before = (await queues.get('fetch-tiki').getJobCounts('completed')).completed ?? 0;
    const started = await startQueuedCrawl(
      { db: e.db, queues, tracker, executor, windowHours: 24 },
      { adapter: 'fake', target: { mode: 'query', query: 'giay' }, maxPages: 4 },
    );
    await waitFor('the second run to finish', async () => {
      const { rows } = await e.db.query<{ status: string }>(`SELECT status FROM crawl_runs WHERE id = $1`, [started.runId]);
      return rows[0]!.status === 'completed' ? true : undefined;
    });
    expect((await queues.get('fetch-tiki').getJobCounts('completed')).completed ?? 0).toBe(before);
  });

  it('a poison job ends in the failed set with its reason and does not block the queue', async () => {
    const fetch = queues.get('fetch-tiki');
    const page = (url: string) => ({
      runId: 1,
      adapter: 'fake',
      maxPages: 1,
      evidence: false,
      request: { url, kind: 'listing', uniqueKey: url },
    });
    await fetch.add(JOB.fetch, page('fake://item/poison-1'), { jobId: 'poison-1', attempts: 2, backoff: { type: 'fixed', delay: 100 } });
    await fetch.add(JOB.fetch, page('fake://item/healthy-item'), { jobId: 'healthy-item' });
    await fetch.add('no-such-job', { whatever: true }, { jobId: 'unknown-name' });
    await waitFor('the healthy job to complete', async () => ((await fetch.getJob('healthy-item'))?.finishedOn ? true : undefined));
    const poison = await waitFor('the poison job to fail for good', async () => {
      const job = await fetch.getJob('poison-1');
      return job && (await job.getState()) === 'failed' ? job : undefined;
    });
    expect(poison.failedReason).toContain('poisoned page');
    expect(poison.attemptsMade).toBe(2);
    const unknown = await waitFor('the unknown job to fail', async () => {
      const job = await fetch.getJob('unknown-name');
      return job && (await job.getState()) === 'failed' ? job : undefined;
    });
    expect(unknown.failedReason).toContain('unknown job name');
    const status = await getQueueStatus(queues, e.db);
    const fetchStatus = status.queues.find((q) => q.queue === 'fetch-tiki')!;
    expect(fetchStatus.failed).toBe(2);
    expect(fetchStatus.recentFailures.map((f) => f.reason).join(' ')).toContain('poisoned page');
    expect(status.workers.length).toBeGreaterThanOrEqual(1);
    expect(status.runs.length).toBeGreaterThanOrEqual(2);
  });

  it('applying a schedule file twice leaves one scheduler per entry, and a short schedule produces a crawl run', async () => {
    const file = parseScheduleText(`
schedules:
  - id: fake-every-second
    every: 1000
    crawl: { adapter: fake, queries: [lich], maxPages: 1 }
  - id: nightly-nike
    cron: "0 2 * * *"
    crawl: { adapter: fake, queries: [nike, adidas], maxPages: 2, evidence: true }
  - id: weekly-leads
    cron: "0 7 * * 1"
    export: { outDir: exports }
`);
    await applySchedules(queues, file);
    await applySchedules(queues, file);
    const list = await listSchedules(queues);
    expect(list.map((s) => s.id)).toEqual(['fake-every-second', 'nightly-nike', 'weekly-leads']);
    expect(list.find((s) => s.id === 'nightly-nike')!.timezone).toBe('Asia/Ho_Chi_Minh');
    const runRow = await waitFor('a scheduled crawl run', async () => {
      const { rows } = await e.db.query<{ id: number; status: string; params: { scheduleId?: string } }>(
        `SELECT id, status, params FROM crawl_runs WHERE target = 'lich' ORDER BY id LIMIT 1`,
      );
      return rows[0];
    });
    expect(runRow.params.scheduleId).toBe('fake-every-second');
    expect(await removeSchedule(queues, 'fake-every-second')).toBe(true);
    expect(await removeSchedule(queues, 'fake-every-second')).toBe(false);
    expect((await listSchedules(queues)).map((s) => s.id)).toEqual(['nightly-nike', 'weekly-leads']);
    await applySchedules(queues, parseScheduleText(`schedules:\n  - { id: weekly-leads, cron: "0 7 * * 1", export: {} }\n`), {
      prune: true,
    });
    expect((await listSchedules(queues)).map((s) => s.id)).toEqual(['weekly-leads']);
    await waitFor('queues to drain', async () => ((await drained(queues)) ? true : undefined));
  });
});

describe('schedule files', () => {
  it('the shipped example validates, and a bad entry is a one-line error naming it', async () => {
    const { loadScheduleFile } = await import('../../src/apps/queue/schedules.ts');
    expect(loadScheduleFile('schedules.example.yaml').schedules.length).toBeGreaterThan(0);
    expect(() => parseScheduleText('schedules:\n  - { id: x, cron: "0 * * * *" }\n')).toThrow(
      /schedules\.0: give exactly one of crawl, export, alerts or watch/,
    );
    expect(() => parseScheduleText('schedules: [')).toThrow(/not valid YAML/);
  });
});

describe('producers without Redis', () => {
  it('fail fast with a one-line error naming the URL when Redis is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    await expect(connectProducer(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`127\\.0\\.0\\.1:${port} is unreachable \\(.*ECONNREFUSED`),
    );
  });
});
