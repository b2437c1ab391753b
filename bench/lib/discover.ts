import type { CrawlRequest, CrawlTarget, FetchedPage, MarketplaceAdapter } from '../../crawlers/adapter.ts';

/** A page the baseline crawler fetches: the same URL and headers our runner sends. */
export interface PagePlan {
  url: string;
  uniqueKey: string;
  headers: Record<string, string>;
}

/**
 * Walks a crawl target the way our runner does (start requests, then every follow-up the adapter
 * asks for, deduplicated by uniqueKey) with plain fetch, to list exactly the pages a crawl visits.
 * Untimed: it only tells the baseline which URLs to fetch.
 */
export async function discoverPages(
  adapter: MarketplaceAdapter,
  target: CrawlTarget,
  options: { baseUrl: string; maxPages: number; concurrency: number; limit?: number },
): Promise<PagePlan[]> {
  const seen = new Set<string>();
  const queue: CrawlRequest[] = [];
  const plan: PagePlan[] = [];
  const enqueue = (request: CrawlRequest) => {
    const key = request.uniqueKey ?? request.url;
    if (seen.has(key) || (options.limit !== undefined && seen.size >= options.limit)) return;
    seen.add(key);
    queue.push(request);
  };
  adapter.startRequests(target, { baseUrl: options.baseUrl, maxPages: options.maxPages }).forEach(enqueue);
  const worker = async () => {
    for (let request = queue.shift(); request; request = queue.shift()) {
      const response = await fetch(request.url, { headers: request.headers ?? {} });
      const page: FetchedPage = {
        url: response.url,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: await response.text(),
        headers: Object.fromEntries(response.headers.entries()),
      };
      const result = adapter.parse(page, request);
      if (result.outcome !== 'ok') continue;
      plan.push({ url: request.url, uniqueKey: request.uniqueKey ?? request.url, headers: request.headers ?? {} });
      result.requests.forEach(enqueue);
    }
  };
  // Workers exit when the queue is momentarily empty while others still parse; loop until nothing is left.
  while (queue.length > 0) await Promise.all(Array.from({ length: options.concurrency }, worker));
  return plan;
}
