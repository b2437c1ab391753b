import { InvalidArgumentError, type Command } from 'commander';
import { printJson } from '../context.ts';
import { UserError } from '../../../core/errors.ts';

const EXTRACT_HELP = `
Parses a saved response or page offline with one adapter and prints normalized JSON Lines, one per
listing, shop or removed listing, each with a "record" field ("listing" | "shop" | "removed").
A block or gate page prints {"blocked": true, "reason": …} and exits 3, never "zero listings".
A summary (counts, rejected items, follow-up requests) goes to stderr.

Adapters: shopee, lazada, tiki, sendo, tiktok, schemaorg, selectors (needs --site).
--url is where the page came from: it gives links and ids their meaning (default: the adapter's
real host). Give --status 404 for a saved "not found" answer.

Examples:
  $ radar extract --adapter tiki --kind search saved/tiki-search.json
  $ radar extract --adapter shopee --kind search search_items.json | jq -c 'select(.record=="listing") | {title, priceVnd}'
  $ radar extract --adapter lazada --kind listing product.html --url https://www.lazada.vn/products/x-i123-s456.html
  $ radar extract --adapter schemaorg --kind listing page.html --url https://shop.example.vn/p/12-son
  $ radar extract --adapter selectors --site crawlers/sites/sandbox-shop.yaml --kind search results.html`;

const PARSE_PRICE_HELP = `
Prints {"amount", "currency"} as JSON (plus "min" and "max" for a range, "skipped" for the labels,
notes and other numbers around the price). Amounts are in the currency's major unit; VND is an
integer. "Liên hệ" / "Contact for price" prints amount null with a "reason". Text with no price
exits 2 with the reason. With --file, every line gives one JSON line ({"text", …} or {"text", "error"}).

Examples:
  $ radar parse-price "1.250.000₫"          # {"amount":1250000,"currency":"VND"}
  $ radar parse-price "1tr2"                 # {"amount":1200000,"currency":"VND"}
  $ radar parse-price "150.000đ - 250.000đ"  # adds "min":150000,"max":250000
  $ radar parse-price "1.299,99 €"           # {"amount":1299.99,"currency":"EUR"}
  $ radar parse-price "Giá: 1.250.000₫ (đã gồm VAT)"  # {"amount":1250000,"currency":"VND","skipped":["Giá","(đã gồm VAT)"]}
  $ radar parse-price "Rs. 5,990" --currency-hint NPR
  $ radar parse-price "250000" --currency-hint VND
  $ radar parse-price --file prices.txt --locale vi-VN > prices.jsonl`;

interface ExtractFlags {
  adapter: string;
  kind: string;
  url?: string;
  site?: string;
  status?: number;
  raw: boolean;
  requests?: boolean;
}

