import type { Config } from '../../core/config/schema.ts';
import type { Db } from '../../core/db/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import { loadExecutorModule, type CrawlExecutor, type PipelineServices } from './executor.ts';
import { DEFAULT_PREFIX } from './names.ts';

/** Redis key prefix: `--prefix`, else RADAR_QUEUE_PREFIX, else `radar`. */
export function queuePrefix(flag?: string): string {
  return flag ?? process.env.RADAR_QUEUE_PREFIX ?? DEFAULT_PREFIX;
}

/**
 * The crawl executor and pipeline services for this process: the module named by
 * RADAR_QUEUE_EXECUTOR (tests, benchmarks), else the runner and adapters.
 */
export async function loadPipeline(deps: {
  db: Db;
  config: Config;
  log: Logger;
}): Promise<{ executor: CrawlExecutor; services: PipelineServices }> {
  const custom = process.env.RADAR_QUEUE_EXECUTOR;
  if (custom) {
    const mod = await loadExecutorModule(custom);
    return { executor: await mod.createExecutor(deps), services: (await mod.createServices?.(deps)) ?? {} };
  }
  const { createRunnerExecutor } = await import('./runner-executor.ts');
  const { createPipelineServices } = await import('./services.ts');
  return { executor: await createRunnerExecutor(deps), services: createPipelineServices(deps) };
}
