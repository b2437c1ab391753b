import type { Config } from '../../core/config/schema.ts';
import type { Db } from '../../core/db/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { PipelineServices } from './executor.ts';
import type { ExportJob } from './jobs.ts';
import { loopbackHost } from './runner-executor.ts';

/** The SSRF allowlist an evidence job inherits from its crawl: the loopback host of the base URL the operator gave it. */
export async function crawlAllowHosts(db: Db, runId: number | undefined): Promise<string[]> {
  if (runId === undefined) return [];
  const { crawlRunBaseUrl } = await import('../../core/db/stores/evidence.ts');
  const host = loopbackHost((await crawlRunBaseUrl(db, runId)) ?? undefined);
  return host ? [host] : [];
}

export interface ServiceDeps {
  db: Db;
  config: Config;
  log: Logger;
  /** Skip a listing whose evidence is younger than this many hours. Default 24. */
  evidenceMaxAgeHours?: number;
}

/** The ISO week that ended most recently in Asia/Ho_Chi_Minh: what a Monday-morning export reports on. */
export async function lastFinishedWeek(now: Date = new Date()): Promise<string> {
  const { isoWeekOf } = await import('../../leads/week.ts');
  return isoWeekOf(new Date(now.getTime() - 7 * 24 * 3_600_000)).label;
}

/**
 * The real score, evidence and export stages, loaded on first use so a worker that only crawls
 * never imports the scorer or exceljs.
 */
export function createPipelineServices(deps: ServiceDeps): PipelineServices {
  return {
    /**
     * Incremental database scoring (everything changed since the last scoring run, which includes
     * these listings), then the flagged ones among them. The score queue runs one job at a time
     * fleet-wide (global concurrency 1), so two runs never score the same rows at once.
     */
    async scoreListings(listingIds, signal) {
      if (signal.aborted) throw new Error('aborted before scoring');
      const { runScoreWithLeads: runScore } = await import('../scoring/run-score.ts');
      // The active weights are read at each run, so `radar scoring use` reaches a running worker.
      const { useActiveWeights } = await import('../scoring/weights.ts');
      const SCORING_VERSION = useActiveWeights(deps.config.dataDir);
      const result = await runScore(deps.db, {});
      deps.log.info({ scored: result.listingsScored, flagged: result.listingsFlagged, mode: result.mode }, 'scored changed listings');
      const { flaggedListingIdsAmong } = await import('../../core/db/stores/listing-scores.ts');
      return { flaggedListingIds: await flaggedListingIdsAmong(deps.db, SCORING_VERSION, listingIds) };
    },

    /**
     * One-load captures (screenshot, raw and rendered page, WACZ) of each listing's page, skipping
     * listings with recent evidence. Only hosts from configuration or the operator pass the SSRF
     * guard's allowlist, never a host read from a listing's URL.
     */
    async captureEvidence(listingIds, signal, options = {}) {
      const { captureEvidence, CaptureBrowser } = await import('../../../crawlers/runner/evidence.ts');
      const { listingsNeedingEvidence } = await import('../../core/db/stores/evidence.ts');
      const rows = await listingsNeedingEvidence(deps.db, listingIds, deps.evidenceMaxAgeHours ?? 24);
      const browser = new CaptureBrowser(deps.config.chromiumPath);
      try {
        for (const row of rows) {
          if (signal.aborted) throw new Error('aborted during evidence capture');
          await captureEvidence(
            {
              url: row.url,
              listingId: row.id,
              shopId: row.shopId,
              allowHosts: options.allowHosts,
              operator: options.operator ?? 'queue worker',
            },
            deps,
            { browser, signal },
          );
        }
      } finally {
        await browser.close();
      }
    },

    async captureLeads(leadIds, signal, options = {}) {
      const { captureLeads } = await import('../../../crawlers/runner/capture-leads.ts');
      const result = await captureLeads(leadIds, deps, {
        allowHosts: options.allowHosts,
        operator: options.operator ?? 'queue worker',
        signal,
        onProgress: (m) => deps.log.info(m),
      });
      return { captured: result.captured, failed: result.failed };
    },

    async exportWeeklyLeads(job: ExportJob, signal) {
      const { exportWeeklyLeads } = await import('../../leads/export.ts');
      const week = job.week ?? (await lastFinishedWeek());
      const files: string[] = [];
      const runs =
        job.provinces.length > 0 ? job.provinces.map((code) => ({ province: String(code) })) : [{ splitBy: 'province' as const }];
      for (const scope of runs) {
        if (signal.aborted) throw new Error('aborted during the export');
        const result = await exportWeeklyLeads(deps.db, { week, format: job.format, outDir: job.outDir, ...scope }, (message) =>
          deps.log.info({ week }, message),
        );
        files.push(...result.files.map((f) => f.path));
      }
      return { files };
    },
  };
}
