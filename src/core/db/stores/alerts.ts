import type { Queryable } from '../types.ts';

export type AlertChannel = 'email' | 'webhook';

export interface AlertSubscription {
  id: number;
  channel: AlertChannel;
  target: string;
  secret: string | null;
  province_code: number | null;
  owner: string;
  min_score: number;
  active: boolean;
  last_sent_at: Date | null;
}

export interface NewSubscription {
  channel: AlertChannel;
  target: string;
  secret: string | null;
  provinceCode: number | null;
  owner: string;
  minScore: number;
}

export async function addSubscription(db: Queryable, sub: NewSubscription): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO alert_subscriptions (channel, target, secret, province_code, owner, min_score)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [sub.channel, sub.target, sub.secret, sub.provinceCode, sub.owner, sub.minScore],
  );
  return Number(rows[0]!.id);
}

export async function activeSubscriptions(db: Queryable): Promise<AlertSubscription[]> {
  const { rows } = await db.query<AlertSubscription>(
    `SELECT id, channel, target, secret, province_code, owner, min_score, active, last_sent_at
     FROM alert_subscriptions WHERE active ORDER BY id`,
  );
  return rows.map((row) => ({ ...row, id: Number(row.id), last_sent_at: row.last_sent_at === null ? null : new Date(row.last_sent_at) }));
}

/** The webhook key, kept out of the digest rows that are delivered. */
export async function subscriptionSecret(db: Queryable, id: number): Promise<string | null> {
  const { rows } = await db.query<{ secret: string | null }>(`SELECT secret FROM alert_subscriptions WHERE id = $1`, [id]);
  return rows[0]?.secret ?? null;
}

