import path from 'node:path';
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { UserError } from '../../../core/errors.ts';
import { printJson, withDb } from '../context.ts';
import { plainChoices, resolveChoice } from '../../../core/choices.ts';
import type { TimeZoneChoice } from '../../../core/time.ts';
import { toCsv } from '../../../leads/format.ts';
import { PROVINCE_SOURCE_CHOICES } from '../../../leads/filters.ts';
import { LeadFiltersSchema, listLeadsPage, type LeadFilters, type LeadRow } from '../../../leads/list.ts';
import { REVIEW_STATUSES, setLeadStatus } from '../../../leads/status.ts';
import { renderTable, terminalWidth, type TableOptions } from '../../../leads/table.ts';
import { isoWeekOf, parseIsoWeek } from '../../../leads/week.ts';
import { resolveExportFormat, resolveLeadKind, resolveLeadStatus, resolveMarketplace, resolveProvince } from '../filters.ts';

function progress(message: string): void {
  process.stderr.write(`radar leads: ${message}\n`);
}

function leadId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new UserError(`lead id must be a positive whole number, got "${value}"; find ids with \`radar leads list\``);
  return id;
}

function zodToUser(error: unknown): never {
  if (error instanceof ZodError) {
    throw new UserError(error.issues.map((i) => `${i.path.join('.') || 'option'}: ${i.message}`).join('; '));
  }
  throw error;
}

/** How tables and times are shown: the terminal's width unless --wide/--full, Asia/Ho_Chi_Minh unless --utc. */
interface DisplayOptions {
  /** Print a JSON array of row objects, for scripts. Without it (and without `csv`), a table. */
  json?: boolean;
  /** Print CSV, for spreadsheets. Without it (and without `json`), a table. */
  csv?: boolean;
  /** Whole values, no fitting to the terminal. Without it (and without `full`), values are cut to the terminal's width. */
  wide?: boolean;
  /** Whole values and (for leads list) every column. Without it (and without `wide`), values are cut to the terminal's width. */
  full?: boolean;
  /** Show times in UTC. Without it, Asia/Ho_Chi_Minh (+07:00), the investigators' zone. */
  utc?: boolean;
}

function zoneOf(options: DisplayOptions): TimeZoneChoice {
  return options.utc ? 'utc' : 'hcm';
}

function tableOptions(options: DisplayOptions): TableOptions {
  return { zone: zoneOf(options), full: options.wide || options.full, width: terminalWidth() };
}

/** Table on a terminal (or by default), JSON array with --json, CSV with --csv; stdout only carries the data. */
function printRows(columns: string[], rows: unknown[][], options: DisplayOptions): void {
  if (options.json && options.csv) throw new UserError('use either --json or --csv, not both');
  if (options.json) {
    printJson(rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]))));
  } else if (options.csv) {
    process.stdout.write(toCsv(columns, rows, { bom: false, zone: zoneOf(options) }));
  } else {
    process.stdout.write(renderTable(columns, rows, tableOptions(options)));
  }
}

/** "500 of 877 leads", "1 lead", "0 leads". */
export function countLine(shown: number, total: number, noun: string, plural = `${noun}s`): string {
  const word = total === 1 ? noun : plural;
  return shown < total ? `${shown} of ${total} ${word}` : `${total} ${word}`;
}

const LIST_COLUMNS: (keyof LeadRow)[] = [
  'id',
  'kind',
  'score',
  'status',
  'marketplace',
  'province_name',
  'subject',
  'brand',
  'price_vnd',
  'shop_name',
  'network_id',
  'top_reasons',
  'last_flagged_at',
  'assignee',
  'url',
  'province_source',
];
const TTY_COLUMNS: (keyof LeadRow)[] = [
  'id',
  'kind',
  'score',
  'status',
  'marketplace',
  'province_name',
  'subject',
  'top_reasons',
  'last_flagged_at',
];

