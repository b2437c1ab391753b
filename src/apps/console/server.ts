import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isUserError, UserError } from '../../core/errors.ts';
import type { Db, Queryable } from '../../core/db/types.ts';
import { withDbScope, type DbScope } from '../../core/db/stores/console-scope.ts';
import {
  deleteConsoleSession,
  findConsoleSession,
  insertConsoleSession,
  type ConsoleSessionRow,
} from '../../core/db/stores/console-sessions.ts';
import {
  clearLoginFailures,
  findConsoleUserByName,
  loginFailures,
  recordLoginFailure,
  setConsoleUserPassword,
} from '../../core/db/stores/console-users.ts';
import {
  assignLead,
  insertLeadEvent,
  leadCountsByProvince,
  leadCountsByProvinceWeek,
  listingReferencePrice,
  networkGraph,
  networkVisible,
  provinceSourceColumn,
  queueFacets,
  queueLeads,
  visibleEvidence,
  visibleLead,
  visibleLeadIds,
} from '../../core/db/stores/console-leads.ts';
import { exportWeeklyLeads } from '../../leads/export.ts';
import { weeklyExportRows } from '../../leads/export-rows.ts';
import { buildEvidencePack } from '../../leads/pack.ts';
import { leadDetails } from '../../leads/show.ts';
import { leadStats } from '../../leads/stats.ts';
import { REVIEW_STATUSES, setLeadStatus, type ReviewStatus } from '../../leads/status.ts';
import { isoWeekOf, parseIsoWeek } from '../../leads/week.ts';
import { checkEvidence, evidenceFiles, resolveEvidencePath } from './evidence-files.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { LANGS, t, type Lang } from './i18n.ts';
import { html, type SafeHtml } from './html.ts';
import { layout, type LayoutInput, type PageUser } from './pages/layout.ts';
import { leadPage } from './pages/lead.ts';
import { changePasswordPage, exportsPage, loginPage, messagePage, networkPage, overviewPage } from './pages/other.ts';
import { queuePage, type QueueView } from './pages/queue.ts';
import { PROVINCES, provinceByCode } from './provinces.ts';
import { encodeCursor, parseQueueQuery } from './queue.ts';

export interface ConsoleOptions {
  /** The configured database; the console's own queries run as radar_console with the user's scope. */
  db: Db;
  /** RADAR_DATA_DIR/evidence, where evidence paths point. */
  evidenceDir: string;
  /** The office's signing key for downloaded packs (`radar keys init`). Without it, a pack download fails and says so. */
  signingKey?: import('node:crypto').KeyObject | null;
  /**
   * Always set the Secure flag on cookies (the console is behind TLS). Without it the flag is still set
   * when a request arrived over TLS (req.secure, which honours X-Forwarded-Proto when `trustProxy`).
   * @default false
   */
  secureCookies?: boolean;
  /** Trust X-Forwarded-* from a reverse proxy. @default false */
  trustProxy?: boolean;
  /** Starts an evidence capture for these listings (queue job or in-process). Without it, "capture now" only records the request. */
  requestCapture?: (listings: { id: number; url: string }[]) => Promise<void>;
  /** Wrong passwords in a row before logins for that name are refused. @default 10 */
  maxLoginFailures?: number;
  /** How long (s) a streak of wrong passwords counts, and how long the refusal lasts. @default 900 */
  loginWindowSeconds?: number;
  /** How long (s) a login lasts before the user signs in again. @default 43200 (12 h) */
  sessionSeconds?: number;
}

const SESSION_COOKIE = 'radar_session';
const LOGIN_CSRF_COOKIE = 'radar_login_csrf';
const LANG_COOKIE = 'radar_lang';
const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);

/** Browser libraries served straight from node_modules: no build step. */
const VENDOR_ASSETS: Record<string, string> = {
  'htmx.min.js': vendorFile('htmx.org', 'dist/htmx.min.js'),
  'cytoscape.min.js': vendorFile('cytoscape', 'dist/cytoscape.min.js'),
  'echarts.min.js': vendorFile('echarts', 'dist/echarts.min.js'),
};

