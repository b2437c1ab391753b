// The custody log is a hash chain: audit passes on an honest log and fails after any edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/types.ts';
import { appendCustody, auditCustody } from '../../src/leads/custody.ts';
import { setLeadStatus } from '../../src/leads/status.ts';
import { exportWeeklyLeads } from '../../src/leads/export.ts';
import { isoWeekOf } from '../../src/leads/week.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dbTargets } from '../helpers/db.ts';
import { seedLeads } from './fixtures.ts';

describe.each(await dbTargets())('custody log on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let leadId: number;
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-custody-'));

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    leadId = (await seedLeads(db, [{ url: 'https://tiki.vn/x-p1.html' }]))[0]!;
    await appendCustody(db, {
      action: 'capture',
      actor: 'Đội QLTT số 3',
      leadId,
      evidenceId: 7,
      data: { files: [{ path: 'a/page.png', sha256: 'ab'.repeat(32) }] },
    });
    await setLeadStatus(db, leadId, 'reviewing', { by: 'analyst An', note: 'xem lại giá' });
    await exportWeeklyLeads(db, { week: isoWeekOf(new Date()).label, format: 'csv', outDir: dir });
    await appendCustody(db, { action: 'pack', actor: 'analyst An', leadId, data: { manifest_sha256: 'cd'.repeat(32) } });
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records captures, status changes, exports and packs in one chain that audits clean', async () => {
    const { rows } = await db.query<{ action: string; lead_ids: string[] }>('SELECT action, lead_ids FROM custody_log ORDER BY seq');
    expect(rows.map((r) => r.action)).toEqual(['capture', 'status', 'export', 'pack']);
    expect(rows[2]!.lead_ids.map(Number)).toContain(leadId);
    expect(await auditCustody(db)).toMatchObject({ ok: true, rows: 4, problem: null });
  });

  it.each([
    ['actor', `actor = 'someone else'`],
    ['at', `at = at + interval '1 minute'`],
    ['action', `action = 'verify'`],
    ['lead_id', `lead_id = lead_id + 1`],
    ['payload', `payload = replace(payload, 'xem lại giá', 'xem lai gia')`],
    ['prev_hash', `prev_hash = repeat('1', 64)`],
    ['row_hash', `row_hash = repeat('2', 64)`],
    ['file_sha256', `file_sha256 = ARRAY[repeat('f', 64)]`],
  ])('fails after the %s of a row is edited', async (_column, set) => {
    const seq = 2;
    await db.query('CREATE TABLE IF NOT EXISTS custody_backup (LIKE custody_log)');
    await db.query('DELETE FROM custody_backup');
    await db.query('INSERT INTO custody_backup SELECT * FROM custody_log');
    try {
      await db.query(`UPDATE custody_log SET ${set} WHERE seq = $1`, [seq]);
      const audit = await auditCustody(db);
      expect(audit.ok).toBe(false);
      expect(audit.problem!.seq).toBeLessThanOrEqual(seq + 1);
      expect(audit.problem!.seq).toBeGreaterThanOrEqual(seq);
    } finally {
      await db.query('DELETE FROM custody_log');
      await db.query('INSERT INTO custody_log SELECT * FROM custody_backup');
    }
    expect((await auditCustody(db)).ok).toBe(true);
  });

  it('fails when a row is removed', async () => {
    await db
      .transaction(async (tx) => {
        await tx.query('DELETE FROM custody_log WHERE seq = 2');
        expect((await auditCustody(tx)).problem?.seq).toBe(3);
        throw new Error('rollback');
      })
      .catch((error: Error) => expect(error.message).toBe('rollback'));
    expect((await auditCustody(db)).ok).toBe(true);
  });
});
