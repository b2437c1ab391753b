import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { getContext, printJson, withDb } from '../context.ts';
import { resolveProvince } from '../filters.ts';

/** `radar alerts add` flags, as commander parses them. */
interface AddOptions {
  /** Address the digest is mailed to; exactly one of `email` and `webhook` is given. */
  email?: string;
  /** URL the digest is POSTed to as signed JSON; exactly one of `email` and `webhook` is given. */
  webhook?: string;
  /** The webhook's HMAC key (≥ 16 characters), so the receiver can check the sender; required with `webhook`. */
  secret?: string;
  /** Only leads of this province (name or code). Without it, the national digest (every province). */
  province?: string;
  /** Leads at or above this score, as typed (0–100). */
  minScore: string;
  /** Who asked for the subscription, so a stale one can be traced. @default $USER, else 'unknown' */
  owner?: string;
}

function minScore(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UserError(`--min-score must be a whole number 0–100, got "${text}"`);
  return n;
}

function webhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`--webhook "${text.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`--webhook must be an http(s) URL, got ${url.protocol}`);
  return url.toString();
}

export function register(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('digests of new leads, repeat offenders and watchlist changes, by email (SMTP) and signed webhook');

  alerts
    .command('add')
    .description('subscribe an email address or a webhook to a province digest (or the national one)')
    .option('--email <address>', 'send the digest to this address (needs RADAR_SMTP_URL)')
    .option('--webhook <url>', 'POST the digest as JSON, signed with HMAC-SHA256 (X-Radar-Signature)')
    .option('--secret <key>', "the webhook's HMAC key (at least 16 characters)")
    .option('--province <name|code>', 'only leads of this province (default: every province)')
    .option('--min-score <n>', 'leads at or above this score', '80')
    .option('--owner <name>', 'who asked for it (default: $USER)')
    .addHelpText(
      'after',
      `
Examples:
  $ radar alerts add --email qltt.hcm@example.vn --province "TP.HCM"
  $ radar alerts add --webhook https://soc.example.vn/radar --secret "$(openssl rand -hex 24)"`,
    )
    .action(async (options: AddOptions) => {
      if (Boolean(options.email) === Boolean(options.webhook)) throw new UserError('give exactly one of --email or --webhook');
      if (options.webhook && (options.secret ?? '').length < 16)
        throw new UserError('--webhook needs --secret of at least 16 characters (the receiver checks the HMAC with it)');
      const provinceCode = options.province === undefined ? null : resolveProvince(options.province).code;
      const { addSubscription } = await import('../../../core/db/stores/alerts.ts');
      await withDb(async (db) => {
        const id = await addSubscription(db, {
          channel: options.email ? 'email' : 'webhook',
          target: options.email ?? webhookUrl(options.webhook!),
          secret: options.webhook ? options.secret! : null,
          provinceCode,
          owner: options.owner ?? process.env.USER ?? 'unknown',
          minScore: minScore(options.minScore),
        });
        process.stdout.write(`subscription ${id} added\n`);
      });
    });

  alerts
    .command('list')
    .description('active subscriptions (webhook secrets are not shown)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { activeSubscriptions } = await import('../../../core/db/stores/alerts.ts');
      await withDb(async (db) => {
        const subs = (await activeSubscriptions(db)).map(({ secret: _secret, ...sub }) => sub);
        if (options.json) printJson(subs);
        else if (subs.length === 0) process.stdout.write('no subscriptions; add one with `radar alerts add --email …`\n');
        else
          for (const s of subs)
            process.stdout.write(
              `${s.id}\t${s.channel}\t${s.target}\tprovince ${s.province_code ?? 'all'}\t≥${s.min_score}\tlast sent ${s.last_sent_at?.toISOString() ?? 'never'}\n`,
            );
      });
    });

  alerts
    .command('remove')
    .description('stop a subscription')
    .argument('<id>', 'subscription id from `radar alerts list`')
    .action(async (id: string) => {
      const { deactivateSubscription } = await import('../../../core/db/stores/alerts.ts');
      await withDb(async (db) => {
        if (!(await deactivateSubscription(db, Number(id)))) throw new UserError(`no active subscription ${id}; see \`radar alerts list\``);
        process.stdout.write(`subscription ${id} stopped\n`);
      });
    });

  alerts
    .command('send')
    .description("build and deliver every subscription's digest now (through the queue when REDIS_URL is set)")
    .option('--json', 'print the planned delivery ids as JSON')
    .action(async (options: { json?: boolean }) => {
      const { config } = getContext();
      const { planDigests, inProcessDelivery } = await import('../../../leads/alerts/run.ts');
      await withDb(async (db) => {
        const transport = { smtpUrl: config.smtpUrl, from: config.alertFrom };
        let deliveries: number[];
        if (config.redisUrl) {
          const { connectProducer } = await import('../../queue/connection.ts');
          const { QueueSet } = await import('../../queue/queues.ts');
          const { queuePrefix } = await import('../../queue/setup.ts');
          const { JOB, alertDeliveryJobOptions } = await import('../../queue/jobs.ts');
          const connection = await connectProducer(config.redisUrl);
          const queues = new QueueSet(connection, queuePrefix(undefined));
          try {
            deliveries = await planDigests(db, new Date(), async (id) => {
              await queues.get('alerts').add(JOB.alertDelivery, { deliveryId: id }, alertDeliveryJobOptions(id));
            });
          } finally {
            await queues.close();
            connection.disconnect();
          }
        } else {
          deliveries = await planDigests(db, new Date(), inProcessDelivery(db, transport));
        }
        if (options.json) printJson({ deliveries });
        else process.stdout.write(`${deliveries.length} digest(s) ${config.redisUrl ? 'queued' : 'sent or failed (see `radar status`)'}\n`);
      });
    });

  alerts
    .command('test')
    .description('send a sample digest to an address or webhook, once, and say what happened')
    .option('--email <address>', 'send the sample here')
    .option('--webhook <url>', 'POST the sample here')
    .option('--secret <key>', 'HMAC key for --webhook')
    .action(async (options: { email?: string; webhook?: string; secret?: string }) => {
      if (Boolean(options.email) === Boolean(options.webhook)) throw new UserError('give exactly one of --email or --webhook');
      if (options.webhook && !options.secret) throw new UserError('--webhook needs --secret');
      const { config } = getContext();
      const { sendDigest } = await import('../../../leads/alerts/deliver.ts');
      const { sampleDigest } = await import('../../../leads/alerts/digest.ts');
      const target = options.email
        ? { channel: 'email' as const, target: options.email, secret: null }
        : { channel: 'webhook' as const, target: webhookUrl(options.webhook!), secret: options.secret! };
      try {
        await sendDigest(target, sampleDigest(new Date()), { smtpUrl: config.smtpUrl, from: config.alertFrom });
      } catch (error) {
        throw new UserError(`sample not delivered to ${target.target}: ${(error as Error).message}`);
      }
      process.stdout.write(`sample digest delivered to ${target.target}\n`);
    });
}
