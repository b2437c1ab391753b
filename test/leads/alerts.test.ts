import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { addSubscription, failedDeliveries } from '../../src/core/db/stores/alerts.ts';
import { webhookSignature } from '../../src/leads/alerts/deliver.ts';
import { inProcessDelivery, planDigests } from '../../src/leads/alerts/run.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

const HCM = 'Thành phố Hồ Chí Minh';
const HANOI = 'Thành phố Hà Nội';
const NOW = new Date('2026-11-25T00:00:00Z');

interface Received {
  mail: string[];
  hooks: { body: string; signature: string | undefined; timestamp: string | undefined }[];
}

function listen(server: http.Server | SMTPServer): Promise<number> {
  const net = server instanceof SMTPServer ? server.server : server;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((net.address() as AddressInfo).port)));
}

describe('alert digests', () => {
  let db: PgliteDb;
  const received: Received = { mail: [], hooks: [] };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.mail.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.hooks.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['x-radar-signature'] as string | undefined,
        timestamp: req.headers['x-radar-timestamp'] as string | undefined,
      });
      res.writeHead(204).end();
    });
  });
  let smtpPort = 0;
  let hookPort = 0;
  let downPort = 0;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    smtpPort = await listen(smtp);
    hookPort = await listen(receiver);
    // A port that was listening and is now closed: connection refused, as a receiver that is down.
    const closed = http.createServer();
    downPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));

    const { listingIds } = await seedShopsAndListings(
      db,
      [
        { externalId: 'hcm', provinceCode: 79, provinceName: HCM },
        { externalId: 'hn', provinceCode: 1, provinceName: HANOI },
      ],
      [
        { externalId: 'a', shopExternalId: 'hcm', title: 'Nước hoa Chanel rep 1:1' },
        { externalId: 'b', shopExternalId: 'hcm', title: 'Ốp lưng thường' },
        { externalId: 'c', shopExternalId: 'hn', title: 'Son Dior hàng loại 1' },
      ],
    );
    await upsertLeads(
      db,
      [
        listingCandidate(listingIds.get('a')!, 91, { provinceCode: 79, provinceName: HCM }),
        listingCandidate(listingIds.get('b')!, 72, { provinceCode: 79, provinceName: HCM }),
        listingCandidate(listingIds.get('c')!, 88, { provinceCode: 1, provinceName: HANOI }),
      ],
      new Date('2026-11-24T10:00:00Z'),
    );
  });
  afterAll(async () => {
    await db?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('mails the province digest, posts a signed webhook, and retries a receiver that is down until it shows as failed', async () => {
    await addSubscription(db, {
      channel: 'email',
      target: 'qltt-hcm@example.vn',
      secret: null,
      provinceCode: 79,
      owner: 'test',
      minScore: 80,
    });
    await addSubscription(db, {
      channel: 'webhook',
      target: `http://127.0.0.1:${hookPort}/hook`,
      secret: 's3cret',
      provinceCode: null,
      owner: 'test',
      minScore: 80,
    });
    await addSubscription(db, {
      channel: 'webhook',
      target: `http://127.0.0.1:${downPort}/hook`,
      secret: 'x',
      provinceCode: null,
      owner: 'test',
      minScore: 80,
    });
    const sleeps: number[] = [];
    const carrier = inProcessDelivery(db, { smtpUrl: `smtp://127.0.0.1:${smtpPort}` }, { attempts: 3, backoffMs: 10 }, async (ms) => {
      sleeps.push(ms);
    });
    const planned = await planDigests(db, NOW, carrier);
    expect(planned).toHaveLength(3);

    expect(received.mail).toHaveLength(1);
    const mail = received.mail[0]!;
    expect(mail).toContain('qltt-hcm@example.vn');
    expect(mail).toMatch(/Subject: .*counterfeit-radar/);
    // The HCM digest: the HCM lead at 91, not the one under the threshold nor Hà Nội's.
    expect(mail).toContain('tiki.example/p/a');
    expect(mail).not.toContain('tiki.example/p/b');
    expect(mail).not.toContain('tiki.example/p/c');

    expect(received.hooks).toHaveLength(1);
    const hook = received.hooks[0]!;
    expect(hook.signature).toBe(webhookSignature('s3cret', hook.timestamp!, hook.body));
    expect(hook.signature).not.toBe(webhookSignature('wrong', hook.timestamp!, hook.body));
    const digest = JSON.parse(hook.body) as { schema: string; new_leads: { score: number }[] };
    expect(digest.schema).toBe('radar-digest/1');
    expect(digest.new_leads.map((lead) => lead.score)).toEqual([91, 88]);
    expect(hook.body).not.toContain('s3cret');

    const failed = await failedDeliveries(db);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ target: `http://127.0.0.1:${downPort}/hook`, attempts: 3, status: 'failed' });
    expect(failed[0]!.last_error).toBeTruthy();
    expect(sleeps).toEqual([10, 20]);
  });

  it('sends nothing new the next time: each digest starts where the last one ended', async () => {
    const before = received.mail.length + received.hooks.length;
    const planned = await planDigests(
      db,
      new Date(NOW.getTime() + 3_600_000),
      inProcessDelivery(db, { smtpUrl: `smtp://127.0.0.1:${smtpPort}` }),
    );
    expect(planned).toEqual([]);
    expect(received.mail.length + received.hooks.length).toBe(before);
  });
});
