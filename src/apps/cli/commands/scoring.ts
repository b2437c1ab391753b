import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { getContext, printJson, withDb } from '../context.ts';
import { wholeNumber } from '../options.ts';
import { loadCatalogOption, threshold } from './score.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `radar scoring`: fitted signal weights — fit from verdicts, list, show, and switch the active version. */
export function register(program: Command): void {
  const scoring = program
    .command('scoring')
    .description('signal weights: fit them from analysts’ verdicts, list and show versions, choose the active one');

  scoring
    .command('fit')
    .description('fit the signal weights from confirmed and dismissed leads (and labelled files); writes a new version, never activates it')
    .option('--from-verdicts', 'train on the database’s listing leads that are confirmed, referred (counterfeit) or dismissed (not)')
    .option('--labels <file>', 'labelled JSON-Lines file (eval/labelled/listings.jsonl shape); repeatable', collect, [])
    .option('--catalog <file>', 'brand catalogue the labelled files are scored with; default catalog/brands.starter.yaml')
    .option('--seed <n>', 'seed of the held-out split and folds', wholeNumber('--seed', { min: 0 }), 1)
    .option('--folds <k>', 'cross-validation folds', wholeNumber('--folds', { min: 2 }), 5)
    .option('--threshold <score>', 'lead threshold for precision and recall, 0–100 (default 70)')
    .option('--dry-run', 'fit and report, write nothing')
    .option('--json', 'print the result (report included) as JSON')
    .addHelpText(
      'after',
      `
The model is the scorer's own: each reason code's evidence points get a factor, a listing's
probability is the noisy-OR score (1 − e^(−E/s)), and the factors are fitted by regularised
maximum likelihood (L2 towards the built-in weights, strength chosen by k-fold cross-validation).
A stratified fifth is held out; the report gives precision, recall, precision@50, Brier score,
log loss and a reliability table before (the active weights) and after, per fold and held out.
Verdicts exist only for leads, so a penalty is accepted only if its fit flags at most 5% more of the
database's unreviewed listings than the active weights do.
The file goes to RADAR_DATA_DIR/scoring/weights/<version>.json. With fewer than 200 verdicts
and labelled listings it says so in one line, writes nothing and exits 2.

Examples:
  $ radar scoring fit --from-verdicts
  $ radar scoring fit --from-verdicts --labels eval/labelled/listings.jsonl --catalog eval/labelled/catalog.yaml --json
  $ radar scoring use v2.0.0-fit.1a2b3c4d && radar score --all`,
    )
    .action(
      async (options: {
        fromVerdicts?: boolean;
        labels: string[];
        catalog?: string;
        seed: number;
        folds: number;
        threshold?: string;
        dryRun?: boolean;
        json?: boolean;
      }) => {
        if (!options.fromVerdicts && options.labels.length === 0) throw new UserError('give --from-verdicts, --labels FILE, or both');
        for (const file of options.labels) if (!existsSync(file)) throw new UserError(`labelled file not found: ${file}`);
        const catalog = await loadCatalogOption(options.catalog);
        const { runFit } = await import('../../scoring/fit.ts');
        const { dataDir } = getContext().config;
        const settings = {
          dataDir,
          labels: options.labels,
          catalog,
          seed: options.seed,
          folds: options.folds,
          threshold: threshold(options.threshold),
          dryRun: options.dryRun,
        };
        const result = options.fromVerdicts ? await withDb((db) => runFit({ ...settings, db })) : await runFit(settings);
        if (result.status === 'too_few') {
          if (options.json) printJson(result);
          throw new UserError(`scoring fit: ${result.message}`);
        }
        const unreviewed = result.report.unreviewed;
        if (unreviewed && unreviewed.flaggedAfter > unreviewed.limit)
          process.stderr.write(
            `radar scoring fit: warning: even the strongest penalty flags ${unreviewed.flaggedAfter} of ${unreviewed.listings} unreviewed listings (now ${unreviewed.flaggedBefore}); check \`radar eval\` before using it\n`,
          );
        if (options.json) printJson(result);
        else {
          const { formatFitReport } = await import('../../../../scoring/fit/report.ts');
          process.stdout.write(formatFitReport(result.report, { version: result.version, before: result.before, file: result.file }));
        }
      },
    );

  scoring
    .command('use')
    .description('make a scoring version active for every later scoring run (score, score-file, eval, the queue)')
    .argument('<version>', 'a version from `radar scoring list`, or the built-in one (v2.0.0)')
    .addHelpText(
      'after',
      '\nScores keep the version they were computed with; `radar score` after a switch rescores everything under the new one.\n\nExamples:\n  $ radar scoring use v2.0.0-fit.1a2b3c4d\n  $ radar scoring use v2.0.0   # back to the built-in weights',
    )
    .action(async (version: string) => {
      const { loadWeights, setActiveVersion, weightsDir } = await import('../../../../scoring/fit/weights-store.ts');
      const { BUILTIN_SCORING_VERSION } = await import('../../../../scoring/weights.ts');
      const { dataDir } = getContext().config;
      if (version !== BUILTIN_SCORING_VERSION) {
        let file;
        try {
          file = loadWeights(dataDir, version);
        } catch (error) {
          throw new UserError((error as Error).message);
        }
        if (!file) throw new UserError(`no scoring version ${version} in ${weightsDir(dataDir)}; see \`radar scoring list\``);
      }
      setActiveVersion(dataDir, version);
      process.stderr.write(`scoring version ${version} is active; run \`radar score\` to rescore under it\n`);
    });

  scoring
    .command('list')
    .description('list the built-in and fitted scoring versions; * marks the active one')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const { activeVersion, listWeights } = await import('../../../../scoring/fit/weights-store.ts');
      const { BUILTIN_SCORING_VERSION } = await import('../../../../scoring/weights.ts');
      const { dataDir } = getContext().config;
      const active = activeVersion(dataDir);
      const { files, problems } = listWeights(dataDir);
      const rows = [
        {
          version: BUILTIN_SCORING_VERSION,
          active: active === BUILTIN_SCORING_VERSION,
          createdAt: null as string | null,
          heldOutPrecisionAt50: null as number | null,
        },
        ...files.map((f) => ({
          version: f.version,
          active: active === f.version,
          createdAt: f.created_at,
          heldOutPrecisionAt50: heldOutP50(f.report),
        })),
      ];
      for (const problem of problems) process.stderr.write(`radar scoring list: skipped ${problem}\n`);
      if (options.json) printJson(rows);
      else
        for (const row of rows)
          process.stdout.write(
            `${row.active ? '*' : ' '} ${row.version}${row.createdAt ? `  fitted ${row.createdAt}` : '  built-in'}${row.heldOutPrecisionAt50 === null ? '' : `  held-out p@50 ${row.heldOutPrecisionAt50.toFixed(3)}`}\n`,
          );
    });

  scoring
    .command('show')
    .description('print a scoring version’s factors and fit report (default: the active version)')
    .argument('[version]', 'version to show')
    .option('--json', 'print the weights file as JSON')
    .action(async (version: string | undefined, options: { json?: boolean }) => {
      const { activeVersion, loadWeights } = await import('../../../../scoring/fit/weights-store.ts');
      const { BUILTIN_SCORING_VERSION } = await import('../../../../scoring/weights.ts');
      const { dataDir } = getContext().config;
      const name = version ?? activeVersion(dataDir);
      if (name === BUILTIN_SCORING_VERSION) {
        if (options.json) printJson({ version: name, base: name, multipliers: {} });
        else process.stdout.write(`${name}: the built-in weights (scoring/config.ts); every factor is 1\n`);
        return;
      }
      let file;
      try {
        file = loadWeights(dataDir, name);
      } catch (error) {
        throw new UserError((error as Error).message);
      }
      if (!file) throw new UserError(`no scoring version ${name}; see \`radar scoring list\``);
      if (options.json) {
        printJson(file);
        return;
      }
      const { formatFitReport, isFitReport } = await import('../../../../scoring/fit/report.ts');
      process.stdout.write(`${file.version} (base ${file.base}), fitted ${file.created_at}\n`);
      if (isFitReport(file.report))
        process.stdout.write(
          formatFitReport(file.report, {
            version: file.version,
            before: typeof file.training.before === 'string' ? file.training.before : file.base,
          }),
        );
      else for (const [code, factor] of Object.entries(file.multipliers)) process.stdout.write(`  ${code.padEnd(32)} ${factor}\n`);
    });
}

function heldOutP50(report: unknown): number | null {
  const value = (report as { heldOut?: { after?: { precisionAt50?: unknown } } } | undefined)?.heldOut?.after?.precisionAt50;
  return typeof value === 'number' ? value : null;
}
