import { NonRetryableError } from 'crawlee';
import type { FetchCallOptions, PageFetcher } from './http-fetch.ts';
import { ResponseTooLargeError } from './http-fetch.ts';
import type { Transport } from './transport.ts';

/** What plain HTTP needs: the (SSRF-guarded, keep-alive) fetcher, and proxies if any. */
export interface HttpTransportContext {
  fetchPage: PageFetcher;
  /** Picks the proxy of a session (one proxy per session, so a retired session also moves proxy); absent without proxies. */
  proxies?: { newUrl(sessionId?: string): Promise<string | undefined> };
  /** Aborts the fetch in flight when the crawl stops. Without it, an attempt runs until the fetcher's timeout. */
  signal?: AbortSignal;
}

/**
 * One HTTP attempt: the session's proxy, one fetch. 429, 5xx and network trouble come back from the
 * fetcher as retryable errors, and the SSRF guard's refusals of redirect hops as `SsrfError`.
 */
export function createHttpTransport(context: HttpTransportContext): Transport {
  const { fetchPage, proxies, signal } = context;
  const plain: FetchCallOptions = { signal };
  return {
    async attempt(attempt, handle) {
      const call = proxies ? { signal, proxyUrl: await proxies.newUrl(attempt.session?.id) } : plain;
      let page;
      try {
        page = await fetchPage(attempt.request, call);
      } catch (error) {
        // The same oversized page would come back on every retry.
        if (error instanceof ResponseTooLargeError) throw new NonRetryableError(error.message);
        throw error;
      }
      await handle(attempt, { page });
    },
    async close() {},
  };
}
