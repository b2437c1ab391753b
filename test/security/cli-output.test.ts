// Issue 16, low: parse failures exited 1 instead of 2, and raw control bytes (ESC) from the input
// were echoed to the terminal; exit codes were not documented.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { safeMessage } from '../../src/apps/cli/messages.ts';
import { runRadar } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'radar-cli-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI messages and exit codes', () => {
  it('escapes control characters from the input and cuts long input to 200 characters', async () => {
    const input = `\u001b[2J\u001b]0;pwned\u0007${'x'.repeat(5_000)}`;
    const result = await runRadar('parse-price', input);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(result.stderr).toContain('\\x1b');
    expect(result.stderr.length).toBeLessThan(800);
  });

  it('escapes control characters in usage errors too', async () => {
    const result = await runRadar('leads', 'list', '--\u001b[31mevil');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('\u001b');
  });

  it('a parse failure is a user error: exit 2', async () => {
    const file = path.join(dir, 'page.json');
    writeFileSync(file, '{"not":"a tiki listing"}');
    const result = await runRadar('extract', '--adapter', 'tiki', '--kind', 'listing', file);
    expect(result.code).toBe(2);
  });

  it('documents the exit codes in --help', async () => {
    const result = await runRadar('--help');
    expect(result.stdout).toMatch(/Exit codes: 0 success, 1 failure.*2 user error/s);
    expect(result.stdout).toMatch(/3 blocked/);
  });

  it('safeMessage never lets a control character through and never grows a short message much (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const safe = safeMessage(text);
        expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/u);
      }),
    );
    expect(safeMessage('a'.repeat(1_000))).toMatch(/^a{200}… \(1000 characters\)$/);
  });
});
