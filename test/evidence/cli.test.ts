// `radar leads capture` on the embedded database and through the queue (a BullMQ evidence job).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { ConfigSchema } from '../../src/core/config/schema.ts';
import { createLogger } from '../../src/core/log/logger.ts';
import { startSandbox, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import { startWorker, type RunningWorker } from '../../src/apps/queue/worker.ts';
import { createPipelineServices } from '../../src/apps/queue/services.ts';
import { enqueueLeadCapture } from '../../src/apps/queue/evidence-jobs.ts';
import { runRadar } from '../helpers/cli.ts';
import { chromiumPath } from '../helpers/services.ts';
import { queueTestEnv, waitFor } from '../queue/helpers.ts';
import { createExecutor } from '../queue/fixtures/fake-executor.ts';
import { sandboxListingUrl, seedLeads } from './fixtures.ts';

const chromium = chromiumPath();

interface EvidenceFileRow {
  kind: string;
  path: string;
}

describe.skipIf(!chromium)('radar leads capture', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 23, listings: 300, port: 0 });
    dir = mkdtempSync(path.join(tmpdir(), 'radar-capture-cli-'));
    process.env.RADAR_DATA_DIR = dir;
    process.env.CHROMIUM_PATH = chromium!;
    process.env.LOG_LEVEL = 'silent';
    delete process.env.DATABASE_URL;
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('captures a lead on the embedded database with a screenshot, shows a refused one as no valid evidence, and audits the custody log', async () => {
    const db = await PgliteDb.open(dir);
    let ids: number[];
    try {
      await migrate(db);
      ids = await seedLeads(db, [{ url: sandboxListingUrl(sandbox, 'sendo') }, { url: `${sandbox.url}/tiki/khong-co-p1.html` }]);
    } finally {
      await db.close();
    }
    const host = new URL(sandbox.url).host;
    const captured = await runRadar(
      'leads',
      'capture',
      String(ids[0]),
      String(ids[1]),
      '--allow-host',
      host,
      '--by',
      'Đội QLTT số 3',
      '--json',
    );
    expect(captured.code, captured.stderr).toBe(0);
    const result = JSON.parse(captured.stdout) as {
      captured: number;
      failed: number;
      leads: { leadId: number; captures: { ok: boolean; httpStatus: number; evidence?: { files: EvidenceFileRow[] } }[] }[];
    };
    expect(result).toMatchObject({ captured: 1, failed: 1 });
    expect(result.leads[0]!.captures[0]).toMatchObject({ ok: true, httpStatus: 200 });
    expect(result.leads[0]!.captures[0]!.evidence!.files.map((f) => f.kind)).toContain('screenshot');

    const shown = await runRadar('leads', 'show', String(ids[1]));
    expect(shown.stdout).toContain('no valid evidence');
    expect(shown.stdout).toContain('HTTP 404');

    // Without --allow-host the sandbox is a private address: refused, never fetched.
    const refused = await runRadar('leads', 'capture', String(ids[0]), '--json');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('SSRF guard');

    expect((await runRadar('evidence', 'audit')).code).toBe(0);
    const edited = await PgliteDb.open(dir);
    try {
      await edited.query(`UPDATE custody_log SET actor = 'someone else' WHERE seq = 1`);
    } finally {
      await edited.close();
    }
    const audit = await runRadar('evidence', 'audit');
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(/custody log broken at row 1/);
  }, 300_000);
});

const env = chromium ? await queueTestEnv() : null;

describe.skipIf(!env)('radar leads capture --queue', () => {
  let sandbox: RunningSandbox;
  let worker: RunningWorker;
  let dir: string;
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 29, listings: 300, port: 0 });
    dir = mkdtempSync(path.join(tmpdir(), 'radar-capture-queue-'));
    const config = ConfigSchema.parse({ dataDir: dir, chromiumPath: chromium! });
    worker = await startWorker({
      redisUrl: env!.redisUrl,
      db: env!.db,
      log,
      executor: createExecutor({ db: env!.db, config: {} as never, log }),
      services: createPipelineServices({ db: env!.db, config, log }),
      queues: ['evidence'],
      prefix: env!.prefix,
      shutdownTimeoutMs: 5_000,
    });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
    await env?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the capture as a BullMQ evidence job, with a screenshot, on PostgreSQL', async () => {
    const [leadId] = await seedLeads(env!.db, [{ url: sandboxListingUrl(sandbox, 'lazada') }]);
    const job = await enqueueLeadCapture(
      { redisUrl: env!.redisUrl },
      { leadIds: [leadId!], operator: 'queue test', allowHosts: [new URL(sandbox.url).host], prefix: env!.prefix },
    );
    expect(job.jobId).toMatch(/^el_/);
    const files = await waitFor(
      'the evidence job to capture the lead',
      async () => {
        const { rows } = await env!.db.query<{ files: EvidenceFileRow[]; http_status: number }>(
          'SELECT e.files, e.http_status FROM evidence e JOIN leads l ON l.listing_id = e.listing_id WHERE l.id = $1',
          [leadId],
        );
        return rows[0];
      },
      180_000,
    );
    expect(files.http_status).toBe(200);
    expect(files.files.map((f) => f.kind)).toEqual(expect.arrayContaining(['screenshot', 'wacz', 'raw', 'dom', 'meta']));
    const { rows } = await env!.db.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM custody_log WHERE action = 'capture'`,
    );
    expect(rows[0]).toEqual({ actor: 'queue test', action: 'capture' });
  }, 300_000);
});
