import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/types.ts';
import { MATERIAL_SCORE_RISE, topReasonsText, upsertLeads } from '../../src/leads/upsert.ts';
import { dbTargets } from '../helpers/db.ts';
import { listingCandidate, reason, seedShopsAndListings } from './seed.ts';

describe.each(await dbTargets())('upsertLeads on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let ids: Map<string, number>;
  let shopIds: Map<string, number>;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    const seeded = await seedShopsAndListings(
      db,
      [{ externalId: 's1' }, { externalId: 's2' }],
      Array.from({ length: 6 }, (_, i) => ({ externalId: `l${i}`, shopExternalId: i % 2 ? 's2' : 's1' })),
    );
    ids = seeded.listingIds;
    shopIds = seeded.shopIds;
  });
  afterAll(async () => cleanup?.());

  const lead = async (listingKey: string) =>
    (
      await db.query<{
        id: number;
        status: string;
        score: number;
        assignee: string | null;
        top_reasons: string;
        last_flagged_at: Date;
        dismissed_score: number | null;
      }>(`SELECT id, status, score, assignee, top_reasons, last_flagged_at, dismissed_score FROM leads WHERE listing_id = $1`, [
        ids.get(listingKey),
      ])
    ).rows;
  const events = async (leadId: number) =>
    (
      await db.query<{ event: string; to_status: string | null }>(
        `SELECT event, to_status FROM lead_events WHERE lead_id = $1 ORDER BY id`,
        [leadId],
      )
    ).rows;

  it('creates one lead per subject with a created event, and re-flagging never duplicates', async () => {
    const t1 = new Date('2026-11-21T00:00:00Z');
    const first = await upsertLeads(
      db,
      [
        listingCandidate(ids.get('l0')!, 60),
        listingCandidate(ids.get('l1')!, 70),
        { kind: 'shop', shopId: shopIds.get('s1')!, score: 55, scoringVersion: 'v1', reasons: [], provinceCode: null, provinceName: null },
      ],
      t1,
    );
    expect(first).toEqual({ created: 3, reflagged: 0, reopened: 0 });
    const t2 = new Date('2026-11-22T00:00:00Z');
    const again = await upsertLeads(
      db,
      [listingCandidate(ids.get('l0')!, 65), listingCandidate(ids.get('l0')!, 66), listingCandidate(ids.get('l1')!, 70)],
      t2,
    );
    expect(again).toEqual({ created: 0, reflagged: 2, reopened: 0 });
    const rows = await lead('l0');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.score).toBe(66);
    expect(new Date(rows[0]!.last_flagged_at).toISOString()).toBe(t2.toISOString());
    expect(rows[0]!.top_reasons).toBe('Price far below reference (30% of reference); Placeholder address');
    expect(await events(rows[0]!.id)).toEqual([{ event: 'created', to_status: 'new' }]);
    const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM leads`)).rows[0]!.n;
    expect(total).toBe(3);
  });

  it('never overwrites the analyst status or assignee', async () => {
    const [row] = await lead('l1');
    await db.query(`UPDATE leads SET status = 'reviewing', assignee = 'lan' WHERE id = $1`, [row!.id]);
    await upsertLeads(db, [listingCandidate(ids.get('l1')!, 90)]);
    const [after] = await lead('l1');
    expect(after).toMatchObject({ status: 'reviewing', assignee: 'lan', score: 90 });
  });

  it('keeps a dismissed lead dismissed when the same data is re-scored, re-opens it on a material rise', async () => {
    await upsertLeads(db, [listingCandidate(ids.get('l2')!, 50)]);
    const [row] = await lead('l2');
    await db.query(`UPDATE leads SET status = 'dismissed', dismissed_score = score WHERE id = $1`, [row!.id]);
    await db.query(
      `INSERT INTO lead_events (lead_id, event, from_status, to_status, actor) VALUES ($1, 'status', 'new', 'dismissed', 'lan')`,
      [row!.id],
    );

    expect(await upsertLeads(db, [listingCandidate(ids.get('l2')!, 50)])).toEqual({ created: 0, reflagged: 1, reopened: 0 });
    expect(await upsertLeads(db, [listingCandidate(ids.get('l2')!, 50 + MATERIAL_SCORE_RISE - 1)])).toEqual({
      created: 0,
      reflagged: 1,
      reopened: 0,
    });
    expect((await lead('l2'))[0]!.status).toBe('dismissed');

    expect(await upsertLeads(db, [listingCandidate(ids.get('l2')!, 50 + MATERIAL_SCORE_RISE)])).toEqual({
      created: 0,
      reflagged: 0,
      reopened: 1,
    });
    const [after] = await lead('l2');
    expect(after).toMatchObject({ status: 'new', dismissed_score: null });
    expect((await events(row!.id)).map((e) => e.event)).toEqual(['created', 'status', 'reopened']);
  });

  it('re-opens a dismissed lead when a changed page was captured after the dismissal, not on a re-save of the same page', async () => {
    await upsertLeads(db, [listingCandidate(ids.get('l3')!, 50)]);
    const [row] = await lead('l3');
    const capture = (at: string, sha: string) =>
      db.query(
        `INSERT INTO evidence (listing_id, url, captured_at, captured_at_local, crawler_version, created_at, files)
         VALUES ($1, 'https://x', $2::timestamptz, $3, 't', $2::timestamptz, $4::jsonb)`,
        [
          ids.get('l3'),
          at,
          at,
          JSON.stringify([
            { kind: 'raw', path: 'p.html', sha256: sha, bytes: 1, content_type: 'text/html' },
            { kind: 'screenshot', path: 'p.png', sha256: `png-${at}`, bytes: 1, content_type: 'image/png' },
          ]),
        ],
      );
    await capture('2026-11-01T00:00:00Z', 'aaa');
    await db.query(`UPDATE leads SET status = 'dismissed', dismissed_score = score WHERE id = $1`, [row!.id]);
    await db.query(
      `INSERT INTO lead_events (lead_id, at, event, from_status, to_status) VALUES ($1, '2026-11-10T00:00:00Z', 'status', 'new', 'dismissed')`,
      [row!.id],
    );
    expect((await upsertLeads(db, [listingCandidate(ids.get('l3')!, 50)])).reopened).toBe(0);
    // The crawler saved the same page again (new screenshot bytes, same raw page): not new evidence.
    await capture('2026-11-12T00:00:00Z', 'aaa');
    expect((await upsertLeads(db, [listingCandidate(ids.get('l3')!, 50)])).reopened).toBe(0);
    expect((await lead('l3'))[0]!.status).toBe('dismissed');
    await capture('2026-11-15T00:00:00Z', 'bbb');
    expect((await upsertLeads(db, [listingCandidate(ids.get('l3')!, 50)])).reopened).toBe(1);
    expect((await lead('l3'))[0]!.status).toBe('new');
    const { rows: reopened } = await db.query<{ data: { reason: string } }>(
      `SELECT data FROM lead_events WHERE lead_id = $1 AND event = 'reopened'`,
      [row!.id],
    );
    expect(reopened.map((r) => r.data.reason)).toEqual(['new_evidence']);
  });

  it('still refuses a lead or event that points nowhere, and deleting a listing that has a lead (statement-level checks, migration 0012)', async () => {
    await expect(upsertLeads(db, [listingCandidate(987_654_321, 80)])).rejects.toThrow(/not in listings/);
    await expect(db.query(`INSERT INTO lead_events (lead_id, event) VALUES (987654321, 'note')`)).rejects.toThrow(/not in leads/);
    const [row] = await lead('l0');
    await expect(db.query(`UPDATE leads SET listing_id = 987654321 WHERE id = $1`, [row!.id])).rejects.toThrow(/not in listings/);
    await expect(db.query(`DELETE FROM listings WHERE id = $1`, [ids.get('l0')])).rejects.toThrow(/referenced from/);
    expect(await lead('l0')).toHaveLength(1);
  });

  it("copies a new listing lead's reasons from its stored score row when told they are stored, and refuses when there is none", async () => {
    const id = ids.get('l5')!;
    const reasons = [reason('brand.slang', 60, 'Counterfeit slang')];
    const reasonsJson = JSON.stringify(reasons);
    const candidate = { ...listingCandidate(id, 60, { reasons }), reasonsJson };
    await expect(upsertLeads(db, [candidate], new Date(), { listingReasonsStored: true })).rejects.toThrow(/reasons/);
    await db.query(
      `INSERT INTO listing_scores (listing_id, scoring_version, score, flagged, reasons) VALUES ($1, $2, 60, true, $3::jsonb)`,
      [id, candidate.scoringVersion, reasonsJson],
    );
    expect(await upsertLeads(db, [candidate], new Date(), { listingReasonsStored: true })).toEqual({
      created: 1,
      reflagged: 0,
      reopened: 0,
    });
    const { rows } = await db.query<{ reasons: unknown; top_reasons: string }>(
      `SELECT reasons, top_reasons FROM leads WHERE listing_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ reasons, top_reasons: 'Counterfeit slang' }]);
  });

  it('handles a large batch set-based', async () => {
    const many = Array.from({ length: 12_000 }, (_, i) => listingCandidate(ids.get(`l${i % 6}`)!, (i % 100) + 1));
    const result = await upsertLeads(db, many);
    expect(result.created + result.reflagged + result.reopened).toBe(6);
  });

  it('re-flags an unchanged lead without rewriting it, and rewrites it when only the reasons changed', async () => {
    const id = ids.get('l4')!;
    const t1 = new Date('2026-12-01T00:00:00Z');
    await upsertLeads(db, [listingCandidate(id, 60)], t1);
    const state = async () =>
      (
        await db.query<{
          updated_at: Date;
          last_flagged_at: Date;
          top_reasons: string;
          province_code: number | null;
          reasons: { code: string }[];
        }>(`SELECT updated_at, last_flagged_at, top_reasons, province_code, reasons FROM leads WHERE listing_id = $1`, [id])
      ).rows[0]!;
    const t2 = new Date('2026-12-08T00:00:00Z');
    expect(await upsertLeads(db, [listingCandidate(id, 60)], t2)).toEqual({ created: 0, reflagged: 1, reopened: 0 });
    const unchanged = await state();
    expect(new Date(unchanged.last_flagged_at).toISOString()).toBe(t2.toISOString());
    expect(new Date(unchanged.updated_at).toISOString()).toBe(t1.toISOString());

    // Same score, different reasons: the hash differs, so the full update writes the new reasons.
    const t3 = new Date('2026-12-15T00:00:00Z');
    await upsertLeads(db, [listingCandidate(id, 60, { reasons: [reason('brand.slang', 60, 'Counterfeit slang')] })], t3);
    const changed = await state();
    expect(changed.top_reasons).toBe('Counterfeit slang');
    expect(changed.reasons.map((r) => r.code)).toEqual(['brand.slang']);
    expect(new Date(changed.updated_at).toISOString()).toBe(t3.toISOString());

    // A scorer that could not place the shop keeps the stored province, and that alone is no change.
    const t4 = new Date('2026-12-22T00:00:00Z');
    await upsertLeads(
      db,
      [listingCandidate(id, 60, { reasons: [reason('brand.slang', 60, 'Counterfeit slang')], provinceCode: null, provinceName: null })],
      t4,
    );
    const kept = await state();
    expect(kept.province_code).toBe(79);
    expect(new Date(kept.last_flagged_at).toISOString()).toBe(t4.toISOString());
    expect(new Date(kept.updated_at).toISOString()).toBe(t3.toISOString());

    // An older run never moves last_flagged_at backwards.
    await upsertLeads(db, [listingCandidate(id, 60, { reasons: [reason('brand.slang', 60, 'Counterfeit slang')] })], t1);
    expect(new Date((await state()).last_flagged_at).toISOString()).toBe(t4.toISOString());
  });

  it('writes the top three reasons, strongest first', () => {
    const text = topReasonsText([reason('a', 5, 'A'), reason('b', 30, 'B', '', 'x'), reason('c', 10, 'C'), reason('d', 20, 'D')]);
    expect(text).toBe('B (x); D; C');
  });
});
