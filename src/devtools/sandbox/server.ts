/** One node:http server, one world, every skin under its own path prefix. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlanner, RETRY_AFTER_S, SLOW_MS, type FaultKind, type FaultProfile } from './faults.ts';
import { SearchIndex } from './search.ts';
import { generateWorld, SKINS, type Skin, type World } from './world.ts';
import type { ExtraFile } from './extra.ts';
import type { SkinRequest, SkinResponse } from './http.ts';
import { parseTarget, sandboxHeaders } from './request-target.ts';
import { LruCache } from './response-cache.ts';
import { SKIN_HANDLERS, blockResponse, gateResponse, robotsTxt } from './skins/index.ts';
import { EMPTY_SHELL, htmlPage, withRenderer } from './pages.ts';
import { recreatingWorld, type RecreateOptions } from './recreate.ts';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** World seed. */
  seed: number;
  /** Generated shops. @default listings / 5 (rounded up), at least 20 */
  shops?: number;
  /** Generated listings. @default 1000 */
  listings?: number;
  /** Random fault profile; `?__fault=KIND` works under every profile. @default 'none' */
  faults?: FaultProfile;
  /** Hand-written shops and listings appended to the world. Without it, the world is generated only. */
  extra?: ExtraFile;
  /** Port to bind; 0 picks a free one, so parallel tests never clash. @default 0 */
  port?: number;
  /** Address to bind; loopback keeps the fake marketplaces off the network. @default '127.0.0.1' */
  host?: string;
  /**
   * Crawl epoch: 0 is the world exactly as the truth describes it; each later epoch removes
   * about 3% of listings and reprices about 10%. A request can override it with `?__epoch=N` or the
   * `x-sandbox-epoch` header.
   * @default 0
   */
  epoch?: number;
  /**
   * Fixed delay in ms before every response is sent. It models a real origin's round trip;
   * the queue benchmark uses it. A timer, not a busy wait, so a delayed response holds no CPU.
   * Whole milliseconds from 0 to {@link MAX_LATENCY_MS}.
   * @default 0
   */
  latencyMs?: number;
  /** Take some counterfeit shops down at an epoch and bring them back under a new id, same phone (recreate.ts). @default off */
  recreate?: RecreateOptions;
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

function parseEpoch(raw: string | null | undefined, fallback: number): number {
  return raw && /^\d{1,6}$/u.test(raw) ? Number(raw) : fallback;
}

function mangle(response: SkinResponse): SkinResponse {
  const body = response.body;
  if (response.contentType.startsWith('application/json')) {
    return { ...response, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) };
  }
  // Malformed HTML: cut mid-tag and drop closing tags, the way a proxy hiccup or a broken template does.
  const cut = body.slice(0, Math.max(1, Math.floor(body.length * 0.6)));
  return { ...response, body: `${cut.replace(/<\/(div|li|ul|a|span|script)>/gu, '')}<div class="x" data-a="unclosed` };
}

