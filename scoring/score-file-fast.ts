/**
 * The fast path of the score-file line parser: a hand-written guard that builds scoring's shapes
 * straight from a parsed JSON line when every field is plainly well-formed. It accepts a strict
 * subset of what `ScoreFileLineSchema` accepts (never more) and returns null for anything else,
 * so the caller falls back to the zod schema, which accepts the rest or explains the error.
 * Keep the limits here in step with the schema in score-file.ts; a property test checks both agree.
 */
import type { ScoringItem } from './pipeline.ts';
import type { ScoringListing, ScoringShop } from './types.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `id`: a non-empty string of at most 200 units, or a non-negative safe integer; as text. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value.length >= 1 && value.length <= 200 ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

/** Sentinel for "present but not acceptable": the fast path gives up on the whole line. */
const BAD = Symbol('bad');

function optionalText(value: unknown, max: number): string | null | typeof BAD {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' && value.length <= max ? value : BAD;
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
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** `parseJoinedAt` for a value not yet validated: BAD where the schema would reject it. */
function joinedAtOf(value: unknown): number | null | typeof BAD {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? parseJoinedAt(value) : BAD;
  if (typeof value === 'string' && value.length <= 100) return parseJoinedAt(value);
  return BAD;
}

/** A well-formed line's item, or null when the schema must decide (bad or unusual line). */
export function fastScoreFileItem(json: unknown): ScoringItem | null {
  if (!isObject(json)) return null;
  const l = json.listing;
  if (!isObject(l)) return null;
  const id = idOf(l.id);
  const marketplace = l.marketplace;
  const title = l.title;
  if (id === null || typeof marketplace !== 'string' || marketplace.length < 1 || marketplace.length > 50) return null;
  if (typeof title !== 'string' || title.length < 1 || title.length > 2000) return null;
  const priceVnd = optionalVnd(l.price_vnd);
  const originalPriceVnd = optionalVnd(l.original_price_vnd);
  const brand = optionalText(l.brand, 200);
  const category = optionalText(l.category, 300);
  const soldCount = optionalCount(l.sold_count);
  const url = optionalText(l.url, 2000);
  const description = optionalText(l.description, 20_000);
  if (priceVnd === BAD || originalPriceVnd === BAD || brand === BAD || category === BAD || soldCount === BAD || url === BAD || description === BAD) return null;
  const listing: ScoringListing = { id, marketplace, title, description, priceVnd, originalPriceVnd, brand, category, soldCount, url };

  const s = json.shop;
  if (s === undefined || s === null) return { listing, shop: null };
  if (!isObject(s)) return null;
  const shopId = idOf(s.id);
  const name = s.name;
  if (shopId === null || typeof name !== 'string' || name.length > 500) return null;
  const address = optionalText(s.address, 1000);
  const declaredLocation = optionalText(s.declared_location, 200);
  const official = s.is_official;
  if (official !== undefined && official !== null && typeof official !== 'boolean') return null;
  const joinedAtMs = joinedAtOf(s.joined_at);
  const followerCount = optionalCount(s.follower_count);
  const rating = s.rating;
  if (rating !== undefined && rating !== null && !(typeof rating === 'number' && rating >= 0 && rating <= 5)) return null;
  const phone = optionalText(s.phone, 100);
  const taxCode = optionalText(s.tax_code, 100);
  if (address === BAD || declaredLocation === BAD || joinedAtMs === BAD || followerCount === BAD || phone === BAD || taxCode === BAD) return null;
  const shop: ScoringShop = {
    marketplace,
    id: shopId,
    name,
    address,
    declaredLocation,
    isOfficial: official ?? false,
    joinedAtMs,
    followerCount,
    rating: (rating as number | null | undefined) ?? null,
    phone,
    taxCode,
  };
  return { listing, shop };
}
