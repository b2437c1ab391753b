import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutCommit } from '../../bench/lib/commit-checkout.ts';
import { DependencyMissingError } from '../../bench/lib/deps.ts';

describe('checkoutCommit', () => {
  it("unpacks the score-offline reference commit with this checkout's node_modules", () => {
    const dir = checkoutCommit('bf0616c');
    expect(readFileSync(path.join(dir, 'scoring/score-file.ts'), 'utf8')).toContain('export async function scoreFile');
    expect(existsSync(path.join(dir, 'node_modules/zod/package.json'))).toBe(true);
    expect(checkoutCommit('bf0616c')).toBe(dir);
  });

  it('says which commit it could not check out', () => {
    expect(() => checkoutCommit('0000000000000000000000000000000000000bad')).toThrow(DependencyMissingError);
    expect(() => checkoutCommit('0000000000000000000000000000000000000bad')).toThrow(/cannot check out 0{10,}/);
  });
});
