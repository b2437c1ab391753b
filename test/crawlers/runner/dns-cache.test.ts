import { describe, expect, it } from 'vitest';
import { checkUrl, createDnsCache } from '../../../crawlers/runner/ssrf.ts';

describe('createDnsCache', () => {
  it('reuses an answer within the TTL, asks again after it, and shares concurrent lookups', async () => {
    let now = 0;
    const asked: string[] = [];
    const resolve = createDnsCache({ ttlMs: 1_000, now: () => now, resolve: async (host) => (asked.push(host), ['93.184.216.34']) });
    const [a, b] = await Promise.all([resolve('Shop.Example.VN.'), resolve('shop.example.vn')]);
    expect(a).toEqual(['93.184.216.34']);
    expect(b).toEqual(a);
    expect(asked).toEqual(['shop.example.vn']);
    now = 999;
    await resolve('shop.example.vn');
    expect(asked).toHaveLength(1);
    now = 1_001;
    await resolve('shop.example.vn');
    expect(asked).toHaveLength(2);
  });

  it('does not keep failures, and the guard still refuses what the cached answer says is private', async () => {
    let calls = 0;
    const resolve = createDnsCache({
      ttlMs: 60_000,
      resolve: async () => {
        calls += 1;
        if (calls === 1) throw new Error('SERVFAIL');
        return ['10.0.0.7'];
      },
    });
    expect(await checkUrl('http://rebind.example/', { allowHosts: [], resolve })).toMatchObject({ ok: false, reason: /DNS lookup failed/ });
    expect(await checkUrl('http://rebind.example/', { allowHosts: [], resolve })).toMatchObject({ ok: false, reason: /10\.0\.0\.7/ });
    expect(await checkUrl('http://rebind.example/x', { allowHosts: [], resolve })).toMatchObject({ ok: false });
    expect(calls).toBe(2);
  });

  it('forgets the oldest name beyond maxEntries', async () => {
    const asked: string[] = [];
    const resolve = createDnsCache({ ttlMs: 60_000, maxEntries: 2, resolve: async (host) => (asked.push(host), ['1.1.1.1']) });
    for (const host of ['a.vn', 'b.vn', 'c.vn', 'a.vn']) await resolve(host);
    expect(asked).toEqual(['a.vn', 'b.vn', 'c.vn', 'a.vn']);
  });
});
