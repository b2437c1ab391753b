// Issue 16, low: the dashboard echoed its token into the cookie, accepted a 16-character token
// of one repeated letter, and gave no warning on --host 0.0.0.0.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindWarning, startDashboard, weakTokenReason, type RunningDashboard } from '../../src/apps/queue/dashboard.ts';
import { QueueSet } from '../../src/apps/queue/queues.ts';
import { redisUrl } from '../helpers/services.ts';

describe('dashboard token rules', () => {
  it.each([['aaaaaaaaaaaaaaaa'], ['abababababababab'], ['abcdabcdabcdabcd'], ['short'], ['']])('refuses the weak token %j', (token) => {
    expect(weakTokenReason(token)).not.toBeNull();
  });
  it('accepts a generated token', () => {
    expect(weakTokenReason('3f9a1c0b7e2d4f6a8b9c0d1e2f3a4b5c6d7e8f90a1b2c3d4')).toBeNull();
  });
  it('warns when bound beyond loopback', () => {
    expect(bindWarning('0.0.0.0')).toMatch(/beyond loopback/);
    expect(bindWarning('::')).toMatch(/beyond loopback/);
    expect(bindWarning('127.0.0.1')).toBeNull();
    expect(bindWarning('::1')).toBeNull();
  });
});

const url = await redisUrl();

describe.skipIf(!url)('dashboard cookie', () => {
  const token = '3f9a1c0b7e2d4f6a8b9c0d1e2f3a4b5c6d7e8f90a1b2c3d4';
  let redis: Redis;
  let queues: QueueSet;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    redis = new Redis(url!, { maxRetriesPerRequest: null });
    queues = new QueueSet(redis, `sec-dash-${process.pid}`);
    dashboard = await startDashboard({ queues, token, port: 0 });
  });
  afterAll(async () => {
    await dashboard?.close();
    await queues?.close();
    redis?.disconnect();
  });

  it('refuses a weak token at start', async () => {
    await expect(startDashboard({ queues, token: 'a'.repeat(16), port: 0 })).rejects.toThrow(/too weak/);
  });

  it('logs in with ?token= and sets a session cookie that is not the token', async () => {
    const login = await fetch(`${dashboard.url}?token=${token}`, { redirect: 'manual' });
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^radar_dashboard=/);
    expect(cookie).not.toContain(token);
    const session = cookie.split(';')[0]!;
    expect((await fetch(dashboard.url, { headers: { cookie: session } })).status).not.toBe(401);
    expect((await fetch(dashboard.url, { headers: { cookie: 'radar_dashboard=forged' } })).status).toBe(401);
    expect((await fetch(dashboard.url)).status).toBe(401);
  });
});
