import type { Browser, BrowserContext, Page } from 'playwright';

/** Options of {@link BrowserLanes}. */
export interface BrowserLanesOptions {
  /** The Chromium to open contexts in; called again when the last one disconnected (crashed). */
  browser: () => Promise<Browser>;
  /** Called once per new context before its first page opens (request routing, the SSRF guard). */
  setupContext: (context: BrowserContext) => Promise<void>;
  /**
   * Navigations one page serves before it is closed and a fresh one opened in the same context
   * (same cookies), so a long crawl does not keep one renderer's heap forever. Default 100.
   */
  navigationsPerPage?: number;
}

interface Lane {
  sessionId: string;
  context: BrowserContext;
  page: Page;
  navigations: number;
}

/**
 * One reusable page per concurrency lane, each in its own browser context bound to the lane's
 * session: the next request of a lane navigates the page it already has instead of opening and
 * closing one, which on this kind of single-page app costs more than the navigation itself (a new
 * renderer, route and listener setup per page). A new session id (a block retired the old one)
 * gets a new context, so cookies never outlive their session.
 */
export class BrowserLanes {
  private readonly lanes = new Map<number, Lane>();
  private readonly navigationsPerPage: number;
  private closed = false;

  constructor(private readonly options: BrowserLanesOptions) {
    this.navigationsPerPage = Math.max(1, options.navigationsPerPage ?? 100);
  }

  /** The lane's page for this session, ready to navigate; counts one navigation against it. */
  async page(lane: number, sessionId: string): Promise<Page> {
    if (this.closed) throw new Error('browser lanes are closed');
    let current = this.lanes.get(lane);
    if (current && (current.sessionId !== sessionId || current.page.isClosed() || !current.context.browser()?.isConnected())) {
      await this.discard(lane);
      current = undefined;
    }
    if (current && current.navigations >= this.navigationsPerPage) {
      await current.page.close().catch(() => undefined);
      current.page = await current.context.newPage();
      current.navigations = 0;
    }
    if (!current) {
      const browser = await this.options.browser();
      const context = await browser.newContext();
      try {
        await this.options.setupContext(context);
        current = { sessionId, context, page: await context.newPage(), navigations: 0 };
      } catch (error) {
        await context.close().catch(() => undefined);
        throw error;
      }
      this.lanes.set(lane, current);
    }
    current.navigations += 1;
    return current.page;
  }

  /** Drops the lane's context (after a failed or unclean attempt): its next request starts fresh. */
  async discard(lane: number): Promise<void> {
    const current = this.lanes.get(lane);
    if (!current) return;
    this.lanes.delete(lane);
    await current.context.close().catch(() => undefined);
  }

  /** Closes every lane's context; the browser itself belongs to whoever supplied it. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.lanes.keys()].map((lane) => this.discard(lane)));
  }
}
