import type { Command } from 'commander';
import { getContext, printJson, withDb } from '../context.ts';
import { migrate, migrationStatus } from '../../db/migrate.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run from many processes at once)')
    .addHelpText('after', '\nExamples:\n  $ radar migrate\n  $ DATABASE_URL=postgres://radar@localhost/radar radar migrate')
    .action(async () => {
      await withDb(
        async (db) => {
          const applied = await migrate(db);
          process.stderr.write(
            applied.length
              ? `applied ${applied.length} migration(s) to ${db.target}: ${applied.map((m) => `${m.version}_${m.name}`).join(', ')}\n`
              : `${db.target} is up to date\n`,
          );
        },
        { migrate: false },
      );
    });

  const dbCommand = program.command('db').description('inspect and serve the database');

  dbCommand
    .command('status')
    .description('show which database is in use and which migrations are applied or pending')
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', '\nExamples:\n  $ radar db status\n  $ radar db status --json | jq .pending')
    .action(async (options: { json?: boolean }) => {
      await withDb(
        async (db) => {
          const status = await migrationStatus(db);
          if (options.json) {
            printJson({
              database: db.target,
              kind: db.kind,
              applied: status.applied.map((m) => ({ version: m.version, name: m.name, applied_at: m.applied_at })),
              pending: status.pending.map((m) => ({ version: m.version, name: m.name })),
            });
            return;
          }
          const lines = [`database: ${db.target} (${db.kind})`];
          for (const m of status.applied) lines.push(`  applied  ${String(m.version).padStart(4, '0')}_${m.name}  ${new Date(m.applied_at).toISOString()}`);
          for (const m of status.pending) lines.push(`  pending  ${String(m.version).padStart(4, '0')}_${m.name}`);
          if (status.pending.length) lines.push('run `radar migrate` to apply the pending migrations');
          process.stdout.write(`${lines.join('\n')}\n`);
        },
        { migrate: false },
      );
    });

  // Config is validated before any database work, so `radar db` alone still reports bad settings.
  dbCommand.hook('preAction', () => void getContext());
}
