import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../core/config/schema.ts';
import type { Logger } from '../../core/log/logger.ts';
import { migrate } from '../../core/db/migrate.ts';
import { openDb } from '../../core/db/open.ts';
import type { Db } from '../../core/db/types.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { captureLeads, evidenceDir, runCrawl, type CrawlSummary } from '../../../crawlers/runner/index.ts';
import { importBrands } from '../../../scoring/db/brands.ts';
import type { RunScoreResult } from '../../../scoring/db/run.ts';
import { runScoreWithLeads as runScore } from '../scoring/run-score.ts';
import { loadStarterCatalog } from '../../../scoring/catalog.ts';
import { SCORING_VERSION } from '../../../scoring/pipeline.ts';
import { startSandbox, truthRecords, type RunningSandbox } from '../../devtools/sandbox/index.ts';
import { exportWeeklyLeads } from '../../leads/export.ts';
import { listLeads, type LeadRow } from '../../leads/list.ts';
import { wrapText } from '../../leads/table.ts';
import { provinceSourceCounts } from '../../core/db/stores/lead-queries.ts';
import { abortInterruptedCrawlRuns } from '../../core/db/stores/crawl-runs.ts';
import { listingFlags } from '../../core/db/stores/listing-scores.ts';
import { leadCountsByKind, recordCounts, runningRunsAndListings } from '../../core/db/stores/overview.ts';
import { buildEvidencePack } from '../../leads/pack.ts';
import { verifyEvidencePack } from '../../leads/verify-pack.ts';
import { findSigningKey, initOfficeKey, requireSigningKey } from '../../leads/keys.ts';
import { createPublicKey } from 'node:crypto';
import { isoWeekOf } from '../../leads/week.ts';
import { checkAgainstTruth, truthKey, type TruthCheck } from './truth-check.ts';
import { demoPlan, describeTarget } from './plan.ts';

export interface DemoOptions {
  /** Sandbox world seed; fixed so every run shows the same world. */
  seed: number;
  /** Generated listings (about 5,000 by default). */
  listings: number;
  /** Where the weekly exports and the evidence pack go. */
  outDir: string;
  /** Result pages per crawl target. */
  maxPages: number;
  /** Ctrl-C: in-flight pages finish, writes complete, the database closes cleanly. */
  signal?: AbortSignal;
}

export interface DemoDeps {
  config: Config;
  log: Logger;
  /** Progress lines (stderr). */
  progress(line: string): void;
  /** The report (stdout). */
  print(text: string): void;
}

export interface DemoResult {
  interrupted: boolean;
  listings: number;
  shops: number;
  leads: Record<'listing' | 'shop' | 'network', number>;
  networks: number;
  blockedPages: number;
  truth: TruthCheck | null;
  exports: string[];
  evidencePack: { path: string; verified: boolean; httpStatus?: number; signer?: string } | null;
  /** Listing leads by how their province was found (see scoring/address/route.ts); null before scoring. */
  routing: { total: number; bySource: Record<string, number>; unrouted: number; national: Record<string, number> } | null;
  durationMs: number;
}

/**
 * `npm run demo`: the whole job on one machine. Sandbox marketplace → crawl every skin → score →
 * leads → weekly exports per province → an evidence pack for the top lead. Re-running is safe: every
 * write is an idempotent upsert and analyst statuses are never overwritten.
 */
