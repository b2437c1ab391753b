import { adminIndex } from './dataset.ts';
import { markerEndingAt } from './markers.ts';
import { findForeignCity, findForeignCountry } from './patterns.ts';
import { tokenize } from './tokenize.ts';
import type { LocationLabelResolution } from './types.ts';

/**
 * A marketplace's location label ("TP. Hồ Chí Minh", "Hà Nội", "TP.HCM", "Bạc Liêu", "Nước ngoài") → 2025 province,
 * or overseas, or null when the label names no province.
 */
export function resolveLocationLabel(label: string | null | undefined): LocationLabelResolution {
  if (typeof label !== 'string') return { province: null, province_code: null, overseas: false };
  // Marketplaces use a few dozen labels for thousands of shops: resolve each distinct label once.
  let cached = labelCache.get(label);
  if (cached === undefined) {
    cached = resolveLabel(label);
    if (labelCache.size >= MAX_CACHED_LABELS) labelCache.clear();
    labelCache.set(label, cached);
  }
  return { ...cached };
}

const MAX_CACHED_LABELS = 10_000;
const labelCache = new Map<string, LocationLabelResolution>();

/** Forgets every resolved label (see clearAddressCaches). */
export function clearLabelCache(): void {
  labelCache.clear();
}

function resolveLabel(label: string): LocationLabelResolution {
  const none: LocationLabelResolution = { province: null, province_code: null, overseas: false };
  const words = tokenize(label).words;
  const ascii = words.map((w) => w.ascii);
  if (findForeignCountry(ascii) !== null || findForeignCity(ascii) !== null) return { ...none, overseas: true };
  // Drop a leading unit word: "TP.", "Tỉnh", "Thành phố".
  let from = 0;
  for (let last = 0; last < Math.min(2, words.length - 1); last++) {
    const marker = markerEndingAt(words, last);
    if (marker && (marker.type === 'city' || marker.type === 'province') && last - marker.length + 1 === 0) from = last + 1;
  }
  const index = adminIndex();
  const entries = index.byName.get(ascii.slice(from).join(' ')) ?? [];
  const province = entries.find((e) => e.kind === 'province') ?? entries.find((e) => e.kind === 'old_province');
  if (!province) return none;
  const target = index.provinces.get(province.provinceCode);
  return target ? { province: target.name, province_code: target.code, overseas: false } : none;
}