export async function deactivateSubscription(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE alert_subscriptions SET active = false WHERE id = $1 AND active`, [id]);
  return rowCount > 0;
}

export async function markSubscriptionSent(db: Queryable, id: number, until: Date): Promise<void> {
  await db.query(`UPDATE alert_subscriptions SET last_sent_at = $2 WHERE id = $1`, [id, until.toISOString()]);
}

export interface DigestWindow {
  since: Date;
  until: Date;
  provinceCode: number | null;
  minScore: number;
}

export interface DigestLead {
  lead_id: number;
  kind: string;
  score: number;
  province_name: string | null;
  top_reasons: string | null;
  url: string | null;
  subject: string | null;
  /** The `repeat_offender` reason's detail (the earlier lead and the link), when there is one. */
  relisting: string | null;
}

const LEAD_COLUMNS = `l.id AS lead_id, l.kind, l.score, l.province_name, l.top_reasons, li.url,
  coalesce(li.title, s.name) AS subject, l.reasons`;

function toDigestLead(row: DigestLead & { reasons: unknown }): DigestLead {
  const reasons = (typeof row.reasons === 'string' ? JSON.parse(row.reasons) : row.reasons) as { code: string; detail: string }[];
  const relisting = reasons.find((reason) => reason.code === 'repeat_offender');
  const { reasons: _reasons, ...rest } = row;
  return { ...rest, lead_id: Number(row.lead_id), relisting: relisting ? relisting.detail : null };
}

/** Leads first flagged in the window at or above the threshold, best first; dismissed ones are left out. */
export async function newLeadsInWindow(db: Queryable, window: DigestWindow, limit = 200): Promise<DigestLead[]> {
  const { rows } = await db.query<DigestLead & { reasons: unknown }>(
    `SELECT ${LEAD_COLUMNS}
     FROM leads l LEFT JOIN listings li ON li.id = l.listing_id LEFT JOIN shops s ON s.id = l.shop_id
     WHERE l.first_flagged_at >= $1 AND l.first_flagged_at < $2 AND l.score >= $3 AND l.status <> 'dismissed'
       AND ($4::integer IS NULL OR l.province_code = $4)
     ORDER BY l.score DESC, l.id LIMIT $5`,
    [window.since.toISOString(), window.until.toISOString(), window.minScore, window.provinceCode, limit],
  );
  return rows.map(toDigestLead);
}

/** Leads flagged in the window that carry a `repeat_offender` reason: sellers who came back. */
export async function relistingsInWindow(db: Queryable, window: DigestWindow, limit = 200): Promise<DigestLead[]> {
  const { rows } = await db.query<DigestLead & { reasons: unknown }>(
    `SELECT ${LEAD_COLUMNS}
     FROM leads l LEFT JOIN listings li ON li.id = l.listing_id LEFT JOIN shops s ON s.id = l.shop_id
     WHERE l.last_flagged_at >= $1 AND l.last_flagged_at < $2 AND l.reasons @> '[{"code":"repeat_offender"}]'::jsonb
       AND ($3::integer IS NULL OR l.province_code = $3)
     ORDER BY l.score DESC, l.id LIMIT $4`,
    [window.since.toISOString(), window.until.toISOString(), window.provinceCode, limit],
  );
  return rows.map(toDigestLead);
}

export interface DigestWatchChange {
  watch_item_id: number;
  kind: string;
  value: string;
  change: string;
  old_value: string | null;
  new_value: string | null;
  url: string | null;
  at: Date;
}

export async function watchChangesInWindow(db: Queryable, window: DigestWindow, limit = 500): Promise<DigestWatchChange[]> {
  const { rows } = await db.query<DigestWatchChange>(
    `SELECT e.watch_item_id, w.kind, w.value, e.change, e.old_value, e.new_value, li.url, e.at
     FROM watch_events e JOIN watch_items w ON w.id = e.watch_item_id LEFT JOIN listings li ON li.id = e.listing_id
     WHERE e.at >= $1 AND e.at < $2 AND ($3::integer IS NULL OR w.province_code = $3 OR w.province_code IS NULL)
     ORDER BY e.at, e.id LIMIT $4`,
    [window.since.toISOString(), window.until.toISOString(), window.provinceCode, limit],
  );
  return rows.map((row) => ({ ...row, watch_item_id: Number(row.watch_item_id), at: new Date(row.at) }));
}

export interface AlertDelivery {
  id: number;
  subscription_id: number | null;
  channel: AlertChannel;
  target: string;
  digest: unknown;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  updated_at: Date;
}

export async function createDelivery(
  db: Queryable,
  delivery: { subscriptionId: number | null; channel: AlertChannel; target: string; digest: unknown },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO alert_deliveries (subscription_id, channel, target, digest) VALUES ($1, $2, $3, $4::jsonb) RETURNING id`,
    [delivery.subscriptionId, delivery.channel, delivery.target, JSON.stringify(delivery.digest)],
  );
  return Number(rows[0]!.id);
}

export async function getDelivery(db: Queryable, id: number): Promise<AlertDelivery | null> {
  const { rows } = await db.query<AlertDelivery>(
    `SELECT id, subscription_id, channel, target, digest, status, attempts, last_error, updated_at FROM alert_deliveries WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  return row ? { ...row, id: Number(row.id), subscription_id: row.subscription_id === null ? null : Number(row.subscription_id) } : null;
}

/** Records one attempt; `final` turns a failure into the visible `failed` state. */
export async function recordDeliveryAttempt(
  db: Queryable,
  id: number,
  outcome: { ok: true } | { ok: false; error: string; final: boolean },
): Promise<void> {
  if (outcome.ok) {
    await db.query(
      `UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = now(), updated_at = now(), last_error = NULL WHERE id = $1`,
      [id],
    );
  } else {
    await db.query(
      `UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2, updated_at = now(), status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1`,
      [id, outcome.error.slice(0, 500), outcome.final],
    );
  }
}

export async function failedDeliveries(db: Queryable, limit = 20): Promise<AlertDelivery[]> {
  const { rows } = await db.query<AlertDelivery>(
    `SELECT id, subscription_id, channel, target, digest, status, attempts, last_error, updated_at
     FROM alert_deliveries WHERE status = 'failed' ORDER BY updated_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ ...row, id: Number(row.id), updated_at: new Date(row.updated_at) }));
}
