import { timingSafeEqual, createHash } from 'node:crypto';
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
  /** Interface to bind; loopback by default, put a TLS proxy in front to expose it. */
  host?: string;
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

/** True when the request carries the token in the Authorization header, the query or the cookie. */
export function isAuthorized(headers: { authorization?: string; cookie?: string }, query: string | null, token: string): boolean {
  const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (bearer && sameSecret(bearer, token)) return true;
  if (query && sameSecret(query, token)) return true;
  const cookie = headers.cookie
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  return Boolean(cookie && sameSecret(decodeURIComponent(cookie), token));
}

/** Serves bull-board for every radar queue, refusing to start without a token. */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const token = options.token;
  if (!token || token.length < 16) {
    throw new UserError('the dashboard needs a token of at least 16 characters: set RADAR_DASHBOARD_TOKEN (e.g. `openssl rand -hex 24`)');
  }
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
    if (!isAuthorized(req.headers, queryToken, token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('unauthorized: send Authorization: Bearer <RADAR_DASHBOARD_TOKEN> or open /?token=<token>\n');
      return;
    }
    if (queryToken) res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    board(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
