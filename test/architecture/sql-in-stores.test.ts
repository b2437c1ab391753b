import { ESLint, type Linter } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The lint config is plain JS (ESLint loads it untranspiled); its one export the test needs is typed here.
const configUrl = new URL('../../eslint.config.js', import.meta.url).href;
const { noSqlOutsideStores } = (await import(configUrl)) as { noSqlOutsideStores: Linter.RulesRecord };

async function sqlMessages(code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: repo,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: noSqlOutsideStores }],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, 'src/leads/planted.ts') });
  return (result?.messages ?? []).map((message) => message.message);
}

describe('SQL stays in the stores', () => {
  it('flags a statement in a string or a template, and leaves prose alone', async () => {
    expect(await sqlMessages(`export const q = 'SELECT id FROM leads WHERE id = $1';`)).toHaveLength(1);
    expect(await sqlMessages('export const q = (t: string) => `UPDATE leads SET status = ${t}`;')).toHaveLength(1);
    expect(await sqlMessages(`export const q = 'DELETE FROM shops';`)).toHaveLength(1);
    expect(await sqlMessages(`export const q = 'select the province from the list, then update it';`)).toHaveLength(0);
  });

  it('applies outside src/core/db and not inside it', async () => {
    const eslint = new ESLint({ cwd: repo });
    const outside = (await eslint.calculateConfigForFile(path.join(repo, 'src/leads/list.ts'))) as { rules: Record<string, unknown> };
    const inside = (await eslint.calculateConfigForFile(path.join(repo, 'src/core/db/stores/leads.ts'))) as {
      rules: Record<string, unknown>;
    };
    expect(outside.rules['no-restricted-syntax']).toBeDefined();
    expect(inside.rules['no-restricted-syntax']).toBeUndefined();
  });
});
