/** The small request/response shapes shared by the server and the skins. */
import type { SearchIndex } from './search.ts';
import type { Skin, World } from './world.ts';

export interface SkinRequest {
  world: World;
  search: SearchIndex;
  skin: Skin;
  /** Path after the skin prefix, starting with "/" ("/api/v4/search/search_items"). */
  path: string;
  query: URLSearchParams;
  /** "http://127.0.0.1:PORT" as the client addressed it. */
  origin: string;
  /** Host (with port) as the client addressed it, for protocol-relative URLs. */
  host: string;
  epoch: number;
  /** Serve Shopee prices that are not multiples of 100000 (the anti-bot poison). */
  poison: boolean;
}

export interface SkinResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export type SkinHandler = (request: SkinRequest) => SkinResponse | null;

export const json = (value: unknown, status = 200): SkinResponse => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});
export const html = (body: string, status = 200): SkinResponse => ({ status, contentType: 'text/html; charset=utf-8', body });
export const text = (body: string, contentType = 'text/plain; charset=utf-8', status = 200): SkinResponse => ({
  status,
  contentType,
  body,
});

/** A positive integer query parameter, or the fallback. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max = 1_000_000): number {
  const raw = query.get(name);
  if (raw === null || !/^\d{1,9}$/u.test(raw)) return fallback;
  return Math.min(max, Number(raw));
}

/** Fake but stable image hash for a listing, shaped like Shopee's. */
export function imageHash(key: number, n = 0): string {
  return `vn-11134207-7r98o-${(key + n * 2654435761).toString(36).padStart(8, '0').slice(-8)}${n}`;
}
