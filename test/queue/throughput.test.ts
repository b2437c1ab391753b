// measureFetchThroughput on the real stack: it runs every job and reports counts (no timing assertion).
import { afterAll, describe, expect, it } from 'vitest';
import { measureFetchThroughput } from '../../src/devtools/throughput.ts';
import { createScratchDatabase, postgresAdminUrl, redisUrl } from '../helpers/services.ts';

const redis = await redisUrl();
const admin = await postgresAdminUrl();
const scratch = redis && admin ? await createScratchDatabase(admin) : null;

describe.skipIf(!scratch)('measureFetchThroughput', () => {
  afterAll(async () => {
    await scratch?.drop();
  });

  it('runs every fetch job through one real worker process and stores the listings', { timeout: 180_000 }, async () => {
    const result = await measureFetchThroughput({ workers: 1, jobs: 12, redisUrl: redis!, databaseUrl: scratch!.url });
    expect(result).toMatchObject({ workers: 1, jobs: 12, completed: 12, failed: 0 });
    expect(result.jobsPerSecond).toBeGreaterThan(0);
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: scratch!.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE marketplace = 'tiktok'`);
      expect(rows[0]!.n).toBe(12);
    } finally {
      await client.end();
    }
  });
});
