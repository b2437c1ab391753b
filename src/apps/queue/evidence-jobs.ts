/** Evidence jobs a person asks for: `radar leads capture ID --queue`. */
import { createHash } from 'node:crypto';
import type { Config } from '../../core/config/schema.ts';
import { connectProducer, requireRedisUrl } from './connection.ts';
import { DEFAULT_JOB_OPTIONS, JOB, type EvidenceJob } from './jobs.ts';
import { QueueSet } from './queues.ts';
import { queuePrefix } from './setup.ts';

export interface LeadCaptureRequest {
  leadIds: number[];
  operator: string;
  /** Hosts the operator allows past the SSRF guard for this job (a local sandbox). */
  allowHosts: string[];
  prefix?: string;
}

/** Adds one evidence job for these leads; the same leads asked for within the same minute share a job. */
export async function enqueueLeadCapture(
  config: Pick<Config, 'redisUrl'>,
  request: LeadCaptureRequest,
): Promise<{ jobId: string; leadIds: number[] }> {
  const redis = await connectProducer(requireRedisUrl(config));
  const queues = new QueueSet(redis, queuePrefix(request.prefix));
  try {
    const minute = new Date().toISOString().slice(0, 16);
    const jobId = `el_${createHash('sha256')
      .update(`${[...request.leadIds].sort((a, b) => a - b).join(',')}|${minute}`)
      .digest('hex')
      .slice(0, 16)}`;
    const data: EvidenceJob = { listingIds: [], leadIds: request.leadIds, operator: request.operator, allowHosts: request.allowHosts };
    await queues.get('evidence').add(JOB.evidence, data, { ...DEFAULT_JOB_OPTIONS, jobId });
    return { jobId, leadIds: request.leadIds };
  } finally {
    await queues.close().catch(() => undefined);
    redis.disconnect();
  }
}
