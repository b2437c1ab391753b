import { RobotsTxtFile } from 'crawlee';
import type { PageFetcher } from './http-fetch.ts';

/** Answers "may this URL be fetched?" for one crawl. */
export interface RobotsGate {
  isAllowed(url: string): boolean;
  /** Where the rules came from, for the log. */
  readonly source: string;
}

const ALLOW_ALL = (source: string): RobotsGate => ({ isAllowed: () => true, source });

/**
 * Loads `<baseUrl>/robots.txt` (the sandbox serves one per skin prefix, real sites at the root,
 * which is the same URL when baseUrl has no path). A missing file (4xx) allows everything, as the
 * standard says; an unreachable one allows everything with a warning rather than silently
 * crawling nothing. The fetch goes through the SSRF-guarded fetcher like every other request.
 */
export async function loadRobots(baseUrl: string, fetchPage: PageFetcher, warn: (message: string) => void): Promise<RobotsGate> {
  const robotsUrl = `${baseUrl.replace(/\/+$/, '')}/robots.txt`;
  try {
    const page = await fetchPage({ url: robotsUrl, kind: 'search' });
    if (page.status >= 400) return ALLOW_ALL(`${robotsUrl} (HTTP ${page.status}: no rules)`);
    return robotsFromContent(robotsUrl, page.body);
  } catch (error) {
    warn(`robots.txt at ${robotsUrl} could not be read (${(error as Error).message}); crawling without its rules`);
    return ALLOW_ALL(`${robotsUrl} (unreadable)`);
  }
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
    isAllowed(url: string) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return false;
      }
      // Other origins (CDNs, a redirect target) are not governed by this file.
      if (parsed.origin !== origin) return true;
      return file.isAllowed(parsed.toString());
    },
  };
}
