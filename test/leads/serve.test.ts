import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { serveEmbedded, type RunningServer } from '../../src/leads/serve.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

/**
 * A port the system just handed out as free. A fixed port (it was 54000 + pid % 1000) sat in Linux's
 * ephemeral range, where any outgoing connection may hold it: CI once failed with EADDRINUSE.
 */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each on-disk PGlite start compiles WebAssembly and runs initdb: a few seconds on an idle machine,
// much longer on a loaded CI runner, hence the generous hook timeouts (no timing is asserted).

describe('radar db serve', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-serve-'));
    const db = await PgliteDb.open(dataDir);
    await migrate(db);
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 's', provinceName: 'Thành phố Huế' }],
      [{ externalId: 'x', shopExternalId: 's', title: 'Đồng hồ Rolex' }],
    );
    await upsertLeads(db, [listingCandidate(listingIds.get('x')!, 77)]);
    await db.close();
  }, 150_000);
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const withClient = async <T>(url: string, fn: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  describe('read-only (default)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await serveEmbedded({ dataDir, port: await freePort() });
    }, 150_000);
    afterAll(async () => server?.stop());

    it('answers a pg query on flagged_listings', async () => {
      const rows = await withClient(
        server.url,
        async (c) => (await c.query('SELECT title, score, province_name FROM flagged_listings')).rows,
      );
      expect(rows).toEqual([{ title: 'Đồng hồ Rolex', score: 77, province_name: 'Thành phố Huế' }]);
    });

    it('refuses writes, even after the client tries to lift the read-only setting', async () => {
      await withClient(server.url, async (c) => {
        await expect(c.query(`UPDATE leads SET status = 'confirmed'`)).rejects.toThrow(/read-only|permission denied/);
        await c.query('SET default_transaction_read_only = off').catch(() => undefined);
        await expect(c.query(`DELETE FROM leads`)).rejects.toThrow(/permission denied|read-only/);
      });
    });
  });

  describe('--read-write', () => {
    it('serves the live database, untouched by the read-only session, and allows writes', async () => {
      // The read-only server had closed the live database again, so this second server can open it.
      const server = await serveEmbedded({ dataDir, port: await freePort(), readWrite: true });
      try {
        await withClient(server.url, async (c) => {
          expect((await c.query('SELECT status FROM leads')).rows).toEqual([{ status: 'new' }]);
          await c.query(`UPDATE leads SET assignee = 'lan'`);
          expect((await c.query('SELECT assignee FROM leads')).rows).toEqual([{ assignee: 'lan' }]);
        });
      } finally {
        await server.stop();
      }
    }, 150_000);
  });
});
