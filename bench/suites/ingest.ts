import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { INGEST_LANES, ingestBatched, ingestNaive } from '../lib/ingest-paths.ts';
import { measurePair, stopwatch, type Trial } from '../lib/measure.ts';
import { createScratchDatabase, openScratchPglite } from '../lib/postgres.ts';
import type { Suite, SuiteContext } from '../lib/suite.ts';
import { round } from '../lib/stats.ts';
import { syntheticRecords, type SyntheticData } from '../lib/synthetic.ts';

const BATCH_SIZE = 1_000;

/**
 * The naive path costs one durable commit per row (~0.4-2 ms each here), so 100k rows x 3 repeats x 2
 * databases would eat most of the 20-minute budget. It runs on a prefix of the same data instead: its
 * per-row cost is flat (one round trip and one commit per row, whatever the table size), so its rate
 * over 10k rows is its rate over 100k. BENCH_NAIVE_FULL=1 runs it over everything.
 */
function naiveCount(listingCount: number, quick: boolean): number {
  if (process.env.BENCH_NAIVE_FULL === '1') return listingCount;
  return Math.min(listingCount, quick ? 500 : 10_000);
}

/** The first `count` listings and only the shops they reference. */
function prefix(data: SyntheticData, count: number): SyntheticData {
  const listings = data.listings.slice(0, count);
  const shopIds = new Set(listings.map((listing) => listing.shopExternalId));
  return { listings, shops: data.shops.filter((shop) => shopIds.has(shop.externalId)) };
}

/** A fresh, migrated database per trial, so every trial inserts into the same empty schema. */
type Target = {
  name: 'postgres' | 'pglite';
  /** Where the trial's database lives, for the entry's params. */
  storage: string;
  open(): Promise<{ db: Db; dispose(): Promise<void> }>;
};

function targets(ctx: SuiteContext, cleanup: Array<() => Promise<void>>): Target[] {
  // Postgres trials copy one migrated template database (a file copy) instead of migrating each time.
  let template: Promise<string> | undefined;
  const migratedTemplate = (): Promise<string> =>
    (template ??= (async () => {
      const scratch = await createScratchDatabase(ctx.postgresAdminUrl, 'ingest_tmpl');
      cleanup.push(() => scratch.drop());
      const db = await new PostgresDb(scratch.url).connect();
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      return scratch.name;
    })());
  let pgliteTemplate: Promise<string> | undefined;
  const migratedPgliteTemplate = (): Promise<string> =>
    (pgliteTemplate ??= (async () => {
      const scratch = await openScratchPglite('ingest_tmpl');
      cleanup.push(() => scratch.remove());
      await migrate(scratch.db);
      await scratch.db.close();
      return scratch.dataDir;
    })());
  return [
    {
      name: 'postgres',
      storage: 'local PostgreSQL server (default durable commits)',
      async open() {
        const scratch = await createScratchDatabase(ctx.postgresAdminUrl, 'ingest', { template: await migratedTemplate() });
        const db = await new PostgresDb(scratch.url).connect();
        return {
          db,
          dispose: async () => {
            await db.close();
            await scratch.drop();
          },
        };
      },
    },
    {
      // On disk, as the product runs it (PgliteDb.open(dataDir), what `radar demo` and every command
      // without DATABASE_URL use): a fresh data directory per trial, copied from one migrated template.
      name: 'pglite',
      storage:
        'data directory under os.tmpdir(), opened with PgliteDb.open(dataDir) as radar demo and the embedded default run it (not in-memory)',
      async open() {
        const scratch = await openScratchPglite('ingest', { template: await migratedPgliteTemplate() });
        return { db: scratch.db, dispose: () => scratch.remove() };
      },
    },
  ];
}

async function timed(target: Target, data: SyntheticData, path: (db: Db) => Promise<void>): Promise<Trial> {
  const { db, dispose } = await target.open();
  try {
    const elapsed = stopwatch();
    await path(db);
    const seconds = elapsed();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listing_observations');
    if (rows[0]!.n !== data.listings.length) {
      throw new Error(`${target.name}: expected ${data.listings.length} observations after ingest, found ${rows[0]!.n}`);
    }
    return { count: data.listings.length, seconds };
  } finally {
    await dispose();
  }
}

const suite: Suite = {
  name: 'ingest',
  async run(ctx, { progress, report }) {
    const listingCount = ctx.quick ? 5_000 : 100_000;
    const data = syntheticRecords(listingCount, { seed: 8 });
    const naiveData = prefix(data, naiveCount(listingCount, ctx.quick));
    const cleanup: Array<() => Promise<void>> = [];
    try {
      for (const target of targets(ctx, cleanup)) {
        progress(
          `ingest on ${target.name}: ${listingCount} listings, ${data.shops.length} shops (naive: first ${naiveData.listings.length}), ${ctx.repeats} repeats`,
        );
        const result = await measurePair(
          ctx.repeats,
          () => timed(target, data, (db) => ingestBatched(db, data, BATCH_SIZE)),
          () => timed(target, naiveData, (db) => ingestNaive(db, naiveData)),
          progress,
          { ours: 'batched', baseline: 'naive' },
        );
        report({
          name: `ingest.${target.name}`,
          unit: 'listings/s',
          value: round(result.ours.median, 0),
          samples: result.ours.samples.map((sample) => round(sample, 0)),
          baselineName: 'naive one-row-at-a-time INSERT … ON CONFLICT (autocommit)',
          baselineValue: round(result.baseline.median, 0),
          baselineSamples: result.baseline.samples.map((sample) => round(sample, 0)),
          params: {
            db: target.name,
            storage: target.storage,
            listings: listingCount,
            shops: data.shops.length,
            observations: listingCount,
            baseline_listings: naiveData.listings.length,
            baseline_shops: naiveData.shops.length,
            batch_size: BATCH_SIZE,
            path: `the crawl's RecordSink as the crawl engine uses it: ${INGEST_LANES} lanes hand it 40-record pages; on Postgres each batch's shops, then its listings, are split over 2 connections (disjoint keys), batches stay in order`,
            repeats: ctx.repeats,
            quick: ctx.quick,
            note: 'each trial starts from a fresh migrated database (a copy of one migrated template: a template database on Postgres, a template data directory on PGlite), removed afterwards; rate counts listings, each with its observation, shops included in the time; the naive baseline runs on the first baseline_listings of the same records (its per-row cost is flat); default durable commit settings',
          },
          target: { on: 'ratio', op: '>=', threshold: 20 },
        });
        if (target.name === 'postgres') {
          report({
            name: 'ingest.postgres.absolute',
            unit: 'listings/s',
            value: round(result.ours.median, 0),
            samples: result.ours.samples.map((sample) => round(sample, 0)),
            baselineName: 'naive one-row-at-a-time INSERT … ON CONFLICT (autocommit)',
            baselineValue: round(result.baseline.median, 0),
            params: {
              db: 'postgres',
              listings: listingCount,
              baseline_listings: naiveData.listings.length,
              batch_size: BATCH_SIZE,
              repeats: ctx.repeats,
              quick: ctx.quick,
            },
            target: { on: 'value', op: '>=', threshold: 20_000 },
          });
        }
      }
    } finally {
      for (const drop of cleanup) await drop();
    }
  },
};

export default suite;
