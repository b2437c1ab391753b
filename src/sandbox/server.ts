/** One node:http server, one world, every skin under its own path prefix. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlanner, RETRY_AFTER_S, SLOW_MS, type FaultKind, type FaultProfile } from './faults.ts';
import { SearchIndex } from './search.ts';
import { generateWorld, SKINS, type Skin, type World } from './world.ts';
import type { ExtraFile } from './extra.ts';
import type { SkinHandler, SkinRequest, SkinResponse } from './http.ts';
import { SKIN_HANDLERS, blockResponse, gateResponse, robotsTxt } from './skins/index.ts';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** World seed. */
  seed: number;
  /** Generated shops (default: listings / 5, at least 20). */
  shops?: number;
  /** Generated listings (default 1000). */
  listings?: number;
  /** Random fault profile (default `none`); `?__fault=KIND` works under every profile. */
  faults?: FaultProfile;
  /** Hand-written shops and listings appended to the world. */
  extra?: ExtraFile;
  /** Port to bind; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /**
   * Crawl epoch: 0 (default) is the world exactly as the truth describes it; each later epoch removes
   * about 3% of listings and reprices about 10%. A request can override it with `?__epoch=N` or the
   * `x-sandbox-epoch` header.
   */
  epoch?: number;
  /**
   * Fixed delay in ms before every response is sent (default 0). It models a real origin's round trip;
   * the queue benchmark uses it. A timer, not a busy wait, so a delayed response holds no CPU.
   * Whole milliseconds from 0 to {@link MAX_LATENCY_MS}.
   */
  latencyMs?: number;
}

/** The largest accepted {@link SandboxOptions.latencyMs}: a minute, far beyond any crawler timeout. */
export const MAX_LATENCY_MS = 60_000;

function validLatency(latencyMs: number | undefined): number {
  const value = latencyMs ?? 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_LATENCY_MS) {
    throw new RangeError(`latencyMs must be a whole number of milliseconds from 0 to ${MAX_LATENCY_MS}, got ${String(latencyMs)}`);
  }
  return value;
}

export interface RunningSandbox {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123; skins live at `${url}/shopee` etc. */
  url: string;
  port: number;
  world: World;
  close(): Promise<void>;
  stats(): { requests: number; faults: Record<string, number> };
}

function parseEpoch(raw: string | string[] | null | undefined, fallback: number): number {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && /^\d{1,6}$/u.test(value) ? Number(value) : fallback;
}

function mangle(response: SkinResponse, fault: 'truncate' | 'malformed'): SkinResponse {
  const body = response.body;
  if (fault === 'truncate' || response.contentType.startsWith('application/json')) {
    return { ...response, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) };
  }
  // Malformed HTML: cut mid-tag and drop closing tags, the way a proxy hiccup or a broken template does.
  const cut = body.slice(0, Math.max(1, Math.floor(body.length * 0.6)));
  return { ...response, body: `${cut.replace(/<\/(div|li|ul|a|span|script)>/gu, '')}<div class="x" data-a="unclosed` };
}

