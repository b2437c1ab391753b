import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { printJson } from '../context.ts';
import { wholeNumber } from '../options.ts';
import { loadCatalogOption, threshold, useConfiguredWeights } from './score.ts';

/** `radar eval`: a developer tool beside the product, the one command that loads the sandbox's truth. */
export function register(program: Command): void {
  program
    .command('eval')
    .description(
      "score the sandbox's ground truth or a labelled file (no crawl) and report precision, recall, F1, ranking (precision@10/50/100, NDCG@50), networks, province routing (share by source) and national routing (share by reason), per pattern, decoy and errors by reason code",
    )
    .option('--seed <n>', 'sandbox world seed', wholeNumber('--seed', { min: 0 }))
    .option(
      '--file <labelled.jsonl>',
      'labelled listings instead of the sandbox: {"label","patterns","hard_negative","listing","shop"} per line',
    )
    .option('--listings <n>', 'listings in the generated world', wholeNumber('--listings'), 5000)
    .option('--threshold <score>', 'lead threshold, 0–100 (default 70)')
    .option('--catalog <file>', 'brand catalogue; default catalog/brands.starter.yaml')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar eval --seed 7 --listings 5000\n  $ radar eval --seed 11 --listings 20000 --threshold 75 --json\n  $ radar eval --file eval/labelled/listings.jsonl --catalog eval/labelled/catalog.yaml',
    )
    .action(async (options: { seed?: number; file?: string; listings: number; threshold?: string; catalog?: string; json?: boolean }) => {
      const { seed, listings, file } = options;
      if ((seed === undefined) === (file === undefined)) throw new UserError('give either --seed N (sandbox) or --file LABELLED.jsonl');
      if (file !== undefined && !existsSync(file)) throw new UserError(`labelled file not found: ${file}`);
      const catalog = await loadCatalogOption(options.catalog);
      const version = await useConfiguredWeights();
      process.stderr.write(`radar eval: scoring ${version}\n`);
      const { evaluateTruth, formatEvalReport, readLabelledFile } = await import('../../../../scoring/eval.ts');
      let records;
      let routing = {};
      if (file !== undefined) {
        try {
          records = readLabelledFile(file);
        } catch (error) {
          throw new UserError(`${(error as Error).message} — fix the labelled file and retry`);
        }
      } else {
        const { sandboxTruth } = await import('../../../devtools/eval-truth.ts');
        process.stderr.write(`radar eval: generating sandbox world seed ${seed} with ${listings} listings\n`);
        records = sandboxTruth(seed!, listings);
        // Route as a crawl sees the sandbox: no location label where the marketplace's pages print none.
        ({ sandboxRouting: routing } = await import('../../../devtools/eval-routing.ts'));
      }
      const report = evaluateTruth(records, { catalog, threshold: threshold(options.threshold), ...routing });
      if (options.json) printJson(report);
      else process.stdout.write(formatEvalReport(report));
    });
}
