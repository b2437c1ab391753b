import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { WATCH_KINDS, type NewWatchItem, type WatchKind } from '../../../core/db/stores/watch.ts';
import { MARKETPLACES } from '../../../core/domain/records.ts';
import { UserError } from '../../../core/errors.ts';
import { printJson, withDb } from '../context.ts';
import { resolveProvince } from '../filters.ts';

const MARKETPLACE_HOSTS: [RegExp, string][] = [
  [/(^|\.)shopee\.vn$/, 'shopee'],
  [/(^|\.)lazada\.vn$/, 'lazada'],
  [/(^|\.)tiki\.vn$/, 'tiki'],
  [/(^|\.)sendo\.vn$/, 'sendo'],
  [/(^|\.)tiktok\.com$/, 'tiktok'],
];

/** A URL as the watchlist store compares it: lower case, no query, fragment or trailing slash. */
export function normaliseWatchUrl(url: string): string {
  return url.split('#')[0]!.split('?')[0]!.replace(/\/+$/, '').toLowerCase();
}

export interface WatchInput {
  value: string;
  kind?: string;
  marketplace?: string;
  note?: string;
  province?: string;
  owner?: string;
}

/** What one `watch add` value means: its kind (guessed when not given) and its normalised form. */
export async function watchItemOf(input: WatchInput): Promise<NewWatchItem> {
  const raw = input.value.trim();
  if (raw.length === 0) throw new UserError('an empty value cannot be watched');
  if (input.kind !== undefined && !(WATCH_KINDS as readonly string[]).includes(input.kind)) {
    throw new UserError(`--kind must be one of ${WATCH_KINDS.join(', ')}, got "${input.kind.slice(0, 200)}"`);
  }
  if (input.marketplace !== undefined && !(MARKETPLACES as readonly string[]).includes(input.marketplace)) {
    throw new UserError(`--marketplace must be one of ${MARKETPLACES.join(', ')}, got "${input.marketplace.slice(0, 200)}"`);
  }
  let kind = input.kind as WatchKind | undefined;
  let value = raw;
  let marketplace = input.marketplace ?? null;
  const isUrl = /^https?:\/\//i.test(raw);
  if (isUrl) {
    const url = new URL(raw);
    kind ??=
      /\/(shop|store|cua-hang)(\/|$)|^\/[^/]+\/?$/i.test(url.pathname) && !/\.html$|-i\.\d+\.\d+/.test(url.pathname) ? 'shop' : 'listing';
    marketplace ??= MARKETPLACE_HOSTS.find(([host]) => host.test(url.hostname))?.[1] ?? null;
    value = normaliseWatchUrl(raw);
  } else if (kind === undefined || kind === 'phone') {
    const { normalizePhone } = await import('../../../../scoring/signals/identity.ts');
    const phone = /^[+\d][\d\s.()-]{7,}$/.test(raw) ? normalizePhone(raw) : null;
    if (phone?.ok) {
      kind = 'phone';
      value = phone.e164;
    } else if (kind === 'phone') {
      throw new UserError(`"${raw.slice(0, 200)}" is not a Vietnamese phone number`);
    }
  }
  if (kind === undefined) kind = /^\d{10}(-\d{3})?$/.test(raw) ? 'tax_code' : 'keyword';
  if (kind === 'keyword') value = raw.toLowerCase();
  return {
    kind,
    value,
    marketplace,
    url: isUrl ? raw : null,
    note: input.note ?? null,
    provinceCode: input.province ? resolveProvince(input.province).code : null,
    owner: input.owner ?? process.env.USER ?? 'unknown',
  };
}

const CsvRowSchema = z.object({
  value: z.string().min(1),
  kind: z.string().optional(),
  marketplace: z.string().optional(),
  note: z.string().optional(),
  province: z.string().optional(),
  owner: z.string().optional(),
});

