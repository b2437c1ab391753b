import type { Command } from 'commander';
import { withDb } from '../context.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline end to end on a local sandbox marketplace and the embedded database')
    .addHelpText('after', '\nExample:\n  $ npm run demo')
    .action(async () => {
      await withDb(async (db) => {
        process.stderr.write(`database ready: ${db.target}\n`);
      });
    });
}
