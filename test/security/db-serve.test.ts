// Issue 16, medium: db serve clients shared one PGlite session (RESET ROLE lifted read-only for
// everyone), one idle-in-transaction client stalled the others, and there was no password.
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
import { listingCandidate, seedShopsAndListings } from '../leads/seed.ts';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function connect(url: string, password?: string): Promise<pg.Client> {
  const withPassword = new URL(url);
  if (password !== undefined) withPassword.password = encodeURIComponent(password);
  const client = new pg.Client({ connectionString: withPassword.toString() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('radar db serve is read-only per client, with a password', () => {
  let dataDir: string;
  let server: RunningServer;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-serve-sec-'));
    const db = await PgliteDb.open(dataDir);
    await migrate(db);
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 's', provinceName: 'Thành phố Huế' }],
      [{ externalId: 'x', shopExternalId: 's', title: 'Đồng hồ Rolex' }],
    );
    await upsertLeads(db, [listingCandidate(listingIds.get('x')!, 77)]);
    await db.close();
    server = await serveEmbedded({ dataDir, port: await freePort(), password, idleInTransactionTimeoutMs: 1_500 });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a client without the password, and a wrong one', async () => {
    await expect(connect(server.url)).rejects.toThrow();
    await expect(connect(server.url, 'wrong')).rejects.toThrow(/password authentication failed/);
  });

  it('cannot write after RESET ROLE or lifting read-only', async () => {
    const client = await connect(server.url, password);
    try {
      for (const attempt of [
        'RESET ROLE',
        'SET default_transaction_read_only = off',
        'SET SESSION AUTHORIZATION DEFAULT',
        'RESET ALL',
        "SELECT set_config('role', 'none', false)",
        'DO $$ BEGIN RESET ROLE; END $$',
        'BEGIN READ WRITE',
      ]) {
        await client.query(attempt).catch(() => undefined);
        await client.query('ROLLBACK').catch(() => undefined);
      }
      await expect(client.query(`UPDATE shops SET name = 'pwned'`)).rejects.toThrow(/read-only|permission denied/);
      await expect(client.query(`DELETE FROM leads`)).rejects.toThrow(/read-only|permission denied/);
      expect((await client.query('SELECT current_user::text AS u')).rows).toEqual([{ u: 'radar_reader' }]);
      expect((await client.query('SELECT name FROM shops')).rows.map((r) => r.name)).not.toContain('pwned');
    } finally {
      await client.end();
    }
  }, 60_000);

  it('refuses RESET ROLE with a clear message, over the extended protocol too', async () => {
    const client = await connect(server.url, password);
    try {
      await expect(client.query('RESET ROLE')).rejects.toThrow(/read-only and refuses RESET role/i);
      await expect(client.query({ text: 'RESET ROLE', values: [], name: 'x' })).rejects.toThrow(/refuses/);
      expect((await client.query({ text: 'SELECT $1::int + 1 AS n', values: [41] })).rows).toEqual([{ n: 42 }]);
    } finally {
      await client.end();
    }
  }, 60_000);

  it('an idle-in-transaction client neither blocks another nor lifts read-only for it', async () => {
    const idle = await connect(server.url, password);
    await idle.query('BEGIN');
    await idle.query('SELECT 1');
    await idle.query('RESET ROLE').catch(() => undefined);
    const other = await connect(server.url, password);
    try {
      expect((await other.query('SELECT title FROM flagged_listings')).rows).toEqual([{ title: 'Đồng hồ Rolex' }]);
      await expect(other.query(`UPDATE leads SET status = 'confirmed'`)).rejects.toThrow(/read-only|permission denied/);
    } finally {
      await other.end();
    }
    // The idle one is cut off after idleInTransactionTimeoutMs.
    const ended = await new Promise<boolean>((resolve) => {
      idle.once('end', () => resolve(true));
      idle.query('SELECT 1').catch(() => resolve(true));
    });
    expect(ended).toBe(true);
  }, 60_000);

  it('refuses to bind beyond loopback without a password', async () => {
    await expect(serveEmbedded({ dataDir, port: await freePort(), host: '0.0.0.0' })).rejects.toThrow(/without a password/);
  });
});
