import type { Command } from 'commander';
import { getContext, printJson } from '../context.ts';

export function register(program: Command): void {
  const keys = program.command('keys').description("the office's Ed25519 signing key for evidence packs");

  keys
    .command('init')
    .description('create the office signing key under RADAR_DATA_DIR/keys (0600) and print its fingerprint to publish')
    .option('--force', 'replace an existing key (packs signed with the old key then need its public key to verify)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar keys init\n  $ radar leads verify-pack pack.zip --trust .radar/keys/office-signing-key.pub.pem',
    )
    .action(async (options: { force?: boolean; json?: boolean }) => {
      const { initOfficeKey } = await import('../../../leads/keys.ts');
      const result = await initOfficeKey(getContext().config.dataDir, { force: options.force });
      if (options.json) return printJson(result);
      process.stderr.write(`${result.created ? 'created' : 'kept the existing'} office signing key ${result.privateKeyPath} (mode 0600)\n`);
      process.stderr.write(`public key to give to verifiers: ${result.publicKeyPath}\n`);
      process.stdout.write(`${result.fingerprint}\n`);
    });

  keys
    .command('show')
    .description("print the fingerprint of the office's signing key (RADAR_SIGNING_KEY or RADAR_DATA_DIR/keys)")
    .action(async () => {
      const { createPublicKey } = await import('node:crypto');
      const { fingerprint, requireSigningKey } = await import('../../../leads/keys.ts');
      const key = requireSigningKey({ dataDir: getContext().config.dataDir, env: process.env.RADAR_SIGNING_KEY });
      process.stdout.write(`${fingerprint(createPublicKey(key))}\n`);
    });
}
