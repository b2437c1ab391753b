import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/types.ts';
import { addAccount, disableAccount, ensureFirstAdmin, listAccounts, resetAccountPassword } from '../../src/apps/console/accounts.ts';
import { startConsole, type RunningConsole } from '../../src/apps/console/server.ts';
import { isoWeekOf } from '../../src/leads/week.ts';
import { dbTargets } from '../helpers/db.ts';
import { HANOI, HCM, seedConsole, type ConsoleSeed } from './seed.ts';

// The office key packs are signed with (radar keys init makes one under RADAR_DATA_DIR).
const OFFICE_KEY = generateKeyPairSync('ed25519').privateKey;

const PASSWORD = 'correct horse battery';

/** A browser-like client: keeps cookies, reads the CSRF token from the pages it gets. */
class Client {
  cookies = new Map<string, string>();
  csrf = '';
  lastSetCookie: string[] = [];
  constructor(readonly base: string) {}

  async request(
    method: string,
    url: string,
    body?: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body ?? {})) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    const response = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: body ? form.toString() : undefined,
    });
    this.lastSetCookie = response.headers.getSetCookie();
    for (const c of this.lastSetCookie) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/.test(c)) this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return response;
  }
  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body: Record<string, string | string[]>, headers?: Record<string, string>) =>
    this.request('POST', url, body, headers);

  async page(url: string): Promise<string> {
    const response = await this.get(url);
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return text;
  }

  async login(name: string, password = PASSWORD): Promise<Response> {
    await this.page('/login');
    return this.post('/login', { _csrf: this.csrf, name, password });
  }
}

