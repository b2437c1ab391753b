import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetContext } from '../../../src/apps/cli/context.ts';
import { loopbackAllowHost, targetFromOptions } from '../../../src/apps/cli/commands/crawl.ts';
import { startSandbox, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { createScratchDatabase, postgresAdminUrl } from '../../helpers/services.ts';
import { runRadar } from '../../helpers/cli.ts';

describe('radar crawl flags', () => {
  it('takes exactly one target', () => {
    expect(targetFromOptions({ query: ' giày nike ' })).toEqual({ mode: 'query', query: 'giày nike' });
    expect(targetFromOptions({ shop: '123' })).toEqual({ mode: 'shop', shopId: '123' });
    expect(targetFromOptions({ url: 'https://tiki.vn/x' })).toEqual({ mode: 'url', url: 'https://tiki.vn/x' });
    expect(() => targetFromOptions({})).toThrow(/one of --query/);
    expect(() => targetFromOptions({ query: 'a', category: 'b' })).toThrow(/only one target/);
    expect(() => targetFromOptions({ url: 'file:///etc/passwd' })).toThrow(/http\(s\) URL/);
    expect(() => targetFromOptions({ query: '  ' })).toThrow(/empty/);
  });

  it('allowlists only loopback base URLs', () => {
    expect(loopbackAllowHost('http://127.0.0.1:4100/tiki')).toBe('127.0.0.1:4100');
    expect(loopbackAllowHost('http://localhost/tiki')).toBe('localhost:80');
    expect(loopbackAllowHost('http://[::1]:9/x')).toBe('[::1]:9');
    expect(loopbackAllowHost('http://10.0.0.1:4100/')).toBeNull();
    expect(loopbackAllowHost('https://tiki.vn')).toBeNull();
  });
});

const adminUrl = await postgresAdminUrl();

// In-process CLI against a scratch database on the real server (fast to open) and the sandbox.
describe.skipIf(!adminUrl)('radar crawl end to end', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let sandbox: RunningSandbox;
  const saved = { ...process.env };

  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    sandbox = await startSandbox({ seed: 3, listings: 300 });
    process.env.DATABASE_URL = scratch.url;
    process.env.RADAR_DATA_DIR = mkdtempSync(path.join(tmpdir(), 'radar-crawl-cli-'));
    process.env.LOG_LEVEL = 'silent';
    // Commands other than `radar migrate` never change the schema (issue 16).
    expect((await runRadar('migrate')).code).toBe(0);
  });
  afterAll(async () => {
    process.env = saved;
    resetContext();
    await sandbox?.close();
    await scratch?.drop();
  });

  it('prints a JSON summary on stdout and progress on stderr', async () => {
    const { code, stdout, stderr } = await runRadar(
      'crawl',
      '--adapter',
      'tiki',
      '--query',
      'son',
      '--max-pages',
      '1',
      '--base-url',
      `${sandbox.url}/tiki`,
      '--requests-per-minute',
      '0',
      '--json',
    );
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'completed', errors: 0 });
    expect(Number(summary.listings)).toBeGreaterThan(0);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['runId', 'status', 'pages', 'listings', 'shops', 'blocked', 'errors', 'removed', 'rejected', 'durationMs']),
    );
    expect(stderr).toMatch(/tiki: pages \d+ +listings \d+/);
  });

  it('exits 3 with a clear message when the marketplace blocks everything', async () => {
    const { code, stderr } = await runRadar(
      'crawl',
      '--adapter',
      'tiki',
      '--url',
      `${sandbox.url}/tiki/api/v2/products?q=son&__fault=block`,
      '--base-url',
      `${sandbox.url}/tiki`,
      '--requests-per-minute',
      '0',
    );
    expect(code).toBe(3);
    expect(stderr).toMatch(/tiki blocked the crawl/);
  });

  it('refuses a private base URL that is not loopback or allowlisted, without crawling', async () => {
    const { code, stdout, stderr } = await runRadar(
      'crawl',
      '--adapter',
      'tiki',
      '--query',
      'son',
      '--base-url',
      'http://10.11.12.13:1/tiki',
      '--json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'failed', pages: 0 });
    expect(stderr).toMatch(/refused|SSRF/i);
  });

  it('explains usage errors in one line with exit code 2', async () => {
    const { code, stderr } = await runRadar('crawl', '--adapter', 'tiki');
    expect(code).toBe(2);
    expect(stderr).toMatch(/one of --query/);
  });
});
