/** The `--extra file.json` format: hand-written shops and listings in the ground-truth shape. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATEGORIES } from './catalog.ts';

const marketplace = z.enum(['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'web']);
const label = z.enum(['counterfeit', 'clean']);

/** Shop fields, named as `radar score-file` reads them. */
export const TruthShopFieldsSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  address: z.string().nullable().optional(),
  declared_location: z.string().nullable().optional(),
  is_official: z.boolean().optional(),
  joined_at: z.string().datetime({ offset: true }).optional(),
  follower_count: z.number().int().nonnegative().optional(),
  rating: z.number().min(0).max(5).optional(),
  phone: z.string().nullable().optional(),
  tax_code: z.string().nullable().optional(),
});

/** Listing fields, named as `radar score-file` reads them. */
export const TruthListingFieldsSchema = z.object({
  id: z.string().min(1),
  marketplace,
  title: z.string().min(1),
  price_vnd: z.number().int().nonnegative(),
  original_price_vnd: z.number().int().nonnegative().nullable().optional(),
  brand: z.string().nullable().optional(),
  category: z.enum(CATEGORIES).optional(),
  sold_count: z.number().int().nonnegative().optional(),
  url: z.string().optional(),
  description: z.string().optional(),
});

export const ExtraShopSchema = z.object({
  type: z.literal('shop').default('shop'),
  marketplace,
  id: z.string().min(1),
  label: label.default('clean'),
  patterns: z.array(z.string()).default([]),
  network: z.string().nullable().default(null),
  shop: TruthShopFieldsSchema,
});

export const ExtraListingSchema = z.object({
  type: z.literal('listing').default('listing'),
  marketplace,
  id: z.string().min(1),
  shop_id: z.string().min(1),
  label: label.default('clean'),
  patterns: z.array(z.string()).default([]),
  hard_negative: z.string().nullable().default(null),
  network: z.string().nullable().default(null),
  skins: z.array(z.string()).default([]),
  categories: z.array(z.enum(CATEGORIES)).default([]),
  listing: TruthListingFieldsSchema,
  shop: TruthShopFieldsSchema,
});

export const ExtraFileSchema = z.object({
  shops: z.array(ExtraShopSchema).default([]),
  listings: z.array(ExtraListingSchema).default([]),
});
export type ExtraFile = z.infer<typeof ExtraFileSchema>;
export type ExtraFileInput = z.input<typeof ExtraFileSchema>;

/** Thrown for an extra file that cannot be used; the message names the file and the first problems. */
export class ExtraFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExtraFileError';
  }
}

/** Validates parsed JSON as an extra file. */
export function parseExtra(value: unknown, source = 'extra'): ExtraFile {
  const result = ExtraFileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ExtraFileError(
      `${source} is not a valid extra file (${problems.join('; ')}); expected {"shops":[shop lines],"listings":[listing lines]} as written by \`radar sandbox truth\``,
    );
  }
  const seen = new Set<string>();
  for (const line of result.data.listings) {
    const key = `${line.marketplace}:${line.id}`;
    if (seen.has(key)) throw new ExtraFileError(`${source}: listing ${key} appears twice; give each planted listing its own id`);
    seen.add(key);
    if (line.listing.id !== line.id || line.listing.marketplace !== line.marketplace) {
      throw new ExtraFileError(
        `${source}: listing ${key} has listing.id/listing.marketplace that differ from its id/marketplace; make them equal`,
      );
    }
  }
  return result.data;
}

/** Reads and validates an extra file from disk. */
export function loadExtra(path: string): ExtraFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ExtraFileError(`cannot read extra file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExtraFileError(`extra file ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseExtra(json, path);
}
