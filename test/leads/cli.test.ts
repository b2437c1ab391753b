import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetContext } from '../../src/apps/cli/context.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { isoWeekOf } from '../../src/leads/week.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';
import { runRadar } from '../helpers/cli.ts';

const adminUrl = await postgresAdminUrl();

// The CLI against a real PostgreSQL server (fast to open); the PGlite paths are covered by the library tests.
describe.skipIf(!adminUrl)('radar leads / sql CLI', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-cli-'));
    process.env.DATABASE_URL = scratch.url;
    process.env.RADAR_DATA_DIR = dir;
    const db = await new PostgresDb(scratch.url).connect();
    await migrate(db);
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 's', provinceCode: 31, provinceName: 'Thành phố Hải Phòng' }],
      [{ externalId: 'x', shopExternalId: 's', title: '=HYPERLINK("http://x","y")' }],
    );
    await upsertLeads(db, [listingCandidate(listingIds.get('x')!, 82)]);
    await db.close();
  });
  afterAll(async () => {
    process.env = saved;
    resetContext();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('radar sql prints JSON and refuses a write with exit code 2', async () => {
    const ok = await runRadar('sql', 'SELECT title, score FROM flagged_listings', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([{ title: '=HYPERLINK("http://x","y")', score: 82 }]);
    const refused = await runRadar('sql', 'DELETE FROM leads');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/read-only/);
    const csv = await runRadar('sql', 'SELECT title FROM flagged_listings', '--csv');
    expect(csv.stdout).toBe(`title\r\n"'=HYPERLINK(""http://x"",""y"")"\r\n`);
  });

  it('lists, reviews and exports leads', async () => {
    const list = await runRadar('leads', 'list', '--province', 'hai phong', '--json');
    const [lead] = JSON.parse(list.stdout) as { id: number; status: string }[];
    expect(lead).toMatchObject({ status: 'new' });
    expect((await runRadar('leads', 'set-status', String(lead!.id), 'confirmed', '--by', 'lan', '--note', 'ok')).code).toBe(0);
    expect((await runRadar('leads', 'set-status', String(lead!.id), 'bogus')).code).toBe(2);
    const stats = await runRadar('leads', 'stats', '--json');
    expect(JSON.parse(stats.stdout).total).toMatchObject({ confirmed: 1, reviewed: 1, confirmedShare: 1 });
    const show = await runRadar('leads', 'show', String(lead!.id));
    expect(show.stdout).toContain('confirmed');
    const out = path.join(dir, 'exports');
    const week = isoWeekOf(new Date()).label;
    const exported = await runRadar('leads', 'export', '--week', week, '--split-by', 'province', '--format', 'csv', '--out', out);
    expect(exported.code).toBe(0);
    expect(readdirSync(out)).toEqual([`leads-${week}-thanh-pho-hai-phong.csv`]);
    expect((await runRadar('leads', 'export', '--week', '2026-W99', '--out', out)).code).toBe(2);
  });

  it('packs a lead, verifies it, and verify-pack exits 1 on a damaged pack', async () => {
    const [lead] = JSON.parse((await runRadar('leads', 'list', '--json')).stdout) as { id: number }[];
    const zip = path.join(dir, 'pack.zip');
    const unsigned = await runRadar('leads', 'pack', String(lead!.id), '--out', zip);
    expect(unsigned.code).toBe(2);
    expect(unsigned.stderr).toMatch(/radar keys init/);
    const keys = await runRadar('keys', 'init');
    expect(keys.stdout).toMatch(/^ed25519:[0-9a-f]{64}\n$/);
    expect((await runRadar('leads', 'pack', String(lead!.id), '--out', zip)).code).toBe(0);
    const verified = await runRadar('leads', 'verify-pack', zip);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toContain(`signed by ${keys.stdout.trim()}`);
    const bytes = readFileSync(zip);
    const at = bytes.lastIndexOf(Buffer.from('SHA256SUMS')) - 1;
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(zip, bytes);
    const bad = await runRadar('leads', 'verify-pack', zip);
    expect(bad.code).toBe(1);
  });

  it('db serve with DATABASE_URL says where to connect and exits 0', async () => {
    const served = await runRadar('db', 'serve');
    expect(served.code).toBe(0);
    expect(served.stderr).toMatch(/already reachable/);
  });
});
