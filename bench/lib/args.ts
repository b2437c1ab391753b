import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Smaller data and fewer pages so the whole run fits in 3 minutes; each entry says what it used in `params`. */
  quick: boolean;
  /** Suite names to run; empty = all. */
  only: string[];
  /** Repetitions per measurement (median reported); at least 3. */
  repeats: number;
  /** Where the JSON results go. */
  out: string;
  help: boolean;
  list: boolean;
  /** Print the existing results file (`--out`) as a Markdown table and exit, measuring nothing. */
  markdown: boolean;
}

export const DEFAULT_OUT = 'bench/results/latest.json';

export class ArgsError extends Error {}

/** Parses `npm run bench -- [--quick] [--only NAME[,NAME]]...`; unknown names are an error listing the known ones. */
export function parseBenchArgs(argv: readonly string[], knownSuites: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true, default: [] },
        repeats: { type: 'string' },
        out: { type: 'string', default: DEFAULT_OUT },
        help: { type: 'boolean', short: 'h', default: false },
        list: { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new ArgsError(`${(error as Error).message}. Try: npm run bench -- --help`);
  }
  const { values } = parsed;
  const only = (values.only ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  for (const name of only) {
    if (!knownSuites.includes(name)) {
      throw new ArgsError(`unknown suite "${name}"; known suites: ${knownSuites.join(', ')}`);
    }
  }
  let repeats = 3;
  if (values.repeats !== undefined) {
    repeats = Number(values.repeats);
    if (!Number.isInteger(repeats) || repeats < 3) {
      throw new ArgsError(`--repeats must be an integer >= 3 (a median of fewer runs is noise), got "${values.repeats}"`);
    }
  }
  return {
    quick: values.quick ?? false,
    only,
    repeats,
    out: values.out ?? DEFAULT_OUT,
    help: values.help ?? false,
    list: values.list ?? false,
    markdown: values.markdown ?? false,
  };
}

export const USAGE = `Usage: npm run bench -- [--quick] [--only NAME[,NAME]] [--repeats N] [--out FILE] [--list]

Runs the benchmark suites, prints a table and writes ${DEFAULT_OUT}.
Every speed is compared with a baseline measured in the same run on the same data.

Options:
  --quick         smaller data (each entry's params say how much); whole run < 3 min
  --only NAME     run only these suites (repeat the flag or separate with commas)
  --repeats N     repetitions per measurement, median reported (default 3, minimum 3)
  --out FILE      where to write the JSON results (default ${DEFAULT_OUT})
  --list          list the suites and exit
  --markdown      print the results file as a Markdown table (for bench/README.md) and exit

Examples:
  npm run bench -- --quick
  npm run bench -- --only ingest --quick
  npm run bench -- --only crawl-static,crawl-browser

Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/postgres),
Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379) and Chromium at CHROMIUM_PATH (default /usr/bin/chromium).
A suite whose service or code is missing reports an entry with "error" and the run goes on.`;
