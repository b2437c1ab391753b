import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { CrawlRequest, FetchedPage } from '../adapter.ts';
import { assertFetchable, guardedLookup, SsrfError } from './ssrf.ts';
import { RetryableFetchError, parseRetryAfter } from './retry.ts';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

export interface HttpFetcherOptions {
  /** Hosts the SSRF guard lets through (config allowHosts plus the sandbox host). */
  allowHosts: readonly string[];
  /** Per-request timeout, whole response included. Default 30 s. */
  timeoutMs?: number;
  /** Larger bodies are cut off and reported as an error. Default 10 MiB. */
  maxBytes?: number;
  /** Redirect hops to follow, each one re-checked by the SSRF guard. Default 5. */
  maxRedirects?: number;
  /** Sent unless the request sets its own. */
  userAgent?: string;
}

export interface FetchCallOptions {
  signal?: AbortSignal;
  /** Extra headers (session cookies). */
  headers?: Record<string, string>;
}

/** Fetches one crawl request; the seam the runner core uses for every non-browser page. */
export type PageFetcher = (request: CrawlRequest, options?: FetchCallOptions) => Promise<FetchedPage>;

export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 counterfeit-radar';

/**
 * A small node:http(s) fetcher: keep-alive, gzip/deflate/br, a body cap, and the SSRF guard on
 * the first URL, on every redirect hop and at connect time (guarded DNS lookup). 429 and 5xx
 * become RetryableFetchError carrying Retry-After; other statuses go to the adapter, which knows
 * whether a 404 means "removed" or a 403 means "blocked".
 */
export function createHttpFetcher(options: HttpFetcherOptions): PageFetcher {
  const lookup = guardedLookup(options.allowHosts);
  const agentOptions = { keepAlive: true, maxSockets: 64, lookup } as http.AgentOptions;
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const guard = { allowHosts: options.allowHosts };

  return async function fetchPage(request, call = {}) {
    let url = request.url;
    for (let hop = 0; ; hop += 1) {
      const target = await assertFetchable(url, guard);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
        accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
        'accept-encoding': 'gzip, deflate, br',
        'accept-language': 'vi-VN,vi;q=0.9,en;q=0.6',
        ...call.headers,
        ...request.headers,
      };
      const response = await send(target, headers, target.protocol === 'https:' ? httpsAgent : httpAgent, timeoutMs, maxBytes, call.signal);
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location) {
        if (hop >= maxRedirects) throw new Error(`too many redirects (more than ${maxRedirects}) from ${request.url}`);
        url = new URL(location, target).toString();
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        throw new RetryableFetchError(`HTTP ${response.status} from ${target.host}`, response.status, retryAfter);
      }
      return {
        url: target.toString(),
        status: response.status,
        contentType: response.headers['content-type'] ?? null,
        body: await decode(response.body, response.headers['content-encoding']),
        headers: response.headers,
      };
    }
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function send(
  url: URL,
  headers: Record<string, string>,
  agent: http.Agent,
  timeoutMs: number,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: 'GET', headers, agent, signal, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new Error(`response from ${url.host} is larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
      });
      res.on('error', (error) => reject(toFetchError(error, url)));
    });
    req.on('timeout', () => req.destroy(new RetryableFetchError(`timed out after ${timeoutMs} ms fetching ${url.host}`, null)));
    req.on('error', (error) => reject(toFetchError(error, url)));
    req.end();
  });
}

function toFetchError(error: Error, url: URL): Error {
  if (error instanceof SsrfError || error instanceof RetryableFetchError) return error;
  if ((error as NodeJS.ErrnoException).code === 'ESSRF') return error;
  if (error.name === 'AbortError') return error;
  // Resets, refused connections and truncated bodies are worth another try.
  return new RetryableFetchError(`${error.message} (${url.host})`, null);
}

async function decode(body: Buffer, encoding: string | undefined): Promise<string> {
  const kind = encoding?.trim().toLowerCase();
  try {
    if (kind === 'gzip' || kind === 'x-gzip') return (await gunzip(body)).toString('utf8');
    if (kind === 'deflate') return (await inflate(body)).toString('utf8');
    if (kind === 'br') return (await brotli(body)).toString('utf8');
  } catch (error) {
    throw new RetryableFetchError(`cannot decode ${kind} body: ${(error as Error).message}`, null);
  }
  return body.toString('utf8');
}
