import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigSchema, type Config } from '../../../src/core/config/schema.ts';
import { createLogger } from '../../../src/core/log/logger.ts';
import type { Db } from '../../../src/core/db/types.ts';
import type { RunnerDeps } from '../../../crawlers/runner/engine.ts';

/** Runner deps for tests: a silent logger and a config whose data dir is a fresh temp folder. */
export function testDeps(db: Db, overrides: Partial<Config> = {}): RunnerDeps {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'radar-runner-'));
  const config = ConfigSchema.parse({ dataDir, ...overrides });
  return { db, config, log: createLogger({ level: 'silent', pretty: false }) };
}
