import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config/load.ts';
import { UserError } from '../../src/core/errors.ts';

function dirWith(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-config-'));
  writeFileSync(path.join(dir, name), text);
  return dir;
}

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('loadConfig', () => {
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'radar-config-'));

  it('defaults to the embedded database under ./.radar', () => {
    const config = loadConfig({ env: {}, cwd: emptyDir });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./.radar');
    expect(config.logLevel).toBe('info');
    expect(config.chromiumPath).toBe('/usr/bin/chromium');
  });

  it('reads environment variables, splitting lists', () => {
    const config = loadConfig({
      env: { DATABASE_URL: 'postgres://u:p@db:5432/radar', PROXY_URLS: 'http://a:1, http://b:2', LOG_LEVEL: 'debug' },
      cwd: emptyDir,
    });
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/radar');
    expect(config.proxyUrls).toEqual(['http://a:1', 'http://b:2']);
    expect(config.logLevel).toBe('debug');
  });

  it('names the setting and what is expected for a bad DATABASE_URL', () => {
    const error = errorOf(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' }, cwd: emptyDir }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^invalid DATABASE_URL: expected a URL like postgres:\/\//);
    expect(error.message).not.toContain('\n');
  });

  it('rejects an unknown key in the config file with exit code 2', () => {
    const dir = dirWith('radar.config.yaml', 'logLevel: debug\ndatabseUrl: postgres://x/y\n');
    const error = errorOf(() => loadConfig({ env: {}, cwd: dir }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('unknown config key "databseUrl"');
  });

  it('lets the environment override the file', () => {
    const dir = dirWith('radar.config.json', JSON.stringify({ logLevel: 'warn', dataDir: '/data/radar' }));
    const config = loadConfig({ env: { LOG_LEVEL: 'error' }, cwd: dir });
    expect(config.logLevel).toBe('error');
    expect(config.dataDir).toBe('/data/radar');
  });

  it('reports a broken config file instead of throwing a parser stack', () => {
    const dir = dirWith('radar.config.json', '{ "logLevel": ');
    expect(errorOf(() => loadConfig({ env: {}, cwd: dir })).message).toMatch(/is not valid JSON/);
  });
});
