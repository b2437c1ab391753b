import type { ShopRecord } from '../../domain/records.ts';
import type { Queryable } from '../types.ts';
import { contentHash } from './hash.ts';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from './pg-arrays.ts';

export interface UpsertedRow {
  id: number;
  marketplace: string;
  external_id: string;
  inserted: boolean;
}

/**
 * What an upsert sends back: every row's id and key (`rows`, what callers that link records need)
 * or nothing per row (`none`: a writer that only needs the write done, such as the crawl's sink,
 * skips building, sending and parsing a result row per record).
 */
export type UpsertReturning = 'rows' | 'none';

/** One parameterised upsert, built on the client and not yet sent. */
export interface PreparedUpsert {
  text: string;
  values: unknown[];
}

/** Later records win when one batch holds the same key twice (ON CONFLICT cannot touch a row twice). */
export function lastPerKey<T extends { marketplace: string; externalId: string }>(records: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const record of records) byKey.set(`${record.marketplace}\u0000${record.externalId}`, record);
  return [...byKey.values()];
}

/**
 * Upserts shops in one statement (unnest of column arrays). Idempotent: replaying a batch changes
 * nothing but last_seen_at. Absent optional fields never erase values an earlier crawl found.
 */
export async function upsertShops(db: Queryable, records: readonly ShopRecord[], seenAt = new Date()): Promise<UpsertedRow[]> {
  const statement = prepareShopUpsert(records, seenAt);
  if (!statement) return [];
  const { rows } = await db.query<UpsertedRow>(statement.text, statement.values);
  return rows;
}

/** The statement {@link upsertShops} runs, built without touching the database; null for an empty batch. */
export function prepareShopUpsert(
  records: readonly ShopRecord[],
  seenAt = new Date(),
  returning: UpsertReturning = 'rows',
): PreparedUpsert | null {
  const rows = lastPerKey(records);
  if (rows.length === 0) return null;
  const text = (
    key: 'marketplace' | 'externalId' | 'name' | 'url' | 'rawAddress' | 'declaredLocation' | 'phone' | 'email' | 'taxCode' | 'joinedAt',
  ) => textArrayLiteral(rows.map((row) => row[key]));
  const number = (key: 'followerCount' | 'rating' | 'listingCount') => numberArrayLiteral(rows.map((row) => row[key]));
  const boolean = (key: 'isOfficial' | 'isVerified') => booleanArrayLiteral(rows.map((row) => row[key]));
  return {
    text: `INSERT INTO shops AS s (marketplace, external_id, name, url, raw_address, declared_location, phone, email, tax_code,
        is_official, is_verified, joined_at, follower_count, rating, listing_count, raw, content_hash,
        first_seen_at, last_seen_at, changed_at)
     SELECT u.marketplace, u.external_id, u.name, u.url, u.raw_address, u.declared_location, u.phone, u.email, u.tax_code,
        u.is_official, u.is_verified, u.joined_at::timestamptz, u.follower_count, u.rating, u.listing_count, u.raw::jsonb,
        u.content_hash, $18::timestamptz, $18::timestamptz, $18::timestamptz
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
        $10::boolean[], $11::boolean[], $12::text[], $13::integer[], $14::real[], $15::integer[], $16::text[], $17::text[])
       AS u(marketplace, external_id, name, url, raw_address, declared_location, phone, email, tax_code,
        is_official, is_verified, joined_at, follower_count, rating, listing_count, raw, content_hash)
     ON CONFLICT (marketplace, external_id) DO UPDATE SET
        name = EXCLUDED.name,
        url = COALESCE(EXCLUDED.url, s.url),
        raw_address = COALESCE(EXCLUDED.raw_address, s.raw_address),
        declared_location = COALESCE(EXCLUDED.declared_location, s.declared_location),
        phone = COALESCE(EXCLUDED.phone, s.phone),
        email = COALESCE(EXCLUDED.email, s.email),
        tax_code = COALESCE(EXCLUDED.tax_code, s.tax_code),
        is_official = EXCLUDED.is_official OR s.is_official,
        is_verified = EXCLUDED.is_verified OR s.is_verified,
        joined_at = COALESCE(EXCLUDED.joined_at, s.joined_at),
        follower_count = COALESCE(EXCLUDED.follower_count, s.follower_count),
        rating = COALESCE(EXCLUDED.rating, s.rating),
        listing_count = COALESCE(EXCLUDED.listing_count, s.listing_count),
        raw = COALESCE(EXCLUDED.raw, s.raw),
        content_hash = EXCLUDED.content_hash,
        last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at),
        changed_at = CASE WHEN s.content_hash IS DISTINCT FROM EXCLUDED.content_hash THEN EXCLUDED.changed_at ELSE s.changed_at END
     ${returning === 'rows' ? 'RETURNING s.id, s.marketplace, s.external_id, (xmax = 0) AS inserted' : ''}`,
    values: [
      text('marketplace'),
      text('externalId'),
      text('name'),
      text('url'),
      text('rawAddress'),
      text('declaredLocation'),
      text('phone'),
      text('email'),
      text('taxCode'),
      boolean('isOfficial'),
      boolean('isVerified'),
      text('joinedAt'),
      number('followerCount'),
      number('rating'),
      number('listingCount'),
      textArrayLiteral(rows.map((row) => (row.raw === undefined ? null : JSON.stringify(row.raw)))),
      textArrayLiteral(rows.map(shopContentHash)),
      seenAt.toISOString(),
    ],
  };
}

function shopContentHash(row: ShopRecord): string {
  return contentHash([
    row.name,
    row.rawAddress,
    row.declaredLocation,
    row.phone,
    row.email,
    row.taxCode,
    row.isOfficial,
    row.isVerified,
    row.joinedAt,
    row.followerCount,
    row.rating,
  ]);
}
