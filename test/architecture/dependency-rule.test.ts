import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = path.join(repo, 'node_modules/.bin/depcruise');

/** A throwaway tree laid out like the project, holding one planted import per rule. */
const plants: Record<string, string> = {
  'src/core/domain/records.ts': `export const record = 1;\n`,
  'src/core/errors.ts': `import { signal } from '../../scoring/signal.ts';\nexport const error = signal;\n`,
  'scoring/signal.ts': `import { record } from '../src/core/domain/records.ts';\nimport { lead } from '../src/leads/lead.ts';\nexport const signal = record + lead;\n`,
  'src/leads/lead.ts': `export const lead = 2;\n`,
  'crawlers/adapter.ts': `import { world } from '../src/devtools/sandbox/world.ts';\nexport const adapter = world;\n`,
  'src/devtools/sandbox/world.ts': `export const world = 3;\n`,
  'src/apps/cli/a.ts': `import { b } from './b.ts';\nexport const a = () => b;\n`,
  'src/apps/cli/b.ts': `import { a } from './a.ts';\nexport const b = () => a;\n`,
  'src/apps/demo/run.ts': `import { world } from '../../devtools/sandbox/world.ts';\nexport const demo = world;\n`,
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'radar-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cruise(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(depcruise, ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'src', 'crawlers', 'scoring'], {
      cwd: root,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, output: failure.stdout };
  }
}

describe('the layer rule', () => {
  it('fails on each kind of planted import and names the file', async () => {
    for (const [file, text] of Object.entries(plants)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    copyFileSync(path.join(repo, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
    copyFileSync(path.join(repo, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    const { code, output } = await cruise(dir);
    expect(code).not.toBe(0);
    expect(output).toContain('core-imports-nothing-above: src/core/errors.ts → scoring/signal.ts');
    expect(output).toContain('middle-imports-only-core:scoring: scoring/signal.ts → src/leads/lead.ts');
    expect(output).toContain('product-never-imports-devtools: crawlers/adapter.ts → src/devtools/sandbox/world.ts');
    expect(output).toMatch(/no-circular: src\/apps\/cli\/(a|b)\.ts/);
    // The demo is the one application allowed to drive the sandbox.
    expect(output).not.toContain('src/apps/demo/run.ts');
  });
});
