import { SessionError } from 'crawlee';
import { SsrfError } from './ssrf.ts';

/** A page the adapter recognised as a block or gate; the session is retired and the request retried on a new one. */
export class BlockedPageError extends SessionError {
  constructor(reason: string) {
    super(`blocked: ${reason}`);
    this.name = 'BlockedPageError';
  }
}

/** The adapter could not read the page (truncated, malformed); another attempt may get a whole one. */
export class PageParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PageParseError';
  }
}

/** The SSRF guard refused a URL on the way (a redirect hop, a connect-time address). */
export function isSsrfRefusal(error: unknown): boolean {
  return error instanceof SsrfError || (error as NodeJS.ErrnoException | null)?.code === 'ESSRF';
}
