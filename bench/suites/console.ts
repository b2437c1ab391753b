import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { loadConsoleData, PROVINCE_CODES, writeBenchEvidenceFiles, type UpsertLeads } from '../lib/console-data.ts';
import { fn, importRepoModule } from '../lib/deps.ts';
import { latencySummary, percentile } from '../lib/latency.ts';
import { stopwatch } from '../lib/measure.ts';
import { createScratchDatabase } from '../lib/postgres.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';

/** The provincial user's province (TP. Hồ Chí Minh). */
const PROVINCIAL_CODE = 79;
/** Rows skipped before a deep page: page 41 at 50 rows a page. */
const DEEP_ROWS = 2_000;

interface QueueCursor {
  key: number | string;
  id: number;
}

interface ConsoleModules {
  startConsole: (options: { db: Db; evidenceDir: string; port: number }) => Promise<{ url: string; close(): Promise<void> }>;
  addAccount: (db: Db, input: { name: string; role: string; provinces?: string[]; password?: string }) => Promise<unknown>;
  upsertLeads: UpsertLeads;
  queueLeads: (
    db: Db,
    filters: Record<string, unknown>,
    options: { sort: 'score' | 'last_flagged'; limit: number; after?: QueueCursor; provinceSourceTable: null },
  ) => Promise<{ total: number; next: QueueCursor | null }>;
  leadDetails: (db: Db, id: number) => Promise<unknown>;
}

async function modules(): Promise<ConsoleModules> {
  const server = await importRepoModule('src/apps/console/server.ts', ['startConsole']);
  const accounts = await importRepoModule('src/apps/console/accounts.ts', ['addAccount']);
  const upsert = await importRepoModule('src/leads/upsert.ts', ['upsertLeads']);
  const store = await importRepoModule('src/core/db/stores/console-leads.ts', ['queueLeads']);
  const show = await importRepoModule('src/leads/show.ts', ['leadDetails']);
  return {
    startConsole: fn(server, 'startConsole', 'src/apps/console/server.ts'),
    addAccount: fn(accounts, 'addAccount', 'src/apps/console/accounts.ts'),
    upsertLeads: fn(upsert, 'upsertLeads', 'src/leads/upsert.ts'),
    queueLeads: fn(store, 'queueLeads', 'src/core/db/stores/console-leads.ts'),
    leadDetails: fn(show, 'leadDetails', 'src/leads/show.ts'),
  };
}

/** Logs in like a browser (login CSRF cookie pair) and returns the session cookie. */
async function login(base: string, name: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const pair = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: pair, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, name, password }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith('radar_session='));
  if (!session) throw new Error(`login as ${name} failed: HTTP ${response.status}`);
  return session.split(';')[0]!;
}

/** One timed request: its label (which filter mix) and what it runs. */
interface Timed {
  label: string;
  run: () => Promise<void>;
}

/** Runs the requests one after another (what one analyst's browser does) and returns the milliseconds of each, by label. */
async function timeAll(requests: readonly Timed[]): Promise<{ all: number[]; byLabel: Map<string, number[]> }> {
  const all: number[] = [];
  const byLabel = new Map<string, number[]>();
  for (const request of requests) {
    const elapsed = stopwatch();
    await request.run();
    const ms = elapsed() * 1000;
    all.push(ms);
    byLabel.set(request.label, [...(byLabel.get(request.label) ?? []), ms]);
  }
  return { all, byLabel };
}

function breakdown(byLabel: Map<string, number[]>): Record<string, { p50_ms: number; p95_ms: number; requests: number }> {
  return Object.fromEntries([...byLabel].map(([label, samples]) => [label, latencySummary(samples)]));
}

/** A queue request: the console's URL query, and the same filters as the store takes them. */
interface QueueRequest {
  label: string;
  query: string;
}

const BRANDS = ['Nike', 'Gucci', 'Chanel', 'Apple'];

/** The first pages analysts open most: their province's open leads above a score, a brand, everything above a score, by last flagged. */
function firstPages(count: number, province: (i: number) => number): QueueRequest[] {
  const out: QueueRequest[] = [];
  for (let i = 0; i < count; i++) {
    const p = province(i);
    const variant = i % 4;
    out.push(
      variant === 0
        ? { label: 'province+status+min score', query: `province=${p}&status=new&min=60` }
        : variant === 1
          ? { label: 'province+brand', query: `province=${p}&brand=${BRANDS[i % BRANDS.length]}` }
          : variant === 2
            ? { label: 'status+min score', query: 'status=new&min=80' }
            : { label: 'province by last flagged', query: `province=${p}&sort=last_flagged` },
    );
  }
  return out;
}

