import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyEvidencePack } from '../../src/leads/verify-pack.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { demoPackFacts } from '../evidence/demo-pack.ts';

const run = promisify(execFile);

/** The done-when: the demo from a clean state, with no DATABASE_URL or REDIS_URL, on the embedded default. */
describe('npm run demo', () => {
  it('exits 0 with at least 50 leads, the exports and a verified evidence pack; a second run adds no duplicate leads', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'radar-demo-'));
    const env: NodeJS.ProcessEnv = { ...process.env, RADAR_DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const args = ['bin/radar.mjs', 'demo', '--listings', '1000', '--out', path.join(work, 'exports')];

    const first = await run(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 });
    expect(first.stdout).toMatch(/Top 10 leads:/);
    expect(first.stdout).toMatch(/against the sandbox truth: precision/);
    expect(first.stderr).toMatch(/starting clean/);

    const files = readdirSync(path.join(work, 'exports'));
    expect(files.some((file) => /^leads-\d{4}-W\d{2}-.+\.xlsx$/.test(file))).toBe(true);
    expect(files.some((file) => /^leads-\d{4}-W\d{2}-.+\.csv$/.test(file))).toBe(true);
    const pack = files.find((file) => /^evidence-lead-\d+\.zip$/.test(file));
    expect(pack).toBeDefined();
    expect((await verifyEvidencePack(path.join(work, 'exports', pack!))).problems.map((p) => p.check)).toEqual(['unknown signer']);
    const facts = await demoPackFacts(path.join(work, 'exports', pack!), path.join(work, 'data'));
    expect(facts.verify.problems).toEqual([]);
    expect(facts).toMatchObject({ listingHttpStatus: 200, screenshotIsPng: true, waczDigestsMatch: true, signed: true });
    expect((await run(process.execPath, ['bin/radar.mjs', 'evidence', 'audit'], { env })).stderr).toMatch(/custody log intact/);

    const countLeads = async () => {
      const db = await PgliteDb.open(path.join(work, 'data'));
      try {
        const { rows } = await db.query<{ leads: number; distinct_subjects: number }>(
          `SELECT count(*)::int AS leads,
                  count(DISTINCT (kind, listing_id, shop_id, network_id))::int AS distinct_subjects FROM leads`,
        );
        return rows[0]!;
      } finally {
        await db.close();
      }
    };
    const before = await countLeads();
    expect(before.leads).toBeGreaterThanOrEqual(50);

    // The browser path was shown by the first run; the re-run checks idempotency, so it skips it.
    const second = await run(process.execPath, args, { env: { ...env, CHROMIUM_PATH: '/nonexistent' }, maxBuffer: 16 * 1024 * 1024 });
    expect(second.stderr).toMatch(/refreshing|resuming/);
    const after = await countLeads();
    expect(after.leads).toBe(before.leads);
    expect(after.distinct_subjects).toBe(after.leads);
    expect(existsSync(path.join(work, 'exports', pack!))).toBe(true);
  }, 600_000);
});
