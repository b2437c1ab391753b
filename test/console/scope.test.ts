import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { withDbScope } from '../../src/core/db/stores/console-scope.ts';
import { leadCountsByProvince, queueLeads, visibleLead } from '../../src/core/db/stores/console-leads.ts';
import { weeklyExportRows } from '../../src/leads/export-rows.ts';
import { isoWeekOf } from '../../src/leads/week.ts';
import { dbTargets } from '../helpers/db.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';
import { HANOI, HCM, seedConsole, type ConsoleSeed } from './seed.ts';

const hanoiOnly = { readOnly: false, provinces: [HANOI.code] };
const everything = { readOnly: false, provinces: null };

describe.each(await dbTargets())('province scope by row-level security on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let seed: ConsoleSeed;
  let dataDir: string;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-console-scope-'));
    seed = await seedConsole(db, dataDir);
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("hides another province's lead even when a query asks for it by id", async () => {
    const sql = 'SELECT id, province_code FROM leads WHERE id = $1';
    const asOwner = await db.query(sql, [seed.hcmLeadId]);
    expect(asOwner.rows).toHaveLength(1);
    const asHanoi = await withDbScope(db, hanoiOnly, (tx) => tx.query(sql, [seed.hcmLeadId]));
    expect(asHanoi.rows).toEqual([]);
    const viaView = await withDbScope(db, hanoiOnly, (tx) =>
      tx.query('SELECT lead_id FROM flagged_listings WHERE lead_id = $1', [seed.hcmLeadId]),
    );
    expect(viaView.rows).toEqual([]);
    const history = await withDbScope(db, hanoiOnly, (tx) => tx.query('SELECT id FROM lead_events WHERE lead_id = $1', [seed.hcmLeadId]));
    expect(history.rows).toEqual([]);
    expect(await withDbScope(db, everything, (tx) => visibleLead(tx, seed.hcmLeadId))).not.toBeNull();
  });

  it('runs as a role without BYPASSRLS and resets when the transaction ends', async () => {
    const inside = await withDbScope(db, hanoiOnly, (tx) =>
      tx.query<{ who: string; bypass: boolean; superuser: boolean }>(
        'SELECT current_user AS who, rolbypassrls AS bypass, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
      ),
    );
    expect(inside.rows[0]).toEqual({ who: 'radar_console', bypass: false, superuser: false });
    const after = await db.query<{ scope: string | null; n: number }>(
      "SELECT current_setting('radar.scope', true) AS scope, (SELECT count(*)::int FROM leads) AS n",
    );
    expect(after.rows[0]!.n).toBe(seed.total);
    expect(after.rows[0]!.scope ?? '').toBe('');
  });

  it("limits the queue, the overview counts and the weekly export to the user's provinces", async () => {
    const page = await withDbScope(db, hanoiOnly, (tx) => queueLeads(tx, {}, { sort: 'score', limit: 500, provinceSourceTable: null }));
    expect(page.total).toBe(seed.leadsByProvince.get(HANOI.code)!.length);
    expect(new Set(page.rows.map((r) => r.province_code))).toEqual(new Set([HANOI.code]));
    const asked = await withDbScope(db, hanoiOnly, (tx) =>
      queueLeads(tx, { provinceCode: HCM.code }, { sort: 'score', limit: 50, provinceSourceTable: null }),
    );
    expect(asked).toEqual({ rows: [], total: 0, next: null });
    const counts = await withDbScope(db, hanoiOnly, (tx) => leadCountsByProvince(tx));
    expect(counts.map((c) => c.province_code)).toEqual([HANOI.code]);
    const rows = await withDbScope(db, hanoiOnly, (tx) => weeklyExportRows(tx, isoWeekOf(new Date())));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.province_code))).toEqual(new Set([HANOI.code]));
    const all = await withDbScope(db, everything, (tx) => weeklyExportRows(tx, isoWeekOf(new Date())));
    expect(new Set(all.map((r) => r.province_code))).toEqual(new Set([HANOI.code, HCM.code]));
  });

  it('hides evidence of leads outside the scope', async () => {
    const hcm = await withDbScope(db, { readOnly: true, provinces: [HCM.code] }, (tx) => tx.query('SELECT id FROM evidence'));
    expect(hcm.rows).toEqual([]);
    const hanoi = await withDbScope(db, { readOnly: true, provinces: [HANOI.code] }, (tx) => tx.query('SELECT id FROM evidence'));
    expect(hanoi.rows).toHaveLength(1);
  });

  it('lets a provincial user change only leads of their province, and a viewer none', async () => {
    const update = (id: number) => (tx: { query: Db['query'] }) => tx.query("UPDATE leads SET assignee = 'x' WHERE id = $1", [id]);
    expect((await withDbScope(db, hanoiOnly, update(seed.hcmLeadId))).rowCount).toBe(0);
    const hanoiLead = seed.leadsByProvince.get(HANOI.code)![0]!;
    expect((await withDbScope(db, hanoiOnly, update(hanoiLead))).rowCount).toBe(1);
    await expect(withDbScope(db, { readOnly: true, provinces: null }, update(hanoiLead))).rejects.toThrow(/permission denied/);
    await expect(withDbScope(db, everything, (tx) => tx.query('UPDATE leads SET score = 1 WHERE id = $1', [hanoiLead]))).rejects.toThrow(
      /permission denied/,
    );
    await expect(withDbScope(db, everything, (tx) => tx.query('SELECT * FROM console_users'))).rejects.toThrow(/permission denied/);
  });

  it("reads flagged_listings with the querying role's rights (security_invoker)", async () => {
    const { rows } = await db.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = 'flagged_listings'");
    expect(rows[0]!.reloptions ?? []).toContain('security_invoker=true');
  });
});

const adminUrl = await postgresAdminUrl();
describe.skipIf(!adminUrl)('console roles on a shared PostgreSQL cluster', () => {
  it('many databases migrating at once all get the roles and policies', async () => {
    const scratches = await Promise.all(Array.from({ length: 5 }, () => createScratchDatabase(adminUrl!)));
    try {
      const dbs = await Promise.all(scratches.map((s) => new PostgresDb(s.url).connect()));
      try {
        await Promise.all(dbs.map((d) => migrate(d)));
        for (const d of dbs) {
          const { rows } = await d.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_policies WHERE tablename IN ('leads', 'lead_events', 'evidence')",
          );
          // 0086's five console policies, and 0091's read-all policy for radar_reader on each of the three tables.
          expect(rows[0]!.n).toBe(8);
        }
      } finally {
        await Promise.all(dbs.map((d) => d.close()));
      }
      const client = new pg.Client({ connectionString: adminUrl! });
      await client.connect();
      const roles = await client.query(
        "SELECT rolname, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('radar_console', 'radar_console_read') ORDER BY 1",
      );
      await client.end();
      expect(roles.rows).toEqual([
        { rolname: 'radar_console', rolbypassrls: false, rolcanlogin: false },
        { rolname: 'radar_console_read', rolbypassrls: false, rolcanlogin: false },
      ]);
    } finally {
      await Promise.all(scratches.map((s) => s.drop()));
    }
  });
});
