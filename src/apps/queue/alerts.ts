import { UnrecoverableError, type Job } from 'bullmq';
import type { Db } from '../../core/db/types.ts';
import type { AlertTransportConfig } from '../../leads/alerts/deliver.ts';
import { attemptDelivery, planDigests } from '../../leads/alerts/run.ts';
import { recordWatchChanges } from '../../leads/watch.ts';
import { AlertDeliveryJobSchema, JOB, alertDeliveryJobOptions } from './jobs.ts';
import type { QueueSet } from './queues.ts';

/** What the alert jobs need of a worker. */
export interface AlertJobContext {
  db: Db;
  queues: QueueSet;
  transport: AlertTransportConfig;
}

/**
 * Records watchlist changes since the last check, then plans every subscription's digest and hands
 * each delivery to its own job, so retries are per receiver.
 */
export async function processAlertDigest(ctx: AlertJobContext): Promise<{ watchChanges: number; deliveries: number[] }> {
  const watchChanges = (await recordWatchChanges(ctx.db)).length;
  const deliveries = await planDigests(ctx.db, new Date(), async (deliveryId) => {
    await ctx.queues.get('alerts').add(JOB.alertDelivery, { deliveryId }, alertDeliveryJobOptions(deliveryId));
  });
  return { watchChanges, deliveries };
}

/** One try; BullMQ retries with backoff, and the last failure marks the delivery failed for `radar status`. */
export async function processAlertDelivery(ctx: AlertJobContext, job: Job): Promise<{ deliveryId: number }> {
  const parsed = AlertDeliveryJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid alert-delivery job: ${parsed.error.issues[0]?.message ?? 'bad data'}`);
  const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  await attemptDelivery(ctx.db, parsed.data.deliveryId, ctx.transport, final);
  return { deliveryId: parsed.data.deliveryId };
}
