import type { Command } from 'commander';
import { getContext, printJson, withDb } from '../context.ts';
import { untilStopped } from '../lifetime.ts';
import { migrate, migrationStatus } from '../../../core/db/migrate.ts';
import { UserError } from '../../../core/errors.ts';
import { redactUrlCredentials } from '../../../core/log/redact.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run from many processes at once)')
    .addHelpText('after', '\nExamples:\n  $ radar migrate\n  $ DATABASE_URL=postgres://radar@localhost/radar radar migrate')
    .action(async () => {
      await withDb(
        async (db) => {
          const applied = await migrate(db);
          const readerPassword = process.env.RADAR_READER_PASSWORD;
          if (readerPassword && db.kind === 'postgres') {
            const { setReaderPassword } = await import('../../../core/db/stores/reader.ts');
            await setReaderPassword(db, readerPassword);
            process.stderr.write('set the password of the read-only role radar_reader from RADAR_READER_PASSWORD\n');
          }
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
          for (const m of status.applied)
            lines.push(`  applied  ${String(m.version).padStart(4, '0')}_${m.name}  ${new Date(m.applied_at).toISOString()}`);
          for (const m of status.pending) lines.push(`  pending  ${String(m.version).padStart(4, '0')}_${m.name}`);
          if (status.pending.length) lines.push('run `radar migrate` to apply the pending migrations');
          process.stdout.write(`${lines.join('\n')}\n`);
        },
        { migrate: false },
      );
    });

  dbCommand
    .command('serve')
    .description('expose the embedded database over the PostgreSQL wire protocol for psql, DBeaver or Metabase')
    .option('--port <port>', 'TCP port', '5433')
    .option('--host <host>', 'interface to bind; anything beyond loopback needs a password', '127.0.0.1')
    .option('--password <password>', 'password clients must send (env RADAR_DB_SERVE_PASSWORD; prefer the variable: arguments show in ps)')
    .option('--read-write', 'serve the live database and allow writes (default: a read-only snapshot)')
    .addHelpText(
      'after',
      // eslint-disable-next-line no-restricted-syntax -- an analyst recipe in help text
      `
Read-only by default: clients see a snapshot taken at start (restart to refresh). Each client gets
its own copy of it, acting as the role radar_reader (SELECT on the analyst tables and views only);
statements that would change role or lift read-only are refused, and a client idle inside a
transaction for 60 s is disconnected. The live database stays free for crawlers and scoring.
A password (RADAR_DB_SERVE_PASSWORD or --password) is required to bind beyond loopback.
With DATABASE_URL set there is nothing to serve: connect to that server directly.

Examples:
  $ radar db serve
  $ psql "postgres://radar_reader@127.0.0.1:5433/postgres?sslmode=disable" -c "SELECT count(*) FROM flagged_listings"
  $ RADAR_DB_SERVE_PASSWORD=$(openssl rand -hex 16) radar db serve --host 0.0.0.0
  $ radar db serve --port 6543 --read-write`,
    )
    .action(async (options: { port: string; host: string; password?: string; readWrite?: boolean }) => {
      const { config } = getContext();
      if (config.databaseUrl) {
        process.stderr.write(
          `DATABASE_URL is set: the database is already reachable at ${redactUrlCredentials(config.databaseUrl)}; connect psql/DBeaver/Metabase there.\n`,
        );
        return;
      }
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 1 || port > 65_535)
        throw new UserError(`--port must be a port number from 1 to 65535, got "${options.port}"`);
      const { serveEmbedded } = await import('../../../leads/serve.ts');
      const server = await serveEmbedded({
        dataDir: config.dataDir,
        port,
        host: options.host,
        readWrite: options.readWrite,
        password: options.password ?? (process.env.RADAR_DB_SERVE_PASSWORD || undefined),
        onProgress: (message) => process.stderr.write(`radar db serve: ${message}\n`),
      }).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (/EADDRINUSE/.test(message)) throw new UserError(`port ${port} on ${options.host} is in use; pick another with --port`);
        throw error;
      });
      process.stderr.write(
        `radar db serve: ${server.readWrite ? 'read-write' : 'read-only snapshot'} at ${server.url}\n  psql "${server.url}"\n  Ctrl-C to stop\n`,
      );
      await untilStopped();
      await server.stop();
    });

  // Config is validated before any database work, so `radar db` alone still reports bad settings.
  dbCommand.hook('preAction', () => void getContext());
}
