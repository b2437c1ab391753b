import { timingSafeEqual, createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../core/errors.ts';
import { allQueueNames } from './names.ts';
import type { QueueSet } from './queues.ts';

export interface DashboardOptions {
  queues: QueueSet;
  /** Required; at least 16 characters. Sent as `Authorization: Bearer …` or once as `?token=…` (then a cookie). */
  token: string | undefined;
  /** 0 picks a free port. */
  port: number;
  /** Interface to bind; put a TLS proxy in front to expose it beyond loopback. @default '127.0.0.1' */
  host?: string;
  /** Where warnings go (binding beyond loopback). @default stderr */
  warn?: (message: string) => void;
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

const COOKIE = 'radar_dashboard';

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Why a dashboard token is too weak to guard the queues, or null. A token is typed once and kept
 * in a variable, so there is no reason to accept a short or patterned one: at least 16
 * characters, 8 different ones, and about 64 bits by its own character frequencies.
 */
export function weakTokenReason(token: string | undefined): string | null {
  if (!token || token.length < 16) return 'it must be at least 16 characters';
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  if (counts.size < 8) return `it uses only ${counts.size} different character(s)`;
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / token.length);
  if (bits < 60) return `it carries only about ${Math.floor(bits)} bits of entropy`;
  return null;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** The warning for binding the dashboard to `host`, or null on loopback. */
export function bindWarning(host: string): string | null {
  if (isLoopback(host)) return null;
  return `warning: the dashboard listens on ${host}, beyond loopback: anyone who can reach it can try the token, and it is plain HTTP; put a TLS proxy in front or bind 127.0.0.1`;
}

function cookieValue(cookieHeader: string | undefined): string | undefined {
  return cookieHeader
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
}

/**
 * True when the request carries the token in the Authorization header or the query, or a session
 * cookie this dashboard issued (`sessions`); the cookie never holds the token itself.
 */
export function isAuthorized(
  headers: { authorization?: string; cookie?: string },
  query: string | null,
  token: string,
  sessions: ReadonlySet<string> = new Set(),
): boolean {
  const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer && sameSecret(bearer, token)) return true;
  if (query && sameSecret(query, token)) return true;
  const cookie = cookieValue(headers.cookie);
  if (!cookie) return false;
  for (const session of sessions) if (sameSecret(cookie, session)) return true;
  return false;
}

/** Serves bull-board for every radar queue, refusing to start without a token. */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const token = options.token;
  const weak = weakTokenReason(token);
  if (weak || !token) {
    throw new UserError(
      `the dashboard needs a strong token and RADAR_DASHBOARD_TOKEN is too weak (${weak}); generate one with \`openssl rand -hex 24\``,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const warning = bindWarning(host);
  if (warning) (options.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(warning);
  /** Session ids handed out as cookies after a ?token= login; random, and not the token. */
  const sessions = new Set<string>();
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }, http] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
    import('node:http'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: allQueueNames().map((name) => new BullMQAdapter(options.queues.get(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'counterfeit-radar queues' } },
  });
  // The adapter's router is an express app: a plain (req, res) handler behind our token check.
  const board = serverAdapter.getRouter() as (req: IncomingMessage, res: ServerResponse) => void;
  const server: Server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const queryToken = url.searchParams.get('token');
    if (!isAuthorized(req.headers, queryToken, token, sessions)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('unauthorized: send Authorization: Bearer <RADAR_DASHBOARD_TOKEN> or open /?token=<token>\n');
      return;
    }
    if (queryToken) {
      const session = randomBytes(32).toString('base64url');
      if (sessions.size >= 1_000) sessions.delete(sessions.values().next().value!);
      sessions.add(session);
      res.setHeader('Set-Cookie', `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
    }
    board(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
