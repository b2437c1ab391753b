/**
 * The crawl runner: one per-request pipeline (robots.txt → SSRF guard → rate limit → fetch →
 * parse and block check → sink → evidence → discovery) over plain HTTP or a browser, with
 * crawlee's retry and session rules; see README.md in this folder.
 */
export { runCrawl, resolveTuning, type RunCrawlOptions, type CrawlSummary, type CrawlTuning, type RunnerDeps } from './run-crawl.ts';
export { processRequests, type ProcessRequestsOptions, type ProcessRequestsResult } from './process-requests.ts';
export {
  captureEvidence,
  writeEvidence,
  evidenceDir,
  resolveOperator,
  CaptureBrowser,
  type EvidenceRecord,
  type EvidenceFile,
  type CaptureEvidenceInput,
  type CaptureResult,
} from './evidence.ts';
export { captureLeads, type CaptureLeadsResult } from './capture-leads.ts';
export { checkUrl, assertFetchable, forbiddenAddressReason, isAllowlisted, SsrfError } from './ssrf.ts';
export { DomainRateLimiter } from './rate-limit.ts';
export {
  createRunnerResources,
  sharedRunnerResources,
  closeSharedRunnerResources,
  type RunnerResources,
  type RunnerResourcesOptions,
} from './resources.ts';
export { createDnsCache } from './ssrf.ts';
export { parseRetryAfter, backoffDelay } from './retry.ts';
export { formatProgress, type CrawlStatsSnapshot } from './stats.ts';
export { CRAWLER_VERSION } from './version.ts';
