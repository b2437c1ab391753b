import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Browser, BrowserContext, BrowserType, LaunchOptions, Page } from 'playwright';
import { checkUrl, forbiddenAddressReason, isAllowlisted, legacyIpv4, type Resolver } from './ssrf.ts';

/**
 * The SSRF guard for Chromium. A page's own requests are checked where they connect, not where
 * Playwright sees them: Chromium is launched with `--proxy-server` pointing at a loopback proxy
 * (and `<-loopback>`, so loopback is proxied too) that resolves every CONNECT and every plain
 * request target itself, refuses private, loopback and link-local addresses unless allowlisted,
 * and connects to the very address it checked. That covers navigations, each redirect hop,
 * subresources, fetch/XHR and WebSockets (tunnelled through CONNECT), and leaves no room for DNS
 * rebinding, since Chromium never resolves names itself. `routeWebSocket` refuses WebSockets
 * once more at the page level.
 */

export interface BrowserGuardOptions {
  /** Hosts (`host` or `host:port`) let through: operator config and the run's own base URL only. Without it, only public addresses pass. */
  allowHosts?: readonly string[];
  /** DNS resolution (every address); injectable for tests. @default the system resolver */
  resolve?: Resolver;
  /** Called for each refused connection, e.g. to log it. Without it, refusals are only counted (`refused()`). */
  onRefused?: (target: string, reason: string) => void;
}

export interface BrowserGuard {
  /** Pass as Playwright's `proxy` launch option. */
  readonly proxy: { server: string };
  /** Extra Chromium flags: no WebRTC UDP outside the proxy. */
  readonly args: readonly string[];
  /** Lets `hosts` through as well until the returned function is called (a job's base URL). */
  allow(hosts: readonly string[]): () => void;
  /** Connections refused so far. */
  refused(): number;
  close(): Promise<void>;
}

type Verdict = { ok: true; address: string; port: number } | { ok: false; reason: string };

