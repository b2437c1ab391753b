import type { Command } from 'commander';
import { printJson, withDb } from '../context.ts';

function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

export function register(program: Command): void {
  const users = program
    .command('users')
    .description('manage analyst console accounts (roles: admin, national, provincial, viewer)')
    .addHelpText(
      'after',
      `
Roles: admin and national see every province; provincial sees only its --province list; viewer
reads (every province, or its --province list) and changes nothing.

Examples:
  $ radar users add --name lan --role provincial --province "Hà Nội" --province 79
  $ radar users add --name minh --role national
  $ radar users list
  $ radar users reset-password lan
  $ radar users disable lan`,
    );

  users
    .command('add')
    .description('create an account; prints a one-time password unless --password is given')
    .requiredOption('--name <name>', 'login name (unique, case-insensitive)')
    .requiredOption('--role <role>', 'admin, national, provincial or viewer')
    .option('--province <name|code>', 'a 2025 province (repeat, or comma-separate); required for provincial', collect, [])
    .option('--password <password>', 'choose the password instead of a one-time one (at least 10 characters)')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; role: string; province: string[]; password?: string; json?: boolean }) => {
      const { addAccount } = await import('../../console/accounts.ts');
      await withDb(async (db) => {
        const user = await addAccount(db, {
          name: options.name,
          role: options.role as 'admin',
          provinces: options.province,
          password: options.password,
        });
        if (options.json) return printJson(user);
        process.stdout.write(
          `created ${user.role} "${user.name}"${user.provinces.length ? ` for provinces ${user.provinces.join(', ')}` : ''}\n` +
            (user.oneTimePassword ? `one-time password: ${user.oneTimePassword}  (must be changed at first login)\n` : ''),
        );
      });
    });

  users
    .command('list')
    .description('list accounts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { listAccounts } = await import('../../console/accounts.ts');
      const { renderTable } = await import('../../../leads/table.ts');
      await withDb(async (db) => {
        const rows = await listAccounts(db);
        if (options.json) return printJson(rows);
        process.stdout.write(
          renderTable(
            ['name', 'role', 'provinces', 'disabled', 'must_change_password', 'created_at'],
            rows.map((u) => [u.name, u.role, u.provinces.join(','), u.disabled, u.mustChangePassword, u.createdAt.toISOString()]),
          ),
        );
      });
    });

  users
    .command('disable')
    .description('disable an account and end its sessions')
    .argument('<name>', 'login name')
    .option('--enable', 'enable it again instead')
    .action(async (name: string, options: { enable?: boolean }) => {
      const { disableAccount } = await import('../../console/accounts.ts');
      await withDb(async (db) => {
        await disableAccount(db, name, !options.enable);
        process.stdout.write(`${options.enable ? 'enabled' : 'disabled'} "${name}"\n`);
      });
    });

  users
    .command('reset-password')
    .description("set a new one-time password (printed once) and end the account's sessions")
    .argument('<name>', 'login name')
    .action(async (name: string) => {
      const { resetAccountPassword } = await import('../../console/accounts.ts');
      await withDb(async (db) => {
        const password = await resetAccountPassword(db, name);
        process.stdout.write(`one-time password for "${name}": ${password}  (must be changed at first login)\n`);
      });
    });
}
