import pg from 'pg';
import { UserError } from '../errors.ts';
import { redactUrlCredentials } from '../log/redact.ts';
import type { Db, QueryResult, Queryable } from './types.ts';

// bigint ids, prices and counts fit in a double; strings would leak into every caller.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

/** Error codes meaning "the server went away"; a retry on a fresh connection is safe for our idempotent writes. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
]);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection.*closed|terminating connection/i.test(message);
}

export interface PostgresDbOptions {
  /** Pool size; workers with high concurrency want more. @default 8 */
  maxConnections?: number;
  /** How long (ms) to keep retrying a statement while the server is unreachable, so a restart does not fail a crawl. @default 30_000 */
  retryForMs?: number;
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  readonly target: string;
  private readonly pool: pg.Pool;
  private readonly retryForMs: number;

  constructor(url: string, options: PostgresDbOptions = {}) {
    this.target = redactUrlCredentials(url);
    this.retryForMs = options.retryForMs ?? 30_000;
    this.pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 8, connectionTimeoutMillis: 10_000 });
    // An idle client dying with the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Fails fast with an actionable message when the server cannot be reached at all. */
  async connect(): Promise<this> {
    try {
      const client = await this.pool.connect();
      client.release();
      return this;
    } catch (error) {
      await this.pool.end().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(
        `cannot connect to DATABASE_URL ${this.target}: ${reason}. Is PostgreSQL running there? Unset DATABASE_URL to use the embedded database.`,
      );
    }
  }

  async query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.withRetry(async () => {
      const result = await this.pool.query<R>(text, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    });
  }

  async exec(sql: string): Promise<void> {
    await this.withRetry(() => this.pool.query(sql));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.withRetry(async () => {
      const client = await this.pool.connect();
      const tx: Queryable = {
        async query<R extends object>(text: string, params?: readonly unknown[]) {
          const result = await client.query<R>(text, params as unknown[] | undefined);
          return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
        },
        async exec(sql: string) {
          await client.query(sql);
        },
      };
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = isConnectionError(error);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async withRetry<T>(operation: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryForMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (!isConnectionError(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  }
}
