/**
 * Entry point of one suite's child process: `node --import tsx bench/suite-child.ts NAME CONTEXT_JSON`.
 * Sends exactly one ChildMessage to the harness. Progress goes to stderr.
 */
import { DependencyMissingError } from './lib/deps.ts';
import type { Measurement } from './lib/result.ts';
import type { ChildMessage, Suite, SuiteContext } from './lib/suite.ts';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function isSuite(value: unknown): value is Suite {
  return (
    typeof value === 'object' && value !== null && typeof (value as Suite).run === 'function' && typeof (value as Suite).name === 'string'
  );
}

async function main(): Promise<void> {
  const [name, contextJson] = process.argv.slice(2);
  if (!name || !contextJson) throw new Error('usage: suite-child.ts NAME CONTEXT_JSON');
  const ctx = JSON.parse(contextJson) as SuiteContext;
  const progress = (message: string) => process.stderr.write(`[${name}] ${message}\n`);
  const pending: Promise<void>[] = [];
  const report = (measurement: Measurement) => {
    pending.push(send({ type: 'measurement', measurement }));
  };
  const fail = (part: string, message: string, params: Record<string, unknown> = {}) => {
    progress(`${part}: ${message}`);
    pending.push(send({ type: 'failure', name: part, message, params }));
  };
  try {
    const module = (await import(new URL(`./suites/${name}.ts`, import.meta.url).href)) as { default?: unknown };
    if (!isSuite(module.default)) throw new Error(`bench/suites/${name}.ts has no default-exported Suite`);
    await module.default.run(ctx, { progress, report, fail });
    await Promise.all(pending);
    await send({ type: 'done' });
  } catch (error) {
    const message =
      error instanceof DependencyMissingError
        ? `dependency missing: ${error.message}`
        : error instanceof Error
          ? `${error.message}${process.env.BENCH_DEBUG ? `\n${error.stack}` : ''}`
          : String(error);
    await Promise.all(pending);
    await send({ type: 'error', message });
  }
}

main()
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    await send({ type: 'error', message: `suite child failed: ${error instanceof Error ? error.message : String(error)}` });
    process.exit(1);
  });
