import { Redis, type RedisOptions } from 'ioredis';
import { UserError } from '../../core/errors.ts';
import type { Config } from '../../core/config/schema.ts';

/** Says in one line what to set when a Redis-backed command runs without REDIS_URL. */
export function requireRedisUrl(config: Pick<Config, 'redisUrl'>): string {
  if (!config.redisUrl) {
    throw new UserError(
      'REDIS_URL is not set; queue commands need Redis, e.g. REDIS_URL=redis://127.0.0.1:6379 (or run `radar crawl` in-process)',
    );
  }
  return config.redisUrl;
}

/**
 * Connection for workers (and QueueEvents): per BullMQ's production guide, commands wait for
 * Redis to come back instead of failing, so a Redis restart only pauses the fleet.
 */
export function workerConnection(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(1_000 * 2 ** Math.min(attempt, 5), 20_000),
  });
}

/** Producer connection options: fail fast while Redis is down, so a CLI says so instead of hanging. */
export function producerConnectionOptions(): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    // Only the first connect is attempted; a producer is short-lived.
    retryStrategy: () => null,
    lazyConnect: true,
  };
}

/**
 * Opens a producer connection and waits until it is ready; an unreachable Redis becomes a
 * one-line UserError naming the URL (credentials masked) and what to do.
 */
export async function connectProducer(url: string): Promise<Redis> {
  const redis = new Redis(url, producerConnectionOptions());
  // The socket error (ECONNREFUSED, ENOTFOUND) says more than "Connection is closed"; keep it for the message.
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new UserError(
      `Redis at ${maskUrl(url)} is unreachable (${(lastError ?? (error as Error)).message}); start Redis or fix REDIS_URL`,
    );
  }
}

export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