/** A file inside an installed package, found from its main entry (some packages do not export package.json). */
function vendorFile(pkg: string, file: string): string {
  let dir = path.dirname(requireFromHere.resolve(pkg));
  while (!existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, file);
}

interface SessionUser extends PageUser {
  id: number;
  tokenHash: string;
  provinces: number[];
  mustChangePassword: boolean;
}

class NotFound extends Error {}
class Forbidden extends Error {}

/** What the console's middleware leaves on res.locals; Express types locals as `any`, so they are typed once here. */
interface ConsoleLocals {
  cookies: Record<string, string | undefined>;
  lang: Lang;
  user?: SessionUser;
}
const locals = (res: Response) => res.locals as ConsoleLocals;

/** The logged-in user, for handlers behind the session gate (which redirects when there is none). */
function sessionUser(res: Response): SessionUser {
  const user = locals(res).user;
  if (!user) throw new Forbidden();
  return user;
}

/** A form or JSON body field as text: anything that is not a string (missing, array, object) reads as ''. */
function bodyText(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const token = () => randomBytes(32).toString('base64url');

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        // A malformed cookie is ignored, like a missing one.
      }
    }
  }
  return out;
}

function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function scopeOf(user: SessionUser): DbScope {
  const provinces = user.role === 'provincial' || (user.role === 'viewer' && user.provinces.length > 0) ? user.provinces : null;
  return { readOnly: user.role === 'viewer', provinces };
}

const canAct = (user: SessionUser) => user.role !== 'viewer';

function positiveId(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFound();
  return n;
}

