import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import type { Db } from '../../src/core/db/types.ts';
import { runReadOnlySql, type SqlTarget } from '../../src/leads/sql.ts';
import { setLeadStatus } from '../../src/leads/status.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { dbTargets } from '../helpers/db.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

/** The recipes exactly as the README shows them: every ```sql block after a `recipe:` marker. */
function recipes(): [string, string][] {
  const text = readFileSync(new URL('../../src/leads/RECIPES.md', import.meta.url), 'utf8');
  return [...text.matchAll(/<!-- recipe: ([\w-]+) -->\s*```sql\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!.trim()]);
}

describe.each(await dbTargets())('read-only SQL and recipes on $name', (target) => {
  let db: Db;
  let url: string | undefined;
  let cleanup: () => Promise<void>;
  let sqlTarget: SqlTarget;

  beforeAll(async () => {
    ({ db, url, cleanup } = await target.open());
    sqlTarget = db instanceof PgliteDb ? { kind: 'pglite', db } : { kind: 'postgres', url: url! };
    const { listingIds, shopIds } = await seedShopsAndListings(
      db,
      [
        { externalId: 't1', provinceCode: 79, provinceName: 'Thành phố Hồ Chí Minh', name: 'Giày Sài Gòn' },
        { externalId: 's1', marketplace: 'shopee', provinceCode: 79, provinceName: 'Thành phố Hồ Chí Minh', name: 'Giày SG Shopee' },
      ],
      [
        { externalId: 'a', shopExternalId: 't1', brand: 'Nike', title: 'Giày Nike rep 1:1' },
        { externalId: 'b', shopExternalId: 's1', marketplace: 'shopee', brand: 'Nike', title: 'Nike Air siêu cấp' },
      ],
    );
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO networks (network_key, shop_count, marketplaces, link_kinds) VALUES ('phone:+84901234567', 2, '{shopee,tiki}', '{phone}') RETURNING id`,
    );
    await db.query('UPDATE shops SET network_id = $1 WHERE id = ANY($2::bigint[])', [rows[0]!.id, [...shopIds.values()]]);
    const now = new Date();
    await upsertLeads(db, [listingCandidate(listingIds.get('a')!, 85), listingCandidate(listingIds.get('b')!, 75)], now);
    const leadIds = (await db.query<{ id: number }>('SELECT id FROM leads ORDER BY id')).rows.map((r) => r.id);
    await setLeadStatus(db, leadIds[0]!, 'confirmed', { by: 'lan', note: 'replica' });
  });
  afterAll(async () => cleanup?.());

  it('returns columns and rows for a query', async () => {
    const result = await runReadOnlySql(
      sqlTarget,
      'SELECT lead_id, title, province_name, network_key FROM flagged_listings ORDER BY score DESC',
    );
    expect(result.columns).toEqual(['lead_id', 'title', 'province_name', 'network_key']);
    expect(result.rows.map((r) => r[1])).toEqual(['Giày Nike rep 1:1', 'Nike Air siêu cấp']);
  });

  it('refuses writes, including attempts to commit out of the read-only transaction', async () => {
    await expect(runReadOnlySql(sqlTarget, "UPDATE leads SET status = 'dismissed'")).rejects.toThrow(/read-only/);
    await expect(runReadOnlySql(sqlTarget, 'COMMIT; DELETE FROM lead_events')).rejects.toThrow(/one statement|multiple commands/);
    await expect(runReadOnlySql(sqlTarget, 'CREATE TABLE x (y int)')).rejects.toThrow(/read-only/);
    await expect(runReadOnlySql(sqlTarget, 'SET TRANSACTION READ WRITE')).rejects.toThrow();
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM leads WHERE status = 'dismissed'`);
    expect(rows[0]!.n).toBe(0);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM lead_events')).rows[0]!.n).toBe(3);
  });

  it('runs every README recipe', async () => {
    const all = recipes();
    expect(all.length).toBeGreaterThanOrEqual(6);
    const results = new Map<string, unknown[][]>();
    for (const [name, sql] of all) results.set(name, (await runReadOnlySql(sqlTarget, sql)).rows);
    expect(results.get('top-shops-this-week')!.length).toBe(2);
    expect(results.get('leads-by-province')!.length).toBe(2);
    expect(results.get('leads-by-brand')!.length).toBe(2);
    expect(results.get('networks-across-marketplaces')).toHaveLength(1);
    expect(results.get('repeat-offenders')).toHaveLength(1);
    const [version, confirmed, dismissed, pct] = results.get('confirmed-share')![0]!;
    expect([version, confirmed, dismissed, Number(pct)]).toEqual(['v1', 1, 0, 100]);
  });
});
