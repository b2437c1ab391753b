import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks isolate PGlite (WASM) and Playwright per file; two cores take two files at a time.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The durations vitest prints are information; no test asserts on time.
    reporters: ['default'],
  },
});