/** Starts the sandbox marketplace on loopback. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const latencyMs = validLatency(options.latencyMs);
  const worldOptions = { seed: options.seed, shops: options.shops, listings: options.listings, extra: options.extra };
  const world = options.recreate ? recreatingWorld(worldOptions, options.recreate) : generateWorld(worldOptions);
  const search = new SearchIndex(world);
  const planner = new FaultPlanner(world.seed, options.faults ?? 'none');
  const baseEpoch = options.epoch ?? 0;
  let requests = 0;
  // Encoded responses per URL: retries and repeated crawls of the same pages skip rendering and encoding.
  const responseCache = new LruCache<string, WireResponse>(RESPONSE_CACHE_ENTRIES);

  /** Sends now, or after the configured latency (a timer: the event loop stays free meanwhile). */
  const reply = (res: ServerResponse, response: WireResponse): void => {
    if (latencyMs === 0) send(res, response);
    else setTimeout(() => send(res, response), latencyMs);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    const headers = sandboxHeaders(req.rawHeaders);
    const host = headers.host ?? '127.0.0.1';
    const { pathname, query } = parseTarget(req.url ?? '/', host);
    const slash = pathname.indexOf('/', 1);
    const prefix = slash < 0 ? pathname.slice(1) : pathname.slice(1, slash);
    const skin = SKIN_BY_PREFIX.get(prefix);
    if (skin === undefined) {
      if (pathname === '/' || pathname === '') return reply(res, INDEX_PAGE);
      return reply(
        res,
        encode({
          status: 404,
          contentType: 'text/plain; charset=utf-8',
          body: `not found: ${pathname}; skins live under ${SKINS.map((s) => `/${s}`).join(', ')}\n`,
        }),
      );
    }
    const path = slash < 0 ? '/' : pathname.slice(slash);
    if (path === '/robots.txt') return reply(res, ROBOTS[skin]);

    let forced: string | null = null;
    let epochParam: string | null = null;
    let queryString = '';
    if (query !== null) {
      forced = query.get('__fault');
      query.delete('__fault');
      epochParam = query.get('__epoch');
      query.delete('__epoch');
      queryString = query.toString();
    }
    const epoch = parseEpoch(epochParam ?? headers.epoch, baseEpoch);
    const pathAndQuery = `${pathname}?${queryString}`;
    // Under --faults none nothing is drawn, so only a forced fault needs the planner.
    const fault: FaultKind | null = forced === null && !planner.draws ? null : planner.decide(pathAndQuery, forced);

    if (fault === '429') return reply(res, TOO_MANY_REQUESTS);
    if (fault === '500') return reply(res, requests % 2 ? INTERNAL_ERROR : UNAVAILABLE);
    if (fault === 'block') return reply(res, encode(blockResponse(skin, host)));
    if (fault === 'gate') return reply(res, encode(gateResponse(skin, host)));
    if (fault === '503') return reply(res, UNAVAILABLE);
    if (fault === 'empty') return reply(res, encode(EMPTY_SHELL));

    // Poisoned and mangled bodies are one-offs; the clean body is cached and rendered the same way every time.
    const cacheKey = fault === null || fault === 'slow' ? `${host}\u0000${epoch}\u0000${pathAndQuery}` : null;
    let wire = cacheKey === null ? undefined : responseCache.get(cacheKey);
    if (wire === undefined) {
      let response: SkinResponse | null;
      let failed = false;
      try {
        const request: SkinRequest = {
          world,
          search,
          skin,
          path,
          query: query ?? new URLSearchParams(),
          origin: `http://${host}`,
          host,
          epoch,
          poison: fault === 'poison',
        };
        response = lazadaPunish(skin, path) ?? htmlPage(request) ?? withRenderer(skin, SKIN_HANDLERS[skin](request));
      } catch (error) {
        failed = true;
        response = { status: 500, contentType: 'text/plain; charset=utf-8', body: `sandbox error: ${(error as Error).message}\n` };
      }
      // Neither a handler error nor a path no handler knows is remembered.
      const remember = cacheKey !== null && !failed && response !== null;
      response ??= {
        status: 404,
        contentType: 'text/html; charset=utf-8',
        body: `<html><body><h1>404</h1><p>Không tìm thấy trang ${path}</p></body></html>`,
      };
      wire = fault === 'truncate' ? cutMidTransfer(encode(response)) : encode(fault === 'malformed' ? mangle(response) : response);
      if (remember) responseCache.set(cacheKey, wire);
    }
    if (fault === 'slow') {
      const final = wire;
      setTimeout(() => send(res, final), SLOW_MS + latencyMs);
      return;
    }
    reply(res, wire);
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

const SKIN_BY_PREFIX = new Map<string, Skin>(SKINS.map((skin) => [skin, skin]));

function lazadaPunish(skin: Skin, path: string): SkinResponse | null {
  if (skin !== 'lazada' || !path.startsWith('/_____tmd_____/punish')) return null;
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: '<!DOCTYPE html><html><head><title>Lazada - Verify</title></head><body><div id="nocaptcha" class="nc-container"></div><script>window._config_ = {"action":"captcha","HOST":"punish"};</script><p>Vui lòng trượt để xác minh</p></body></html>',
  };
}

/** A response as it goes on the wire: the body encoded once, the headers as Node's flat [name, value, …] list. */
interface WireResponse {
  status: number;
  headers: string[];
  body: Buffer;
  /** Truncate fault: the headers promise the whole body, the connection drops after this many bytes. */
  cutAt?: number;
}

/** A dropped connection: Content-Length says the full size, half the bytes arrive, then the socket closes. */
function cutMidTransfer(wire: WireResponse): WireResponse {
  return { ...wire, cutAt: Math.max(1, Math.floor(wire.body.length / 2)) };
}

function encode(response: SkinResponse): WireResponse {
  const body = Buffer.from(response.body, 'utf8');
  const headers = ['content-type', response.contentType, 'content-length', String(body.length)];
  for (const [name, value] of Object.entries(response.headers ?? {})) headers.push(name, value);
  return { status: response.status, headers, body };
}

function send(res: ServerResponse, response: WireResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, response.headers);
  if (response.cutAt !== undefined) {
    res.write(response.body.subarray(0, response.cutAt), () => res.destroy());
    return;
  }
  res.end(response.body);
}

function indexPage(): string {
  return `<!DOCTYPE html><html><body><h1>counterfeit-radar sandbox</h1><ul>${SKINS.map((s) => `<li><a href="/${s}/">${s}</a></li>`).join('')}</ul></body></html>`;
}

// Responses that never change, encoded once.
const INDEX_PAGE = encode({ status: 200, contentType: 'text/html; charset=utf-8', body: indexPage() });
const ROBOTS = Object.fromEntries(SKINS.map((skin) => [skin, encode(robotsTxt(skin))])) as Record<Skin, WireResponse>;
const TOO_MANY_REQUESTS = encode({
  status: 429,
  contentType: 'text/plain; charset=utf-8',
  body: 'Too Many Requests\n',
  headers: { 'retry-after': String(RETRY_AFTER_S) },
});
const UNAVAILABLE_BODY = '<html><body><h1>Service Unavailable</h1></body></html>';
const INTERNAL_ERROR = encode({ status: 500, contentType: 'text/html; charset=utf-8', body: UNAVAILABLE_BODY });
const UNAVAILABLE = encode({ status: 503, contentType: 'text/html; charset=utf-8', body: UNAVAILABLE_BODY });
