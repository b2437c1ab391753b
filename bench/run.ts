/**
 * `npm run bench [-- --quick] [-- --only NAME]`: runs each suite in its own child process, prints a
 * table and writes bench/results/latest.json. A suite that cannot measure reports an `error` entry;
 * the exit code is non-zero only when the harness itself is broken.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgsError, parseBenchArgs, USAGE } from './lib/args.ts';
import { forkTs } from './lib/child.ts';
import { entriesFromOutcome } from './lib/collect.ts';
import { checkPostgres, dropScratchDatabasesOf, removeScratchPglitesOf } from './lib/postgres.ts';
import { BenchResultsSchema, machineInfo, type BenchEntry } from './lib/result.ts';
import type { ChildMessage, SuiteContext } from './lib/suite.ts';
import { formatMarkdown } from './lib/markdown.ts';
import { formatTable } from './lib/table.ts';
import { SUITE_NAMES, SUITES } from './suites/index.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(BENCH_DIR, '..');

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2), SUITE_NAMES);
  } catch (error) {
    if (error instanceof ArgsError) {
      log(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.list) {
    for (const suite of SUITES) process.stdout.write(`${suite.name.padEnd(14)} ${suite.description}\n`);
    return 0;
  }

  if (args.markdown) {
    const file = path.resolve(REPO_ROOT, args.out);
    if (!existsSync(file)) {
      log(`error: ${args.out} does not exist yet; run npm run bench first`);
      return 2;
    }
    process.stdout.write(`${formatMarkdown(BenchResultsSchema.parse(JSON.parse(readFileSync(file, 'utf8'))))}\n`);
    return 0;
  }

  const machine = machineInfo();
  const ctx: SuiteContext = {
    quick: args.quick,
    repeats: args.repeats,
    postgresAdminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
  const postgresProblem = await checkPostgres(ctx.postgresAdminUrl).then(
    () => null,
    (error: unknown) =>
      `PostgreSQL at ${ctx.postgresAdminUrl.replace(/:[^:@/]*@/, ':***@')} is unreachable (${(error as Error).message}); start it or set BENCH_DATABASE_URL`,
  );
  if (postgresProblem) log(`warning: ${postgresProblem}`);
  if (!existsSync(ctx.chromiumPath)) log(`warning: Chromium not found at ${ctx.chromiumPath}; set CHROMIUM_PATH`);

  const selected = SUITES.filter((suite) => args.only.length === 0 || args.only.includes(suite.name));
  log(
    `bench: ${selected.map((suite) => suite.name).join(', ')}${args.quick ? ' (quick)' : ''}, ${args.repeats} repeats, ${machine.cpus} cpus, load ${machine.load_avg_1m}`,
  );
  const started = Date.now();
  const entries: BenchEntry[] = [];
  const out = path.resolve(REPO_ROOT, args.out);
  mkdirSync(path.dirname(out), { recursive: true });
  // A result file that does not match its own schema is a harness bug: fail loudly.
  const save = () => writeFileSync(out, `${JSON.stringify(BenchResultsSchema.parse(entries), null, 2)}\n`);
  for (const suite of selected) {
    const timeoutSeconds = args.quick ? suite.timeoutSeconds.quick : suite.timeoutSeconds.full;
    const suiteStarted = Date.now();
    log(`\n== ${suite.name}: ${suite.description}`);
    const { child, done } = forkTs<ChildMessage>(path.join(BENCH_DIR, 'suite-child.ts'), [suite.name, JSON.stringify(ctx)], {
      timeoutMs: timeoutSeconds * 1000,
    });
    const outcome = await done;
    // A suite killed by its timeout cannot clean up after itself; its scratch databases and PGlite
    // directories carry its pid.
    if (!postgresProblem && child.pid !== undefined) {
      const dropped = await dropScratchDatabasesOf(ctx.postgresAdminUrl, child.pid).catch(() => []);
      if (dropped.length > 0) log(`dropped ${dropped.length} scratch database(s) ${suite.name} left behind`);
    }
    if (child.pid !== undefined) {
      const removed = await removeScratchPglitesOf(child.pid).catch(() => []);
      if (removed.length > 0)
        log(`removed ${removed.length} scratch PGlite director${removed.length === 1 ? 'y' : 'ies'} ${suite.name} left behind`);
    }
    const suiteEntries = entriesFromOutcome(suite.name, outcome, machine, timeoutSeconds);
    entries.push(...suiteEntries);
    const errors = suiteEntries.filter((entry) => entry.error);
    // Written after every suite, so a run cut short still leaves what it measured.
    save();
    log(
      `== ${suite.name}: ${errors.length ? `error: ${errors[0]!.error}` : `${suiteEntries.length} entries`} (${((Date.now() - suiteStarted) / 1000).toFixed(0)} s)`,
    );
  }

  save();
  const validated = BenchResultsSchema.parse(entries);
  process.stdout.write(`\n${formatTable(validated)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), out) || out} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