/** A Db whose transactions join the request's scoped transaction, so services that open one stay inside the scope. */
function scopedDb(base: Db, tx: Queryable): Db {
  return {
    kind: base.kind,
    target: base.target,
    query: (text, params) => tx.query(text, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
}

export function createConsoleApp(options: ConsoleOptions): express.Express {
  const { db } = options;
  const maxFailures = options.maxLoginFailures ?? 10;
  const windowSeconds = options.loginWindowSeconds ?? 900;
  const sessionSeconds = options.sessionSeconds ?? 43_200;
  let sourceTable: Promise<'leads' | 'shops' | null> | undefined;
  const provinceSource = () => (sourceTable ??= provinceSourceColumn(db));

  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy) app.set('trust proxy', true);
  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use(express.json({ limit: '200kb' }));

  app.use((req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    locals(res).cookies = parseCookies(req.headers.cookie);
    const cookieLang = locals(res).cookies[LANG_COOKIE];
    locals(res).lang = LANGS.find((lang) => lang === cookieLang) ?? 'vi';
    next();
  });

  const secure = (req: Request) => options.secureCookies === true || req.secure;
  const cookie = (req: Request, res: Response, name: string, value: string, maxAge: number, httpOnly = true) =>
    res.cookie(name, value, { httpOnly, sameSite: 'strict', secure: secure(req), path: '/', maxAge: maxAge * 1000 });

  // Static assets: our CSS/JS and vendored libraries.
  app.get('/assets/:name', (req, res, next) => {
    const name = String(req.params.name);
    const vendor = VENDOR_ASSETS[name];
    const file = vendor ?? (/^console\.(css|js)$/.test(name) ? path.join(here, 'assets', name) : null);
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(file);
  });

  const render = (res: Response, status: number, page: Omit<LayoutInput, 'lang' | 'here'> & { here?: string }) => {
    res
      .status(status)
      .type('html')
      .send(layout({ lang: locals(res).lang, here: page.here ?? res.req.originalUrl, ...page }).toString());
  };

  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  // Language toggle: a preference cookie, not a change to data.
  app.get('/lang/:lang', (req, res) => {
    const lang = (LANGS as readonly string[]).includes(String(req.params.lang)) ? String(req.params.lang) : 'vi';
    cookie(req, res, LANG_COOKIE, lang, 365 * 86_400, false);
    const back = typeof req.query.back === 'string' && /^\/(?!\/)/.test(req.query.back) ? req.query.back : '/leads';
    res.redirect(303, back);
  });

  // Session.
  app.use(async (req, res, next) => {
    const raw = locals(res).cookies[SESSION_COOKIE];
    if (raw) {
      const row: ConsoleSessionRow | null = await findConsoleSession(db, sha256(raw));
      if (row) {
        const user: SessionUser = {
          id: Number(row.user_id),
          name: row.name,
          role: row.role,
          csrf: row.csrf_token,
          tokenHash: row.token_hash,
          provinces: row.provinces.map(Number),
          mustChangePassword: row.must_change_password,
        };
        locals(res).user = user;
      }
    }
    next();
  });

  // CSRF: every changing request carries the session's token (form field or header); login uses a cookie pair.
  app.use((req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    const user = locals(res).user;
    const expected = req.path === '/login' ? locals(res).cookies[LOGIN_CSRF_COOKIE] : user?.csrf;
    if (!expected || !sameToken(sent, expected)) {
      res.status(403).type('text/plain').send('CSRF token missing or wrong');
      return;
    }
    next();
  });

  const loginForm = (req: Request, res: Response, status: number, error: string | null, name = '') => {
    // Reuse the pair's token: a second tab (or the favicon's redirect) must not invalidate an open form.
    const existing = locals(res).cookies[LOGIN_CSRF_COOKIE];
    const csrf = existing && /^[\w-]{43}$/.test(existing) ? existing : token();
    cookie(req, res, LOGIN_CSRF_COOKIE, csrf, 3600);
    render(res, status, { title: t(locals(res).lang, 'login'), user: null, body: loginPage(locals(res).lang, csrf, error, name) });
  };

  app.get('/login', (req, res) => {
    if (locals(res).user) return res.redirect(303, '/leads');
    loginForm(req, res, 200, null);
  });

  app.post('/login', async (req, res) => {
    const lang: Lang = locals(res).lang;
    const body = req.body as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim().slice(0, 80) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const streak = name ? await loginFailures(db, name) : null;
    if (streak && streak.failures >= maxFailures && Date.now() - streak.lastFailureAt.getTime() < windowSeconds * 1000) {
      res.setHeader('Retry-After', String(windowSeconds));
      return loginForm(req, res, 429, t(lang, 'rateLimited'), name);
    }
    const user = name ? await findConsoleUserByName(db, name) : null;
    const ok = user !== null && user.disabled_at === null && (await verifyPassword(password, user.password_hash));
    if (!ok || !user) {
      if (name) await recordLoginFailure(db, name, windowSeconds);
      return loginForm(req, res, 401, t(lang, 'badLogin'), name);
    }
    await clearLoginFailures(db, name);
    const sessionToken = token();
    await insertConsoleSession(db, { tokenHash: sha256(sessionToken), userId: user.id, csrfToken: token(), ttlSeconds: sessionSeconds });
    cookie(req, res, SESSION_COOKIE, sessionToken, sessionSeconds);
    res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    res.redirect(303, user.must_change_password ? '/password' : '/leads');
  });

  // Everything below needs a session.
  app.use((req, res, next) => {
    const user = locals(res).user;
    if (!user) {
      if (req.path.startsWith('/api/')) return res.status(401).json({ error: 'log in first' });
      return res.redirect(303, '/login');
    }
    if (user.mustChangePassword && req.path !== '/password' && req.path !== '/logout') {
      if (req.path.startsWith('/api/')) return res.status(403).json({ error: 'change the one-time password first' });
      return res.redirect(303, '/password');
    }
    next();
  });

  app.post('/logout', async (_req, res) => {
    await deleteConsoleSession(db, sessionUser(res).tokenHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  app.get('/password', (_req, res) => {
    render(res, 200, {
      title: t(locals(res).lang, 'changePassword'),
      user: sessionUser(res),
      body: changePasswordPage(locals(res).lang, sessionUser(res), null),
    });
  });
  app.post('/password', async (req, res) => {
    const user = sessionUser(res);
    const password = bodyText(req, 'password');
    const problem = passwordProblem(password);
    if (problem)
      return render(res, 400, {
        title: t(locals(res).lang, 'changePassword'),
        user,
        body: changePasswordPage(locals(res).lang, user, problem),
      });
    await setConsoleUserPassword(db, user.id, await hashPassword(password), false, user.tokenHash);
    res.redirect(303, '/leads');
  });

  /** Runs the request's queries in one transaction as the console role, with the user's province scope. */
  const scoped = <T>(res: Response, fn: (tx: Queryable, user: SessionUser) => Promise<T>): Promise<T> => {
    const user = sessionUser(res);
    return withDbScope(db, scopeOf(user), (tx) => fn(tx, user));
  };
  const requireAct = (res: Response) => {
    if (!canAct(sessionUser(res))) throw new Forbidden();
  };
  const userProvinces = (user: SessionUser) =>
    scopeOf(user).provinces === null ? PROVINCES : PROVINCES.filter((p) => user.provinces.includes(p.code));
  const actorData = (user: SessionUser) => ({ user_id: user.id, via: 'console' });

  app.get('/', (_req, res) => res.redirect(303, '/leads'));

  const queueData = async (req: Request, res: Response) => {
    const parsed = parseQueueQuery(req.query);
    const table = await provinceSource();
    return scoped(res, async (tx, user) => {
      const page = await queueLeads(tx, parsed.filters, {
        sort: parsed.sort,
        after: parsed.after,
        limit: parsed.limit,
        provinceSourceTable: table,
      });
      return { parsed, page, user, table };
    });
  };

  app.get('/api/leads', async (req, res) => {
    const { page } = await queueData(req, res);
    res.json({ total: page.total, next: page.next ? encodeCursor(page.next) : null, rows: page.rows });
  });

  app.get('/leads', async (req, res) => {
    const { parsed, page, user, table } = await queueData(req, res);
    const facets = await scoped(res, (tx) => queueFacets(tx));
    const view: QueueView = {
      lang: locals(res).lang,
      user,
      canAct: canAct(user),
      query: parsed.query,
      page,
      provinces: userProvinces(user),
      assignees: facets.assignees,
      hasProvinceSource: table !== null,
    };
    render(res, 200, {
      title: t(locals(res).lang, 'queue'),
      user,
      active: 'queue',
      body: queuePage(view),
      flash: flash(req, locals(res).lang),
    });
  });

  const loadLead = (id: number) => async (tx: Queryable) => {
    if (!(await visibleLead(tx, id))) throw new NotFound();
    const details = await leadDetails(tx, id);
    const listing = details.listings.find((l) => Number(l.id) === Number(details.lead.listing_id));
    const referencePrice = listing ? await listingReferencePrice(tx, Number(listing.id), String(details.lead.scoring_version)) : null;
    const networkId =
      (details.lead.network_id as number | null) ??
      (details.shops.find((s) => s.network_id != null)?.network_id as number | undefined) ??
      null;
    const network = networkId === null ? null : await networkGraph(tx, Number(networkId), 100);
    return { details, referencePrice, network: network && network.network ? { shops: network.shops, links: network.links } : null };
  };

  app.get('/api/leads/:id', async (req, res) => {
    const id = positiveId(req.params.id);
    const data = await scoped(res, loadLead(id));
    res.json({ ...data, evidence: await checkEvidence(options.evidenceDir, data.details.evidence) });
  });

  app.get('/leads/:id', async (req, res) => {
    const id = positiveId(req.params.id);
    const data = await scoped(res, loadLead(id));
    const evidence = await checkEvidence(options.evidenceDir, data.details.evidence);
    const user = sessionUser(res);
    render(res, 200, {
      title: `#${id}`,
      user,
      active: 'queue',
      flash: flash(req, locals(res).lang),
      body: leadPage({ lang: locals(res).lang, user, canAct: canAct(user), ...data, evidence }),
    });
  });

  app.post('/leads/:id/status', async (req, res) => {
    requireAct(res);
    const id = positiveId(req.params.id);
    const body = req.body as Record<string, unknown>;
    const status = bodyText(req, 'status');
    if (!(REVIEW_STATUSES as readonly string[]).includes(status))
      throw new UserError(`status must be one of ${REVIEW_STATUSES.join(', ')}`);
    const note = typeof body.note === 'string' && body.note.trim() ? body.note.trim().slice(0, 2000) : undefined;
    await scoped(res, async (tx, user) => {
      if (!(await visibleLead(tx, id))) throw new NotFound();
      await setLeadStatus(scopedDb(db, tx), id, status as ReviewStatus, { by: user.name, note });
    });
    done(req, res, `/leads/${id}`, 'saved');
  });

  app.post('/leads/:id/assign', async (req, res) => {
    requireAct(res);
    const id = positiveId(req.params.id);
    const assignee = bodyText(req, 'assignee').trim().slice(0, 80) || null;
    await scoped(res, async (tx, user) => {
      if (!(await assignLead(tx, id, assignee, user.name, actorData(user)))) throw new NotFound();
    });
    done(req, res, `/leads/${id}`, 'saved');
  });

  app.post('/leads/:id/capture', async (req, res) => {
    requireAct(res);
    const id = positiveId(req.params.id);
    const listings = await scoped(res, async (tx, user) => {
      const lead = await visibleLead(tx, id);
      if (!lead) throw new NotFound();
      const details = await leadDetails(tx, id);
      const chosen = details.listings
        .filter((l) => typeof l.url === 'string' && l.url)
        .slice(0, 20)
        .map((l) => ({ id: Number(l.id), url: String(l.url) }));
      await insertLeadEvent(tx, id, user.name, 'capture_requested', null, { ...actorData(user), listing_ids: chosen.map((l) => l.id) });
      return chosen;
    });
    // Runs after the response: a capture takes seconds and records its own evidence row.
    if (options.requestCapture && listings.length) options.requestCapture(listings).catch(() => undefined);
    done(req, res, `/leads/${id}`, 'captureQueued');
  });

  const sendPack = async (res: Response, id: number) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'radar-pack-'));
    try {
      const file = path.join(dir, `evidence-lead-${id}.zip`);
      await scoped(res, async (tx, user) => {
        if (!(await visibleLead(tx, id))) throw new NotFound();
        if (!options.signingKey) throw new Error('no office signing key: run `radar keys init` before downloading packs');
        await buildEvidencePack(tx, id, {
          outFile: file,
          evidenceDir: options.evidenceDir,
          signingKey: options.signingKey,
          packedBy: user.name,
        });
        await insertLeadEvent(tx, id, user.name, 'pack_downloaded', null, actorData(user));
      });
      await new Promise<void>((resolve, reject) =>
        res.download(file, `evidence-lead-${id}.zip`, (error) => (error ? reject(error) : resolve())),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  app.post('/leads/:id/pack', async (req, res) => sendPack(res, positiveId(req.params.id)));
  app.post('/exports/pack', async (req, res) => sendPack(res, positiveId((req.body as Record<string, unknown>).lead)));

  app.post('/leads/bulk', async (req, res) => {
    requireAct(res);
    const body = req.body as Record<string, unknown>;
    const ids = [...new Set((Array.isArray(body.ids) ? body.ids : body.ids === undefined ? [] : [body.ids]).map(positiveId))].slice(
      0,
      1000,
    );
    const action = bodyText(req, 'action');
    const note = typeof body.note === 'string' && body.note.trim() ? body.note.trim().slice(0, 2000) : undefined;
    const count = await scoped(res, async (tx, user) => {
      const visible = await visibleLeadIds(tx, ids);
      if (action === 'status') {
        const status = bodyText(req, 'status');
        if (!(REVIEW_STATUSES as readonly string[]).includes(status))
          throw new UserError(`status must be one of ${REVIEW_STATUSES.join(', ')}`);
        for (const id of visible) await setLeadStatus(scopedDb(db, tx), id, status as ReviewStatus, { by: user.name, note });
      } else if (action === 'assign') {
        const assignee = bodyText(req, 'assignee').trim().slice(0, 80) || null;
        for (const id of visible) await assignLead(tx, id, assignee, user.name, { ...actorData(user), bulk: true, note: note ?? null });
      } else {
        throw new UserError('action must be status or assign');
      }
      return visible.length;
    });
    const back = typeof body.back === 'string' && /^\/leads(\?|$)/.test(body.back) ? body.back : '/leads';
    if (req.get('accept')?.includes('application/json')) return res.json({ updated: count });
    res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}done=${count}`);
  });

  app.get('/evidence/:eid/:index', async (req, res) => {
    const eid = positiveId(req.params.eid);
    const index = Number(req.params.index);
    const row = await scoped(res, (tx) => visibleEvidence(tx, eid));
    const entry = row ? evidenceFiles(row.files)[index] : undefined;
    const full = entry ? resolveEvidencePath(options.evidenceDir, entry.path) : null;
    if (!entry || !full) throw new NotFound();
    if (entry.content_type) res.type(entry.content_type);
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
    await new Promise<void>((resolve, reject) =>
      res.sendFile(full, { dotfiles: 'allow' }, (error) => (error ? reject(new NotFound()) : resolve())),
    );
  });

  const networkData = (id: number) => async (tx: Queryable) => {
    if (!(await networkVisible(tx, id))) throw new NotFound();
    const graph = await networkGraph(tx, id);
    if (!graph.network) throw new NotFound();
    return graph;
  };
  app.get('/api/networks/:id', async (req, res) => res.json(await scoped(res, networkData(positiveId(req.params.id)))));
  app.get('/networks/:id', async (req, res) => {
    const id = positiveId(req.params.id);
    const graph = await scoped(res, networkData(id));
    render(res, 200, {
      title: `${t(locals(res).lang, 'network')} #${id}`,
      user: sessionUser(res),
      active: 'queue',
      scripts: ['cytoscape.min.js'],
      body: networkPage(locals(res).lang, id, graph.network!, graph.shops, graph.links),
    });
  });

  const overviewData = (res: Response) =>
    scoped(res, async (tx) => {
      const since = new Date(Date.now() - 12 * 7 * 86_400_000);
      return {
        perWeek: await leadCountsByProvinceWeek(tx, since),
        perProvince: await leadCountsByProvince(tx),
        stats: await leadStats(tx),
      };
    });
  app.get('/api/overview', async (_req, res) => res.json(await overviewData(res)));
  app.get('/overview', async (_req, res) => {
    const data = await overviewData(res);
    render(res, 200, {
      title: t(locals(res).lang, 'overview'),
      user: sessionUser(res),
      active: 'overview',
      scripts: ['echarts.min.js'],
      body: overviewPage({ lang: locals(res).lang, ...data }),
    });
  });

  const exportsData = async (req: Request, res: Response) => {
    const week = typeof req.query.week === 'string' && req.query.week ? parseIsoWeek(req.query.week) : isoWeekOf(new Date());
    const rows = await scoped(res, (tx) => weeklyExportRows(tx, week));
    const user = sessionUser(res);
    const counts = new Map<number | null, number>();
    for (const r of rows) counts.set(r.province_code, (counts.get(r.province_code) ?? 0) + 1);
    const provinces = userProvinces(user)
      .filter((p) => scopeOf(user).provinces !== null || counts.has(p.code))
      .map((p): { code: number | null; name: string; rows: number } => ({ code: p.code, name: p.name, rows: counts.get(p.code) ?? 0 }));
    if (scopeOf(user).provinces === null && counts.has(null))
      provinces.push({ code: null, name: t(locals(res).lang, 'unknownProvince'), rows: counts.get(null)! });
    return { week: week.label, provinces: [{ code: null, name: t(locals(res).lang, 'allOfMine'), rows: rows.length }, ...provinces] };
  };
  app.get('/api/exports', async (req, res) => res.json(await exportsData(req, res)));
  app.get('/exports', async (req, res) => {
    const data = await exportsData(req, res);
    render(res, 200, {
      title: t(locals(res).lang, 'exports'),
      user: sessionUser(res),
      active: 'exports',
      body: exportsPage({
        lang: locals(res).lang,
        user: sessionUser(res),
        week: data.week,
        provinces: data.provinces.map((p, i) => (i === 0 ? { ...p, code: null } : p)),
      }),
    });
  });

  app.get('/exports/download', async (req, res) => {
    const week =
      req.query.week === undefined ? isoWeekOf(new Date()) : parseIsoWeek(typeof req.query.week === 'string' ? req.query.week : '');
    const format = req.query.format === 'csv' ? 'csv' : 'xlsx';
    // A repeated or nested parameter is not a province: it falls through to 404 like an unknown code.
    const province = req.query.province === undefined ? 'all' : typeof req.query.province === 'string' ? req.query.province : '';
    if (province !== 'all' && !provinceByCode(Number(province))) throw new NotFound();
    const dir = await mkdtemp(path.join(tmpdir(), 'radar-export-'));
    try {
      const result = await scoped(res, (tx) =>
        exportWeeklyLeads(tx, { week: week.label, format, outDir: dir, ...(province === 'all' ? {} : { province }) }),
      );
      const file = result.files[0]!;
      await new Promise<void>((resolve, reject) =>
        res.download(file.path, path.basename(file.path), (error) => (error ? reject(error) : resolve())),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.use((req, res) => {
    if (req.path.startsWith('/api/')) return res.status(404).json({ error: 'not found' });
    render(res, 404, {
      title: t(locals(res).lang, 'notFound'),
      user: locals(res).user ?? null,
      body: messagePage(locals(res).lang, '404', t(locals(res).lang, 'notFound')),
    });
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // An error thrown before the language middleware ran leaves no language on locals.
    const lang: Lang = (locals(res) as Partial<ConsoleLocals>).lang ?? 'vi';
    const [status, text] =
      error instanceof NotFound
        ? [404, t(lang, 'notFound')]
        : error instanceof Forbidden
          ? [403, t(lang, 'readOnly')]
          : isUserError(error)
            ? [400, error.message]
            : [500, t(lang, 'error')];
    if (status === 500) process.stderr.write(`radar console: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (res.headersSent) return;
    if (req.path.startsWith('/api/') || req.get('accept')?.includes('application/json')) return res.status(status).json({ error: text });
    render(res, status, { title: String(status), user: locals(res).user ?? null, body: messagePage(lang, String(status), text) });
  });
  return app;
}

function flash(req: Request, lang: Lang): string | null {
  if (typeof req.query.done === 'string' && /^\d+$/.test(req.query.done)) return t(lang, 'bulkDone', { n: req.query.done });
  if (req.query.ok === 'saved') return t(lang, 'saved');
  if (req.query.ok === 'captureQueued') return t(lang, 'captureQueued');
  return null;
}

function done(req: Request, res: Response, to: string, ok: 'saved' | 'captureQueued'): void {
  if (req.get('accept')?.includes('application/json')) {
    res.json({ ok: true });
    return;
  }
  res.redirect(303, `${to}?ok=${ok}`);
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 = any free port) and resolves once it accepts connections. */
export async function startConsole(options: ConsoleOptions & { host?: string; port?: number }): Promise<RunningConsole> {
  const app = createConsoleApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 3000, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type { SafeHtml };
export { html };
