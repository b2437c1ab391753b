import type { Measurement } from './result.ts';

/** What every suite gets from the harness. Serializable: suites run in their own child process. */
export interface SuiteContext {
  quick: boolean;
  /** Repetitions per measurement; the median is reported. */
  repeats: number;
  /** Admin URL of the local PostgreSQL server; suites create and drop their own scratch databases. */
  postgresAdminUrl: string;
  redisUrl: string;
  chromiumPath: string;
}

/** How a suite talks to the harness while it runs. */
export interface SuiteIo {
  /** One line of progress on stderr. */
  progress(message: string): void;
  /** Hands over a finished measurement at once, so a later timeout or crash cannot lose it. */
  report(measurement: Measurement): void;
  /** One part of the suite could not measure (its dependency is missing, it failed); the rest goes on. */
  fail(name: string, message: string, params?: Record<string, unknown>): void;
}

/** A suite module's default export. */
export interface Suite {
  name: string;
  run(ctx: SuiteContext, io: SuiteIo): Promise<void>;
}

/** What the harness knows about a suite without loading its code (which may import unbuilt modules). */
export interface SuiteInfo {
  name: string;
  description: string;
  /** Kill the suite after this long; it then reports an error entry. */
  timeoutSeconds: { quick: number; full: number };
}

/** Messages a suite child process sends to the harness over IPC. */
export type ChildMessage =
  | { type: 'measurement'; measurement: Measurement }
  | { type: 'failure'; name: string; message: string; params: Record<string, unknown> }
  | { type: 'done' }
  | { type: 'error'; message: string };
