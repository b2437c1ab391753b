import { spawnSync } from 'node:child_process';

/**
 * Pins every thread of this process to one CPU (Linux `taskset`), so "on one core" means it:
 * GC and libuv threads share the core with the scorer. Returns what happened, for `params`.
 */
export function pinToOneCore(cpu = 0): string {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return `not pinned (taskset unavailable: ${result.error?.message ?? result.stderr.trim()})`;
  return `pinned to cpu ${cpu} with taskset`;
}
