import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openScratchPglite, removeScratchPglitesOf } from '../../bench/lib/postgres.ts';

describe('openScratchPglite', () => {
  it('opens a real data directory under the temp dir, as the product does, and removes it', async () => {
    const scratch = await openScratchPglite('t');
    try {
      expect(path.dirname(scratch.dataDir)).toBe(tmpdir());
      // PgliteDb.open(dataDir) keeps the cluster in <dataDir>/pgdata; in memory there would be no files.
      expect(existsSync(path.join(scratch.dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
      expect(scratch.db.target).toContain(scratch.dataDir);
    } finally {
      await scratch.remove();
    }
    expect(existsSync(scratch.dataDir)).toBe(false);
  });

  it('copies a closed template, and writes to the copy leave the template as it was', async () => {
    const template = await openScratchPglite('t_tmpl');
    try {
      await template.db.exec('CREATE TABLE marker (n int); INSERT INTO marker VALUES (1)');
      await template.db.close();
      const copy = await openScratchPglite('t', { template: template.dataDir });
      try {
        await copy.db.exec('INSERT INTO marker VALUES (2)');
        expect((await copy.db.query<{ n: number }>('SELECT count(*)::int AS n FROM marker')).rows[0]!.n).toBe(2);
      } finally {
        await copy.remove();
      }
      const reopened = await openScratchPglite('t', { template: template.dataDir });
      try {
        expect((await reopened.db.query<{ n: number }>('SELECT count(*)::int AS n FROM marker')).rows[0]!.n).toBe(1);
      } finally {
        await reopened.remove();
      }
    } finally {
      await template.remove();
    }
    expect(existsSync(template.dataDir)).toBe(false);
  });
});

describe('removeScratchPglitesOf', () => {
  it("removes only the directories named with that process's pid", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'radar-cleanup-test-'));
    for (const name of [
      'radar-bench-ingest-4242-aB3xYz',
      'radar-bench-ingest_tmpl-4242-Q1w2E3',
      'radar-bench-ingest-42420-aB3xYz',
      'radar-bench-score-xyz',
      'other-4242-x',
    ]) {
      mkdirSync(path.join(dir, name));
    }
    const removed = await removeScratchPglitesOf(4242, dir);
    expect(removed.map((p) => path.basename(p)).sort()).toEqual(['radar-bench-ingest-4242-aB3xYz', 'radar-bench-ingest_tmpl-4242-Q1w2E3']);
    expect(existsSync(path.join(dir, 'radar-bench-ingest-42420-aB3xYz'))).toBe(true);
    expect(existsSync(path.join(dir, 'other-4242-x'))).toBe(true);
  });
});