/** `radar leads list` flags, as typed; each filter left out filters nothing (see LeadFiltersSchema). */
interface ListOptions extends DisplayOptions {
  /** Only leads scoring at least this much (0–100). Without it, every score. */
  minScore?: string;
  /** Only this 2025 province: name, pre-2025 name, abbreviation or code. Without it, every province. */
  province?: string;
  /** Brand stated on the listing, or a word in its title. Without it, every brand. */
  brand?: string;
  /** Only this marketplace (shopee, lazada, tiki, sendo, tiktok or web). Without it, every marketplace. */
  marketplace?: string;
  /** Only this review status. Without it, every status. */
  status?: string;
  /** Only leads flagged at or after this ISO date/time. Without it, any time. */
  since?: string;
  /** Only leads of this shop network. Without it, leads in any network or none. */
  network?: string;
  /** Only listing, shop or network leads. Without it, every kind. */
  kind?: string;
  /** Only leads whose province was found this way (address, declared, phone or warehouse). Without it, any way. */
  provinceSource?: string;
  /** At most this many leads, best first, so a terminal is not flooded. @default 500 */
  limit?: string;
}

/** The list filters with every enumerated value resolved (or a UserError naming the closest ones). */
function leadFilters(options: ListOptions): LeadFilters {
  const resolved = {
    ...options,
    province: options.province === undefined ? undefined : String(resolveProvince(options.province).code),
    marketplace: options.marketplace === undefined ? undefined : resolveMarketplace(options.marketplace),
    status: options.status === undefined ? undefined : resolveLeadStatus(options.status),
    kind: options.kind === undefined ? undefined : resolveLeadKind(options.kind),
    provinceSource:
      options.provinceSource === undefined
        ? undefined
        : resolveChoice('--province-source', options.provinceSource, PROVINCE_SOURCE_CHOICES),
  };
  try {
    return LeadFiltersSchema.parse(resolved);
  } catch (error) {
    zodToUser(error);
  }
}

/** `radar leads export` flags, as typed. */
interface ExportCommandOptions {
  /** ISO week in Asia/Ho_Chi_Minh, e.g. 2026-W48. Takedown formats without it take leads of every week. @default this week */
  week?: string;
  /** Only this 2025 province. Without it, every province (in one file unless `splitBy`). */
  province?: string;
  /** Only this marketplace. Without it, every marketplace. */
  marketplace?: string;
  /** Times in UTC. Without it, Asia/Ho_Chi_Minh (+07:00), the committees' zone. */
  utc?: boolean;
  /** `province`: one file per province. Without it, one file. */
  splitBy?: string;
  format: string;
  out: string;
  /** Takedown formats: lead statuses to include, comma-separated. @default 'confirmed' */
  status?: string;
  /** Takedown formats: YAML of brand → {type, registration} cited in each request. Without it, no registration is cited. */
  ipDocs?: string;
  /** Takedown formats: where the evidence packs are published. @default the pack's file name alone */
  evidenceBaseUrl?: string;
  /** Print the list of written files as JSON. Without it, one tab-separated line per file. */
  json?: boolean;
}

async function exportTakedownCommand(options: ExportCommandOptions): Promise<void> {
  const { TAKEDOWN_FORMATS, isTakedownFormat, exportTakedowns, loadIpDocuments } = await import('../../../leads/takedown.ts');
  const format = options.format;
  if (!isTakedownFormat(format)) {
    throw new UserError(`--format ${format} is not a takedown format; use one of ${Object.keys(TAKEDOWN_FORMATS).join(', ')}`);
  }
  const { LEAD_STATUSES } = await import('../../../leads/types.ts');
  const statusChoices = plainChoices(LEAD_STATUSES);
  const statuses = options.status
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => resolveChoice('--status', s, statusChoices)) ?? ['confirmed'];
  const week = options.week === undefined ? undefined : parseIsoWeek(options.week);
  const ipDocuments = options.ipDocs === undefined ? undefined : await loadIpDocuments(options.ipDocs);
  await withDb(async (db) => {
    const files = await exportTakedowns(db, {
      format,
      statuses,
      week,
      outDir: options.out,
      ipDocuments,
      evidenceBaseUrl: options.evidenceBaseUrl,
    });
    if (options.json) printJson(files);
    else for (const file of files) process.stdout.write(`${file.path}\t${file.rows}\t${file.brand ?? 'no brand'}\n`);
    if (files.length === 0) progress(`no leads with status ${statuses.join(' or ')} on ${TAKEDOWN_FORMATS[format].marketplace}`);
  });
}

