import { Command, Option } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { wholeNumber } from '../options.ts';
import { getContext, printJson, withDb } from '../context.ts';
import { untilStopped, watchParent } from '../lifetime.ts';

async function withQueues<T>(fn: (queues: import('../../queue/queues.ts').QueueSet) => Promise<T>, prefix?: string): Promise<T> {
  const { requireRedisUrl, connectProducer } = await import('../../queue/connection.ts');
  const { QueueSet } = await import('../../queue/queues.ts');
  const { queuePrefix } = await import('../../queue/setup.ts');
  const redis = await connectProducer(requireRedisUrl(getContext().config));
  const queues = new QueueSet(redis, queuePrefix(prefix));
  try {
    return await fn(queues);
  } catch (error) {
    if (error instanceof Error && /Stream isn't writeable|enableOfflineQueue|Connection is closed/i.test(error.message)) {
      throw new UserError(`Redis went away during the command (${error.message}); check Redis and retry`);
    }
    throw error;
  } finally {
    await queues.close().catch(() => undefined);
    redis.disconnect();
  }
}

const prefixOption = () => new Option('--prefix <p>', 'Redis key prefix for the queues (env RADAR_QUEUE_PREFIX)').hideHelp();

export function register(program: Command): void {
  program
    .command('worker')
    .description('run a long-lived queue worker: crawl (discover, fetch), score, evidence and export jobs.')
    .option('--queues <list>', 'comma-separated queues or stages to consume (discover, fetch, fetch-tiki, score, evidence, export)')
    .option('--concurrency <n>', 'jobs in flight per queue in this process', wholeNumber('--concurrency'), 2)
    .option(
      '--max-jobs <n>',
      'exit cleanly after this many jobs (a supervisor restarts it); 0 = never',
      wholeNumber('--max-jobs', { min: 0 }),
      0,
    )
    .option(
      '--max-memory-mb <m>',
      'exit cleanly when the process uses more memory than this; 0 = never',
      wholeNumber('--max-memory-mb', { min: 0 }),
      0,
    )
    .option('--window-hours <h>', 'a listing is fetched at most once per this many hours', wholeNumber('--window-hours'), 24)
    .option('--shutdown-timeout-ms <ms>', 'longest a SIGTERM shutdown may take', wholeNumber('--shutdown-timeout-ms'), 30_000)
    .option(
      '--lock-duration-ms <ms>',
      "how long a dead worker's jobs stay locked before others retry them",
      wholeNumber('--lock-duration-ms'),
      30_000,
    )
    .option('--stalled-interval-ms <ms>', 'how often to look for jobs of dead workers', wholeNumber('--stalled-interval-ms'), 30_000)
    .option('--migrate', 'apply pending database migrations before taking jobs (otherwise an unmigrated database stops it)')
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Needs REDIS_URL and (for more than one machine) DATABASE_URL. SIGTERM/SIGINT stop it within
--shutdown-timeout-ms; unfinished jobs go back to the queue for other workers.

Examples:
  $ REDIS_URL=redis://127.0.0.1:6379 radar worker --concurrency 4
  $ radar worker --queues discover,fetch --max-jobs 500 --max-memory-mb 1500`,
    )
    .action(
      async (opts: {
        queues?: string;
        concurrency: number;
        maxJobs: number;
        maxMemoryMb: number;
        windowHours: number;
        shutdownTimeoutMs: number;
        lockDurationMs: number;
        stalledIntervalMs: number;
        migrate?: boolean;
        prefix?: string;
      }) => {
        const { requireRedisUrl, connectProducer } = await import('../../queue/connection.ts');
        const { startWorker, rateLimitsFromConfig } = await import('../../queue/worker.ts');
        const { queuePrefix, loadPipeline } = await import('../../queue/setup.ts');
        const { resolveQueueNames } = await import('../../queue/names.ts');
        const ctx = getContext();
        const redisUrl = requireRedisUrl(ctx.config);
        const queueList = opts.queues
          ?.split(',')
          .map((q) => q.trim())
          .filter(Boolean);
        try {
          resolveQueueNames(queueList);
        } catch (error) {
          throw new UserError((error as Error).message);
        }
        // Fail fast with a clear line if Redis is down at start; later outages are waited out.
        (await connectProducer(redisUrl)).disconnect();
        await withDb(
          async (db, { config, log }) => {
            const { executor, services } = await loadPipeline({ db, config, log });
            const worker = await startWorker({
              redisUrl,
              db,
              log,
              executor,
              services,
              alertTransport: { smtpUrl: config.smtpUrl, from: config.alertFrom },
              queues: queueList,
              concurrency: Math.max(1, opts.concurrency),
              maxJobs: opts.maxJobs,
              maxMemoryMb: opts.maxMemoryMb,
              windowHours: Math.max(1, opts.windowHours),
              shutdownTimeoutMs: opts.shutdownTimeoutMs,
              lockDurationMs: Math.max(1_000, opts.lockDurationMs),
              stalledIntervalMs: Math.max(1_000, opts.stalledIntervalMs),
              prefix: queuePrefix(opts.prefix),
              rateLimits: rateLimitsFromConfig(config),
            });
            const onSignal = (signal: NodeJS.Signals) => {
              log.info({ signal }, 'shutting down');
              void worker.stop('signal');
            };
            process.once('SIGTERM', onSignal);
            process.once('SIGINT', onSignal);
            const unwatch = watchParent(() => {
              log.warn('parent process exited; shutting down');
              void worker.stop('signal');
            });
            const reason = await worker.done;
            unwatch();
            process.removeListener('SIGTERM', onSignal);
            process.removeListener('SIGINT', onSignal);
            log.info({ reason, jobs: worker.processed() }, 'worker stopped');
          },
          opts.migrate ? { migrate: true } : {},
        );
      },
    );

  const enqueue = program.command('enqueue').description('put work on the queues for `radar worker` processes.');
  enqueue
    .command('crawl')
    .description('Queue a crawl: creates the crawl run and its first discover jobs; workers do the rest. Prints the run id.')
    .requiredOption('--adapter <name>', 'adapter: shopee | lazada | tiki | sendo | tiktok | schemaorg | selectors')
    .option('--query <q>', 'search query')
    .option('--category <c>', 'category id or slug')
    .option('--shop <id>', 'shop id: crawl that shop')
    .option('--url <u>', 'one page URL')
    .option('--max-pages <n>', 'result pages to follow', wholeNumber('--max-pages'), 3)
    .option('--base-url <url>', 'point the adapter elsewhere, e.g. the sandbox')
    .option('--evidence', 'capture evidence for flagged listings', false)
    .option('--json', 'print {"runId":…} as JSON')
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Examples:
  $ radar enqueue crawl --adapter tiki --query "giày nike" --max-pages 5
  $ radar enqueue crawl --adapter sendo --base-url http://127.0.0.1:8080/sendo --category shoes-bags --json`,
    )
    .action(
      async (opts: {
        adapter: string;
        query?: string;
        category?: string;
        shop?: string;
        url?: string;
        maxPages: number;
        baseUrl?: string;
        evidence: boolean;
        json?: boolean;
        prefix?: string;
      }) => {
        const targets = [
          opts.query !== undefined ? { mode: 'query' as const, query: opts.query } : null,
          opts.category !== undefined ? { mode: 'category' as const, category: opts.category } : null,
          opts.shop !== undefined ? { mode: 'shop' as const, shopId: opts.shop } : null,
          opts.url !== undefined ? { mode: 'url' as const, url: opts.url } : null,
        ].filter((t) => t !== null);
        if (targets.length !== 1) throw new UserError('give exactly one of --query, --category, --shop or --url');
        if (opts.maxPages < 1) throw new UserError('--max-pages must be at least 1');
        const { RunTracker } = await import('../../queue/tracking.ts');
        const { startQueuedCrawl } = await import('../../queue/processors.ts');
        const { loadPipeline } = await import('../../queue/setup.ts');
        await withQueues(async (queues) => {
          const started = await withDb(async (db, { config, log }) => {
            const { executor } = await loadPipeline({ db, config, log });
            try {
              executor.marketplaceOf(opts.adapter);
            } catch (error) {
              throw new UserError(`unknown adapter "${opts.adapter}": ${(error as Error).message}`);
            }
            const tracker = new RunTracker(queues.connection, queues.prefix, 25 * 3600);
            return startQueuedCrawl(
              { db, queues, tracker, executor, windowHours: 24 },
              {
                adapter: opts.adapter,
                target: targets[0]!,
                maxPages: opts.maxPages,
                evidence: opts.evidence,
                ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
              },
            );
          });
          process.stderr.write(`queued crawl run ${started.runId}: ${started.requests} start request(s) for ${started.marketplace}\n`);
          if (opts.json) printJson(started);
          else process.stdout.write(`${started.runId}\n`);
        }, opts.prefix);
      },
    );

  const schedule = program
    .command('schedule')
    .description('recurring crawls and exports (BullMQ job schedulers, cron in Asia/Ho_Chi_Minh).');
  schedule
    .command('apply')
    .description('Create or update one scheduler per entry of FILE.yaml; applying the same file twice changes nothing.')
    .argument('<file>', 'schedule file (see schedules.example.yaml)')
    .option('--prune', 'also remove schedulers that are not in the file')
    .option('--keep-alive', 'stay running and re-apply every 10 minutes (docker-compose scheduler service)')
    .option('--json', 'print the applied schedulers as JSON')
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Example:
  $ radar schedule apply schedules.example.yaml --prune`,
    )
    .action(async (file: string, opts: { prune?: boolean; keepAlive?: boolean; json?: boolean; prefix?: string }) => {
      const { loadScheduleFile, applySchedules } = await import('../../queue/schedules.ts');
      const parsed = loadScheduleFile(file);
      const applyOnce = () =>
        withQueues(async (queues) => {
          const result = await applySchedules(queues, parsed, { prune: opts.prune });
          if (opts.json) printJson(result);
          else {
            for (const a of result.applied)
              process.stdout.write(`${a.id}\t${a.queue}\tnext ${a.next ? new Date(a.next).toISOString() : '-'}\n`);
            for (const id of result.removed) process.stdout.write(`${id}\tremoved\n`);
          }
          return result;
        }, opts.prefix);
      await applyOnce();
      if (!opts.keepAlive) return;
      process.stderr.write('schedules applied; keeping alive (SIGTERM to stop), re-applying every 10 minutes\n');
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          applyOnce().catch((error: Error) => process.stderr.write(`re-apply failed: ${error.message}\n`));
        }, 600_000);
        const stop = () => {
          clearInterval(timer);
          resolve();
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        watchParent(stop);
      });
    });
  schedule
    .command('list')
    .description('List the job schedulers with their cron and next run.')
    .option('--json', 'JSON, one array')
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Example:
  $ radar schedule list --json`,
    )
    .action(async (opts: { json?: boolean; prefix?: string }) => {
      const { listSchedules } = await import('../../queue/schedules.ts');
      await withQueues(async (queues) => {
        const list = await listSchedules(queues);
        if (opts.json) printJson(list);
        else if (list.length === 0) process.stdout.write('no schedules; apply some with `radar schedule apply schedules.example.yaml`\n');
        else
          for (const s of list)
            process.stdout.write(`${s.id}\t${s.cron ?? `every ${s.everyMs}ms`}\t${s.timezone ?? ''}\tnext ${s.nextRunAt ?? '-'}\n`);
      }, opts.prefix);
    });
  schedule
    .command('remove')
    .description('Remove one job scheduler by id.')
    .argument('<id>', 'scheduler id (see `radar schedule list`)')
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Example:
  $ radar schedule remove tiki-nike-6h`,
    )
    .action(async (id: string, opts: { prefix?: string }) => {
      const { removeSchedule } = await import('../../queue/schedules.ts');
      await withQueues(async (queues) => {
        if (!(await removeSchedule(queues, id))) throw new UserError(`no schedule "${id}"; see \`radar schedule list\``);
        process.stdout.write(`removed ${id}\n`);
      }, opts.prefix);
    });

  program
    .command('status')
    .description('queue counts, workers seen, latest crawl runs with rates, and the next run of each schedule.')
    .option('--json', 'one JSON object')
    .option('--runs <n>', 'how many recent crawl runs', wholeNumber('--runs'), 10)
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Example:
  $ radar status --json | jq '.queues[] | select(.failed > 0)'`,
    )
    .action(async (opts: { json?: boolean; runs: number; prefix?: string }) => {
      const { getQueueStatus, formatStatus } = await import('../../queue/status.ts');
      await withQueues(async (queues) => {
        const status = await withDb((db) => getQueueStatus(queues, db, { runs: opts.runs }));
        if (opts.json) printJson(status);
        else process.stdout.write(`${formatStatus(status)}\n`);
      }, opts.prefix);
    });

  program
    .command('dashboard')
    .description('serve the bull-board queue dashboard, protected by RADAR_DASHBOARD_TOKEN.')
    .option('--port <n>', 'port (0 = any free port)', wholeNumber('--port', { min: 0 }), 3030)
    .option('--host <h>', 'interface to bind', '127.0.0.1')
    .addOption(prefixOption())
    .addHelpText(
      'after',
      `
