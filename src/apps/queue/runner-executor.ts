import type { CrawlRequest, MarketplaceAdapter } from '../../../crawlers/adapter.ts';
import type { ProcessRequestsOptions, ProcessRequestsResult } from '../../../crawlers/runner/index.ts';
import type { RunnerDeps } from '../../../crawlers/runner/engine.ts';
import { MarketplaceSchema } from '../../core/domain/records.ts';
import type { CrawlExecutor, ExecutorDeps, PageOutcome, ProcessContext } from './executor.ts';

/** Thrown when a marketplace blocked every attempt: BullMQ retries the job later with backoff. */
export class BlockedOutError extends Error {
  constructor(reason: string) {
    super(`blocked by the marketplace: ${reason}`);
    this.name = 'BlockedOutError';
  }
}

type GetAdapter = (name: string) => MarketplaceAdapter;
type ProcessRequests = (
  requests: readonly CrawlRequest[],
  options: ProcessRequestsOptions,
  deps: RunnerDeps,
) => Promise<ProcessRequestsResult>;

// Loaded at run time: the adapter registry is another workstream's module, and importing crawlee
// only in workers keeps every other command fast.
const ADAPTERS_MODULE = '../../../crawlers/adapters/index.ts';
const RUNNER_MODULE = '../../../crawlers/runner/index.ts';

async function loadFunction<T>(specifier: string, name: string): Promise<T> {
  const mod = (await import(new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`${specifier} does not export ${name}()`);
  return fn as T;
}

/**
 * The host of a loopback base URL (the sandbox, a local mirror), else null. Only loopback hosts are
 * let past the SSRF guard automatically; a private-network base URL still needs RADAR_ALLOW_HOSTS.
 */
export function loopbackHost(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { host, hostname } = new URL(url);
    const bare = hostname.replace(/^\[|\]$/g, '');
    return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) ? host : null;
  } catch {
    return null;
  }
}

/**
 * The production executor: the runner's `processRequests` fan-out seam with the adapters from
 * `getAdapter`. One rate limiter is shared by every job in the process (politeness across jobs);
 * the fleet-wide rate is the fetch queues' BullMQ global rate limit. Everything else a job needs
 * (HTTP agent, robots.txt, DNS answers, sessions, the browser) is the runner's per-process cache,
 * so a one-request job costs one fetch, one parse and one write.
 */
export async function createRunnerExecutor(deps: ExecutorDeps): Promise<CrawlExecutor> {
  const getAdapter = await loadFunction<GetAdapter>(ADAPTERS_MODULE, 'getAdapter');
  const processRequests = await loadFunction<ProcessRequests>(RUNNER_MODULE, 'processRequests');
  const closeRunnerResources = await loadFunction<() => Promise<void>>(RUNNER_MODULE, 'closeSharedRunnerResources');
  const { DomainRateLimiter } = await import('../../../crawlers/runner/rate-limit.ts');
  const limiters = new Map<string, InstanceType<typeof DomainRateLimiter>>();
  // Our own loopback sandbox needs no politeness; the fleet-wide pace is the fetch queue's limit.
  const unlimited = new DomainRateLimiter(0);
  const limiterFor = (adapter: string, local: boolean) => {
    if (local) return unlimited;
    let limiter = limiters.get(adapter);
    if (!limiter) {
      limiter = new DomainRateLimiter(deps.config.adapters[adapter]?.requestsPerMinute ?? 120);
      limiters.set(adapter, limiter);
    }
    return limiter;
  };
  return {
    marketplaceOf: (adapter) => MarketplaceSchema.parse(getAdapter(adapter).marketplace),
    startRequests: (adapter, target, options) => {
      const a = getAdapter(adapter);
      const baseUrl = (options.baseUrl ?? deps.config.adapters[adapter]?.baseUrl ?? a.defaultBaseUrl).replace(/\/+$/, '');
      return a.startRequests(target, { baseUrl, maxPages: options.maxPages });
    },
    async process(requests: CrawlRequest[], context: ProcessContext): Promise<PageOutcome> {
      const local = loopbackHost(context.baseUrl);
      const result = await processRequests(
        requests,
        {
          adapter: getAdapter(context.adapter),
          runId: context.runId,
          onDiscovered: context.onDiscovered,
          signal: context.signal,
          evidence: context.evidence,
          limiter: limiterFor(context.adapter, local !== null),
          // One request per job: parallelism comes from worker concurrency and processes.
          concurrency: 1,
          ...(context.baseUrl ? { baseUrl: context.baseUrl } : {}),
          ...(local ? { allowHosts: [local], requestsPerMinute: 0 } : {}),
        },
        { db: deps.db, config: deps.config, log: deps.log },
      );
      if (result.blockedOut || result.blockedRequests > 0) throw new BlockedOutError(result.lastBlockReason ?? 'blocked');
      return { listingIds: [] };
    },
    // processRequests keeps keep-alive sockets, robots.txt and a Chromium between jobs; the worker
    // closes them when it stops.
    close: () => closeRunnerResources(),
  };
}
