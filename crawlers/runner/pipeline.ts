import type { CrawlRequest, MarketplaceAdapter, ParseResult } from '../adapter.ts';
import type { CrawlState } from './crawl-state.ts';
import { isSsrfRefusal, PageParseError } from './errors.ts';
import type { EvidenceStep } from './evidence-step.ts';
import type { RunnerSession } from './resources.ts';
import { sleep } from './retry.ts';
import type { RobotsPolicy } from './robots.ts';
import { newAttempt, type Attempt, type Fetched, type Transport } from './transport.ts';
import type { UrlGuard } from './url-guard.ts';

/** What the pipeline's steps need, and nothing more. */
export interface PipelineContext {
  adapter: Pick<MarketplaceAdapter, 'name' | 'parse'>;
  /** robots.txt per origin; null when the crawl ignores it (`--no-robots`). */
  robots: RobotsPolicy | null;
  guard: UrlGuard;
  /** Per-host politeness: how long to wait for the host's next slot. */
  limiter: { reserve(host: string): number };
  sink: { add(result: Extract<ParseResult, { outcome: 'ok' }>): Promise<void> };
  /** Null when no evidence is kept. */
  evidence: EvidenceStep | null;
  state: Pick<CrawlState, 'robotsSkipped' | 'ssrfRefused' | 'blocked' | 'parsed' | 'report'>;
  /** Where follow-up requests go (the crawl's own queue, or the caller of a queue job). */
  discover(requests: CrawlRequest[]): unknown;
  /** The crawl's abort signal, passed to the rate limit's wait so a stop does not sit out a delay. */
  signal?: AbortSignal;
}

/** The per-request steps, built once per crawl. */
export interface Pipeline {
  /**
   * The steps before the fetch: robots.txt → SSRF guard → rate limit. Null when a step skipped
   * the request (each counts its own refusals).
   */
  admit(request: CrawlRequest, session: RunnerSession | undefined, lane: number): Promise<Attempt | null>;
  /** The steps after the fetch: redirect guard → parse and block check → sink → evidence → discovery. */
  process(attempt: Attempt, fetched: Fetched): Promise<void>;
  /** Every step, with `transport` attempting the fetch in between. Throws to retry or fail the request. */
  run(request: CrawlRequest, session: RunnerSession | undefined, lane: number, transport: Transport): Promise<void>;
}

type Verdict = boolean | Promise<boolean>;

/**
 * Composes the steps once, in the style of crawlee's context pipeline: robots.txt → SSRF guard →
 * rate limit → fetch (the transport) → block check and parse → sink → evidence → discovery. Each
 * step is called from here only, so every transport and driver gets the same rules. Steps that
 * already know their answer answer synchronously: an attempt allocates its record and nothing else.
 */
export function createPipeline(context: PipelineContext): Pipeline {
  const { adapter, robots, guard, limiter, sink, evidence, state, signal } = context;

  const robotsStep = (attempt: Attempt): Verdict => {
    const allowed = robots!.allows(attempt.url, attempt.origin);
    if (allowed === true) return true;
    if (allowed === false) return skipByRobots();
    return allowed.then((verdict) => verdict || skipByRobots());
  };
  const skipByRobots = (): false => {
    state.robotsSkipped();
    return false;
  };

  /** The crawl's SSRF verdict on a URL it is about to read: the request's, or where a redirect landed. */
  const guardStep = (url: URL | string, shown: string, origin?: string): Verdict => {
    const allowed = guard.allows(url, origin);
    if (allowed === true) return true;
    if (allowed === false) return refuse(shown);
    return allowed.then((verdict) => verdict || refuse(shown));
  };
  const refuse = (url: string): false => {
    state.ssrfRefused(url);
    return false;
  };

  const rateStep = (attempt: Attempt): Verdict => {
    const waitMs = limiter.reserve(attempt.url.host);
    return waitMs <= 0 ? true : sleep(waitMs, signal).then(() => true);
  };

  const before: ((attempt: Attempt) => Verdict)[] = [
    ...(robots ? [robotsStep] : []),
    (attempt: Attempt) => guardStep(attempt.url, attempt.request.url, attempt.origin),
    rateStep,
  ];

  async function admit(request: CrawlRequest, session: RunnerSession | undefined, lane: number): Promise<Attempt | null> {
    const attempt = newAttempt(request, session, lane);
    if (!attempt) return refuse(request.url) || null;
    for (const step of before) {
      const verdict = step(attempt);
      if (verdict === false || (verdict !== true && !(await verdict))) return null;
    }
    return attempt;
  }

  async function process(attempt: Attempt, fetched: Fetched): Promise<void> {
    const { page } = fetched;
    // A redirect may have left the allowed hosts; nothing from there is parsed.
    if (!sameOrigin(page.url, attempt.origin)) {
      const allowed = guardStep(page.url, page.url);
      if (allowed === false || (allowed !== true && !(await allowed))) return;
    }
    if (fetched.incomplete) throw fetched.incomplete;
    const result = safeParse(adapter, page, attempt.request);
    if (result.outcome === 'blocked') {
      attempt.session?.retire();
      const retry = state.blocked(result.reason);
      if (retry) throw retry;
      return;
    }
    if (result.outcome === 'error') throw new PageParseError(result.message);
    state.parsed(result);
    await sink.add(result);
    if (evidence) await evidence(page, attempt.request, result, fetched.evidence);
    if (result.requests.length > 0) await context.discover(result.requests);
    state.report();
  }

  return {
    admit,
    process,
    async run(request, session, lane, transport) {
      const attempt = await admit(request, session, lane);
      if (!attempt) return;
      try {
        await transport.attempt(attempt, process);
      } catch (error) {
        // The fetcher's own guard refused a redirect hop or a connect-time address.
        if (isSsrfRefusal(error)) return void refuse(request.url);
        throw error;
      }
    },
  };
}

/** `url` is on `origin` (answered without parsing `url`). */
function sameOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && (url.length === origin.length || url.charCodeAt(origin.length) === 47); /* "/" */
}

function safeParse(adapter: PipelineContext['adapter'], page: Fetched['page'], request: CrawlRequest): ParseResult {
  try {
    return adapter.parse(page, request);
  } catch (error) {
    // Adapters must not throw; if one does, the page counts as unreadable rather than crashing the crawl.
    return { outcome: 'error', message: `adapter ${adapter.name} threw: ${(error as Error).message}` };
  }
}
