import type { Page, Response as PlaywrightResponse } from 'playwright';
import type { CapturedResponse, FetchedPage } from '../adapter.ts';
import type { EvidenceFileInput } from './evidence.ts';
import type { ResponseCapture } from './response-capture.ts';
import { RetryableFetchError, parseRetryAfter } from './retry.ts';
import type { Fetched } from './transport.ts';

/** Longest wait for a browser page's DOM. */
export const NAVIGATION_TIMEOUT_MS = 45_000;

/**
 * Reads a navigated browser page the way the HTTP fetcher reads a response: 429 and 5xx become
 * retryable errors carrying Retry-After; otherwise the document, its headers and the JSON the
 * page fetched for itself, with what would make another attempt worthwhile (data calls that
 * failed or were still in flight) and the page's extra evidence (captured JSON, a screenshot).
 */
export async function readBrowserPage(
  page: Page,
  response: PlaywrightResponse | null,
  capture: ResponseCapture | undefined,
  host: string,
): Promise<Fetched> {
  const status = response?.status() ?? 0;
  if (status === 429 || status >= 500) {
    const headers = response ? lowerCaseKeys(await response.allHeaders()) : {};
    throw new RetryableFetchError(`HTTP ${status} from ${host}`, status, parseRetryAfter(headers['retry-after']));
  }
  // The document's headers and body and the data capture are independent round trips to the
  // browser: wait for them together rather than one after another.
  const [headers, body, captured] = await Promise.all([
    response ? response.allHeaders().then(lowerCaseKeys) : Promise.resolve({} as Record<string, string>),
    response ? response.text().catch(() => '') : Promise.resolve(''),
    capture ? capture.settle() : Promise.resolve([] as CapturedResponse[]),
  ]);
  const fetched: FetchedPage = { url: page.url(), status, contentType: headers['content-type'] ?? null, body, headers, captured };
  return { page: fetched, incomplete: incompleteCapture(capture, captured, host), evidence: () => browserEvidence(page, captured) };
}

/**
 * A data call that failed transiently or never finished (the shop detail of a shop page, say)
 * would leave the page half read; the whole page is tried again, as for a failed navigation.
 */
function incompleteCapture(capture: ResponseCapture | undefined, captured: CapturedResponse[], host: string): Error | undefined {
  if (capture && !capture.quiet) return new RetryableFetchError(`data calls of ${host} still in flight after the capture timeout`, null);
  const failed = captured.find((item) => item.status === 429 || item.status >= 500);
  if (failed) return new RetryableFetchError(`HTTP ${failed.status} from ${hostOf(failed.url)} (a data call of the page)`, failed.status);
  return undefined;
}

async function browserEvidence(page: Page, captured: CapturedResponse[]): Promise<EvidenceFileInput[]> {
  const files: EvidenceFileInput[] = captured.map((item, index) => ({
    kind: 'captured',
    name: `captured-${index + 1}.json`,
    content: JSON.stringify({ url: item.url, status: item.status, body: item.body }),
    contentType: 'application/json',
  }));
  const shot = await page.screenshot({ fullPage: true, type: 'png' }).catch(() => null);
  if (shot) files.push({ kind: 'screenshot', name: 'page.png', content: shot, contentType: 'image/png' });
  return files;
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
