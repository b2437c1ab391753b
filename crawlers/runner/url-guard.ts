import { checkUrl, type Resolver } from './ssrf.ts';

/** The SSRF verdict on a URL, as the crawl's pipeline and its browser routes ask for it. */
export interface UrlGuard {
  /**
   * True when the URL's host may be fetched; synchronous once its origin has been judged.
   * @param origin `url`'s origin when the caller has it already
   */
  allows(url: URL | string, origin?: string): boolean | Promise<boolean>;
}

/** Options of {@link createUrlGuard}. */
export interface UrlGuardOptions {
  /** Hosts (`host` or `host:port`) let through although they are private: config plus the run's own. */
  allowHosts: readonly string[];
  /**
   * DNS for the check (a worker's caching resolver).
   * @default the system resolver
   */
  resolve?: Resolver;
}

/**
 * The crawl's one use of the SSRF policy in `ssrf.ts` (`checkUrl`): a verdict per origin, judged
 * once per crawl. The HTTP fetcher checks again on every redirect hop and at connect time, so a
 * name that re-resolves to a private address after this verdict is still refused there.
 */
export function createUrlGuard(options: UrlGuardOptions): UrlGuard {
  const verdicts = new Map<string, boolean | Promise<boolean>>();
  const guard = { allowHosts: options.allowHosts, resolve: options.resolve };
  return {
    allows(url, knownOrigin) {
      let parsed: URL;
      if (typeof url === 'string') {
        if (!URL.canParse(url)) return false;
        parsed = new URL(url);
      } else parsed = url;
      // Only http(s) is ever fetched; a blob: URL's origin must not decide its host's verdict.
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
      const origin = knownOrigin ?? parsed.origin;
      const known = verdicts.get(origin);
      if (known !== undefined) return known;
      const judged = checkUrl(parsed.href, guard).then((verdict) => {
        verdicts.set(origin, verdict.ok);
        return verdict.ok;
      });
      verdicts.set(origin, judged);
      return judged;
    },
  };
}
