import { Redis } from 'ioredis';
import { createScratchDatabase, postgresAdminUrl, redisUrl } from '../helpers/services.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import type { Db } from '../../src/core/db/types.ts';

export interface QueueTestEnv {
  redisUrl: string;
  prefix: string;
  db: Db;
  databaseUrl: string;
  cleanup(): Promise<void>;
}

/** Real Redis with a private key prefix and a scratch PostgreSQL database; null when either is missing. */
export async function queueTestEnv(): Promise<QueueTestEnv | null> {
  const redis = await redisUrl();
  const admin = await postgresAdminUrl();
  if (!redis || !admin) return null;
  const scratch = await createScratchDatabase(admin);
  const db = await new PostgresDb(scratch.url).connect();
  await migrate(db);
  const prefix = `rtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    redisUrl: redis,
    prefix,
    db,
    databaseUrl: scratch.url,
    async cleanup() {
      await db.close();
      await scratch.drop();
      await deleteKeys(redis, `${prefix}:*`);
    },
  };
}

export async function deleteKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Polls until `check` returns a value (not undefined) or the deadline passes; no timing assertions. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export interface WorkerProcess {
  child: import('node:child_process').ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns the real `radar worker` CLI against the test's Redis prefix and scratch database. */
export async function spawnWorker(env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<WorkerProcess> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const path = await import('node:path');
  const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/radar.mjs');
  const child = spawn(process.execPath, [cli, 'worker', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

/** True when no queue under `prefix` has waiting, active, delayed or prioritized jobs. */
export async function queuesDrained(
  redisUrl: string,
  prefix: string,
  states: readonly ('waiting' | 'active' | 'delayed' | 'prioritized')[] = ['waiting', 'active', 'delayed', 'prioritized'],
): Promise<boolean> {
  const { QueueSet } = await import('../../src/apps/queue/queues.ts');
  const { allQueueNames } = await import('../../src/apps/queue/names.ts');
  const redis = new Redis(redisUrl);
  const queues = new QueueSet(redis, prefix);
  try {
    for (const name of allQueueNames()) {
      const c = await queues.get(name).getJobCounts(...states);
      if (Object.values(c).some((n) => n > 0)) return false;
    }
    return true;
  } finally {
    await queues.close();
    redis.disconnect();
  }
}
