import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../../src/core/errors.ts';
import { MarketplaceSchema } from '../../src/core/domain/records.ts';

/**
 * A field source: one string or a list tried in order until one yields text.
 * Each string is `CSS` (the element's text), `CSS@attr` (an attribute), or
 * `jsonld:Type.path.to.field` (a value from the page's JSON-LD, e.g. `jsonld:Organization.telephone`).
 */
const FieldSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type FieldSpec = z.infer<typeof FieldSchema>;

const optionalField = FieldSchema.optional();

export const SiteFileSchema = z
  .object({
    /** Shown in logs and errors. */
    name: z.string().min(1),
    /** The marketplace the records belong to; independent shops are `web`. */
    marketplace: MarketplaceSchema.default('web'),
    /** The shop's real address, used when the crawl gives no --base-url. */
    baseUrl: z.string().url().optional(),
    /** Paths (appended to the base URL) for each crawl mode; `{query}`, `{category}`, `{shop}` are filled in, URL-encoded. */
    start: z
      .object({
        search: z.string().default('/search?q={query}'),
        category: z.string().default('/category/{category}'),
        shop: z.string().optional(),
      })
      .strict()
      .default({ search: '/search?q={query}', category: '/category/{category}' }),
    /** Search, category and shop listing pages. */
    list: z
      .object({
        /** Links to product pages (their `href` is followed). */
        productLinks: z.string().min(1),
        /** The next-page link (`href`); omit when the site has one page. */
        nextPage: z.string().min(1).optional(),
      })
      .strict(),
    /** Product page fields. `title` is required; the others are optional. */
    detail: z
      .object({
        title: FieldSchema,
        /** The shop's own product id; the listing id when present, else the URL's host + path. */
        sku: optionalField,
        price: optionalField,
        originalPrice: optionalField,
        /** ISO code of the price's currency; defaults to VND. */
        currency: optionalField,
        brand: optionalField,
        description: optionalField,
        category: optionalField,
        /** Every match is an image (use `@src`). */
        images: optionalField,
        rating: optionalField,
        /** A selector that matches only when the page says the product is gone. */
        gone: z.string().optional(),
      })
      .strict(),
    /** Seller fields, read from the product page. Without `name` no shop is recorded. */
    shop: z
      .object({
        name: optionalField,
        url: optionalField,
        address: optionalField,
        phone: optionalField,
        email: optionalField,
        taxCode: optionalField,
        joinedAt: optionalField,
      })
      .strict()
      .default({}),
    /** Selectors whose presence means a block or captcha page. */
    blocked: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type SiteFile = z.infer<typeof SiteFileSchema>;

/** Validates a parsed site file; errors name the field and say what was expected. */
export function parseSiteFile(value: unknown, source = 'site file'): SiteFile {
  const result = SiteFileSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  throw new UserError(`${source} is not a valid site file: ${problems.join('; ')}. See crawlers/sites/README.md for the format.`);
}

/** Reads a YAML or JSON site file. */
export function loadSiteFile(path: string): SiteFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read site file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new UserError(
      `site file ${path} is not valid YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  return parseSiteFile(value, `site file ${path}`);
}
