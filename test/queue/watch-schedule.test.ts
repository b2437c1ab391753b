// The watch schedule on real Redis + BullMQ: each tick turns the active watch items into start-crawl jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker, type Job } from 'bullmq';
import { workerConnection } from '../../src/apps/queue/connection.ts';
import { JOB, StartCrawlJobSchema, type StartCrawlJob } from '../../src/apps/queue/jobs.ts';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { applySchedules, listSchedules, parseScheduleText, removeSchedule } from '../../src/apps/queue/schedules.ts';
import { processWatchCrawl } from '../../src/apps/queue/watch-jobs.ts';
import { addWatchItem, removeWatchItem, type NewWatchItem } from '../../src/core/db/stores/watch.ts';
import { seedShopsAndListings } from '../leads/seed.ts';
import { queueTestEnv, waitFor, type QueueTestEnv } from './helpers.ts';

const env = await queueTestEnv();
const item = (kind: NewWatchItem['kind'], value: string, marketplace: NewWatchItem['marketplace'] = null): NewWatchItem => ({
  kind,
  value,
  marketplace,
  url: null,
  note: null,
  provinceCode: null,
  owner: 'test',
});

describe.skipIf(env === null)('watch schedule (Redis + BullMQ + PostgreSQL)', () => {
  const e = env as QueueTestEnv;
  let queues: QueueSet;
  let worker: Worker;
  /** Start jobs seen, by the tick that added them. */
  const ticks = new Map<string, Map<string, StartCrawlJob>>();
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    await seedShopsAndListings(
      e.db,
      [{ externalId: 'tk-shop' }, { externalId: 'sd-phone', marketplace: 'sendo' }, { externalId: 'tk-other' }],
      [
        { externalId: 'tk-1', shopExternalId: 'tk-shop' },
        { externalId: 'tk-2', shopExternalId: 'tk-shop' },
        { externalId: 'sd-1', shopExternalId: 'sd-phone', marketplace: 'sendo' },
        { externalId: 'tk-9', shopExternalId: 'tk-other' },
      ],
    );
    await e.db.query(`UPDATE shops SET phone_e164 = '+84901111222' WHERE external_id = 'sd-phone'`);
    ids.shop = (await addWatchItem(e.db, item('shop', 'tk-shop', 'tiki'))).id;
    ids.listing = (await addWatchItem(e.db, item('listing', 'https://tiki.example/p/tk-9', 'tiki'))).id;
    ids.phone = (await addWatchItem(e.db, item('phone', '+84901111222'))).id;
    ids.keyword = (await addWatchItem(e.db, item('keyword', 'rep 1:1'))).id;
    ids.lazadaKeyword = (await addWatchItem(e.db, item('keyword', 'giày fake', 'lazada'))).id;

    queues = new QueueSet(workerConnection(e.redisUrl), e.prefix);
    // The real watch tick; start-crawl jobs are only recorded here (their own path is tested in queue.test.ts).
    worker = new Worker(
      'discover',
      async (job: Job) => {
        if (job.name === JOB.watchCrawl) return processWatchCrawl({ db: e.db, queues }, job);
        const tick = /^w_(.+)_[a-z]+$/.exec(job.id ?? '')![1]!;
        if (!ticks.has(tick)) ticks.set(tick, new Map());
        ticks.get(tick)!.set(job.data.adapter as string, StartCrawlJobSchema.parse(job.data));
        return null;
      },
      { connection: workerConnection(e.redisUrl), prefix: e.prefix, concurrency: 1 },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await queues?.close();
    await e?.cleanup();
  });

  const targetsOf = (jobs: Map<string, StartCrawlJob>) =>
    Object.fromEntries([...jobs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([adapter, job]) => [adapter, job.targets]));

  /** The start jobs of the first complete tick that begins after `since` ticks were seen. */
  const nextTick = async (since: number, adapters: number) =>
    waitFor('a complete watch tick', async () => {
      const complete = [...ticks.values()].slice(since).find((jobs) => jobs.size === adapters);
      return complete ? { jobs: complete } : undefined;
    });

  it('a watch schedule entry becomes a job scheduler on the discover queue', async () => {
    const file = parseScheduleText(
      `schedules:\n  - id: watch-test\n    every: 1000\n    watch:\n      maxPages: 1\n      baseUrls: { tiki: "http://127.0.0.1:9/tiki" }\n`,
    );
    await applySchedules(queues, file);
    const listed = (await listSchedules(queues)).find((s) => s.id === 'watch-test');
    expect(listed).toMatchObject({ queue: 'discover', jobName: JOB.watchCrawl, everyMs: 1000 });
  });

  it('each tick asks for every watched shop, its listings, the phone’s shop, the listing and each keyword on each marketplace', async () => {
    const { jobs } = await nextTick(0, 5);
    expect(targetsOf(jobs)).toEqual({
      lazada: [
        { mode: 'query', query: 'giày fake' },
        { mode: 'query', query: 'rep 1:1' },
      ],
      sendo: [
        { mode: 'query', query: 'rep 1:1' },
        { mode: 'shop', shopId: 'sd-phone' },
        { mode: 'url', url: 'https://sendo.example/p/sd-1' },
      ],
      shopee: [{ mode: 'query', query: 'rep 1:1' }],
      tiki: [
        { mode: 'query', query: 'rep 1:1' },
        { mode: 'shop', shopId: 'tk-shop' },
        { mode: 'url', url: 'https://tiki.example/p/tk-1' },
        { mode: 'url', url: 'https://tiki.example/p/tk-2' },
        { mode: 'url', url: 'https://tiki.example/p/tk-9' },
      ],
      tiktok: [{ mode: 'query', query: 'rep 1:1' }],
    });
    expect(jobs.get('tiki')).toMatchObject({ maxPages: 1, scheduleId: 'watch-test', baseUrl: 'http://127.0.0.1:9/tiki' });
    expect(jobs.get('sendo')!.baseUrl).toBeUndefined();
  });

  it('removing watch items stops their crawls from the next tick on', async () => {
    await removeWatchItem(e.db, ids.keyword!);
    await removeWatchItem(e.db, ids.listing!);
    await removeWatchItem(e.db, ids.phone!);
    // The tick in flight may still carry them (BullMQ adds the next one as a tick starts); every tick after it must not.
    const { jobs } = await nextTick(ticks.size + 1, 2);
    expect(targetsOf(jobs)).toEqual({
      lazada: [{ mode: 'query', query: 'giày fake' }],
      tiki: [
        { mode: 'shop', shopId: 'tk-shop' },
        { mode: 'url', url: 'https://tiki.example/p/tk-1' },
        { mode: 'url', url: 'https://tiki.example/p/tk-2' },
      ],
    });
  });

  it('a retried tick adds nothing twice (one start job per tick and marketplace)', async () => {
    const fake = { id: 'manual-1', data: { maxPages: 1 }, repeatJobKey: undefined };
    await worker.pause();
    const first = await processWatchCrawl({ db: e.db, queues }, fake);
    const again = await processWatchCrawl({ db: e.db, queues }, fake);
    expect(again.crawls.map((c) => c.jobId)).toEqual(first.crawls.map((c) => c.jobId));
    const added = (await queues.get('discover').getJobs(['waiting', 'prioritized', 'active', 'completed'])).filter((j) =>
      j.id?.startsWith('w_manual-1_'),
    );
    expect(added.map((j) => j.id).sort()).toEqual(first.crawls.map((c) => c.jobId).sort());
    expect(await removeSchedule(queues, 'watch-test')).toBe(true);
  });
});
