import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A module the suite needs has not landed yet (or lost an export): reported, never a crash of the run. */
export class DependencyMissingError extends Error {}

const REPO_ROOT = new URL('../../', import.meta.url);

/**
 * Imports a repo module that another engineer owns, by repo-relative path, and checks the exports the
 * suite calls. The specifier is a variable on purpose: the bench typechecks and runs before the module exists.
 * @param root another checkout of the repo (an earlier commit's files) @default this checkout
 */
export async function importRepoModule(
  relativePath: string,
  requiredExports: readonly string[],
  root: URL = REPO_ROOT,
): Promise<Record<string, unknown>> {
  const url = new URL(relativePath, root);
  if (!existsSync(fileURLToPath(url))) {
    throw new DependencyMissingError(`${relativePath} does not exist yet; this suite measures it once it lands`);
  }
  const module = (await import(url.href)) as Record<string, unknown>;
  const missing = requiredExports.filter((name) => module[name] === undefined);
  if (missing.length > 0) {
    throw new DependencyMissingError(
      `${relativePath} does not export ${missing.join(', ')} (exports: ${Object.keys(module).join(', ') || 'none'})`,
    );
  }
  return module;
}

/** Narrows an export to a function (or class), with a message naming where it came from. */
export function fn<F extends ((...args: never[]) => unknown) | (new (...args: never[]) => unknown)>(
  module: Record<string, unknown>,
  name: string,
  from: string,
): F {
  const value = module[name];
  if (typeof value !== 'function') throw new DependencyMissingError(`${from}: export ${name} is not a function`);
  return value as F;
}
