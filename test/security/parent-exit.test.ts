// Issue 16, medium: `npx radar worker &` then `kill $!` killed only npm; the worker (and db serve)
// kept running under PID 1. Long-running commands now exit when their parent dies.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisUrl } from '../helpers/services.ts';

const url = await redisUrl();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!url)('a long-running command whose parent dies', () => {
  it('radar dashboard exits when the shell that started it is killed', async () => {
    const env = {
      ...process.env,
      REDIS_URL: url!,
      RADAR_DASHBOARD_TOKEN: '3f9a1c0b7e2d4f6a8b9c0d1e2f3a4b5c6d7e8f90a1b2c3d4',
      RADAR_QUEUE_PREFIX: `sec-parent-${process.pid}`,
      LOG_LEVEL: 'silent',
    };
    // The shell plays npm's part: it starts radar in the background and is the one that gets killed.
    const shell = spawn('sh', ['-c', `node bin/radar.mjs dashboard --port 0 2>&1 & echo "$!"; wait`], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    // The kill comes the moment the dashboard says it listens, with no grace: a command that only
    // started watching its parent after saying so would miss the death.
    const listening = new Promise<void>((resolve, reject) => {
      shell.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/dashboard on /.test(output)) {
          shell.kill('SIGKILL');
          resolve();
        }
      });
      shell.once('exit', () => reject(new Error(`the shell ended early: ${output}`)));
    });
    await listening;
    const pid = Number(output.split('\n')[0]);
    expect(pid).toBeGreaterThan(1);
    while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(pid)).toBe(false);
  }, 90_000);
});
