import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../core/errors.ts';
import { wholeNumber } from '../options.ts';
import { getContext, printJson, withDb } from '../context.ts';

function progress(message: string): void {
  process.stderr.write(`radar score: ${message}\n`);
}

/** Resolves the weights `radar scoring use` made active, once, before a run scores anything; returns their version. */
export async function useConfiguredWeights(): Promise<string> {
  const { useActiveWeights } = await import('../../scoring/weights.ts');
  return useActiveWeights(getContext().config.dataDir);
}

export function threshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new UserError(`--threshold must be a number from 0 to 100, got "${value}"`);
  return n;
}

export async function loadCatalogOption(path: string | undefined) {
  const { compileCatalog, loadCatalogFile, loadStarterCatalog } = await import('../../../../scoring/catalog.ts');
  if (!path) return compileCatalog(loadStarterCatalog());
  if (!existsSync(path)) throw new UserError(`catalogue file not found: ${path} (omit --catalog to use catalog/brands.starter.yaml)`);
  try {
    return compileCatalog(loadCatalogFile(path));
  } catch (error) {
    throw new UserError(`${(error as Error).message} — fix the catalogue file and retry`);
  }
}

export function register(program: Command): void {
  program
    .command('score')
    .description('score new and changed listings in the database, write listing_scores, shop addresses, networks and leads')
    .option('--since <time>', 'score listings changed after this ISO time (default: since the last scoring run)')
    .option('--all', 'score every listing')
    .option('--batch <n>', 'listings per batch', wholeNumber('--batch'), 5000)
    .option('--threshold <score>', 'lead threshold, 0–100 (default 70)')
    .option('--json', 'print the run summary as JSON')
    .addHelpText(
      'after',
      `
Scores are 0–100 with reasons; at or above the threshold (default 70) a listing becomes a lead,
above 80 it is a red flag. The brand catalogue comes from the database (radar brands import).
Scoring uses the active weights (\`radar scoring list\`); each score row keeps its version.

Examples:
  $ radar score                       # incremental: listings changed since the last run
  $ radar score --all --batch 10000
  $ radar score --since 2026-11-01T00:00:00Z --json`,
    )
    .action(async (options: { since?: string; all?: boolean; batch: number; threshold?: string; json?: boolean }) => {
      if (options.all && options.since) throw new UserError('use either --all or --since, not both');
      let since: Date | undefined;
      if (options.since) {
        since = new Date(options.since);
        if (Number.isNaN(since.getTime()))
          throw new UserError(`--since must be an ISO time like 2026-11-01T00:00:00Z, got "${options.since}"`);
      }
      await useConfiguredWeights();
      const { runScoreWithLeads: runScore } = await import('../../scoring/run-score.ts');
      const result = await withDb((db) =>
        runScore(db, { all: options.all, since, batch: options.batch, threshold: threshold(options.threshold), onProgress: progress }),
      );
      if (options.json) printJson(result);
      else
        process.stdout.write(
          `scored ${result.listingsScored} listing(s) (${result.mode}), ${result.listingsFlagged} flagged; leads: ${result.leads.listing} listing, ${result.leads.shop} shop, ${result.leads.network} network (${result.leads.created} new, ${result.leads.reflagged} re-flagged); scoring ${result.scoringVersion}\n`,
        );
      // Linked groups too large to be one operator are not merged: say so, with the links to check.
      for (const review of result.networkReview)
        process.stderr.write(
          `radar score: ${review.shops} shops linked around ${review.key} not merged into a network (over the size limit); weakest links: ${review.weakestLinks.slice(0, 3).join('; ')}\n`,
        );
    });

  program
    .command('score-file')
    .description('score a JSON-Lines file offline, with no database')
    .argument('<in>', 'input .jsonl: one {"listing": {...}, "shop": {...}} per line')
    .option('--catalog <file>', 'brand catalogue (JSON or YAML); default catalog/brands.starter.yaml')
    .option('--out <file>', 'write results here instead of stdout')
    .option('--threshold <score>', 'lead threshold, 0–100 (default 70)')
    .addHelpText(
      'after',
      `
Each output line is {"id","score","flagged","reasons":[{"code","weight","detail","en","vi"}],...}.
Invalid input lines are reported on stderr with their line number and skipped.

Examples:
  $ radar score-file listings.jsonl > scores.jsonl
  $ radar score-file listings.jsonl --catalog my-brands.yaml --out scores.jsonl`,
    )
    .action(async (input: string, options: { catalog?: string; out?: string; threshold?: string }) => {
      if (!existsSync(input)) throw new UserError(`input file not found: ${input}`);
      if (statSync(input).isDirectory()) throw new UserError(`${input} is a folder; give one .jsonl file`);
      if (options.out) {
        const folder = path.dirname(path.resolve(options.out));
        if (!existsSync(folder)) throw new UserError(`--out: folder ${folder} does not exist; create it first`);
        if (existsSync(options.out) && statSync(options.out).isDirectory())
          throw new UserError(`--out ${options.out} is a folder; give a file name`);
      }
      const catalog = await loadCatalogOption(options.catalog);
      await useConfiguredWeights();
      const { scoreFile, openOutput } = await import('../../../../scoring/score-file.ts');
      const { DuplicateIds } = await import('../duplicate-ids.ts');
      const target = openOutput(options.out);
      const targetFailed = new Promise<never>((_, reject) =>
        target.once('error', (error: Error) => reject(new UserError(`cannot write ${options.out ?? 'the output'}: ${error.message}`))),
      );
      targetFailed.catch(() => undefined);
      const out = new DuplicateIds();
      out.pipe(target, { end: Boolean(options.out) });
      const summary = await Promise.race([
        targetFailed,
        scoreFile(input, out, {
          catalog,
          threshold: threshold(options.threshold),
          onInvalid: (line, error) => process.stderr.write(`radar score-file: ${input}:${line}: skipped: ${error}\n`),
          onProgress: (lines) => process.stderr.write(`radar score-file: ${lines} lines read\n`),
        }),
      ]);
      await Promise.race([
        targetFailed,
        new Promise<void>((resolve) => {
          if (options.out) target.once('finish', () => resolve());
          else out.once('end', () => resolve());
          out.end();
        }),
      ]);
      if (out.count > 0) {
        process.stderr.write(
          `radar score-file: ${out.count} line(s) repeat an id already seen (e.g. ${out.examples.join(', ')}); each line was scored on its own\n`,
        );
      }
      process.stderr.write(
        `radar score-file: scored ${summary.scored}, flagged ${summary.flagged}, skipped ${summary.invalid} invalid line(s)\n`,
      );
      for (const [what, lines] of Object.entries(summary.coercions))
        process.stderr.write(`radar score-file: coerced ${what} (${lines} line(s))\n`);
      for (const [what, lines] of Object.entries(summary.warnings))
        process.stderr.write(`radar score-file: warning: ${what} (${lines} line(s))\n`);
    });

  const brands = program.command('brands').description('manage the brand catalogue used by scoring');
  brands
    .command('import')
    .description('load a brand catalogue (JSON or YAML) into the database; safe to re-run')
    .argument('<file>', 'catalogue file: brands: [{name, aliases[], categories[], official_shops[], reference_prices[]}]')
    .addHelpText('after', '\nExamples:\n  $ radar brands import catalog/brands.starter.yaml\n  $ radar brands import my-brands.json')
    .action(async (file: string) => {
      if (!existsSync(file)) throw new UserError(`catalogue file not found: ${file} (the starter is catalog/brands.starter.yaml)`);
      const { loadCatalogFile } = await import('../../../../scoring/catalog.ts');
      let catalog;
      try {
        catalog = loadCatalogFile(file);
      } catch (error) {
        throw new UserError(`${(error as Error).message} — fix the catalogue file and retry`);
      }
      const { importBrands } = await import('../../../../scoring/db/brands.ts');
      const result = await withDb((db) => importBrands(db, catalog));
      process.stderr.write(
        `imported ${result.brands} brand(s), ${result.authorisedSellers} authorised seller(s), ${result.referencePrices} reference price(s)\n`,
      );
    });
}
