// First, so it records the parent the CLI started under before any command runs.
import './lifetime.ts';
import { Command, CommanderError } from 'commander';
import { isUserError } from '../../core/errors.ts';
import { safeMessage } from './messages.ts';
import { register as registerDb } from './commands/db.ts';
import { register as registerDemo } from './commands/demo.ts';
import { register as registerSandbox } from './commands/sandbox.ts';
import { register as registerCrawl } from './commands/crawl.ts';
import { register as registerExtract } from './commands/extract.ts';
import { register as registerScore } from './commands/score.ts';
import { register as registerEval } from './commands/eval.ts';
import { register as registerScoring } from './commands/scoring.ts';
import { register as registerAddress } from './commands/address.ts';
import { register as registerLeads } from './commands/leads.ts';
import { register as registerQueue } from './commands/queue.ts';
import { register as registerKeys } from './commands/keys.ts';
import { register as registerEvidence } from './commands/evidence.ts';
import { register as registerConsole } from './commands/console.ts';
import { register as registerUsers } from './commands/users.ts';
import { register as registerAlerts } from './commands/alerts.ts';
import { register as registerWatch } from './commands/watch.ts';
import { register as registerSellers } from './commands/sellers.ts';

/**
 * Every command module adds its commands here. Modules import their heavy dependencies
 * (crawlee, Playwright, BullMQ) lazily inside actions, so `radar --help` stays instant.
 */
const COMMAND_MODULES: ((program: Command) => void)[] = [
  registerDb,
  registerDemo,
  registerSandbox,
  registerCrawl,
  registerExtract,
  registerScore,
  registerEval,
  registerScoring,
  registerAddress,
  registerLeads,
  registerQueue,
  registerKeys,
  registerEvidence,
  registerConsole,
  registerUsers,
  registerAlerts,
  registerWatch,
  registerSellers,
];

export function buildProgram(): Command {
  const program = new Command('radar')
    .description(
      'counterfeit-radar: crawl Vietnamese marketplaces, score listings and shops for counterfeit risk, and export explained leads.',
    )
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage and examples)')
    .addHelpText(
      'after',
      `
Configuration comes from environment variables (DATABASE_URL, REDIS_URL, RADAR_DATA_DIR, LOG_LEVEL,
CHROMIUM_PATH, PROXY_URLS, RADAR_ALLOW_HOSTS) or radar.config.json|yaml in the current folder.
Without DATABASE_URL, radar uses an embedded PostgreSQL under ./.radar.

Start here:
  $ radar demo              # the whole pipeline on a local sandbox marketplace
  $ radar <command> --help  # every command has examples

Exit codes: 0 success, 1 failure (the work could not be done), 2 user error (bad flag, input or
setup; one line says what to fix), 3 blocked (the marketplace blocked the crawl).`,
    )
    // Usage errors echo what was typed: escape control characters and cut long input there too.
    .configureOutput({ writeErr: (text) => process.stderr.write(safeMessage(text, { keepNewlines: true })) });
  for (const registerModule of COMMAND_MODULES) registerModule(program);
  program.commands.forEach(applyErrorHandling);
  return program;
}

function applyErrorHandling(command: Command): void {
  command.exitOverride();
  command.commands.forEach(applyErrorHandling);
}

/** Runs the CLI and returns the exit code. Errors the user can fix print one line and no stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUserError(error)) {
      process.stderr.write(`radar: ${safeMessage(error.message)}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `radar: unexpected error: ${safeMessage(error instanceof Error ? (error.stack ?? error.message) : String(error), { keepNewlines: true })}\n`,
    );
    return 1;
  }
}
