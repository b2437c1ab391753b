import type { BrowserContext, Page } from 'playwright';
import { guardBrowserTarget } from './browser-guard.ts';
import type { UrlGuard } from './url-guard.ts';

/** What the browser's request routing needs. */
export interface BrowserRoutesContext {
  guard: UrlGuard;
  /** Evidence screenshots need images, fonts and media; without evidence they are skipped. */
  evidence: boolean;
  /** Operator-allowed hosts, which the connect-time guard of a guarded Chromium also lets through. @default [] */
  allowHosts?: readonly string[];
}

/**
 * Every request a browser page (or every page of a context) makes passes the crawl's URL guard;
 * without evidence, images, fonts and media are skipped. Stylesheets load: a single-page app's
 * chunk loader can fail its whole render on an aborted CSS chunk.
 */
export function browserRoutes(context: BrowserRoutesContext): (target: Page | BrowserContext) => Promise<void> {
  const { guard, evidence } = context;
  return async (target) => {
    await guardBrowserTarget(target, context.allowHosts ?? []);
    const route: Page['route'] = target.route.bind(target);
    await route('**/*', async (route) => {
      const request = route.request();
      const type = request.resourceType();
      if (!evidence && (type === 'image' || type === 'font' || type === 'media')) return route.abort('blockedbyclient');
      const url = request.url();
      if (url.startsWith('data:') || (await guard.allows(url))) return route.continue();
      return route.abort('blockedbyclient');
    });
  };
}