/** Starts the sandbox marketplace on loopback. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const latencyMs = validLatency(options.latencyMs);
  const world = generateWorld({ seed: options.seed, shops: options.shops, listings: options.listings, extra: options.extra });
  const search = new SearchIndex(world);
  const planner = new FaultPlanner(world.seed, options.faults ?? 'none');
  const baseEpoch = options.epoch ?? 0;
  let requests = 0;
  const responseCache = new Map<string, SkinResponse>();

  /** Sends now, or after the configured latency (a timer: the event loop stays free meanwhile). */
  const reply = (res: ServerResponse, response: SkinResponse): void => {
    if (latencyMs === 0) send(res, response);
    else setTimeout(() => send(res, response), latencyMs);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    const host = req.headers.host ?? '127.0.0.1';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const slash = url.pathname.indexOf('/', 1);
    const prefix = slash < 0 ? url.pathname.slice(1) : url.pathname.slice(1, slash);
    if (!(SKINS as readonly string[]).includes(prefix)) {
      if (url.pathname === '/' || url.pathname === '') return reply(res, { status: 200, contentType: 'text/html; charset=utf-8', body: indexPage() });
      return reply(res, { status: 404, contentType: 'text/plain; charset=utf-8', body: `not found: ${url.pathname}; skins live under ${SKINS.map((s) => `/${s}`).join(', ')}\n` });
    }
    const skin = prefix as Skin;
    const path = slash < 0 ? '/' : url.pathname.slice(slash);
    if (path === '/robots.txt') return reply(res, robotsTxt(skin));

    const forced = url.searchParams.get('__fault');
    url.searchParams.delete('__fault');
    const epoch = parseEpoch(url.searchParams.get('__epoch') ?? req.headers['x-sandbox-epoch'], baseEpoch);
    url.searchParams.delete('__epoch');
    const fault: FaultKind | null = planner.decide(`${url.pathname}?${url.searchParams.toString()}`, forced);

    if (fault === '429') {
      return reply(res, { status: 429, contentType: 'text/plain; charset=utf-8', body: 'Too Many Requests\n', headers: { 'retry-after': String(RETRY_AFTER_S) } });
    }
    if (fault === '500') return reply(res, { status: requests % 2 ? 500 : 503, contentType: 'text/html; charset=utf-8', body: '<html><body><h1>Service Unavailable</h1></body></html>' });
    if (fault === 'block') return reply(res, blockResponse(skin, host));
    if (fault === 'gate') return reply(res, gateResponse(skin, host));

    const request: SkinRequest = { world, search, skin, path, query: url.searchParams, origin: `http://${host}`, host, epoch, poison: fault === 'poison' };
    const handler: SkinHandler = SKIN_HANDLERS[skin];
    const cacheKey = fault === 'poison' ? null : `${host}\u0000${epoch}\u0000${url.pathname}?${url.searchParams.toString()}`;
    let response: SkinResponse | null = cacheKey === null ? null : responseCache.get(cacheKey) ?? null;
    try {
      if (response === null) {
        response = lazadaPunish(skin, path) ?? handler(request);
        // Repeated URLs (benchmarks, retries) are served from memory; the cap bounds memory on huge crawls.
        if (cacheKey !== null && response !== null) {
          if (responseCache.size >= RESPONSE_CACHE_ENTRIES) responseCache.delete(responseCache.keys().next().value!);
          responseCache.set(cacheKey, response);
        }
      }
    } catch (error) {
      response = { status: 500, contentType: 'text/plain; charset=utf-8', body: `sandbox error: ${(error as Error).message}\n` };
    }
    response ??= { status: 404, contentType: 'text/html; charset=utf-8', body: `<html><body><h1>404</h1><p>Không tìm thấy trang ${path}</p></body></html>` };
    if (fault === 'truncate' || fault === 'malformed') response = mangle(response, fault);
    if (fault === 'slow') {
      const final = response;
      setTimeout(() => send(res, final), SLOW_MS + latencyMs);
      return;
    }
    reply(res, response);
  };

  const server = createServer({ keepAlive: true }, handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    world,
    stats: () => ({ requests, faults: { ...planner.counts } }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const RESPONSE_CACHE_ENTRIES = 2000;

function lazadaPunish(skin: Skin, path: string): SkinResponse | null {
  if (skin !== 'lazada' || !path.startsWith('/_____tmd_____/punish')) return null;
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: '<!DOCTYPE html><html><head><title>Lazada - Verify</title></head><body><div id="nocaptcha" class="nc-container"></div><script>window._config_ = {"action":"captcha","HOST":"punish"};</script><p>Vui lòng trượt để xác minh</p></body></html>',
  };
}

function send(res: ServerResponse, response: SkinResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, { 'content-type': response.contentType, 'content-length': Buffer.byteLength(response.body), ...response.headers });
  res.end(response.body);
}

function indexPage(): string {
  return `<!DOCTYPE html><html><body><h1>counterfeit-radar sandbox</h1><ul>${SKINS.map((s) => `<li><a href="/${s}/">${s}</a></li>`).join('')}</ul></body></html>`;
}
