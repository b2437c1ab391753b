/**
 * The office's signing key: Ed25519 from node:crypto. The private key lives under RADAR_DATA_DIR
 * (0600) or comes from RADAR_SIGNING_KEY; the public key's fingerprint is what the office publishes
 * so a court, a prosecutor or another province can check a pack came from it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.ts';

export const PRIVATE_KEY_FILE = 'office-signing-key.pem';
export const PUBLIC_KEY_FILE = 'office-signing-key.pub.pem';

export function keysDir(dataDir: string): string {
  return path.resolve(dataDir, 'keys');
}

/** "ed25519:SHA256:" + hex of the SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
export function fingerprint(key: KeyObject): string {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex')}`;
}

/** Base64 of the SPKI DER: how a pack carries the key that signed it. */
export function publicKeyBase64(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

export function publicKeyFromBase64(value: string): KeyObject {
  return createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
}

export interface KeyInit {
  privateKeyPath: string;
  publicKeyPath: string;
  fingerprint: string;
  created: boolean;
}

/** Creates the office key unless one exists (then reports it; `force` replaces it). */
export async function initOfficeKey(dataDir: string, options: { force?: boolean } = {}): Promise<KeyInit> {
  const dir = keysDir(dataDir);
  const privateKeyPath = path.join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = path.join(dir, PUBLIC_KEY_FILE);
  if (existsSync(privateKeyPath) && !options.force) {
    const key = createPublicKey(createPrivateKey(readFileSync(privateKeyPath)));
    return { privateKeyPath, publicKeyPath, fingerprint: fingerprint(key), created: false };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  // writeFile's mode only applies to a new file; a replaced key must be 0600 too.
  await chmod(privateKeyPath, 0o600);
  await writeFile(publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, fingerprint: fingerprint(publicKey), created: true };
}

function parsePrivate(text: string, source: string): KeyObject {
  try {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new UserError(
      `${source} is not an Ed25519 private key in PEM (${(error as Error).message.split('\n')[0]}); make one with \`radar keys init\``,
    );
  }
}

export interface KeySource {
  dataDir: string;
  /** RADAR_SIGNING_KEY: the PEM itself, or a path to it. */
  env?: string | undefined;
}

/** The office's private key, or null when none is configured. */
export function findSigningKey(source: KeySource): KeyObject | null {
  const env = source.env?.trim();
  if (env) {
    if (env.includes('-----BEGIN')) return parsePrivate(env, 'RADAR_SIGNING_KEY');
    if (!existsSync(env)) throw new UserError(`RADAR_SIGNING_KEY names ${env}, which does not exist`);
    return parsePrivate(readFileSync(env, 'utf8'), env);
  }
  const file = path.join(keysDir(source.dataDir), PRIVATE_KEY_FILE);
  return existsSync(file) ? parsePrivate(readFileSync(file, 'utf8'), file) : null;
}

export function requireSigningKey(source: KeySource): KeyObject {
  const key = findSigningKey(source);
  if (!key) throw new UserError('no office signing key: run `radar keys init` (or set RADAR_SIGNING_KEY) before packing evidence');
  return key;
}

/** A trusted public key from a file: a public key PEM (or a private one, whose public half is taken). */
export function readTrustedKey(file: string): KeyObject {
  if (!existsSync(file)) throw new UserError(`--trust ${file}: no such file`);
  const text = readFileSync(file, 'utf8');
  try {
    const key = text.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new UserError(`--trust ${file} is not an Ed25519 public key in PEM (${(error as Error).message.split('\n')[0]})`);
  }
}