/** Starts the guarded proxy on an ephemeral loopback port. */
export async function startBrowserGuard(options: BrowserGuardOptions = {}): Promise<BrowserGuard> {
  const extra = new Map<symbol, readonly string[]>();
  const allowHosts = () => [...(options.allowHosts ?? []), ...[...extra.values()].flat()];
  let refusedCount = 0;
  const sockets = new Set<Duplex>();

  const refuse = (target: string, reason: string): Verdict => {
    refusedCount += 1;
    options.onRefused?.(target, reason);
    return { ok: false, reason };
  };

  /** Where to connect for host:port, or why not: the checked address itself, never a second lookup. */
  const judge = async (rawHost: string, port: number, scheme: 'http' | 'https'): Promise<Verdict> => {
    const host = rawHost.replace(/^\[|\]$/g, '');
    const label = `${host}:${port}`;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) return refuse(label, 'bad port');
    const urlHost = net.isIPv6(host) ? `[${host}]` : host;
    const allowed = allowHosts();
    if (isAllowlisted(host, port, allowed)) {
      const literal = net.isIP(host) ? host : legacyIpv4(host);
      if (literal) return { ok: true, address: literal, port };
      const addresses = await (options.resolve ?? systemResolve)(host).catch(() => [] as string[]);
      return addresses[0] ? { ok: true, address: addresses[0], port } : refuse(label, 'does not resolve');
    }
    const verdict = await checkUrl(`${scheme}://${urlHost}:${port}/`, { allowHosts: [], resolve: options.resolve });
    if (!verdict.ok) return refuse(label, verdict.reason);
    const literal = net.isIP(verdict.url.hostname.replace(/^\[|\]$/g, '')) ? verdict.url.hostname.replace(/^\[|\]$/g, '') : null;
    if (literal) return { ok: true, address: literal, port };
    const addresses = await (options.resolve ?? systemResolve)(host).catch(() => [] as string[]);
    // checkUrl resolved once already; this answer is checked again and is the one connected to.
    for (const address of addresses) if (forbiddenAddressReason(address)) return refuse(label, `resolves to ${address}`);
    return addresses[0] ? { ok: true, address: addresses[0], port } : refuse(label, 'does not resolve');
  };

  const track = (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (target.protocol !== 'http:') {
      refuse(target.href, `scheme ${target.protocol}`);
      res.writeHead(403).end();
      return;
    }
    const verdict = await judge(target.hostname, Number(target.port || 80), 'http');
    if (!verdict.ok) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`refused by the radar SSRF guard: ${verdict.reason}\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request(
      {
        host: verdict.address,
        port: verdict.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
        setHost: false,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.rawHeaders);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  };
  // A failed lookup must answer the browser, not become an unhandled rejection in the crawler.
  const server = http.createServer((req, res) => {
    forward(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  server.on('connection', track);

  const tunnel = async (req: http.IncomingMessage, client: Duplex, head: Buffer, forwardHead: boolean) => {
    track(client);
    let host: string;
    let port: number;
    if (forwardHead) {
      // A WebSocket upgrade in absolute form (ws:// through the proxy without CONNECT).
      try {
        const url = new URL((req.url ?? '').replace(/^ws/, 'http'));
        host = url.hostname;
        port = Number(url.port || 80);
      } catch {
        client.destroy();
        return;
      }
    } else {
      const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(req.url ?? '');
      if (!match) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      host = match[1]!;
      port = Number(match[2]);
    }
    const verdict = await judge(host, port, port === 443 ? 'https' : 'http');
    if (!verdict.ok) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect({ host: verdict.address, port: verdict.port });
    track(upstream);
    upstream.once('connect', () => {
      if (forwardHead) {
        const lines = [`${req.method} ${new URL((req.url ?? '').replace(/^ws/, 'http')).pathname} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      } else {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      }
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => client.destroy());
  };
  server.on('connect', (req, socket, head) => void tunnel(req, socket, head, false));
  server.on('upgrade', (req, socket, head) => void tunnel(req, socket, head, true));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    proxy: { server: `http://127.0.0.1:${port}` },
    args: ['--force-webrtc-ip-handling-policy=disable_non_proxied_udp', '--webrtc-ip-handling-policy=disable_non_proxied_udp'],
    allow(hosts) {
      const key = Symbol('allow');
      extra.set(key, [...hosts]);
      return () => void extra.delete(key);
    },
    refused: () => refusedCount,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function systemResolve(host: string): Promise<string[]> {
  const dns = await import('node:dns');
  const records = await dns.promises.lookup(host, { all: true, verbatim: true });
  return records.map((record) => record.address);
}

const guards = new WeakMap<Browser, BrowserGuard>();

/** The guard a browser was launched behind, if any. */
export function guardOf(browser: Browser | null | undefined): BrowserGuard | undefined {
  return browser ? guards.get(browser) : undefined;
}

/**
 * Launches Chromium behind a fresh {@link startBrowserGuard} proxy (closed with the browser).
 * Use instead of `chromium.launch(options)` for every browser that loads crawled pages.
 */
export async function launchGuardedChromium(
  chromium: Pick<BrowserType, 'launch'>,
  launchOptions: LaunchOptions,
  guardOptions: BrowserGuardOptions = {},
): Promise<Browser> {
  const guard = await startBrowserGuard(guardOptions);
  let browser: Browser;
  try {
    browser = await chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), ...guard.args], proxy: guard.proxy });
  } catch (error) {
    await guard.close();
    throw error;
  }
  guards.set(browser, guard);
  browser.once('disconnected', () => void guard.close());
  return browser;
}

/**
 * Per context (or page): lets the run's own allowlisted hosts through the browser's guard while
 * the context lives, and refuses WebSockets to forbidden addresses before Chromium opens them.
 */
export async function guardBrowserTarget(target: BrowserContext | Page, allowHosts: readonly string[]): Promise<void> {
  const context = 'context' in target && typeof target.context === 'function' ? target.context() : (target as BrowserContext);
  const guard = guardOf(context.browser());
  if (guard && allowHosts.length > 0) {
    const release = guard.allow(allowHosts);
    context.once('close', release);
  }
  await target.routeWebSocket(/.*/, async (ws) => {
    const url = ws.url().replace(/^ws/, 'http');
    const verdict = await checkUrl(url, { allowHosts });
    if (!verdict.ok) {
      await ws.close({ code: 1008, reason: 'refused by the radar SSRF guard' });
      return;
    }
    ws.connectToServer();
  });
}
