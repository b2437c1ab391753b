import type { SuiteInfo } from '../lib/suite.ts';

/**
 * Every suite, in run order: the quicker ones first, so a run cut short still has most suites. Only data: the harness loads a suite's code inside its own child
 * process, so a suite whose dependency has not landed cannot break the others.
 */
export const SUITES: readonly SuiteInfo[] = [
  {
    name: 'sandbox-serve',
    description: 'sandbox requests/s on JSON and HTML detail pages vs a fixed-body node:http server (issue 3: never the crawl bottleneck)',
    timeoutSeconds: { quick: 180, full: 300 },
  },
  {
    name: 'crawl-static',
    description: 'our runner (fetch, parse, upsert) vs bare CheerioCrawler on the /shop and /tiki sandbox skins',
    timeoutSeconds: { quick: 240, full: 600 },
  },
  {
    name: 'crawl-browser',
    description: 'our browser adapter vs bare default PlaywrightCrawler on the /shopee sandbox skin',
    timeoutSeconds: { quick: 240, full: 600 },
  },
  {
    name: 'score-offline',
    description: 'score-file over 200k sandbox listings on one core, and against the commit that set its target',
    timeoutSeconds: { quick: 240, full: 900 },
  },
  { name: 'queue', description: 'fetch-job throughput through BullMQ, 2 worker processes vs 1', timeoutSeconds: { quick: 240, full: 600 } },
  {
    name: 'ingest',
    description: 'batched upserts vs naive one-row INSERTs, 100k listings, Postgres and PGlite',
    timeoutSeconds: { quick: 240, full: 840 },
  },
  {
    name: 'score-db',
    description: 'radar score --all over 1M stored listings on the local Postgres',
    timeoutSeconds: { quick: 240, full: 840 },
  },
  {
    name: 'console',
    description: 'analyst console: p95 of the queue data request and lead detail over HTTP, 1M listings and 200k leads on Postgres',
    timeoutSeconds: { quick: 300, full: 1500 },
  },
  {
    name: 'memory',
    description: 'peak RSS and RSS growth of a crawl worker (HTTP path) crawling 100k sandbox pages',
    timeoutSeconds: { quick: 240, full: 1200 },
  },
];

export const SUITE_NAMES: readonly string[] = SUITES.map((suite) => suite.name);
