import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';

interface WorldFlags {
  seed: string;
  shops?: string;
  listings?: string;
  extra?: string;
}

function count(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/u.test(value) || Number(value) > max) throw new UserError(`${flag} must be a whole number from 0 to ${max}, got "${value}"`);
  return Number(value);
}

async function worldOptions(flags: WorldFlags) {
  const { loadExtra, ExtraFileError } = await import('../../../devtools/sandbox/index.ts');
  const seed = count(flags.seed, '--seed', 4_294_967_295)!;
  let extra;
  if (flags.extra) {
    try {
      extra = loadExtra(flags.extra);
    } catch (error) {
      if (error instanceof ExtraFileError) throw new UserError(error.message);
      throw error;
    }
  }
  return { seed, shops: count(flags.shops, '--shops', 10_000_000), listings: count(flags.listings, '--listings', 100_000_000), extra };
}

export function register(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('a local marketplace that speaks the real wire formats, with planted cases and ground truth');

  sandbox
    .command('serve')
    .description('serve the generated world under /shopee, /lazada, /tiki, /sendo, /tiktok and /shop; prints the base URL on stdout')
    .option('--port <n>', 'port to listen on; 0 picks a free one', '0')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--seed <n>', 'world seed (same seed, same world)', '7')
    .option('--shops <n>', 'generated shops (default: listings / 5)')
    .option('--listings <n>', 'generated listings', '1000')
    .option('--faults <profile>', 'random faults: none | default (transient only) | hostile', 'none')
    .option('--epoch <n>', 'crawl epoch: 0 = the truth; later epochs remove ~3% of listings and reprice ~10%', '0')
    .option('--extra <file.json>', 'hand-written shops and listings in the truth shape, appended to the world')
    .option('--latency <ms>', "delay every response by this many ms; models a real origin's round trip (the queue benchmark uses it)", '0')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar sandbox serve --port 0\n  $ radar sandbox serve --latency 50   # every response 50 ms late, like a distant origin\n  $ radar sandbox serve --port 8080 --seed 7 --listings 100000 --faults default\n  $ radar sandbox serve --extra planted.json   # {"shops":[...],"listings":[...]} as `radar sandbox truth` writes them',
    )
    .action(async (flags: WorldFlags & { port: string; host: string; faults: string; epoch: string; latency: string }) => {
      const { startSandbox, FAULT_PROFILES, MAX_LATENCY_MS } = await import('../../../devtools/sandbox/index.ts');
      if (!(FAULT_PROFILES as readonly string[]).includes(flags.faults)) {
        throw new UserError(`--faults must be one of ${FAULT_PROFILES.join(', ')}, got "${flags.faults}"`);
      }
      const options = await worldOptions(flags);
      const port = count(flags.port, '--port', 65_535)!;
      const latencyMs = count(flags.latency, '--latency', MAX_LATENCY_MS)!;
      let running;
      try {
        running = await startSandbox({
          ...options,
          port,
          host: flags.host,
          faults: flags.faults as 'none',
          epoch: count(flags.epoch, '--epoch', 1_000_000),
          latencyMs,
        });
      } catch (error) {
        throw new UserError(`cannot listen on ${flags.host}:${port}: ${(error as Error).message}; pick another --port or use --port 0`, 1);
      }
      process.stdout.write(`${running.url}\n`);
      process.stderr.write(
        `sandbox: ${running.world.listingCount} listings, ${running.world.shopCount} shops, faults=${flags.faults}; skins at ${running.url}/{shopee,lazada,tiki,sendo,tiktok,shop}; Ctrl-C to stop\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          const stats = running.stats();
          process.stderr.write(`sandbox: served ${stats.requests} requests, faults ${JSON.stringify(stats.faults)}\n`);
          void running.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });

  sandbox
    .command('truth')
    .description(
      'write the ground truth (every shop, then every listing, with label, planted patterns and network) as JSON Lines on stdout',
    )
    .option('--seed <n>', 'world seed', '7')
    .option('--shops <n>', 'generated shops (default: listings / 5)')
    .option('--listings <n>', 'generated listings', '1000')
    .option('--extra <file.json>', 'hand-written shops and listings appended to the world')
    .addHelpText(
      'after',
      '\nExamples:\n  $ radar sandbox truth --seed 7 --listings 1000 > truth.jsonl\n  $ radar sandbox truth --seed 7 | jq -c \'select(.type=="listing" and .label=="counterfeit") | .patterns\'',
    )
    .action(async (flags: WorldFlags) => {
      const { generateWorld, truthRecords } = await import('../../../devtools/sandbox/index.ts');
      const world = generateWorld(await worldOptions(flags));
      let buffer = '';
      let lines = 0;
      for (const record of truthRecords(world)) {
        buffer += `${JSON.stringify(record)}\n`;
        if (++lines % 2000 === 0) {
          if (!process.stdout.write(buffer)) await new Promise((resolve) => process.stdout.once('drain', resolve));
          buffer = '';
          if (lines % 100_000 === 0) process.stderr.write(`truth: ${lines} lines\n`);
        }
      }
      process.stdout.write(buffer);
      process.stderr.write(`truth: ${lines} lines (${world.shopCount} shops, ${world.listingCount} listings)\n`);
    });
}
