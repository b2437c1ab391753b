import { checkUrl, type Resolver } from '../runner/ssrf.ts';

export interface BrowserGuardOptions {
  /** Hosts from configuration or the operator (the sandbox host); never hosts taken from crawled pages. */
  allowHosts: readonly string[];
  /** DNS resolution, injectable for tests. @default the system resolver, every address */
  resolve?: Resolver;
}

/**
 * The one gate for a capture's browser: its navigation and every request the page makes.
 * Kept to one function so a stronger browser guard can replace it in one place.
 */
export function createBrowserGuard(options: BrowserGuardOptions): (url: string) => Promise<boolean> {
  const verdicts = new Map<string, Promise<boolean>>();
  return (url) => {
    if (url.startsWith('data:') || url.startsWith('blob:')) return Promise.resolve(true);
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return Promise.resolve(false);
    }
    let verdict = verdicts.get(origin);
    if (!verdict) {
      verdict = checkUrl(url, { allowHosts: options.allowHosts, resolve: options.resolve }).then(
        (v) => v.ok,
        () => false,
      );
      verdicts.set(origin, verdict);
    }
    return verdict;
  };
}
