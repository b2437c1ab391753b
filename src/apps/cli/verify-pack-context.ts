import { existsSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Queryable } from '../../core/db/types.ts';
import type { VerifyPackOptions, VerifyPackResult } from '../../leads/verify-pack.ts';
import { getContext, withDb } from './context.ts';

/**
 * verify-pack's surroundings: the trusted keys (`--trust`, else the office's own) and the database,
 * used when DATABASE_URL is set or the embedded one already exists, so checking a pack on a machine
 * without radar's database does not create one.
 */
export async function verifyWithConfig(
  file: string,
  options: { trust?: string[]; useDb: boolean },
  verify: (file: string, options: VerifyPackOptions) => Promise<VerifyPackResult>,
): Promise<VerifyPackResult> {
  const { config } = getContext();
  const { findSigningKey, readTrustedKey } = await import('../../leads/keys.ts');
  const { createPublicKey } = await import('node:crypto');
  let trustedKeys: KeyObject[];
  if (options.trust?.length) trustedKeys = options.trust.map(readTrustedKey);
  else {
    const own = findSigningKey({ dataDir: config.dataDir, env: process.env.RADAR_SIGNING_KEY });
    trustedKeys = own ? [createPublicKey(own)] : [];
  }
  const hasDb = options.useDb && (config.databaseUrl !== undefined || existsSync(path.resolve(config.dataDir, 'pgdata')));
  if (!hasDb) return verify(file, { trustedKeys });
  return withDb((db: Queryable) => verify(file, { trustedKeys, db }));
}
