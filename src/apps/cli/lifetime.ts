/**
 * Long-running commands (worker, db serve, dashboard, schedule --keep-alive) stop on SIGINT,
 * SIGTERM and SIGHUP, and also when the process that started them dies: `npx radar worker &`
 * followed by `kill $!` kills npm only, and the orphan would otherwise keep taking jobs.
 */

/** How often the parent is checked. @default 1000 */
const PARENT_POLL_MS = 1_000;

/**
 * The parent when the CLI started, taken at import from `main.ts` rather than when a command starts
 * watching: a parent killed in between would otherwise be taken for the parent (init, a subreaper).
 */
const STARTING_PARENT_PID = process.ppid;

/**
 * Calls `onExit` once when the parent process goes away: the process is re-parented (ppid
 * changes, to init or a subreaper) or its IPC channel closes. Returns a function that stops watching.
 */
export function watchParent(onExit: () => void, pollMs = PARENT_POLL_MS, parentPid = STARTING_PARENT_PID): () => void {
  let done = false;
  const fire = () => {
    if (done) return;
    done = true;
    stop();
    onExit();
  };
  const timer = setInterval(() => {
    if (process.ppid !== parentPid) fire();
  }, pollMs);
  timer.unref();
  const onDisconnect = () => fire();
  if (process.connected) process.once('disconnect', onDisconnect);
  function stop() {
    clearInterval(timer);
    process.off('disconnect', onDisconnect);
  }
  // The parent may already be gone when a command starts watching, after its set-up.
  if (process.ppid !== parentPid) queueMicrotask(fire);
  return () => {
    done = true;
    stop();
  };
}

/** Resolves with what stopped the command: a signal, or the parent's death. */
export function untilStopped(): Promise<NodeJS.Signals | 'parent-exited'> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    // The servers being waited on hold the event loop open; this keeps it open regardless.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const finish = (why: NodeJS.Signals | 'parent-exited') => {
      for (const signal of signals) process.off(signal, onSignal);
      clearInterval(keepAlive);
      unwatch();
      resolve(why);
    };
    const onSignal = (signal: NodeJS.Signals) => finish(signal);
    for (const signal of signals) process.once(signal, onSignal);
    const unwatch = watchParent(() => finish('parent-exited'));
  });
}
