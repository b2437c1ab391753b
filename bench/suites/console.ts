import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { fn, importRepoModule } from '../lib/deps.ts';
import { stopwatch } from '../lib/measure.ts';
import { createScratchDatabase } from '../lib/postgres.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';
import { syntheticRecords } from '../lib/synthetic.ts';

const BATCH = 5_000;
const LOAD_CHUNK = 50_000;
/** Every fifth listing becomes a lead: 1M listings give 200k leads. */
const LEAD_EVERY = 5;
const PROVINCE_CODES = [1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96];
const STATUSES = ['new', 'new', 'new', 'new', 'reviewing', 'confirmed', 'dismissed', 'referred'];

interface ConsoleModules {
  startConsole: (options: { db: Db; evidenceDir: string; port: number }) => Promise<{ url: string; close(): Promise<void> }>;
  addAccount: (db: Db, input: { name: string; role: string; provinces?: string[]; password?: string }) => Promise<unknown>;
  upsertLeads: (db: Db, candidates: unknown[], now?: Date) => Promise<unknown>;
  queueLeads: (db: Db, filters: Record<string, unknown>, options: { sort: 'score' | 'last_flagged'; limit: number; provinceSourceTable: null }) => Promise<{ total: number }>;
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

/** Untimed setup: listings through the batched upserts, then one lead per fifth listing across the 34 provinces. */
async function load(db: Db, m: ConsoleModules, total: number, progress: (message: string) => void): Promise<number> {
  const elapsed = stopwatch();
  for (let offset = 0; offset < total; offset += LOAD_CHUNK) {
    const data = syntheticRecords(Math.min(LOAD_CHUNK, total - offset), { seed: 2000 + offset, prefix: `c${offset / LOAD_CHUNK}-` });
    await upsertShops(db, data.shops);
    for (let i = 0; i < data.listings.length; i += BATCH) await upsertListings(db, data.listings.slice(i, i + BATCH));
    progress(`  loaded ${Math.min(total, offset + LOAD_CHUNK)}/${total} listings (${elapsed().toFixed(0)} s)`);
  }
  const reasons = [
    { code: 'price.below_reference', weight: 40, en: 'Price far below the brand reference', vi: 'Giá thấp hơn nhiều so với giá tham chiếu', detail: '9% of reference' },
    { code: 'brand.slang', weight: 30, en: 'Replica slang in the title', vi: 'Tiêu đề dùng từ lóng hàng nhái', detail: '"rep 1:1"' },
  ];
  let lastId = 0;
  let leads = 0;
  const start = Date.now() - 10 * 7 * 86_400_000;
  for (;;) {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM listings WHERE id > $1 AND id % $2 = 0 ORDER BY id LIMIT $3', [lastId, LEAD_EVERY, BATCH]);
    if (rows.length === 0) break;
    lastId = rows.at(-1)!.id;
    const candidates = rows.map((r) => {
      const code = PROVINCE_CODES[r.id % PROVINCE_CODES.length]!;
      return { kind: 'listing', listingId: r.id, score: 40 + ((r.id * 7) % 61), scoringVersion: r.id % 3 ? 'v1.0.0' : 'v1.1.0', reasons, provinceCode: code, provinceName: `Province ${code}` };
    });
    // Spread first-flagged over ten weeks so the week filter and overview have history.
    await m.upsertLeads(db, candidates, new Date(start + (leads % 70) * 86_400_000));
    leads += rows.length;
  }
  await db.query(
    `UPDATE leads SET status = (ARRAY[${STATUSES.map((s) => `'${s}'`).join(',')}])[1 + id % ${STATUSES.length}],
                      assignee = CASE WHEN id % 4 = 0 THEN 'analyst' || (id % 7) END`,
  );
  progress(`  ${leads} leads (${elapsed().toFixed(0)} s)`);
  for (const table of ['shops', 'listings', 'leads', 'lead_events', 'listing_scores']) await db.exec(`VACUUM ANALYZE ${table}`);
  return leads;
}

/** Logs in like a browser (login CSRF cookie pair) and returns the session cookie. */
async function login(base: string, name: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const pair = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
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

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

async function timeAll(requests: readonly (() => Promise<void>)[]): Promise<number[]> {
  const samples: number[] = [];
  for (const request of requests) {
    const elapsed = stopwatch();
    await request();
    samples.push(elapsed() * 1000);
  }
  return samples;
}

/** The queue filters analysts use most: their province's open leads above a score, a brand, a week, by last flagged. */
function typicalQueries(count: number): string[] {
  const brands = ['Nike', 'Gucci', 'Chanel', 'Apple'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const province = PROVINCE_CODES[i % PROVINCE_CODES.length];
    const variant = i % 4;
    out.push(
      variant === 0 ? `province=${province}&status=new&min=60`
        : variant === 1 ? `province=${province}&brand=${brands[i % brands.length]}`
        : variant === 2 ? `status=new&min=80`
        : `province=${province}&sort=last_flagged`,
    );
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
    let server: { url: string; close(): Promise<void> } | undefined;
    try {
      await migrate(db);
      progress(`loading ${listings} listings and their leads into a scratch database (untimed)`);
      const leads = await load(db, m, listings, progress);
      const password = 'bench password 123';
      await m.addAccount(db, { name: 'national', role: 'national', password });
      await m.addAccount(db, { name: 'provincial', role: 'provincial', provinces: ['79'], password });
      server = await m.startConsole({ db, evidenceDir: '/nonexistent', port: 0 });
      const national = await login(server.url, 'national', password);
      const provincial = await login(server.url, 'provincial', password);
      const get = (cookie: string, url: string) => async () => {
        const response = await fetch(`${server!.url}${url}`, { headers: { cookie } });
        if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
        await response.arrayBuffer();
      };
      const queries = typicalQueries(requests);
      await timeAll(queries.slice(0, 10).map((q) => get(national, `/api/leads?${q}`)));

      const params = { listings, leads, requests, data: 'synthetic listings (bench/lib/synthetic.ts), every 5th a lead, 34 provinces', database: 'local Postgres, scratch database', quick: ctx.quick };
      const baseline = await timeAll(
        queries.map((q) => async () => {
          const f = Object.fromEntries(new URLSearchParams(q));
          await m.queueLeads(db, {
            ...(f.province ? { provinceCode: Number(f.province) } : {}),
            ...(f.status ? { status: f.status } : {}),
            ...(f.min ? { minScore: Number(f.min) } : {}),
            ...(f.brand ? { brand: f.brand } : {}),
          }, { sort: f.sort === 'last_flagged' ? 'last_flagged' : 'score', limit: 50, provinceSourceTable: null });
        }),
      );
      const queue = await timeAll(queries.map((q) => get(national, `/api/leads?${q}`)));
      report({
        name: 'console.queue-p95',
        unit: 'ms',
        value: round(p95(queue), 1),
        baselineName: 'the same queue store query called directly as the table owner (no HTTP, session or RLS)',
        baselineValue: round(p95(baseline), 1),
        params: { ...params, user: 'national', filters: 'province+status+min score; province+brand; status+min score; province by last flagged', page: 50 },
        target: { on: 'value', op: '<', threshold: 150 },
      });
      const scopedQueue = await timeAll(queries.map((q) => get(provincial, `/api/leads?${q.replace(/province=\d+/, 'province=79')}`)));
      report({
        name: 'console.queue-provincial-p95',
        unit: 'ms',
        value: round(p95(scopedQueue), 1),
        baselineName: 'national user, same requests',
        baselineValue: round(p95(queue), 1),
        params: { ...params, user: 'provincial (TP.HCM), row-level security on' },
        target: { on: 'value', op: '<', threshold: 150 },
      });

      const { rows } = await db.query<{ id: number }>('SELECT id FROM leads ORDER BY md5(id::text) LIMIT $1', [requests]);
      const detailBaseline = await timeAll(rows.map((r) => async () => void (await m.leadDetails(db, r.id))));
      const detail = await timeAll(rows.map((r) => get(national, `/api/leads/${r.id}`)));
      report({
        name: 'console.detail-p95',
        unit: 'ms',
        value: round(p95(detail), 1),
        baselineName: 'leadDetails() called directly as the table owner',
        baselineValue: round(p95(detailBaseline), 1),
        params: { ...params, user: 'national' },
        target: { on: 'value', op: '<', threshold: 100 },
      });
    } finally {
      await server?.close();
      await db.close();
      await scratch.drop();
    }
  },
};

export default suite;
