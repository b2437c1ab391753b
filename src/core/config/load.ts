import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { ConfigSchema, type Config } from './schema.ts';

/** Environment variables and the config key each one sets. */
export const ENV_KEYS = {
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
  RADAR_DATA_DIR: 'dataDir',
  LOG_LEVEL: 'logLevel',
  CHROMIUM_PATH: 'chromiumPath',
  PROXY_URLS: 'proxyUrls',
  RADAR_ALLOW_HOSTS: 'allowHosts',
  RADAR_OPERATOR: 'operator',
  RADAR_DASHBOARD_TOKEN: 'dashboardToken',
  RADAR_SMTP_URL: 'smtpUrl',
  RADAR_ALERT_FROM: 'alertFrom',
} as const satisfies Record<string, keyof Config>;

const LIST_KEYS = new Set<string>(['proxyUrls', 'allowHosts']);
const CONFIG_FILE_NAMES = ['radar.config.json', 'radar.config.yaml', 'radar.config.yml'];

export interface LoadConfigOptions {
  /** Environment the RADAR_* and other variables are read from; injectable for tests. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Directory a relative config path is resolved in and radar.config.* is looked for. @default process.cwd() */
  cwd?: string;
  /** Explicit config file. @default `RADAR_CONFIG`, else the first radar.config.{json,yaml,yml} found in `cwd`; with none, env only */
  file?: string;
}

/** Loads, merges and validates the configuration once; throws a one-line UserError on bad input. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const filePath = options.file ?? env.RADAR_CONFIG ?? findConfigFile(cwd);
  const fromFile = filePath ? readConfigFile(path.resolve(cwd, filePath)) : {};
  const fromEnv = readEnv(env);
  const merged = { ...fromFile, ...fromEnv };
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new UserError(describeIssue(result.error.issues[0], filePath, fromEnv));
  }
  return result.data;
}

function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.find((name) => existsSync(path.join(cwd, name)));
}

function readConfigFile(filePath: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch {
    throw new UserError(`config file ${filePath} cannot be read; check the path in RADAR_CONFIG`);
  }
  let parsed: unknown;
  try {
    parsed = filePath.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(`config file ${filePath} is not valid ${filePath.endsWith('.json') ? 'JSON' : 'YAML'}: ${reason}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UserError(`config file ${filePath} must hold an object of settings`);
  }
  return parsed as Record<string, unknown>;
}

function readEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    out[key] = LIST_KEYS.has(key)
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue | undefined, filePath: string | undefined, fromEnv: Record<string, unknown>): string {
  if (!issue) return 'invalid configuration';
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(ConfigSchema.shape).join(', ');
    return `unknown config key ${issue.keys.map((k) => `"${k}"`).join(', ')} in ${filePath ?? 'config'}; known keys: ${known}`;
  }
  const key = String(issue.path[0] ?? '');
  const envName = Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0];
  const setting =
    envName && key in fromEnv
      ? envName
      : `${key}${issue.path.length > 1 ? '.' + issue.path.slice(1).join('.') : ''} in ${filePath ?? 'config'}`;
  return `invalid ${setting}: ${issue.message}`;
}
