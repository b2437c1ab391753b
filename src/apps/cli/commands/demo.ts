import type { Command } from 'commander';
import { wholeNumber } from '../options.ts';
import { getContext } from '../context.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline end to end: sandbox marketplace → crawl → score → leads → exports and an evidence pack')
    .option('--seed <n>', 'sandbox world seed', wholeNumber('--seed', { min: 0 }), 2026)
    .option('--listings <n>', 'listings in the sandbox world', wholeNumber('--listings'), 5000)
    .option('--max-pages <n>', 'result pages per crawl target', wholeNumber('--max-pages'), 20)
    .option('--out <dir>', 'where the exports and the evidence pack go', 'exports')
    .addHelpText(
      'after',
      `
Uses DATABASE_URL when set, otherwise the embedded PostgreSQL under RADAR_DATA_DIR (./.radar).
Running it again is safe: the same counts, no duplicate leads, analyst statuses kept.
Ctrl-C leaves the database consistent; the next run says whether it resumes or starts clean.

Examples:
  $ npm run demo
  $ npx radar demo --listings 20000 --out /tmp/radar-exports`,
    )
    .action(async (options: { seed: number; listings: number; maxPages: number; out: string }) => {
      const ctx = getContext();
      const { runDemo } = await import('../../demo/run-demo.ts');
      const controller = new AbortController();
      const onSignal = () => {
        process.stderr.write('\nstopping: finishing in-flight writes, then closing the database cleanly…\n');
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await runDemo(
          {
            seed: options.seed,
            listings: options.listings,
            maxPages: options.maxPages,
            outDir: options.out,
            signal: controller.signal,
          },
          {
            config: ctx.config,
            log: ctx.log,
            progress: (line) => process.stderr.write(`${line}\n`),
            print: (text) => process.stdout.write(text),
          },
        );
        if (result.interrupted) {
          process.stderr.write('interrupted: the database is consistent; run `npm run demo` again to resume\n');
          process.exitCode = 130;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
