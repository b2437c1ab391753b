import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { withDb } from '../context.ts';
import { wholeNumber } from '../options.ts';

export function register(program: Command): void {
  program
    .command('console')
    .description('serve the analyst console (Vietnamese first, English toggle) against the configured database')
    .option('--port <port>', 'TCP port', wholeNumber('--port', { min: 1 }), 3000)
    .option('--host <host>', 'interface to bind; put TLS in front before exposing it beyond loopback', '127.0.0.1')
    .option('--secure-cookies', 'always mark cookies Secure (the console is served over HTTPS by a proxy)')
    .option('--trust-proxy', 'trust X-Forwarded-Proto/For from a reverse proxy (then TLS requests get Secure cookies)')
    .addHelpText(
      'after',
      `
Log in with an account made by \`radar users add\` (the demo makes a first admin and prints its
one-time password). Provincial users see only their provinces: PostgreSQL row-level security
enforces it for every page, API and export.

Examples:
  $ radar users add --name lan --role provincial --province "Hà Nội"
  $ radar console --port 3000
  $ DATABASE_URL=postgres://radar:radar@localhost/radar radar console --host 0.0.0.0 --trust-proxy`,
    )
    .action(async (options: { port: number; host: string; secureCookies?: boolean; trustProxy?: boolean }) => {
      if (options.port > 65_535) throw new UserError(`--port must be a port number from 1 to 65535, got "${options.port}"`);
      const { startConsole } = await import('../../console/server.ts');
      const { evidenceDir } = await import('../../../../crawlers/runner/evidence.ts');
      await withDb(async (db, ctx) => {
        const server = await startConsole({
          db,
          host: options.host,
          port: options.port,
          secureCookies: options.secureCookies,
          trustProxy: options.trustProxy,
          evidenceDir: evidenceDir(ctx.config.dataDir),
          signingKey: (await import('../../../leads/keys.ts')).findSigningKey({
            dataDir: ctx.config.dataDir,
            env: process.env.RADAR_SIGNING_KEY,
          }),
          requestCapture: async (listings) => {
            // In-process capture, one listing at a time; a worker fleet does the same through the evidence queue.
            const { captureEvidence } = await import('../../../../crawlers/runner/evidence.ts');
            for (const listing of listings) {
              await captureEvidence({ url: listing.url, listingId: listing.id }, { db, config: ctx.config, log: ctx.log }).catch(
                (error: unknown) => ctx.log.warn({ err: error, listingId: listing.id }, 'evidence capture failed'),
              );
            }
          },
        }).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          if (/EADDRINUSE/.test(message))
            throw new UserError(`port ${options.port} on ${options.host} is in use; pick another with --port`);
          throw error;
        });
        process.stderr.write(
          `radar console: ${server.url} (database: ${db.target}, evidence: ${path.relative(process.cwd(), evidenceDir(ctx.config.dataDir)) || '.'})\n  Ctrl-C to stop\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.close();
      });
    });
}
