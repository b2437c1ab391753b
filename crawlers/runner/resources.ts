import { randomUUID } from 'node:crypto';
import { ProxyConfiguration } from 'crawlee';
import type { Browser } from 'playwright';
import { BROWSER_ARGS } from './browser-args.ts';
import { createHttpFetcher, type OwnedPageFetcher, type PageFetcher } from './http-fetch.ts';
import { loadRobots, type RobotsGate, type RobotsLog } from './robots.ts';
import { createDnsCache, type Resolver } from './ssrf.ts';
import { launchGuardedChromium } from './browser-guard.ts';

/** Options of {@link createRunnerResources}. */
export interface RunnerResourcesOptions {
  /**
   * How long a robots.txt that was read (or answered 4xx) is trusted (ms).
   * @default 3_600_000
   */
  robotsTtlMs?: number;
  /**
   * How long an unreachable robots.txt (everything disallowed meanwhile) is remembered before it is tried again (ms).
   * @default 60_000
   */
  robotsFailureTtlMs?: number;
  /**
   * How long a DNS answer checked by the SSRF guard is reused (ms).
   * @default 30_000
   */
  dnsTtlMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/** A rotating session: its id picks the proxy, and a block retires it for a fresh one. */
export interface RunnerSession {
  readonly id: string;
  retire(): void;
}

/**
 * What a worker process keeps between queue jobs, so a job with one request pays for one fetch
 * and not for a new HTTP agent, a robots.txt round trip, DNS lookups or a Chromium start.
 * Every cache is keyed by what changes its answer (allowlist, robots URL, proxy list), so jobs of
 * different adapters and base URLs share nothing they should not.
 */
export interface RunnerResources {
  /** The keep-alive, SSRF-guarded fetcher for this allowlist (one per distinct allowlist). */
  fetcher(allowHosts: readonly string[]): PageFetcher;
  /**
   * One robots.txt, read at most once per TTL per process; concurrent callers share one fetch.
   * An unreachable file disallows everything (RFC 9309, as `loadRobots`) and is tried again after
   * the short failure TTL.
   */
  robots(robotsUrl: string, fetchPage: PageFetcher, log: RobotsLog): Promise<RobotsGate>;
  /** The caching DNS resolver the fetchers use, for the crawl's own SSRF checks. */
  readonly resolve: Resolver;
  /** One ProxyConfiguration per proxy list, or undefined without proxies. */
  proxies(proxyUrls: readonly string[]): ProxyConfiguration | undefined;
  /** A session from a small pool of `size`; blocked sessions are replaced, so rotation spans jobs. */
  session(size: number): RunnerSession;
  /** One Chromium per executable path, launched on first use and relaunched if it dies. */
  browser(chromiumPath: string): Promise<Browser>;
  /** Closes the browser and the HTTP agents' idle sockets. */
  close(): Promise<void>;
}

interface RobotsEntry {
  gate: Promise<RobotsGate>;
  expiresAt: number;
}

export function createRunnerResources(options: RunnerResourcesOptions = {}): RunnerResources {
  const now = options.now ?? Date.now;
  const robotsTtlMs = options.robotsTtlMs ?? 3_600_000;
  const robotsFailureTtlMs = options.robotsFailureTtlMs ?? 60_000;
  const resolve: Resolver = createDnsCache({ ttlMs: options.dnsTtlMs ?? 30_000, now });
  const fetchers = new Map<string, OwnedPageFetcher>();
  const robots = new Map<string, RobotsEntry>();
  const proxies = new Map<string, ProxyConfiguration>();
  const sessions: string[] = [];
  let nextSession = 0;
  const browsers = new Map<string, Promise<Browser>>();

  return {
    fetcher(allowHosts) {
      const key = [...new Set(allowHosts)].sort().join(' ');
      let fetcher = fetchers.get(key);
      if (!fetcher) {
        fetcher = createHttpFetcher({ allowHosts, resolve });
        fetchers.set(key, fetcher);
      }
      return fetcher;
    },

    resolve,

    robots(robotsUrl, fetchPage, log) {
      const cached = robots.get(robotsUrl);
      if (cached && cached.expiresAt > now()) return cached.gate;
      const entry: RobotsEntry = { gate: Promise.resolve(null as unknown as RobotsGate), expiresAt: now() + robotsTtlMs };
      entry.gate = loadRobots(robotsUrl, fetchPage, log).then((gate) => {
        // `loadRobots` never throws; an unreachable file is asked again soon.
        if (gate.status === 'unreachable') entry.expiresAt = now() + robotsFailureTtlMs;
        return gate;
      });
      robots.set(robotsUrl, entry);
      return entry.gate;
    },

    proxies(proxyUrls) {
      if (proxyUrls.length === 0) return undefined;
      const key = proxyUrls.join(' ');
      let proxy = proxies.get(key);
      if (!proxy) {
        proxy = new ProxyConfiguration({ proxyUrls: [...proxyUrls] });
        proxies.set(key, proxy);
      }
      return proxy;
    },

    session(size) {
      const slot = nextSession++ % Math.max(1, size);
      sessions[slot] ??= randomUUID();
      const id = sessions[slot];
      return {
        id,
        retire() {
          if (sessions[slot] === id) sessions[slot] = randomUUID();
        },
      };
    },

    browser(chromiumPath) {
      let browser = browsers.get(chromiumPath);
      if (!browser) {
        // Behind the SSRF guard's proxy; each job's context adds its own allowlisted hosts.
        browser = import('playwright').then(({ chromium }) =>
          launchGuardedChromium(chromium, { executablePath: chromiumPath, args: BROWSER_ARGS, headless: true }),
        );
        browsers.set(chromiumPath, browser);
        // A crashed or failed browser is launched again by the next job, not reused dead.
        browser.then(
          (launched) => launched.once('disconnected', () => browsers.get(chromiumPath) === browser && browsers.delete(chromiumPath)),
          () => browsers.get(chromiumPath) === browser && browsers.delete(chromiumPath),
        );
      }
      return browser;
    },

    async close() {
      const open = [...browsers.values()];
      browsers.clear();
      await Promise.all(open.map((browser) => browser.then((b) => b.close()).catch(() => undefined)));
      for (const fetcher of fetchers.values()) fetcher.destroy();
      fetchers.clear();
      robots.clear();
    },
  };
}

let processResources: RunnerResources | undefined;

/** The resources of this process, shared by every `processRequests` call (every queue job). */
export function sharedRunnerResources(): RunnerResources {
  processResources ??= createRunnerResources();
  return processResources;
}

/** Closes the process-wide resources (a worker shutting down); the next use starts fresh ones. */
export async function closeSharedRunnerResources(): Promise<void> {
  const resources = processResources;
  processResources = undefined;
  await resources?.close();
}