export function register(program: Command): void {
  program
    .command('sql')
    .description('run one read-only SQL statement against the configured database (embedded or DATABASE_URL)')
    // eslint-disable-next-line no-restricted-syntax -- an analyst recipe in help text
    .argument('<query>', 'one SQL statement, e.g. "SELECT * FROM flagged_listings LIMIT 10"')
    .option('--json', 'print a JSON array of row objects')
    .option('--csv', 'print CSV')
    .option('--wide', 'show whole values instead of fitting the terminal')
    .option('--full', 'same as --wide')
    .option('--utc', 'show times in UTC (default: Asia/Ho_Chi_Minh, +07:00)')
    .addHelpText(
      'after',
      // eslint-disable-next-line no-restricted-syntax -- an analyst recipe in help text
      `
The statement runs as the database role radar_reader (SELECT on the analyst tables and views only,
no file or program access) in a READ ONLY transaction with a 60 s timeout, and is rolled back.
On PostgreSQL it logs in as radar_reader: RADAR_READER_URL, or DATABASE_URL's server with
RADAR_READER_PASSWORD (\`radar migrate\` sets that password). It never uses DATABASE_URL's own user.
Recipes for the usual questions: src/leads/RECIPES.md. For psql/DBeaver/Metabase: radar db serve.

Examples:
  $ radar sql "SELECT province_name, count(*) FROM flagged_listings GROUP BY 1 ORDER BY 2 DESC"
  $ radar sql "SELECT * FROM flagged_listings WHERE score >= 80" --csv > leads.csv
  $ radar sql "SELECT lead_id, title, top_reasons FROM flagged_listings" --json | jq '.[0]'`,
    )
    .action(async (query: string, options: DisplayOptions) => {
      const { runReadOnlySql, sqlTargetFor } = await import('../../../leads/sql.ts');
      await withDb(async (db, ctx) => {
        const login = {
          readerUrl: process.env.RADAR_READER_URL || undefined,
          readerPassword: process.env.RADAR_READER_PASSWORD || undefined,
        };
        const result = await runReadOnlySql(sqlTargetFor(db, ctx.config.databaseUrl, login), query);
        printRows(result.columns, result.rows, options);
        if (!options.json && !options.csv) process.stderr.write(`(${countLine(result.rows.length, result.rows.length, 'row')})\n`);
      });
    });

  const leads = program
    .command('leads')
    .description('review, export and pack the leads investigators work on')
    .addHelpText(
      'after',
      `
Examples:
  $ radar leads list --min-score 80 --status new
  $ radar leads show 42
  $ radar leads set-status 42 confirmed --note "replica" --by lan
  $ radar leads stats
  $ radar leads export --week 2026-W48 --split-by province --format xlsx --out exports/
  $ radar leads pack 42 --out referral-42.zip && radar leads verify-pack referral-42.zip`,
    );

  leads
    .command('list')
    .description('list leads, best first, with filters')
    .option('--min-score <n>', 'only leads scoring at least n (0–100)')
    .option(
      '--province <name|code>',
      '2025 province: name (accents optional), pre-2025 name, abbreviation or code, e.g. "ho chi minh", HCM, "Bình Dương", 79',
    )
    .option('--brand <brand>', 'brand stated on the listing, or a word in its title')
    .option('--marketplace <id>', 'shopee, lazada, tiki, sendo, tiktok or web')
    .option('--status <status>', 'new, reviewing, confirmed, dismissed or referred')
    .option('--since <date>', 'only leads flagged at or after this ISO date/time')
    .option('--network <id>', 'only leads of this shop network')
    .option('--kind <kind>', 'listing, shop or network')
    .option(
      '--province-source <source>',
      'how the province was found: address, declared, phone or warehouse; or why a lead has none and goes to the national committee: overseas, none',
    )
    .option('--limit <n>', 'at most n leads', '500')
    .option('--json', 'print a JSON array')
    .option('--csv', 'print CSV')
    .option('--wide', 'show whole values instead of fitting the terminal')
    .option('--full', 'every column, whole values (URLs are never cut)')
    .option('--utc', 'show times in UTC (default: Asia/Ho_Chi_Minh, +07:00)')
    .addHelpText(
      'after',
      `
Examples:
  $ radar leads list --min-score 80 --status new
  $ radar leads list --province "ha noi" --brand nike --since 2026-11-23
  $ radar leads list --province hcm --province-source declared --full
  $ radar leads list --marketplace shopee --csv > shopee-leads.csv`,
    )
    .action(async (options: ListOptions) => {
      const filters = leadFilters(options);
      await withDb(async (db) => {
        const { rows, total } = await listLeadsPage(db, filters);
        const all = options.json || options.csv || options.full;
        const columns = all ? LIST_COLUMNS : TTY_COLUMNS;
        printRows(
          columns,
          rows.map((row) => columns.map((c) => row[c])),
          options,
        );
        if (!options.json && !options.csv)
          process.stderr.write(`(${countLine(rows.length, total, 'lead')}; details: radar leads show ID)\n`);
      });
    });

  leads
    .command('show')
    .description('everything about one lead: reasons, listings, shop or network, evidence and review history')
    .argument('<id>', 'lead id')
    .option('--json', 'print JSON')
    .option('--wide', 'show whole values instead of fitting the terminal')
    .option('--full', 'same as --wide')
    .option('--utc', 'show times in UTC (default: Asia/Ho_Chi_Minh, +07:00)')
    .addHelpText('after', '\nExamples:\n  $ radar leads show 42\n  $ radar leads show 42 --json | jq .evidence')
    .action(async (id: string, options: DisplayOptions) => {
      const { leadDetails } = await import('../../../leads/show.ts');
      const { renderLeadDetails } = await import('../../../leads/show-text.ts');
      await withDb(async (db) => {
        const details = await leadDetails(db, leadId(id));
        if (options.json) printJson(details);
        else process.stdout.write(renderLeadDetails(details, tableOptions(options)));
      });
    });

  leads
    .command('set-status')
    .description('record a review verdict; every change is kept in lead_events')
    .argument('<id>', 'lead id')
    .argument('<status>', REVIEW_STATUSES.join('|'))
    .option('--note <text>', 'why (kept in the history)')
    .option('--by <name>', 'who decided (default: $USER); becomes the assignee if there is none')
    .option('--json', 'print the change as JSON')
    .addHelpText(
      'after',
      `
A dismissed lead stays dismissed when scoring flags it again, unless its score rises by 10 points
or more or new evidence is captured.

Examples:
  $ radar leads set-status 42 reviewing --by lan
  $ radar leads set-status 42 confirmed --note "fake Nike, seller admits replica" --by lan
  $ radar leads set-status 43 dismissed --note "authorised reseller"`,
    )
    .action(async (id: string, status: string, options: { note?: string; by?: string; json?: boolean }) => {
      const to = resolveChoice('status', status, plainChoices(REVIEW_STATUSES));
      await withDb(async (db) => {
        const change = await setLeadStatus(db, leadId(id), to, { note: options.note, by: options.by });
        if (options.json) printJson(change);
        else process.stderr.write(`lead ${change.leadId}: ${change.from} → ${change.to} (event ${change.eventId})\n`);
      });
    });

  leads
    .command('stats')
    .description('confirmed share of reviewed leads per scoring version and per reason (the takedown KPI)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nConfirmed = confirmed or referred; reviewed = confirmed + dismissed.\n\nExamples:\n  $ radar leads stats\n  $ radar leads stats --json | jq .byScoringVersion',
    )
    .action(async (options: { json?: boolean }) => {
      const { leadStats } = await import('../../../leads/stats.ts');
      await withDb(async (db) => {
        const stats = await leadStats(db);
        if (options.json) return printJson(stats);
        const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
        const table = (title: string, rows: typeof stats.byReason) =>
          `${title}\n${renderTable(
            ['group', 'confirmed', 'dismissed', 'reviewed', 'open', 'confirmed %'],
            rows.map((r) => [r.group, r.confirmed, r.dismissed, r.reviewed, r.open, pct(r.confirmedShare)]),
          )}`;
        process.stdout.write(
          `${table('All leads', [stats.total])}\n${table('By scoring version', stats.byScoringVersion)}\n${table('By reason', stats.byReason)}`,
        );
      });
    });

  leads
    .command('export')
    .description('write the weekly lead list for provincial committees (CSV with BOM, or XLSX)')
    .option('--week <week>', 'ISO week in Asia/Ho_Chi_Minh, e.g. 2026-W48 (default: this week)')
    .option('--province <name|code>', 'only this 2025 province: name, pre-2025 name, abbreviation (HCM, HN) or code')
    .option('--marketplace <id>', 'only this marketplace: shopee, lazada, tiki, sendo, tiktok or web')
    .option('--split-by <field>', 'one file per province: --split-by province')
    .option('--format <format>', 'csv, xlsx, or a takedown batch: takedown-lazada, takedown-shopee, takedown-tiktok', 'xlsx')
    .option('--out <dir>', 'output directory', '.')
    .option('--status <list>', 'takedown formats: lead statuses to include, comma-separated (default: confirmed)')
    .option('--ip-docs <file>', 'takedown formats: YAML of brand → {type, registration} cited in each request')
    .option('--evidence-base-url <url>', 'takedown formats: where the evidence packs are published (default: the pack file name)')
    .option('--json', 'print the list of written files as JSON')
    .option('--utc', 'times in UTC (default: Asia/Ho_Chi_Minh, +07:00)')
    .addHelpText(
      'after',
      `
A lead is in a week when it was first flagged before the week ended and flagged again on or after
its start; dismissed leads are left out. Rows are ordered by province, score and id, so the same
data and week always give the same file. Leads without a province go to the national committee
(Ban Chỉ đạo 389 quốc gia) in *-national.* (before 0110: *-unknown-province.*); province_source says why:
overseas (a cross-border seller) or none (no location shown).

Examples:
  $ radar leads export --week 2026-W48 --split-by province --format xlsx --out exports/
  $ radar leads export --week 2026-W48 --province "ha noi" --format csv --out exports/
  $ radar leads export --province hcm --format csv    # also "TP.HCM", "Bình Dương" (now part of TP. Hồ Chí Minh), 79
  $ radar leads export --format csv --json        # this week, every province in one file
  $ radar leads export --format takedown-lazada --ip-docs ip.yaml --out takedowns/   # confirmed leads, 300 a file`,
    )
    .action(async (options: ExportCommandOptions) => {
      if (options.format.startsWith('takedown-')) return exportTakedownCommand(options);
      const marketplace = options.marketplace === undefined ? undefined : resolveMarketplace(options.marketplace);
      const splitBy =
        options.splitBy === undefined ? undefined : resolveChoice('--split-by', options.splitBy, plainChoices(['province'] as const));
      const format = resolveExportFormat(options.format);
      const province = options.province === undefined ? undefined : resolveProvince(options.province);
      // Checked before the database opens, so a typo fails fast.
      const week = options.week === undefined ? isoWeekOf(new Date()) : parseIsoWeek(options.week);
      const { exportWeeklyLeads } = await import('../../../leads/export.ts');
      await withDb(async (db) => {
        const result = await exportWeeklyLeads(
          db,
          {
            week: week.label,
            province: province === undefined ? undefined : String(province.code),
            marketplace,
            splitBy,
            format,
            outDir: options.out,
            utc: options.utc,
          },
          progress,
        ).catch(zodToUser);
        if (options.json) printJson(result);
        else for (const file of result.files) process.stdout.write(`${file.path}\t${file.rows}\t${file.province}\n`);
      });
    });

  leads
    .command('referral')
    .description('write the referral letter (công văn) for one province and week: PDF, DOCX and its HTML source')
    .requiredOption('--province <name|code>', 'the province the letter goes to')
    .option('--week <week>', 'ISO week in Asia/Ho_Chi_Minh, e.g. 2026-W48 (default: this week)')
    .option('--out <dir>', 'output directory', '.')
    .option('--packs <dir>', "where `radar leads pack` wrote the packs: the letter cites each pack file's SHA-256")
    .option('--sender <office>', 'the sending office, e.g. "Văn phòng Thường trực BCĐ 389"')
    .option('--parent-body <body>', 'the body above the sender, e.g. "Ban Chỉ đạo 389 Quốc gia"')
    .option('--number <no>', 'the letter number, e.g. 125/CV-VPTT (default: left blank for the clerk)')
    .option('--place <city>', 'place in the date line', 'Hà Nội')
    .option('--signer-title <title>', 'title above the signature')
    .option('--signer-name <name>', 'name under the signature')
    .option('--json', 'print the written files as JSON')
    .addHelpText('after', '\nExamples:\n  $ radar leads referral --province "TP.HCM" --week 2026-W48 --packs exports/ --out letters/')
    .action(
      async (options: {
        province: string;
        week?: string;
        out: string;
        packs?: string;
        sender?: string;
        parentBody?: string;
        number?: string;
        place: string;
        signerTitle?: string;
        signerName?: string;
        json?: boolean;
      }) => {
        const week = options.week === undefined ? isoWeekOf(new Date()) : parseIsoWeek(options.week);
        const { writeReferralLetter } = await import('../../../leads/referral.ts');
        await withDb(async (db, ctx) => {
          const letterhead = Object.fromEntries(
            Object.entries({
              sender: options.sender,
              parentBody: options.parentBody,
              number: options.number,
              place: options.place,
              signerTitle: options.signerTitle,
              signerName: options.signerName,
            }).filter(([, v]) => v !== undefined),
          );
          const files = await writeReferralLetter(db, {
            week,
            province: options.province,
            outDir: options.out,
            packsDir: options.packs,
            letterhead,
            chromiumPath: ctx.config.chromiumPath,
          });
          if (options.json) printJson(files);
          else process.stdout.write(`${files.pdf}\n${files.docx}\n${files.leads} leads for ${files.province}\n`);
        });
      },
    );

  leads
    .command('pack')
    .description(
      'build a signed evidence pack (zip) for one lead: captures, WACZ archives, summary.html/pdf, manifest signed with the office key',
    )
    .argument('<id>', 'lead id')
    .requiredOption('--out <file.zip>', 'zip file to write')
    .option('--by <name>', 'who packs, for the custody log (default: config operator or the OS user)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar keys init\n  $ radar leads pack 42 --out referral-42.zip --by "Đội QLTT số 3"\n  $ radar leads verify-pack referral-42.zip',
    )
    .action(async (id: string, options: { out: string; by?: string }) => {
      const { buildEvidencePack } = await import('../../../leads/pack.ts');
      const { requireSigningKey } = await import('../../../leads/keys.ts');
      const { resolveOperator } = await import('../../../../crawlers/runner/evidence.ts');
      await withDb(async (db, ctx) => {
        const signingKey = requireSigningKey({ dataDir: ctx.config.dataDir, env: process.env.RADAR_SIGNING_KEY });
        const result = await buildEvidencePack(db, leadId(id), {
          outFile: options.out,
          evidenceDir: path.resolve(ctx.config.dataDir, 'evidence'),
          signingKey,
          packedBy: resolveOperator(options.by, ctx.config),
          chromiumPath: ctx.config.chromiumPath,
          onProgress: progress,
        });
        process.stdout.write(`${result.outFile}\n`);
        if (result.manifest.captures.length === 0) {
          progress(
            result.manifest.capture_failures.length
              ? `warning: no valid evidence for this lead (${result.manifest.capture_failures.length} failed capture(s)); run \`radar leads capture ${id}\``
              : `warning: no evidence was captured for this lead; run \`radar leads capture ${id}\` first`,
          );
        }
      });
    });

  leads
    .command('verify-pack')
    .description(
      'check an evidence pack: the signature (against a trusted key), every file, and the hashes recorded at capture; exits 1 naming the check that failed',
    )
    .argument('<file.zip>', 'the pack')
    .option('--trust <keyfile...>', "trusted public key(s) in PEM (default: the office's own key)")
    .option('--no-db', 'do not compare with the database even when one is configured')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar leads verify-pack referral-42.zip && echo intact\n  $ radar leads verify-pack referral-42.zip --trust province-office.pub.pem --no-db',
    )
    .action(async (file: string, options: { json?: boolean; trust?: string[]; db: boolean }) => {
      const { verifyEvidencePack } = await import('../../../leads/verify-pack.ts');
      const { verifyWithConfig } = await import('../verify-pack-context.ts');
      const result = await verifyWithConfig(file, { trust: options.trust, useDb: options.db }, verifyEvidencePack);
      if (options.json) printJson(result);
      if (result.ok) {
        process.stderr.write(
          `${file}: intact, ${result.verified} file(s) verified, signed by ${result.signer}${result.databaseChecked ? `, ${result.databaseChecked} matched the capture hashes in the database` : ''}\n`,
        );
        return;
      }
      for (const p of result.problems) process.stderr.write(`${file}: ${p.check} check failed: ${p.file} ${p.problem}\n`);
      const checks = [...new Set(result.problems.map((p) => p.check))];
      throw new UserError(
        `${file} failed verification (${checks.join(', ')}): ${[...new Set(result.problems.map((p) => p.file))].slice(0, 5).join(', ')}`,
        1,
      );
    });
}
