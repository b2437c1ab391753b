/**
 * Loaders for the modules other engineers own that had not all landed when the bench was written.
 * Each is imported by path at run time and checked at this boundary, so the bench typechecks and
 * runs without them and reports "dependency missing" instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MarketplaceAdapter } from '../../crawlers/adapter.ts';
import { DependencyMissingError, fn, importRepoModule } from './deps.ts';

function exists(relativePath: string): boolean {
  return existsSync(fileURLToPath(new URL(`../../${relativePath}`, import.meta.url)));
}

/** What the bench uses of a running sandbox. */
export interface SandboxHandle {
  url: string;
  world: unknown;
  close(): Promise<void>;
}

export interface SandboxStartOptions {
  seed: number;
  listings: number;
  shops?: number;
  faults: 'none';
  port: 0;
  /** Fixed delay before every response, ms (the sandbox's `latencyMs`; default 0). */
  latencyMs?: number;
}

export async function startSandbox(options: SandboxStartOptions): Promise<SandboxHandle> {
  const from = exists('src/devtools/sandbox/index.ts') ? 'src/devtools/sandbox/index.ts' : 'src/devtools/sandbox/server.ts';
  const module = await importRepoModule(from, ['startSandbox']);
  const start = fn<(options: SandboxStartOptions) => Promise<SandboxHandle>>(module, 'startSandbox', from);
  const sandbox = await start(options);
  if (typeof sandbox?.url !== 'string' || typeof sandbox.close !== 'function') {
    throw new DependencyMissingError(`${from}: startSandbox did not return { url, close }`);
  }
  return sandbox;
}

/** The sandbox's ground-truth JSON-Lines records (shop records and listing records with `listing`/`shop`). */
export async function loadTruth(): Promise<{
  generateWorld(options: { seed: number; listings: number; shops?: number }): unknown;
  truthRecords(world: unknown): Iterable<unknown>;
}> {
  const index = exists('src/devtools/sandbox/index.ts');
  const worldFrom = index ? 'src/devtools/sandbox/index.ts' : 'src/devtools/sandbox/world.ts';
  const truthFrom = index ? 'src/devtools/sandbox/index.ts' : 'src/devtools/sandbox/truth.ts';
  const worldModule = await importRepoModule(worldFrom, ['generateWorld']);
  const truthModule = await importRepoModule(truthFrom, ['truthRecords']);
  return {
    generateWorld: fn(worldModule, 'generateWorld', worldFrom),
    truthRecords: fn(truthModule, 'truthRecords', truthFrom),
  };
}

const ADAPTER_FACTORIES: Record<string, { file: string; factory: string }> = {
  tiki: { file: 'crawlers/adapters/tiki.ts', factory: 'createTikiAdapter' },
  shopee: { file: 'crawlers/adapters/shopee.ts', factory: 'createShopeeAdapter' },
  schemaorg: { file: 'crawlers/adapters/schemaorg.ts', factory: 'createSchemaOrgAdapter' },
};

function isAdapter(value: unknown): value is MarketplaceAdapter {
  const adapter = value as MarketplaceAdapter | null;
  return (
    typeof adapter === 'object' && adapter !== null && typeof adapter.parse === 'function' && typeof adapter.startRequests === 'function'
  );
}

/** `getAdapter(name)` from the adapter registry, or the adapter's own factory while the registry is missing. */
export async function loadAdapter(name: string): Promise<MarketplaceAdapter> {
  if (exists('crawlers/adapters/index.ts')) {
    const registry = await importRepoModule('crawlers/adapters/index.ts', ['getAdapter']);
    const adapter = fn<(name: string) => unknown>(registry, 'getAdapter', 'crawlers/adapters/index.ts')(name);
    if (isAdapter(adapter)) return adapter;
    throw new DependencyMissingError(`getAdapter("${name}") did not return an adapter`);
  }
  const known = ADAPTER_FACTORIES[name];
  if (!known)
    throw new DependencyMissingError(`crawlers/adapters/index.ts (getAdapter) does not exist yet and "${name}" has no known factory`);
  const module = await importRepoModule(known.file, []);
  const factory = Object.entries(module).find(([key, value]) => /^create\w*Adapter$/.test(key) && typeof value === 'function');
  if (!factory) throw new DependencyMissingError(`${known.file} exports no create…Adapter factory`);
  const adapter = (factory[1] as () => unknown)();
  if (!isAdapter(adapter)) throw new DependencyMissingError(`${known.file}: ${factory[0]}() did not return an adapter`);
  return adapter;
}
