import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRadar } from '../helpers/cli.ts';

describe('radar users', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'radar-users-cli-'));
    delete process.env.DATABASE_URL;
    process.env.RADAR_DATA_DIR = dir;
    process.env.LOG_LEVEL = 'silent';
    // Only `radar migrate` changes the schema; account commands expect a migrated database.
    expect((await runRadar('migrate')).code).toBe(0);
  }, 300_000);
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, lists, resets and disables accounts', async () => {
    const added = await runRadar('users', 'add', '--name', 'lan', '--role', 'provincial', '--province', 'Hà Nội', '--province', 'hcm');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/created provincial "lan" for provinces 1, 79/);
    expect(added.stdout).toMatch(/one-time password: [a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/);
    expect(
      (await runRadar('users', 'add', '--name', 'minh', '--role', 'national', '--password', 'a long enough secret')).stdout,
    ).not.toMatch(/one-time/);

    const list = await runRadar('users', 'list', '--json');
    const users = JSON.parse(list.stdout) as { name: string; role: string; provinces: number[]; mustChangePassword: boolean }[];
    expect(users.map((u) => [u.name, u.role, u.provinces, u.mustChangePassword])).toEqual([
      ['lan', 'provincial', [1, 79], true],
      ['minh', 'national', [], false],
    ]);
    expect((await runRadar('users', 'reset-password', 'minh')).stdout).toMatch(/one-time password for "minh"/);
    expect((await runRadar('users', 'disable', 'lan')).code).toBe(0);
    expect(JSON.parse((await runRadar('users', 'list', '--json')).stdout)[0].disabled).toBe(true);
  }, 300_000);

  it('stops with one line on bad input (exit 2)', async () => {
    const noProvince = await runRadar('users', 'add', '--name', 'xx', '--role', 'provincial');
    expect(noProvince.code).toBe(2);
    expect(noProvince.stderr).toMatch(/provincial user needs --province/);
    const badProvince = await runRadar('users', 'add', '--name', 'yy', '--role', 'provincial', '--province', 'Atlantis');
    expect(badProvince.code).toBe(2);
    expect(badProvince.stderr).toMatch(/unknown province "Atlantis"/);
    const badRole = await runRadar('users', 'add', '--name', 'zz', '--role', 'boss');
    expect(badRole.code).toBe(2);
    expect((await runRadar('users', 'disable', 'nobody')).stderr).toMatch(/no user named "nobody"/);
  }, 300_000);
});

describe('radar console', () => {
  it('serves the login page until stopped by a signal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'radar-console-cli-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const env: NodeJS.ProcessEnv = { ...process.env, RADAR_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const saved = { ...process.env };
    Object.assign(process.env, { RADAR_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    delete process.env.DATABASE_URL;
    expect((await runRadar('migrate')).code).toBe(0);
    process.env = saved;
    const child = spawn(process.execPath, ['bin/radar.mjs', 'console', '--port', String(port)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('Ctrl-C to stop')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(stderr).toContain(`http://127.0.0.1:${port}`);
      const login = await fetch(`http://127.0.0.1:${port}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain('Đăng nhập');
      expect((await fetch(`http://127.0.0.1:${port}/api/leads`)).status).toBe(401);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
