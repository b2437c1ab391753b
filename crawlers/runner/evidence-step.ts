import type { Browser } from 'playwright';
import type { CrawlRequest, FetchedPage, ParseResult } from '../adapter.ts';
import { findListingId, findShopId } from '../../src/core/db/stores/record-ids.ts';
import { CaptureBrowser, captureEvidence, sha256, type CaptureResult, type EvidenceDeps, type EvidenceFileInput } from './evidence.ts';
import type { DomainRateLimiter } from './rate-limit.ts';

/** What the evidence step needs: where captures are written, the crawl's own gates, and the sink to flush first. */
export interface EvidenceStepContext {
  deps: EvidenceDeps;
  sink: { flush(): Promise<void> };
  /** Counts one capture kept as evidence. */
  written(): void;
  /** The crawl's SSRF allowlist (config plus the operator's base URL host); never hosts read from pages. */
  allowHosts: readonly string[];
  /** The crawl's per-host politeness: a capture is one more load of the host and waits its turn. */
  limiter: Pick<DomainRateLimiter, 'wait'>;
  /** The crawl's robots.txt; null when the crawl ignores it (`--no-robots`). */
  robots: { allows(url: URL): boolean | Promise<boolean> } | null;
  /** A worker process's guarded Chromium, shared across jobs; absent, the step launches its own and `close()` stops it. */
  browser?: () => Promise<Browser>;
  /** The crawl's abort signal: a pending capture is dropped when the crawl stops. */
  signal?: AbortSignal;
  /**
   * Captures open at once: each is a Chromium context with a full-page screenshot, so an HTTP crawl's
   * eight lanes do not become eight renders.
   * @default 2
   */
  maxParallel?: number;
}

/** The pipeline's evidence step for one parsed page (the transport's extra files are not used: evidence is one load of its own). */
export type EvidenceStep = (
  page: FetchedPage,
  request: CrawlRequest,
  result: Extract<ParseResult, { outcome: 'ok' }>,
  extra?: () => Promise<EvidenceFileInput[]>,
) => Promise<void>;

export interface CrawlEvidence {
  step: EvidenceStep;
  /** Stops the step's own Chromium (a shared one keeps running). */
  close(): Promise<void>;
}

/**
 * Keeps each listing and shop page a crawl parsed as evidence through the one-load browser capture
 * (`captureEvidence`: status, screenshot, raw and rendered page, data calls, WACZ), whatever the
 * crawl's transport: plain HTTP, a browser lane or a queue job. The page captured is the record's
 * public page (`listing.url` / `shop.url`), which is what an analyst opens, not an API call the
 * crawler read; the crawl fetch it backs is kept in the capture's metadata by hash. A capture that
 * shows nothing (error, block, empty shell) is stored as a failed capture by `captureEvidence`.
 */
export function createEvidenceStep(context: EvidenceStepContext): CrawlEvidence {
  const { deps, sink } = context;
  const browser = context.browser ? CaptureBrowser.shared(context.browser) : new CaptureBrowser(deps.config.chromiumPath);
  const slots = new Slots(context.maxParallel ?? 2);
  const step: EvidenceStep = async (page, request, result) => {
    if (request.kind !== 'listing' && request.kind !== 'shop') return;
    const listing = request.kind === 'listing' ? result.listings[0] : undefined;
    const shop = result.shops[0];
    const url = captureUrl(request.kind === 'listing' ? listing?.url : shop?.url, page.url);
    if (context.robots && !(await context.robots.allows(new URL(url)))) {
      deps.log.warn(`no evidence of ${url}: robots.txt disallows it`);
      return;
    }
    // Evidence rows point at listing/shop ids, so the records must be written first.
    await sink.flush();
    const [listingId, shopId] = await Promise.all([
      listing ? findListingId(deps.db, listing) : null,
      shop ? findShopId(deps.db, shop) : null,
    ]);
    const capture: CaptureResult = await slots.run(() =>
      captureEvidence(
        { url, listingId, shopId, allowHosts: context.allowHosts, metadata: { crawl_fetch: crawlFetch(page, request) } },
        deps,
        { browser, limiter: context.limiter, signal: context.signal },
      ),
    );
    if (capture.ok) context.written();
  };
  return { step, close: () => browser.close() };
}

/**
 * The record's own page when it is an http(s) URL on the crawled page's site, else the page the
 * crawler read: a listing's URL comes from the marketplace's data, and evidence of another site's
 * page would not be evidence of this listing.
 */
export function captureUrl(recordUrl: string | null | undefined, pageUrl: string): string {
  if (!recordUrl) return pageUrl;
  try {
    const url = new URL(recordUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return pageUrl;
    return siteOf(url.hostname) === siteOf(new URL(pageUrl).hostname) ? url.href : pageUrl;
  } catch {
    return pageUrl;
  }
}

/** Second-level labels under which Vietnamese (and other ccTLD) registrations sit: `shop.com.vn` is one site. */
const SECOND_LEVEL = new Set(['com', 'net', 'org', 'edu', 'gov', 'co', 'ac', 'biz', 'info', 'name', 'pro', 'int', 'health']);

/** The registrable part of a host name ("tiki.vn" of "api.tiki.vn", "x.com.vn" of "www.x.com.vn"); an IP literal is its own site. */
export function siteOf(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host)) return host;
  const labels = host.split('.');
  const keep = labels.length >= 3 && labels.at(-1)!.length === 2 && SECOND_LEVEL.has(labels.at(-2)!) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/** Which crawl fetch a capture backs: its URL, status and the hash of the body the records were parsed from. */
function crawlFetch(page: FetchedPage, request: CrawlRequest): Record<string, unknown> {
  return {
    kind: request.kind,
    request_url: request.url,
    url: page.url,
    status: page.status,
    content_type: page.contentType,
    sha256: sha256(page.body),
    bytes: Buffer.byteLength(page.body),
  };
}

/** At most `size` tasks at once; the rest wait in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