function storeFilters(query: string): { filters: Record<string, unknown>; sort: 'score' | 'last_flagged' } {
  const f = Object.fromEntries(new URLSearchParams(query));
  return {
    filters: {
      ...(f.province ? { provinceCode: Number(f.province) } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.min ? { minScore: Number(f.min) } : {}),
      ...(f.brand ? { brand: f.brand } : {}),
    },
    sort: f.sort === 'last_flagged' ? 'last_flagged' : 'score',
  };
}

/** Deep pages: the same filters, {@link DEEP_ROWS} rows in, reached by the keyset cursor a user following "next" would hold. */
async function deepPages(m: ConsoleModules, db: Db, count: number, province: (i: number) => number): Promise<QueueRequest[]> {
  const shapes = [
    { label: 'status+min score, page 41', query: () => 'status=new&min=60' },
    { label: 'province by last flagged, page 41', query: (p: number) => `province=${p}&sort=last_flagged` },
  ];
  const cursors = new Map<string, string>();
  const out: QueueRequest[] = [];
  for (let i = 0; i < count; i++) {
    const shape = shapes[i % shapes.length]!;
    const query = shape.query(province(i));
    let cursor = cursors.get(query);
    if (cursor === undefined) {
      const { filters, sort } = storeFilters(query);
      const page = await m.queueLeads(db, filters, { sort, limit: DEEP_ROWS, provinceSourceTable: null });
      if (!page.next) throw new Error(`${query}: fewer than ${DEEP_ROWS} leads, no deep page`);
      cursor = `${page.next.key}~${page.next.id}`;
      cursors.set(query, cursor);
    }
    out.push({ label: shape.label, query: `${query}&after=${encodeURIComponent(cursor)}` });
  }
  return out;
}