export async function runDemo(options: DemoOptions, deps: DemoDeps): Promise<DemoResult> {
  const started = Date.now();
  const progress = (line: string) => deps.progress(line);
  const browser = existsSync(deps.config.chromiumPath);
  const db = await openDb(deps.config);
  let sandbox: RunningSandbox | undefined;
  try {
    await migrate(db);
    progress(`database: ${db.target}`);
    await reportPreviousRun(db, progress);

    const brands = await importBrands(db, loadStarterCatalog());
    progress(`brand catalogue: ${brands.brands} brands, ${brands.referencePrices} reference prices`);

    sandbox = await startSandbox({ seed: options.seed, listings: options.listings, faults: 'none', port: 0 });
    const sandboxHost = new URL(sandbox.url).host;
    progress(`sandbox marketplace: ${sandbox.url} (seed ${options.seed}, ${sandbox.world.listingCount} listings)`);
    if (!browser) {
      progress(
        `browser skins: /shopee skipped, Chromium not found at ${deps.config.chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`,
      );
    }

    const crawls = await crawlAll(db, sandbox, sandboxHost, options, deps, browser);
    const blockedPages = crawls.reduce((sum, crawl) => sum + crawl.blocked, 0);
    if (options.signal?.aborted) return interruptedResult(started);

    progress('scoring listings, shops and networks…');
    const score = await runScore(db, { all: true, onProgress: (line) => progress(`  ${line}`) });
    progress(`scored ${score.listingsScored} listings; ${score.listingsFlagged} flagged (scoring ${score.scoringVersion})`);

    const counts = await countEverything(db);
    const top = await listLeads(db, { limit: 10 });
    const routing = await provinceSourceCounts(db);
    const truth = await truthCheck(db, sandbox);

    const week = isoWeekOf(new Date()).label;
    const exportDir = path.resolve(options.outDir);
    const exports: string[] = [];
    for (const format of ['csv', 'xlsx'] as const) {
      const result = await exportWeeklyLeads(db, { week, splitBy: 'province', format, outDir: exportDir });
      exports.push(...result.files.map((file) => file.path));
    }

    const evidencePack = await packTopLead(db, sandboxHost, top, exportDir, deps);
    const result: DemoResult = {
      interrupted: false,
      ...counts,
      blockedPages,
      truth,
      exports,
      evidencePack,
      routing,
      durationMs: Date.now() - started,
    };
    deps.print(formatReport(result, top, score, week, exportDir));
    deps.print(await consoleAccess(db));
    return result;
  } finally {
    await sandbox?.close();
    await db.close();
  }
}

async function reportPreviousRun(db: Db, progress: (line: string) => void): Promise<void> {
  const { running = 0, listings = 0 } = (await runningRunsAndListings(db)) ?? {};
  if (running > 0 && db.kind === 'pglite') {
    // Only one process can open the embedded database, so a run still marked running was interrupted.
    await abortInterruptedCrawlRuns(db);
    progress(`resuming: the previous run was interrupted; its ${listings} stored listings are kept and re-crawling adds nothing twice`);
  } else if (listings > 0) {
    progress(`refreshing: ${listings} listings from an earlier run are kept; leads and analyst statuses are updated, never duplicated`);
  } else {
    progress('starting clean');
  }
}

async function crawlAll(
  db: Db,
  sandbox: RunningSandbox,
  sandboxHost: string,
  options: DemoOptions,
  deps: DemoDeps,
  browser: boolean,
): Promise<CrawlSummary[]> {
  const plan = demoPlan({ browser });
  const summaries: CrawlSummary[] = [];
  for (const [index, crawl] of plan.entries()) {
    if (options.signal?.aborted) break;
    const summary = await runCrawl(
      {
        adapter: getAdapter(crawl.adapter),
        target: crawl.target,
        maxPages: options.maxPages,
        baseUrl: `${sandbox.url}/${crawl.skin}`,
        allowHosts: [sandboxHost],
        // The sandbox is ours and on loopback: no politeness delay needed.
        requestsPerMinute: 0,
        concurrency: crawl.adapter === 'shopee' ? 2 : 8,
        signal: options.signal,
      },
      { db, config: deps.config, log: deps.log },
    );
    summaries.push(summary);
    deps.progress(
      `[${String(index + 1).padStart(2)}/${plan.length}] ${crawl.adapter.padEnd(9)} ${describeTarget(crawl.target).padEnd(26)} ` +
        `pages ${String(summary.pages).padStart(4)}  listings ${String(summary.listings).padStart(4)}  shops ${String(summary.shops).padStart(3)}  ` +
        `blocked ${summary.blocked}  errors ${summary.errors}  ${(summary.durationMs / 1000).toFixed(1)}s${summary.status === 'completed' ? '' : `  (${summary.status}: ${summary.message ?? ''})`}`,
    );
  }
  return summaries;
}

