/**
 * Public entry of the crawlers package: the adapter contract, the adapter registry and the runner.
 * Queue workers and the CLI import from here rather than reaching into folders.
 */
export type { MarketplaceAdapter, CrawlRequest, CrawlTarget, FetchedPage, ParseResult, PageKind } from './adapter.ts';
export { getAdapter, ADAPTER_NAMES } from './adapters/index.ts';
export * from './runner/index.ts';