const suite: Suite = {
  name: 'console',
  async run(ctx, { progress, report }) {
    const m = await modules();
    const listings = ctx.quick ? 50_000 : 1_000_000;
    const requests = ctx.quick ? 60 : 200;
    const scratch = await createScratchDatabase(ctx.postgresAdminUrl, 'console');
    const db = await new PostgresDb(scratch.url, { maxConnections: 8 }).connect();
    const evidenceDir = await mkdtemp(path.join(tmpdir(), 'radar-bench-console-'));
    let server: { url: string; close(): Promise<void> } | undefined;
    try {
      await migrate(db);
      progress(`loading ${listings} listings and their leads into a scratch database (untimed)`);
      const data = await loadConsoleData(db, m.upsertLeads, listings, await writeBenchEvidenceFiles(evidenceDir), progress);
      const password = 'bench password 123';
      await m.addAccount(db, { name: 'national', role: 'national', password });
      await m.addAccount(db, { name: 'provincial', role: 'provincial', provinces: [String(PROVINCIAL_CODE)], password });
      server = await m.startConsole({ db, evidenceDir, port: 0 });
      const base = server.url;
      const national = await login(base, 'national', password);
      const provincial = await login(base, 'provincial', password);
      const get = (cookie: string, url: string) => async () => {
        const response = await fetch(`${base}${url}`, { headers: { cookie } });
        if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
        await response.arrayBuffer();
      };
      const http = (cookie: string, prefix: string, list: readonly QueueRequest[]): Timed[] =>
        list.map((r) => ({ label: r.label, run: get(cookie, `${prefix}${r.query}`) }));
      const params = {
        listings,
        leads: data.leads,
        evidence: data.evidence,
        capture_failures: data.captureFailures,
        load_seconds: round(data.loadSeconds, 0),
        requests,
        data: 'synthetic listings (bench/lib/synthetic.ts), every 5th a lead, 34 provinces, every 2nd listing lead with a capture (a 180 kB screenshot and a 90 kB page, re-hashed on each detail request), every 10th with a refused one',
        database: 'local PostgreSQL, scratch database',
        client: 'one analyst: sequential HTTP requests to the console server, warmed up (each request list run once untimed first)',
        quick: ctx.quick,
      };
      const run = async (list: readonly Timed[]) => {
        await timeAll(list);
        return timeAll(list);
      };

      const nationalPages = firstPages(requests, (i) => PROVINCE_CODES[i % PROVINCE_CODES.length]!);
      progress(`  queue: ${requests} first pages as the national user, then as the provincial user`);
      const baseline = await run(
        nationalPages.map((r) => ({
          label: r.label,
          run: async () => {
            const { filters, sort } = storeFilters(r.query);
            await m.queueLeads(db, filters, { sort, limit: 50, provinceSourceTable: null });
          },
        })),
      );
      const queue = await run(http(national, '/api/leads?', nationalPages));
      report({
        name: 'console.queue-p95',
        unit: 'ms',
        value: round(percentile(queue.all, 0.95), 1),
        baselineName: 'the same queue store query called directly as the table owner (no HTTP, session or RLS)',
        baselineValue: round(percentile(baseline.all, 0.95), 1),
        params: {
          ...params,
          user: 'national',
          page: 'first, 50 rows, with the total',
          ...latencySummary(queue.all),
          by_filter: breakdown(queue.byLabel),
          baseline_by_filter: breakdown(baseline.byLabel),
        },
        target: { on: 'value', op: '<', threshold: 150 },
      });
      const scoped = await run(
        http(
          provincial,
          '/api/leads?',
          firstPages(requests, () => PROVINCIAL_CODE),
        ),
      );
      report({
        name: 'console.queue-provincial-p95',
        unit: 'ms',
        value: round(percentile(scoped.all, 0.95), 1),
        baselineName: 'national user, same filter mix (over every province)',
        baselineValue: round(percentile(queue.all, 0.95), 1),
        params: {
          ...params,
          user: `provincial (province ${PROVINCIAL_CODE}), row-level security on`,
          ...latencySummary(scoped.all),
          by_filter: breakdown(scoped.byLabel),
        },
        target: { on: 'value', op: '<', threshold: 150 },
      });

      progress(`  queue: ${requests} deep pages (${DEEP_ROWS} rows in) as the national user`);
      const deep = await run(
        http(national, '/api/leads?', await deepPages(m, db, requests, (i) => PROVINCE_CODES[i % PROVINCE_CODES.length]!)),
      );
      report({
        name: 'console.queue-deep-p95',
        unit: 'ms',
        value: round(percentile(deep.all, 0.95), 1),
        baselineName: 'national user, first pages',
        baselineValue: round(percentile(queue.all, 0.95), 1),
        params: {
          ...params,
          user: 'national',
          page: `keyset cursor ${DEEP_ROWS} rows in`,
          ...latencySummary(deep.all),
          by_filter: breakdown(deep.byLabel),
        },
        target: { on: 'value', op: '<', threshold: 150 },
      });

      progress(
        `  detail: ${requests} random leads as the national user, ${requests} of province ${PROVINCIAL_CODE} as the provincial user`,
      );
      const anyLeads = await db.query<{ id: number }>('SELECT id FROM leads ORDER BY md5(id::text) LIMIT $1', [requests]);
      const detailBaseline = await run(
        anyLeads.rows.map((r) => ({ label: 'lead', run: async () => void (await m.leadDetails(db, Number(r.id))) })),
      );
      const detail = await run(anyLeads.rows.map((r) => ({ label: 'lead', run: get(national, `/api/leads/${r.id}`) })));
      report({
        name: 'console.detail-p95',
        unit: 'ms',
        value: round(percentile(detail.all, 0.95), 1),
        baselineName: 'leadDetails() called directly as the table owner',
        baselineValue: round(percentile(detailBaseline.all, 0.95), 1),
        params: { ...params, user: 'national', ...latencySummary(detail.all), baseline: latencySummary(detailBaseline.all) },
        target: { on: 'value', op: '<', threshold: 100 },
      });
      const ownLeads = await db.query<{ id: number }>('SELECT id FROM leads WHERE province_code = $1 ORDER BY md5(id::text) LIMIT $2', [
        PROVINCIAL_CODE,
        requests,
      ]);
      const scopedDetail = await run(ownLeads.rows.map((r) => ({ label: 'lead', run: get(provincial, `/api/leads/${r.id}`) })));
      report({
        name: 'console.detail-provincial-p95',
        unit: 'ms',
        value: round(percentile(scopedDetail.all, 0.95), 1),
        baselineName: 'national user, random leads',
        baselineValue: round(percentile(detail.all, 0.95), 1),
        params: { ...params, user: `provincial (province ${PROVINCIAL_CODE}), row-level security on`, ...latencySummary(scopedDetail.all) },
        target: { on: 'value', op: '<', threshold: 100 },
      });
    } finally {
      await server?.close();
      await db.close();
      await scratch.drop();
      await rm(evidenceDir, { recursive: true, force: true });
    }
  },
};

export default suite;
