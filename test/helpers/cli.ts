import { vi } from 'vitest';
import { resetContext } from '../../src/apps/cli/context.ts';
import { main } from '../../src/apps/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `radar ARGS` in this process (no tsx start-up per call), capturing stdout and stderr.
 * Config is reloaded from the current environment, and process.exitCode is left as it was.
 */
export async function runRadar(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const previousExitCode = process.exitCode;
  try {
    resetContext();
    process.exitCode = undefined;
    const code = await main(['node', 'radar', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.exitCode = previousExitCode;
    out.mockRestore();
    err.mockRestore();
  }
}
