import type { CrawlRequest, FetchedPage } from '../adapter.ts';
import type { EvidenceFileInput } from './evidence.ts';
import type { RunnerSession } from './resources.ts';

/** One attempt at one request: what every step of the pipeline and the transport read. */
export interface Attempt {
  readonly request: CrawlRequest;
  /** `request.url`, parsed once for every step. */
  readonly url: URL;
  /** `url.origin`, computed once: robots.txt, the guard and the redirect check key on it. */
  readonly origin: string;
  /** The session this attempt runs in (its proxy, its cookies); a block retires it. */
  readonly session: RunnerSession | undefined;
  /** Which parallel lane runs it (0 … concurrency − 1): per-lane state is never shared by two attempts. */
  readonly lane: number;
}

/** A page a transport fetched, handed to the pipeline's later steps. */
export interface Fetched {
  page: FetchedPage;
  /**
   * The page came back incomplete in a way another attempt may fix (a browser page's data calls
   * failed or never finished); thrown once the redirect check has passed.
   */
  incomplete?: Error;
  /** Extra evidence files of this page (captured JSON, a screenshot), read only when evidence is kept. */
  evidence?: () => Promise<EvidenceFileInput[]>;
}

/**
 * How one kind of crawl reaches a site (plain HTTP, a browser lane): it only attempts one
 * request in one session. robots.txt, the SSRF guard, the rate limit, parsing and storage are the
 * pipeline's steps around it.
 */
export interface Transport {
  /**
   * Fetches `attempt.request` and calls `handle` with the page while it is still open (a browser
   * page stays up for the evidence screenshot). Throws to ask for a retry or to fail the request.
   */
  attempt(attempt: Attempt, handle: (attempt: Attempt, fetched: Fetched) => Promise<void>): Promise<void>;
  /** Releases what the transport opened for this crawl. */
  close(): Promise<void>;
}

/** The attempt record for a request in a session on a lane; `null` when its URL does not parse. */
export function newAttempt(request: CrawlRequest, session: RunnerSession | undefined, lane: number): Attempt | null {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return null;
  }
  return { request, url, origin: url.origin, session, lane };
}
