import {
  activeSubscriptions,
  createDelivery,
  getDelivery,
  markSubscriptionSent,
  recordDeliveryAttempt,
  subscriptionSecret,
  type AlertDelivery,
} from '../../core/db/stores/alerts.ts';
import type { Queryable } from '../../core/db/types.ts';
import { buildDigest, isEmptyDigest, type Digest } from './digest.ts';
import { sendDigest, type AlertTransportConfig } from './deliver.ts';

/** How often and how patiently one delivery is tried. */
export interface RetryPolicy {
  /** @default 5 */
  attempts: number;
  /** Doubles after each failure. @default 2000 */
  backoffMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 2_000 };

/** A queue (BullMQ) or the in-process loop: whatever carries a delivery to `attemptDelivery`. */
export type EnqueueDelivery = (deliveryId: number) => Promise<void>;

/**
 * Builds each active subscription's digest since its last one and creates a pending delivery for
 * every non-empty one; `enqueue` carries it out. The subscription's window advances at once, so a
 * failing receiver does not make the next digest repeat this one (the delivery row keeps it).
 */
export async function planDigests(
  db: Queryable,
  now: Date,
  enqueue: EnqueueDelivery,
  options: { defaultSinceMs?: number } = {},
): Promise<number[]> {
  const planned: number[] = [];
  for (const sub of await activeSubscriptions(db)) {
    const since = sub.last_sent_at ?? new Date(now.getTime() - (options.defaultSinceMs ?? 86_400_000));
    const digest = await buildDigest(db, { since, until: now, provinceCode: sub.province_code, minScore: sub.min_score });
    await markSubscriptionSent(db, sub.id, now);
    if (isEmptyDigest(digest)) continue;
    const id = await createDelivery(db, { subscriptionId: sub.id, channel: sub.channel, target: sub.target, digest });
    planned.push(id);
    await enqueue(id);
  }
  return planned;
}

/** One try of one delivery; `final` says whether a failure now is the last word. Throws on failure. */
export async function attemptDelivery(db: Queryable, deliveryId: number, config: AlertTransportConfig, final: boolean): Promise<void> {
  const delivery = await getDelivery(db, deliveryId);
  if (!delivery) throw new Error(`alert delivery ${deliveryId} does not exist`);
  if (delivery.status !== 'pending') return;
  const secret = await secretOf(db, delivery);
  try {
    await sendDigest({ channel: delivery.channel, target: delivery.target, secret }, delivery.digest as Digest, config);
  } catch (error) {
    await recordDeliveryAttempt(db, deliveryId, { ok: false, error: (error as Error).message, final });
    throw error;
  }
  await recordDeliveryAttempt(db, deliveryId, { ok: true });
}

async function secretOf(db: Queryable, delivery: AlertDelivery): Promise<string | null> {
  return delivery.channel === 'webhook' && delivery.subscription_id !== null ? subscriptionSecret(db, delivery.subscription_id) : null;
}

/** The in-process carrier for the embedded setup (no Redis): retries with doubling backoff, then gives up visibly. */
export function inProcessDelivery(
  db: Queryable,
  config: AlertTransportConfig,
  retry: RetryPolicy = DEFAULT_RETRY,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): EnqueueDelivery {
  return async (deliveryId) => {
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      try {
        await attemptDelivery(db, deliveryId, config, attempt === retry.attempts);
        return;
      } catch {
        if (attempt < retry.attempts) await sleep(retry.backoffMs * 2 ** (attempt - 1));
      }
    }
  };
}
