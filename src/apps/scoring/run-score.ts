/** `radar score` as the applications run it: scoring's run with its leads upserted by the leads module. */
import { inBulkTransaction } from '../../core/db/stores/scoring.ts';
import type { Db } from '../../core/db/types.ts';
import { withRepeatOffenders } from '../../leads/repeat-offenders.ts';
import { upsertLeads, UPSERT_LEADS_BATCH } from '../../leads/upsert.ts';
import { runScore, type RunScoreOptions, type RunScoreResult } from '../../../scoring/db/run.ts';
import type { LeadSink } from '../../../scoring/types.ts';

/** Upserts each batch of leads in one bulk transaction (a re-run recreates them), repeat offenders marked. */
export function leadSink(db: Db): LeadSink {
  return {
    batch: UPSERT_LEADS_BATCH,
    // A listing that relists an earlier confirmed or taken-down lead's goods or identity says so.
    upsert: (candidates, runAt, options) =>
      inBulkTransaction(db, async (tx) => upsertLeads(tx, await withRepeatOffenders(tx, candidates), runAt, options)),
  };
}

/** Scores (see `runScore`) and upserts the leads. */
export function runScoreWithLeads(db: Db, options: Omit<RunScoreOptions, 'leads'> = {}): Promise<RunScoreResult> {
  return runScore(db, { ...options, leads: leadSink(db) });
}