async function countEverything(db: Db): Promise<Pick<DemoResult, 'listings' | 'shops' | 'leads' | 'networks'>> {
  const counts = await recordCounts(db);
  const leadRows = await leadCountsByKind(db);
  const leads = { listing: 0, shop: 0, network: 0 };
  for (const row of leadRows) leads[row.kind] = row.n;
  return { listings: counts.listings, shops: counts.shops, networks: counts.networks, leads };
}

async function truthCheck(db: Db, sandbox: RunningSandbox): Promise<TruthCheck> {
  const labels = new Map<string, 'counterfeit' | 'clean'>();
  for (const record of truthRecords(sandbox.world)) {
    if (record.type === 'listing') labels.set(`${record.marketplace}:${record.id}`, record.label);
  }
  const rows = await listingFlags(db, SCORING_VERSION);
  return checkAgainstTruth(
    labels,
    rows.map((row) => ({ key: truthKey(row.marketplace, row.external_id), flagged: row.flagged })),
  );
}

async function packTopLead(
  db: Db,
  sandboxHost: string,
  top: readonly LeadRow[],
  exportDir: string,
  deps: DemoDeps,
): Promise<DemoResult['evidencePack']> {
  // The top listing lead whose page captures as valid evidence (a listing removed since the crawl does not).
  for (const lead of top.filter((row) => row.kind === 'listing' && row.url).slice(0, 3)) {
    deps.progress(`capturing evidence for lead ${lead.id}: ${lead.url}`);
    const capture = await captureLeads(
      [lead.id],
      { db, config: deps.config, log: deps.log },
      { allowHosts: [sandboxHost], operator: 'radar demo', onProgress: (line) => deps.progress(`  ${line}`) },
    );
    const listingCapture = capture.leads[0]?.captures.find((c) => c.ok && c.evidence.files.some((f) => f.kind === 'screenshot'));
    if (!listingCapture?.ok) continue;
    const key =
      findSigningKey({ dataDir: deps.config.dataDir, env: process.env.RADAR_SIGNING_KEY }) ??
      (await initOfficeKey(deps.config.dataDir), requireSigningKey({ dataDir: deps.config.dataDir }));
    const outFile = path.join(exportDir, `evidence-lead-${lead.id}.zip`);
    const pack = await buildEvidencePack(db, lead.id, {
      outFile,
      evidenceDir: evidenceDir(deps.config.dataDir),
      signingKey: key,
      packedBy: 'radar demo',
      chromiumPath: deps.config.chromiumPath,
    });
    const verified = await verifyEvidencePack(outFile, { trustedKeys: [createPublicKey(key)], db });
    for (const problem of verified.problems) deps.progress(`  verify-pack: ${problem.check}: ${problem.file} ${problem.problem}`);
    return { path: outFile, verified: verified.ok, httpStatus: listingCapture.httpStatus, signer: pack.manifest.signer.fingerprint };
  }
  deps.progress('no top listing lead could be captured as valid evidence; no evidence pack');
  return null;
}