function httpStatus(value: string): number {
  const n = Number(value);
  if (!/^\d{3}$/u.test(value.trim()) || n < 100 || n > 599)
    throw new InvalidArgumentError(`--status must be an HTTP status such as 200 or 404, got "${value}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('parse a saved marketplace response or web page offline and print normalized JSON Lines')
    .argument('<file>', 'saved response or page ("-" reads stdin)')
    .requiredOption('--adapter <name>', 'shopee | lazada | tiki | sendo | tiktok | schemaorg | selectors')
    .requiredOption('--kind <kind>', 'search | listing | shop')
    .option('--url <url>', 'the URL the page was fetched from')
    .option('--site <file>', 'site file for the selectors adapter (YAML or JSON)')
    .option('--status <code>', 'HTTP status the page was served with', httpStatus)
    .option('--no-raw', 'leave out the raw source object of each record')
    .option('--requests', 'also print the follow-up requests the crawler would make ({"record":"request"})')
    .addHelpText('after', EXTRACT_HELP)
    .action(async (file: string, flags: ExtractFlags) => {
      const { extractFile } = await import('../../../../crawlers/adapters/extract.ts');
      const { result, lines } = extractFile({
        adapter: flags.adapter,
        kind: flags.kind,
        file,
        url: flags.url,
        site: flags.site,
        status: flags.status,
      });
      if (result.outcome === 'blocked') {
        printJson({ blocked: true, reason: result.reason });
        process.stderr.write(`blocked: ${result.reason}\n`);
        process.exitCode = 3;
        return;
      }
      if (result.outcome === 'error') {
        throw new UserError(
          `${flags.adapter} could not parse ${file} as a ${flags.kind} page: ${result.message}. Check --adapter and --kind (and --url for pages whose ids come from the URL).`,
          2,
        );
      }
      for (const line of lines) {
        if (!flags.raw) delete line.raw;
        printJson(line);
      }
      if (flags.requests) for (const request of result.requests) printJson({ record: 'request', ...request });
      const summary = [`${result.listings.length} listing(s)`, `${result.shops.length} shop(s)`];
      if (result.removed.length) summary.push(`${result.removed.length} removed`);
      if (result.requests.length) summary.push(`${result.requests.length} follow-up request(s)`);
      if (result.rejected.length) summary.push(`${result.rejected.length} rejected`);
      process.stderr.write(`${summary.join(', ')}\n`);
      for (const rejected of result.rejected.slice(0, 20))
        process.stderr.write(`  rejected${rejected.externalId ? ` ${rejected.externalId}` : ''}: ${rejected.reason}\n`);
    });

  program
    .command('parse-price')
    .description(
      'find the price in a text ("Giá: 1.250.000₫ (đã gồm VAT)", "Chỉ còn 299K", "1tr2", "$1,299.99") and print {amount, currency}',
    )
    .argument('[text]', 'the price as written (or use --file)')
    .option('--currency-hint <code>', 'ISO currency assumed when the text names none, and the meaning of "$", "kr", "Rs" (e.g. VND)')
    .option('--locale <tag>', "the page's locale (vi-VN, en-AU, …): its currency is the hint when --currency-hint is not given")
    .option('--file <path>', 'read one price text per line ("-" for stdin) and print one JSON line per input line')
    .addHelpText('after', PARSE_PRICE_HELP)
    .action(async (text: string | undefined, flags: { currencyHint?: string; locale?: string; file?: string }) => {
      const { parsePrice } = await import('../../../../crawlers/price/parse-price.ts');
      const options = {
        ...(flags.currencyHint ? { currencyHint: flags.currencyHint } : {}),
        ...(flags.locale ? { locale: flags.locale } : {}),
      };
      if (flags.file !== undefined) {
        if (text !== undefined) throw new UserError('give either a price text or --file, not both');
        const { readFileSync } = await import('node:fs');
        let content: string;
        try {
          content = readFileSync(flags.file === '-' ? '/dev/stdin' : flags.file, 'utf8');
        } catch (error) {
          throw new UserError(`cannot read ${flags.file}: ${error instanceof Error ? error.message : String(error)}`);
        }
        // One JSON line per input line, errors included, so the output lines up with the input.
        let failures = 0;
        for (const line of content.split(/\r?\n/u)) {
          if (!line.trim()) continue;
          const parsed = parsePrice(line, options);
          if ('error' in parsed) failures++;
          printJson({ text: line, ...parsed });
        }
        if (failures) process.stderr.write(`${failures} line(s) without a price\n`);
        return;
      }
      if (text === undefined) throw new UserError('give a price text, e.g. radar parse-price "1.250.000₫", or --file prices.txt');
      const parsed = parsePrice(text, options);
      if ('error' in parsed) {
        throw new UserError(
          `cannot parse price "${text}": ${parsed.error}. Forms that parse: "1.250.000₫", "Giá: 250k", "1tr2", "2 triệu", "$1,299.99", "1.299,99 €", "49,90 zł".`,
          2,
        );
      }
      printJson(parsed);
    });
}
