import { captureSubjectsOfLeads } from '../../src/core/db/stores/evidence.ts';
import { CaptureBrowser } from '../evidence/capture.ts';
import { captureEvidence, type CaptureResult, type EvidenceDeps } from './evidence.ts';
import { DomainRateLimiter } from './rate-limit.ts';

export interface CaptureLeadsOptions {
  /** Hosts the operator allows on top of config.allowHosts (the sandbox); never hosts read from crawled data. */
  allowHosts?: readonly string[];
  /** Who captures, for the custody log (`--by`). @default config.operator, then RADAR_OPERATOR, then the OS user */
  operator?: string;
  /** Politeness per host, as in crawls. @default 30 */
  requestsPerMinute?: number;
  /** Stops between captures (Ctrl-C); without it, all leads are captured. */
  signal?: AbortSignal;
  /** One line per capture for the terminal; without it, silent. */
  onProgress?: (message: string) => void;
}

export interface CaptureLeadsResult {
  leads: { leadId: number; captures: CaptureResult[] }[];
  captured: number;
  failed: number;
}

/**
 * Captures the listing page and the shop page of each lead now, one browser for the batch, with the
 * crawls' per-host spacing and SSRF guard. A lead with nothing to open is reported with no captures.
 */
export async function captureLeads(
  leadIds: readonly number[],
  deps: EvidenceDeps,
  options: CaptureLeadsOptions = {},
): Promise<CaptureLeadsResult> {
  const subjects = await captureSubjectsOfLeads(deps.db, leadIds);
  const browser = new CaptureBrowser(deps.config.chromiumPath);
  const limiter = new DomainRateLimiter(options.requestsPerMinute ?? 30);
  const result: CaptureLeadsResult = { leads: [], captured: 0, failed: 0 };
  try {
    for (const leadId of leadIds) {
      const captures: CaptureResult[] = [];
      for (const subject of subjects.get(leadId) ?? []) {
        if (options.signal?.aborted) throw new Error('aborted during evidence capture');
        const capture = await captureEvidence(
          {
            url: subject.url,
            listingId: subject.listingId,
            shopId: subject.shopId,
            leadId,
            allowHosts: options.allowHosts,
            operator: options.operator,
          },
          deps,
          { browser, limiter, signal: options.signal },
        );
        captures.push(capture);
        if (capture.ok) result.captured++;
        else result.failed++;
        options.onProgress?.(
          capture.ok
            ? `lead ${leadId}: ${subject.kind} ${subject.url} → evidence ${capture.evidence.id} (HTTP ${capture.httpStatus})`
            : `lead ${leadId}: ${subject.kind} ${subject.url} → failed capture: ${capture.reason}`,
        );
      }
      result.leads.push({ leadId, captures });
    }
  } finally {
    await browser.close();
  }
  return result;
}
