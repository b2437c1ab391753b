import type { CrawlRequest, CrawlTarget } from '../../../crawlers/adapter.ts';
import type { Marketplace } from '../../core/domain/records.ts';
import type { Config } from '../../core/config/schema.ts';
import type { Db } from '../../core/db/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { ExportJob } from './jobs.ts';

/** What one page job produced, for follow-on stages and run stats. */
export interface PageOutcome {
  /** Database ids of listings stored (inserted or updated) by this job: they flow on to scoring. */
  listingIds: number[];
}

/** Context a page job hands to the crawl layer. */
export interface ProcessContext {
  adapter: string;
  runId: number;
  /**
   * The run's base URL override (a sandbox skin); a loopback one is also allowlisted and unthrottled.
   * @default config.adapters[name].baseUrl, else the adapter's real host
   */
  baseUrl?: string;
  maxPages: number;
  evidence: boolean;
  /** Aborted on worker shutdown or job cancellation; the crawl must stop (crawler.stop()). */
  signal: AbortSignal;
  /** Follow-up requests (next pages, details, shops) go to the queues instead of crawlee's own queue. */
  onDiscovered: (requests: CrawlRequest[]) => Promise<void>;
}

/**
 * The narrow seam between queues and the crawl layer (crawlers/runner). Queue logic is tested
 * against a stand-in; the worker uses `loadRunnerExecutor`.
 */
export interface CrawlExecutor {
  /** The marketplace an adapter's records belong to; throws on an unknown adapter. */
  marketplaceOf(adapter: string): Marketplace;
  startRequests(adapter: string, target: CrawlTarget, options: { baseUrl?: string; maxPages: number }): CrawlRequest[];
  process(requests: CrawlRequest[], context: ProcessContext): Promise<PageOutcome>;
  close?(): Promise<void>;
}

/** Later pipeline stages; each is optional so a build without it still crawls. */
export interface PipelineServices {
  /** Scores listings; returns the ids that were flagged (they may get evidence). */
  scoreListings?(listingIds: number[], signal: AbortSignal): Promise<{ flaggedListingIds: number[] }>;
  captureEvidence?(listingIds: number[], signal: AbortSignal, options?: EvidenceCaptureOptions): Promise<void>;
  /** Captures the listing and shop pages of leads (`radar leads capture --queue`). */
  captureLeads?(leadIds: number[], signal: AbortSignal, options?: EvidenceCaptureOptions): Promise<{ captured: number; failed: number }>;
  exportWeeklyLeads?(job: ExportJob, signal: AbortSignal): Promise<{ files: string[] }>;
}

export interface EvidenceCaptureOptions {
  /** Hosts an operator allowed past the SSRF guard (the crawl's base URL host, a sandbox). Without it, only config.allowHosts. */
  allowHosts?: string[];
  /** Who captures, for the custody log. @default 'queue worker' */
  operator?: string;
}

export interface ExecutorDeps {
  db: Db;
  config: Config;
  log: Logger;
}

/** A module that builds an executor; `RADAR_QUEUE_EXECUTOR` may name one (tests, benchmarks). */
export interface ExecutorModule {
  createExecutor(deps: ExecutorDeps): CrawlExecutor | Promise<CrawlExecutor>;
  createServices?(deps: ExecutorDeps): PipelineServices | Promise<PipelineServices>;
}

function isExecutorModule(value: unknown): value is ExecutorModule {
  return typeof value === 'object' && value !== null && typeof (value as { createExecutor?: unknown }).createExecutor === 'function';
}

/** Loads an executor module from a path (absolute, or relative to cwd). */
export async function loadExecutorModule(modulePath: string): Promise<ExecutorModule> {
  const { pathToFileURL } = await import('node:url');
  const path = await import('node:path');
  const mod: unknown = await import(pathToFileURL(path.resolve(modulePath)).href);
  if (!isExecutorModule(mod)) throw new Error(`${modulePath} does not export createExecutor(deps)`);
  return mod;
}