Example:
  $ RADAR_DASHBOARD_TOKEN=$(openssl rand -hex 24) radar dashboard --port 3030
  then open http://127.0.0.1:3030/?token=<token>`,
    )
    .action(async (opts: { port: number; host: string; prefix?: string }) => {
      const { requireRedisUrl, connectProducer } = await import('../../queue/connection.ts');
      const { QueueSet } = await import('../../queue/queues.ts');
      const { queuePrefix } = await import('../../queue/setup.ts');
      const { startDashboard } = await import('../../queue/dashboard.ts');
      const ctx = getContext();
      if (!ctx.config.dashboardToken)
        throw new UserError('set RADAR_DASHBOARD_TOKEN (16+ characters) first; the dashboard never runs open');
      const redisUrl = requireRedisUrl(ctx.config);
      (await connectProducer(redisUrl)).disconnect();
      const { workerConnection } = await import('../../queue/connection.ts');
      const connection = workerConnection(redisUrl);
      const queues = new QueueSet(connection, queuePrefix(opts.prefix));
      const dashboard = await startDashboard({ queues, token: ctx.config.dashboardToken, port: opts.port, host: opts.host });
      process.stderr.write(`dashboard on ${dashboard.url} (open ${dashboard.url}?token=… once)\n`);
      await untilStopped();
      await dashboard.close();
      await queues.close();
      connection.disconnect();
    });
}