async function readWatchCsv(file: string): Promise<WatchInput[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  let records: unknown[];
  try {
    records = parseCsv<unknown>(text.replace(/^\uFEFF/, ''), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new UserError(`${file}: ${(error as Error).message.slice(0, 200)}`);
  }
  return records.map((record, index) => {
    const cleaned = Object.fromEntries(Object.entries(record as Record<string, string>).filter(([, v]) => v !== ''));
    const parsed = CsvRowSchema.safeParse(cleaned);
    if (!parsed.success)
      throw new UserError(`${file} row ${index + 2}: needs a "value" column (and optionally kind, marketplace, note, province, owner)`);
    return parsed.data;
  });
}

export function register(program: Command): void {
  const watch = program.command('watch').description('keep suspects under watch: shops, listings, phones, tax codes and keywords');

  watch
    .command('add')
    .description('watch a shop or listing URL, a phone number, a tax code or a keyword (kind guessed unless --kind)')
    .argument('[value]', 'what to watch')
    .option('--file <csv>', 'many at once: a CSV with columns value[,kind,marketplace,note,province,owner]')
    .option('--kind <kind>', `one of ${WATCH_KINDS.join(', ')}`)
    .option('--marketplace <id>', 'for shop ids and keywords: which marketplace')
    .option('--note <text>', 'why it is watched')
    .option('--province <name|code>', 'the province that follows it')
    .option('--owner <name>', 'who watches it (default: $USER)')
    .option('--json', 'print the items as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ radar watch add https://shopee.vn/giayhieusale --note "nghi bán giày giả" --province "TP.HCM"
  $ radar watch add 0901234567 --note "số điện thoại của shop đã bị gỡ"
  $ radar watch add "rep 1:1" --kind keyword --marketplace tiktok
  $ radar watch add --file suspects.csv`,
    )
    .action(async (value: string | undefined, options: Omit<WatchInput, 'value'> & { file?: string; json?: boolean }) => {
      if ((value === undefined) === (options.file === undefined)) throw new UserError('give a value to watch, or --file CSV');
      const inputs = options.file ? await readWatchCsv(options.file) : [{ ...options, value: value! }];
      const items = await Promise.all(
        inputs.map((input) => watchItemOf({ owner: options.owner, note: options.note, province: options.province, ...input })),
      );
      const { addWatchItem } = await import('../../../core/db/stores/watch.ts');
      await withDb(async (db) => {
        const results = [];
        for (const item of items) results.push({ ...(await addWatchItem(db, item)), kind: item.kind, value: item.value });
        if (options.json) printJson(results);
        else for (const r of results) process.stdout.write(`${r.added ? 'watching' : 'already watched'} #${r.id} ${r.kind} ${r.value}\n`);
      });
    });

  watch
    .command('list')
    .description('what is under watch')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { activeWatchItems } = await import('../../../core/db/stores/watch.ts');
      await withDb(async (db) => {
        const items = await activeWatchItems(db);
        if (options.json) printJson(items);
        else if (items.length === 0) process.stdout.write('nothing watched; add with `radar watch add URL|PHONE|KEYWORD`\n');
        else
          for (const i of items)
            process.stdout.write(`#${i.id}\t${i.kind}\t${i.value}\t${i.marketplace ?? ''}\t${i.owner}\t${i.note ?? ''}\n`);
      });
    });

  watch
    .command('remove')
    .description('stop watching (its history stays)')
    .argument('<id>', 'item id from `radar watch list`')
    .action(async (id: string) => {
      const { removeWatchItem } = await import('../../../core/db/stores/watch.ts');
      await withDb(async (db) => {
        if (!(await removeWatchItem(db, Number(id)))) throw new UserError(`nothing watched under #${id}; see \`radar watch list\``);
        process.stdout.write(`stopped watching #${id}\n`);
      });
    });

  watch
    .command('plan')
    .description('what the watch re-crawl schedule fetches now: one crawl per marketplace, with its targets')
    .option(
      '--marketplaces <list>',
      'where keywords without a marketplace are searched, comma-separated (default: shopee,lazada,tiki,sendo,tiktok)',
    )
    .option('--json', 'print JSON')
    .action(async (options: { marketplaces?: string; json?: boolean }) => {
      const keywordMarketplaces = options.marketplaces
        ?.split(',')
        .map((m) => m.trim())
        .filter(Boolean);
      for (const m of keywordMarketplaces ?? []) {
        if (!(MARKETPLACES as readonly string[]).includes(m))
          throw new UserError(`--marketplaces: "${m.slice(0, 50)}" is not one of ${MARKETPLACES.join(', ')}`);
      }
      const { watchCrawlPlans } = await import('../../../leads/watch-crawl.ts');
      await withDb(async (db) => {
        const plans = await watchCrawlPlans(
          db,
          keywordMarketplaces ? { keywordMarketplaces: keywordMarketplaces as (typeof MARKETPLACES)[number][] } : {},
        );
        if (options.json) return printJson(plans);
        if (plans.length === 0) return void process.stdout.write('nothing to re-crawl; add with `radar watch add`\n');
        for (const plan of plans) {
          process.stdout.write(
            `${plan.marketplace} (adapter ${plan.adapter}, items ${plan.watchItemIds.map((id) => `#${id}`).join(' ')}):\n`,
          );
          for (const t of plan.targets)
            process.stdout.write(`  ${t.mode}\t${t.mode === 'shop' ? t.shopId : t.mode === 'url' ? t.url : t.query}\n`);
        }
      });
    });

  watch
    .command('check')
    .description('record what changed on watched items since the last check (the daily alerts schedule does this too)')
    .option('--json', 'print the changes as JSON')
    .action(async (options: { json?: boolean }) => {
      const { recordWatchChanges } = await import('../../../leads/watch.ts');
      await withDb(async (db) => {
        const events = await recordWatchChanges(db);
        if (options.json) printJson(events);
        else
          process.stdout.write(
            `${events.length} change(s)${events.length ? `: ${[...new Set(events.map((e) => e.change))].join(', ')}` : ''}\n`,
          );
      });
    });
}
