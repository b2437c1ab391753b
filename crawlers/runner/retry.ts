/** Longest wait a server may impose through Retry-After; beyond it the request fails instead. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * Reads an HTTP `Retry-After` header: delay-seconds ("120") or an HTTP-date. Returns milliseconds
 * to wait (0 for a date in the past), or null when the header is absent or unreadable.
 * Never throws; the result is clamped to `maxMs`.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now(), maxMs = MAX_RETRY_AFTER_MS): number | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.min(seconds * 1000, maxMs) : null;
  }
  // An HTTP-date always names a weekday or a month; bare numbers with signs or decimals are not dates.
  if (!/[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), maxMs);
}

export interface BackoffOptions {
  /** First retry waits about this long (ms); later ones double. @default 500 */
  baseMs?: number;
  /** Upper bound for any single wait (ms), so backoff never outgrows a crawl. @default 30_000 */
  maxMs?: number;
  /** Source of randomness in [0, 1) for the jitter; injectable for tests. @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of base × 2^(n-1),
 * capped at `maxMs`. Jitter keeps many workers from retrying in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, Math.min(30, Math.floor(attempt) - 1));
  const ceiling = Math.min(max, base * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A response worth retrying (429, 5xx, network trouble); carries the server's requested wait. */
export class RetryableFetchError extends Error {
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  constructor(message: string, status: number | null, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'RetryableFetchError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** How long to wait before the next attempt after `error`: Retry-After when the server said, else backoff. */
export function retryDelay(error: unknown, attempt: number, options: BackoffOptions = {}): number {
  if (error instanceof RetryableFetchError && error.retryAfterMs !== null) return error.retryAfterMs;
  return backoffDelay(attempt, options);
}

/** Sleeps `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
