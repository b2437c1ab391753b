import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import type { Queryable } from '../../core/db/types.ts';
import {
  CONSOLE_ROLES,
  countConsoleUsers,
  findConsoleUserByName,
  insertConsoleUser,
  listConsoleUsers,
  setConsoleUserDisabled,
  setConsoleUserPassword,
  type ConsoleRole,
} from '../../core/db/stores/console-users.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { resolveProvince } from './provinces.ts';

export const AddUserSchema = z
  .object({
    /** Login name, unique regardless of case. */
    name: z
      .string()
      .trim()
      .min(2)
      .max(80)
      .regex(/^[\p{L}\p{N}._@ -]+$/u, 'letters, digits, spaces and . _ @ - only'),
    role: z.enum(CONSOLE_ROLES),
    /** Province names or codes (2025 scheme); required for provincial users. */
    provinces: z.array(z.string().min(1)).default([]),
    /** Chosen password; when missing a one-time password is generated and must be changed at first login. */
    password: z.string().min(10).max(200).optional(),
  })
  .refine((u) => u.role !== 'provincial' || u.provinces.length > 0, { message: 'a provincial user needs --province', path: ['provinces'] });

export interface AccountSummary {
  name: string;
  role: ConsoleRole;
  provinces: number[];
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
}

export interface AddedAccount extends AccountSummary {
  /** Only when generated: shown once, never stored in clear. */
  oneTimePassword: string | null;
}

export async function addAccount(db: Queryable, input: z.input<typeof AddUserSchema>): Promise<AddedAccount> {
  const parsed = AddUserSchema.safeParse(input);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.') || 'user'}: ${i.message}`).join('; '));
  const u = parsed.data;
  const provinces = [...new Set(u.provinces.map((p) => resolveProvince(p).code))];
  const oneTime = u.password === undefined ? generatePassword() : null;
  const row = await insertConsoleUser(db, {
    name: u.name,
    role: u.role,
    provinces,
    passwordHash: await hashPassword(u.password ?? oneTime!),
    mustChangePassword: oneTime !== null,
  });
  if (!row) throw new UserError(`a user named "${u.name}" already exists; see \`radar users list\``);
  return { ...summary(row), oneTimePassword: oneTime };
}

function summary(row: {
  name: string;
  role: ConsoleRole;
  provinces: number[];
  disabled_at: Date | null;
  must_change_password: boolean;
  created_at: Date;
}): AccountSummary {
  return {
    name: row.name,
    role: row.role,
    provinces: row.provinces.map(Number),
    disabled: row.disabled_at !== null,
    mustChangePassword: row.must_change_password,
    createdAt: new Date(row.created_at),
  };
}

export async function listAccounts(db: Queryable): Promise<AccountSummary[]> {
  return (await listConsoleUsers(db)).map(summary);
}

export async function disableAccount(db: Queryable, name: string, disabled = true): Promise<void> {
  if (!(await setConsoleUserDisabled(db, name, disabled))) throw new UserError(`no user named "${name}"; see \`radar users list\``);
}

/** Sets a new one-time password (returned) and ends the user's sessions. */
export async function resetAccountPassword(db: Queryable, name: string): Promise<string> {
  const user = await findConsoleUserByName(db, name);
  if (!user) throw new UserError(`no user named "${name}"; see \`radar users list\``);
  const password = generatePassword();
  await setConsoleUserPassword(db, user.id, await hashPassword(password), true);
  return password;
}

/** The demo's first run: an admin with a one-time password, only when no account exists yet. */
export async function ensureFirstAdmin(db: Queryable, name = 'admin'): Promise<AddedAccount | null> {
  if ((await countConsoleUsers(db)) > 0) return null;
  return addAccount(db, { name, role: 'admin' });
}
