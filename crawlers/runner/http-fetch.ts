import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { CrawlRequest, FetchedPage } from '../adapter.ts';
import { assertFetchable, guardedLookup, SsrfError, type Resolver } from './ssrf.ts';
import { RetryableFetchError, parseRetryAfter } from './retry.ts';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

export interface HttpFetcherOptions {
  /** Hosts the SSRF guard lets through (config allowHosts plus the sandbox host). */
  allowHosts: readonly string[];
  /** Per-request timeout (ms), whole response included, so a stalled server cannot hold a slot forever. @default 30_000 */
  timeoutMs?: number;
  /** Larger bodies (bytes) are cut off and reported as an error. @default 10 MiB */
  maxBytes?: number;
  /** Redirect hops to follow, each one re-checked by the SSRF guard. @default 5 */
  maxRedirects?: number;
  /** Sent unless the request sets its own. @default DEFAULT_USER_AGENT (desktop Chrome, tagged counterfeit-radar) */
  userAgent?: string;
  /**
   * DNS for the SSRF guard, both the pre-request check and the connect-time lookup (a caching
   * resolver in long-lived workers).
   * @default the system resolver, asked on every request
   */
  resolve?: Resolver;
}

export interface FetchCallOptions {
  /** Aborts the request in flight. Without it, the request runs until it ends or times out. */
  signal?: AbortSignal;
  /** Extra headers (session cookies). Without them, only the fetcher's and the request's own headers are sent. */
  headers?: Record<string, string>;
  /** Route this request through an HTTP proxy (`http://user:pass@host:port`): absolute-form for http, CONNECT for https. Without it, the request connects directly. */
  proxyUrl?: string;
}

/** Fetches one crawl request; the seam the runner core uses for every non-browser page. */
export type PageFetcher = (request: CrawlRequest, options?: FetchCallOptions) => Promise<FetchedPage>;

/** A fetcher that owns keep-alive sockets; `destroy` closes them (a worker shutting down). */
export type OwnedPageFetcher = PageFetcher & { destroy(): void };

export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 counterfeit-radar';

/**
 * A small node:http(s) fetcher: keep-alive, gzip/deflate/br, a body cap, and the SSRF guard on
 * the first URL, on every redirect hop and at connect time (guarded DNS lookup). 429 and 5xx
 * become RetryableFetchError carrying Retry-After; other statuses go to the adapter, which knows
 * whether a 404 means "removed" or a 403 means "blocked".
 */
export function createHttpFetcher(options: HttpFetcherOptions): OwnedPageFetcher {
  const lookup = guardedLookup(options.allowHosts, options.resolve);
  const agentOptions = { keepAlive: true, maxSockets: 64, lookup } as http.AgentOptions;
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const guard = { allowHosts: options.allowHosts, resolve: options.resolve };

  const fetchPage: PageFetcher = async function fetchPage(request, call = {}) {
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
      const response = call.proxyUrl
        ? await sendViaProxy(target, headers, new URL(call.proxyUrl), timeoutMs, maxBytes, call.signal)
        : await send(target, headers, target.protocol === 'https:' ? httpsAgent : httpAgent, timeoutMs, maxBytes, call.signal);
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
  return Object.assign(fetchPage, {
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
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
  return collect(url, timeoutMs, maxBytes, (onResponse) =>
    client.request(url, { method: 'GET', headers, agent, signal, timeout: timeoutMs }, onResponse),
  );
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** Through an HTTP proxy: absolute-form GET for http targets, a CONNECT tunnel plus TLS for https ones. */
async function sendViaProxy(
  url: URL,
  headers: Record<string, string>,
  proxy: URL,
  timeoutMs: number,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  if (url.protocol === 'http:') {
    return collect(url, timeoutMs, maxBytes, (onResponse) =>
      http.request(
        {
          host: proxy.hostname,
          port: proxyPort,
          method: 'GET',
          path: url.href,
          headers: { ...headers, host: url.host, ...proxyAuthorization(proxy) },
          signal,
          timeout: timeoutMs,
        },
        onResponse,
      ),
    );
  }
  const targetPort = Number(url.port || 443);
  const socket = await new Promise<import('node:net').Socket>((resolve, reject) => {
    const connect = http.request({
      host: proxy.hostname,
      port: proxyPort,
      method: 'CONNECT',
      path: `${url.hostname}:${targetPort}`,
      headers: { host: `${url.hostname}:${targetPort}`, ...proxyAuthorization(proxy) },
      signal,
      timeout: timeoutMs,
    });
    connect.once('connect', (res, tunnel) => {
      if (res.statusCode === 200) resolve(tunnel);
      else {
        tunnel.destroy();
        reject(new RetryableFetchError(`proxy ${proxy.host} refused CONNECT to ${url.host}: HTTP ${res.statusCode}`, null));
      }
    });
    connect.once('timeout', () => connect.destroy(new RetryableFetchError(`proxy ${proxy.host} timed out`, null)));
    connect.once('error', (error) => reject(toFetchError(error, url)));
    connect.end();
  });
  return collect(url, timeoutMs, maxBytes, (onResponse) =>
    https.request(
      url,
      {
        method: 'GET',
        headers,
        signal,
        timeout: timeoutMs,
        agent: false,
        createConnection: () => tls.connect({ socket, servername: url.hostname }),
      },
      onResponse,
    ),
  );
}

/** Sends the request `start` builds and gathers the whole response, capped at `maxBytes`. */
function collect(
  url: URL,
  timeoutMs: number,
  maxBytes: number,
  start: (onResponse: (res: http.IncomingMessage) => void) => http.ClientRequest,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const req = start((res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const truncation = (): TruncatedBodyError => {
        const promised = res.headers['content-length'];
        const expected =
          promised !== undefined ? ` of ${promised}` : res.headers['transfer-encoding'] ? ' (the chunked stream had no terminator)' : '';
        return new TruncatedBodyError(
          `truncated response from ${url.host}: received ${size}${expected} bytes before the connection closed`,
        );
      };
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new ResponseTooLargeError(`response from ${url.host} is larger than ${maxBytes} bytes`));
          res.destroy();
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        // The transport, not the page, says whether the body is whole: Content-Length or the chunked terminator.
        if (!res.complete || bodyShorterThanPromised(res, size)) return fail(truncation());
        settled = true;
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
      });
      res.on('error', (error) => fail(res.complete ? toFetchError(error, url) : truncation()));
      res.on('close', () => {
        if (!res.complete) fail(truncation());
      });
    });
    req.on('timeout', () => req.destroy(new RetryableFetchError(`timed out after ${timeoutMs} ms fetching ${url.host}`, null)));
    req.on('error', (error) => fail(toFetchError(error, url)));
    req.end();
  });
}

/** True when Content-Length promised more bytes than arrived (a status that has no body promises none). */
function bodyShorterThanPromised(res: http.IncomingMessage, size: number): boolean {
  const promised = res.headers['content-length'];
  if (promised === undefined || res.headers['transfer-encoding'] !== undefined) return false;
  const status = res.statusCode ?? 0;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return false;
  const expected = Number(promised);
  return Number.isSafeInteger(expected) && size < expected;
}

/** The connection closed before the whole body arrived: another attempt may get all of it. */
export class TruncatedBodyError extends RetryableFetchError {
  constructor(message: string) {
    super(message, null);
    this.name = 'TruncatedBodyError';
  }
}

/** A body over the size cap; retrying would fetch the same oversized page. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

function toFetchError(error: Error, url: URL): Error {
  if (error instanceof SsrfError || error instanceof RetryableFetchError || error instanceof ResponseTooLargeError) return error;
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
