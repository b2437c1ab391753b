// Issue 16, low: score-file with a folder, or --out into a missing folder, crashed with a stack
// trace and still printed "scored 0"; duplicate ids were scored silently, once each.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRadar } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'radar-score-file-sec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const line = (id: string, title: string) => JSON.stringify({ listing: { id, marketplace: 'shopee', title, price_vnd: 500000 } });

describe('radar score-file refuses bad paths in one line and reports duplicate ids', () => {
  it('a folder as input', async () => {
    const folder = path.join(dir, 'in-folder');
    mkdirSync(folder);
    const result = await runRadar('score-file', folder);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/is a folder/);
    expect(result.stderr).not.toMatch(/scored 0|\n\s+at /);
  });

  it('--out into a missing folder', async () => {
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(input, `${line('a', 'Túi Gucci rep 1:1')}\n`);
    const result = await runRadar('score-file', input, '--out', path.join(dir, 'missing', 'out.jsonl'));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/does not exist/);
    expect(result.stderr).not.toMatch(/scored 0/);
  });

  it('says which ids repeat', async () => {
    const input = path.join(dir, 'dups.jsonl');
    writeFileSync(input, [line('a', 'Túi Gucci rep 1:1'), line('b', 'Ốp lưng'), line('a', 'Túi Gucci rep 1:1')].join('\n'));
    const outFile = path.join(dir, 'dups.out.jsonl');
    const result = await runRadar('score-file', input, '--out', outFile);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/1 line\(s\) repeat an id already seen \(e\.g\. "a"\)/);
    expect(readFileSync(outFile, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
