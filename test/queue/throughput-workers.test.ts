// measureFetchThroughput with two worker processes: every job runs once across both, and the
// worker CPU time it reports is real (no timing assertion: speed claims belong to the bench).
import { afterAll, describe, expect, it } from 'vitest';
import { measureFetchThroughput } from '../../src/devtools/throughput.ts';
import { createScratchDatabase, postgresAdminUrl, redisUrl } from '../helpers/services.ts';

const redis = await redisUrl();
const admin = await postgresAdminUrl();
const scratch = redis && admin ? await createScratchDatabase(admin) : null;

describe.skipIf(!scratch)('measureFetchThroughput with two workers', () => {
  afterAll(async () => {
    await scratch?.drop();
  });

  it('shares the jobs between two processes and reports their CPU time per job', { timeout: 180_000 }, async () => {
    const result = await measureFetchThroughput({ workers: 2, jobs: 10, redisUrl: redis!, databaseUrl: scratch!.url });
    expect(result).toMatchObject({ workers: 2, jobs: 10, completed: 10, failed: 0 });
    expect(result.harnessCpuSeconds).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      expect(result.workerCpuSeconds).toBeGreaterThan(0);
      expect(result.workerCpuMsPerJob).toBeCloseTo((result.workerCpuSeconds! * 1000) / 10, 0);
    }
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: scratch!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ listings: number; observations: number }>(
        `SELECT (SELECT count(*)::int FROM listings WHERE marketplace = 'tiktok') AS listings, (SELECT count(*)::int FROM listing_observations) AS observations`,
      );
      expect(rows[0]).toEqual({ listings: 10, observations: 10 });
    } finally {
      await client.end();
    }
  });
});
