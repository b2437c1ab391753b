import { describe, expect, it } from 'vitest';
import { watchParent } from '../../src/apps/cli/lifetime.ts';

describe('watchParent', () => {
  it('fires at once when the parent it was started under is already gone', async () => {
    let fired = 0;
    // A long poll, so only the start-up check can fire within the test.
    watchParent(() => fired++, 3_600_000, process.ppid + 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(1);
  });

  it('does not fire while the parent is the one it was started under, nor after it is stopped', async () => {
    let fired = 0;
    const unwatch = watchParent(() => fired++, 5, process.ppid);
    await new Promise((resolve) => setTimeout(resolve, 40));
    unwatch();
    expect(fired).toBe(0);
  });
});
