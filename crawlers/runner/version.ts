import { readFileSync } from 'node:fs';

/** Bumped by hand when the runner's fetch/parse/persist behaviour changes; no git needed at runtime. */
export const RUNNER_REVISION = 'runner.1';

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // A packaged install without package.json still gets a usable version string.
  }
  return '0.0.0';
}

/** Recorded with every crawl run and evidence bundle, e.g. "counterfeit-radar/0.1.0+runner.1". */
export const CRAWLER_VERSION = `counterfeit-radar/${packageVersion()}+${RUNNER_REVISION}`;
