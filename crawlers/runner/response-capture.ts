import type { Page, Request as PlaywrightRequest, Response as PlaywrightResponse } from 'playwright';
import type { CapturedResponse } from '../adapter.ts';

/** How long a loaded page that fetched no data must stay quiet before the capture gives up on it. */
const QUIET_MS = 1_500;

/**
 * Collects the JSON a browser page fetches for itself. Settles once at least one matching
 * response has arrived and none is still in flight, or when the page is loaded and quiet without
 * any, or after a timeout: a gate page that never fetches data must not stall the crawl.
 * Event-driven (no polling), and `dispose()` detaches it, so a reused page can take a new one.
 */
export class ResponseCapture {
  private pending = 0;
  private readonly bodies: Promise<CapturedResponse | null>[] = [];
  private loaded = false;
  private wake: (() => void) | undefined;
  private readonly detach: (() => void)[] = [];

  /**
   * @param page the page to listen to (a reused page takes a new capture per navigation)
   * @param pattern URLs of the data responses; without one nothing is captured and `settle` returns at once
   * @param timeoutMs longest wait in `settle`; default 10 s
   */
  constructor(
    page: Page,
    private readonly pattern: RegExp | undefined,
    private readonly timeoutMs = 10_000,
  ) {
    if (!pattern) return;
    const onRequest = (request: PlaywrightRequest) => {
      if (this.matches(request.url())) this.pending += 1;
    };
    const onDone = (request: PlaywrightRequest) => {
      if (!this.matches(request.url())) return;
      this.pending = Math.max(0, this.pending - 1);
      this.wake?.();
    };
    const onResponse = (response: PlaywrightResponse) => {
      if (!this.matches(response.url())) return;
      this.bodies.push(
        response
          .text()
          .then((body) => ({ url: response.url(), status: response.status(), body }))
          .catch(() => null),
      );
      this.wake?.();
    };
    const onLoad = () => {
      this.loaded = true;
      this.wake?.();
    };
    page.on('request', onRequest);
    page.on('requestfinished', onDone);
    page.on('requestfailed', onDone);
    page.on('response', onResponse);
    page.on('load', onLoad);
    this.detach.push(
      () => page.off('request', onRequest),
      () => page.off('requestfinished', onDone),
      () => page.off('requestfailed', onDone),
      () => page.off('response', onResponse),
      () => page.off('load', onLoad),
    );
  }

  /** No matching request is still in flight (the page can be reused without leftovers). */
  get quiet(): boolean {
    return this.pending === 0;
  }

  private matches(url: string): boolean {
    if (!this.pattern) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(url);
  }

  async settle(): Promise<CapturedResponse[]> {
    if (!this.pattern) return [];
    const deadline = Date.now() + this.timeoutMs;
    let quietSince: number | null = null;
    for (;;) {
      const now = Date.now();
      if (this.bodies.length > 0 && this.pending === 0) break;
      if (this.loaded && this.pending === 0) {
        quietSince ??= now;
        if (now - quietSince >= QUIET_MS) break;
      } else quietSince = null;
      if (now >= deadline) break;
      const until = quietSince === null ? deadline : Math.min(deadline, quietSince + QUIET_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, until - now));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const bodies = await Promise.all(this.bodies);
    return bodies.filter((body): body is CapturedResponse => body !== null);
  }

  /** Stops listening to the page. */
  dispose(): void {
    for (const off of this.detach.splice(0)) off();
    this.wake?.();
  }
}
