import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, parseRetryAfter, retryDelay, RetryableFetchError } from '../../../crawlers/runner/retry.ts';
import { DomainRateLimiter } from '../../../crawlers/runner/rate-limit.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('clamps absurd waits and ignores garbage', () => {
    expect(parseRetryAfter('999999', now)).toBe(120_000);
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
  it('never throws and never returns a negative or unbounded wait', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ms = parseRetryAfter(text, now);
        expect(ms === null || (ms >= 0 && ms <= 120_000)).toBe(true);
      }),
    );
  });
});

describe('backoff', () => {
  it('grows exponentially within jitter bounds and respects the cap', () => {
    expect(backoffDelay(1, { baseMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { baseMs: 100, random: () => 0.999999 })).toBe(100);
    expect(backoffDelay(4, { baseMs: 100, random: () => 0 })).toBe(400);
    expect(backoffDelay(30, { baseMs: 100, maxMs: 1000, random: () => 0.999999 })).toBe(1000);
  });
  it('prefers the server Retry-After over backoff', () => {
    expect(retryDelay(new RetryableFetchError('429', 429, 7000), 1)).toBe(7000);
    expect(retryDelay(new Error('reset'), 1, { baseMs: 100, random: () => 0 })).toBe(50);
  });
});

describe('DomainRateLimiter', () => {
  it('spaces requests per host and leaves other hosts alone', () => {
    let clock = 0;
    const limiter = new DomainRateLimiter(60, () => clock);
    expect(limiter.reserve('a')).toBe(0);
    expect(limiter.reserve('a')).toBe(1000);
    expect(limiter.reserve('a')).toBe(2000);
    expect(limiter.reserve('b')).toBe(0);
    clock = 5000;
    expect(limiter.reserve('a')).toBe(0);
  });
  it('does nothing when unlimited', () => {
    const limiter = new DomainRateLimiter(0);
    expect([limiter.reserve('a'), limiter.reserve('a')]).toEqual([0, 0]);
  });
});
