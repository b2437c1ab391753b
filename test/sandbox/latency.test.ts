import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, MAX_LATENCY_MS } from '../../src/devtools/sandbox/index.ts';

/** One GET on a fresh connection with node:http (no client-side timers that fake timers would freeze). */
function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** Lets real I/O run for a while without touching the (faked) setTimeout. */
async function turns(count: number, until: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < count && !until(); i++) await new Promise((resolve) => setImmediate(resolve));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('latencyMs', () => {
  it('rejects values that are not whole milliseconds in range', async () => {
    for (const bad of [-1, 1.5, Number.NaN, MAX_LATENCY_MS + 1]) {
      await expect(startSandbox({ seed: 7, listings: 20, latencyMs: bad })).rejects.toThrow(/latencyMs/u);
    }
  });

  it('holds each response on a timer for exactly latencyMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const running = await startSandbox({ seed: 7, listings: 20, latencyMs: 250 });
    try {
      let answered = false;
      const pending = status(`${running.url}/tiki/robots.txt`).then((code) => {
        answered = true;
        return code;
      });
      await turns(10_000, () => running.stats().requests === 1);
      expect(running.stats().requests).toBe(1);
      // The handler has run; without the delay the response would arrive within a few loop turns.
      await turns(200, () => answered);
      expect(answered).toBe(false);
      expect(vi.getTimerCount()).toBeGreaterThanOrEqual(1);
      vi.advanceTimersByTime(249);
      await turns(200, () => answered);
      expect(answered).toBe(false);
      vi.advanceTimersByTime(1);
      expect(await pending).toBe(200);
    } finally {
      vi.useRealTimers();
      await running.close();
    }
  });

  it('sends at once by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const running = await startSandbox({ seed: 7, listings: 20 });
    try {
      let answered = false;
      const pending = status(`${running.url}/tiki/robots.txt`).then((code) => {
        answered = true;
        return code;
      });
      await turns(10_000, () => answered);
      expect(answered).toBe(true);
      expect(await pending).toBe(200);
    } finally {
      vi.useRealTimers();
      await running.close();
    }
  });
});
