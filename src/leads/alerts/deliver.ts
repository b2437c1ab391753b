import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AlertChannel } from '../../core/db/stores/alerts.ts';
import { digestSubject, digestText, type Digest } from './digest.ts';

/** How alerts leave the machine; from config (`RADAR_SMTP_URL`, `RADAR_ALERT_FROM`). */
export interface AlertTransportConfig {
  /** e.g. `smtp://user:pass@mail.example:587`. Without it, email alerts fail with a clear error (webhooks still go out). */
  smtpUrl?: string;
  /** Sender address of email digests. @default 'counterfeit-radar <radar@localhost>' */
  from?: string;
  /** Per webhook request. @default 10000 */
  webhookTimeoutMs?: number;
}

export interface AlertTarget {
  channel: AlertChannel;
  target: string;
  secret: string | null;
}

/**
 * `X-Radar-Signature: sha256=<hex>` over `<timestamp>.<body>`, the Stripe/GitHub scheme: the receiver
 * recomputes it with the shared secret, and the timestamp lets it refuse replays.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function sendWebhook(target: AlertTarget, digest: Digest, config: AlertTransportConfig, now: Date): Promise<void> {
  if (!target.secret) throw new Error('webhook subscription has no secret');
  const body = JSON.stringify(digest);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const response = await fetch(target.target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'counterfeit-radar-alerts',
      'x-radar-timestamp': timestamp,
      'x-radar-signature': webhookSignature(target.secret, timestamp, body),
    },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(config.webhookTimeoutMs ?? 10_000),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
}

async function sendEmail(target: AlertTarget, digest: Digest, config: AlertTransportConfig, provinceName: string | null): Promise<void> {
  if (!config.smtpUrl) throw new Error('email alerts need RADAR_SMTP_URL (e.g. smtp://user:pass@mail.example:587)');
  const transport = nodemailer.createTransport(config.smtpUrl);
  try {
    await transport.sendMail({
      from: config.from ?? 'counterfeit-radar <radar@localhost>',
      to: target.target,
      subject: digestSubject(digest, provinceName),
      text: digestText(digest),
      attachments: [{ filename: 'digest.json', content: JSON.stringify(digest, null, 2), contentType: 'application/json' }],
    });
  } finally {
    transport.close();
  }
}

/** One delivery attempt; throws on any failure so the caller (a queue job, or the in-process loop) retries. */
export async function sendDigest(target: AlertTarget, digest: Digest, config: AlertTransportConfig, now = new Date()): Promise<void> {
  const provinceName = digest.new_leads.find((lead) => lead.province_name)?.province_name ?? null;
  if (target.channel === 'webhook') await sendWebhook(target, digest, config, now);
  else await sendEmail(target, digest, config, provinceName);
}
