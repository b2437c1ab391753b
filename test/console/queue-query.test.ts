import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueLeads, type QueueCursor, type QueueFilters, type QueueSort } from '../../src/core/db/stores/console-leads.ts';
import { withDbScope } from '../../src/core/db/stores/console-scope.ts';
import type { Db, Queryable } from '../../src/core/db/types.ts';
import { dbTargets } from '../helpers/db.ts';
import { HANOI, HCM, seedConsole } from './seed.ts';

/**
 * The queue query was reshaped for 1M listings (the count and the page's ids read only the tables the
 * filters need; the brand count is a hashed set). This is the query as it was, one statement over the
 * full join, kept as the reference: the new one must return the same page, total and cursor.
 */
const REFERENCE_FROM = `
  FROM leads ld
  LEFT JOIN listings l ON l.id = ld.listing_id
  LEFT JOIN shops s ON s.id = COALESCE(ld.shop_id, l.shop_id)
  LEFT JOIN networks n ON n.id = COALESCE(ld.network_id, s.network_id)`;

async function referenceQueue(db: Queryable, f: QueueFilters, sort: QueueSort, limit: number, after?: QueueCursor) {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.provinceCode !== undefined) where.push(`ld.province_code = ${p(f.provinceCode)}`);
  if (f.marketplace !== undefined) {
    const m = p(f.marketplace);
    where.push(`(COALESCE(l.marketplace, s.marketplace) = ${m} OR ${m} = ANY(n.marketplaces))`);
  }
  if (f.brand !== undefined) where.push(`lower(l.brand) = lower(${p(f.brand)})`);
  if (f.minScore !== undefined) where.push(`ld.score >= ${p(f.minScore)}`);
  if (f.status !== undefined) where.push(`ld.status = ${p(f.status)}`);
  if (f.kind !== undefined) where.push(`ld.kind = ${p(f.kind)}`);
  if (f.networkId !== undefined) where.push(`COALESCE(ld.network_id, s.network_id) = ${p(f.networkId)}`);
  const countWhere = [...where];
  const countParams = [...params];
  const key = sort === 'score' ? 'ld.score' : 'ld.last_flagged_at';
  if (after) where.push(`(${key}, ld.id) < (${p(after.key)}${sort === 'score' ? '::smallint' : '::timestamptz'}, ${p(after.id)}::bigint)`);
  const clause = (w: string[]) => (w.length ? `WHERE ${w.join(' AND ')}` : '');
  const rows = await db.query<{ id: number; subject: string; shop_name: string | null; network_id: number | null }>(
    `SELECT ld.id, COALESCE(l.title, s.name, n.network_key, '') AS subject, s.name AS shop_name, COALESCE(ld.network_id, s.network_id) AS network_id
     ${REFERENCE_FROM} ${clause(where)} ORDER BY ${key} DESC, ld.id DESC LIMIT ${p(limit)}`,
    params,
  );
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${REFERENCE_FROM} ${clause(countWhere)}`, countParams);
  return {
    rows: rows.rows.map((r) => ({ ...r, id: Number(r.id), network_id: r.network_id === null ? null : Number(r.network_id) })),
    total: count.rows[0]!.n,
  };
}

describe.each(await dbTargets())('queue query matches the full-join reference on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  let networkId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-console-queue-'));
    ({ networkId } = await seedConsole(db, dataDir));
    // Workflow variety, so status filters split the leads.
    await db.query(`UPDATE leads SET status = (ARRAY['new','reviewing','confirmed','dismissed'])[1 + id % 4]`);
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('returns the same rows, total and next cursor for any filters, sort, page size and scope', async () => {
    const filters = fc.record(
      {
        provinceCode: fc.constantFrom(HANOI.code, HCM.code, 48),
        brand: fc.constantFrom('Nike', 'nike', 'Dior', 'Apple'),
        marketplace: fc.constantFrom('tiki', 'shopee'),
        minScore: fc.integer({ min: 60, max: 95 }),
        status: fc.constantFrom('new', 'reviewing', 'confirmed'),
        kind: fc.constantFrom('listing', 'shop'),
        networkId: fc.constant(-1),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        filters,
        fc.constantFrom<QueueSort>('score', 'last_flagged'),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.boolean(),
        async (raw, sort, limit, secondPage, hanoiOnly) => {
          const f: QueueFilters = { ...raw, ...(raw.networkId !== undefined ? { networkId } : {}) };
          const scope = { readOnly: false, provinces: hanoiOnly ? [HANOI.code] : null };
          await withDbScope(db, scope, async (tx) => {
            const first = await queueLeads(tx, f, { sort, limit, provinceSourceTable: null });
            const after = secondPage && first.next ? first.next : undefined;
            const page = after ? await queueLeads(tx, f, { sort, after, limit, provinceSourceTable: null }) : first;
            const expected = await referenceQueue(tx, f, sort, limit + 1, after);
            expect(page.total).toBe(expected.total);
            expect(
              page.rows.map((r) => ({
                id: Number(r.id),
                subject: r.subject,
                shop_name: r.shop_name,
                network_id: r.network_id === null ? null : Number(r.network_id),
              })),
            ).toEqual(expected.rows.slice(0, limit));
            expect(page.next === null).toBe(expected.rows.length <= limit);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
