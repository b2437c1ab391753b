/**
 * The fast path of the score-file line parser: a hand-written guard that builds scoring's shapes
 * straight from a parsed JSON line when every field is plainly well-formed. It accepts a strict
 * subset of what `ScoreFileLineSchema` accepts (never more) and returns null for anything else,
 * so the caller falls back to the zod schema, which accepts the rest or explains the error.
 * Keep the limits here in step with the schema in score-file.ts; a property test checks both agree.
 *
 * It also reads lines parsed from latin1 text (one character per byte; see `Latin1LineParser` in
 * score-file.ts): then the strings scoring reads are decoded from UTF-8 here, and a shop the
 * caller already has is validated but not built again. A limit checked on bytes is stricter than
 * on characters (UTF-8 never has fewer bytes than UTF-16 has units), so a line accepted here is
 * accepted by the schema too; one that fails goes to the exact slow path.
 */
import { isCanonicalMarketplace, parseDateText } from './input-coerce.ts';
import { utf8FromLatin1 } from './io/recode.ts';
import type { ScoringItem } from './pipeline.ts';
import type { ScoringListing, ScoringShop } from './types.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How a parsed line's strings were made: decoded from UTF-8, or one latin1 character per byte. */
export type LineText = 'utf8' | 'latin1';

const asIs = (text: string): string => text;

/** `id`: a non-empty string of at most 200 units, or a non-negative safe integer; as text. */
function idOf(value: unknown, decode: (text: string) => string): string | null {
  if (typeof value === 'string') {
    const id = decode(value);
    return id.length >= 1 && id.length <= 200 ? id : null;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

/** Sentinel for "present but not acceptable": the fast path gives up on the whole line. */
const BAD = Symbol('bad');

function optionalText(value: unknown, max: number, decode: (text: string) => string = asIs): string | null | typeof BAD {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) return BAD;
  return decode(value);
}

function optionalVnd(value: unknown): number | null | typeof BAD {
  if (value === undefined || value === null) return null;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e13 ? value : BAD;
}

function optionalCount(value: unknown): number | null | typeof BAD {
  if (value === undefined || value === null) return null;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : BAD;
}

/** A shop's join date in ms: epoch seconds below 1e11, else milliseconds; ISO text parsed (null if unparseable). */
export function parseJoinedAt(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  return parseDateText(value);
}

/** A join date the schema accepts: absent, a finite number, or text of at most 100 units. */
function acceptableJoinedAt(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  // Only ISO dates here: day/month/year goes through the schema, which reports the coercion.
  return typeof value === 'string' && value.length <= 100 && ISO_DATE_START.test(value);
}
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;

function acceptableText(value: unknown, max: number): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length <= max);
}

function acceptableCount(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}

/** Every shop field but the id, checked without building anything. */
function acceptableShop(s: Json): boolean {
  const official = s.is_official;
  const rating = s.rating;
  return (
    typeof s.name === 'string' &&
    s.name.length <= 500 &&
    acceptableText(s.address, 1000) &&
    acceptableText(s.declared_location, 200) &&
    (official === undefined || official === null || typeof official === 'boolean') &&
    acceptableJoinedAt(s.joined_at) &&
    acceptableCount(s.follower_count) &&
    (rating === undefined || rating === null || (typeof rating === 'number' && rating >= 0 && rating <= 5)) &&
    acceptableText(s.phone, 100) &&
    acceptableText(s.tax_code, 100) &&
    acceptableText(s.email, 200) &&
    acceptableText(s.bank_account, 100)
  );
}

const decodedOrNull = (value: unknown, decode: (text: string) => string): string | null =>
  typeof value === 'string' ? decode(value) : null;

/** The shop of an accepted line. */
function buildShop(s: Json, marketplace: string, id: string, decode: (text: string) => string): ScoringShop {
  const joinedAt = s.joined_at;
  return {
    marketplace,
    id,
    name: decode(s.name as string),
    address: decodedOrNull(s.address, decode),
    declaredLocation: decodedOrNull(s.declared_location, decode),
    isOfficial: (s.is_official as boolean | null | undefined) ?? false,
    joinedAtMs: parseJoinedAt(typeof joinedAt === 'string' ? decode(joinedAt) : (joinedAt as number | null | undefined)),
    followerCount: (s.follower_count as number | null | undefined) ?? null,
    rating: (s.rating as number | null | undefined) ?? null,
    phone: decodedOrNull(s.phone, decode),
    taxCode: decodedOrNull(s.tax_code, decode),
    email: decodedOrNull(s.email, decode),
    bankAccount: decodedOrNull(s.bank_account, decode),
  };
}

/** The shops a caller already has, by marketplace and shop id. */
export interface KnownShops {
  get(marketplace: string, shopId: string): ScoringShop | undefined;
  /** Called with each shop built because `get` had none: the line it came from is accepted. */
  remember(shop: ScoringShop): void;
}

/**
 * A well-formed line's item, or null when the schema must decide (bad or unusual line). When
 * `knownShops` has the line's shop, its fields are still checked but the item gets that copy.
 */
export function fastScoreFileItem(json: unknown, text: LineText = 'utf8', knownShops?: KnownShops): ScoringItem | null {
  if (!isObject(json)) return null;
  const l = json.listing;
  if (!isObject(l)) return null;
  const decode = text === 'latin1' ? utf8FromLatin1 : asIs;
  const id = idOf(l.id, decode);
  const rawMarketplace = l.marketplace;
  const rawTitle = l.title;
  if (id === null || typeof rawMarketplace !== 'string' || typeof rawTitle !== 'string' || rawTitle.length > 2000) return null;
  const marketplace = decode(rawMarketplace);
  // Other spellings ("Shopee", "tiktok_shop") are normalised and reported by the schema.
  if (!isCanonicalMarketplace(marketplace)) return null;
  const title = decode(rawTitle);
  if (marketplace.length < 1 || marketplace.length > 50 || title.length < 1) return null;
  const priceVnd = optionalVnd(l.price_vnd);
  const originalPriceVnd = optionalVnd(l.original_price_vnd);
  const brand = optionalText(l.brand, 200, decode);
  const category = optionalText(l.category, 300, decode);
  const soldCount = optionalCount(l.sold_count);
  const url = optionalText(l.url, 2000);
  const description = optionalText(l.description, 20_000);
  // A condition field is normalised by the schema (score-file.ts).
  if (l.condition !== undefined && l.condition !== null) return null;
  if (
    priceVnd === BAD ||
    originalPriceVnd === BAD ||
    brand === BAD ||
    category === BAD ||
    soldCount === BAD ||
    url === BAD ||
    description === BAD
  )
    return null;
  const listing: ScoringListing = { id, marketplace, title, description, priceVnd, originalPriceVnd, brand, category, soldCount, url };

  const s = json.shop;
  if (s === undefined || s === null) return { listing, shop: null };
  if (!isObject(s)) return null;
  const shopId = idOf(s.id, decode);
  if (shopId === null || !acceptableShop(s)) return null;
  let shop = knownShops?.get(marketplace, shopId);
  if (shop === undefined) {
    shop = buildShop(s, marketplace, shopId, decode);
    knownShops?.remember(shop);
  }
  return { listing, shop };
}
