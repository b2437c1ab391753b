/**
 * An earlier commit's source, to measure against in the same run: `git archive` of the commit into
 * the temp dir (kept between runs, keyed by commit), with a link to this checkout's node_modules so
 * its imports resolve. Outside the repo on purpose: lint, tests and the typecheck never see it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DependencyMissingError } from './deps.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The directory holding `commit`'s files; DependencyMissingError without git or that commit. */
export function checkoutCommit(commit: string): string {
  const dir = path.join(os.tmpdir(), `radar-bench-commit-${commit}`);
  // The directory appears only by the rename below, so one that exists is complete.
  if (existsSync(dir)) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  // One shell pipeline: git writes the tar, tar unpacks it; a missing commit fails the pipe.
  const script = 'git -C "$0" archive --format=tar "$1" | tar -x -C "$2"';
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', script, REPO_ROOT, commit, partial], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new DependencyMissingError(
      `cannot check out ${commit} (needs git and the repo's history): ${result.error?.message ?? result.stderr.trim()}`,
    );
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(partial, 'node_modules'), 'dir');
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another run unpacked it first: use theirs.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return dir;
}