function interruptedResult(started: number): DemoResult {
  return {
    interrupted: true,
    listings: 0,
    shops: 0,
    leads: { listing: 0, shop: 0, network: 0 },
    networks: 0,
    blockedPages: 0,
    truth: null,
    exports: [],
    evidencePack: null,
    routing: null,
    durationMs: Date.now() - started,
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function formatReport(result: DemoResult, top: readonly LeadRow[], score: RunScoreResult, week: string, exportDir: string): string {
  const lines: string[] = [];
  lines.push('', '== counterfeit-radar demo ==', '');
  lines.push(
    `listings ${result.listings}   shops ${result.shops}   networks ${result.networks}   blocked pages ${result.blockedPages}   time ${(result.durationMs / 1000).toFixed(1)}s`,
  );
  lines.push(
    `leads: ${result.leads.listing} listings, ${result.leads.shop} shops, ${result.leads.network} networks (scoring ${score.scoringVersion}; lead threshold in scoring/config.ts)`,
  );
  if (result.truth) {
    const t = result.truth;
    lines.push(
      `against the sandbox truth: precision ${percent(t.precision)}, recall ${percent(t.recall)} (${t.truePositives} of ${t.counterfeit} planted counterfeits flagged; ${t.flagged - t.truePositives} false alarms in ${t.crawled} crawled listings)`,
    );
  }
  if (result.routing && result.routing.total > 0) {
    const r = result.routing;
    const sources = Object.entries(r.bySource)
      .map(([source, n]) => `${source} ${n}`)
      .join(', ');
    lines.push(
      `listing leads with a province: ${r.total - r.unrouted} of ${r.total} (${percent((r.total - r.unrouted) / r.total)}; by ${sources || 'none'})`,
    );
    // Not a province: leads nothing locates go to the national committee, with the reason.
    const reasons = Object.entries(r.national)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    if (r.unrouted > 0)
      lines.push(
        `listing leads routed nationally (no province): ${r.unrouted} of ${r.total} (${percent(r.unrouted / r.total)}; ${reasons})`,
      );
  }
  lines.push('', 'Top 10 leads:');
  lines.push(`  ${'rank'.padEnd(4)}  ${'lead'.padEnd(6)}  score  kind     subject`);
  top.forEach((lead, i) => {
    const where = [lead.marketplace, lead.province_name ?? 'national, no province'].filter(Boolean).join(', ');
    lines.push(
      `  ${String(i + 1).padStart(4)}  ${`#${lead.id}`.padEnd(6)}  ${String(lead.score).padStart(5)}  ${lead.kind.padEnd(7)}  ${truncate(lead.subject, 60)}  [${where}]`,
    );
    // Reasons wrap under the subject instead of being cut.
    if (lead.top_reasons) for (const line of wrapText(lead.top_reasons, REASON_WIDTH)) lines.push(`${REASON_INDENT}${line}`);
  });
  lines.push('', `Exports for ${week} (split by province) in ${exportDir}:`);
  const xlsx = result.exports.filter((file) => file.endsWith('.xlsx'));
  lines.push(
    `  ${result.exports.length - xlsx.length} CSV and ${xlsx.length} XLSX files, e.g. ${path.basename(xlsx[0] ?? result.exports[0] ?? 'none')}`,
  );
  if (result.evidencePack) {
    lines.push(
      `Evidence pack for the top listing lead: ${result.evidencePack.path} (${result.evidencePack.verified ? 'verified' : 'VERIFY FAILED'})`,
    );
  }
  lines.push(
    '',
    'Next:',
    '  npx radar leads list --min-score 80',
    // eslint-disable-next-line no-restricted-syntax -- an analyst recipe in help text
    '  npx radar sql "SELECT province_name, count(*) FROM flagged_listings GROUP BY 1 ORDER BY 2 DESC"',
    // eslint-disable-next-line no-restricted-syntax -- an analyst recipe in help text
    `  npx radar db serve            # then: psql 'postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable' -c 'SELECT * FROM flagged_listings LIMIT 5'`,
    `  npx radar leads verify-pack ${result.evidencePack ? path.relative(process.cwd(), result.evidencePack.path) : 'exports/evidence-lead-N.zip'}`,
    '  npx radar schedule apply schedules.example.yaml   # with REDIS_URL set',
    '  docker compose up -d          # Postgres, Redis, workers and the scheduler; see README.md',
    '',
  );
  return lines.join('\n');
}

const REASON_INDENT = ' '.repeat(30);
const REASON_WIDTH = 90;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The analyst console's address and how to log in; the first run creates an admin with a one-time password. */
async function consoleAccess(db: Db): Promise<string> {
  const { ensureFirstAdmin } = await import('../console/accounts.ts');
  const admin = await ensureFirstAdmin(db);
  const login = admin
    ? `  log in as "${admin.name}" with the one-time password ${admin.oneTimePassword} (shown only now; you choose a new one at first login)`
    : '  log in with your account (`npx radar users list`; a forgotten password: `npx radar users reset-password admin`)';
  return [
    'Analyst console:',
    '  npx radar console             # then open http://127.0.0.1:3000',
    login,
    '  more accounts: npx radar users add --name lan --role provincial --province "Hà Nội"',
    '',
  ].join('\n');
}
