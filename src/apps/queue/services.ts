import type { Config } from '../../core/config/schema.ts';
import type { Db } from '../../core/db/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { PipelineServices } from './executor.ts';
import type { ExportJob } from './jobs.ts';
import { loopbackHost } from './runner-executor.ts';

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
      const { SCORING_VERSION } = await import('../../../scoring/pipeline.ts');
      const result = await runScore(deps.db, {});
      deps.log.info({ scored: result.listingsScored, flagged: result.listingsFlagged, mode: result.mode }, 'scored changed listings');
      const { rows } = await deps.db.query<{ listing_id: string | number }>(
        `SELECT listing_id FROM listing_scores WHERE scoring_version = $1 AND flagged AND listing_id = ANY($2::bigint[]) ORDER BY listing_id`,
        [SCORING_VERSION, listingIds],
      );
      return { flaggedListingIds: rows.map((r) => Number(r.listing_id)) };
    },

    /**
     * Raw page and screenshot of each listing's page, skipping listings with recent evidence.
     * The SSRF allowlist is the operator's (config) plus the crawl run's own loopback base URL,
     * never a host taken from a listing URL: those come from marketplace responses.
     * A listing the guard refuses is skipped with a warning; the others are still captured.
     */
    async captureEvidence(listingIds, signal, context) {
      const { captureEvidence } = await import('../../../crawlers/runner/evidence.ts');
      const { SsrfError } = await import('../../../crawlers/runner/ssrf.ts');
      const { crawlRunBaseUrl, listingsNeedingEvidence } = await import('../../core/db/stores/evidence-targets.ts');
      const rows = await listingsNeedingEvidence(deps.db, listingIds, deps.evidenceMaxAgeHours ?? 24);
      const runHost = context?.runId ? loopbackHost((await crawlRunBaseUrl(deps.db, context.runId)) ?? undefined) : null;
      for (const row of rows) {
        if (signal.aborted) throw new Error('aborted during evidence capture');
        try {
          await captureEvidence({ url: row.url, listingId: row.id, allowHosts: runHost ? [runHost] : [] }, deps);
        } catch (error) {
          if (!(error instanceof SsrfError)) throw error;
          deps.log.warn({ listingId: row.id }, `evidence skipped: ${error.message}`);
        }
      }
    },

    async exportWeeklyLeads(job: ExportJob, signal) {
      const { exportWeeklyLeads } = await import('../../leads/export.ts');
      const week = job.week ?? (await lastFinishedWeek());
      const files: string[] = [];
      const runs = job.provinces.length > 0 ? job.provinces.map((code) => ({ province: String(code) })) : [{ splitBy: 'province' as const }];
      for (const scope of runs) {
        if (signal.aborted) throw new Error('aborted during the export');
        const result = await exportWeeklyLeads(deps.db, { week, format: job.format, outDir: job.outDir, ...scope }, (message) => deps.log.info({ week }, message));
        files.push(...result.files.map((f) => f.path));
      }
      return { files };
    },
  };
}