describe.each(await dbTargets())('console over HTTP on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let seed: ConsoleSeed;
  let dataDir: string;
  let server: RunningConsole;
  let tlsServer: RunningConsole;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-console-http-'));
    seed = await seedConsole(db, dataDir);
    await addAccount(db, { name: 'admin', role: 'admin', password: PASSWORD });
    await addAccount(db, { name: 'lan', role: 'provincial', provinces: ['Hà Nội'], password: PASSWORD });
    await addAccount(db, { name: 'xem', role: 'viewer', password: PASSWORD });
    server = await startConsole({ db, evidenceDir: path.join(dataDir, 'evidence'), signingKey: OFFICE_KEY, port: 0 });
    tlsServer = await startConsole({
      db,
      evidenceDir: path.join(dataDir, 'evidence'),
      signingKey: OFFICE_KEY,
      port: 0,
      secureCookies: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    await tlsServer?.close();
    await cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in with an HttpOnly, SameSite=Strict session cookie, Secure behind TLS', async () => {
    const c = new Client(server.url);
    const response = await c.login('admin');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/leads');
    const session = c.lastSetCookie.find((s) => s.startsWith('radar_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/);
    expect((await c.get('/api/leads')).status).toBe(200);

    const tls = new Client(tlsServer.url);
    await tls.login('admin');
    expect(tls.lastSetCookie.find((s) => s.startsWith('radar_session='))).toMatch(/; Secure/);
  });

  it('refuses a changing request without the CSRF token (403) and accepts it with the token', async () => {
    const c = new Client(server.url);
    expect((await c.post('/login', { name: 'admin', password: PASSWORD })).status).toBe(403);
    await c.login('admin');
    const id = seed.leadsByProvince.get(HANOI.code)![1]!;
    await c.page(`/leads/${id}`);
    expect((await c.post(`/leads/${id}/status`, { status: 'reviewing', note: 'no token' })).status).toBe(403);
    expect((await c.post(`/leads/${id}/status`, { status: 'reviewing', note: 'wrong', _csrf: 'x'.repeat(c.csrf.length) })).status).toBe(
      403,
    );
    expect((await c.post(`/leads/${id}/status`, { status: 'reviewing', note: 'with token', _csrf: c.csrf })).status).toBe(303);
    expect((await c.post(`/leads/${id}/assign`, { assignee: 'minh' }, { 'x-csrf-token': c.csrf })).status).toBe(303);
    const { rows } = await db.query<{ actor: string; event: string; note: string | null }>(
      'SELECT actor, event, note FROM lead_events WHERE lead_id = $1 AND actor = $2 ORDER BY id',
      [id, 'admin'],
    );
    expect(rows).toEqual([
      { actor: 'admin', event: 'status', note: 'with token' },
      { actor: 'admin', event: 'assigned', note: null },
    ]);
  });

  it('limits logins after ten wrong passwords in a row, even with the right one', async () => {
    await addAccount(db, { name: 'target', role: 'national', password: PASSWORD });
    const c = new Client(server.url);
    for (let i = 0; i < 10; i++) expect((await c.login('target', `wrong password ${i}`)).status).toBe(401);
    const limited = await c.login('target');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toMatch(/15 phút/);
    expect((await new Client(server.url).login('admin')).status).toBe(303);
  });

  it("shows a provincial user only their province and 404 for another province's lead on every route", async () => {
    const c = new Client(server.url);
    await c.login('lan');
    const queue = (await (await c.get('/api/leads?limit=500')).json()) as { total: number; rows: { province_code: number }[] };
    expect(queue.total).toBe(seed.leadsByProvince.get(HANOI.code)!.length);
    expect(new Set(queue.rows.map((r) => r.province_code))).toEqual(new Set([HANOI.code]));
    const asked = (await (await c.get(`/api/leads?province=${HCM.code}`)).json()) as { total: number };
    expect(asked.total).toBe(0);

    const other = seed.hcmLeadId;
    expect((await c.get(`/leads/${other}`)).status).toBe(404);
    expect((await c.get(`/api/leads/${other}`)).status).toBe(404);
    const html = await c.page('/leads');
    expect(html).not.toContain(`/leads/${other}"`);
    expect((await c.post(`/leads/${other}/status`, { status: 'confirmed', _csrf: c.csrf })).status).toBe(404);
    expect((await c.post(`/leads/${other}/assign`, { assignee: 'lan', _csrf: c.csrf })).status).toBe(404);
    expect((await c.post(`/leads/${other}/pack`, { _csrf: c.csrf })).status).toBe(404);
    expect((await c.post(`/leads/${other}/capture`, { _csrf: c.csrf })).status).toBe(404);
    const bulk = await c.post(
      '/leads/bulk',
      { action: 'assign', assignee: 'lan', ids: [String(other)], _csrf: c.csrf },
      { accept: 'application/json' },
    );
    expect(await bulk.json()).toEqual({ updated: 0 });

    const overview = (await (await c.get('/api/overview')).json()) as {
      perProvince: { province_code: number }[];
      perWeek: { province_code: number }[];
    };
    expect(overview.perProvince.map((p) => p.province_code)).toEqual([HANOI.code]);
    expect(new Set(overview.perWeek.map((p) => p.province_code))).toEqual(new Set([HANOI.code]));

    const csv = await (await c.get(`/exports/download?week=${encodeURIComponent(currentWeek())}&province=all&format=csv`)).text();
    expect(csv).toContain(HANOI.name);
    expect(csv).not.toContain(HCM.name);
    const hcmCsv = await c.get(`/exports/download?week=${encodeURIComponent(currentWeek())}&province=${HCM.code}&format=csv`);
    expect((await hcmCsv.text()).split('\n').filter((l) => l.includes(HCM.name))).toEqual([]);

    const { rows } = await db.query<{ status: string; assignee: string | null }>('SELECT status, assignee FROM leads WHERE id = $1', [
      other,
    ]);
    expect(rows[0]).toEqual({ status: 'new', assignee: null });
  });

  it('lets a viewer read but not change anything', async () => {
    const c = new Client(server.url);
    await c.login('xem');
    const id = seed.hcmLeadId;
    expect((await c.get(`/leads/${id}`)).status).toBe(200);
    await c.page('/leads');
    expect((await c.post(`/leads/${id}/status`, { status: 'confirmed', _csrf: c.csrf })).status).toBe(403);
  });

  it('serves the screenshot file to a user who may see the lead, and logs the pack download', async () => {
    const c = new Client(server.url);
    await c.login('admin');
    const detail = await c.page(`/leads/${seed.evidenceLeadId}`);
    const src = /<img class="screenshot" src="([^"]+)"/.exec(detail)?.[1];
    expect(src).toMatch(/^\/evidence\/\d+\/0$/);
    const image = await c.get(src!);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await image.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const pack = await c.post(`/leads/${seed.evidenceLeadId}/pack`, { _csrf: c.csrf });
    expect(pack.headers.get('content-disposition')).toMatch(/evidence-lead-\d+\.zip/);
    expect(
      Buffer.from(await pack.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const { rows } = await db.query('SELECT actor FROM lead_events WHERE lead_id = $1 AND event = $2', [
      seed.evidenceLeadId,
      'pack_downloaded',
    ]);
    expect(rows).toEqual([{ actor: 'admin' }]);

    const lan = new Client(server.url);
    await lan.login('lan');
    expect((await lan.get(src!)).status).toBe(200);
    const hcm = new Client(server.url);
    await addAccount(db, { name: 'nam', role: 'provincial', provinces: ['hcm'], password: PASSWORD });
    await hcm.login('nam');
    expect((await hcm.get(src!)).status).toBe(404);
  });

  it('accounts: one-time passwords must be changed, disabled users cannot log in, the first admin only once', async () => {
    const first = await ensureFirstAdmin(db, 'ignored');
    expect(first).toBeNull();
    const oneTime = await resetAccountPassword(db, 'lan');
    const c = new Client(server.url);
    const login = await c.login('lan', oneTime);
    expect(login.headers.get('location')).toBe('/password');
    expect((await c.get('/leads')).headers.get('location')).toBe('/password');
    await c.page('/password');
    expect((await c.post('/password', { password: 'a brand new secret', _csrf: c.csrf })).status).toBe(303);
    expect((await c.get('/leads')).status).toBe(200);
    await disableAccount(db, 'lan');
    expect((await c.get('/leads')).headers.get('location')).toBe('/login');
    expect((await new Client(server.url).login('lan', 'a brand new secret')).status).toBe(401);
    const lan = (await listAccounts(db)).find((u) => u.name === 'lan')!;
    expect(lan).toMatchObject({ role: 'provincial', provinces: [HANOI.code], disabled: true });
    await expect(addAccount(db, { name: 'LAN', role: 'viewer' })).rejects.toThrow(/already exists/);
    await expect(addAccount(db, { name: 'x1', role: 'provincial' })).rejects.toThrow(/--province/);
  });
});

const currentWeek = () => isoWeekOf(new Date()).label;
