import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { getContext, printJson, withDb } from '../context.ts';

function progress(message: string): void {
  process.stderr.write(`radar evidence: ${message}\n`);
}

function parseIds(values: string[]): number[] {
  return values.map((value) => {
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new UserError(`lead id must be a positive whole number, got "${value}"; find ids with \`radar leads list\``);
    return id;
  });
}

function parseSince(value: string): Date {
  const relative = /^(\d+)\s*(h|d|w)$/i.exec(value.trim());
  if (relative) {
    const hours = Number(relative[1]) * ({ h: 1, d: 24, w: 168 } as const)[relative[2]!.toLowerCase() as 'h' | 'd' | 'w'];
    return new Date(Date.now() - hours * 3_600_000);
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new UserError(`--since: expected a date (2026-11-30) or an age (24h, 7d), got "${value}"`);
  return at;
}

/** `radar leads capture` flags, as commander parses them. */
interface CaptureCliOptions {
  /** Capture every open lead flagged since `since` instead of the ids given. Without it, only the ids given. */
  allFlagged?: boolean;
  /** With `allFlagged`: a date or an age like 24h or 7d. @default '24h' */
  since?: string;
  /** With `allFlagged`: at most this many leads, highest score first, as typed. */
  limit: string;
  /** Who captures, for the custody log. @default config.operator, else the OS user, else 'operator' */
  by?: string;
  /** Extra hosts the SSRF guard lets through (a local sandbox). Without it, only config.allowHosts. */
  allowHost?: string[];
  /** Add an evidence job to the queue instead of capturing here. Without it, Chromium runs in this process. */
  queue?: boolean;
  /** Print the result as JSON. Without it, text for people. */
  json?: boolean;
}

/** `radar leads capture` (added to the leads command) and `radar evidence audit`. */
export function register(program: Command): void {
  const leads = program.commands.find((c) => c.name() === 'leads') ?? program.command('leads').description('investigator leads');
  leads
    .command('capture')
    .description('capture the listing and shop pages of leads now, in Chromium, as evidence (screenshot, raw and rendered page, WACZ)')
    .argument('[ids...]', 'lead ids')
    .option('--all-flagged', 'every open lead flagged since --since')
    .option('--since <when>', 'with --all-flagged: a date or an age like 24h or 7d', '24h')
    .option('--limit <n>', 'with --all-flagged: at most this many leads, highest score first', '200')
    .option('--by <name>', 'who captures, for the custody log (default: config operator or the OS user)')
    .option('--allow-host <host:port...>', 'also let the SSRF guard through this host (e.g. a local sandbox)')
    .option('--queue', 'add an evidence job to the queue (REDIS_URL) instead of capturing here')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar leads capture 42 43 --by "Đội QLTT số 3"\n  $ radar leads capture --all-flagged --since 7d\n  $ radar leads capture 42 --queue',
    )
    .action(async (ids: string[], options: CaptureCliOptions) => {
      if (ids.length > 0 && options.allFlagged) throw new UserError('give lead ids or --all-flagged, not both');
      if (ids.length === 0 && !options.allFlagged) throw new UserError('give one or more lead ids, or --all-flagged [--since 24h]');
      const ctx = getContext();
      const { resolveOperator } = await import('../../../../crawlers/runner/evidence.ts');
      const operator = resolveOperator(options.by, ctx.config);
      const leadIds = await withDb(async (db) => {
        const { existingLeadIds, flaggedLeadIdsSince } = await import('../../../core/db/stores/evidence.ts');
        if (options.allFlagged)
          return flaggedLeadIdsSince(db, parseSince(options.since ?? '24h'), Math.max(1, Number(options.limit) || 200));
        const wanted = parseIds(ids);
        const found = await existingLeadIds(db, wanted);
        const unknown = wanted.filter((id) => !found.includes(id));
        if (unknown.length) throw new UserError(`no lead with id ${unknown.join(', ')}; find ids with \`radar leads list\``);
        return found;
      });
      if (leadIds.length === 0) {
        progress('no leads to capture');
        return;
      }
      if (options.queue) {
        const { enqueueLeadCapture } = await import('../../queue/evidence-jobs.ts');
        const job = await enqueueLeadCapture(ctx.config, { leadIds, operator, allowHosts: options.allowHost ?? [] });
        if (options.json) printJson(job);
        else process.stdout.write(`${job.jobId}\n`);
        progress(`queued evidence job ${job.jobId} for ${leadIds.length} lead(s)`);
        return;
      }
      const result = await withDb(async (db) => {
        const { captureLeads } = await import('../../../../crawlers/runner/capture-leads.ts');
        return captureLeads(
          leadIds,
          { db, config: ctx.config, log: ctx.log },
          { allowHosts: options.allowHost, operator, onProgress: progress },
        );
      });
      if (options.json) printJson(result);
      else {
        for (const lead of result.leads) {
          for (const c of lead.captures) {
            process.stdout.write(
              c.ok
                ? `${lead.leadId}\tok\t${c.httpStatus}\tevidence ${c.evidence.id}\t${c.finalUrl}\n`
                : `${lead.leadId}\tfailed\t${c.httpStatus ?? ''}\t${c.reason}\t${c.url}\n`,
            );
          }
          if (lead.captures.length === 0) process.stdout.write(`${lead.leadId}\tnothing to capture (no listing or shop URL)\n`);
        }
      }
      progress(`${result.captured} capture(s) kept as evidence, ${result.failed} refused`);
      if (result.captured === 0) process.exitCode = 1;
    });

  const evidence = program.command('evidence').description('evidence and its chain of custody');
  evidence
    .command('audit')
    .description('verify the hash-chained custody log: every capture, pack, export and status change, in order, unedited')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ radar evidence audit && echo "custody log intact"')
    .action(async (options: { json?: boolean }) => {
      const { auditCustody } = await import('../../../leads/custody.ts');
      const result = await withDb((db) => auditCustody(db));
      if (options.json) printJson(result);
      if (result.ok) {
        process.stderr.write(`custody log intact: ${result.rows} row(s), head ${result.head ?? '(empty)'}\n`);
        return;
      }
      throw new UserError(`custody log broken at row ${result.problem!.seq}: ${result.problem!.problem}`, 1);
    });

  evidence
    .command('check-file')
    .description('say which custody entry, if any, recorded a file with exactly this content (by SHA-256): an export, a capture')
    .argument('<files...>', 'exported CSV/XLSX/takedown/referral files, or evidence files (screenshot, WACZ)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Exit code 0 when every file matches a custody entry and the custody log is intact; 1 when a file
matches none (it was edited, or never exported by radar) or the log is broken.

Examples:
  $ radar evidence check-file exports/leads-2026-W48-ha-noi.xlsx
  $ radar evidence check-file takedowns/*.csv --json`,
    )
    .action(async (files: string[], options: { json?: boolean }) => {
      const { auditCustody, checkFileCustody } = await import('../../../leads/custody.ts');
      const { existsSync } = await import('node:fs');
      const missing = files.filter((file) => !existsSync(file));
      if (missing.length) throw new UserError(`no such file: ${missing.join(', ')}`);
      const { checks, audit } = await withDb(async (db) => {
        const checks = [];
        for (const file of files) checks.push(await checkFileCustody(db, file));
        return { checks, audit: await auditCustody(db) };
      });
      if (options.json) printJson({ files: checks, custodyIntact: audit.ok, custodyProblem: audit.problem });
      else {
        for (const check of checks) {
          const match = check.matches.at(-1);
          process.stdout.write(
            match
              ? `${check.file}\tmatches\tcustody #${match.seq}\t${match.action}\t${match.at}\t${match.actor}\t${match.recordedAs ?? ''}\t${check.sha256}\n`
              : `${check.file}\tno match\t\t\t\t\t\t${check.sha256}\n`,
          );
        }
      }
      const unmatched = checks.filter((check) => check.matches.length === 0);
      if (!audit.ok)
        progress(`custody log broken at row ${audit.problem!.seq}: ${audit.problem!.problem}; a match proves less until that is explained`);
      if (unmatched.length)
        progress(`${unmatched.length} of ${checks.length} file(s) match no custody entry: edited since export, or not written by radar`);
      else progress(`${checks.length} file(s) match the custody log`);
      if (unmatched.length || !audit.ok) process.exitCode = 1;
    });
}
