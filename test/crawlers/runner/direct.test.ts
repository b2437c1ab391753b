import { describe, expect, it } from 'vitest';
import { SessionError } from 'crawlee';
import type { CrawlRequest } from '../../../crawlers/adapter.ts';
import { runDirect } from '../../../crawlers/runner/direct.ts';
import type { RunnerSession } from '../../../crawlers/runner/resources.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const request = (url: string): CrawlRequest => ({ url, kind: 'listing' });
const policy = { maxRetries: 2, maxSessionRotations: 1 };

function sessions() {
  let next = 0;
  return (lane: number): RunnerSession => ({ id: `lane-${lane}-${next++}`, retire: () => undefined });
}

describe('runDirect', () => {
  it('fills every lane with requests a busy lane discovers, and never runs two attempts on one lane at once', async () => {
    const queue = [request('start')];
    const done: string[] = [];
    const busyLanes = new Set<number>();
    let inFlight = 0;
    let maxInFlight = 0;
    await runDirect(queue, 3, policy, {
      async attempt(crawl, _session, lane) {
        expect(busyLanes.has(lane)).toBe(false);
        expect(lane).toBeGreaterThanOrEqual(0);
        expect(lane).toBeLessThan(3);
        busyLanes.add(lane);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        if (crawl.url === 'start') queue.push(...Array.from({ length: 9 }, (_, i) => request(`item-${i}`)));
        await tick();
        inFlight -= 1;
        busyLanes.delete(lane);
        done.push(crawl.url);
      },
      beforeRetry: async () => undefined,
      failed: async () => undefined,
      session: sessions(),
      stopped: () => false,
    });
    expect(done).toHaveLength(10);
    expect(new Set(done).size).toBe(10);
    // One start request, then three lanes at work: a lane count of min(concurrency, start requests) would stay at 1.
    expect(maxInFlight).toBe(3);
  });

  it('retries a blocked request on a fresh session of the same lane and gives up after the rotations', async () => {
    const queue = [request('blocked-once'), request('blocked-always')];
    const attempts: string[] = [];
    const failed: string[] = [];
    let retired = 0;
    await runDirect(queue, 1, policy, {
      async attempt(crawl, session, lane) {
        attempts.push(`${crawl.url}@${lane}`);
        if (crawl.url === 'blocked-always' || attempts.filter((entry) => entry.startsWith('blocked-once')).length === 1) {
          throw new SessionError(`blocked ${session.id}`);
        }
      },
      beforeRetry: async () => undefined,
      failed: async (crawl) => {
        failed.push(crawl.url);
      },
      session: () => ({ id: 'only', retire: () => void (retired += 1) }),
      stopped: () => false,
    });
    expect(attempts).toEqual(['blocked-once@0', 'blocked-once@0', 'blocked-always@0', 'blocked-always@0']);
    expect(failed).toEqual(['blocked-always']);
    expect(retired).toBe(2);
  });

  it('ends at once on an empty queue and starts nothing once stopped', async () => {
    let attempts = 0;
    const hooks = {
      attempt: async () => void (attempts += 1),
      beforeRetry: async () => undefined,
      failed: async () => undefined,
      session: sessions(),
    };
    await runDirect([], 4, policy, { ...hooks, stopped: () => false });
    await runDirect([request('a'), request('b')], 2, policy, { ...hooks, stopped: () => true });
    expect(attempts).toBe(0);
  });
});
