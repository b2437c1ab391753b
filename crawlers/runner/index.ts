/** The crawl runner: crawlee, sessions, politeness, SSRF guard, storage and evidence. */
export { runCrawl, resolveTuning, type RunCrawlOptions, type CrawlSummary, type CrawlTuning, type RunnerDeps } from './run-crawl.ts';
export { processRequests, type ProcessRequestsOptions, type ProcessRequestsResult } from './process-requests.ts';
export { captureEvidence, writeEvidence, evidenceDir, resolveOperator, CaptureBrowser, type EvidenceRecord, type EvidenceFile, type CaptureEvidenceInput, type CaptureResult } from './evidence.ts';
export { captureLeads, type CaptureLeadsResult } from './capture-leads.ts';
export { checkUrl, assertFetchable, forbiddenAddressReason, isAllowlisted, SsrfError } from './ssrf.ts';
export { DomainRateLimiter } from './rate-limit.ts';
export { createRunnerResources, sharedRunnerResources, closeSharedRunnerResources, type RunnerResources, type RunnerResourcesOptions } from './resources.ts';
export { createDnsCache } from './ssrf.ts';
export { parseRetryAfter, backoffDelay } from './retry.ts';
export { formatProgress, type CrawlStatsSnapshot } from './stats.ts';
export { CRAWLER_VERSION } from './version.ts';
