import net from 'node:net';
import { existsSync } from 'node:fs';
import pg from 'pg';

/**
 * Real services for tests. With REQUIRE_SERVICES=1 (CI) a missing service fails the run loudly;
 * without it, tests that need the service are skipped with a one-line reason.
 */
export const servicesRequired = process.env.REQUIRE_SERVICES === '1';

const reported = new Set<string>();

function unavailable(service: string, reason: string): null {
  if (servicesRequired) {
    throw new Error(`${service} is required (REQUIRE_SERVICES=1) but unavailable: ${reason}`);
  }
  if (!reported.has(service)) {
    reported.add(service);
    process.stderr.write(`[skip] ${service} tests skipped: ${reason} (set REQUIRE_SERVICES=1 to make this an error)\n`);
  }
  return null;
}

/** Admin URL of a real PostgreSQL server, for creating throwaway databases. */
export async function postgresAdminUrl(): Promise<string | null> {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    return unavailable('PostgreSQL', `${url.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh, empty database on the real server; `drop()` removes it. */
export async function createScratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `radar_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function redisUrl(): Promise<string | null> {
  const url = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  return reachable ? url : unavailable('Redis', `${url} does not answer PING`);
}

export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : unavailable('Chromium', `${path} not found; apt-get install chromium`);
}
