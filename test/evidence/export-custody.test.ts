// Every export is in the custody log by the SHA-256 of each file it wrote: an exported file can be
// matched to its entry later, and a file edited since matches none; the chain still audits clean.
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/types.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { auditCustody, checkFileCustody, sha256OfFile } from '../../src/leads/custody.ts';
import { exportWeeklyLeads } from '../../src/leads/export.ts';
import { exportTakedowns } from '../../src/leads/takedown.ts';
import { setLeadStatus } from '../../src/leads/status.ts';
import { writeReferralLetter } from '../../src/leads/referral.ts';
import { isoWeekOf } from '../../src/leads/week.ts';
import { dbTargets } from '../helpers/db.ts';
import { runRadar } from '../helpers/cli.ts';
import { chromiumPath } from '../helpers/services.ts';
import { seedLeads } from './fixtures.ts';

const chromium = chromiumPath();

describe.each(await dbTargets())('exports in the custody log on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let leadIds: number[];
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-export-custody-'));

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    leadIds = await seedLeads(db, [
      { url: 'https://tiki.vn/a-p1.html' },
      { url: 'https://www.lazada.vn/products/b-i2.html', marketplace: 'lazada' },
    ]);
    await setLeadStatus(db, leadIds[1]!, 'confirmed', { by: 'analyst An' });
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs csv, xlsx and takedown exports (and a referral letter) by each file’s name and SHA-256; an edited file matches no entry', async () => {
    const week = isoWeekOf(new Date());
    const written: string[] = [];
    for (const format of ['csv', 'xlsx'] as const)
      written.push(...(await exportWeeklyLeads(db, { week: week.label, format, outDir: path.join(dir, format) })).files.map((f) => f.path));
    const takedowns = await exportTakedowns(db, { format: 'takedown-lazada', statuses: ['confirmed'], outDir: path.join(dir, 'takedown') });
    expect(takedowns).toHaveLength(1);
    written.push(...takedowns.map((f) => f.path));
    if (chromium) {
      const letter = await writeReferralLetter(db, {
        week,
        province: 'Hà Nội',
        outDir: path.join(dir, 'referral'),
        chromiumPath: chromium,
      });
      written.push(letter.pdf, letter.docx, letter.html);
    }

    for (const file of written) {
      const check = await checkFileCustody(db, file);
      expect(check.matches, file).toHaveLength(1);
      expect(check.matches[0]).toMatchObject({ action: 'export', recordedAs: path.basename(file) });
      expect(check.sha256).toBe((await sha256OfFile(file)).sha256);
    }
    const takedownMatch = (await checkFileCustody(db, takedowns[0]!.path)).matches[0]!;
    expect(takedownMatch.leadIds).toEqual([leadIds[1]]);
    const { rows } = await db.query<{ payload: string }>(`SELECT payload FROM custody_log WHERE seq = $1`, [takedownMatch.seq]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      data: { format: 'takedown-lazada', files: [{ file: path.basename(takedowns[0]!.path), rows: 1 }] },
    });

    // One changed byte and the file is no longer the one exported.
    const csv = written.find((f) => f.endsWith('.csv'))!;
    appendFileSync(csv, '\n');
    expect((await checkFileCustody(db, csv)).matches).toEqual([]);
    expect(await auditCustody(db)).toMatchObject({ ok: true, problem: null });
  }, 120_000);
});

describe('`radar evidence check-file`', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'radar-check-file-'));
    Object.assign(process.env, { RADAR_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    delete process.env.DATABASE_URL;
    expect((await runRadar('migrate')).code).toBe(0);
    const db = await PgliteDb.open(dir);
    try {
      await seedLeads(db, [{ url: 'https://tiki.vn/a-p1.html' }]);
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(() => {
    process.env = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the custody entry of an exported file, and exits 1 once the file is edited; the audit still passes', async () => {
    const out = path.join(dir, 'exports');
    const exported = await runRadar('leads', 'export', '--format', 'csv', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    const [name] = readdirSync(out);
    const file = path.join(out, name!);

    const ok = await runRadar('evidence', 'check-file', file);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`\\tmatches\\tcustody #\\d+\\texport\\t.*\\t${name!.replace(/\./g, '\\.')}\\t[0-9a-f]{64}\\n$`));

    appendFileSync(file, 'x');
    const edited = await runRadar('evidence', 'check-file', file, '--json');
    expect(edited.code).toBe(1);
    const result = JSON.parse(edited.stdout) as { files: { matches: unknown[] }[]; custodyIntact: boolean };
    expect(result).toMatchObject({ files: [{ matches: [] }], custodyIntact: true });
    expect(edited.stderr).toMatch(/1 of 1 file\(s\) match no custody entry/);
    expect((await runRadar('evidence', 'audit')).code).toBe(0);
  }, 120_000);
});
