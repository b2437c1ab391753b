import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';
import { printJson, withDb } from '../context.ts';

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${flag} must be a whole number above 0, got "${text.slice(0, 50)}"`);
  return n;
}

function instant(text: string): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new UserError(`--as-of "${text.slice(0, 50)}" is not a date; use ISO 8601, e.g. 2026-12-01`);
  return at;
}

export function register(program: Command): void {
  const sellers = program.command('sellers').description('sellers as a whole: their risk from confirmed leads');

  sellers
    .command('risk')
    .description(
      'seller risk: leads confirmed in the last 180 days, weighted by reach (sold count, followers), as a percentile among sellers (a network of accounts is one seller)',
    )
    .option('--limit <n>', 'how many sellers to show', '50')
    .option('--all', 'also sellers without a confirmed lead in the window')
    .option('--as-of <date>', 'end of the 180-day window (default: now)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The figure is recomputed for every seller and stored with its formula version (seller_risk table),
as scores keep their scoring version. The formula is documented in src/leads/seller-risk.ts.

Examples:
  $ radar sellers risk
  $ radar sellers risk --as-of 2026-11-30 --limit 20 --json`,
    )
    .action(async (options: { limit: string; all?: boolean; asOf?: string; json?: boolean }) => {
      const limit = positiveInt(options.limit, '--limit');
      const asOf = options.asOf ? instant(options.asOf) : new Date();
      const { refreshSellerRisks, SELLER_RISK_VERSION } = await import('../../../leads/seller-risk.ts');
      const { listSellerRisks } = await import('../../../core/db/stores/seller-risk.ts');
      await withDb(async (db) => {
        await db.transaction(async (tx) => refreshSellerRisks(tx, asOf));
        const rows = await listSellerRisks(db, SELLER_RISK_VERSION, { limit, all: options.all });
        if (options.json) return printJson(rows.map((r) => ({ ...r, as_of: r.as_of.toISOString() })));
        if (rows.length === 0) {
          process.stdout.write(
            `no seller has a lead confirmed in the 180 days to ${asOf.toISOString().slice(0, 10)} (${SELLER_RISK_VERSION})\n`,
          );
          return;
        }
        process.stdout.write(
          `seller risk ${SELLER_RISK_VERSION}, 180 days to ${asOf.toISOString().slice(0, 10)}\npercentile\tweighted\tconfirmed\tfollowers\tshop\tseller\n`,
        );
        for (const r of rows) {
          process.stdout.write(
            `${r.percentile.toFixed(1)}\t${r.weighted.toFixed(2)}\t${r.confirmed_leads}\t${r.followers ?? ''}\t${r.marketplace}:${r.external_id} ${r.name}\t${r.seller_key}\n`,
          );
        }
      });
    });
}
