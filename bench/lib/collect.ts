import type { ForkedOutcome } from './child.ts';
import { errorEntry, toEntry, type BenchEntry, type Machine } from './result.ts';
import { ratio } from './stats.ts';
import type { ChildMessage } from './suite.ts';

/**
 * Turns what a suite's child process did into result entries. Every way a suite can fail
 * (dependency missing, exception, crash, timeout, no answer) becomes an entry with `error`.
 */
export function entriesFromOutcome(
  suite: string,
  outcome: ForkedOutcome<ChildMessage>,
  machine: Machine,
  timeoutSeconds: number,
): BenchEntry[] {
  const params = { suite };
  const entries: BenchEntry[] = [];
  let finished = false;
  let failure: string | null = null;
  for (const message of outcome.messages) {
    if (message.type === 'measurement') entries.push(toEntry(suite, message.measurement, machine, ratio));
    else if (message.type === 'failure') entries.push(errorEntry(suite, message.message, machine, message.params, message.name));
    else if (message.type === 'done') finished = true;
    else failure = message.message;
  }
  const partial = entries.length > 0 ? ` (the ${entries.length} entries before it are kept)` : '';
  if (outcome.timedOut) {
    failure = `timed out after ${timeoutSeconds} s and was killed${partial}; run it alone with --only ${suite} to see where it stalls`;
  } else if (failure !== null) {
    failure = `${failure}${partial}`;
  } else if (!finished) {
    const how = outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.exitCode}`;
    failure = `the suite process ended (${how}) before finishing${partial}; rerun with --only ${suite} and read its stderr`;
  } else if (entries.length === 0) {
    failure = 'the suite finished without reporting a measurement';
  }
  if (failure !== null) entries.push(errorEntry(suite, failure, machine, params));
  return entries;
}
