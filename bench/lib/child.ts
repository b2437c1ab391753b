import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage } from './suite.ts';

export interface ForkedOutcome<M> {
  /** Messages the child sent, in order. */
  messages: M[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/**
 * Runs a TypeScript module in its own Node process (through tsx), in its own process group so a
 * timeout can end it together with anything it started (browsers, workers).
 */
export function forkTs<M>(
  modulePath: string,
  args: readonly string[],
  options: {
    timeoutMs: number;
    env?: NodeJS.ProcessEnv;
    onMessage?: (message: M) => void;
    execArgv?: string[];
    /** Own process group (default true). A suite's own children stay in the suite's group so a suite timeout ends them too. */
    ownGroup?: boolean;
  },
): { child: ChildProcess; done: Promise<ForkedOutcome<M>> } {
  const child = fork(modulePath, [...args], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: options.env ?? process.env,
    detached: options.ownGroup ?? true,
  });
  const messages: M[] = [];
  child.on('message', (message) => {
    messages.push(message as M);
    options.onMessage?.(message as M);
  });
  const done = new Promise<ForkedOutcome<M>>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (options.ownGroup ?? true) killGroup(child);
      else child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      // Anything the child left running (a browser, a worker) goes with it.
      if (options.ownGroup ?? true) killGroup(child);
      resolve({ messages, exitCode, signal, timedOut });
    });
  });
  return { child, done };
}

/** Kills the child's process group (the child was started detached, so its pid is the group id). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export type { ChildMessage };
