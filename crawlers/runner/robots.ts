import { RobotsTxtFile } from 'crawlee';
import type { PageFetcher } from './http-fetch.ts';
import { SsrfError } from './ssrf.ts';

/**
 * How one robots.txt was obtained, in RFC 9309's terms (section 2.3.1):
 * - `read`: the file was fetched (2xx) and its rules apply;
 * - `unavailable`: the server answered 4xx; a crawler may access anything;
 * - `unreachable`: 5xx, 429 or a network failure; a crawler must assume complete disallow;
 * - `refused`: the SSRF guard refused the file's own host, which it refuses for the pages too.
 */
export type RobotsStatus = 'read' | 'unavailable' | 'unreachable' | 'refused';

/** The rules of one robots.txt file, or what RFC 9309 says to assume when it could not be read. */
export interface RobotsGate {
  /** True when `url` may be fetched; URLs of other origins are not governed by this file. */
  isAllowed(url: URL | string): boolean;
  /** Where the rules came from, for the log. */
  readonly source: string;
  readonly status: RobotsStatus;
}

/** Where robots.txt loading reports what it assumed. */
export interface RobotsLog {
  warn(message: string): void;
  info(message: string): void;
}

const gate = (source: string, status: RobotsStatus, allowed: boolean): RobotsGate => ({ isAllowed: () => allowed, source, status });

/**
 * Loads one robots.txt through the SSRF-guarded fetcher (which follows up to five redirects, as
 * RFC 9309 asks) and applies RFC 9309 when it cannot be read: a 4xx allows everything, an
 * unreachable file (5xx, 429, network error, timeout) disallows everything. Both are logged.
 * Never throws.
 */
export async function loadRobots(robotsUrl: string, fetchPage: PageFetcher, log: RobotsLog): Promise<RobotsGate> {
  try {
    const page = await fetchPage({ url: robotsUrl, kind: 'search' });
    if (page.status >= 400) {
      log.info(`robots.txt at ${robotsUrl} answered HTTP ${page.status}: no rules, everything allowed (RFC 9309)`);
      return gate(`${robotsUrl} (HTTP ${page.status}: no rules)`, 'unavailable', true);
    }
    return robotsFromContent(robotsUrl, page.body);
  } catch (error) {
    if (refusesOwnHost(error, robotsUrl)) {
      // The guard step refuses this host's pages as well, and counts them there.
      return gate(`${robotsUrl} (refused by the SSRF guard)`, 'refused', true);
    }
    log.warn(
      `robots.txt at ${robotsUrl} is unreachable (${(error as Error).message}); RFC 9309: nothing on ${originOf(robotsUrl)} is fetched until it can be read`,
    );
    return gate(`${robotsUrl} (unreachable: everything disallowed)`, 'unreachable', false);
  }
}

/** An SSRF refusal of the robots.txt URL's own host (not of a redirect hop). */
function refusesOwnHost(error: unknown, robotsUrl: string): boolean {
  const refused = error instanceof SsrfError || (error as NodeJS.ErrnoException | null)?.code === 'ESSRF';
  if (!refused) return false;
  const url = (error as { url?: unknown }).url;
  if (typeof url !== 'string' || !URL.canParse(url)) return false;
  return new URL(url).hostname === new URL(robotsUrl).hostname;
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

/**
 * Builds a gate from robots.txt text. Rules match URL paths from the origin's root, as written,
 * even when the file was served under a path prefix (a sandbox skin).
 */
export function robotsFromContent(robotsUrl: string, content: string): RobotsGate {
  const origin = new URL(robotsUrl).origin;
  // robots-parser only answers for URLs of the robots.txt file's own origin; it must sit at the root.
  const file = RobotsTxtFile.from(`${origin}/robots.txt`, content);
  return {
    source: robotsUrl,
    status: 'read',
    isAllowed(url: URL | string) {
      let parsed: URL;
      if (typeof url === 'string') {
        if (!URL.canParse(url)) return false;
        parsed = new URL(url);
      } else parsed = url;
      // Other origins (CDNs, a redirect target) are not governed by this file.
      if (parsed.origin !== origin) return true;
      return file.isAllowed(parsed.href);
    },
  };
}

/** Options of {@link RobotsPolicy}. */
export interface RobotsPolicyOptions {
  /**
   * Root the run's URLs are built on. Its origin's rules come from `<baseUrl>/robots.txt` (the
   * sandbox serves one per skin prefix; for a real site without a path it is the root file).
   * Empty or unparseable (an adapter without a home host, a crawl started from `--url`): every
   * origin reads its own `<origin>/robots.txt`.
   */
  baseUrl: string;
  /** Loads one robots.txt (or answers from a cache); must not throw, as {@link loadRobots}. */
  load(robotsUrl: string): Promise<RobotsGate>;
}

/**
 * robots.txt for every origin a crawl touches, each file read once per policy (concurrent
 * requests share one read). Once an origin's file is in, the answer is synchronous: the hot loop
 * pays one Map lookup.
 */
export class RobotsPolicy {
  private readonly gates = new Map<string, RobotsGate | Promise<RobotsGate>>();
  private readonly baseOrigin: string | null;
  private readonly baseRobotsUrl: string;
  /** robots.txt files that could not be read, so every URL of their origins was disallowed. */
  readonly unreachable: string[] = [];

  constructor(private readonly options: RobotsPolicyOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.baseOrigin = URL.canParse(base) ? new URL(base).origin : null;
    this.baseRobotsUrl = `${base}/robots.txt`;
  }

  /** May `url` be fetched? Synchronous once its origin's robots.txt is loaded. */
  allows(url: URL, origin: string = url.origin): boolean | Promise<boolean> {
    const known = this.gates.get(origin);
    if (known !== undefined && !(known instanceof Promise)) return known.isAllowed(url);
    return (known ?? this.load(origin)).then((gate) => gate.isAllowed(url));
  }

  private load(origin: string): Promise<RobotsGate> {
    const robotsUrl = origin === this.baseOrigin ? this.baseRobotsUrl : `${origin}/robots.txt`;
    const loading = this.options.load(robotsUrl).then((gate) => {
      this.gates.set(origin, gate);
      if (gate.status === 'unreachable') this.unreachable.push(robotsUrl);
      return gate;
    });
    this.gates.set(origin, loading);
    return loading;
  }
}
